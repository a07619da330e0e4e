package monitor

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"oversight/registry"
	"oversight/tiles"
)

// apiOnly are the fields a deployment's API answer adds to the record the
// log holds: computed from it, or from other records.
var apiOnly = []string{"tiers", "classification", "revisions", "replies"}

// compare checks the register's answer for a sample of deployments against
// the mirror: a current one must be the logged state, field for field; a
// retracted one must be gone (410), or redirect (308) to the record it was
// merged into.
func compare(f *fetcher, st *state, sample int, rep *Report) error {
	var keys []string
	for k := range st.Items {
		if strings.HasPrefix(k, "deployment/") {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	if sample >= 0 && sample < len(keys) {
		rand.Shuffle(len(keys), func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
		keys = keys[:sample]
	}
	noRedirect := *f.client
	noRedirect.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	g := &fetcher{ctx: f.ctx, base: f.base, client: &noRedirect}
	for _, k := range keys {
		id := strings.TrimPrefix(k, "deployment/")
		it := st.Items[k]
		want := http.StatusOK
		if it.Op == "retract" {
			want = http.StatusGone
			if it.Into != "" {
				want = http.StatusPermanentRedirect
			}
		}
		// The logged state first: content that is not the one committed
		// to is named as such, before the answers built on it.
		var state json.RawMessage
		if want == http.StatusOK {
			var err error
			if state, err = it.state(f); err != nil {
				return err
			}
		}
		body, status, err := g.get("/api/v1/deployments/" + url.PathEscape(id))
		if err != nil {
			return err
		}
		if status != want {
			return &Alarm{Kind: APIDiffers, Msg: fmt.Sprintf("deployment %s: the API answers %d; the log (revision %d, %s) says %d", id, status, it.Seq, it.Op, want)}
		}
		if want == http.StatusOK {
			if field, ok := sameRecord(state, body); !ok {
				return &Alarm{Kind: APIDiffers, Msg: fmt.Sprintf("deployment %s: the API's %s is not the one revision %d logged", id, field, it.Seq)}
			}
		}
		rep.Compared++
	}
	return nil
}

// sameRecord compares a logged state with an API answer, field by field,
// leaving out what the API adds, and names the first field that differs.
func sameRecord(logged, answer []byte) (string, bool) {
	var a, b map[string]json.RawMessage
	if json.Unmarshal(logged, &a) != nil {
		return "record", false
	}
	if json.Unmarshal(answer, &b) != nil {
		return "answer", false
	}
	for _, k := range apiOnly {
		delete(b, k)
	}
	names := make([]string, 0, len(a)+len(b))
	for k := range a {
		names = append(names, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	for _, k := range names {
		if !sameJSON(a[k], b[k]) {
			return k, false
		}
	}
	return "", true
}

// sameJSON compares two JSON values as values, not as text.
func sameJSON(x, y json.RawMessage) bool {
	if x == nil || y == nil {
		return x == nil && y == nil
	}
	var a, b any
	if json.Unmarshal(x, &a) != nil || json.Unmarshal(y, &b) != nil {
		return bytes.Equal(x, y)
	}
	ca, _ := json.Marshal(a)
	cb, _ := json.Marshal(b)
	return bytes.Equal(ca, cb)
}

// state returns the mirrored state of it: the one its format-1 entry
// holds, or the content its format-2 entry commits to, read from the
// register (GET /log/content/<seq>) and checked against the commitment.
func (it *mirrorItem) state(f *fetcher) (json.RawMessage, error) {
	if it.Commitment == "" {
		return it.State, nil
	}
	path := fmt.Sprintf("/log/content/%d", it.Seq)
	body, status, err := f.get(path)
	if err != nil {
		return nil, err
	}
	var c tiles.Content
	if status != http.StatusOK || json.Unmarshal(body, &c) != nil {
		return nil, &Alarm{Kind: BadContent, Msg: fmt.Sprintf("revision %d, the current state of a record, has no content: GET %s answers %d: %.200s", it.Seq, path, status, body)}
	}
	r := &registry.Revision{Format: registry.Format2, Seq: it.Seq, Commitment: it.Commitment}
	if err := r.Open(c.Salt, c.Content); err != nil {
		return nil, &Alarm{Kind: BadContent, Msg: err.Error()}
	}
	return r.State, nil
}
