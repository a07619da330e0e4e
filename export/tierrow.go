package export

import (
	"bufio"
	"cmp"
	"encoding/json"
	"slices"
)

// rowWriter writes a deployment's tiers as the JSON object of framework
// and tier that encoding/json writes for a map of them, byte for byte
// (keys in sorted order, strings escaped as it escapes them), without a
// map and an encoding a row: those were a fifth of an export of the
// whole register's JSON once its tiers were looked up
// (docs/performance.md, "Exports classified once a set of facts").
type rowWriter struct {
	keys   [][]byte // `"framework":`, in sorted order
	order  []int    // the index in a row of each key's tier
	quoted map[string][]byte
}

// newRowWriter is a rowWriter for rows of tiers under fws, in that order.
func newRowWriter(fws []string) *rowWriter {
	r := &rowWriter{quoted: map[string][]byte{}}
	r.order = make([]int, len(fws))
	for i := range fws {
		r.order[i] = i
	}
	slices.SortStableFunc(r.order, func(a, b int) int { return cmp.Compare(fws[a], fws[b]) })
	for _, i := range r.order {
		r.keys = append(r.keys, append(r.quote(fws[i]), ':'))
	}
	return r
}

// quote returns s as a JSON string, as encoding/json writes it.
func (r *rowWriter) quote(s string) []byte {
	if q, ok := r.quoted[s]; ok {
		return q
	}
	q, _ := json.Marshal(s) // a string always encodes
	r.quoted[s] = q
	return q
}

// write writes the object of one row, tiers[i] the tier under fws[i].
func (r *rowWriter) write(w *bufio.Writer, tiers []string) {
	w.WriteByte('{')
	for k, i := range r.order {
		if k > 0 {
			w.WriteByte(',')
		}
		w.Write(r.keys[k])
		w.Write(r.quote(tiers[i]))
	}
	w.WriteByte('}')
}
