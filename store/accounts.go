package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"oversight/account"
	"oversight/registry"
)

// Accounts, sessions and API tokens (migration 006). None of them is in
// the log; the tables are written directly, each change in its own
// transaction.

const accountColumns = "a.name, a.role, a.password_hash, a.org_kind, a.org_id, a.created_at, a.disabled_at"

func scanAccount(row rowScanner, extra ...any) (*account.Account, error) {
	var a account.Account
	var orgKind, orgID, disabled sql.NullString
	var created string
	if err := row.Scan(append([]any{&a.Name, &a.Role, &a.PasswordHash, &orgKind, &orgID, &created, &disabled}, extra...)...); err != nil {
		return nil, err
	}
	if orgKind.Valid {
		a.Org = &account.Org{Kind: orgKind.String, ID: orgID.String}
	}
	a.Created, _ = time.Parse(time.RFC3339, created)
	if disabled.Valid {
		t, _ := time.Parse(time.RFC3339, disabled.String)
		a.Disabled = &t
	}
	return &a, nil
}

// AddAccount creates an account. It fails with EConflict if the name is
// taken.
func (s *DB) AddAccount(ctx context.Context, a *account.Account) error {
	if err := account.CheckName(a.Name); err != nil {
		return registry.InvalidField("name", err.Error())
	}
	if a.Created.IsZero() {
		a.Created = time.Now()
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		var one int
		switch err := tx.QueryRowContext(ctx, "SELECT 1 FROM accounts WHERE name = $1", a.Name).Scan(&one); {
		case err == nil:
			return registry.Conflict("an account named " + a.Name + " exists")
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		var kind, id any
		if a.Org != nil {
			kind, id = a.Org.Kind, a.Org.ID
		}
		_, err := tx.ExecContext(ctx, "INSERT INTO accounts (name, role, password_hash, org_kind, org_id, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
			a.Name, string(a.Role), a.PasswordHash, kind, id, createdAt(a.Created))
		return err
	})
}

// Account returns the account of that name, disabled or not.
func (s *DB) Account(ctx context.Context, name string) (*account.Account, error) {
	if !utf8.ValidString(name) || strings.ContainsRune(name, 0) {
		// No account is named so (PostgreSQL holds no such text, and
		// refuses to compare it): a sign-in or an admin's form may send it.
		return nil, registry.NotFound("account " + registry.Clip(name))
	}
	a, err := scanAccount(s.db.QueryRowContext(ctx, "SELECT "+accountColumns+" FROM accounts a WHERE a.name = $1", name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, registry.NotFound("account " + registry.Clip(name))
	}
	return a, err
}

// Accounts lists every account by name.
func (s *DB) Accounts(ctx context.Context) ([]*account.Account, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT "+accountColumns+" FROM accounts a ORDER BY a.name")
	return scanRows(rows, err, func(r rowScanner) (*account.Account, error) { return scanAccount(r) })
}

// UpdateAccount writes an account's role, password hash, organisation and
// disabled time. Disabling an account ends its sessions and revokes its
// tokens in the same transaction.
func (s *DB) UpdateAccount(ctx context.Context, a *account.Account) error {
	var kind, id, disabled any
	if a.Org != nil {
		kind, id = a.Org.Kind, a.Org.ID
	}
	if a.Disabled != nil {
		disabled = createdAt(*a.Disabled)
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE accounts SET role = $1, password_hash = $2, org_kind = $3, org_id = $4, disabled_at = $5 WHERE name = $6",
			string(a.Role), a.PasswordHash, kind, id, disabled, a.Name)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return registry.NotFound("account " + registry.Clip(a.Name))
		}
		if a.Disabled == nil {
			return nil
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE account = $1", a.Name); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "UPDATE api_tokens SET revoked_at = $1 WHERE account = $2 AND revoked_at IS NULL", disabled, a.Name)
		return err
	})
}

// AddSession keeps a session under the hash of its token.
func (s *DB) AddSession(ctx context.Context, tokenHash string, sess *account.Session) error {
	_, err := s.db.ExecContext(ctx, "INSERT INTO sessions (token_hash, account, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
		tokenHash, sess.Account.Name, sess.CSRF, createdAt(time.Now()), createdAt(sess.Expires))
	return err
}

