package main

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzPaths: whatever a list holds, each path it gives is one of its lines
// with the spaces around it cut, never blank nor a comment, and the list
// shipped gives every route it holds.
func FuzzPaths(f *testing.F) {
	f.Add(defaultList)
	f.Add("# c\n\n /a \r\n/b?x=1")
	f.Fuzz(func(t *testing.T, text string) {
		lines := map[string]bool{}
		for l := range strings.Lines(text) {
			lines[strings.TrimSpace(l)] = true
		}
		for _, p := range paths(text) {
			if p == "" || strings.HasPrefix(p, "#") || p != strings.TrimSpace(p) || !lines[p] {
				t.Fatalf("path %q of %q", p, text)
			}
		}
	})
}

// TestDefaultList: the list shipped gives its routes, each with one to
// three variants, all different (a route of few letters after its last
// slash, "/" or "/countries/CN", has fewer).
func TestDefaultList(t *testing.T) {
	ps := paths(defaultList)
	if len(ps) < 60 {
		t.Fatalf("%d routes in routes.txt", len(ps))
	}
	for _, p := range ps {
		vs := variants(p, 3)
		seen := map[string]bool{}
		for _, v := range vs {
			seen[v] = true
		}
		if len(vs) < 1 || len(vs) > 3 || len(seen) != len(vs) {
			t.Errorf("%s: variants %q", p, vs)
		}
	}
}

// FuzzVariants: each variant of a path is the path with one letter after
// its last slash or question mark percent-encoded, which a server decodes
// back to the same letter; at most n are given, and the path itself only
// when it has no such letter.
func FuzzVariants(f *testing.F) {
	f.Add("/search?q=city+police", 3)
	f.Add("/", 3)
	f.Add("/a/b?", 0)
	f.Fuzz(func(t *testing.T, path string, n int) {
		n %= 8
		vs := variants(path, n)
		if len(vs) == 0 || len(vs) > max(n, 1) {
			t.Fatalf("%d variants of %q for n %d", len(vs), path, n)
		}
		for _, v := range vs {
			if v == path {
				if len(vs) != 1 {
					t.Fatalf("%q among other variants %q", path, vs)
				}
				continue
			}
			i := strings.IndexByte(v, '%')
			for i >= 0 && v[:i]+v[i+3:] != path[:i]+path[i+1:] {
				j := strings.IndexByte(v[i+1:], '%')
				if j < 0 {
					i = -1
					break
				}
				i += 1 + j
			}
			if i < 0 {
				t.Fatalf("%q is not %q with one letter encoded", v, path)
			}
			if c, err := url.PathUnescape(v[i : i+3]); err != nil || c != path[i:i+1] {
				t.Fatalf("%q at %d decodes to %q, want %q", v, i, c, path[i:i+1])
			}
		}
	})
}
