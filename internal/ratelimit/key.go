package ratelimit

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"hash"
	"time"
)

// An id is what the Limiter keeps of a client: the HMAC-SHA256 of the
// client string under the day's key. It is an array, not a string, so
// that nothing in the limiter's memory has the type of an address.
type id [sha256.Size]byte

// A dailyKey is the random key of one UTC day and the hash that uses it.
// It is not safe for concurrent use; the Limiter's mutex guards it.
type dailyKey struct {
	day int64 // days since 1970-01-01 UTC; valid only once mac is set
	key [32]byte
	mac hash.Hash
	buf []byte // scratch for the client string, cleared after each use
	out []byte // scratch for the hash, so that it is not allocated
}

// utcDay returns the number of the UTC day t falls in.
func utcDay(t time.Time) int64 {
	s := t.Unix()
	d := s / 86400
	if s%86400 < 0 {
		d--
	}
	return d
}

// current reports whether k is the key for day, and if not replaces it
// with a new random key for day and reports false: the caller then drops
// everything hashed under the old one.
func (k *dailyKey) current(day int64) bool {
	if k.mac != nil && k.day == day {
		return true
	}
	// The old key is overwritten here; the hash state derived from it
	// becomes garbage and is left to the collector.
	rand.Read(k.key[:]) // never fails: crypto/rand panics rather than return an error
	k.mac = hmac.New(sha256.New, k.key[:])
	// The first Reset keeps the keyed state, so that later ones restore
	// it whole, the block buffer included (see sum).
	k.mac.Reset()
	k.day = day
	return false
}

// maxScratch is the longest client string copied into k's scratch
// buffer; a longer one is converted afresh, so that the buffer stays small.
const maxScratch = 256

// sum returns the id of client under k. Neither k's scratch buffer nor its
// hash state keeps any byte of client once sum returns: the buffer is
// cleared, and the hash reset to its keyed state, block buffer included.
func (k *dailyKey) sum(client string) id {
	var b []byte
	if len(client) <= maxScratch {
		b = append(k.buf[:0], client...)
		k.buf = b[:0]
	} else {
		b = []byte(client)
	}
	k.mac.Write(b)
	clear(b)
	k.out = k.mac.Sum(k.out[:0])
	k.mac.Reset()
	return id(k.out)
}
