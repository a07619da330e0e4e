package account

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id's parameters.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes over the memory
	Threads uint8  // lanes
	SaltLen uint32 // bytes
	KeyLen  uint32 // bytes
}

// DefaultParams are those of new hashes: the OWASP Password Storage Cheat
// Sheet's minimum for argon2id (19 MiB, 2 passes, 1 lane), which it holds
// equal in strength to its costlier settings; less memory keeps a flood
// of sign-ins from taking the server's. One hash takes about 24 ms (23 to
// 30 ms over 8 runs) and 19 MiB on one core of the project's 2-core
// virtual AMD EPYC (Turin) machine, Go 1.26 (BenchmarkHashPassword, 2026-12):
// dear to guess at, quick enough to sign in.
var DefaultParams = Params{Memory: 19 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}

// Bounds on the parameters a stored hash may name, so that a row written
// into the database by someone else cannot make a sign-in take gigabytes
// or minutes.
const (
	maxMemory  = 256 * 1024 // KiB
	maxTime    = 10
	maxThreads = 16
	minSalt    = 8
	maxSalt    = 64
	minKey     = 16
	maxKey     = 64
)

// hashing bounds the hashes computed at once, each holding its Memory: a
// flood of sign-ins waits here instead of taking the server's memory.
var hashing = make(chan struct{}, runtime.GOMAXPROCS(0))

func derive(password string, salt []byte, p Params) []byte {
	hashing <- struct{}{}
	defer func() { <-hashing }()
	return argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
}

// HashPassword checks a password against the policy (CheckPolicy) and
// returns its argon2id hash with DefaultParams and a new random salt, in
// the PHC string form: $argon2id$v=19$m=19456,t=2,p=1$SALT$KEY, the salt
// and the key in unpadded standard base64.
func HashPassword(password string) (string, error) {
	if err := CheckPolicy(password); err != nil {
		return "", err
	}
	return hashWith(password, DefaultParams), nil
}

// hashWith hashes with any parameters; tests use cheap ones.
func hashWith(password string, p Params) string {
	salt := make([]byte, p.SaltLen)
	rand.Read(salt) // never fails: since Go 1.24 it crashes the program instead
	return encodePHC(p, salt, derive(password, salt, p))
}

func encodePHC(p Params, salt, key []byte) string {
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}

// CheckPassword reports whether password is the one encoded was made
// from, comparing in constant time. It does not apply the policy: a
// password set under an older one still signs in. An encoded hash that is
// malformed or names parameters out of bounds is an error, and is not
// computed.
func CheckPassword(encoded, password string) (bool, error) {
	p, salt, key, err := parsePHC(encoded)
	if err != nil {
		return false, err
	}
	return subtle.ConstantTimeCompare(derive(password, salt, p), key) == 1, nil
}

// NeedsRehash reports whether encoded was made with other parameters than
// DefaultParams, or cannot be read: a sign-in then stores a new hash.
func NeedsRehash(encoded string) bool {
	p, _, _, err := parsePHC(encoded)
	return err != nil || p != DefaultParams
}

// parsePHC reads an argon2id hash in the PHC string form as HashPassword
// writes it, and nothing else: one spelling of each number and strict
// base64, so that a hash has one encoding.
func parsePHC(s string) (p Params, salt, key []byte, err error) {
	fail := func(msg string, args ...any) (Params, []byte, []byte, error) {
		return Params{}, nil, nil, fmt.Errorf("password hash: "+msg, args...)
	}
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" {
		return fail("not in the PHC form $argon2id$v=19$m=N,t=N,p=N$SALT$KEY")
	}
	if parts[1] != "argon2id" {
		return fail("the algorithm is not argon2id")
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return fail("the version is not v=%d", argon2.Version)
	}
	m, t, l, err := parseParams(parts[3])
	if err != nil {
		return fail("%v", err)
	}
	switch {
	case m > maxMemory:
		return fail("memory m=%d is over %d KiB", m, maxMemory)
	case t < 1 || t > maxTime:
		return fail("passes t=%d are not 1 to %d", t, maxTime)
	case l < 1 || l > maxThreads:
		return fail("lanes p=%d are not 1 to %d", l, maxThreads)
	case m < 8*l: // argon2's own floor (RFC 9106, 3.1)
		return fail("memory m=%d is under 8 KiB a lane", m)
	}
	if salt, err = decodeB64(parts[4]); err != nil || len(salt) < minSalt || len(salt) > maxSalt {
		return fail("the salt is not %d to %d bytes of unpadded base64", minSalt, maxSalt)
	}
	if key, err = decodeB64(parts[5]); err != nil || len(key) < minKey || len(key) > maxKey {
		return fail("the key is not %d to %d bytes of unpadded base64", minKey, maxKey)
	}
	p = Params{Memory: uint32(m), Time: uint32(t), Threads: uint8(l), SaltLen: uint32(len(salt)), KeyLen: uint32(len(key))}
	return p, salt, key, nil
}

// parseParams reads "m=N,t=N,p=N", the numbers in decimal without sign or
// leading zeros.
func parseParams(s string) (m, t, p uint64, err error) {
	var out [3]uint64
	fields := strings.Split(s, ",")
	if len(fields) != 3 {
		return 0, 0, 0, errors.New("the parameters are not m=N,t=N,p=N")
	}
	for i, name := range []string{"m=", "t=", "p="} {
		v, ok := strings.CutPrefix(fields[i], name)
		if !ok || v == "" || len(v) > 10 || v[0] == '0' && len(v) > 1 || strings.Trim(v, "0123456789") != "" {
			return 0, 0, 0, errors.New("the parameters are not m=N,t=N,p=N")
		}
		out[i], _ = strconv.ParseUint(v, 10, 64) // at most 10 digits: fits
	}
	return out[0], out[1], out[2], nil
}

// decodeB64 decodes unpadded standard base64 with its unused bits zero,
// refusing the '\r' and '\n' that the decoder alone would skip.
func decodeB64(s string) ([]byte, error) {
	if strings.ContainsAny(s, "\r\n") {
		return nil, errors.New("a line break in base64")
	}
	return base64.RawStdEncoding.Strict().DecodeString(s)
}
