package account

import (
	"strings"
	"testing"
)

func TestNewToken(t *testing.T) {
	seen := map[string]bool{}
	for _, prefix := range []string{ReceiptPrefix, SessionPrefix, FormPrefix, APIPrefix} {
		for range 100 {
			tok, err := NewToken(prefix)
			if err != nil {
				t.Fatal(err)
			}
			if len(tok) != len(prefix)+43 || !strings.HasPrefix(tok, prefix) {
				t.Fatalf("NewToken(%q) = %q, want the prefix and 43 characters", prefix, tok)
			}
			if !ValidToken(prefix, tok) {
				t.Fatalf("ValidToken(%q, %q) = false for a new token", prefix, tok)
			}
			if seen[tok] {
				t.Fatalf("NewToken returned %q twice", tok)
			}
			seen[tok] = true
		}
	}
}

func TestValidToken(t *testing.T) {
	tok, _ := NewToken(ReceiptPrefix)
	body := tok[len(ReceiptPrefix):]
	// A body whose last character leaves its 2 unused bits set ('B' = 000001).
	loose := strings.Repeat("A", 42) + "B"
	for _, tc := range []struct {
		prefix, plain string
		want          bool
	}{
		{ReceiptPrefix, tok, true},
		{ReceiptPrefix, ReceiptPrefix + strings.Repeat("A", 43), true},
		{ReceiptPrefix, ReceiptPrefix + strings.Repeat("-_", 21) + "A", true},
		{SessionPrefix, tok, false},
		{ReceiptPrefix, body, false},
		{"", body, true},
		{ReceiptPrefix, "", false},
		{ReceiptPrefix, ReceiptPrefix, false},
		{ReceiptPrefix, tok[:len(tok)-1], false},
		{ReceiptPrefix, tok + "A", false},
		{ReceiptPrefix, tok + "=", false},
		{ReceiptPrefix, ReceiptPrefix + loose, false},
		{ReceiptPrefix, ReceiptPrefix + "+" + body[1:], false},
		{ReceiptPrefix, ReceiptPrefix + "/" + body[1:], false},
		{ReceiptPrefix, ReceiptPrefix + "\n" + body[1:], false},
		{ReceiptPrefix, ReceiptPrefix + "\r" + body[1:], false},
		{ReceiptPrefix, ReceiptPrefix + " " + body[1:], false},
		{ReceiptPrefix, "RCPT_" + body, false},
		{ReceiptPrefix, ReceiptPrefix + body[:42] + "é", false},
	} {
		if got := ValidToken(tc.prefix, tc.plain); got != tc.want {
			t.Errorf("ValidToken(%q, %q) = %v, want %v", tc.prefix, tc.plain, got, tc.want)
		}
	}
}

func TestHashToken(t *testing.T) {
	// SHA-256 of "abc", from FIPS 180-2.
	if got, want := HashToken("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"; got != want {
		t.Errorf("HashToken(abc) = %s, want %s", got, want)
	}
	a, _ := NewToken(APIPrefix)
	b, _ := NewToken(APIPrefix)
	if HashToken(a) == HashToken(b) || HashToken(a) != HashToken(a) {
		t.Error("HashToken is not a function of the token alone")
	}
}

// FuzzValidToken: any string is judged without a panic, and one judged
// valid is exactly the prefix and 43 characters of unpadded base64url.
func FuzzValidToken(f *testing.F) {
	good, _ := NewToken(SessionPrefix)
	for _, s := range []string{good, "sess_", good + "=", good[:len(good)-1] + "\n", "sess_" + strings.Repeat("/", 43)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !ValidToken(SessionPrefix, s) {
			return
		}
		rest := strings.TrimPrefix(s, SessionPrefix)
		if len(rest) != 43 || strings.ContainsFunc(rest, func(r rune) bool {
			return !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_')
		}) {
			t.Fatalf("ValidToken accepted %q", s)
		}
	})
}
