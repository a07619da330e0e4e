package account

import (
	"strings"
	"testing"
)

// fixedHash hashes with a salt of 1, 2, 3, …: the fuzzer's workers run
// the seeding again, and must make the same hashes.
func fixedHash(password string, p Params) string {
	salt := make([]byte, p.SaltLen)
	for i := range salt {
		salt[i] = byte(i + 1)
	}
	return encodePHC(p, salt, derive(password, salt, p))
}

// FuzzCheckPassword feeds CheckPassword any stored hash and any password.
// It must not panic; it may say true only for a hash the seeds made from
// that very password; and whatever parsePHC accepts must be the one
// spelling HashPassword would write. Hashes dearer than 1 MiB or 2 passes
// are only parsed, so that fuzzing stays fast.
func FuzzCheckPassword(f *testing.F) {
	made := map[string]string{} // hash -> the password it was made from
	for _, pw := range []string{"a password long enough", "", "é", strings.Repeat("x", 200)} {
		for _, p := range []Params{
			cheap,
			{Memory: 8, Time: 1, Threads: 1, SaltLen: 8, KeyLen: 16},
			{Memory: 1024, Time: 2, Threads: 4, SaltLen: 64, KeyLen: 64},
		} {
			h := fixedHash(pw, p)
			made[h] = pw
			f.Add(h, pw)
			f.Add(h, pw+"x")
		}
	}
	good := fixedHash("a password long enough", cheap)
	parts := strings.Split(good, "$")
	for _, enc := range []string{
		"",
		"$",
		"$$$$$",
		"$argon2id$v=19$m=4294967295,t=1,p=1$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$m=64,t=1,p=256$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$m=064,t=1,p=1$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$m=64,t=1,p=1$" + parts[4] + "=$" + parts[5],
		"$argon2i$v=19$m=64,t=1,p=1$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
	} {
		f.Add(enc, "a password long enough")
	}
	f.Fuzz(func(t *testing.T, encoded, password string) {
		p, salt, key, err := parsePHC(encoded)
		if err == nil {
			if again := encodePHC(p, salt, key); again != encoded {
				t.Fatalf("parsePHC accepts %q, which HashPassword would write %q", encoded, again)
			}
			if p.Memory > 1024 || p.Time > 2 {
				return
			}
		}
		ok, err := CheckPassword(encoded, password)
		if ok && err != nil {
			t.Fatalf("CheckPassword(%q, %q) = true with error %v", encoded, password, err)
		}
		if pw, seen := made[encoded]; ok && (!seen || pw != password) {
			t.Fatalf("CheckPassword(%q, %q) = true for a hash not made from that password", encoded, password)
		}
	})
}
