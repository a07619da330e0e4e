package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/tlog"

	"oversight/internal/fixture"
	"oversight/ledger"
	"oversight/registry"
)

// The bytes a redacted revision carried, each unique to it: its state
// (a title), its reason and its contributor.
const (
	secretTitle       = "Personal-Data-Marker-7f3a"
	secretReason      = "Reason-Marker-c41d"
	secretContributor = "Contributor-Marker-99e2"
)

// redactedRegister holds a deployment whose revision secret carried the
// markers and was then replaced by a later update.
func redactedRegister(t *testing.T) (db *DB, d *registry.Deployment, secret int64) {
	t.Helper()
	ctx := context.Background()
	db = open(t)
	apply(t, db, fixture.Set(3))
	d = fixture.Deployment(1, "PH", "vendor-a")
	d.Title = secretTitle
	res, err := db.Apply(ctx, &registry.Set{Deployments: []*registry.Deployment{d}}, Meta{Author: "rev", Reason: secretReason, Contributor: secretContributor}, nil)
	if err != nil {
		t.Fatal(err)
	}
	secret = res.Size - 1
	d.Title = "A title without personal data"
	apply(t, db, &registry.Set{Deployments: []*registry.Deployment{d}})
	return db, d, secret
}

// TestRedact redacts a revision and checks that its content is gone from
// every table, that every inclusion proof and every consistency proof
// between the signed checkpoints still checks, that verify passes and
// lists the redaction, and that rebuild works across it.
func TestRedact(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, d, secret := redactedRegister(t)
	if !strings.Contains(dump(t, db), secretTitle) {
		t.Fatal("the dump does not hold the marker before the redaction: the test would prove nothing")
	}
	_, before, err := db.Checkpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	red, err := db.Redact(ctx, secret, Meta{Author: "court-clerk", Reason: "court order 2026/17"})
	if err != nil {
		t.Fatal(err)
	}
	if red.Seq != secret || red.By != before.Size || red.Reason != "court order 2026/17" {
		t.Fatalf("redaction %+v, want of %d by %d", red, secret, before.Size)
	}

	// The content is gone from every table.
	all := dump(t, db)
	for _, m := range []string{secretTitle, secretReason, secretContributor} {
		if strings.Contains(all, m) {
			t.Errorf("%q is still in the database after the redaction", m)
		}
	}

	// Every proof still checks against the signed checkpoints.
	checkAllProofs(t, db, before)

	// verify passes and lists the redaction.
	rep, err := db.Verify(ctx)
	if err != nil || !rep.OK() {
		t.Fatalf("verify after a redaction: %v %v", err, rep.Mismatches)
	}
	if len(rep.Redactions) != 1 || rep.Redactions[0].Seq != secret || rep.Redactions[0].By != red.By || rep.Redactions[0].Reason != red.Reason {
		t.Fatalf("verify lists %+v, want the redaction of %d", rep.Redactions, secret)
	}

	// The revision reads as redacted; its content as the redaction.
	rev, _, err := db.Revision(ctx, secret)
	if err != nil || !rev.Redacted || rev.State != nil || rev.Reason != "" || rev.Contributor != "" {
		t.Fatalf("revision %d after redaction: %+v %v", secret, rev, err)
	}
	var gone *registry.RedactedError
	if _, _, err := db.Content(ctx, secret); !errors.As(err, &gone) || gone.By != red.By || gone.Reason != red.Reason {
		t.Fatalf("content of %d: %v, want the redaction by %d", secret, err, red.By)
	}
	hist, err := db.History(ctx, "deployment", d.ID)
	if last := len(hist) - 1; err != nil || last < 2 || hist[last].Op != "redact" || *hist[last].Redacts != secret || hist[last-2].Seq != secret || !hist[last-2].Redacted {
		t.Fatalf("history: %v %v", hist, err)
	}

	// Rebuild replays across it, and the register still verifies.
	if _, err := db.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	verifyOK(t, db)

	// Content put back behind the program's back (a restored backup,
	// say) is caught.
	if _, err := db.db.ExecContext(ctx, "INSERT INTO revision_content (seq, salt, content) SELECT $1, salt, content FROM revision_content WHERE seq = $2", secret, secret-1); err != nil {
		t.Fatal(err)
	}
	rep, err = db.Verify(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("revision_content: revision %d", secret); rep.OK() || !strings.Contains(fmt.Sprint(rep.Mismatches), want) {
		t.Fatalf("content restored after a redaction: want a mismatch naming %q, got %v", want, rep.Mismatches)
	}
}

// TestRedactRefuses checks each redaction that must not happen: each is
// refused with an error saying why, and writes nothing.
func TestRedactRefuses(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, d, secret := redactedRegister(t)
	red, err := db.Redact(ctx, secret, Meta{Author: "court-clerk", Reason: "court order"})
	if err != nil {
		t.Fatal(err)
	}
	cur, err := db.History(ctx, "deployment", d.ID)
	if err != nil {
		t.Fatal(err)
	}
	current := cur[len(cur)-2].Seq // before the redaction
	// A retraction to refuse too: vendor-z is cited by nothing.
	apply(t, db, &registry.Set{Vendors: []*registry.Vendor{fixture.Vendor("vendor-z", "SG")}})
	tomb, err := db.Retract(ctx, "vendor", "vendor-z", Meta{Author: "test", Reason: "no source"})
	if err != nil {
		t.Fatal(err)
	}
	log := logContents(t, db)
	for _, c := range []struct {
		name string
		n    int64
		meta Meta
		code registry.Code
		want string
	}{
		{"current state", current, Meta{Author: "a", Reason: "r"}, registry.EConflict, fmt.Sprintf("revision %d is the current state of deployment %s: update the record (or retract it) first", current, d.ID)},
		{"already redacted", secret, Meta{Author: "a", Reason: "r"}, registry.EConflict, fmt.Sprintf("revision %d was already redacted by revision %d", secret, red.By)},
		{"a redaction", red.By, Meta{Author: "a", Reason: "r"}, registry.EConflict, fmt.Sprintf("revision %d is a redaction", red.By)},
		{"a retraction", tomb.Tombstone.Seq, Meta{Author: "a", Reason: "r"}, registry.EConflict, "is a retraction"},
		{"beyond the log", 1000, Meta{Author: "a", Reason: "r"}, registry.ENotFound, "revision 1000"},
		{"negative", -1, Meta{Author: "a", Reason: "r"}, registry.ENotFound, "revision -1"},
		{"no reason", secret - 1, Meta{Author: "a"}, registry.EInvalid, "reason"},
		{"no author", secret - 1, Meta{Reason: "r"}, registry.EInvalid, "author"},
	} {
		_, err := db.Redact(ctx, c.n, c.meta)
		if err == nil || registry.ErrorCode(err) != c.code || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v (code %s), want %s mentioning %q", c.name, err, registry.ErrorCode(err), c.code, c.want)
		}
		if after := logContents(t, db); after != log {
			t.Errorf("%s: a refused redaction wrote to the log", c.name)
		}
	}
	verifyOK(t, db)
}

