package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os/exec"
	"sync"
	"syscall"
	"testing"
	"time"

	"oversight/internal/fixture"
)

// TestSubmissionsSurviveKill sends submissions to a server from several
// clients at once and kills the server (SIGKILL) while they arrive, three
// times; after each restart every submission that was answered with a
// receipt is found by its receipt, and verify passes. An acknowledged
// submission is never lost.
func TestSubmissionsSurviveKill(t *testing.T) {
	t.Parallel()
	dir := builtinData(t)
	var receipts []string
	var mu sync.Mutex
	next := 0
	for trial := range 4 { // three kills, then a last check
		port := freePort(t)
		srv := exec.Command(binary, "serve", "--data", dir, "--addr", "127.0.0.1:"+port, "--trust-proxy")
		if err := srv.Start(); err != nil {
			t.Fatal(err)
		}
		base := "http://127.0.0.1:" + port
		waitGet(t, base+"/healthz")
		// Every receipt from before the kill opens its submission.
		for _, r := range receipts {
			if resp, err := http.Get(base + "/api/v1/receipts/" + r); err != nil || resp.StatusCode != 200 {
				t.Fatalf("trial %d: receipt %s lost after the kill: %v %v", trial, r[:12], err, resp)
			} else {
				resp.Body.Close()
			}
		}
		if trial == 3 {
			srv.Process.Signal(syscall.SIGTERM)
			srv.Wait()
			break
		}
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for w := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					mu.Lock()
					i := next
					next++
					mu.Unlock()
					d := fixture.Deployment(50_000+i, "PK", "huawei")
					d.Sources = nil
					body, _ := json.Marshal(map[string]any{"kind": "new", "record": d, "evidence": []map[string]string{{"key": "a", "url": fmt.Sprintf("https://example.org/%d", i)}}})
					req, _ := http.NewRequest("POST", base+"/api/v1/submissions", bytes.NewReader(body))
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.%d.%d.%d", w, i/250%250, i%250)) // many clients: no rate limit
					resp, err := http.DefaultClient.Do(req)
					if err != nil {
						return // the server is gone
					}
					var rc struct{ Receipt string }
					json.NewDecoder(resp.Body).Decode(&rc)
					resp.Body.Close()
					if resp.StatusCode == http.StatusCreated {
						mu.Lock()
						receipts = append(receipts, rc.Receipt)
						mu.Unlock()
					} else if resp.StatusCode != http.StatusServiceUnavailable {
						t.Errorf("submission %d: %d", i, resp.StatusCode)
						return
					}
				}
			}()
		}
		time.Sleep(time.Duration(300+200*trial) * time.Millisecond)
		srv.Process.Signal(syscall.SIGKILL)
		srv.Wait()
		close(stop)
		wg.Wait()
	}
	if len(receipts) < 10 {
		t.Fatalf("only %d submissions were acknowledged: the test did not load the server", len(receipts))
	}
	mustRun(t, "verify", "--data", dir)
	t.Logf("%d acknowledged submissions survived three kills", len(receipts))
}
