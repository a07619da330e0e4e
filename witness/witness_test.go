package witness_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"oversight/internal/fixture"
	"oversight/internal/testcls"
	"oversight/internal/testreg"
	"oversight/monitor"
	"oversight/registry"
	"oversight/store"
	"oversight/web"
	"oversight/witness"
)

func register(t *testing.T, keyDir string, set *registry.Set) *store.DB {
	t.Helper()
	return testreg.OpenAt(t, filepath.Join(t.TempDir(), "o.db"), keyDir, set)
}

func serve(t *testing.T, db *store.DB) string {
	h, err := web.New(db, testcls.New(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestWitnesses: two witnesses on loopback cosign a log's checkpoints as it
// grows; a monitor that requires both finds their cosignatures on the
// served checkpoint. A log signed with the same key that shows another
// history (a fork) is refused by both witnesses, and the monitor reading
// it raises an alarm; so it does for a cosignature forged in the database.
func TestWitnesses(t *testing.T) {
	ctx := context.Background()
	keyDir := t.TempDir()
	db := register(t, keyDir, fixture.Set(20))
	logV, err := note.NewVerifier(db.Key().Public)
	if err != nil {
		t.Fatal(err)
	}
	var clients []*witness.Client
	var verifiers []*witness.Verifier
	for _, name := range []string{"witness.example/w1", "witness.example/w2"} {
		c, err := witness.LoadOrCreateCosigner(t.TempDir(), name)
		if err != nil {
			t.Fatal(err)
		}
		w, err := witness.New(c, []note.Verifier{logV}, filepath.Join(t.TempDir(), "state.json"), time.Now)
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(w)
		t.Cleanup(srv.Close)
		v, err := witness.NewVerifier(c.VerifierKey())
		if err != nil {
			t.Fatal(err)
		}
		clients, verifiers = append(clients, &witness.Client{URL: srv.URL, Verifier: v}), append(verifiers, v)
	}
	if err := witness.Cosign(ctx, db, logV, clients); err != nil {
		t.Fatal(err)
	}
	// The log grows; the witnesses, asked again, check its consistency
	// with what they cosigned (one of them has to learn its size anew).
	more := fixture.Set(30)
	more.Deployments = more.Deployments[20:]
	if _, err := db.Apply(ctx, more, store.Meta{Author: "test"}, nil); err != nil {
		t.Fatal(err)
	}
	clients[1] = &witness.Client{URL: clients[1].URL, Verifier: clients[1].Verifier} // forgot its size
	if err := witness.Cosign(ctx, db, logV, clients); err != nil {
		t.Fatal(err)
	}
	cfg := func(url string) monitor.Config {
		return monitor.Config{URL: url, Verifier: logV, StateDir: t.TempDir(), Sample: 3, Witnesses: verifiers, Quorum: 2}
	}
	rep, err := monitor.Run(ctx, cfg(serve(t, db)))
	if err != nil || rep.Cosigned != 2 {
		t.Fatalf("monitor: %+v, %v", rep, err)
	}

	// A fork: the same key signs another history, longer than the one
	// the witnesses saw. Neither cosigns it.
	forked := fixture.Set(40)
	forked.Deployments[0].Title = "Another history"
	fork := register(t, keyDir, forked)
	err = witness.Cosign(ctx, fork, logV, clients)
	if err == nil || !strings.Contains(err.Error(), "witness.example/w1") || !strings.Contains(err.Error(), "not consistent") {
		t.Errorf("the witnesses cosigned a fork: %v", err)
	}
	_, err = monitor.Run(ctx, cfg(serve(t, fork)))
	wantAlarm(t, err, monitor.FewWitnesses)

	// A cosignature edited in the database no longer verifies.
	size, _ := db.Size(ctx)
	sn, _ := db.Snapshot(ctx)
	lines, _ := sn.Cosignatures(ctx, size)
	sn.Close()
	b := []byte(lines[0])
	i := len(b) - 6 // a character of the signature, not its padding
	b[i] = map[bool]byte{true: 'B', false: 'A'}[b[i] == 'A']
	forged := string(b)
	if err := db.AddCosignature(ctx, size, "witness.example/w1", forged); err != nil {
		t.Fatal(err)
	}
	_, err = monitor.Run(ctx, cfg(serve(t, db)))
	wantAlarm(t, err, monitor.BadCosig)
}

func wantAlarm(t *testing.T, err error, kind string) {
	t.Helper()
	var a *monitor.Alarm
	if !errors.As(err, &a) || a.Kind != kind {
		t.Fatalf("want a %q alarm, got %v", kind, err)
	}
}
