package monitor

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"

	"golang.org/x/mod/sumdb/tlog"

	"oversight/registry"
)

const (
	checkpointFile = "checkpoint"  // the last signed checkpoint verified
	mirrorFile     = "mirror.json" // the register's state, replayed from the log
)

// state is what the monitor keeps between runs: the last checkpoint it
// verified, and the register as the log up to it says it is.
type state struct {
	Size   int64                  `json:"size"`
	Hash   tlog.Hash              `json:"hash"`
	Signed []byte                 `json:"-"`
	Items  map[string]*mirrorItem `json:"items"` // by kind/id
}

// A mirrorItem is an entity's latest revision: its state, or its
// retraction and the id it was merged into. A format-2 entry
// (registry.Format2) holds its state's commitment instead: its content
// is read (and checked) from the register when compared.
type mirrorItem struct {
	Seq        int64           `json:"seq"`
	Op         string          `json:"op"`
	State      json.RawMessage `json:"state,omitempty"`
	Commitment string          `json:"commitment,omitempty"`
	Into       string          `json:"into,omitempty"`
}

func (s *state) apply(r *registry.Revision) {
	if r.Op == "redact" {
		return // it removes an earlier revision's content; no state changes
	}
	s.Items[r.Kind+"/"+r.ID] = &mirrorItem{Seq: r.Seq, Op: r.Op, State: r.State, Commitment: r.Commitment, Into: r.Into}
}

func loadState(dir string) (*state, error) {
	st := &state{Items: map[string]*mirrorItem{}}
	b, err := os.ReadFile(filepath.Join(dir, mirrorFile))
	if errors.Is(err, os.ErrNotExist) {
		return st, nil
	} else if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, st); err != nil {
		return nil, err
	}
	return st, nil
}

// save writes the mirror, then the checkpoint, each by renaming a whole
// file into place: a run cut short leaves the last complete state.
func (s *state) save(dir string) error {
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	if err := writeFile(filepath.Join(dir, mirrorFile), b); err != nil {
		return err
	}
	return writeFile(filepath.Join(dir, checkpointFile), s.Signed)
}

func writeFile(name string, b []byte) error {
	tmp := name + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, name)
}
