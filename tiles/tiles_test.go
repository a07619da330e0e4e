package tiles_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"oversight/internal/fixture"
	"oversight/internal/testreg"
	"oversight/ledger"
	"oversight/store"
	"oversight/tiles"
	"oversight/tilestore"
)

// client reads a log's tiles over HTTP the way any tlog-tiles client does,
// as a tlog.TileReader, and counts what it fetched.
type client struct {
	t       *testing.T
	base    string
	fetched []string
}

func (c *client) Height() int { return tilestore.Height }

func (c *client) ReadTiles(ts []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(ts))
	for i, t := range ts {
		b, err := c.get(tilestore.Path(t))
		if err != nil {
			return nil, err
		}
		out[i] = b
	}
	return out, nil
}

func (c *client) SaveTiles([]tlog.Tile, [][]byte) {}

func (c *client) get(path string) ([]byte, error) {
	c.fetched = append(c.fetched, path)
	resp, err := http.Get(c.base + "/log/" + path)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		return nil, fmt.Errorf("%s: %s: %s", path, resp.Status, b)
	}
	return b, nil
}

// TestTilesReadByXMod: a log of a little more than two full tiles is read
// from outside with golang.org/x/mod/sumdb: the checkpoint opens with the
// key served beside it; x/mod's TileHashReader reads the hash tiles and
// checks each against the checkpoint's root; the inclusion of records read
// from the entry bundles is proved with the hashes; full tiles are
// immutable, partial ones not; a consistency proof links an older
// checkpoint to the newest; and paths that are not tiles, or are beyond
// the log, are not found. It holds for a server that keeps its full tiles
// in memory and for one that stores them in files.
func TestTilesReadByXMod(t *testing.T) {
	t.Run("in memory", func(t *testing.T) { readByXMod(t, nil) })
	t.Run("in files", func(t *testing.T) { readByXMod(t, tilestore.NewFiles(t.TempDir())) })
}

func readByXMod(t *testing.T, files *tilestore.Files) {
	set := fixture.Set(560)
	db := testreg.Open(t, set)
	srv := httptest.NewServer(tiles.HandlerWithFiles("/log", func(ctx context.Context) (tiles.Reader, error) { return db.Snapshot(ctx) }, files, 0))
	defer srv.Close()
	c := &client{t: t, base: srv.URL}

	key, err := c.get("key")
	if err != nil {
		t.Fatal(err)
	}
	verifier, err := note.NewVerifier(strings.TrimSpace(string(key)))
	if err != nil {
		t.Fatalf("the served key %q: %v", key, err)
	}
	signed, err := c.get("checkpoint")
	if err != nil {
		t.Fatal(err)
	}
	cp, err := ledger.Open(signed, verifier)
	if err != nil {
		t.Fatalf("the checkpoint does not open with the served key: %v", err)
	}
	if cp.Size < 2*256 || cp.Size%256 == 0 {
		t.Fatalf("want a log of two full tiles and a partial one, got %d", cp.Size)
	}
	tree := tlog.Tree{N: cp.Size, Hash: cp.Hash}
	hr := tlog.TileHashReader(tree, c)

	// Every record in the entry bundles is in the tree the checkpoint
	// signs, proved from the hash tiles alone.
	var records [][]byte
	for n := int64(0); n*256 < cp.Size; n++ {
		w := min(256, int(cp.Size-n*256))
		b, err := c.get(tilestore.Path(tlog.Tile{H: tilestore.Height, L: -1, N: n, W: w}))
		if err != nil {
			t.Fatal(err)
		}
		for len(b) > 0 {
			l := int(binary.BigEndian.Uint16(b))
			records, b = append(records, b[2:2+l]), b[2+l:]
		}
	}
	if int64(len(records)) != cp.Size {
		t.Fatalf("the bundles hold %d entries, the checkpoint %d", len(records), cp.Size)
	}
	for _, i := range []int64{0, 255, 256, 511, cp.Size - 1} {
		proof, err := tlog.ProveRecord(cp.Size, i, hr)
		if err != nil {
			t.Fatalf("proving %d from the tiles: %v", i, err)
		}
		if err := tlog.CheckRecord(proof, cp.Size, cp.Hash, i, tlog.RecordHash(records[i])); err != nil {
			t.Errorf("entry %d: %v", i, err)
		}
		_, want, err := db.Revision(context.Background(), i)
		if err != nil || !bytes.Equal(want, records[i]) {
			t.Errorf("entry %d is not the log's record %d (%v)", i, i, err)
		}
	}

	// Full tiles never change; a partial one may grow.
	for path, want := range map[string]string{"tile/0/000": "immutable", "tile/entries/001": "immutable", "tile/0/002.p/" + fmt.Sprint(cp.Size%256): "no-cache"} {
		resp, err := http.Get(srv.URL + "/log/" + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Cache-Control"), want) {
			t.Errorf("%s: %s, Cache-Control %q", path, resp.Status, resp.Header.Get("Cache-Control"))
		}
	}
	for _, path := range []string{"tile/0/003", "tile/entries/002", "tile/0/002.p/255", "tile/1/000", "tile/8/0/000", "tile/data/000", "tile/0/x000", "tile/-1/000", "nope", "tile/0/000.p/0", "tile/0/000.p/256",
		// Levels and indexes whose first entry is past 2^63: the bound
		// must not overflow into a tile that seems to be inside the log.
		"tile/8/000", "tile/9/999", "tile/63/000", "tile/0/x999/999/999/999/999/999/999", "tile/entries/x999/999/999/999/999/999/999"} {
		resp, err := http.Get(srv.URL + "/log/" + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 404 {
			t.Errorf("%s: %s, want 404", path, resp.Status)
		}
	}

	// The log grows; the older tree is a prefix of the newer, by a proof
	// the reader checks with the tiles it already trusts.
	more := fixture.Set(600)
	more.Deployments = more.Deployments[560:]
	if _, err := db.Apply(context.Background(), more, store.Meta{Author: "test"}, nil); err != nil {
		t.Fatal(err)
	}
	signed2, _ := c.get("checkpoint")
	cp2, err := ledger.Open(signed2, verifier)
	if err != nil || cp2.Size <= cp.Size {
		t.Fatalf("after more: %v, size %d", err, cp2.Size)
	}
	sn, _ := db.Snapshot(context.Background())
	defer sn.Close()
	proof, err := sn.ConsistencyProof(context.Background(), cp.Size, cp2.Size)
	if err != nil {
		t.Fatal(err)
	}
	if err := tlog.CheckTree(proof, cp2.Size, cp2.Hash, cp.Size, cp.Hash); err != nil {
		t.Errorf("the older checkpoint is not a prefix of the newer: %v", err)
	}
	if _, err := tlog.TileHashReader(tlog.Tree{N: cp2.Size, Hash: cp2.Hash}, c).ReadHashes([]int64{tlog.StoredHashIndex(0, cp.Size)}); err != nil {
		t.Errorf("the grown log's tiles: %v", err)
	}
}
