package cli

import (
	"flag"
	"io"
	"reflect"
	"strings"
	"testing"
)

// TestDescribeQuery: the flags of vendors and trends can set every field
// of the query, and describeQuery says each of them, in words; a query
// with no filter is described as nothing.
func TestDescribeQuery(t *testing.T) {
	var f networkFlags
	fs := flag.NewFlagSet("vendors", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	f.register(fs)
	err := fs.Parse([]string{"--subregion", "south_asia", "--jurisdiction", "pk", "--jurisdiction", "IN", "--vendor-hq", "cn",
		"--certainty", "documented", "--technology", "cctv", "--year-from", "2011", "--year-to", "2019"})
	if err != nil {
		t.Fatal(err)
	}
	v := reflect.ValueOf(f.q)
	for i := range v.NumField() {
		if v.Field(i).IsZero() {
			t.Errorf("no flag sets the query's %s", v.Type().Field(i).Name)
		}
	}
	got := describeQuery(f.q)
	for _, want := range []string{"subregion south_asia", "jurisdiction PK, IN", "vendor headquarters CN",
		"certainty documented", "technology cctv", "from 2011", "to 2019"} {
		if !strings.Contains(got, want) {
			t.Errorf("describeQuery = %q, which does not say %q", got, want)
		}
	}
	if n := strings.Count(got, ";") + 1; n != len(f.q.Params()) {
		t.Errorf("describeQuery = %q: %d filters said, the query holds %d", got, n, len(f.q.Params()))
	}
	if got := describeQuery(f.q); !strings.HasPrefix(got, " with ") {
		t.Errorf("describeQuery = %q, want it to start with \" with \"", got)
	}
	var none networkFlags
	if got := describeQuery(none.q); got != "" {
		t.Errorf("describeQuery of no filter = %q, want \"\"", got)
	}
}
