package rules

import (
	"encoding/json"
	"math"
	"reflect"
	"testing"
)

// TestNormaliseNumbers: whole numbers within int64's range become int64,
// however they were decoded, at any depth; others are left for the schema.
func TestNormaliseNumbers(t *testing.T) {
	for _, c := range []struct {
		in, want any
	}{
		{json.Number("3"), int64(3)},
		{json.Number("-3"), int64(-3)},
		{json.Number("3.0"), int64(3)},
		{json.Number("1e3"), int64(1000)},
		{json.Number("1.5"), 1.5},
		{json.Number("9223372036854775807"), int64(math.MaxInt64)},
		{json.Number("9223372036854775808"), float64(1 << 63)}, // 2^63: no int64
		{json.Number("1e309"), json.Number("1e309")},           // beyond float64
		{2.0, int64(2)},
		{2.5, 2.5},
		{7, int64(7)},
		{"7", "7"},
		{true, true},
		{nil, nil},
		{
			map[string]any{"a": json.Number("1"), "b": []any{2.0, json.Number("0.5"), map[string]any{"c": 4}}},
			map[string]any{"a": int64(1), "b": []any{int64(2), 0.5, map[string]any{"c": int64(4)}}},
		},
	} {
		if got := NormaliseNumbers(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("NormaliseNumbers(%#v) = %#v, want %#v", c.in, got, c.want)
		}
	}
}
