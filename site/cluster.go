package site

import (
	"cmp"
	"math"
	"slices"
)

// A cluster is a set of points drawn as one mark: its members' indexes, in
// the order given, and their mean position.
type cluster struct {
	X, Y    float64
	Members []int
}

// clusterPoints groups points (viewBox positions) so that no two groups'
// centres are nearer than gap, and returns the groups. Points in the same
// square of side gap/2 start as one group (they are under 0.71 gap
// apart); then, while two groups are nearer than gap, every two groups
// that are each other's nearest merge, at the mean of their members. The
// result depends only on the points' order, never on map iteration or
// timing.
//
// The starting squares bound the work whatever the number of points: a
// map 1000 by 738 units with a gap of 36 has at most 2,300 of them, and a
// search for the nearest pair looks only at neighbouring squares of side
// gap (two centres farther apart than one square cannot be nearer than
// gap), and each pass over the groups merges many pairs at once.
func clusterPoints(pts [][2]float64, gap float64) []cluster {
	if len(pts) == 0 || !(gap > 0) {
		return nil
	}
	type acc struct {
		sx, sy  float64
		members []int
	}
	half := gap / 2
	start := map[[2]int]*acc{}
	var keys [][2]int
	for i, p := range pts {
		k := [2]int{int(math.Floor(p[1] / half)), int(math.Floor(p[0] / half))} // row, column
		a := start[k]
		if a == nil {
			a = &acc{}
			start[k] = a
			keys = append(keys, k)
		}
		a.sx, a.sy, a.members = a.sx+p[0], a.sy+p[1], append(a.members, i)
	}
	slices.SortFunc(keys, func(a, b [2]int) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
	gs := make([]*acc, len(keys))
	for i, k := range keys {
		gs[i] = start[k]
	}
	centre := func(a *acc) (float64, float64) {
		n := float64(len(a.members))
		return a.sx / n, a.sy / n
	}
	for {
		// Index the groups by square of side gap.
		cell := map[[2]int][]int{}
		for i, a := range gs {
			if a == nil {
				continue
			}
			x, y := centre(a)
			k := [2]int{int(math.Floor(y / gap)), int(math.Floor(x / gap))}
			cell[k] = append(cell[k], i)
		}
		// Each group's nearest within gap (the lower index on a tie); two
		// groups that are each other's nearest merge. The nearest pair of
		// all always is such a pair, so every pass merges at least one
		// while any two are too near, and most passes merge many.
		nearest := make([]int, len(gs))
		for i, a := range gs {
			nearest[i] = -1
			if a == nil {
				continue
			}
			x, y := centre(a)
			r, c := int(math.Floor(y/gap)), int(math.Floor(x/gap))
			best := gap
			for dr := -1; dr <= 1; dr++ {
				for dc := -1; dc <= 1; dc++ {
					for _, j := range cell[[2]int{r + dr, c + dc}] {
						if j == i {
							continue
						}
						x2, y2 := centre(gs[j])
						if d := math.Hypot(x2-x, y2-y); d < best || d == best && d < gap && j < nearest[i] {
							nearest[i], best = j, d
						}
					}
				}
			}
		}
		merged := false
		for i, j := range nearest {
			if j > i && nearest[j] == i {
				a, b := gs[i], gs[j]
				a.sx, a.sy = a.sx+b.sx, a.sy+b.sy
				a.members = append(a.members, b.members...)
				gs[j] = nil
				merged = true
			}
		}
		if !merged {
			break
		}
	}
	var out []cluster
	for _, a := range gs {
		if a != nil {
			x, y := centre(a)
			slices.Sort(a.members) // once, here: a large group merges many times
			out = append(out, cluster{X: x, Y: y, Members: a.members})
		}
	}
	return out
}
