package analysis

import (
	"context"
	"maps"
	"sync"
	"sync/atomic"

	"oversight/registry"
	"oversight/rules"
)

// The facts a classifier reads for a deployment are, once it is bound to a
// register (SyncFacts), the register's current fact document for it
// (registry.FactDoc), with the revision that wrote them, so that every
// classification can say which inputs produced it; a deployment without one
// is classified from its record alone. An unbound classifier (a test's, or
// one classifying files) reads the curated documents it was made with.

// FactReader is the part of a register that holds fact documents.
type FactReader interface {
	// FactRevisions gives, by deployment id, the revision of every
	// current fact document.
	FactRevisions(ctx context.Context) (map[string]int64, error)
	// FactDocs reads the current fact documents of deployments ids.
	FactDocs(ctx context.Context, ids []string) (map[string]*registry.FactDoc, error)
}

// registerFacts are the fact documents of a register at one moment; a
// value is never changed, only replaced whole.
type registerFacts map[string]factRev

type factRev struct {
	facts *rules.Facts
	seq   int64
}

// boundFacts holds a classifier's register facts.
type boundFacts struct {
	mu  sync.Mutex                    // serialises SyncFacts
	cur atomic.Pointer[registerFacts] // nil until the first sync
}

func (b *boundFacts) load() (registerFacts, bool) {
	p := b.cur.Load()
	if p == nil {
		return nil, false
	}
	return *p, true
}

// SyncFacts binds the classifier to the fact documents r holds now: it
// reads the revision of each and decodes only those that changed since the
// last sync, so that a server can call it whenever its register grows.
// Classifications already under way keep the facts they started with.
func (c *Classifier) SyncFacts(ctx context.Context, r FactReader) error {
	c.bound.mu.Lock()
	defer c.bound.mu.Unlock()
	revs, err := r.FactRevisions(ctx)
	if err != nil {
		return err
	}
	old, _ := c.bound.load()
	next := make(registerFacts, len(revs))
	var changed []string
	for id, seq := range revs {
		if f, ok := old[id]; ok && f.seq == seq {
			next[id] = f
		} else {
			changed = append(changed, id)
		}
	}
	docs, err := r.FactDocs(ctx, changed)
	if err != nil {
		return err
	}
	for _, id := range changed {
		// A document that is no longer there was retracted after the
		// revisions were read: the next sync sees it gone.
		if d, ok := docs[id]; ok && d.Facts() != nil {
			next[id] = factRev{d.Facts(), revs[id]}
		}
	}
	if old != nil && maps.EqualFunc(old, next, func(a, b factRev) bool { return a.seq == b.seq }) {
		return nil
	}
	c.bound.cur.Store(&next)
	return nil
}

// FactsRevision returns the revision of the register's fact document that
// classifications of deployment id read; ok is false when the classifier
// reads none for it (it is not bound to a register, or the deployment has
// no fact document and is classified from its record).
func (c *Classifier) FactsRevision(id string) (seq int64, ok bool) {
	facts, bound := c.bound.load()
	if !bound {
		return 0, false
	}
	f, ok := facts[id]
	return f.seq, ok
}

// factsOf returns the facts of deployment d: the register's, when the
// classifier is bound to one, else the curated document it was made with;
// nil and false when there are none, and the record's facts are derived.
func (c *Classifier) factsOf(d *registry.Deployment) (*rules.Facts, bool) {
	if facts, bound := c.bound.load(); bound {
		f, ok := facts[d.ID]
		return f.facts, ok
	}
	f, ok := c.curated[d.ID]
	return f, ok
}
