package monitor

import (
	"bytes"
	"encoding/binary"
	"testing"
)

// FuzzSplitBundle: any bytes either split into entries that, written back
// as a bundle, are the same bytes, or are refused; never a panic.
func FuzzSplitBundle(f *testing.F) {
	f.Add([]byte{0, 1, 'a', 0, 0}, 2)
	f.Add([]byte{0, 5, 'a'}, 1)
	f.Add([]byte{}, 0)
	f.Add([]byte{0xff, 0xff}, 1)
	f.Fuzz(func(t *testing.T, data []byte, w int) {
		es, err := SplitBundle(data, w)
		if err != nil {
			return
		}
		var back []byte
		for _, e := range es {
			back = binary.BigEndian.AppendUint16(back, uint16(len(e)))
			back = append(back, e...)
		}
		if !bytes.Equal(back, data) || len(es) != w {
			t.Fatalf("%x splits into %d entries that write back as %x", data, len(es), back)
		}
	})
}
