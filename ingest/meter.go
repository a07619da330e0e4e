package ingest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"

	"oversight/registry"
)

// A meter reads an import file for a streaming reader: it refuses a file
// in UTF-16 or UTF-32, drops a UTF-8 byte order mark, counts the lines it
// has read, so that errors can name theirs, and bounds how far the reader
// may read past a mark (the start of a record), so that no record is read
// whole into memory if it is too large.
type meter struct {
	r     *bufio.Reader
	n     int64 // bytes read
	lines int64 // line feeds read
	mark  int64
	limit int64 // bytes allowed past mark; negative for no limit
}

// errTooLong is the error of a read past the meter's limit.
var errTooLong = errors.New("too long")

func newMeter(name string, r io.Reader) (*meter, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(4)
	for _, bom := range [][]byte{{0, 0, 0xfe, 0xff}, {0xff, 0xfe, 0, 0}, {0xfe, 0xff}, {0xff, 0xfe}} {
		if bytes.HasPrefix(head, bom) {
			return nil, ErrorList{{File: name, Line: 1, Msg: "the file is UTF-16 or UTF-32 (it starts with a byte order mark): save it as UTF-8"}}
		}
	}
	if bytes.HasPrefix(head, []byte("\ufeff")) {
		br.Discard(3)
	}
	return &meter{r: br, limit: -1}, nil
}

// bound allows reads up to limit bytes past the offset mark, or any
// number with a negative limit.
func (m *meter) bound(mark, limit int64) { m.mark, m.limit = mark, limit }

func (m *meter) Read(p []byte) (int, error) {
	if m.limit >= 0 && m.n-m.mark > m.limit {
		return 0, errTooLong
	}
	n, err := m.r.Read(p)
	m.n += int64(n)
	m.lines += int64(bytes.Count(p[:n], []byte("\n")))
	return n, err
}

// ahead returns the bytes the meter holds read from the file and not yet
// given to its reader, without reading more. They stay valid until the
// next Read.
func (m *meter) ahead() []byte {
	b, _ := m.r.Peek(m.r.Buffered())
	return b
}

// tooLong says what the limit is.
func (m *meter) tooLong() string {
	return fmt.Sprintf("a record of more than %d bytes: a record may have at most %d (%d MiB)", m.limit, registry.MaxRecordBytes, registry.MaxRecordBytes>>20)
}
