package tilestore_test

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"oversight/internal/fixture"
	"oversight/internal/testreg"
	"oversight/store"
	"oversight/tilestore"
)

// summer is a snapshot that knows its entry bundles' digests, and counts
// the records read through it.
type summer struct {
	*store.Snapshot
	sums  map[int64][sha256.Size]byte
	reads int
}

func (s *summer) BundleSum(n int64) ([sha256.Size]byte, bool) {
	sum, ok := s.sums[n]
	return sum, ok
}

func (s *summer) Records(ctx context.Context, from, to int64) ([][]byte, error) {
	s.reads++
	return s.Snapshot.Records(ctx, from, to)
}

// TestVerifyBundleSums: a reader that knows the digests of the entry
// bundles has them compared instead of the records read again; a bundle
// changed, or a digest that is not its file's, is named; a bundle whose
// digest the reader lacks is made from the records.
func TestVerifyBundleSums(t *testing.T) {
	ctx := context.Background()
	db := testreg.Open(t, fixture.Set(560))
	dir := t.TempDir()
	f := tilestore.NewFiles(dir)
	if _, err := f.Fill(ctx, func(ctx context.Context) (tilestore.Reader, error) { return db.Snapshot(ctx) }); err != nil {
		t.Fatal(err)
	}
	sn, err := db.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer sn.Close()
	sums := map[int64][sha256.Size]byte{}
	for n := range int64(2) {
		recs, err := sn.Records(ctx, n*256, n*256+256)
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.New()
		for _, r := range recs {
			h.Write(binary.BigEndian.AppendUint16(nil, uint16(len(r))))
			h.Write(r)
		}
		sums[n] = [sha256.Size]byte(h.Sum(nil))
	}
	verify := func(sums map[int64][sha256.Size]byte) (*summer, []string) {
		rd := &summer{sums: sums}
		open := func(ctx context.Context) (tilestore.Reader, error) {
			var err error
			rd.Snapshot, err = db.Snapshot(ctx) // Verify closes it
			return rd, err
		}
		var bad []string
		n, err := f.Verify(ctx, open, func(s string) { bad = append(bad, s) })
		if err != nil || n != 4 {
			t.Fatalf("Verify: %d compared, %v", n, err)
		}
		return rd, bad
	}
	if rd, bad := verify(sums); len(bad) != 0 || rd.reads != 0 {
		t.Fatalf("Verify with every digest: %v, %d reads of records", bad, rd.reads)
	}
	if rd, bad := verify(map[int64][sha256.Size]byte{0: sums[0]}); len(bad) != 0 || rd.reads != 1 {
		t.Errorf("Verify with one digest: %v, %d reads of records, want 1", bad, rd.reads)
	}
	wrong := map[int64][sha256.Size]byte{0: sums[0], 1: sums[0]}
	if _, bad := verify(wrong); len(bad) != 1 || !strings.Contains(bad[0], filepath.Join("entries", "001")) {
		t.Errorf("Verify against a wrong digest found %v", bad)
	}
	bundle := filepath.Join(dir, "tile", "entries", "000")
	b, _ := os.ReadFile(bundle)
	b[len(b)/2] ^= 1
	os.WriteFile(bundle, b, 0o644)
	if _, bad := verify(sums); len(bad) != 1 || !strings.Contains(bad[0], bundle+": ") {
		t.Errorf("Verify of a changed bundle found %v", bad)
	}
}
