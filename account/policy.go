package account

import (
	_ "embed"
	"errors"
	"strings"
	"unicode/utf8"
)

// Password policy, after OWASP ASVS 4.0.3 V2.1: at least 12 characters,
// up to 128 so that a passphrase fits, any characters, no rules on their
// kinds, and none of the passwords everyone tries first.
const (
	MinPassword = 12
	MaxPassword = 128
)

//go:embed common-passwords.txt
var commonText string

// common holds the refused passwords, lower-cased.
var common = func() map[string]bool {
	m := map[string]bool{}
	for _, l := range strings.Split(commonText, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			m[strings.ToLower(l)] = true
		}
	}
	return m
}()

// Errors of CheckPolicy; each names the rule broken.
var (
	ErrPasswordUTF8   = errors.New("password: must be valid UTF-8 text")
	ErrPasswordShort  = errors.New("password: at least 12 characters")
	ErrPasswordLong   = errors.New("password: at most 128 characters")
	ErrPasswordCommon = errors.New("password: one of the passwords tried first in every attack; choose another")
)

// CheckPolicy checks a new password against the policy. Characters are
// counted as Unicode code points, as they are typed; case is ignored in
// the list of common passwords.
func CheckPolicy(password string) error {
	if !utf8.ValidString(password) {
		return ErrPasswordUTF8
	}
	switch n := utf8.RuneCountInString(password); {
	case n < MinPassword:
		return ErrPasswordShort
	case n > MaxPassword:
		return ErrPasswordLong
	}
	if common[strings.ToLower(password)] {
		return ErrPasswordCommon
	}
	return nil
}
