package export

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"oversight/ingest"
	"oversight/registry"
)

// DeclarationFormats lists the formats a declaration is exported in.
var DeclarationFormats = []string{"json", "csv"}

// A DeclarationSheet is a deployment's declaration in the shape of one
// scheme: every field of the scheme in its order, answered or not, so that
// the organisation (or a reviewer) copies it into that register's form.
type DeclarationSheet struct {
	Scheme      string `json:"scheme"`
	Title       string `json:"title"`
	Basis       string `json:"basis"`
	Version     string `json:"version"`
	URL         string `json:"url"`
	Deployment  string `json:"deployment"`
	System      string `json:"system"` // the record's title
	DeclaredBy  string `json:"declared_by"`
	Declared    string `json:"declared"`
	SelfDeclare bool   `json:"self_declared"` // the record rests on the declaration alone
	// Restricted says whether the scheme would keep the entry out of public
	// view ("yes", "no" or "unknown"), where it has such a section: for
	// the EU database, whether AI Act Art. 49(4) holds on the record's
	// facts under the EU benchmark. Empty for a scheme without one.
	Restricted string         `json:"restricted_section,omitempty"`
	Note       string         `json:"note,omitempty"`
	Sections   []SheetSection `json:"sections"`
	// MissingRequired lists the fields the scheme asks of every entry that
	// the declaration leaves unanswered.
	MissingRequired []string `json:"missing_required"`
}

// A SheetSection is a section of a scheme with its answers.
type SheetSection struct {
	ID     string       `json:"id"`
	Title  string       `json:"title"`
	Fields []SheetField `json:"fields"`
}

// A SheetField is one field and its answer (null when unanswered).
type SheetField struct {
	ID        string  `json:"id"`
	Name      string  `json:"name"`
	Attribute string  `json:"attribute,omitempty"`
	Required  bool    `json:"required"`
	Answer    *string `json:"answer"`
	// InRestricted is false for a field the restricted section does not
	// take, when the entry would go there: the register publishes what
	// the organisation declared, and says what the scheme would keep.
	InRestricted *bool `json:"in_restricted_section,omitempty"`
}

// NewDeclarationSheet lays out d's declaration in a scheme's shape;
// restricted is "yes", "no", "unknown" or "" (see DeclarationSheet).
func NewDeclarationSheet(d *registry.Deployment, s *registry.Scheme, restricted string) *DeclarationSheet {
	decl := d.Declaration
	out := &DeclarationSheet{Scheme: s.ID, Title: s.Title, Basis: s.Basis, Version: s.Version, URL: s.URL, Deployment: d.ID, System: d.Title,
		SelfDeclare: d.Certainty == registry.SelfDeclared, Restricted: restricted, Note: s.Note, MissingRequired: []string{}}
	if decl != nil {
		out.DeclaredBy, out.Declared = decl.By, decl.Date.String()
	}
	for _, sec := range s.Sections {
		ss := SheetSection{ID: sec.ID, Title: sec.Title}
		for _, q := range sec.Fields {
			f := SheetField{ID: q.ID, Name: q.Name, Attribute: q.Attribute, Required: q.Required}
			if a := decl.Get(s.ID, q.ID); a != "" {
				f.Answer = &a
			} else if q.Required {
				out.MissingRequired = append(out.MissingRequired, q.ID)
			}
			if restricted == "yes" {
				in := q.Restricted
				f.InRestricted = &in
			}
			ss.Fields = append(ss.Fields, f)
		}
		out.Sections = append(out.Sections, ss)
	}
	return out
}

// WriteDeclaration writes a sheet as JSON, or as CSV with one row a field
// (section, field, name, required, answer), cells escaped against
// spreadsheet formulas.
func WriteDeclaration(w io.Writer, sheet *DeclarationSheet, format string) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(sheet)
	case "csv":
		cw := csv.NewWriter(w)
		cw.Write([]string{"section", "field", "name", "required", "answer"})
		for _, sec := range sheet.Sections {
			for _, f := range sec.Fields {
				a := ""
				if f.Answer != nil {
					a = *f.Answer
				}
				cw.Write([]string{ingest.EscapeCell(sec.Title), f.ID, ingest.EscapeCell(f.Name), strconv.FormatBool(f.Required), ingest.EscapeCell(a)})
			}
		}
		cw.Flush()
		return cw.Error()
	}
	return fmt.Errorf("unknown format %q (allowed: json, csv)", format)
}
