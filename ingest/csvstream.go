package ingest

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"

	"oversight/registry"
)

// csvRecords reads a deployment CSV file (see parseCSV) one row at a time.
// A row is bounded by registry.MaxRecordBytes as it is read, and each of
// its cells by registry.MaxCellBytes once read, so that memory holds one
// row, however many rows the file has.
type csvRecords struct {
	name   string
	in     *meter
	r      *csv.Reader
	header []string
	col    map[string]int
	done   bool // at the end, or after an error the reader cannot go past
}

func newCSVRecords(name string, rd io.Reader) (*csvRecords, error) {
	in, err := newMeter(name, rd)
	if err != nil {
		return nil, err
	}
	c := &csvRecords{name: name, in: in, r: csv.NewReader(in)}
	c.r.FieldsPerRecord = -1
	header, _, err := c.row()
	if err != nil {
		return nil, err
	}
	if header == nil {
		return nil, ErrorList{{File: name, Line: 1, Msg: "cannot read the CSV header: " + io.EOF.Error()}}
	}
	c.header = slices.Clone(header)
	col, errs := csvHeader(name, c.header)
	if len(errs) > 0 {
		return nil, errs
	}
	c.col = col
	return c, nil
}

// row reads the next row and its line; nil at the end.
func (c *csvRecords) row() ([]string, int, error) {
	c.in.bound(c.r.InputOffset(), registry.MaxRecordBytes)
	defer c.in.bound(0, -1)
	rec, err := c.r.Read()
	switch {
	case errors.Is(err, io.EOF):
		c.done = true
		return nil, 0, nil
	case errors.Is(err, errTooLong):
		c.done = true
		line, _ := c.r.FieldPos(0)
		return nil, 0, ErrorList{{File: c.name, Line: line, Msg: fmt.Sprintf("a row of more than %d bytes: a row may have at most %d (%d MiB)", registry.MaxRecordBytes, registry.MaxRecordBytes, registry.MaxRecordBytes>>20)}}
	case err != nil:
		c.done = true // after a quoting error the reader cannot resynchronise
		return nil, 0, ErrorList{csvError(c.name, 0, err)}
	}
	line, _ := c.r.FieldPos(0)
	return rec, line, nil
}

// next returns the next deployment, or io.EOF after the last. An error in
// a row leaves the reader at the next one; after one it cannot go past,
// next returns io.EOF.
func (c *csvRecords) next() (registry.Entity, error) {
	if c.done {
		return nil, io.EOF
	}
	rec, line, err := c.row()
	if err != nil || rec == nil {
		if err == nil {
			err = io.EOF
		}
		return nil, err
	}
	var errs ErrorList
	for i, cell := range rec {
		if len(cell) > registry.MaxCellBytes {
			field := fmt.Sprintf("column %d", i+1)
			if i < len(c.header) {
				field = registry.Clip(c.header[i])
			}
			errs.add(&Error{File: c.name, Line: line, Field: field, Msg: fmt.Sprintf("a cell of %d bytes: a cell holds at most %d", len(cell), registry.MaxCellBytes)})
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	cost, err := rowCost(rec, c.col)
	if err == nil && cost > registry.MaxRecordDecodeBytes {
		err = fmt.Errorf("decoding the row would take more than %d MiB of memory", registry.MaxRecordDecodeBytes>>20)
	}
	if err != nil {
		return nil, ErrorList{{File: c.name, Line: line, Msg: err.Error()}}
	}
	d, _ := csvRow(c.name, line, rec, c.header, c.col, &errs)
	if len(errs) > 0 {
		return nil, errs
	}
	return d, nil
}
