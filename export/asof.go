package export

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"

	"oversight/registry"
)

// Revisions is what an export as of an earlier log size reads: the log.
type Revisions interface {
	EachRevision(ctx context.Context, from, to int64, fn func(*registry.Revision) error) error
}

// WriteAsOf writes the register as it stood at a log size, in the JSON
// import format of the whole register: the log's revisions up to that size
// replayed, the latest state of each record that was not retracted, by
// kind and id. Its records are the bytes the log holds, which import reads
// back. It holds the register's state in memory while it replays.
func WriteAsOf(ctx context.Context, w io.Writer, r Revisions, size int64) error {
	latest := map[string]map[string]json.RawMessage{}
	err := r.EachRevision(ctx, 0, size, func(rev *registry.Revision) error {
		m := latest[rev.Kind]
		if m == nil {
			m = map[string]json.RawMessage{}
			latest[rev.Kind] = m
		}
		switch {
		case rev.Op == "redact": // changes no state
		case rev.Op == "retract", rev.Redacted:
			// A state whose content was redacted has left the public
			// record: the export leaves the record out, as if retracted.
			delete(m, rev.ID)
		default:
			m[rev.ID] = rev.State
		}
		return nil
	})
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	bw.WriteString("{")
	for i, kind := range registry.Kinds.Values {
		if i > 0 {
			bw.WriteString(",")
		}
		fmt.Fprintf(bw, "\n%q: [", registry.Field(kind))
		ids := make([]string, 0, len(latest[kind]))
		for id := range latest[kind] {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		for j, id := range ids {
			if j > 0 {
				bw.WriteByte(',')
			}
			bw.WriteString("\n")
			bw.Write(latest[kind][id])
		}
		bw.WriteString("\n]")
	}
	bw.WriteString("\n}\n")
	return bw.Flush()
}
