package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"oversight/registry"
)

// Get returns the current state of one entity.
func (s *reader) Get(ctx context.Context, kind, id string) (registry.Entity, error) {
	var state []byte
	err := s.q.QueryRowContext(ctx, "SELECT state FROM entities WHERE kind = $1 AND id = $2", kind, id).Scan(&state)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, registry.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return registry.Decode(kind, state)
}

// GetMany returns the current states of the entities named, in one query;
// names not in the register are absent from the map.
func (s *reader) GetMany(ctx context.Context, ids []registry.EntityID) (map[registry.EntityID]registry.Entity, error) {
	out := map[registry.EntityID]registry.Entity{}
	if len(ids) == 0 {
		return out, nil
	}
	// A SELECT per kind, its ids one JSON array: a few parameters however
	// many ids there are. UNION ALL rather than OR, under which
	// PostgreSQL cannot turn IN into a join and scans every entity of
	// the kind.
	byKind := map[string][]string{}
	for _, id := range ids {
		byKind[id.Kind] = append(byKind[id.Kind], id.ID)
	}
	var selects []string
	var args []any
	for _, kind := range slices.Sorted(maps.Keys(byKind)) {
		list, err := json.Marshal(byKind[kind])
		if err != nil {
			return nil, err
		}
		args = append(args, kind, string(list))
		selects = append(selects, fmt.Sprintf("SELECT kind, id, state FROM entities WHERE kind = $%d AND %s", len(args)-1, s.d.inJSON("id", fmt.Sprintf("$%d", len(args)))))
	}
	rows, err := s.q.QueryContext(ctx, strings.Join(selects, " UNION ALL "), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id registry.EntityID
		var state []byte
		if err := rows.Scan(&id.Kind, &id.ID, &state); err != nil {
			return nil, err
		}
		e, err := registry.Decode(id.Kind, state)
		if err != nil {
			return nil, err
		}
		out[id] = e
	}
	return out, rows.Err()
}

// Count returns the number of entities of a kind. Deployments are summed
// from deployment_counts, which every write keeps equal to them (verify
// checks it): counting a million rows of entities took more than a second
// on a cold cache, on the home page's first request after each write.
func (s *reader) Count(ctx context.Context, kind string) (int, error) {
	var row *sql.Row
	if kind == "deployment" {
		row = s.q.QueryRowContext(ctx, "SELECT coalesce(sum(n), 0) FROM deployment_counts")
	} else {
		row = s.q.QueryRowContext(ctx, "SELECT COUNT(*) FROM entities WHERE kind = $1", kind)
	}
	var n int
	err := row.Scan(&n)
	return n, err
}

// AnyWithout returns the id of an entity of a kind whose id does not start
// with prefix, or "" when every id does. It reads ids only.
func (s *DB) AnyWithout(ctx context.Context, kind, prefix string) (string, error) {
	var id string
	err := s.db.QueryRowContext(ctx, "SELECT id FROM entities WHERE kind = $1 AND substr(id, 1, $2) <> $3 LIMIT 1", kind, len(prefix), prefix).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id, err
}

// Known answers whether the register holds an entity, for checking a batch
// before it is applied.
func (s *DB) Known(ctx context.Context) registry.Known {
	return func(kind, id string) bool {
		var one int
		return s.db.QueryRowContext(ctx, "SELECT 1 FROM entities WHERE kind = $1 AND id = $2", kind, id).Scan(&one) == nil
	}
}
