package registry_test

import (
	"errors"
	"testing"

	"oversight/registry"
)

func TestCursorKey(t *testing.T) {
	for _, key := range []string{"a", "pk-lahore-safe-city", "https://example.org/a?b=c", "ñandú"} {
		got, err := registry.CursorKey(registry.Cursor(key))
		if err != nil || got != key {
			t.Errorf("CursorKey(Cursor(%q)) = %q, %v", key, got, err)
		}
	}
	good := registry.Cursor("pk-lahore")
	for _, bad := range []string{
		"",                           // names no key
		good[:4] + "\r\n" + good[4:], // CR LF the decoder would skip
		good + "\n",
		good + "=", // padded
		"cGs=",     // padded "pk"
		"cGt",      // trailing bits set: a second spelling of "pk"
		"AA",       // NUL
		"_w",       // 0xff: not UTF-8
		"not a cursor!",
	} {
		if _, err := registry.CursorKey(bad); !errors.Is(err, registry.ErrBadCursor) {
			t.Errorf("CursorKey(%q) = %v, want ErrBadCursor", bad, err)
		}
	}
}

// FuzzCursorKey: every cursor that is accepted is the one spelling
// Cursor gives its key.
func FuzzCursorKey(f *testing.F) {
	for _, s := range []string{registry.Cursor("pk-lahore"), "cGt", "cGs\r\n", "AA", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, cursor string) {
		key, err := registry.CursorKey(cursor)
		if err != nil {
			return
		}
		if registry.Cursor(key) != cursor {
			t.Fatalf("CursorKey(%q) = %q, which Cursor spells %q", cursor, key, registry.Cursor(key))
		}
	})
}
