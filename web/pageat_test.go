package web

import (
	"io"
	"net/http"
	"testing"
)

// pageAt gets a page that must be answered 200 and returns its HTML.
func pageAt(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("%s: %d, %v: %.300s", url, resp.StatusCode, err, b)
	}
	return string(b)
}
