// Package proccpu reads the CPU time a process has used, for benchmarks
// that time a server by what it spent rather than by the wall clock.
package proccpu

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"time"
)

// clockTicks is the unit of /proc's CPU times (USER_HZ), 100 on Linux: a
// reading moves in steps of 10 ms.
const clockTicks = 100

// tick is the time one clock tick stands for.
const tick = time.Second / clockTicks

// maxTicks bounds each of the two times read, so that their sum stays
// within a time.Duration (about 146 years each).
const maxTicks = math.MaxInt64 / 2 / int64(tick)

// Of returns the user and system CPU time process pid has used so far,
// from /proc/PID/stat.
func Of(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	d, err := parse(b)
	if err != nil {
		return 0, fmt.Errorf("/proc/%d/stat: %w", pid, err)
	}
	return d, nil
}

// parse reads the CPU time from the text of a /proc/PID/stat.
func parse(b []byte) (time.Duration, error) {
	// The fields after the command, which is in parentheses and may hold
	// spaces: state is the first, utime the 12th and stime the 13th.
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(f) < 13 {
		return 0, fmt.Errorf("%d fields after the command, want 13 or more", len(f))
	}
	var ticks int64
	for _, s := range f[11:13] {
		t, err := strconv.ParseInt(s, 10, 64)
		if err != nil || t < 0 || t > maxTicks {
			return 0, fmt.Errorf("CPU time %q: want a count of clock ticks up to %d", s, maxTicks)
		}
		ticks += t
	}
	return time.Duration(ticks) * tick, nil
}
