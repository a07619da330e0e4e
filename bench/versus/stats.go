package main

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// A run is what one server answered to one kind of query for a while.
type run struct {
	mu       sync.Mutex
	lat      []time.Duration // of the requests answered 200
	statuses map[int]int     // other answers
	timeouts int
	errs     int
	elapsed  time.Duration
}

func (r *run) record(d time.Duration, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var se *statusError
	switch {
	case err == nil:
		r.lat = append(r.lat, d)
	case errors.As(err, &se):
		if r.statuses == nil {
			r.statuses = map[int]int{}
		}
		r.statuses[se.code]++
	case os.IsTimeout(err) || strings.Contains(err.Error(), "Timeout"):
		r.timeouts++
	default:
		r.errs++
	}
}

// rate is the requests answered 200 a second.
func (r *run) rate() float64 { return float64(len(r.lat)) / r.elapsed.Seconds() }

// series are the runs of one kind on one server.
type series struct{ runs []*run }

func (s *series) add(r *run) { s.runs = append(s.runs, r) }

func (s *series) median() float64 {
	v := make([]float64, len(s.runs))
	for i, r := range s.runs {
		v[i] = r.rate()
	}
	sort.Float64s(v)
	if len(v) == 0 {
		return 0
	}
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

// rates is the median rate, then each run's in parentheses.
func (s *series) rates() string {
	each := make([]string, len(s.runs))
	for i, r := range s.runs {
		each[i] = fmt.Sprintf("%.0f", r.rate())
	}
	return fmt.Sprintf("**%.1f** (%s)", s.median(), strings.Join(each, ", "))
}

// quantile is the latency below which a share p of all the runs' answered
// requests fell.
func (s *series) quantile(p float64) time.Duration {
	var all []time.Duration
	for _, r := range s.runs {
		all = append(all, r.lat...)
	}
	if len(all) == 0 {
		return 0
	}
	slices.Sort(all)
	return all[min(len(all)-1, int(p*float64(len(all))))]
}

// failures says what was not answered 200, or nothing.
func (s *series) failures() string {
	statuses, timeouts, errs := map[int]int{}, 0, 0
	for _, r := range s.runs {
		for c, n := range r.statuses {
			statuses[c] += n
		}
		timeouts += r.timeouts
		errs += r.errs
	}
	if len(statuses) == 0 && timeouts == 0 && errs == 0 {
		return ""
	}
	var parts []string
	for _, c := range slices.Sorted(maps.Keys(statuses)) {
		parts = append(parts, fmt.Sprintf("%d answered %d", statuses[c], c))
	}
	return fmt.Sprintf("%s; %d timeouts; %d connection errors", strings.Join(parts, ", "), timeouts, errs)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d.Microseconds())/1000) }
