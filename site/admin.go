package site

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"oversight/account"
	"oversight/internal/auth"
	"oversight/internal/params"
	"oversight/registry"
)

// adminPage lists the accounts, with the forms an admin manages them by:
// add one, link one to an organisation, issue a token, set a new password,
// disable one.
func (s *Site) adminPage(w http.ResponseWriter, r *http.Request) {
	if err := params.Read(r.URL.Query()).Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	s.showAdmin(w, r, http.StatusOK, "", "", nil)
}

func (s *Site) showAdmin(w http.ResponseWriter, r *http.Request, status int, notice, token string, errs registry.Errors) {
	as, err := s.Accounts.Accounts(r.Context())
	if err == nil {
		var csrf string
		if csrf, err = auth.FormToken(w, r); err == nil {
			w.Header().Set("Cache-Control", "no-store")
			s.render(w, r, status, "admin", map[string]any{"Title": "Accounts", "Accounts": as, "CSRF": csrf, "Notice": notice, "Token": token,
				"Errors": errs, "Roles": account.Roles, "Scopes": account.Scopes, "OrgKinds": registry.OrgKinds.Values, "Days": account.DefaultTokenDays})
			return
		}
	}
	s.fail(w, r, err)
}

// admin carries out one of the admin page's forms.
func (s *Site) admin(w http.ResponseWriter, r *http.Request) {
	f, ctx := r.PostForm, r.Context()
	name := strings.TrimSpace(f.Get("name"))
	var notice, token string
	err := func() error {
		if f.Get("action") == "add" {
			role, err := account.ParseRole(f.Get("role"))
			if err != nil {
				return registry.InvalidField("body.role", err.Error())
			}
			if err := account.CheckName(name); err != nil {
				return registry.InvalidField("body.name", err.Error())
			}
			h, err := account.HashPassword(f.Get("password"))
			if err != nil {
				return registry.InvalidField("body.password", err.Error())
			}
			notice = "Added " + string(role) + " " + name + "."
			return s.Accounts.AddAccount(ctx, &account.Account{Name: name, Role: role, PasswordHash: h, Created: s.Now()})
		}
		a, err := s.Accounts.Account(ctx, name)
		if err != nil {
			return err
		}
		switch f.Get("action") {
		case "disable":
			if a.Name == auth.FromContext(ctx).Name {
				return registry.InvalidField("body.name", "an admin does not disable their own account")
			}
			now := s.Now()
			a.Disabled = &now
			notice = "Disabled " + a.Name + ": its sessions ended and its tokens were revoked."
		case "link":
			kind, org := f.Get("org_kind"), strings.TrimSpace(f.Get("org"))
			if !registry.OrgKinds.Has(kind) {
				return registry.InvalidField("body.org_kind", "is not a kind of organisation", registry.OrgKinds.Values...)
			}
			if org == "" {
				return registry.InvalidField("body.org", "name the organisation: a vendor's id, or an operator's name as records give it", registry.OrgKinds.Values...)
			}
			if err := account.CheckText(org, account.MaxOrg); err != nil {
				return registry.InvalidField("body.org", err.Error())
			}
			a.Org = &account.Org{Kind: kind, ID: org}
			notice = "Linked " + a.Name + " to " + kind + " " + org + "."
		case "token":
			return s.issueToken(r, a, &notice, &token)
		case "password":
			// A new password for someone who lost theirs, told to them apart;
			// their sessions end.
			h, err := account.HashPassword(f.Get("password"))
			if err != nil {
				return registry.InvalidField("body.password", err.Error())
			}
			a.PasswordHash = h
			if err := s.Accounts.UpdateAccount(ctx, a); err != nil {
				return err
			}
			notice = "Set a new password for " + a.Name + "; their sessions ended."
			return s.Accounts.EndSessions(ctx, a.Name, "")
		default:
			return registry.InvalidField("body.action", "is not an action of this page", "add", "disable", "link", "token", "password")
		}
		return s.Accounts.UpdateAccount(ctx, a)
	}()
	var e *registry.Error
	switch {
	case errors.As(err, &e) && (e.Code == registry.EInvalid || e.Code == registry.EConflict || e.Code == registry.ENotFound):
		fields := e.Fields
		if len(fields) == 0 {
			fields = registry.Errors{{Path: "body.name", Msg: e.Message}}
		}
		s.showAdmin(w, r, http.StatusUnprocessableEntity, "", "", fields)
	case err != nil:
		s.fail(w, r, err)
	default:
		s.showAdmin(w, r, http.StatusOK, notice, token, nil)
	}
}

