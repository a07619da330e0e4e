package api

import (
	"bytes"
	"fmt"
	"net/http"

	"oversight/export"
	"oversight/internal/params"
	"oversight/registry"
)

// declaration exports a deployment's declaration (self-registration) in
// the shape of one scheme, as JSON or CSV.
func (s *server) declaration(w http.ResponseWriter, r *http.Request, rd Reader) error {
	p := params.Read(r.URL.Query(), "scheme", "format")
	ids := make([]string, 0, len(registry.Schemes()))
	for _, sc := range registry.Schemes() {
		ids = append(ids, sc.ID)
	}
	sc := registry.SchemeByID(p.Get("scheme"))
	if sc == nil {
		p.Badf("scheme", ids, "%q is not a register a declaration answers", registry.Clip(p.Get("scheme")))
	}
	format := p.Get("format")
	if format == "" && !r.URL.Query().Has("format") {
		format = "json"
	}
	ctype := map[string]string{"json": "application/json", "csv": "text/csv; charset=utf-8"}[format]
	if ctype == "" {
		p.Badf("format", export.DeclarationFormats, "%q is not a format a declaration is exported in", registry.Clip(format))
	}
	if err := p.Err(); err != nil {
		return err
	}
	e, err := rd.Get(r.Context(), "deployment", r.PathValue("id"))
	if err != nil {
		return s.retracted(w, r, rd, "deployment", r.PathValue("id"), "", err)
	}
	d := e.(*registry.Deployment)
	if !d.Declaration.Answered(sc.ID) {
		return registry.NotFound(fmt.Sprintf("a declaration of deployment %s under %s", d.ID, sc.ID))
	}
	sheet := export.NewDeclarationSheet(d, sc, s.Classifier.Restricted(d, sc, s.today()))
	var buf bytes.Buffer
	if err := export.WriteDeclaration(&buf, sheet, format); err != nil {
		return err
	}
	if format == "csv" {
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.%s.csv"`, d.ID, sc.ID))
	}
	send(w, r, ctype, buf.Bytes())
	return nil
}
