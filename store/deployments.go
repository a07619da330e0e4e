package store

import (
	"context"
	"fmt"
	"strings"

	"oversight/registry"
)

// Deployments lists deployments matching f, ordered by id.
func (s *reader) Deployments(ctx context.Context, f registry.DeploymentFilter) (registry.Page[*registry.Deployment], error) {
	f, p, err := s.deploymentConditions(ctx, f)
	if err != nil {
		return registry.Page[*registry.Deployment]{}, err
	}
	if f.Match == nil {
		return s.page(ctx, p, f.Cursor, f.Limit, nil)
	}
	return s.matching(ctx, f, p)
}

// deploymentConditions returns the plan of a page of f (pagePlan), and f
// with, in its Match, the test of a tier filter that the tier projection
// cannot answer yet.
func (s *reader) deploymentConditions(ctx context.Context, f registry.DeploymentFilter) (registry.DeploymentFilter, plan, error) {
	indexed, err := s.tiersUsable(ctx, f.Tier)
	if err != nil {
		return f, plan{}, err
	}
	p, err := s.pagePlan(ctx, f, indexed)
	if err != nil {
		return f, plan{}, err
	}
	if f.Tier != nil && !indexed {
		m, err := s.tierMatch(ctx, f.Tier)
		if err != nil {
			return f, plan{}, err
		}
		if prev := f.Match; prev != nil {
			f.Match = func(d *registry.Deployment) (bool, error) {
				ok, err := prev(d)
				if !ok || err != nil {
					return ok, err
				}
				return m(d)
			}
		} else {
			f.Match = m
		}
	}
	return f, p, nil
}

// DeploymentStates is Deployments with each deployment's stored state in
// place of the decoded record, read as it is stored, whatever the page's
// shape. Under a Match (a tier filter while tiers are pending), it
// decodes as Deployments does and encodes each selected record again.
func (s *reader) DeploymentStates(ctx context.Context, f registry.DeploymentFilter) (registry.Page[registry.Stored], error) {
	f, p, err := s.deploymentConditions(ctx, f)
	if err != nil {
		return registry.Page[registry.Stored]{}, err
	}
	if f.Match == nil {
		return planPage[registry.Stored](ctx, s, p, f.Cursor, f.Limit, nil)
	}
	d, err := s.matching(ctx, f, p)
	out := registry.Page[registry.Stored]{Next: d.Next, Items: make([]registry.Stored, len(d.Items))}
	for i, item := range d.Items {
		if err == nil {
			out.Items[i].ID = item.ID
			out.Items[i].State, err = registry.Canonical(item)
		}
	}
	return out, err
}

// placeholders is the parenthesised list of the placeholders of values,
// each given to arg.
func placeholders(arg func(any) string, values []string) string {
	ph := make([]string, len(values))
	for i, v := range values {
		ph[i] = arg(v)
	}
	return "(" + strings.Join(ph, ", ") + ")"
}

// matching reads pages of what the SQL conditions select and keeps what
// f.Match accepts, until the page is full or registry.MatchScan were read.
func (s *reader) matching(ctx context.Context, f registry.DeploymentFilter, pl plan) (registry.Page[*registry.Deployment], error) {
	var out registry.Page[*registry.Deployment]
	limit := f.Limit
	if limit <= 0 || limit > registry.MaxLimit {
		limit = registry.MaxLimit
	}
	cursor, read := f.Cursor, 0
	for {
		p, err := s.page(ctx, pl, cursor, registry.MaxLimit, nil)
		if err != nil {
			return out, err
		}
		for i, d := range p.Items {
			read++
			ok, err := f.Match(d)
			if err != nil {
				return out, err
			}
			if !ok {
				continue
			}
			out.Items = append(out.Items, d)
			if len(out.Items) == limit {
				if i < len(p.Items)-1 || p.Next != "" {
					out.Next = registry.Cursor(d.ID)
				}
				return out, nil
			}
		}
		if p.Next == "" || read >= registry.MatchScan {
			out.Next = p.Next
			return out, nil
		}
		cursor = p.Next
	}
}

// List lists the entities of one kind, ordered by id, optionally only those
// of one jurisdiction (for claims and instruments).
func (s *reader) List(ctx context.Context, kind, jurisdiction, cursor string, limit int) (registry.Page[registry.Entity], error) {
	var where []string
	var args []any
	from, key := "entities e", "e.id"
	where = append(where, "e.kind = $1")
	args = append(args, kind)
	if jurisdiction != "" {
		t := map[string]string{"claim": "claims", "instrument": "instruments", "deployment": "deployments"}[kind]
		if t == "" {
			return registry.Page[registry.Entity]{}, fmt.Errorf("%s cannot be listed by jurisdiction", kind)
		}
		where = append(where, "e.id IN (SELECT id FROM "+t+" WHERE jurisdiction = $2)")
		args = append(args, jurisdiction)
	}
	return pageOf[registry.Entity](ctx, s, kind, from, key, where, args, cursor, limit)
}

