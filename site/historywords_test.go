package site

import (
	"html"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"oversight/internal/fixture"
	"oversight/registry"
	"oversight/rules"
	"oversight/store"
)

// TestHistoryInWords: the history page names each changed field as the
// label file does and gives its values in words, a list of values as a
// list, not the log's paths and JSON, which stay a link away.
func TestHistoryInWords(t *testing.T) {
	set := fixture.Set(1)
	d := set.Deployments[0]
	s, db := siteOf(t, set)
	changed := *d
	changed.Title = "A changed title"
	changed.Status = registry.Status{Value: "suspended", Sources: []string{d.Sources[0].Key}}
	changed.System.Capabilities = append(slices.Clone(d.System.Capabilities), "lpr_anpr")
	if _, err := db.Apply(t.Context(), &registry.Set{Deployments: []*registry.Deployment{&changed}}, store.Meta{Author: "test", Reason: "a test"}, nil); err != nil {
		t.Fatal(err)
	}
	page := pageOf(t, s, "/history")
	_, newest, _ := strings.Cut(page, `<section class="change">`)
	newest, _, _ = strings.Cut(newest, "</section>")
	rows := map[string][2]string{}
	for _, m := range regexp.MustCompile(`(?s)<tr><td>([^<]*)</td><td data-label="before">(.*?)</td><td data-label="after">(.*?)</td></tr>`).FindAllStringSubmatch(newest, -1) {
		rows[html.UnescapeString(m[1])] = [2]string{m[2], m[3]}
	}
	if r := rows[labels["record field"]["title"]]; r[0] != html.EscapeString(d.Title) || r[1] != "A changed title" {
		t.Errorf("the title: %q", r)
	}
	if r := rows[labels["record field"]["status.value"]]; r[1] != label("status", "suspended") {
		t.Errorf("the status: %q", r)
	}
	caps := rows[labels["record field"]["system.capabilities"]]
	if !strings.HasPrefix(caps[1], `<ul class="values">`) || !strings.Contains(caps[1], "<li>"+label("capability", "lpr_anpr")+"</li>") ||
		strings.Count(caps[1], "<li>") != len(changed.System.Capabilities) {
		t.Errorf("the capabilities, as a list before and after: %q", caps)
	}
	if len(rows) == 0 || strings.Contains(newest, "system.capabilities") || strings.Contains(newest, `&#34;`) {
		t.Errorf("the change shows paths or JSON: %s", newest)
	}
	if !regexp.MustCompile(`<a href="/api/v1/log/revisions/\d+">revision \d+ as JSON</a>`).MatchString(newest) {
		t.Error("no link to the log entry as JSON")
	}
	// A record created has no column of nothing before its fields.
	_, created, _ := strings.Cut(page, "created deployment")
	created, _, _ = strings.Cut(created, "</table>")
	if !strings.Contains(created, `<th scope="col">Value</th>`) || strings.Contains(created, label("value", valueAbsent)) {
		t.Errorf("a record created is shown against nothing before: %.600s", created)
	}
}

// TestRecordValuesFields: each field recordValues gives a vocabulary is a
// field of a record, and each vocabulary is one of labels/en.json.
func TestRecordValuesFields(t *testing.T) {
	fields := map[string]bool{}
	for _, key := range recordFieldKeys() {
		_, pattern, _ := strings.Cut(key, " ")
		fields[key], fields[pattern] = true, true
	}
	schema, err := rules.FactSchema()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range schema.Leaves() {
		fields["facts "+l.Path] = true
	}
	// Every date of a record is written out.
	for _, e := range []registry.Entity{&registry.Deployment{}, &registry.Vendor{}, &registry.Jurisdiction{},
		&registry.Instrument{}, &registry.Claim{}, &registry.Reply{}} {
		fieldPaths(reflect.TypeOf(e).Elem(), "", func(p string, date bool) {
			if v, _ := byKind(recordValues(), e.Kind(), p); date && v != "date" {
				t.Errorf("recordValues: %s %s is a date, not marked so", e.Kind(), p)
			}
		})
	}
	for f, vocab := range recordValues() {
		if !fields[f] {
			t.Errorf("recordValues: %q is no record's field", f)
		}
		if vocab != "code" && vocab != "country" && vocab != "date" && labels[vocab] == nil {
			t.Errorf("recordValues: %q: no vocabulary %q", f, vocab)
		}
	}
}
