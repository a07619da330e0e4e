package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"time"
)

// sqlite3 runs statements in the sqlite3 command on a database file, read
// only.
type sqlite3 struct {
	bin, file string
	runs      int
	timeout   time.Duration
}

// A result is what sqlite3 reported of one statement.
type result struct {
	plan                   []string  // EXPLAIN QUERY PLAN, one line a step
	times                  []float64 // seconds of CPU, of each timed run
	steps, fullscan, sorts float64   // from .stats, of the run that warms up
	pages                  float64   // page cache hits and misses
	err                    string
}

// timeText is the median time, or what went wrong.
func (r result) timeText() string {
	if len(r.times) == 0 {
		return "-"
	}
	return fmt.Sprintf("%.4f", median(r.times))
}

// add counts the run of another statement of the same page in r: its
// counts and median time added, its plan kept if it reads the page's rows.
func (r *result) add(o result, page bool) {
	if page {
		r.plan = append(r.plan, o.plan...)
	}
	r.steps += o.steps
	r.fullscan += o.fullscan
	r.sorts += o.sorts
	r.pages += o.pages
	if len(o.times) > 0 {
		if len(r.times) == 0 {
			r.times = []float64{0}
		}
		r.times[0] += median(o.times)
	}
	if o.err != "" {
		r.err = strings.TrimSpace(r.err + " " + o.err)
	}
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

// run prints the plan of q, runs it once with .stats (which warms the page
// cache), then times it. A statement whose first timed run takes over a
// second is not run again.
func (c *sqlite3) run(q string, args []any) result {
	var r result
	script := paramScript(args) + "SELECT '@plan';\nEXPLAIN QUERY PLAN " + q + ";\nSELECT '@stats';\n.stats on\n" + q + ";\n.stats off\n.output /dev/null\n.timer on\n" + q + ";\n"
	out, err := c.exec(script)
	if err != nil {
		r.err = err.Error()
		r.parse(out)
		return r
	}
	r.parse(out)
	if len(r.times) == 1 && r.times[0] < 1 {
		more := paramScript(args) + ".output /dev/null\n.timer on\n" + strings.Repeat(q+";\n", c.runs-1)
		out, err := c.exec(more)
		if err != nil {
			r.err = err.Error()
		}
		r.parse(out)
	}
	return r
}

// paramScript binds args to $1, $2, … as the store's statements name them.
func paramScript(args []any) string {
	var b strings.Builder
	b.WriteString(".param init\n")
	for i, a := range args {
		fmt.Fprintf(&b, "INSERT INTO temp.sqlite_parameters (key, value) VALUES ('$%d', %s);\n", i+1, literal(a))
	}
	return b.String()
}

// literal writes a value as SQL.
func literal(a any) string {
	switch v := a.(type) {
	case int:
		return strconv.Itoa(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case string:
		return "'" + strings.ReplaceAll(v, "'", "''") + "'"
	}
	panic(fmt.Sprintf("qplans: an argument of type %T", a))
}

func (c *sqlite3) exec(script string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.bin, "-readonly", "-bail", c.file)
	cmd.Stdin = strings.NewReader(script)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if ctx.Err() != nil {
		return out, fmt.Errorf("TIMEOUT>%s", c.timeout)
	}
	if err != nil {
		return out, fmt.Errorf("%v: %s", err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

// parse reads sqlite3's output: the plan after "@plan", the counts of
// .stats, and the times of .timer.
func (r *result) parse(out []byte) {
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<24)
	section := ""
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "@plan" || line == "@stats":
			section = line
		case strings.HasPrefix(line, "Run Time: real "):
			// "Run Time: real R user U sys S": CPU (user and sys) rather
			// than real time, which other work on the machine inflates;
			// it also has microseconds where real has milliseconds.
			f := strings.Fields(line)
			if len(f) == 8 {
				u, err1 := strconv.ParseFloat(f[5], 64)
				s, err2 := strconv.ParseFloat(f[7], 64)
				if err1 == nil && err2 == nil {
					r.times = append(r.times, u+s)
				}
			}
		case section == "@plan" && line != "QUERY PLAN":
			r.plan = append(r.plan, strings.TrimLeft(line, "|`- "))
		case section == "@stats":
			name, val, ok := strings.Cut(line, ":")
			if !ok {
				continue
			}
			n, _ := strconv.ParseFloat(strings.Fields(val + " 0")[0], 64)
			switch strings.TrimSpace(name) {
			case "Virtual Machine Steps":
				r.steps = n
			case "Fullscan Steps":
				r.fullscan = n
			case "Sort Operations":
				r.sorts = n
			case "Page cache hits", "Page cache misses":
				r.pages += n
			}
		}
	}
}