// Session returns the live session of a token's hash, with its account;
// a session that expired by now, or whose account is disabled, is not
// found.
func (s *DB) Session(ctx context.Context, tokenHash string, now time.Time) (*account.Session, error) {
	var sess account.Session
	var expires string
	a, err := scanAccount(s.db.QueryRowContext(ctx, "SELECT "+accountColumns+", s.csrf, s.expires_at FROM sessions s JOIN accounts a ON a.name = s.account "+
		"WHERE s.token_hash = $1 AND s.expires_at > $2 AND a.disabled_at IS NULL", tokenHash, createdAt(now)), &sess.CSRF, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, registry.NotFound("session")
	} else if err != nil {
		return nil, err
	}
	sess.Account = *a
	sess.Expires, _ = time.Parse(time.RFC3339, expires)
	return &sess, nil
}

// DeleteSession ends a session.
func (s *DB) DeleteSession(ctx context.Context, tokenHash string) error {
	_, err := s.db.ExecContext(ctx, "DELETE FROM sessions WHERE token_hash = $1", tokenHash)
	return err
}

// EndSessions ends every session of an account but the one whose token
// hashes to keep.
func (s *DB) EndSessions(ctx context.Context, name, keep string) error {
	_, err := s.db.ExecContext(ctx, "DELETE FROM sessions WHERE account = $1 AND token_hash <> $2", name, keep)
	return err
}

// EndSession ends one session of an account, by the hash of its token.
func (s *DB) EndSession(ctx context.Context, name, id string) error {
	res, err := s.db.ExecContext(ctx, "DELETE FROM sessions WHERE account = $1 AND token_hash = $2", name, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return registry.NotFound("session")
	}
	return nil
}

// Sessions lists an account's sessions that have not expired by now,
// newest first.
func (s *DB) Sessions(ctx context.Context, name string, now time.Time) ([]account.SessionInfo, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT token_hash, created_at, expires_at FROM sessions WHERE account = $1 AND expires_at > $2 ORDER BY created_at DESC, token_hash",
		name, createdAt(now))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []account.SessionInfo
	for rows.Next() {
		var si account.SessionInfo
		var c, e string
		if err := rows.Scan(&si.ID, &c, &e); err != nil {
			return nil, err
		}
		si.Created, _ = time.Parse(time.RFC3339, c)
		si.Expires, _ = time.Parse(time.RFC3339, e)
		out = append(out, si)
	}
	return out, rows.Err()
}

var _ account.Store = (*DB)(nil)

// DeleteExpiredSessions removes the sessions that expired before now.
func (s *DB) DeleteExpiredSessions(ctx context.Context, now time.Time) error {
	_, err := s.db.ExecContext(ctx, "DELETE FROM sessions WHERE expires_at <= $1", createdAt(now))
	return err
}

// AddToken keeps an API token under the hash of its value.
func (s *DB) AddToken(ctx context.Context, tokenHash string, t *account.APIToken) error {
	var expires any
	if t.Expires != nil {
		expires = createdAt(*t.Expires)
	}
	_, err := s.db.ExecContext(ctx, "INSERT INTO api_tokens (token_hash, account, label, scope, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
		tokenHash, t.Account.Name, t.Label, joinScopes(t.Scopes), createdAt(time.Now()), expires)
	return err
}

// Token returns the API token of a hash, with its account; one revoked,
// expired by now, or of a disabled account is not found.
func (s *DB) Token(ctx context.Context, tokenHash string, now time.Time) (*account.APIToken, error) {
	var t account.APIToken
	var scope, created string
	var expires sql.NullString
	a, err := scanAccount(s.db.QueryRowContext(ctx, "SELECT "+accountColumns+", t.label, t.scope, t.created_at, t.expires_at FROM api_tokens t JOIN accounts a ON a.name = t.account "+
		"WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > $2) AND a.disabled_at IS NULL",
		tokenHash, createdAt(now)), &t.Label, &scope, &created, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, registry.NotFound("token")
	} else if err != nil {
		return nil, err
	}
	t.Account = *a
	t.Scopes, _ = account.ParseScopes(scope)
	t.Created, _ = time.Parse(time.RFC3339, created)
	if expires.Valid {
		e, _ := time.Parse(time.RFC3339, expires.String)
		t.Expires = &e
	}
	return &t, nil
}

// RevokeToken revokes the API token of a hash.
func (s *DB) RevokeToken(ctx context.Context, tokenHash string) error {
	res, err := s.db.ExecContext(ctx, "UPDATE api_tokens SET revoked_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL", createdAt(time.Now()), tokenHash)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return registry.NotFound("token")
	}
	return nil
}

func joinScopes(ss []account.Scope) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = string(s)
	}
	return strings.Join(parts, " ")
}
