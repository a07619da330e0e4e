package testreg

import (
	"context"
	"sync"
	"testing"

	"oversight/account"
	"oversight/store"
)

// Password is the password of the accounts tests make.
const Password = "correct horse battery staple"

// passwordHash is Password's hash, made once for the test binary: argon2id
// costs tens of milliseconds of CPU a call, and every account has that
// password.
var passwordHash = sync.OnceValues(func() (string, error) { return account.HashPassword(Password) })

// Account makes an account with a role (and org, when not nil) and returns
// an API token of it with every scope the role allows.
func Account(t testing.TB, db *store.DB, name string, role account.Role, org *account.Org) string {
	t.Helper()
	ctx := context.Background()
	h, err := passwordHash()
	if err != nil {
		t.Fatal(err)
	}
	a := &account.Account{Name: name, Role: role, PasswordHash: h, Org: org}
	if err := db.AddAccount(ctx, a); err != nil {
		t.Fatal(err)
	}
	var scopes []account.Scope
	for _, s := range account.Scopes {
		if role.Allows(s) {
			scopes = append(scopes, s)
		}
	}
	plain, err := account.NewToken(account.APIPrefix)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.AddToken(ctx, account.HashToken(plain), &account.APIToken{Account: *a, Label: "test", Scopes: scopes}); err != nil {
		t.Fatal(err)
	}
	return plain
}
