package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"oversight/account"
	"oversight/internal/fixture"
	"oversight/internal/testcls"
	"oversight/internal/testreg"
)

// BenchmarkSubmit measures submissions accepted per second under load:
// parallel clients send new deployments with evidence to POST
// /api/v1/submissions, on a register of 1,000 synthetic deployments in SQLite; each answer
// comes after the submission is committed (synchronous=FULL).
//
//	go test ./web -run XXX -bench Submit -benchtime 5s
func BenchmarkSubmit(b *testing.B) {
	db := testreg.Open(b, fixture.Set(1000))
	h, err := NewWithOptions(db, testcls.New(b, nil), unlimited)
	if err != nil {
		b.Fatal(err)
	}
	srv := testreg.Serve(b, h)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	var n atomic.Int64
	b.SetParallelism(4)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := client.Post(srv.URL+"/api/v1/submissions", "application/json", strings.NewReader(newProposal(b, 1_000_000+int(n.Add(1)))))
			if err != nil {
				b.Error(err)
				return
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusServiceUnavailable {
				b.Errorf("%d", resp.StatusCode)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "submissions/s")
}

// BenchmarkAccept measures a reviewer's accept of a new deployment, which
// logs it, projects it, signs a checkpoint and closes the submission in one
// transaction, on a register of 1,000 synthetic deployments in SQLite; it reports the median
// and the p99 of the accepts' latency.
//
//	go test ./web -run XXX -bench Accept -benchtime 200x
func BenchmarkAccept(b *testing.B) {
	db := testreg.Open(b, fixture.Set(1000))
	h, err := NewWithOptions(db, testcls.New(b, nil), unlimited)
	if err != nil {
		b.Fatal(err)
	}
	srv := testreg.Serve(b, h)
	rev := newClient(b, srv.URL, testreg.Account(b, db, "rita", account.Reviewer, nil))
	ids := make([]string, b.N)
	for i := range ids {
		a := rev.do("POST", "/api/v1/submissions", newProposal(b, 1_000_000+i))
		if a.status != http.StatusCreated {
			b.Fatalf("%d %s", a.status, a.body)
		}
		var rc struct{ Submission struct{ ID int64 } }
		if err := json.Unmarshal([]byte(a.body), &rc); err != nil {
			b.Fatal(err)
		}
		ids[i] = fmt.Sprint(rc.Submission.ID)
	}
	lat := make([]time.Duration, b.N)
	b.ResetTimer()
	for i, id := range ids {
		t0 := time.Now()
		a := rev.do("POST", "/api/v1/submissions/"+id+"/decision", `{"action":"accept","message":"ok"}`)
		lat[i] = time.Since(t0)
		if a.status != 200 {
			b.Fatalf("accept %s: %d %s", id, a.status, a.body)
		}
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "ms-p50")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "ms-p99")
}
