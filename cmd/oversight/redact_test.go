package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRedactCommand changes a deployment's title to a marker and back,
// redacts the revision that held the marker with `oversight redact`, and
// checks from outside: the monitor catches up across the redaction; the
// marker is in no entry bundle and no answer; the revision's content
// answers 410 naming the redaction; its proof bundle still checks with
// `oversight verify-proof`, which says it was redacted; `oversight
// verify` passes and lists it.
func TestRedactCommand(t *testing.T) {
	t.Parallel()
	const id, marker = "pk-islamabad-safe-city", "Personal-Data-Marker-5be1"
	dir := builtinData(t)
	pub := filepath.Join(dir, "log.pub")
	url := startServe(t, dir)
	state := t.TempDir()
	mustRun(t, "monitor", url, "--key", pub, "--state", state, "--sample", "-1")

	setTitle := func(title string) (old string) {
		t.Helper()
		var dep map[string]any
		if err := json.Unmarshal([]byte(waitGet(t, url+"/api/v1/deployments/"+id)), &dep); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"tiers", "classification", "revisions", "replies"} {
			delete(dep, k)
		}
		old, _ = dep["title"].(string)
		dep["title"] = title
		b, _ := json.Marshal(map[string]any{"deployments": []any{dep}})
		file := filepath.Join(t.TempDir(), "change.json")
		os.WriteFile(file, b, 0o644)
		mustRun(t, "import", "--data", dir, file)
		return old
	}
	old := setTitle(marker)
	secret := lastSeq(t, url, id)
	setTitle(old)

	if _, stderr, err := run(t, "redact", "--data", dir, "--revision", fmt.Sprint(secret+1), "--reason", "r"); err == nil || !strings.Contains(stderr, "is the current state of deployment "+id) {
		t.Errorf("redacting the current state: %v %s", err, stderr)
	}
	out := mustRun(t, "redact", "--data", dir, "--revision", fmt.Sprint(secret), "--reason", "court order 2026/17")
	by := secret + 2
	if want := fmt.Sprintf("redacted the content of revision %d by revision %d", secret, by); !strings.Contains(out, want) {
		t.Fatalf("redact: %s, want %q", out, want)
	}
	if _, stderr, err := run(t, "redact", "--data", dir, "--revision", fmt.Sprint(secret), "--reason", "again"); err == nil || !strings.Contains(stderr, "already redacted by revision") {
		t.Errorf("redacting twice: %v %s", err, stderr)
	}

	// The monitor catches up across it.
	if out := mustRun(t, "monitor", url, "--key", pub, "--state", state, "--sample", "-1"); !strings.Contains(out, ": 3 new entries") {
		t.Errorf("monitor after the redaction: %s", out)
	}
	// The marker is in no entry bundle and no answer.
	cp := waitGet(t, url+"/log/checkpoint")
	var size int64
	fmt.Sscanf(strings.Split(cp, "\n")[1], "%d", &size)
	var answers []string
	for n := int64(0); n*256 < size; n++ {
		path := fmt.Sprintf("/log/tile/entries/%03d", n)
		if w := size - n*256; w < 256 {
			path += fmt.Sprintf(".p/%d", w)
		}
		answers = append(answers, path)
	}
	answers = append(answers, fmt.Sprintf("/log/content/%d", secret), fmt.Sprintf("/api/v1/log/revisions/%d", secret),
		"/api/v1/deployments/"+id, "/api/v1/proofs/deployment/"+id, "/api/v1/export?format=json", "/deployments/"+id)
	for _, path := range answers {
		body, status := get(t, url+path)
		if strings.Contains(body, marker) {
			t.Errorf("GET %s (%d) still holds the redacted content", path, status)
		}
	}
	body, status := get(t, url+fmt.Sprintf("/log/content/%d", secret))
	if status != http.StatusGone || !strings.Contains(body, fmt.Sprintf(`"by":%d`, by)) || !strings.Contains(body, "court order 2026/17") {
		t.Errorf("content of the redacted revision: %d %s", status, body)
	}

	// Its proof still checks, and says it was redacted.
	bundle, _ := get(t, url+fmt.Sprintf("/api/v1/log/revisions/%d", secret))
	file := filepath.Join(t.TempDir(), "proof.json")
	os.WriteFile(file, []byte(bundle), 0o644)
	if out := mustRun(t, "verify-proof", file, "--key", pub); !strings.Contains(out, "verify-proof: OK: revision ") || !strings.Contains(out, fmt.Sprintf("verify-proof: redacted: its content was removed by revision %d", by)) {
		t.Errorf("verify-proof of the redacted revision: %s", out)
	}
	if out := mustRun(t, "verify", "--data", dir); !strings.Contains(out, "; 1 redacted") || !strings.Contains(out, fmt.Sprintf("verify: redacted: revision %d, by revision %d", secret, by)) {
		t.Errorf("verify: %s", out)
	}
}

// lastSeq returns the latest revision of a deployment, as its proof
// bundle names it.
func lastSeq(t *testing.T, url, id string) int64 {
	t.Helper()
	var b struct {
		Revision struct {
			Seq int64 `json:"seq"`
		} `json:"revision"`
	}
	if err := json.Unmarshal([]byte(waitGet(t, url+"/api/v1/proofs/deployment/"+id)), &b); err != nil {
		t.Fatal(err)
	}
	return b.Revision.Seq
}

func get(t *testing.T, url string) (string, int) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b), resp.StatusCode
}
