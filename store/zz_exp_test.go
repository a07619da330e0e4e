package store

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"oversight/data"
	"oversight/registry"
	"oversight/synth"
)

func TestZZExp(t *testing.T) {
	base, _ := data.Load()
	ctx := context.Background()
	const n = 20000
	db := open(t)
	apply(t, db, synth.Reference(base))
	apply(t, db, &registry.Set{Deployments: synth.Batch(base, 1, 0, n)})
	var recs [][]byte
	st := time.Now()
	rows, _ := db.db.QueryContext(ctx, "SELECT seq, kind, entity_id, op, record FROM revisions ORDER BY seq")
	tot := 0
	for rows.Next() {
		var seq int64
		var kind, id, op string
		var rec []byte
		rows.Scan(&seq, &kind, &id, &op, &rec)
		recs = append(recs, rec)
		tot += len(rec)
	}
	rows.Close()
	t.Logf("scan revisions: %v per rev, avg %d bytes", time.Since(st)/n, tot/n)
	st = time.Now()
	for _, r := range recs {
		tlog.RecordHash(r)
	}
	t.Logf("leaf hash: %v", time.Since(st)/n)
	st = time.Now()
	var states [][]byte
	for _, r := range recs {
		var rv registry.Revision
		json.Unmarshal(r, &rv)
		states = append(states, rv.State)
	}
	t.Logf("unmarshal rev: %v", time.Since(st)/n)
	st = time.Now()
	var ents []registry.Entity
	for i, s := range states {
		e, err := registry.Decode("deployment", s)
		if i > 1000 && err == nil {
			ents = append(ents, e)
		}
	}
	t.Logf("decode: %v", time.Since(st)/n)
	st = time.Now()
	for _, e := range ents {
		project(e, 1, nil)
	}
	t.Logf("project: %v", time.Since(st)/n)
	for _, tb := range allTables {
		st = time.Now()
		got, _ := db.tableTuples(ctx, tb)
		t.Logf("table %s: %d rows %v per dep", tb.name, len(got), time.Since(st)/n)
	}
	st = time.Now()
	rows, _ = db.db.QueryContext(ctx, "SELECT idx, hash FROM tree_hashes ORDER BY idx")
	for rows.Next() {
		var idx int64
		var b []byte
		rows.Scan(&idx, &b)
	}
	rows.Close()
	t.Logf("tree hashes: %v per dep", time.Since(st)/n)
}
