package monitor_test

import (
	"context"
	"database/sql"
	"errors"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"

	"oversight/internal/fixture"
	"oversight/internal/testcls"
	"oversight/internal/testreg"
	"oversight/monitor"
	"oversight/registry"
	"oversight/store"
	"oversight/web"
)

// register opens a SQLite register in dir signed with the key kept in
// keyDir, holding set.
func register(t testing.TB, dir, keyDir string, set *registry.Set) (*store.DB, string) {
	t.Helper()
	path := filepath.Join(dir, "oversight.db")
	return testreg.OpenAt(t, path, keyDir, set), path
}

// serve serves db with a server of its own, so that no answer cached
// before a test tampers with the database is served after.
func serve(t testing.TB, db *store.DB) string {
	t.Helper()
	h, err := web.New(db, testcls.New(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

func wantAlarm(t *testing.T, err error, kind, says string) {
	t.Helper()
	var a *monitor.Alarm
	if !errors.As(err, &a) || a.Kind != kind || !strings.Contains(a.Msg, says) {
		t.Fatalf("want a %q alarm saying %q, got %v", kind, says, err)
	}
}

// TestMonitor: a monitor follows a register from outside as it grows,
// then catches each way of tampering with it, naming it: an API answer
// edited in the database, a revision rewritten in the database, a log
// truncated and signed again, a history rewritten and signed again, and a
// checkpoint signed by another key.
func TestMonitor(t *testing.T) {
	ctx := context.Background()
	keyDir := t.TempDir()
	db, path := register(t, t.TempDir(), keyDir, fixture.Set(300))
	verifier, err := note.NewVerifier(db.Key().Public)
	if err != nil {
		t.Fatal(err)
	}
	stateDir := t.TempDir()
	cfg := func(url string) monitor.Config {
		return monitor.Config{URL: url, Verifier: verifier, StateDir: stateDir, Sample: -1}
	}
	size, _ := db.Size(ctx)
	rep, err := monitor.Run(ctx, cfg(serve(t, db)))
	if err != nil {
		t.Fatal(err)
	}
	if rep.From != 0 || rep.To != size || rep.Entries != int(size) || rep.Compared != 300 {
		t.Fatalf("first run: %+v", rep)
	}

	// The register grows by changes, a retraction and a merge; the monitor
	// checks only what is new, and the answers still agree.
	more := fixture.Set(320)
	more.Deployments = more.Deployments[290:]
	more.Deployments[0].Title = "Changed title"
	if _, err := db.Apply(ctx, more, store.Meta{Author: "test"}, nil); err != nil {
		t.Fatal(err)
	}
	ids := fixture.Set(320).Deployments
	if _, err := db.Retract(ctx, "deployment", ids[1].ID, store.Meta{Author: "test", Reason: "a test retraction"}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Merge(ctx, "deployment", ids[2].ID, ids[3].ID, store.Meta{Author: "test", Reason: "a test merge"}); err != nil {
		t.Fatal(err)
	}
	size2, _ := db.Size(ctx)
	rep, err = monitor.Run(ctx, cfg(serve(t, db)))
	if err != nil {
		t.Fatal(err)
	}
	if rep.From != size || rep.To != size2 || rep.Entries != int(size2-size) || rep.Compared != 320 {
		t.Fatalf("second run: %+v", rep)
	}
	last, _ := monitor.LastCheckpoint(stateDir)

	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := raw.Exec(q, args...); err != nil {
			t.Fatal(err)
		}
	}

	// An API answer edited behind the log's back.
	victim := ids[10].ID
	exec("UPDATE entities SET state = replace(state, 'Synthetic City', 'Elsewhere') WHERE kind = 'deployment' AND id = ?", victim)
	_, err = monitor.Run(ctx, cfg(serve(t, db)))
	wantAlarm(t, err, monitor.APIDiffers, "deployment "+victim+": the API's place")
	exec("UPDATE entities SET state = replace(state, 'Elsewhere', 'Synthetic City') WHERE kind = 'deployment' AND id = ?", victim)

	// The same edit made to the logged content too: the content no longer
	// hashes to the commitment its entry holds.
	exec("UPDATE entities SET state = replace(state, 'Synthetic City', 'Elsewhere') WHERE kind = 'deployment' AND id = ?", victim)
	exec("UPDATE revision_content SET content = replace(content, 'Synthetic City', 'Elsewhere') WHERE seq = (SELECT seq FROM entities WHERE kind = 'deployment' AND id = ?)", victim)
	_, err = monitor.Run(ctx, cfg(serve(t, db)))
	wantAlarm(t, err, monitor.BadContent, "do not hash to the commitment")
	exec("UPDATE entities SET state = replace(state, 'Elsewhere', 'Synthetic City') WHERE kind = 'deployment' AND id = ?", victim)
	exec("UPDATE revision_content SET content = replace(content, 'Elsewhere', 'Synthetic City') WHERE seq = (SELECT seq FROM entities WHERE kind = 'deployment' AND id = ?)", victim)

	// A redaction: the monitor catches up across it, once the register
	// no longer serves the content it removed.
	hist, err := db.History(ctx, "deployment", more.Deployments[0].ID)
	if err != nil || len(hist) < 2 {
		t.Fatal(hist, err)
	}
	redacted := hist[len(hist)-2].Seq
	if _, err := db.Redact(ctx, redacted, store.Meta{Author: "test", Reason: "a test redaction"}); err != nil {
		t.Fatal(err)
	}
	exec("INSERT INTO revision_content (seq, salt, content) SELECT ?, salt, content FROM revision_content WHERE seq = ?", redacted, redacted+1)
	_, err = monitor.Run(ctx, cfg(serve(t, db)))
	wantAlarm(t, err, monitor.APIDiffers, "but GET /log/content/")
	exec("DELETE FROM revision_content WHERE seq = ?", redacted)
	if rep, err = monitor.Run(ctx, cfg(serve(t, db))); err != nil || rep.Entries != 1 {
		t.Fatalf("after a redaction: %+v %v", rep, err)
	}
	last, _ = monitor.LastCheckpoint(stateDir)
	size2++

	// A revision rewritten in the database: its entry no longer hashes to
	// the leaf the signed tree holds. (The monitor reads the entries it has
	// not seen; grow the log so that the rewritten one is new to it.)
	more = fixture.Set(330)
	more.Deployments = more.Deployments[320:]
	if _, err := db.Apply(ctx, more, store.Meta{Author: "test"}, nil); err != nil {
		t.Fatal(err)
	}
	exec("UPDATE revisions SET record = replace(record, '\"author\":\"test\"', '\"author\":\"mallory\"') WHERE seq = ?", size2+3)
	_, err = monitor.Run(ctx, cfg(serve(t, db)))
	wantAlarm(t, err, monitor.BadEntry, "does not hash to the tree's leaf")

	// A register signed with the same key that shows a shorter log, and
	// one that shows a different history of the same length: a truncation
	// and a fork, each with a checkpoint the key really signed.
	short, _ := register(t, t.TempDir(), keyDir, fixture.Set(100))
	_, err = monitor.Run(ctx, cfg(serve(t, short)))
	wantAlarm(t, err, monitor.Truncated, "a checkpoint of")
	forked := fixture.Set(400)
	forked.Deployments[0].Title = "A different history"
	fork, _ := register(t, t.TempDir(), keyDir, forked)
	_, err = monitor.Run(ctx, cfg(serve(t, fork)))
	wantAlarm(t, err, monitor.Rewritten, "does not contain the log")

	// A checkpoint signed by another key.
	other, _ := register(t, t.TempDir(), t.TempDir(), fixture.Set(400))
	_, err = monitor.Run(ctx, cfg(serve(t, other)))
	wantAlarm(t, err, monitor.BadSignature, "")

	// None of the alarms moved the monitor's state.
	if now, _ := monitor.LastCheckpoint(stateDir); string(now) != string(last) {
		t.Errorf("the monitor's checkpoint moved on an alarm:\n%s\n%s", last, now)
	}
}
