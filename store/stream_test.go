package store

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"oversight/internal/fixture"
	"oversight/registry"
)

// entities is a Stream of a list of records, in the list's order.
type entities []registry.Entity

func (s *entities) Next() (registry.Entity, error) {
	if len(*s) == 0 {
		return nil, io.EOF
	}
	e := (*s)[0]
	*s = (*s)[1:]
	return e, nil
}

// streamOf lists a set's deployments first, then the records they name:
// the order Apply could not take, which a stream must.
func streamOf(set *registry.Set) *entities {
	var s entities
	for _, d := range set.Deployments {
		s = append(s, d)
	}
	for _, j := range set.Jurisdictions {
		s = append(s, j)
	}
	for _, v := range set.Vendors {
		s = append(s, v)
	}
	return &s
}

// TestApplyStream streams more records than one batch, naming records
// that come after them, logs them in the stream's order, and finds them
// all unchanged when streamed again.
func TestApplyStream(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t)
	set := fixture.Set(2*streamBatch + 10)
	res, err := db.ApplyStream(ctx, streamOf(set), Meta{Author: "test"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	n := len(set.Deployments) + len(set.Jurisdictions) + len(set.Vendors)
	if res.Created != n || res.Size != int64(n) {
		t.Fatalf("created %d, log size %d; want %d", res.Created, res.Size, n)
	}
	verifyOK(t, db)
	first, _, err := db.Revision(ctx, 0)
	if err != nil || first.Kind != "deployment" || first.ID != set.Deployments[0].ID {
		t.Fatalf("revision 0 is %v, %v; want the stream's first record", first, err)
	}
	res, err = db.ApplyStream(ctx, streamOf(set), Meta{Author: "test"}, nil)
	if err != nil || res.Unchanged != n || res.Size != int64(n) {
		t.Fatalf("streamed again: %+v, %v; want %d unchanged", res, err, n)
	}
}

// TestApplyStreamRefuses checks that a stream refused anywhere, even
// after batches of it were written, leaves the register as it was, and
// reports each problem at the record's index among its kind's.
func TestApplyStreamRefuses(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t)
	apply(t, db, fixture.Set(3))
	if _, err := db.Retract(ctx, "deployment", fixture.Set(3).Deployments[2].ID, Meta{Author: "test", Reason: "test"}); err != nil {
		t.Fatal(err)
	}
	size, err := db.Size(ctx)
	if err != nil {
		t.Fatal(err)
	}
	many := func() *registry.Set {
		set := fixture.Set(0)
		for i := range 3 * streamBatch {
			set.Deployments = append(set.Deployments, fixture.Deployment(100+i, "PK", "vendor-a"))
		}
		return set
	}
	last := 3*streamBatch - 1
	cases := []struct {
		name  string
		edit  func(s *registry.Set)
		index int // of the deployment refused
		want  string
	}{
		{"invalid", func(s *registry.Set) { s.Deployments[last].Certainty = "rumoured" }, last, "certainty"},
		{"duplicate", func(s *registry.Set) { s.Deployments[last].ID = s.Deployments[0].ID }, last, "duplicate id"},
		{"dangling", func(s *registry.Set) { s.Deployments[last].Vendors[0].Vendor = "vendor-z" }, last, `no vendor "vendor-z" in the register or this batch`},
		{"retracted", func(s *registry.Set) { s.Deployments[last] = fixture.Set(3).Deployments[2] }, last, "was retracted on"},
	}
	for _, c := range cases {
		set := many()
		c.edit(set)
		_, err := db.ApplyStream(ctx, streamOf(set), Meta{Author: "test"}, nil)
		var ce *CheckError
		if !errors.As(err, &ce) || len(ce.Errs) != 1 {
			t.Fatalf("%s: %v; want one CheckError", c.name, err)
		}
		if re := ce.Errs[0]; re.Kind != "deployment" || re.Index != c.index || !strings.Contains(re.Error(), c.want) {
			t.Errorf("%s: %s deployment %d: %v; want deployment %d: %s", c.name, re.Kind, re.Index, re, c.index, c.want)
		}
		if now, err := db.Size(ctx); err != nil || now != size {
			t.Errorf("%s: the log has %d revisions after a refused stream, %v; want %d", c.name, now, err, size)
		}
	}
	verifyOK(t, db)

	// An error of the stream itself ends it too.
	broken := errors.New("the file ends mid-record")
	s := streamOf(many())
	_, err = db.ApplyStream(ctx, &failing{s, 2 * streamBatch, broken}, Meta{Author: "test"}, nil)
	if !errors.Is(err, broken) {
		t.Fatalf("a failing stream: %v", err)
	}
	if now, _ := db.Size(ctx); now != size {
		t.Fatalf("a failing stream left %d revisions, want %d", now, size)
	}
}

// failing is a stream that fails after n records.
type failing struct {
	s   Stream
	n   int
	err error
}

func (f *failing) Next() (registry.Entity, error) {
	if f.n == 0 {
		return nil, f.err
	}
	f.n--
	return f.s.Next()
}

// TestApplyStreamTiers checks that a long stream projects the tiers of
// its first deployments and leaves the rest pending, as a write of more
// than tiersInline deployments does, and that ProjectTiers then writes
// the same tiers as classifying each.
func TestApplyStreamTiers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, set, cls := openClassified(t)
	defer func(n int) { db.d.tiersInline = n }(db.d.tiersInline)
	db.d.tiersInline = 3
	var s entities
	for _, e := range set.Entities() {
		s = append(s, e)
	}
	if _, err := db.ApplyStream(ctx, &s, Meta{Author: "test"}, nil); err != nil {
		t.Fatal(err)
	}
	n, err := db.ProjectTiers(ctx)
	if err != nil || n != len(set.Deployments)-db.d.tiersInline {
		t.Fatalf("ProjectTiers after the stream: %d, %v; want %d pending", n, err, len(set.Deployments)-db.d.tiersInline)
	}
	checkTiers(t, db, cls, changeDays(cls))
}

// TestHashCacheBounded checks that the hashes a writer remembers stay
// those of the tree's frontier, however many records it appends.
func TestHashCacheBounded(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t)
	apply(t, db, fixture.Set(1))
	err := db.writeTx(ctx, func(tx *sql.Tx) error {
		var size int64
		if err := tx.QueryRowContext(ctx, db.d.lockHead).Scan(&size); err != nil {
			return err
		}
		tw := newTxWriter(ctx, db.d, tx, nil)
		defer tw.wait()
		w := &writer{txWriter: tw, size: size, hashes: hashCache{read: tw.queryRow, mem: map[int64]tlog.Hash{}}}
		for i := range 3000 {
			d := fixture.Deployment(10+i, "PK", "vendor-a")
			state, err := registry.Canonical(d)
			if err != nil {
				return err
			}
			var res Result
			if err := w.put(d, state, nil, false, Meta{Author: "test", Time: time.Now().UTC().Truncate(time.Second)}, &res); err != nil {
				return err
			}
			if len(w.hashes.mem) > 64 {
				t.Fatalf("after %d records the writer remembers %d hashes", i+1, len(w.hashes.mem))
			}
		}
		if err := w.flush(); err != nil {
			return err
		}
		return w.finish(db.key)
	})
	if err != nil {
		t.Fatal(err)
	}
	verifyOK(t, db)
}
