// Package monitor checks a register from outside, as anyone may, with
// nothing but its address and the key its checkpoints are signed with: it
// reads the signed checkpoint, proves it extends the last one it saw,
// reads the new entries through the log's tiles (C2SP tlog-tiles) and
// checks each against the tree the checkpoint signs, replays them into a
// mirror of its own, and compares the register's API answers with the
// mirror. What it finds wrong is an *Alarm that names it.
package monitor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"oversight/ledger"
	"oversight/registry"
	"oversight/tiles"
	"oversight/witness"
)

// Config is what a run of the monitor needs.
type Config struct {
	URL      string        // the register's base address, without /log/
	Verifier note.Verifier // the key the log's checkpoints are signed with, pinned
	StateDir string        // where the last checkpoint and the mirror are kept
	// Sample is how many deployments' API answers a run compares with the
	// mirror, chosen at random; -1 compares all of them, 0 none.
	Sample int
	Client *http.Client // nil: http.DefaultClient with a 30 s timeout
	// Witnesses are the witnesses whose cosignatures the monitor checks,
	// of which Quorum must have cosigned the checkpoint (C2SP
	// tlog-witness): a log that shows a reader a history the witnesses
	// did not see cannot have their cosignatures.
	Witnesses []*witness.Verifier
	Quorum    int
}

// A Report says what a run checked.
type Report struct {
	From, To int64 // the log sizes it checked from and to
	Entries  int   // new entries checked against the tree and replayed
	Compared int   // API answers found to agree with the mirror
	Cosigned int   // witnesses that cosigned the checkpoint
}

// Kinds of alarm.
const (
	BadSignature = "checkpoint signature"              // the checkpoint is not signed by the pinned key
	Truncated    = "truncated log"                     // the log is shorter than a checkpoint seen before
	Rewritten    = "rewritten history"                 // the new tree does not contain the old one: a fork or a rewrite
	BadEntry     = "entry not in the tree"             // an entry's hash is not the tree's leaf
	BadContent   = "content not committed to"          // a revision's content does not hash to its entry's commitment
	Malformed    = "malformed log"                     // a bundle or record that cannot be read as the log's
	BadTiles     = "tiles do not match the checkpoint" // the hash tiles are not the tree the checkpoint signs
	FewWitnesses = "too few cosignatures"              // fewer witnesses than the quorum cosigned the checkpoint
	BadCosig     = "forged cosignature"                // a cosignature of a known witness that does not verify
	APIDiffers   = "API answer differs"                // the register answers other than its log says
)

// An Alarm is something the monitor found wrong with the register.
type Alarm struct {
	Kind string
	Msg  string
}

func (a *Alarm) Error() string { return a.Kind + ": " + a.Msg }

// Run checks the register once.
func Run(ctx context.Context, c Config) (*Report, error) {
	client := c.Client
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	if err := os.MkdirAll(c.StateDir, 0o755); err != nil {
		return nil, err
	}
	f := &fetcher{ctx: ctx, base: strings.TrimRight(c.URL, "/"), client: client, tiles: map[tlog.Tile][]byte{}}
	st, err := loadState(c.StateDir)
	if err != nil {
		return nil, err
	}
	signed, err := f.getOK("/log/checkpoint")
	if err != nil {
		return nil, err
	}
	cp, err := ledger.Open(signed, c.Verifier)
	if err != nil {
		return nil, &Alarm{Kind: BadSignature, Msg: err.Error()}
	}
	rep := &Report{From: st.Size, To: cp.Size}
	if c.Quorum > 0 || len(c.Witnesses) > 0 {
		n, err := witness.Cosigned(signed, c.Verifier, c.Witnesses)
		if err != nil {
			return rep, &Alarm{Kind: BadCosig, Msg: err.Error()}
		}
		rep.Cosigned = n
		if n < c.Quorum {
			return rep, &Alarm{Kind: FewWitnesses, Msg: fmt.Sprintf("%d of the %d witnesses cosigned the checkpoint of %d; the quorum is %d", n, len(c.Witnesses), cp.Size, c.Quorum)}
		}
	}
	if cp.Size < st.Size {
		return rep, &Alarm{Kind: Truncated, Msg: fmt.Sprintf("the log's checkpoint says %d entries; a checkpoint of %d was seen before", cp.Size, st.Size)}
	}
	tree := tlog.Tree{N: cp.Size, Hash: cp.Hash}
	hr := tlog.TileHashReader(tree, f)
	// The old tree is the new one's prefix: the root of its first
	// st.Size leaves, read from tiles checked against the new root, is the
	// root the old checkpoint signed.
	if st.Size > 0 {
		old, err := tlog.TreeHash(st.Size, hr)
		if err != nil {
			return rep, f.treeError("reading the tree", err)
		}
		if old != st.Hash {
			return rep, &Alarm{Kind: Rewritten, Msg: fmt.Sprintf("the log of %d entries does not contain the log of %d this monitor saw before (root %s, now %s)", cp.Size, st.Size, st.Hash, old)}
		}
	}
	if err := replay(f, hr, st, cp.Size, rep); err != nil {
		return rep, err
	}
	st.Size, st.Hash, st.Signed = cp.Size, cp.Hash, signed
	if err := st.save(c.StateDir); err != nil {
		return rep, err
	}
	return rep, compare(f, st, c.Sample, rep)
}

