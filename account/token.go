package account

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// Prefixes of tokens, which say what a token is for wherever it is seen
// (in a log, a paste, a secret scanner's find).
const (
	ReceiptPrefix = "rcpt_" // opens a submission's status page
	SessionPrefix = "sess_" // a signed-in browser's cookie
	FormPrefix    = "form_" // the token a form carries (CSRF)
	APIPrefix     = "api_"  // lets a program act for an account
)

// tokenBytes is a token's randomness: 256 bits, beyond any guessing.
const tokenBytes = 32

var tokenLen = base64.RawURLEncoding.EncodedLen(tokenBytes)

// NewToken returns a new token: prefix, one of the constants above,
// followed by 32 bytes from crypto/rand in unpadded base64url (43
// characters). A token that stands for its holder (receipt, session, API)
// is stored only as HashToken of it.
func NewToken(prefix string) (string, error) {
	b := make([]byte, tokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return prefix + base64.RawURLEncoding.EncodeToString(b), nil
}

// HashToken returns what the store keeps of a token: its SHA-256, in hex.
// A token has 256 bits of randomness, so a fast hash is enough: nobody
// finds a token from its hash by guessing, and a copy of the database
// holds no token that works.
func HashToken(plain string) string {
	sum := sha256.Sum256([]byte(plain))
	return hex.EncodeToString(sum[:])
}

// ValidToken reports whether plain is exactly a token with the prefix:
// the prefix, then 43 characters of the base64url alphabet encoding 32
// bytes. A malformed token is refused before any lookup.
func ValidToken(prefix, plain string) bool {
	rest, ok := strings.CutPrefix(plain, prefix)
	if !ok || len(rest) != tokenLen {
		return false
	}
	// The alphabet first: the decoder would skip '\r' and '\n'.
	for i := 0; i < len(rest); i++ {
		if c := rest[i]; !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	// Strict: the last character's unused bits are zero, as NewToken
	// writes them, so each token has one spelling.
	b, err := base64.RawURLEncoding.Strict().DecodeString(rest)
	return err == nil && len(b) == tokenBytes
}
