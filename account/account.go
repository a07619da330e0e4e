package account

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// An Account is someone who signs in: a reviewer, an admin, or a
// contributor who may answer for an organisation.
type Account struct {
	Name         string // also the pseudonym the log names them by
	Role         Role
	PasswordHash string // argon2id, see HashPassword
	Org          *Org
	Created      time.Time
	Disabled     *time.Time // when set, the account signs in no more
}

// Principal returns who a request signed in as a acts as.
func (a *Account) Principal() Principal {
	return Principal{Name: a.Name, Role: a.Role, Org: a.Org}
}

// A Session is a signed-in browser.
type Session struct {
	Account Account
	CSRF    string // the token every form of the session carries
	Expires time.Time
}

// A SessionInfo describes one of an account's sessions to its holder: its
// ID is the hash of its token, which signs nobody in.
type SessionInfo struct {
	ID      string
	Created time.Time
	Expires time.Time
}

// An APIToken lets a program act for an account, within its scopes.
type APIToken struct {
	Account Account
	Label   string
	Scopes  []Scope
	Created time.Time
	Expires *time.Time
}

// A Scope is a part of what an account may do that a token may be given.
type Scope string

const (
	ScopeSubmit Scope = "submit" // propose and follow submissions
	ScopeReview Scope = "review" // review submissions and write the register
	ScopeReply  Scope = "reply"  // answer for the account's organisation
	ScopeAdmin  Scope = "admin"  // manage accounts
)

// Scopes lists every scope.
var Scopes = []Scope{ScopeSubmit, ScopeReview, ScopeReply, ScopeAdmin}

// ParseScopes reads a space-separated list of scopes.
func ParseScopes(s string) ([]Scope, error) {
	var out []Scope
	for _, f := range strings.Fields(s) {
		if !slices.Contains(Scopes, Scope(f)) {
			return nil, fmt.Errorf("scope %q is not one of submit, review, reply, admin", clip(f))
		}
		if !slices.Contains(out, Scope(f)) {
			out = append(out, Scope(f))
		}
	}
	return out, nil
}

// Allows reports whether a role may be given a scope at all.
func (r Role) Allows(s Scope) bool {
	switch s {
	case ScopeSubmit, ScopeReply:
		return r != Anonymous
	case ScopeReview:
		return r == Reviewer || r == Admin
	case ScopeAdmin:
		return r == Admin
	}
	return false
}

// ParseRole reads a role's name.
func ParseRole(s string) (Role, error) {
	r := Role(s)
	if !slices.Contains(Roles, r) {
		return "", fmt.Errorf("role %q is not one of contributor, reviewer, admin", clip(s))
	}
	return r, nil
}

var nameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,39}$`)

// CheckName checks an account's name: 2 to 40 lower-case letters, digits,
// '.', '_' and '-', starting with a letter or digit. The log names what
// an account writes by it, so it is plain and cannot pass for another.
func CheckName(name string) error {
	if !nameRE.MatchString(name) {
		return fmt.Errorf("name %q: 2 to 40 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit", clip(name))
	}
	if strings.HasPrefix(name, "contributor-") {
		return errors.New("name: contributor- starts the pseudonyms made up for contributors")
	}
	return nil
}

// The most characters an account's free text holds: a token's label (a
// few words that say what it is for) and an organisation's id or name.
const (
	MaxLabel = 100
	MaxOrg   = 200
)

// CheckText checks an account's free text (a token's label, an
// organisation): at most most characters of UTF-8 text without control
// characters, since it is shown on the admin page and stored as text
// (PostgreSQL refuses a NUL or invalid UTF-8).
func CheckText(s string, most int) error {
	if !utf8.ValidString(s) {
		return errors.New("is not UTF-8 text")
	}
	if n := utf8.RuneCountInString(s); n > most {
		return fmt.Errorf("at most %d characters (this one has %d)", most, n)
	}
	if i := strings.IndexFunc(s, unicode.IsControl); i >= 0 {
		return fmt.Errorf("holds a control character at byte %d", i)
	}
	return nil
}

func clip(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}
