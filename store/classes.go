package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"oversight/registry"
)

// Fact classes (migration 019, registry.DeploymentClass): each current
// deployment's class, written with its tiers by the same projector, and
// class_counts, how many deployments share a class and the deployment
// attributes the index and scenarios read. Triggers of migration 019 keep
// class_counts equal to deployment_classes grouped: every insert and
// delete of a class row, by a write, ProjectTiers or Rebuild, changes it
// by delta in the same transaction, and a count that falls to 0 is
// deleted. The class documents are kept once each in fact_classes.

var (
	tDepClasses = &table{name: "deployment_classes", cols: []string{"deployment_id", "class", "jurisdiction", "year", "certainty", "capabilities", "scale", "people"}, owner: "deployment_id", key: 1}
	// tFactClasses rows are written by classDoc, never by insert: the
	// same document comes with many deployments.
	tFactClasses = &table{name: "fact_classes", cols: []string{"class", "doc"}, key: 1}
)

// classTables are the tables of the class projection, in the order they
// are cleared: class_counts first, so that its triggers find no row to
// change as each class row goes.
var classTables = []string{"class_counts", "deployment_classes", "fact_classes"}

// classDigest names a class document in the tables.
func classDigest(doc []byte) string {
	h := sha256.Sum256(doc)
	return hex.EncodeToString(h[:16])
}

// classRows are the rows of a deployment's class: its row in
// deployment_classes and its document for fact_classes (insertProjected);
// none when the projector gives no classes.
func classRows(p *tierCodec, d *registry.Deployment, f *registry.FactDoc) []row {
	cp, ok := p.TierProjector.(registry.ClassProjector)
	if !ok {
		return nil
	}
	c := cp.DeploymentClass(d, f)
	var people any
	if d.Scale.PeopleCovered != nil {
		people = *d.Scale.PeopleCovered
	}
	caps := append([]string(nil), d.System.Capabilities...)
	id := classDigest(c.Doc)
	return []row{{tDepClasses, []any{d.ID, id, d.Jurisdiction, int64(d.Year()), d.Certainty, capabilityText(caps), c.Scale, people}},
		{tFactClasses, []any{id, string(c.Doc)}}}
}

// insertProjected inserts a deployment's projected tier and class rows,
// its class document through classDoc.
func (w *txWriter) insertProjected(rows []row) error {
	for _, r := range rows {
		var err error
		if r.t == tFactClasses {
			err = w.classDoc(r.vals[0].(string), r.vals[1].(string))
		} else {
			err = w.insert(r)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// capabilityText is a list of capabilities as a key column holds it:
// sorted, each once, joined by spaces.
func capabilityText(caps []string) string {
	seen := map[string]bool{}
	var out []string
	for _, c := range caps {
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return strings.Join(out, " ")
}

// classDoc records a class document the write's rows name, once a write.
func (w *txWriter) classDoc(id, doc string) error {
	if w.classDocs[id] {
		return nil
	}
	if w.classDocs == nil {
		w.classDocs = map[string]bool{}
	}
	w.classDocs[id] = true
	return w.exec("INSERT INTO fact_classes (class, doc) VALUES ($1, $2) ON CONFLICT (class) DO NOTHING", id, doc)
}

// ClassCounts returns every row of class_counts with its class document,
// or false when they are not those of version (the projector's
// TierVersion that wrote them) or some deployment's tiers are pending:
// then the caller classifies the deployments instead.
func (s *reader) ClassCounts(ctx context.Context, version string) ([]registry.ClassCount, bool, error) {
	p, err := s.projected(ctx)
	if p == nil || p.TierVersion() != version || err != nil {
		return nil, false, err
	}
	if pending, err := s.pendingTiers(ctx); pending || err != nil {
		return nil, false, err
	}
	rows, err := s.q.QueryContext(ctx, `SELECT c.class, f.doc, c.jurisdiction, c.year, c.certainty, c.capabilities, c.n, c.cameras, c.scale, c.people, c.people_sum
FROM class_counts c JOIN fact_classes f ON f.class = c.class`)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	var out []registry.ClassCount
	for rows.Next() {
		var c registry.ClassCount
		var doc, caps string
		if err := rows.Scan(&c.Class, &doc, &c.Jurisdiction, &c.Year, &c.Certainty, &caps, &c.N, &c.Cameras, &c.Scale, &c.People, &c.PeopleSum); err != nil {
			return nil, false, err
		}
		c.Doc, c.Capabilities = []byte(doc), strings.Fields(caps)
		out = append(out, c)
	}
	return out, true, rows.Err()
}

// ClassMembers lists up to limit deployments of the count c after the
// first offset: those whose number of cameras is known (known) by scale,
// largest first, then id, or the others by id. They are read from the
// index of migration 019 in that order, and from it alone: the members
// the index passes over are most of those read, and reading each one's
// row in deployments was most of the index's first computation at 1M.
func (s *reader) ClassMembers(ctx context.Context, c registry.ClassCount, known bool, offset, limit int) ([]registry.ClassMember, error) {
	cond, order := "scale >= 0", "scale DESC, deployment_id"
	if !known {
		cond, order = "scale < 0", "deployment_id" // all -1
	}
	rows, err := s.q.QueryContext(ctx, fmt.Sprintf(`SELECT deployment_id, scale FROM deployment_classes
WHERE class = $1 AND jurisdiction = $2 AND year = $3 AND certainty = $4 AND capabilities = $5 AND %s ORDER BY %s LIMIT %d OFFSET %d`, cond, order, max(limit, 0), max(offset, 0)),
		c.Class, c.Jurisdiction, c.Year, c.Certainty, strings.Join(c.Capabilities, " "))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []registry.ClassMember
	for rows.Next() {
		var m registry.ClassMember
		if err := rows.Scan(&m.ID, &m.Scale); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// titlesAtOnce is how many ids one statement of DeploymentTitles names,
// below the engines' limits on parameters.
const titlesAtOnce = 500

// DeploymentTitles returns the titles of the deployments ids names, by id,
// a statement for each titlesAtOnce of them; an id the register does not
// hold has none.
func (s *reader) DeploymentTitles(ctx context.Context, ids []string) (map[string]string, error) {
	out := make(map[string]string, len(ids))
	for chunk := range slices.Chunk(ids, titlesAtOnce) {
		marks := make([]string, len(chunk))
		args := make([]any, len(chunk))
		for i, id := range chunk {
			marks[i], args[i] = fmt.Sprintf("$%d", i+1), id
		}
		rows, err := s.q.QueryContext(ctx, "SELECT id, title FROM deployments WHERE id IN ("+strings.Join(marks, ", ")+")", args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id, title string
			if err := rows.Scan(&id, &title); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = title
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
