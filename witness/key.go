package witness

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Key files in a witness's directory: the private key, readable by its
// owner only, and the vkey that readers and logs configure.
const (
	keyFile  = "witness.key"
	vkeyFile = "witness.vkey"
)

// LoadOrCreateCosigner reads the witness key in dir, or makes one named
// name (with its vkey beside it) on first use.
func LoadOrCreateCosigner(dir, name string) (*Cosigner, error) {
	b, err := os.ReadFile(filepath.Join(dir, keyFile))
	if errors.Is(err, os.ErrNotExist) {
		seed := make([]byte, ed25519.SeedSize)
		if _, err := rand.Read(seed); err != nil {
			return nil, err
		}
		c, err := NewCosigner(name, ed25519.NewKeyFromSeed(seed))
		if err != nil {
			return nil, err
		}
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, err
		}
		if err := os.WriteFile(filepath.Join(dir, keyFile), []byte(name+" "+base64.StdEncoding.EncodeToString(seed)+"\n"), 0o600); err != nil {
			return nil, err
		}
		return c, os.WriteFile(filepath.Join(dir, vkeyFile), []byte(c.VerifierKey()+"\n"), 0o644)
	} else if err != nil {
		return nil, err
	}
	n, s, ok := strings.Cut(strings.TrimSpace(string(b)), " ")
	seed, err := base64.StdEncoding.DecodeString(s)
	if !ok || err != nil || len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("%s: not a witness key (name and base64 seed)", filepath.Join(dir, keyFile))
	}
	if name != "" && name != n {
		return nil, fmt.Errorf("%s: the key is witness %s's, not %s's", filepath.Join(dir, keyFile), n, name)
	}
	return NewCosigner(n, ed25519.NewKeyFromSeed(seed))
}
