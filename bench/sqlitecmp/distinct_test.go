package main

import (
	"net/url"
	"reflect"
	"testing"
)

// FuzzDistinct checks that every distinct form of a query string is the
// same query to the server, and another URI to its cache.
func FuzzDistinct(f *testing.F) {
	f.Add("jurisdiction=IN,PG&vendor=huawei&limit=50", 5)
	f.Add("q=border&cursor=c3ludGhldGlj", 1)
	f.Add("&limit=50", 127)
	f.Add("limit=%350&cursor=c3ludGhldGlj", 200)
	f.Fuzz(func(t *testing.T, params string, i int) {
		n := len(encodable(params))
		if i < 1 || n > 20 || i >= 1<<n {
			return // distinct refuses: too few letters and digits for i
		}
		want, err := url.ParseQuery(params)
		if err != nil {
			return
		}
		d := distinct(params, i)
		if d == params {
			t.Fatalf("distinct(%q, %d) is the same URI", params, i)
		}
		got, err := url.ParseQuery(d)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("distinct(%q, %d) = %q: %v, %v; want %v", params, i, d, got, err, want)
		}
	})
}
