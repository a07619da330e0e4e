package site

import (
	"slices"
	"time"

	"oversight/registry"
	"oversight/rules"
)

// A boundLaw is a framework that binds a jurisdiction, as its page lists
// it: whether the register read the legal text itself or only others'
// accounts of it.
type boundLaw struct {
	ID, Title string
	Secondary bool // no source of the framework is the legal text
}

// An unreadLaw is a binding law the register has a framework file for but
// could not encode (rules.NotEncoded), as a country page names it: why,
// and the source a reader can open to see the law.
type unreadLaw struct {
	ID, Title   string
	Reasons     []string
	Explanation string
	Searched    string
	Source      rules.Source // the first of not_encoded's sources that is the legal text, else the first
	InForce     bool         // known to be in force today (inForce); else the pages do not say it binds
}

// lawOf returns the frameworks that bind a jurisdiction, those of them the
// register could not encode, and, when neither, the laws its safeguards
// profile says it has: a law the register has not encoded is shown as
// such, never as "no law".
func lawOf(j *registry.Jurisdiction, fws []*rules.Framework, today time.Time) (bound []boundLaw, unread []unreadLaw, profile []registry.Safeguard) {
	for _, fw := range fws {
		if !slices.Contains(fw.Binds, j.Code) {
			continue
		}
		if !fw.Encoded() {
			unread = append(unread, unreadOf(fw, today))
			continue
		}
		secondary := !slices.ContainsFunc(fw.Sources, func(s rules.Source) bool { return s.Read == "primary" })
		bound = append(bound, boundLaw{ID: fw.ID, Title: fw.ShortTitle, Secondary: secondary})
	}
	if len(bound) > 0 || len(unread) > 0 {
		return bound, unread, nil
	}
	for _, sg := range j.Safeguards {
		switch sg.Kind {
		case "data_protection_law", "biometric_rules", "ai_law":
			if sg.Status == "yes" || sg.Status == "partial" {
				profile = append(profile, sg)
			}
		}
	}
	return nil, nil, profile
}

// unreadIn lists the laws binding a jurisdiction that the register could
// not encode, for the pages that classify a system there: they give no
// result, so the page names them instead.
func (s *Site) unreadIn(code string) []unreadLaw {
	var out []unreadLaw
	for _, id := range s.cls.UnencodedBinding(code) {
		if law, ok := s.cls.Law(id); ok {
			out = append(out, unreadOf(law, s.today()))
		}
	}
	return out
}

func unreadOf(fw *rules.Framework, today time.Time) unreadLaw {
	ne := fw.NotEncoded
	u := unreadLaw{ID: fw.ID, Title: fw.Title, Reasons: ne.Reasons, Explanation: ne.Explanation, Searched: ne.Searched, InForce: inForce(fw, today)}
	for _, id := range ne.Sources {
		for _, src := range fw.Sources {
			if src.ID == id && (u.Source.ID == "" || src.Read == "primary" && u.Source.Read != "primary") {
				u.Source = src
			}
		}
	}
	return u
}

// inForce reports whether a law is known to be in force on day: marked in
// force, or adopted with a first day on or before it, and not ended. A law
// adopted whose commencement the sources do not give (Bangladesh's
// Ordinance of 2025) is not called binding: the register does not know
// that it is.
func inForce(fw *rules.Framework, day time.Time) bool {
	return fw.InEffect(day) && (fw.Status == "in_force" || fw.Status == "adopted" && fw.EffectiveFrom != "")
}

// benchmarks are the frameworks every country page compares with, beside
// the law that binds the country.
var benchmarks = []string{"eu-ai-act", "apac-baseline"}

// matrixFrameworks are the frameworks a country's matrix shows: those that
// bind it, then the benchmarks, in that order.
func matrixFrameworks(j *registry.Jurisdiction, fws []*rules.Framework) []*rules.Framework {
	var out []*rules.Framework
	for _, fw := range fws {
		if slices.Contains(fw.Binds, j.Code) && !slices.Contains(benchmarks, fw.ID) {
			out = append(out, fw)
		}
	}
	for _, id := range benchmarks {
		for _, fw := range fws {
			if fw.ID == id {
				out = append(out, fw)
			}
		}
	}
	return out
}

// byRelevance orders every framework for a deployment's page: those that
// bind its jurisdiction, then the benchmarks, then the rest in their own
// order, so that the law that applies is not lost mid-list.
func byRelevance(j *registry.Jurisdiction, fws []*rules.Framework) []*rules.Framework {
	out := matrixFrameworks(j, fws)
	for _, fw := range fws {
		if !slices.Contains(out, fw) {
			out = append(out, fw)
		}
	}
	return out
}
