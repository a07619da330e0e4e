package registry

import (
	"cmp"
	"fmt"
	"hash/maphash"
	"slices"
)

// A Checker checks the records of a batch read one at a time, as Set.Check
// checks a whole one: each record valid, no id twice in the batch, and
// every reference naming a record of the register (through known) or of
// the batch, before or after it. It keeps a compact index of the ids it
// has seen, not the records, so that a batch of any length can be checked
// as it is written.
type Checker struct {
	known  Known
	ids    idSet
	counts map[string]int // records added, by kind
	// pending holds the references to ids that neither the register nor
	// the batch held when they were read, until Done: a later record may
	// define them.
	pending map[EntityID][]refSite
	sites   int // references kept in pending
	errs    []*RecordError
}

// A refSite is one reference: the record that makes it and where in it.
type refSite struct {
	kind  string
	index int
	id    string
	path  string
	order int // the reference's place among all pending ones, for Done's order
}

// NewChecker returns a Checker that looks up, with known, the ids the
// batch does not define. known may be nil: then only the batch counts.
func NewChecker(known Known) *Checker {
	return &Checker{known: known, ids: newIDSet(), counts: map[string]int{}, pending: map[EntityID][]refSite{}}
}

// Add checks the next record of the batch and returns its position among
// the records of its kind added so far, which the RecordErrors about it
// give as their Index. Past about MaxErrors problems it checks no more.
func (c *Checker) Add(e Entity) int {
	kind, id := e.Kind(), e.Key()
	i := c.counts[kind]
	c.counts[kind]++
	if c.Full() {
		return i
	}
	if err := e.Validate(); err != nil {
		for _, fe := range err.(Errors) {
			c.Refuse(kind, i, id, fe)
		}
	}
	if !c.ids.add(kind, id) {
		c.Refuse(kind, i, id, duplicate(kind, id))
	}
	References(e, func(path, target, tid string) {
		if tid == "" || c.ids.has(target, tid) || c.known != nil && c.known(target, tid) {
			return
		}
		k := EntityID{Kind: target, ID: tid}
		sites, ok := c.pending[k]
		switch {
		case !ok && len(c.pending) == MaxForwardRefs:
			c.Refuse(kind, i, id, &FieldError{Path: path, Msg: fmt.Sprintf("%s %q is not in the register, and the batch already names %d ids it has not yet defined: list jurisdictions, instruments and vendors before the records that name them", target, Clip(tid), MaxForwardRefs)})
			return
		case ok && c.sites >= MaxErrors:
			return // reported, if at all, through the sites kept
		}
		// Each pending id keeps its first reference, and more while there
		// are few: an id that stays undefined is reported at each.
		c.pending[k] = append(sites, refSite{kind, i, id, path, c.sites})
		c.sites++
	})
	return i
}

// Refuse records a problem with the record at index among those of kind,
// found by the caller (a retracted id, say).
func (c *Checker) Refuse(kind string, index int, id string, fe *FieldError) {
	c.errs = append(c.errs, &RecordError{Kind: kind, Index: index, ID: id, Err: fe})
}

// Failed reports whether a problem has been found: the batch will be
// refused, and its writer can stop writing.
func (c *Checker) Failed() bool { return len(c.errs) > 0 }

// Full reports whether MaxErrors problems have been found: the rest of
// the batch need not be read.
func (c *Checker) Full() bool { return len(c.errs) >= MaxErrors }

// Done checks the references to ids that the batch defined after them,
// and returns every problem found, in the order found; those of
// references come last, in the order the references were read.
func (c *Checker) Done() []*RecordError {
	type ref struct {
		refSite
		target EntityID
	}
	var left []ref
	for k, sites := range c.pending {
		if !c.ids.has(k.Kind, k.ID) {
			for _, s := range sites {
				left = append(left, ref{s, k})
			}
		}
	}
	slices.SortFunc(left, func(a, b ref) int { return cmp.Compare(a.order, b.order) })
	for _, r := range left {
		if c.Full() {
			break
		}
		c.Refuse(r.kind, r.index, r.id, missing(r.path, r.target.Kind, r.target.ID))
	}
	c.pending = nil
	return c.errs
}

// An idSet holds the kind and id of every record of a batch as a 128-bit
// hash, 16 bytes an id whatever its length. The hash is keyed with seeds
// chosen when the process starts, so no file can be written to make two
// ids collide, and two distinct ids of one batch collide with a
// probability below 2^-100.
type idSet struct {
	seeds [2]maphash.Seed
	m     map[[2]uint64]struct{}
}

func newIDSet() idSet {
	return idSet{seeds: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}, m: map[[2]uint64]struct{}{}}
}

func (s idSet) key(kind, id string) [2]uint64 {
	var k [2]uint64
	for i, seed := range s.seeds {
		var h maphash.Hash
		h.SetSeed(seed)
		h.WriteString(kind)
		h.WriteByte(0)
		h.WriteString(id)
		k[i] = h.Sum64()
	}
	return k
}

// add adds an id and reports whether it was new.
func (s idSet) add(kind, id string) bool {
	k := s.key(kind, id)
	if _, ok := s.m[k]; ok {
		return false
	}
	s.m[k] = struct{}{}
	return true
}

func (s idSet) has(kind, id string) bool {
	_, ok := s.m[s.key(kind, id)]
	return ok
}
