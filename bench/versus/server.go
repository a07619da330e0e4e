package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// A server is one of the two, with how it spells a query.
type server struct {
	name, base string
	url        func(query) string
	// words says how it matches full text: servers that match alike
	// must answer a search with the same ids.
	words  string
	client *http.Client
	pid    int // its process id, when known, to read its CPU time
}

func newServer(name, base string, url func(query) string, words string, timeout time.Duration) *server {
	return &server{name: name, base: base, url: url, words: words,
		client: &http.Client{Timeout: timeout, Transport: &http.Transport{MaxIdleConnsPerHost: 256}}}
}

// get asks the server q and returns the ids of the page it answered. It
// reads them only when ids is true: decoding each answer would take the
// cores the servers share with this program, more for the larger one.
func (s *server) get(q query, ids bool) ([]string, error) {
	u := s.url(q)
	resp, err := s.client.Get(s.base + u)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
		return nil, &statusError{resp.StatusCode}
	}
	if !ids {
		_, err := io.Copy(io.Discard, resp.Body)
		return nil, err
	}
	var page struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&page); err != nil {
		return nil, fmt.Errorf("%s: %w", u, err)
	}
	out := make([]string, len(page.Items))
	for i, it := range page.Items {
		out[i] = it.ID
	}
	return out, nil
}

// statusError is an answer other than 200.
type statusError struct{ code int }

func (e *statusError) Error() string { return fmt.Sprintf("answered %d", e.code) }