// issueToken issues an API token for a, within its role, and returns it
// to be shown once.
func (s *Site) issueToken(r *http.Request, a *account.Account, notice, token *string) error {
	scopes, err := account.ParseScopes(strings.Join(r.PostForm["scope"], " "))
	if err != nil || len(scopes) == 0 {
		return registry.InvalidField("body.scope", "choose what the token may do", "submit", "review", "reply", "admin")
	}
	for _, sc := range scopes {
		if !a.Role.Allows(sc) {
			return registry.InvalidField("body.scope", "a "+string(a.Role)+" may not be given scope "+string(sc))
		}
	}
	days, err := strconv.Atoi(r.PostForm.Get("days"))
	if err != nil || days < 0 || days > 3650 {
		return registry.InvalidField("body.days", "a whole number of days from 0 (never expires) to 3650")
	}
	if err := account.CheckText(r.PostForm.Get("label"), account.MaxLabel); err != nil {
		return registry.InvalidField("body.label", err.Error())
	}
	plain, err := account.NewToken(account.APIPrefix)
	if err != nil {
		return err
	}
	t := &account.APIToken{Account: *a, Label: r.PostForm.Get("label"), Scopes: scopes, Expires: account.TokenExpiry(s.Now(), days)}
	if err := s.Accounts.AddToken(r.Context(), account.HashToken(plain), t); err != nil {
		return err
	}
	*notice, *token = "A token for "+a.Name+". It is shown only now: the register keeps its hash only.", plain
	return nil
}

// accountPage lets a signed-in person change their password.
func (s *Site) accountPage(w http.ResponseWriter, r *http.Request) {
	if err := params.Read(r.URL.Query()).Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	s.showAccount(w, r, http.StatusOK, "", nil)
}

func (s *Site) showAccount(w http.ResponseWriter, r *http.Request, status int, notice string, errs registry.Errors) {
	csrf, err := auth.FormToken(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in := auth.FromContext(r.Context())
	sessions, err := s.Accounts.Sessions(r.Context(), in.Name, s.Now())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "account", map[string]any{"Title": "Your account", "P": in.Principal, "CSRF": csrf, "Notice": notice, "Errors": errs,
		"Sessions": sessions, "Current": in.SessionID()})
}

// changePassword carries out the account page's forms: a new password,
// or the end of one session, or of every other (ASVS 3.3.4).
func (s *Site) changePassword(w http.ResponseWriter, r *http.Request) {
	f, in := r.PostForm, auth.FromContext(r.Context())
	var err error
	var notice string
	switch {
	case f.Get("action") == "end-session":
		err, notice = s.Accounts.EndSession(r.Context(), in.Name, f.Get("id")), "That session has ended."
		if errors.Is(err, registry.ErrNotFound) {
			err = registry.InvalidField("body.id", "is not one of your sessions")
		}
	case f.Get("action") == "end-others":
		err, notice = s.Accounts.EndSessions(r.Context(), in.Name, in.SessionID()), "Your other sessions have ended."
	case f.Get("password") != f.Get("again"):
		err = registry.InvalidField("body.again", "is not the same as the new password")
	default:
		err, notice = s.Auth.ChangePassword(r, f.Get("current"), f.Get("password")), "Your password is changed, and your other sessions have ended."
	}
	var e *registry.Error
	switch {
	case errors.As(err, &e) && e.Code == registry.EInvalid:
		s.showAccount(w, r, http.StatusUnprocessableEntity, "", e.Fields)
	case err != nil:
		s.fail(w, r, err)
	default:
		s.showAccount(w, r, http.StatusOK, notice, nil)
	}
}
