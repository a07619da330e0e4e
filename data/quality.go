package data

import (
	_ "embed"
	"fmt"
	"strings"

	"github.com/goccy/go-yaml"

	"oversight/ingest"
	"oversight/registry"
)

// A Finding is a weakness of data that loads and validates but falls short
// of the register's standard: a likely duplicate, an amount a reader
// cannot convert, a source nobody can say when it was read, a vendor's
// headquarters without the page that states it.
type Finding struct {
	File  string // data/deployments/x.yaml
	Line  int
	Field string // the record's path within the file
	Msg   string
}

func (f Finding) String() string { return fmt.Sprintf("%s:%d: %s: %s", f.File, f.Line, f.Field, f.Msg) }

// exceptions are the pairs of deployments that share a place and an
// operator and are distinct systems all the same, each with the reason a
// reviewer gave (quality.yaml).
//
//go:embed quality.yaml
var exceptionsYAML []byte

type qualityExceptions struct {
	Distinct []struct {
		IDs    []string `yaml:"ids"`
		Reason string   `yaml:"reason"`
	} `yaml:"distinct"`
}

// Quality checks the built-in data for what loading does not refuse.
func Quality() ([]Finding, error) {
	set, src, err := loadFS(files)
	if err != nil {
		return nil, err
	}
	var ex qualityExceptions
	if err := yaml.Unmarshal(exceptionsYAML, &ex); err != nil {
		return nil, fmt.Errorf("data/quality.yaml: %w", err)
	}
	distinct := map[[2]string]bool{}
	for i, d := range ex.Distinct {
		if len(d.IDs) != 2 || d.Reason == "" {
			return nil, fmt.Errorf("data/quality.yaml: distinct[%d] needs two ids and a reason", i)
		}
		a, b := d.IDs[0], d.IDs[1]
		distinct[[2]string{min(a, b), max(a, b)}] = true
	}
	return check(set, src, distinct), nil
}

// check finds, in a loaded set:
//   - likely duplicates: two deployments in one jurisdiction with the same
//     place and the same operator, unless listed as distinct;
//   - an amount without its currency or year;
//   - a source without the date it was read;
//   - a vendor's headquarters, ownership or parent without a source.
func check(set *registry.Set, src *ingest.Source, distinct map[[2]string]bool) []Finding {
	var out []Finding
	add := func(path, format string, args ...any) {
		file, line, local := src.Locate(path)
		out = append(out, Finding{File: file, Line: line, Field: local, Msg: fmt.Sprintf(format, args...)})
	}
	seen := map[string]int{}
	for i, d := range set.Deployments {
		p := fmt.Sprintf("deployments[%d]", i)
		if place, op := norm(d.Place.Name), norm(d.Operator.Name); place != "" && op != "" {
			k := d.Jurisdiction + "|" + place + "|" + op
			if j, ok := seen[k]; ok {
				other := set.Deployments[j].ID
				if !distinct[[2]string{min(d.ID, other), max(d.ID, other)}] {
					add(p+".place", "%s has the place and operator of %s (%s, %s): a duplicate, or list the pair in data/quality.yaml with why they differ", d.ID, other, d.Place.Name, d.Operator.Name)
				}
			} else {
				seen[k] = i
			}
		}
		for j, f := range d.Financing {
			fp := fmt.Sprintf("%s.financing[%d]", p, j)
			if f.Amount != nil && f.Currency == "" {
				add(fp+".currency", "an amount without its currency")
			}
			if f.Amount != nil && f.Year == 0 {
				add(fp+".year", "an amount without the year it is of")
			}
		}
		undated(add, p+".sources", d.Sources)
	}
	for i, v := range set.Vendors {
		p := fmt.Sprintf("vendors[%d]", i)
		if (v.Headquarters != "" || v.Parent != "" || v.Ownership != "" && v.Ownership != "unknown") && len(v.FactSources) == 0 {
			add(p+".fact_sources", "%s: headquarters, ownership or parent stated without a source", v.ID)
		}
		undated(add, p+".sources", v.Sources)
	}
	for i, j := range set.Jurisdictions {
		undated(add, fmt.Sprintf("jurisdictions[%d].sources", i), j.Sources)
	}
	for i, in := range set.Instruments {
		undated(add, fmt.Sprintf("instruments[%d].sources", i), in.Sources)
	}
	return out
}

// undated reports the sources without the date they were read.
func undated(add func(path, format string, args ...any), path string, srcs []registry.Source) {
	for i, s := range srcs {
		if s.Accessed.IsZero() {
			add(fmt.Sprintf("%s[%d].accessed", path, i), "%s: a source without the date it was read", s.URL)
		}
	}
}

func norm(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}