// pageOf runs a keyset-paginated query for entities of kind whose table is
// aliased in from, ordered and cut by key: e.id, the entities table's, or
// the id of the projected table in from, which pageOf joins to entities.
// T is the entity type of kind, or registry.Stored for the states undecoded.
func pageOf[T any](ctx context.Context, s *reader, kind, from, key string, where []string, args []any, cursor string, limit int) (registry.Page[T], error) {
	var p registry.Page[T]
	if limit <= 0 || limit > registry.MaxLimit {
		limit = registry.MaxLimit
	}
	q, args, err := pageQuery(kind, from, key, where, args, cursor, limit)
	if err != nil {
		return p, err
	}
	rows, err := s.q.QueryContext(ctx, q, args...)
	if err != nil {
		return p, err
	}
	defer rows.Close()
	var last string // the id of the page's last item
	for rows.Next() {
		var id string
		var state []byte
		if err := rows.Scan(&id, &state); err != nil {
			return p, err
		}
		var item T
		if st, ok := any(&item).(*registry.Stored); ok {
			*st = registry.Stored{ID: id, State: state}
		} else {
			e, err := registry.Decode(kind, state)
			if err != nil {
				return p, err
			}
			item = any(e).(T)
		}
		if len(p.Items) < limit {
			last = id
		}
		p.Items = append(p.Items, item)
	}
	if err := rows.Err(); err != nil {
		return p, err
	}
	if len(p.Items) > limit {
		p.Items = p.Items[:limit]
		p.Next = registry.Cursor(last)
	}
	return p, nil
}

// cursorKey is the key a cursor names, "" for none (the first page).
func cursorKey(cursor string) (string, error) {
	if cursor == "" {
		return "", nil
	}
	return registry.CursorKey(cursor)
}

// pageQuery is the statement pageOf runs, and its arguments: limit+1 rows
// from the one after cursor, so that a row past the page says there is a
// next.
func pageQuery(kind, from, key string, where []string, args []any, cursor string, limit int) (string, []any, error) {
	// A from that joins the entities itself (listwalk.go) chose where.
	if !strings.HasPrefix(from, "entities ") && !strings.Contains(from, " entities e ") {
		// kind is one of registry.Kinds, never user input. Without a
		// filter an index gives in order, paging on the entities key lets
		// the planner walk (kind, id) from the cursor; paging on the
		// projected table's key made it sort every entity of the kind for
		// each page.
		table := strings.Fields(from) // "deployments d"
		from += fmt.Sprintf(" JOIN entities e ON e.kind = '%s' AND e.id = %s.id", kind, table[len(table)-1])
	}
	if cursor != "" {
		after, err := registry.CursorKey(cursor)
		if err != nil {
			return "", nil, err
		}
		args = append(args, after)
		where = append(where, fmt.Sprintf("%s > $%d", key, len(args)))
	}
	q := "SELECT e.id, e.state FROM " + from
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	return q + fmt.Sprintf(" ORDER BY %s LIMIT %d", key, limit+1), args, nil
}

// Each calls fn for every entity of a kind in id order, reading in pages so
// that memory stays bounded however large the register is.
func (s *reader) Each(ctx context.Context, kind string, fn func(registry.Entity) error) error {
	return walk("", func(cursor string) (registry.Page[registry.Entity], error) {
		return s.List(ctx, kind, "", cursor, registry.MaxLimit)
	}, fn)
}

// EachDeployment calls fn for every deployment f selects, in id order,
// page by page, from the one after f.Cursor (from the first when empty).
func (s *reader) EachDeployment(ctx context.Context, f registry.DeploymentFilter, fn func(*registry.Deployment) error) error {
	return walkFilter(ctx, f, s.Deployments, fn)
}

// EachDeploymentState is EachDeployment with each deployment's stored
// state in place of the decoded record (DeploymentStates).
func (s *reader) EachDeploymentState(ctx context.Context, f registry.DeploymentFilter, fn func(registry.Stored) error) error {
	return walkFilter(ctx, f, s.DeploymentStates, fn)
}

// walkFilter walks the pages of the largest size that page gives for f,
// from the one after f.Cursor.
func walkFilter[T any](ctx context.Context, f registry.DeploymentFilter, page func(context.Context, registry.DeploymentFilter) (registry.Page[T], error), fn func(T) error) error {
	f.Limit = registry.MaxLimit
	return walk(f.Cursor, func(cursor string) (registry.Page[T], error) {
		f.Cursor = cursor
		return page(ctx, f)
	}, fn)
}

// walk follows a paginated list from the page after cursor to its last.
func walk[T any](cursor string, page func(cursor string) (registry.Page[T], error), fn func(T) error) error {
	for {
		p, err := page(cursor)
		if err != nil {
			return err
		}
		for _, item := range p.Items {
			if err := fn(item); err != nil {
				return err
			}
		}
		if p.Next == "" {
			return nil
		}
		cursor = p.Next
	}
}
