package frameworks

import (
	"io/fs"
	"path"
	"slices"
	"testing"

	"github.com/goccy/go-yaml"

	"oversight/data"
	"oversight/rules"
)

// TestDesignationsNameFrameworks: legal_basis.designation_exempts_from
// names laws by framework id. Every value the schema allows, and every id a
// built-in fact document or golden case uses, must be a built-in framework,
// so that a misspelt or dropped id cannot silently exempt nothing.
func TestDesignationsNameFrameworks(t *testing.T) {
	fws, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, fw := range fws {
		ids = append(ids, fw.ID)
	}
	check := func(where string, list any) {
		l, _ := list.([]any)
		for _, v := range l {
			if s, _ := v.(string); !slices.Contains(ids, s) {
				t.Errorf("%s: designation_exempts_from names %v, which is no built-in framework", where, v)
			}
		}
	}
	schema, err := rules.FactSchema()
	if err != nil {
		t.Fatal(err)
	}
	leaf, ok := schema.Leaf("legal_basis.designation_exempts_from")
	if !ok || len(leaf.Enum) == 0 {
		t.Fatal("legal_basis.designation_exempts_from: no such list of values in the schema")
	}
	for _, v := range leaf.Enum {
		check("rules/facts.schema.json", []any{v})
	}
	facts, err := data.Facts()
	if err != nil {
		t.Fatal(err)
	}
	for id, f := range facts {
		lb, _ := f.Doc()["legal_basis"].(map[string]any)
		check("data/facts/"+id+".yaml", lb["designation_exempts_from"])
	}
	seen := 0
	err = fs.WalkDir(FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Base(path.Dir(p)) != "tests" {
			return err
		}
		raw, err := fs.ReadFile(FS(), p)
		if err != nil {
			return err
		}
		var file struct {
			Cases []struct {
				Name  string `yaml:"name"`
				Facts struct {
					LegalBasis map[string]any `yaml:"legal_basis"`
				} `yaml:"facts"`
			} `yaml:"cases"`
		}
		if err := yaml.Unmarshal(raw, &file); err != nil {
			return err
		}
		for _, c := range file.Cases {
			if l, ok := c.Facts.LegalBasis["designation_exempts_from"]; ok {
				seen++
				check(p+": "+c.Name, l)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen == 0 {
		t.Error("no golden case records a designation: the walk of the golden files is wrong")
	}
}
