package rules

import (
	"encoding/json"
	"math"
)

// NormaliseNumbers turns every json.Number, float64 and int in v that is a
// whole number within int64's range into an int64, as the schema's integer
// type and CEL's int need: in place in v's maps and slices, and returned
// when v itself is a number. Other numbers are left as they are, for the
// schema to judge. It serves every decoded document that rules read: fact
// documents here, and the fact classes the store holds (analysis).
func NormaliseNumbers(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = NormaliseNumbers(e)
		}
	case []any:
		for i, e := range x {
			x[i] = NormaliseNumbers(e)
		}
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		if f, err := x.Float64(); err == nil {
			return NormaliseNumbers(f)
		}
		return x // out of float64's range: the schema and NewFacts judge it
	case float64:
		// 2^63 is exactly a float64 but no int64: the range is half open.
		if x >= math.MinInt64 && x < math.MaxInt64 && x == math.Trunc(x) {
			return int64(x)
		}
	case int:
		return int64(x)
	}
	return v
}
