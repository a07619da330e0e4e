package account

import (
	"context"
	"time"
)

// Store keeps accounts and their tokens; the store implements it on
// either engine. Errors are registry.Errors with a code: EConflict for a
// name taken, ENotFound for no such account, EInvalid for a bad name.
type Store interface {
	AddAccount(ctx context.Context, a *Account) error
	Account(ctx context.Context, name string) (*Account, error)
	Accounts(ctx context.Context) ([]*Account, error)
	// UpdateAccount writes the role, password hash, organisation and
	// disabled time; disabling ends the sessions and revokes the tokens.
	UpdateAccount(ctx context.Context, a *Account) error
	// EndSessions ends every session of an account but the one whose
	// token hashes to keep (empty for none); EndSession ends one.
	EndSessions(ctx context.Context, name, keep string) error
	EndSession(ctx context.Context, name, id string) error
	// Sessions lists an account's live sessions, newest first.
	Sessions(ctx context.Context, name string, now time.Time) ([]SessionInfo, error)
	AddToken(ctx context.Context, tokenHash string, t *APIToken) error
}

// DefaultTokenDays is how long an API token lasts unless told otherwise.
const DefaultTokenDays = 90

// TokenExpiry is when a token issued now for days expires, nil for never.
func TokenExpiry(now time.Time, days int) *time.Time {
	if days <= 0 {
		return nil
	}
	t := now.AddDate(0, 0, days)
	return &t
}
