// Package account holds who may write to the register: accounts, their
// roles and the organisations they answer for, and the principal a
// request acts as. It does no I/O; the store keeps accounts and the HTTP
// layer (internal/auth) finds a request's principal.
package account

import "slices"

// A Role is what an account may do. Anyone without an account acts as
// Anonymous: they may propose and follow their own submissions through
// its receipt.
type Role string

const (
	Anonymous   Role = ""
	Contributor Role = "contributor" // an account that proposes; may be linked to an organisation
	Reviewer    Role = "reviewer"    // reviews submissions and writes the register
	Admin       Role = "admin"       // manages accounts; reviews too
)

// Roles lists the roles an account can hold, least powerful first.
var Roles = []Role{Contributor, Reviewer, Admin}

// An Org is an organisation of the register an account answers for: a
// vendor, by its id, or an operator, by the name deployments give it.
type Org struct {
	Kind string // "vendor" or "operator"
	ID   string
}

// A Principal is who a request acts as. The zero Principal is anonymous.
type Principal struct {
	Name string // the account's name; empty when anonymous
	Role Role
	Org  *Org // the organisation the account answers for, if linked
	// Scopes, for a request made with an API token, are the token's: the
	// request may do no more than they allow. Nil for a signed-in browser.
	Scopes []Scope
}

// Can reports whether p may act within scope: its role allows it and, for
// a token, the token was given it. Anyone may submit; replying needs an
// organisation.
func (p Principal) Can(s Scope) bool {
	if s == ScopeSubmit && p.Role == Anonymous {
		return true
	}
	if !p.Role.Allows(s) || p.Scopes != nil && !slices.Contains(p.Scopes, s) {
		return false
	}
	return s != ScopeReply || p.Org != nil
}