// replay checks the entries from the mirror's size to n against the tree,
// a bundle at a time, and applies them to the mirror.
func replay(f *fetcher, hr tlog.HashReader, st *state, n int64, rep *Report) error {
	const batch = 32 << 8 // 32 bundles
	// The next batch's bundles are fetched while this one is checked.
	type fetched struct {
		entries [][]byte
		err     error
	}
	next := make(chan fetched, 1)
	ctx, cancel := context.WithCancel(f.ctx)
	// The fetching goroutine has stopped when replay returns: the caller
	// goes on to change st.
	defer func() {
		cancel()
		for range next {
		}
	}()
	start := st.Size
	go func() {
		defer close(next)
		for from := start; from < n; from += batch {
			es, err := f.entries(from, min(n, from+batch))
			select {
			case next <- fetched{es, err}:
			case <-ctx.Done():
				return
			}
			if err != nil {
				return
			}
		}
	}()
	for from := start; from < n; from += batch {
		to := min(n, from+batch)
		b := <-next
		entries, err := b.entries, b.err
		if err != nil {
			return err
		}
		idx := make([]int64, to-from)
		for i := range idx {
			idx[i] = tlog.StoredHashIndex(0, from+int64(i))
		}
		leaves, err := hr.ReadHashes(idx)
		if err != nil {
			return f.treeError(fmt.Sprintf("reading the tree's leaves %d to %d", from, to-1), err)
		}
		for i, e := range entries {
			seq := from + int64(i)
			if tlog.RecordHash(e) != leaves[i] {
				return &Alarm{Kind: BadEntry, Msg: fmt.Sprintf("entry %d served in the bundle does not hash to the tree's leaf %d", seq, seq)}
			}
			// Read without content: a format-2 entry commits to it, and
			// compare reads it for the records it samples.
			r, err := registry.OpenRecord(e, nil, nil)
			if err != nil || r.Seq != seq {
				return &Alarm{Kind: Malformed, Msg: fmt.Sprintf("entry %d is not the log's record %d", seq, seq)}
			}
			if r.Op == "redact" {
				if err := redacted(f, r); err != nil {
					return err
				}
			}
			st.apply(r)
			rep.Entries++
		}
	}
	return nil
}

// ErrNoState is returned by LastCheckpoint before a first run.
var ErrNoState = errors.New("monitor: no checkpoint seen yet")

// LastCheckpoint returns the signed checkpoint the last run in a state
// directory verified.
func LastCheckpoint(dir string) ([]byte, error) {
	b, err := os.ReadFile(filepath.Join(dir, checkpointFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, ErrNoState
	}
	return b, err
}

// redacted checks that the register honours the redaction r: the content
// of the revision it names answers 410 Gone, naming r.
func redacted(f *fetcher, r *registry.Revision) error {
	path := fmt.Sprintf("/log/content/%d", *r.Redacts)
	body, status, err := f.get(path)
	if err != nil {
		return err
	}
	var c tiles.Content
	if status != http.StatusGone || json.Unmarshal(body, &c) != nil || c.Redacted == nil || c.Redacted.By != r.Seq || c.Content != nil {
		return &Alarm{Kind: APIDiffers, Msg: fmt.Sprintf("revision %d redacted revision %d, but GET %s answers %d: %.200s", r.Seq, *r.Redacts, path, status, body)}
	}
	return nil
}
