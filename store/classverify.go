package store

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
)

// maxClassMismatches bounds how many differences each check of the class
// projection names.
const maxClassMismatches = 20

// verifyClassRows compares the stored class rows of deployments with want,
// the rows their projector gives now (by deployment id), naming each
// deployment whose row differs or is missing.
func (s *reader) verifyClassRows(ctx context.Context, want map[string][]any) ([]Mismatch, error) {
	if len(want) == 0 {
		return nil, nil
	}
	list, err := json.Marshal(slices.Sorted(maps.Keys(want)))
	if err != nil {
		return nil, err
	}
	rows, err := s.q.QueryContext(ctx, "SELECT deployment_id, class, jurisdiction, year, certainty, capabilities, scale, people FROM deployment_classes WHERE "+
		s.d.inJSON("deployment_id", "$1"), string(list))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	got := map[string]string{}
	for rows.Next() {
		var id, class, juris, certainty, caps string
		var year, scale int64
		var people *int64
		if err := rows.Scan(&id, &class, &juris, &year, &certainty, &caps, &scale, &people); err != nil {
			return nil, err
		}
		got[id] = classText(class, juris, year, certainty, caps, scale, people)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []Mismatch
	for _, id := range slices.Sorted(maps.Keys(want)) {
		v := want[id]
		var people *int64
		if p, ok := v[7].(int64); ok {
			people = &p
		}
		w := classText(v[1].(string), v[2].(string), v[3].(int64), v[4].(string), v[5].(string), v[6].(int64), people)
		if g, ok := got[id]; (!ok || g != w) && len(out) < maxClassMismatches {
			if !ok {
				g = "no row"
			}
			out = append(out, Mismatch{What: tDepClasses.name, Detail: fmt.Sprintf("deployment %s: the frameworks give %s, the table holds %s", id, w, g)})
		}
	}
	return out, nil
}

// classText writes a class row for a person.
func classText(class, jurisdiction string, year int64, certainty, caps string, scale int64, people *int64) string {
	p := "unknown"
	if people != nil {
		p = fmt.Sprint(*people)
	}
	return fmt.Sprintf("class %s, %s %d %s [%s], scale %d, people %s", class, jurisdiction, year, certainty, caps, scale, p)
}

// verifyClassCounts checks what the class rows alone decide: no row of a
// deployment the register does not hold, a document under each class
// digest that is its digest, and class_counts equal to the class rows
// counted again, naming each count that differs.
func (s *reader) verifyClassCounts(ctx context.Context) ([]Mismatch, error) {
	var out []Mismatch
	bad := func(what, format string, args ...any) {
		if len(out) < maxClassMismatches {
			out = append(out, Mismatch{What: what, Detail: fmt.Sprintf(format, args...)})
		}
	}
	var orphans, undocumented int
	if err := s.q.QueryRowContext(ctx, "SELECT count(*) FROM deployment_classes c WHERE NOT EXISTS (SELECT 1 FROM deployments d WHERE d.id = c.deployment_id)").Scan(&orphans); err != nil {
		return nil, err
	}
	if orphans > 0 {
		bad(tDepClasses.name, "%d rows of deployments the register does not hold", orphans)
	}
	if err := s.q.QueryRowContext(ctx, "SELECT count(*) FROM deployment_classes c WHERE NOT EXISTS (SELECT 1 FROM fact_classes f WHERE f.class = c.class)").Scan(&undocumented); err != nil {
		return nil, err
	}
	if undocumented > 0 {
		bad(tDepClasses.name, "%d rows name a class with no document in fact_classes", undocumented)
	}
	docs, err := s.q.QueryContext(ctx, "SELECT class, doc FROM fact_classes")
	if err != nil {
		return nil, err
	}
	defer docs.Close()
	for docs.Next() {
		var class, doc string
		if err := docs.Scan(&class, &doc); err != nil {
			return nil, err
		}
		if classDigest([]byte(doc)) != class {
			bad(tFactClasses.name, "class %s holds a document whose digest is %s", class, classDigest([]byte(doc)))
		}
	}
	if err := docs.Err(); err != nil {
		return nil, err
	}
	const cols = "class, jurisdiction, year, certainty, capabilities"
	read := func(q string) (map[string]string, error) {
		rows, err := s.q.QueryContext(ctx, q)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		m := map[string]string{}
		for rows.Next() {
			var class, juris, certainty, caps string
			var year, n, cameras, scale, people, peopleSum int64
			if err := rows.Scan(&class, &juris, &year, &certainty, &caps, &n, &cameras, &scale, &people, &peopleSum); err != nil {
				return nil, err
			}
			m[fmt.Sprintf("class %s, %s %d %s [%s]", class, juris, year, certainty, caps)] =
				fmt.Sprintf("%d deployments, %d with cameras (scale %d), %d with people covered (%d)", n, cameras, scale, people, peopleSum)
		}
		return m, rows.Err()
	}
	stored, err := read("SELECT " + cols + ", n, cameras, scale, people, people_sum FROM class_counts")
	if err != nil {
		return nil, err
	}
	counted, err := read("SELECT " + cols + `, count(*), sum(CASE WHEN scale >= 0 THEN 1 ELSE 0 END), sum(CASE WHEN scale >= 0 THEN scale ELSE 0 END),
count(people), coalesce(sum(people), 0) FROM deployment_classes GROUP BY ` + cols)
	if err != nil {
		return nil, err
	}
	for _, k := range slices.Sorted(maps.Keys(stored)) {
		if want, ok := counted[k]; !ok {
			bad("class_counts", "%s: the table holds %s, the classes count none", k, stored[k])
		} else if want != stored[k] {
			bad("class_counts", "%s: the table holds %s, the classes count %s", k, stored[k], want)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(counted)) {
		if _, ok := stored[k]; !ok {
			bad("class_counts", "%s: the classes count %s, the table holds no row", k, counted[k])
		}
	}
	return out, nil
}
