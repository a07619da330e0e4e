package store

import (
	"cmp"
	"slices"
	"sync"
	"time"
)

// A Stage is one of verify's checks as it ran: what it checked, how long
// it took and how much it read, so that verify's time can be split. The
// stages run side by side on connections of their own (verify.go), so
// their walls overlap and add up to more than verify's.
type Stage struct {
	Name  string
	Start time.Duration // from the start of verify
	Wall  time.Duration
	// Rows is how many rows the stage read, or -1 where it reads none of
	// its own: SQLite's check reads pages, and a comparison reads what
	// another stage read.
	Rows int64
}

// stageLog collects the stages of one verify, from several goroutines.
type stageLog struct {
	start time.Time
	mu    sync.Mutex
	list  []Stage
}

func newStageLog() *stageLog { return &stageLog{start: time.Now()} }

// time runs f as the stage name and records it; f returns the rows it
// read.
func (l *stageLog) time(name string, f func() (int64, error)) error {
	t := time.Now()
	rows, err := f()
	st := Stage{Name: name, Start: t.Sub(l.start), Wall: time.Since(t), Rows: rows}
	l.mu.Lock()
	l.list = append(l.list, st)
	l.mu.Unlock()
	return err
}

// stages returns the stages in the order they started.
func (l *stageLog) stages() []Stage {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := slices.Clone(l.list)
	slices.SortStableFunc(out, func(a, b Stage) int { return cmp.Compare(a.Start, b.Start) })
	return out
}
