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

	"oversight/bench/internal/proccpu"
)

// A run is what one server answered to one kind of query for a while.
type run struct {
	mu       sync.Mutex
	lat      []time.Duration // of the requests answered 200
	statuses map[int]int     // other answers
	timeouts int
	errs     int
	elapsed  time.Duration
	cpu      time.Duration // the server's CPU time during the run, when its pid is known
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

// cpuPer is the server's CPU time per request answered 200, the median
// of the runs: a figure that depends less than the rate on what else the
// machine is doing.
func (s *series) cpuPer() string {
	var v []float64
	for _, r := range s.runs {
		if r.cpu > 0 && len(r.lat) > 0 {
			v = append(v, float64(r.cpu.Microseconds())/1000/float64(len(r.lat)))
		}
	}
	if len(v) == 0 {
		return "–"
	}
	slices.Sort(v)
	return fmt.Sprintf("%.2f", v[len(v)/2])
}

// cpuTime is the CPU time process pid has used, user and system, from
// /proc; 0 when pid is 0 or unreadable.
func cpuTime(pid int) time.Duration {
	if pid == 0 {
		return 0
	}
	d, err := proccpu.Of(pid)
	if err != nil {
		return 0
	}
	return d
}

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
	parts = append(parts, fmt.Sprintf("%d timeouts", timeouts), fmt.Sprintf("%d connection errors", errs))
	return strings.Join(parts, "; ")
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d.Microseconds())/1000) }
