package registry

// TierTable is deployments' tiers on one day, as a store's tier projection
// holds them: for each deployment read, its tier under each of Frameworks,
// or none. A page of 50 under 30 frameworks is one block of 1,500 small
// numbers; as a map a deployment (TierTable.Map), making and reading the
// maps took a fifth of an uncached page's handler time
// (docs/performance.md, "A request's own cost, 6 Dec (later)").
type TierTable struct {
	// Frameworks are the frameworks of the table's columns, in the
	// projection's order.
	Frameworks []string
	names      []string       // the tiers cells name: a cell holds its index plus one, 0 for none
	rows       map[string]int // each deployment's first cell
	cells      []uint8
}

// NewTierTable makes an empty table of frameworks' tiers, for about n
// deployments; tiers lists the tiers a row's SetCode names by index.
func NewTierTable(frameworks, tiers []string, n int) *TierTable {
	return &TierTable{
		Frameworks: frameworks,
		names:      tiers[:len(tiers):len(tiers)], // Set appends to a copy
		rows:       make(map[string]int, n),
		cells:      make([]uint8, 0, n*len(frameworks)),
	}
}

// A TierRow is one deployment's row of a TierTable.
type TierRow struct {
	t   *TierTable
	off int
}

// Add returns a deployment's row, which it makes, with no tier, if the
// deployment has none.
func (t *TierTable) Add(id string) TierRow {
	if off, ok := t.rows[id]; ok {
		return TierRow{t, off}
	}
	off := len(t.cells)
	t.cells = append(t.cells, make([]uint8, len(t.Frameworks))...)
	t.rows[id] = off
	return TierRow{t, off}
}

// Row returns a deployment's row; ok is false if the table has none.
func (t *TierTable) Row(id string) (r TierRow, ok bool) {
	if t == nil {
		return TierRow{}, false
	}
	off, ok := t.rows[id]
	return TierRow{t, off}, ok
}

// SetCode sets the row's tier under Frameworks[fw] to the table's tier
// number tier (NewTierTable's tiers[tier]). Past 255 tiers it panics:
// the register has 6.
func (r TierRow) SetCode(fw, tier int) {
	if tier < 0 || tier >= 255 {
		panic("registry: a tier table numbers at most 255 tiers")
	}
	r.t.cells[r.off+fw] = uint8(tier + 1)
}

// Set sets the row's tier under Frameworks[fw] by its name.
func (r TierRow) Set(fw int, tier string) {
	for i, n := range r.t.names {
		if n == tier {
			r.SetCode(fw, i)
			return
		}
	}
	r.t.names = append(r.t.names, tier)
	r.SetCode(fw, len(r.t.names)-1)
}

// Tier is the row's tier under Frameworks[fw]; ok is false if it has
// none.
func (r TierRow) Tier(fw int) (tier string, ok bool) {
	c := r.t.cells[r.off+fw]
	if c == 0 {
		return "", false
	}
	return r.t.names[c-1], true
}

// Code is the number of the row's tier under Frameworks[fw] among the
// table's Tiers, -1 if it has none.
func (r TierRow) Code(fw int) int { return int(r.t.cells[r.off+fw]) - 1 }

// Tiers lists the tiers a row's Code numbers: NewTierTable's, and those
// Set added after them.
func (t *TierTable) Tiers() []string { return t.names }

// Len is how many frameworks the row has a tier under.
func (r TierRow) Len() int {
	n := 0
	for _, c := range r.t.cells[r.off : r.off+len(r.t.Frameworks)] {
		if c != 0 {
			n++
		}
	}
	return n
}

// Has reports whether the row has a tier under each of the frameworks of
// columns cols.
func (r TierRow) Has(cols []int) bool {
	for _, c := range cols {
		if r.t.cells[r.off+c] == 0 {
			return false
		}
	}
	return true
}

// Index is the column of a framework, or -1 if the table has none.
func (t *TierTable) Index(framework string) int {
	for i, fw := range t.Frameworks {
		if fw == framework {
			return i
		}
	}
	return -1
}

// Columns returns the table's column of each of frameworks, in their
// order, or nil if the table has no column for one of them (or is nil).
func (t *TierTable) Columns(frameworks []string) []int {
	if t == nil {
		return nil
	}
	cols := make([]int, len(frameworks))
	for i, fw := range frameworks {
		if cols[i] = t.Index(fw); cols[i] < 0 {
			return nil
		}
	}
	return cols
}

// Map is a deployment's tiers by framework, nil if the table has no row
// for it.
func (t *TierTable) Map(id string) map[string]string {
	r, ok := t.Row(id)
	if !ok {
		return nil
	}
	m := make(map[string]string, r.Len())
	for i, fw := range t.Frameworks {
		if tier, ok := r.Tier(i); ok {
			m[fw] = tier
		}
	}
	return m
}
