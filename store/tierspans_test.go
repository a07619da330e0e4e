package store

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

// TestPackSpans checks that unpackSpans reads what packSpans writes, and
// refuses each kind of bytes packSpans does not write, naming what is
// wrong.
func TestPackSpans(t *testing.T) {
	spans := []span{{0, 10101, 20240802}, {1, 20240802, 99991231}, {33, 20250101, 20260101}, {64, 10101, 99991231}}
	b := packSpans(spans)
	if len(b) != len(spans)*spanSize {
		t.Fatalf("%d spans packed in %d bytes", len(spans), len(b))
	}
	got, err := unpackSpans([]span{{7, 10101, 10102}}, b)
	if err != nil || !slices.Equal(got[1:], spans) || got[0] != (span{7, 10101, 10102}) {
		t.Fatalf("unpacked %v, %v; want %v after the span given", got, err, spans)
	}
	if got, err := unpackSpans(nil, nil); err != nil || len(got) != 0 {
		t.Fatalf("no bytes: %v, %v", got, err)
	}
	for _, c := range []struct {
		name  string
		b     []byte
		error string
	}{
		{"a byte short", b[:len(b)-1], "not a multiple of 10"},
		{"too many", bytes.Repeat(packSpans(spans[:1]), maxSpans+1), "more than 4096"},
		{"no month", packSpans([]span{{0, 20240002, 20250101}}), "span 0 has days 20240002 to 20250101"},
		{"day 32", packSpans([]span{{0, 20240132, 20250101}}), "has days"},
		{"before the first day", packSpans([]span{{0, 10100, 20250101}}), "has days"},
		{"after the last day", packSpans([]span{{0, 20240101, 99991232}}), "has days"},
		{"empty", packSpans([]span{{0, 20240101, 20240101}}), "has days"},
		{"overlapping", packSpans([]span{{0, 20240101, 20250101}, {1, 20241231, 20260101}}), "span 1 (code 1 from 20241231) is out of order"},
		{"frameworks out of order", packSpans([]span{{32, 20240101, 20250101}, {0, 20240101, 20250101}}), "out of order"},
	} {
		if _, err := unpackSpans(nil, c.b); err == nil || !strings.Contains(err.Error(), c.error) {
			t.Errorf("%s: %v; want an error with %q", c.name, err, c.error)
		}
	}
}

// FuzzUnpackSpans requires unpackSpans to refuse or read any bytes without
// panicking, in bounded time, and what it reads to be packed again into
// the same bytes.
func FuzzUnpackSpans(f *testing.F) {
	f.Add(packSpans([]span{{0, 10101, 20240802}, {1, 20240802, 99991231}, {33, 20250101, 20260101}}))
	f.Add(packSpans([]span{{0, 20240101, 20250101}, {1, 20241231, 20260101}}))
	f.Add([]byte{})
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	f.Add(bytes.Repeat([]byte{0, 1, 0, 0, 0x27, 0x75, 0x05, 0xf5, 0xe0, 0xff}, 3))
	f.Fuzz(func(t *testing.T, b []byte) {
		spans, err := unpackSpans(nil, b)
		if err != nil {
			if len(spans) > maxSpans {
				t.Fatalf("%d spans read before an error", len(spans))
			}
			return
		}
		if again := packSpans(spans); !bytes.Equal(again, b) {
			t.Fatalf("read %v from %x, packed again as %x", spans, b, again)
		}
	})
}
