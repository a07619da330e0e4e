package account

import (
	"errors"
	"strings"
	"testing"
)

// cheap are parameters for tests that hash many times.
var cheap = Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func TestHashPasswordRoundTrip(t *testing.T) {
	const pw = "correct horse battery staple"
	h, err := HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("HashPassword = %q, want the default parameters in PHC form", h)
	}
	if p, salt, key, err := parsePHC(h); err != nil || p != DefaultParams || len(salt) != 16 || len(key) != 32 {
		t.Errorf("parsePHC(%q) = %+v, %d-byte salt, %d-byte key, %v", h, p, len(salt), len(key), err)
	}
	if ok, err := CheckPassword(h, pw); !ok || err != nil {
		t.Errorf("CheckPassword(right password) = %v, %v", ok, err)
	}
	for _, wrong := range []string{"correct horse battery stapl", "Correct horse battery staple", ""} {
		if ok, err := CheckPassword(h, wrong); ok || err != nil {
			t.Errorf("CheckPassword(%q) = %v, %v; want false, nil", wrong, ok, err)
		}
	}
	h2, _ := HashPassword(pw)
	if h2 == h {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	if NeedsRehash(h) {
		t.Error("NeedsRehash of a new hash = true")
	}
}

func TestCheckPolicy(t *testing.T) {
	for _, tc := range []struct {
		pw   string
		want error
	}{
		{strings.Repeat("x", 11), ErrPasswordShort},
		{strings.Repeat("x", 12), nil},
		{strings.Repeat("é", 12), nil}, // 24 bytes, 12 characters
		{strings.Repeat("é", 11), ErrPasswordShort},
		{strings.Repeat("x", 128), nil},
		{strings.Repeat("x", 129), ErrPasswordLong},
		{"valid so far \xff\xfe", ErrPasswordUTF8},
		{"passwordpassword", ErrPasswordCommon},
		{"QwertyUiopAsdf", ErrPasswordCommon},
		{"123456789012", ErrPasswordCommon},
		{"no digits or capitals needed", nil},
	} {
		if err := CheckPolicy(tc.pw); !errors.Is(err, tc.want) {
			t.Errorf("CheckPolicy(%q) = %v, want %v", tc.pw, err, tc.want)
		}
		if _, err := HashPassword(tc.pw); !errors.Is(err, tc.want) {
			t.Errorf("HashPassword(%q) error = %v, want %v", tc.pw, err, tc.want)
		}
	}
	if !strings.Contains(ErrPasswordShort.Error(), "12") || !strings.Contains(ErrPasswordLong.Error(), "128") {
		t.Error("the length errors do not name their limits")
	}
}

func TestCommonPasswordsList(t *testing.T) {
	if len(common) < 40 {
		t.Errorf("%d common passwords read, want the whole list", len(common))
	}
	for pw := range common {
		if len([]rune(pw)) < MinPassword {
			t.Errorf("common password %q is shorter than the policy allows anyway", pw)
		}
	}
}

func TestCheckPasswordRefuses(t *testing.T) {
	good := hashWith("a password long enough", cheap)
	parts := strings.Split(good, "$")
	salt, key := parts[4], parts[5]
	for _, enc := range []string{
		"",
		"plain text",
		"$argon2i$v=19$m=64,t=1,p=1$" + salt + "$" + key,
		"$argon2id$v=16$m=64,t=1,p=1$" + salt + "$" + key,
		"$argon2id$m=64,t=1,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=4294967295,t=1,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=262145,t=1,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=99999999999999999999,t=1,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=64,t=0,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=64,t=11,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=64,t=4294967295,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=64,t=1,p=0$" + salt + "$" + key,
		"$argon2id$v=19$m=256,t=1,p=17$" + salt + "$" + key,
		"$argon2id$v=19$m=256,t=1,p=256$" + salt + "$" + key, // would wrap to 0 in a uint8
		"$argon2id$v=19$m=8,t=1,p=2$" + salt + "$" + key,
		"$argon2id$v=19$m=064,t=1,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=+64,t=1,p=1$" + salt + "$" + key,
		"$argon2id$v=19$t=1,m=64,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=64,t=1,p=1,x=1$" + salt + "$" + key,
		"$argon2id$v=19$m=64,t=1,p=1$" + salt + "=$" + key,
		"$argon2id$v=19$m=64,t=1,p=1$" + salt[:8] + "$" + key,
		"$argon2id$v=19$m=64,t=1,p=1$" + strings.Repeat("A", 87) + "$" + key,
		"$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + key[:16],
		"$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + key + "$",
		"$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + key + "\n",
		"x$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + key,
	} {
		ok, err := CheckPassword(enc, "a password long enough")
		if ok || err == nil {
			t.Errorf("CheckPassword(%q) = %v, %v; want an error", enc, ok, err)
		} else if !strings.HasPrefix(err.Error(), "password hash: ") {
			t.Errorf("CheckPassword(%q) error %q does not say what is wrong", enc, err)
		}
	}
	if ok, err := CheckPassword(good, "a password long enough"); !ok || err != nil {
		t.Errorf("CheckPassword(untampered) = %v, %v", ok, err)
	}
}

func TestNeedsRehash(t *testing.T) {
	older := hashWith("a password long enough", cheap)
	if !NeedsRehash(older) {
		t.Errorf("NeedsRehash(%q) = false for parameters other than the defaults", older)
	}
	if !NeedsRehash("not a hash") {
		t.Error("NeedsRehash(malformed) = false")
	}
	p := DefaultParams
	p.KeyLen = 16
	if !NeedsRehash(hashWith("a password long enough", p)) {
		t.Error("NeedsRehash = false for a shorter key")
	}
}

func BenchmarkHashPassword(b *testing.B) {
	for b.Loop() {
		if _, err := HashPassword("correct horse battery staple"); err != nil {
			b.Fatal(err)
		}
	}
}