// dump returns every row of every table of db as text.
func dump(t *testing.T, db *DB) string {
	t.Helper()
	ctx := context.Background()
	q := "SELECT name FROM sqlite_master WHERE type = 'table'"
	if db.d.name == "postgres" {
		q = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
	}
	rows, err := db.db.QueryContext(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	rows.Close()
	if len(tables) < 10 {
		t.Fatalf("only %d tables found: %v", len(tables), tables)
	}
	var b strings.Builder
	for _, name := range tables {
		rows, err := db.db.QueryContext(ctx, "SELECT * FROM "+name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		cols, _ := rows.Columns()
		vals, ptrs := make([]any, len(cols)), make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for _, v := range vals {
				if bs, ok := v.([]byte); ok {
					v = string(bs)
				}
				fmt.Fprint(&b, v, "\t")
			}
			b.WriteByte('\n')
		}
		rows.Close()
	}
	return b.String()
}

// checkAllProofs checks, with x/mod's tlog alone, every revision's
// inclusion proof in the latest signed checkpoint, and the consistency of
// every stored checkpoint, and of old, with the latest.
func checkAllProofs(t *testing.T, db *DB, old ledger.Checkpoint) {
	t.Helper()
	ctx := context.Background()
	_, cp, err := db.Checkpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := db.Records(ctx, 0, cp.Size)
	if err != nil || int64(len(recs)) != cp.Size {
		t.Fatalf("records: %d, %v", len(recs), err)
	}
	for i, rec := range recs {
		p, err := db.InclusionProof(ctx, int64(i), cp.Size)
		if err != nil {
			t.Fatal(err)
		}
		if err := tlog.CheckRecord(p, cp.Size, cp.Hash, int64(i), tlog.RecordHash(rec)); err != nil {
			t.Errorf("inclusion of revision %d: %v", i, err)
		}
	}
	rows, err := db.db.QueryContext(ctx, "SELECT signed FROM checkpoints ORDER BY size")
	if err != nil {
		t.Fatal(err)
	}
	cps := []ledger.Checkpoint{old}
	for rows.Next() {
		var signed []byte
		if err := rows.Scan(&signed); err != nil {
			t.Fatal(err)
		}
		c, err := ledger.Open(signed, db.Key().Verifier)
		if err != nil {
			t.Fatal(err)
		}
		cps = append(cps, c)
	}
	rows.Close()
	for _, c := range cps {
		p, err := db.ConsistencyProof(ctx, c.Size, cp.Size)
		if err != nil {
			t.Fatal(err)
		}
		if err := tlog.CheckTree(p, cp.Size, cp.Hash, c.Size, c.Hash); err != nil {
			t.Errorf("consistency of the checkpoint of %d with %d: %v", c.Size, cp.Size, err)
		}
	}
}
