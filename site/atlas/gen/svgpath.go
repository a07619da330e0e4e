package main

import (
	"math"
	"strconv"
	"strings"
)

// writeRing appends a closed subpath: an absolute move, then relative lines,
// all in tenths of a unit (rounded once, so shared borders stay identical).
func writeRing(b *strings.Builder, r []pt) {
	var px, py, x0, y0 int
	n := 0
	for i, p := range r {
		x, y := int(math.Round(p.x*10)), int(math.Round(p.y*10))
		if i == len(r)-1 && x == x0 && y == y0 {
			break // z closes the ring
		}
		if i == 0 {
			x0, y0 = x, y
			b.WriteString("M" + tenths(x) + sep(y) + tenths(y))
		} else if x != px || y != py {
			if n == 0 {
				b.WriteString("l")
			} else if x-px >= 0 {
				b.WriteString(" ")
			}
			b.WriteString(tenths(x-px) + sep(y-py) + tenths(y-py))
			n++
		}
		px, py = x, y
	}
	b.WriteString("z")
}

func sep(v int) string {
	if v < 0 {
		return ""
	}
	return " "
}

// tenths formats v/10 with at most one decimal.
func tenths(v int) string {
	s := strconv.Itoa(v / 10)
	if v < 0 && v > -10 {
		s = "-0"
	}
	if r := v % 10; r != 0 {
		s += "." + strconv.Itoa(max(r, -r))
	}
	return s
}
