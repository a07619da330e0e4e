// Package data embeds Oversight's built-in register: the YAML files beside
// this one, which a reviewer can read and diff. Load parses and checks them.
package data

import (
	"embed"
	"io/fs"
	"sort"

	"oversight/ingest"
	"oversight/registry"
)

//go:embed */*.yaml
var files embed.FS

// FS returns the embedded data files.
func FS() fs.FS { return files }

// Load parses every built-in data file and checks the whole set, so that a
// broken reference between files is an error naming file and line.
func Load() (*registry.Set, error) { return LoadFS(files) }

// LoadFS loads a tree laid out like the built-in data.
func LoadFS(fsys fs.FS) (*registry.Set, error) {
	names, err := fs.Glob(fsys, "*/*.yaml")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var sets []*registry.Set
	var srcs []*ingest.Source
	var errs ingest.ErrorList
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		set, src, err := ingest.Parse("data/"+name, b, ingest.YAML)
		if err != nil {
			if l, ok := err.(ingest.ErrorList); ok {
				errs = append(errs, l...)
				continue
			}
			return nil, err
		}
		sets = append(sets, set)
		srcs = append(srcs, src)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	set, src := ingest.Merge(sets, srcs)
	if err := ingest.Check(set, src, nil); err != nil {
		return nil, err
	}
	return set, nil
}
