package store

import (
	"context"

	"oversight/internal/ordered"
	"oversight/ledger"
)

// A checkpointCheck is what reading the checkpoints table found: the
// checkpoints whose signatures verified, and what was wrong with the other
// rows.
//
// Every stored checkpoint is checked, not only the latest that the API
// serves: an older one rewritten, or one added under a size it was not
// signed for, is evidence of tampering even while the latest is sound.
type checkpointCheck struct {
	head   int64
	signed []storedCheckpoint // in order of size
	last   int64              // the size of the last row, -1 for none
	bad    findings
	shown  int // rows reported so far
	latest ledger.Checkpoint
	good   int // checkpoints that verified and match the tree
	rows   int64
}

// A storedCheckpoint is a checkpoint that verified, and the size its row
// is stored under.
type storedCheckpoint struct {
	row int64
	cp  ledger.Checkpoint
}

// report records what is wrong with the row stored under size, the first
// few of them by row.
func (c *checkpointCheck) report(size int64, format string, args ...any) {
	if c.shown < most {
		c.bad.add("checkpoints", "row size %d: "+format, append([]any{size}, args...)...)
	}
	c.shown++
}

// readCheckpoints reads every checkpoint row and verifies its signature
// with the DB's key, on every core: a register edited a record at a time
// has a checkpoint per revision.
func (s *DB) readCheckpoints(ctx context.Context, c *checkpointCheck) error {
	c.last = -1
	sn, err := s.Snapshot(ctx)
	if err != nil {
		return err
	}
	defer sn.Close()
	c.head = sn.size
	rows, err := sn.q.QueryContext(ctx, "SELECT size, signed FROM checkpoints ORDER BY size")
	if err != nil {
		return err
	}
	defer rows.Close()
	type row struct {
		size   int64
		signed []byte
	}
	type opened struct {
		cp  ledger.Checkpoint
		err error
	}
	read := func(ctx context.Context, emit func(row) error) error {
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.size, &r.signed); err != nil {
				return err
			}
			if err := emit(r); err != nil {
				return err
			}
		}
		return rows.Err()
	}
	open := func(r row) (opened, error) {
		cp, err := ledger.Open(r.signed, s.key.Verifier)
		return opened{cp, err}, nil
	}
	return ordered.Each(ctx, read, open, func(r row, o opened) error {
		c.rows++
		switch {
		case r.size == c.last:
			c.report(r.size, "stored twice")
		case o.err != nil:
			c.report(r.size, "%v", o.err)
		case o.cp.Size != r.size:
			c.report(r.size, "holds the checkpoint signed for %d revisions", o.cp.Size)
		default:
			c.signed = append(c.signed, storedCheckpoint{r.size, o.cp})
		}
		c.last = r.size
		return nil
	})
}

// against checks the checkpoints whose signatures verified against the
// tree rebuilt from the revisions: each must sign the root of the tree at
// its size, and the latest row must cover the whole log. It checks the
// checkpoints a reader saved earlier the same way, except that one the log
// no longer reaches shows revisions removed.
func (c *checkpointCheck) against(tree *ledger.Tree, earlier []ledger.Checkpoint) error {
	size := tree.Size()
	for _, sc := range c.signed {
		if sc.cp.Size > size {
			c.report(sc.row, "signed for %d revisions, the log holds %d", sc.cp.Size, size)
			continue
		}
		root, err := tree.Root(sc.cp.Size)
		if err != nil {
			return err
		}
		if root != sc.cp.Hash {
			c.report(sc.row, "signed root %s differs from the root of the first %d revisions %s", sc.cp.Hash, sc.cp.Size, root)
			continue
		}
		c.good++
		if sc.row == c.last {
			c.latest = sc.cp
		}
	}
	if c.shown > most {
		c.bad.add("checkpoints", "and %d more rows", c.shown-most)
	}
	switch {
	case c.last < 0 && size > 0:
		c.bad.add("checkpoints", "the log holds %d revisions but there is no checkpoint", size)
	case c.last >= 0 && c.last != size:
		c.bad.add("checkpoints", "the latest row, size %d, does not cover the log of %d revisions", c.last, size)
	}
	for _, old := range earlier {
		if old.Size > size {
			c.bad.add("checkpoint", "the saved checkpoint of %d revisions (root %s) is not extended by the log, which holds %d: revisions were removed", old.Size, old.Hash, size)
			continue
		}
		root, err := tree.Root(old.Size)
		if err != nil {
			return err
		}
		if root != old.Hash {
			c.bad.add("checkpoint", "the saved checkpoint of %d revisions (root %s): the first %d revisions now hash to %s", old.Size, old.Hash, old.Size, root)
		}
	}
	return nil
}
