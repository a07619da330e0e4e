package store

import (
	"encoding/binary"
	"fmt"
)

// A deployment's tier spans are stored twice over (migration 021): packed
// in one row of deployment_spans, which a page reads its tiers from and a
// write reads to delete the deployment's rows of deployment_tiers by their
// keys; and a row each in deployment_tiers, keyed (code, from_day,
// until_day, deployment_id), which is the tier filter's index itself.
//
// The packed form is a list of spans, spanSize bytes each, big-endian: the
// code (2 bytes), the first day and the day after the last (4 bytes each,
// YYYYMMDD). Spans come in the order TierSpans gives them: by framework
// (code / tierCodeWidth), then by first day, without overlap. Migration
// 021 writes the same bytes in SQL, from the rows it converts.

// A span is one stored tier span: a code (tierCodec) and its days.
type span struct {
	code        int
	from, until int // YYYYMMDD, until not included
}

// spanSize is the size of one packed span.
const spanSize = 10

// maxSpans bounds how many spans a packed list may hold, far more than
// any projection gives (30 frameworks: about 36 spans a deployment).
const maxSpans = 4096

// The days a span may hold: registry.FirstDay and LastDay.
const (
	minDay = 10101
	maxDay = 99991231
)

// packSpans writes spans in the packed form. They must be in its order,
// as TierSpans gives them.
func packSpans(spans []span) []byte {
	b := make([]byte, 0, len(spans)*spanSize)
	for _, sp := range spans {
		b = binary.BigEndian.AppendUint16(b, uint16(sp.code))
		b = binary.BigEndian.AppendUint32(b, uint32(sp.from))
		b = binary.BigEndian.AppendUint32(b, uint32(sp.until))
	}
	return b
}

// unpackSpans reads a packed list, appending its spans to dst. It refuses
// bytes that packSpans does not write: a length that is not a whole number
// of spans, more than maxSpans, a day that is no YYYYMMDD, an empty span,
// spans out of order or overlapping. Whether a code is one of the
// projector's is the codec's to say (tierCodec.decode).
func unpackSpans(dst []span, b []byte) ([]span, error) {
	if len(b)%spanSize != 0 {
		return dst, fmt.Errorf("packed spans: %d bytes, not a multiple of %d", len(b), spanSize)
	}
	if n := len(b) / spanSize; n > maxSpans {
		return dst, fmt.Errorf("packed spans: %d spans, more than %d", n, maxSpans)
	}
	for i := 0; i < len(b); i += spanSize {
		sp := span{code: int(binary.BigEndian.Uint16(b[i:])), from: int(binary.BigEndian.Uint32(b[i+2:])), until: int(binary.BigEndian.Uint32(b[i+6:]))}
		if !validDay(sp.from) || !validDay(sp.until) || sp.from >= sp.until {
			return dst, fmt.Errorf("packed spans: span %d has days %d to %d", i/spanSize, sp.from, sp.until)
		}
		if i > 0 {
			prev := dst[len(dst)-1]
			fw, prevFw := sp.code/tierCodeWidth, prev.code/tierCodeWidth
			if fw < prevFw || fw == prevFw && sp.from < prev.until {
				return dst, fmt.Errorf("packed spans: span %d (code %d from %d) is out of order after code %d until %d", i/spanSize, sp.code, sp.from, prev.code, prev.until)
			}
		}
		dst = append(dst, sp)
	}
	return dst, nil
}

// validDay says whether n is a day written YYYYMMDD within [minDay,
// maxDay], its month 1 to 12 and its day 1 to 31.
func validDay(n int) bool {
	m, d := n/100%100, n%100
	return n >= minDay && n <= maxDay && m >= 1 && m <= 12 && d >= 1 && d <= 31
}
