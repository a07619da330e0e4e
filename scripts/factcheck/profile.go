package main

import "oversight/registry"

// ProfileFacts lists a jurisdiction profile's facts: each membership, its
// regime, each safeguard that states something (a status other than
// unknown, or one naming sources), and each source's title, publisher,
// published date and excerpt where given. A safeguard marked unknown with
// no source states nothing and is not counted; one marked yes, no or
// partial with no source is counted as unsourced. The name, subregion and
// notes are not counted: no source key is tied to them.
func ProfileFacts(j *registry.Jurisdiction) []Fact {
	var fs []Fact
	for _, m := range j.Memberships {
		fs = append(fs, Fact{"membership " + m.Body, m.Sources})
	}
	if j.Regime != nil {
		fs = append(fs, Fact{"regime", j.Regime.Sources})
	}
	for _, s := range j.Safeguards {
		if s.Status == "unknown" && len(s.Sources) == 0 {
			continue
		}
		fs = append(fs, Fact{"safeguard " + s.Kind, s.Sources})
	}
	return append(fs, sourceFacts(j.Sources)...)
}
