package atlas

import "math"

// Project returns where the point at lon, lat (degrees, WGS 84) lies on the
// map, in viewBox units: the projection the boundaries were drawn with (see
// README.md), read from the asset. A longitude west of the frame's western
// edge is taken as east of 180° (lon + 360), as the boundaries near the
// antimeridian are. ok is false for a point outside the map's frame, or not
// a number: such a point has no place on this map and is not drawn.
func Project(lon, lat float64) (x, y float64, ok bool) {
	a := load()
	f := a.Frame
	if lon < f.LonMin {
		lon += 360
	}
	if !(lon >= f.LonMin && lon <= f.LonMax && lat >= f.LatMin && lat <= f.LatMax) { // NaN fails too
		return 0, 0, false
	}
	c := math.Cos(f.StdParallel * math.Pi / 180)
	k := a.Width / ((f.LonMax - f.LonMin) * c) // viewBox units per degree of latitude
	// Within the frame, the point is within the viewBox but for rounding
	// (the height is rounded to whole units).
	x, y = min((lon-f.LonMin)*k*c, a.Width), min((f.LatMax-lat)*k, a.Height)
	return x, y, true
}

// Size returns the map's width and height in viewBox units.
func Size() (width, height float64) {
	a := load()
	return a.Width, a.Height
}
