// Package data embeds Oversight's built-in register: the YAML files beside
// this one, which a reviewer can read and diff. Load parses and checks them.
package data

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"oversight/ingest"
	"oversight/registry"
	"oversight/rules"
)

//go:embed */*.yaml
var files embed.FS

// FS returns the embedded data files.
func FS() fs.FS { return files }

// Load parses every built-in data file and checks the whole set, so that a
// broken reference between files is an error naming file and line. The
// fact documents, facts/<deployment-id>.yaml, are in the set as records
// (registry.FactDoc), which a new register logs with the rest.
func Load() (*registry.Set, error) { return LoadFS(files) }

// LoadFS loads a tree laid out like the built-in data.
func LoadFS(fsys fs.FS) (*registry.Set, error) {
	set, _, err := loadFS(fsys)
	return set, err
}

// loadFS is LoadFS with where each record came from.
func loadFS(fsys fs.FS) (*registry.Set, *ingest.Source, error) {
	names, err := fs.Glob(fsys, "*/*.yaml")
	if err != nil {
		return nil, nil, err
	}
	sort.Strings(names)
	var sets []*registry.Set
	var srcs []*ingest.Source
	var errs ingest.ErrorList
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, nil, err
		}
		set, src, err := ingest.Parse("data/"+name, b, ingest.YAML)
		if err != nil {
			if l, ok := err.(ingest.ErrorList); ok {
				errs = append(errs, l...)
				continue
			}
			return nil, nil, err
		}
		if e := misnamed(name, set); e != nil {
			errs = append(errs, e)
			continue
		}
		sets = append(sets, set)
		srcs = append(srcs, src)
	}
	if len(errs) > 0 {
		return nil, nil, errs
	}
	set, src := ingest.Merge(sets, srcs)
	if err := ingest.Check(set, src, nil); err != nil {
		return nil, nil, err
	}
	return set, src, nil
}

// misnamed refuses a fact document whose file is not named after its
// deployment, so that a reader finds a deployment's facts by its id.
func misnamed(name string, set *registry.Set) *ingest.Error {
	dir, file := path.Split(name)
	if dir != "facts/" {
		return nil
	}
	want := strings.TrimSuffix(file, ".yaml")
	if len(set.Facts) != 1 || set.Facts[0].ID != want {
		return &ingest.Error{File: "data/" + name, Field: "deployment.id", Msg: fmt.Sprintf("must equal the file name %q, and the file hold one fact document", want)}
	}
	return nil
}

// Facts parses the built-in fact documents, data/facts/<deployment-id>.yaml,
// which classification reads, keyed by deployment id.
func Facts() (map[string]*rules.Facts, error) { return FactsFS(files) }

// FactsFS parses the fact documents of a tree laid out like the built-in data.
func FactsFS(fsys fs.FS) (map[string]*rules.Facts, error) {
	schema, err := rules.FactSchema()
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(fsys, "facts/*.yaml")
	if err != nil {
		return nil, err
	}
	out := map[string]*rules.Facts{}
	var errs []error
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		f, err := schema.ParseFacts("data/"+name, b)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if want := strings.TrimSuffix(path.Base(name), ".yaml"); f.ID() != want {
			errs = append(errs, fmt.Errorf("data/%s: deployment.id %q must equal the file name %q", name, f.ID(), want))
			continue
		}
		out[f.ID()] = f
	}
	return out, errors.Join(errs...)
}
