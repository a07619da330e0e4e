package main

import "math"

// simplify applies Douglas–Peucker, keeping both end points. A closed arc
// (first point equals last) is split at its point farthest from the start.
func simplify(p []pt, tol float64) []pt {
	if len(p) < 3 {
		return p
	}
	keep := make([]bool, len(p))
	keep[0], keep[len(p)-1] = true, true
	type span struct{ i, j int }
	stack := []span{{0, len(p) - 1}}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		far, dmax := -1, tol
		if s.i == 0 && s.j == len(p)-1 && p[0] == p[s.j] {
			dmax = -1 // closed: always split
		}
		for k := s.i + 1; k < s.j; k++ {
			if d := segDist(p[k], p[s.i], p[s.j]); d > dmax {
				far, dmax = k, d
			}
		}
		if far >= 0 {
			keep[far] = true
			stack = append(stack, span{s.i, far}, span{far, s.j})
		}
	}
	var out []pt
	for i, k := range keep {
		if k {
			out = append(out, p[i])
		}
	}
	return out
}

func segDist(p, a, b pt) float64 {
	dx, dy := b.x-a.x, b.y-a.y
	l := dx*dx + dy*dy
	if l == 0 {
		return math.Hypot(p.x-a.x, p.y-a.y)
	}
	t := math.Max(0, math.Min(1, ((p.x-a.x)*dx+(p.y-a.y)*dy)/l))
	return math.Hypot(p.x-a.x-t*dx, p.y-a.y-t*dy)
}

// clip clips a ring to a rectangle (Sutherland–Hodgman). Concave rings may
// gain zero-width spurs along the edge, which do not show when filled.
func clip(r []pt, x0, y0, x1, y1 float64) []pt {
	edges := []struct {
		in  func(pt) bool
		cut func(a, b pt) pt
	}{
		{func(p pt) bool { return p.x >= x0 }, func(a, b pt) pt { return lerpX(a, b, x0) }},
		{func(p pt) bool { return p.x <= x1 }, func(a, b pt) pt { return lerpX(a, b, x1) }},
		{func(p pt) bool { return p.y >= y0 }, func(a, b pt) pt { return lerpY(a, b, y0) }},
		{func(p pt) bool { return p.y <= y1 }, func(a, b pt) pt { return lerpY(a, b, y1) }},
	}
	for _, e := range edges {
		if len(r) == 0 {
			return nil
		}
		var out []pt
		prev := r[len(r)-1]
		for _, p := range r {
			switch {
			case e.in(p) && !e.in(prev):
				out = append(out, e.cut(prev, p), p)
			case e.in(p):
				out = append(out, p)
			case e.in(prev):
				out = append(out, e.cut(prev, p))
			}
			prev = p
		}
		r = out
	}
	return r
}

func lerpX(a, b pt, x float64) pt { return pt{x, a.y + (b.y-a.y)*(x-a.x)/(b.x-a.x)} }
func lerpY(a, b pt, y float64) pt { return pt{a.x + (b.x-a.x)*(y-a.y)/(b.y-a.y), y} }

// area is the signed shoelace area of a ring.
func area(r []pt) float64 {
	var s float64
	for i := range r {
		j := (i + 1) % len(r)
		s += r[i].x*r[j].y - r[j].x*r[i].y
	}
	return s / 2
}

func centroid(r []pt) [2]float64 {
	a := area(r)
	if a == 0 {
		return [2]float64{r[0].x, r[0].y}
	}
	var cx, cy float64
	for i := range r {
		j := (i + 1) % len(r)
		f := r[i].x*r[j].y - r[j].x*r[i].y
		cx += (r[i].x + r[j].x) * f
		cy += (r[i].y + r[j].y) * f
	}
	return [2]float64{cx / (6 * a), cy / (6 * a)}
}
