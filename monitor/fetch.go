package monitor

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"golang.org/x/mod/sumdb/tlog"
	"golang.org/x/sync/errgroup"

	"oversight/tilestore"
)

// maxBody bounds what the monitor reads of one answer: a full entry bundle
// is 256 records of at most tilestore.MaxEntry bytes each.
const maxBody = 256*(tilestore.MaxEntry+2) + 1

// fetcher reads a register's log over HTTP: its tlog-tiles under /log/ and
// its API. It is a tlog.TileReader, keeping the tiles it has read for the
// run, which tlog.TileHashReader checks against the checkpoint's root.
type fetcher struct {
	ctx    context.Context
	base   string
	client *http.Client
	tiles  map[tlog.Tile][]byte
	failed error // the last fetch that failed, if any
}

// treeError tells a tile the server could not give (an error of the
// network or the server) from one it gave that is not the signed tree,
// which tlog.TileHashReader finds and which is an alarm.
func (f *fetcher) treeError(what string, err error) error {
	if f.failed != nil {
		return fmt.Errorf("%s: %w", what, f.failed)
	}
	return &Alarm{Kind: BadTiles, Msg: what + ": " + err.Error()}
}

// busyTries bounds how often get asks again a server that answers 503 or
// 429 (busy, shedding load) before it gives its answer as it is.
const busyTries = 5

// get fetches path. A server that says it is busy is asked again after
// the time its Retry-After names (at most maxRetryAfter; a second when it
// names none), up to busyTries times: a monitor catching up reads
// thousands of tiles, and a register sheds what it cannot serve at once.
func (f *fetcher) get(path string) ([]byte, int, error) {
	for try := 1; ; try++ {
		b, status, wait, err := f.getOnce(path)
		if err != nil || status != http.StatusServiceUnavailable && status != http.StatusTooManyRequests || try == busyTries {
			return b, status, err
		}
		select {
		case <-time.After(wait):
		case <-f.ctx.Done():
			return nil, 0, f.ctx.Err()
		}
	}
}

// maxRetryAfter bounds the wait a busy server asks for.
const maxRetryAfter = 10 * time.Second

func (f *fetcher) getOnce(path string) ([]byte, int, time.Duration, error) {
	b, resp, err := f.fetch(path)
	if err != nil {
		return nil, 0, 0, err
	}
	wait := time.Second
	if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s >= 0 {
		wait = min(time.Duration(s)*time.Second, maxRetryAfter)
	}
	return b, resp.StatusCode, wait, nil
}

func (f *fetcher) fetch(path string) ([]byte, *http.Response, error) {
	req, err := http.NewRequestWithContext(f.ctx, http.MethodGet, f.base+path, nil)
	if err != nil {
		return nil, nil, err
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return nil, nil, fmt.Errorf("GET %s: %w", path, err)
	}
	if len(b) == maxBody {
		return nil, nil, fmt.Errorf("GET %s: the answer is larger than any the log makes", path)
	}
	return b, resp, nil
}

// getOK is get for an answer that must be 200.
func (f *fetcher) getOK(path string) ([]byte, error) {
	b, status, err := f.get(path)
	if err == nil && status != http.StatusOK {
		err = fmt.Errorf("GET %s: status %d: %.200s", path, status, b)
	}
	return b, err
}

func (f *fetcher) Height() int { return tilestore.Height }

func (f *fetcher) ReadTiles(ts []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(ts))
	var paths []string
	var at []int
	for i, t := range ts {
		if b, ok := f.tiles[t]; ok {
			out[i] = b
			continue
		}
		paths, at = append(paths, "/log/"+tilestore.Path(t)), append(at, i)
	}
	got, err := f.getAll(paths)
	if err != nil {
		f.failed = err
		return nil, err
	}
	for j, i := range at {
		out[i] = got[j]
	}
	return out, nil
}

// inFlight is how many requests the monitor has open at once: catching up
// on a long log is thousands of tiles, and one at a time it would wait on
// each round trip in turn. More than a register serves at once (two per
// core) would only be shed.
const inFlight = 4

// getAll gets each path, which must answer 200, up to inFlight at once.
func (f *fetcher) getAll(paths []string) ([][]byte, error) {
	out := make([][]byte, len(paths))
	g := new(errgroup.Group)
	g.SetLimit(inFlight)
	for i, p := range paths {
		g.Go(func() error {
			b, err := f.getOK(p)
			out[i] = b
			return err
		})
	}
	return out, g.Wait()
}

// SaveTiles keeps the tiles TileHashReader has checked, for the rest of the
// run.
func (f *fetcher) SaveTiles(ts []tlog.Tile, data [][]byte) {
	for i, t := range ts {
		f.tiles[t] = data[i]
	}
}

// entries reads the entries from n to m (not included) from the entry
// bundles.
func (f *fetcher) entries(n, m int64) ([][]byte, error) {
	var paths []string
	var widths []int
	first := n >> tilestore.Height
	for b := first; b<<tilestore.Height < m; b++ {
		w := min(int64(1)<<tilestore.Height, m-b<<tilestore.Height)
		paths = append(paths, "/log/"+tilestore.Path(tlog.Tile{H: tilestore.Height, L: -1, N: b, W: int(w)}))
		widths = append(widths, int(w))
	}
	bundles, err := f.getAll(paths)
	if err != nil {
		return nil, err
	}
	out := make([][]byte, 0, m-n)
	for i, data := range bundles {
		b := first + int64(i)
		es, err := SplitBundle(data, widths[i])
		if err != nil {
			return nil, &Alarm{Kind: Malformed, Msg: fmt.Sprintf("entry bundle %d: %v", b, err)}
		}
		for i, e := range es {
			if seq := b<<tilestore.Height + int64(i); seq >= n && seq < m {
				out = append(out, e)
			}
		}
	}
	return out, nil
}

// SplitBundle reads an entry bundle of w entries, each a big-endian
// two-byte length and that many bytes, into its entries.
func SplitBundle(data []byte, w int) ([][]byte, error) {
	if w < 0 || w > 1<<tilestore.Height {
		return nil, fmt.Errorf("a bundle holds 0 to %d entries, not %d", 1<<tilestore.Height, w)
	}
	out := make([][]byte, 0, w)
	for len(data) > 0 {
		if len(data) < 2 || len(data) < 2+int(binary.BigEndian.Uint16(data)) {
			return nil, fmt.Errorf("cut short at entry %d", len(out))
		}
		l := int(binary.BigEndian.Uint16(data))
		out, data = append(out, data[2:2+l]), data[2+l:]
	}
	if len(out) != w {
		return nil, fmt.Errorf("%d entries, not %d", len(out), w)
	}
	return out, nil
}
