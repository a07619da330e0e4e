package release

import (
	"context"
	"strconv"
	"testing"

	"oversight/registry"
)

// log is a log of n creations, each its own revision.
type log int64

func (l log) ChangeCounts(_ context.Context, from, to int64) (map[string]int, error) {
	return map[string]int{Added: int(to - from)}, nil
}

func (l log) EachRevision(_ context.Context, from, to int64, fn func(*registry.Revision) error) error {
	for seq := from; seq < min(to, int64(l)); seq++ {
		if err := fn(&registry.Revision{Seq: seq, Kind: "deployment", ID: "d", Op: "create"}); err != nil {
			return err
		}
	}
	return nil
}

// TestReadPage pages through a release's changes: from the release
// before it, a page at a time, the next page's position 0 after the last.
func TestReadPage(t *testing.T) {
	ctx := context.Background()
	rels := []Release{{Tag: "a", Size: 3}, {Tag: "b", Size: 8}}
	var seqs []int64
	from := int64(0) // before the release: its first change
	for pages := 0; ; pages++ {
		p, err := ReadPage(ctx, log(10), rels, "b", from, 2)
		if err != nil {
			t.Fatal(err)
		}
		if p.Since != 3 || p.Counts[Added] != 5 {
			t.Fatalf("page %+v, want since 3 with 5 added", p.Summary)
		}
		for _, c := range p.Changes {
			seqs = append(seqs, c.Seq)
		}
		if p.Next == "" {
			break
		}
		next, err := strconv.ParseInt(p.Next, 10, 64)
		if err != nil || next <= from || pages > 5 {
			t.Fatalf("page from %d: next %q", from, p.Next)
		}
		from = next
	}
	if len(seqs) != 5 || seqs[0] != 3 || seqs[4] != 7 {
		t.Errorf("changes %v, want 3 to 7", seqs)
	}
	all, err := Summaries(ctx, log(10), rels)
	if err != nil || len(all) != 2 || all[0].Since != 0 || all[0].Counts[Added] != 3 {
		t.Errorf("summaries %+v (%v)", all, err)
	}
	if _, err := ReadPage(ctx, log(10), rels, "c", 0, 2); registry.ErrorCode(err) != registry.ENotFound {
		t.Errorf("an unknown tag: %v, want not found", err)
	}
}
