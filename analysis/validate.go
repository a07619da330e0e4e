package analysis

import (
	"math"
	"sort"
)

// Correlation compares a component with an outside measure over the
// jurisdictions that have both.
type Correlation struct {
	Measure  string   `json:"measure"`
	N        int      `json:"n"`
	Pearson  *float64 `json:"pearson"`
	Spearman *float64 `json:"spearman"`
	Codes    []string `json:"codes"` // the jurisdictions compared
}

// Correlate pairs values by jurisdiction code.
func Correlate(measure string, x, y map[string]float64) Correlation {
	c := Correlation{Measure: measure}
	var xs, ys []float64
	for code := range x {
		if _, ok := y[code]; ok {
			c.Codes = append(c.Codes, code)
		}
	}
	sort.Strings(c.Codes)
	for _, code := range c.Codes {
		xs, ys = append(xs, x[code]), append(ys, y[code])
	}
	c.N = len(xs)
	if c.N >= 3 {
		c.Pearson = pearson(xs, ys)
		c.Spearman = pearson(ranks(xs), ranks(ys))
	}
	return c
}

func pearson(x, y []float64) *float64 {
	n := float64(len(x))
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx, my = mx/n, my/n
	var sxy, sxx, syy float64
	for i := range x {
		sxy += (x[i] - mx) * (y[i] - my)
		sxx += (x[i] - mx) * (x[i] - mx)
		syy += (y[i] - my) * (y[i] - my)
	}
	if sxx == 0 || syy == 0 {
		return nil
	}
	r := math.Round(sxy/math.Sqrt(sxx*syy)*1000) / 1000
	return &r
}

// ranks gives average ranks (ties share the mean of their places).
func ranks(v []float64) []float64 {
	idx := make([]int, len(v))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return v[idx[a]] < v[idx[b]] })
	out := make([]float64, len(v))
	for i := 0; i < len(idx); {
		j := i
		for j+1 < len(idx) && v[idx[j+1]] == v[idx[i]] {
			j++
		}
		for k := i; k <= j; k++ {
			out[idx[k]] = float64(i+j)/2 + 1
		}
		i = j + 1
	}
	return out
}
