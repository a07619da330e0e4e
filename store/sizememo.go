package store

import "sync"

// A sizeMemo keeps values computed from the register at one log size, by
// key, a bounded number of them; a value of another size replaces them
// all. What the memos keep (counts over deployment_counts and of a
// filter's set, a filter's facets) is read from tables that writes change only with the log, in
// the same transaction, so two snapshots of one size read the same values.
// Rebuild and the migrations that fill those tables write them again
// without the log, from the same log, so with the same values; only an
// edit of a table behind the program's back, which their readers trust
// already (verify compares the tables with the states), would leave a
// server's memo with values the tables no longer have, until the next
// write.
type sizeMemo[V any] struct {
	mu   sync.Mutex
	size int64
	m    map[string]V
}

// get returns the value kept for key at size, and whether there was one.
func (c *sizeMemo[V]) get(size int64, key string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[key]
	return v, ok && c.size == size
}

// put keeps v for key at size, with at most most values: past it, or at
// another size, the memo starts again.
func (c *sizeMemo[V]) put(size int64, key string, v V, most int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || c.size != size || len(c.m) >= most {
		c.m, c.size = make(map[string]V), size
	}
	c.m[key] = v
}
