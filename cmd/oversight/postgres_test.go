package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"oversight/internal/fixture"
	"oversight/internal/testenv"
)

// postgresURL gives a fresh schema in the database $OBS_TEST_POSTGRES
// names (see testenv.Postgres).
func postgresURL(t *testing.T) string { return testenv.PostgresSchema(t, "cmd") }

// TestSeveralProcessesOnePostgres runs two imports at once against one
// PostgreSQL database, then two servers: the log stays whole and both
// servers answer the same.
func TestSeveralProcessesOnePostgres(t *testing.T) {
	t.Parallel()
	db := postgresURL(t)
	data := t.TempDir()                                                                                            // the processes share its signing key
	mustRun(t, "export", "--data", data, "--db", db, "--format", "csv", "-o", filepath.Join(t.TempDir(), "x.csv")) // seeds the built-in register

	var files []string
	for i, prefix := range []string{"a", "b"} {
		set := fixture.Set(150)
		for _, d := range set.Deployments {
			d.ID = prefix + "-" + d.ID
		}
		body, _ := json.Marshal(set)
		f := filepath.Join(t.TempDir(), fmt.Sprintf("set%d.json", i))
		os.WriteFile(f, body, 0o644)
		files = append(files, f)
	}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	outs := make([]string, 2)
	for i, f := range files {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, stderr, err := run(t, "import", "--data", data, "--db", db, f)
			outs[i], errs[i] = out+stderr, err
		}()
	}
	wg.Wait()
	for i := range errs {
		if errs[i] != nil {
			t.Fatalf("import %d: %v\n%s", i, errs[i], outs[i])
		}
	}
	if out := mustRun(t, "verify", "--data", data, "--db", db); !strings.Contains(out, "verify: OK") {
		t.Fatalf("verify: %s", out)
	}

	// Both servers start at once; each then lists the same deployments.
	var urls []string
	for range 2 {
		port := freePort(t)
		cmd := exec.Command(binary, "serve", "--data", data, "--db", db, "--addr", "127.0.0.1:"+port)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		urls = append(urls, "http://127.0.0.1:"+port+"/api/v1/deployments?jurisdiction=PK&limit=1000")
	}
	var counts []string
	for _, url := range urls {
		var page struct{ Items []struct{ ID string } }
		if err := json.Unmarshal([]byte(waitGet(t, url)), &page); err != nil {
			t.Fatalf("%s: %v", url, err)
		}
		counts = append(counts, fmt.Sprint(len(page.Items)))
	}
	if counts[0] != counts[1] || counts[0] == "0" {
		t.Errorf("the two servers list %v PK deployments", counts)
	}
}

func freePort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return fmt.Sprint(l.Addr().(*net.TCPAddr).Port)
}

func waitGet(t *testing.T, url string) string {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for ctx.Err() == nil {
		resp, err := http.Get(url)
		if err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return string(b)
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s did not answer", url)
	return ""
}
