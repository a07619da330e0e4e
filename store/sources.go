package store

import (
	"context"
	"database/sql"
	"fmt"

	"oversight/registry"
)

// Sources lists the distinct source URLs the register cites, ordered by URL.
func (s *reader) Sources(ctx context.Context, cursor string, limit int) (registry.Page[registry.SourceUse], error) {
	var p registry.Page[registry.SourceUse]
	if limit <= 0 || limit > registry.MaxLimit {
		limit = registry.MaxLimit
	}
	args := []any{}
	q := "SELECT DISTINCT url FROM sources"
	if cursor != "" {
		after, err := registry.CursorKey(cursor)
		if err != nil {
			return p, err
		}
		q += " WHERE url > $1"
		args = append(args, after)
	}
	q += fmt.Sprintf(" ORDER BY url LIMIT %d", limit+1)
	urls, err := queryStrings(ctx, s.q, q, args...)
	if err != nil {
		return p, err
	}
	if len(urls) > limit {
		urls = urls[:limit]
		p.Next = registry.Cursor(urls[limit-1])
	}
	for _, u := range urls {
		use := registry.SourceUse{URL: u}
		rows, err := s.q.QueryContext(ctx, "SELECT kind, entity_id, title, publisher, published FROM sources WHERE url = $1 ORDER BY kind, entity_id", u)
		if err != nil {
			return p, err
		}
		for rows.Next() {
			var id registry.EntityID
			var title, pub, published sql.NullString
			if err := rows.Scan(&id.Kind, &id.ID, &title, &pub, &published); err != nil {
				rows.Close()
				return p, err
			}
			use.CitedBy = append(use.CitedBy, id)
			use.Title = firstNonEmpty(use.Title, title.String)
			use.Publisher = firstNonEmpty(use.Publisher, pub.String)
			use.Published = firstNonEmpty(use.Published, published.String)
		}
		rows.Close()
		p.Items = append(p.Items, use)
	}
	return p, nil
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// queryStrings reads a query of one text column, in the order it returns
// the rows.
func queryStrings(ctx context.Context, db querier, q string, args ...any) ([]string, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
