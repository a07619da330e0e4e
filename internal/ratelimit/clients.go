package ratelimit

// A table is the limiter's memory of clients: for each id, its theoretical
// arrival time, for at most max ids, in the order they were last seen. The
// entries live in one slice, linked into a list by index, most recent
// first; the map finds an id's entry. Every operation is O(1), and once the
// slice has grown to max a new client reuses the least recent entry's
// place, so a full table allocates nothing more.
//
// A table is not safe for concurrent use; the Limiter's mutex guards it.
type table struct {
	max        int
	index      map[id]int32
	entries    []entry
	head, tail int32 // most and least recently seen; none when -1
}

type entry struct {
	id         id
	tat        int64 // theoretical arrival time, ns since the limiter's epoch
	prev, next int32 // neighbours in recency order; none when -1
}

const none = -1

// newTable returns an empty table of at most max entries, max ≥ 1.
func newTable(max int) *table {
	return &table{max: max, index: make(map[id]int32), head: none, tail: none}
}

// len returns the number of clients in t.
func (t *table) len() int { return len(t.entries) }

// get returns the entry of c, marked as seen most recently. When c is not
// in t, it is added with tat, in place of the least recently seen client
// if t is full.
func (t *table) get(c id, tat int64) *entry {
	if i, ok := t.index[c]; ok {
		t.unlink(i)
		t.push(i)
		return &t.entries[i]
	}
	var i int32
	if len(t.entries) < t.max {
		i = int32(len(t.entries))
		t.entries = append(t.entries, entry{})
	} else {
		i = t.tail
		t.unlink(i)
		delete(t.index, t.entries[i].id)
	}
	t.entries[i] = entry{id: c, tat: tat}
	t.index[c] = i
	t.push(i)
	return &t.entries[i]
}

// unlink takes entry i out of the recency list.
func (t *table) unlink(i int32) {
	e := &t.entries[i]
	if e.prev == none {
		t.head = e.next
	} else {
		t.entries[e.prev].next = e.next
	}
	if e.next == none {
		t.tail = e.prev
	} else {
		t.entries[e.next].prev = e.prev
	}
	e.prev, e.next = none, none
}

// push puts entry i at the front of the recency list.
func (t *table) push(i int32) {
	e := &t.entries[i]
	e.prev, e.next = none, t.head
	if t.head != none {
		t.entries[t.head].prev = i
	}
	t.head = i
	if t.tail == none {
		t.tail = i
	}
}
