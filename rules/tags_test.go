package rules

import (
	"strings"
	"testing"
	"testing/fstest"
)

// TestLoadRefusesTags: a YAML tag in a framework file is refused at its
// line, naming it, and never reaches the decoder, which panicked on a
// tagged scalar where a list belongs (the input FuzzLoadNotEncoded found).
func TestLoadRefusesTags(t *testing.T) {
	for _, meta := range []string{
		"id: \ntitle: \nkind: \nstatus: \nscope: \nbinds: !000000000000000000\n000000000",
		strings.Replace(testNotEncoded, "binds: [", "binds: !!seq [", 1),
	} {
		_, err := Load(fstest.MapFS{"t/framework.yaml": {Data: []byte(meta)}}, "t")
		if err == nil || !strings.Contains(err.Error(), "framework files use no tags") || !strings.Contains(err.Error(), ":6:") {
			t.Errorf("%q: %v; want the tag refused at line 6", meta, err)
		}
	}
}
