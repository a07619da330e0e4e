package registry

import (
	"bytes"
	"encoding/base64"
	"unicode/utf8"
)

// Cursor returns the cursor that names the page after key: the unpadded
// base64url of the last key a page held.
func Cursor(key string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(key))
}

// CursorKey returns the key a cursor names, or ErrBadCursor for anything
// Cursor could not have made. Go's base64 decoder skips CR and LF wherever
// they stand, so a decoded cursor is encoded again and compared: one page
// has one spelling, and so one cache key.
func CursorKey(cursor string) (string, error) {
	key, err := base64.RawURLEncoding.Strict().DecodeString(cursor)
	if err != nil || len(key) == 0 || !utf8.Valid(key) || bytes.IndexByte(key, 0) >= 0 ||
		base64.RawURLEncoding.EncodeToString(key) != cursor {
		return "", ErrBadCursor
	}
	return string(key), nil
}
