package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"

	"oversight/account"
	"oversight/store"
)

// userCmd manages accounts: oversight user add|list|disable|link|token.
// The first admin is made here, on the database's host; the server has
// no way to make one.
func userCmd(fs *flag.FlagSet) runFunc {
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `usage: oversight user SUBCOMMAND [flags] NAME

subcommands:
  add      create an account: --role contributor|reviewer|admin; the password is read from
           --password-file, from standard input, or asked for twice on a terminal
  list     list the accounts
  disable  disable an account: its sessions end and its tokens are revoked
  link     link an account to the organisation it answers for: --vendor ID or --operator NAME
  token    issue an API token: --scope "submit review reply admin" (within the role), --label, --days
  password set a new password (read as add reads it); the account's sessions end

run 'oversight user SUBCOMMAND -h' for its flags
`)
	}
	return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
		if len(args) == 0 {
			fs.Usage()
			return exitError(2)
		}
		sub, ok := userCommands[args[0]]
		if !ok {
			fmt.Fprintf(stderr, "oversight user: unknown subcommand %q\n", args[0])
			fs.Usage()
			return exitError(2)
		}
		sfs := flag.NewFlagSet("oversight user "+args[0], flag.ContinueOnError)
		sfs.SetOutput(stderr)
		var r registerFlags
		r.register(sfs)
		run := sub.make(sfs, &r)
		if err := sfs.Parse(args[1:]); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil
			}
			return exitError(2)
		}
		db, err := r.open(ctx, true)
		if err != nil {
			return err
		}
		defer db.Close()
		name := ""
		if sub.named {
			if name, err = oneName(sfs, sfs.Args()); err != nil {
				return err
			}
		}
		return run(ctx, db, name, stdout)
	}
}

// A userRun runs a subcommand on the account named (none for list).
type userRun func(ctx context.Context, db *store.DB, name string, stdout io.Writer) error

var userCommands = map[string]struct {
	make  func(fs *flag.FlagSet, r *registerFlags) userRun
	named bool // takes the one argument NAME
}{
	"add":      {userAdd, true},
	"list":     {userList, false},
	"disable":  {userDisable, true},
	"link":     {userLink, true},
	"token":    {userToken, true},
	"password": {userPassword, true},
}

func oneName(fs *flag.FlagSet, args []string) (string, error) {
	if len(args) != 1 {
		fs.Usage()
		return "", exitError(2)
	}
	return args[0], nil
}

func userAdd(fs *flag.FlagSet, _ *registerFlags) userRun {
	role := fs.String("role", "", "contributor, reviewer or admin (required)")
	pwFile := fs.String("password-file", "", "read the password from the first line of this file")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "usage: oversight user add --role contributor|reviewer|admin [flags] NAME\n\nflags:\n")
		fs.PrintDefaults()
	}
	return func(ctx context.Context, db *store.DB, name string, stdout io.Writer) error {
		ro, err := account.ParseRole(*role)
		if err != nil {
			return err
		}
		if err := account.CheckName(name); err != nil {
			return err
		}
		pw, err := readPassword(*pwFile, stdout)
		if err != nil {
			return err
		}
		h, err := account.HashPassword(pw)
		if err != nil {
			return err
		}
		if err := db.AddAccount(ctx, &account.Account{Name: name, Role: ro, PasswordHash: h}); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "added %s %s\n", ro, name)
		return nil
	}
}

// readPassword reads a password from a file, a terminal (asked twice) or
// standard input, without its line ending.
func readPassword(file string, prompt io.Writer) (string, error) {
	var line string
	switch {
	case file != "":
		f, err := os.Open(file)
		if err != nil {
			return "", err
		}
		defer f.Close()
		line, err = firstLine(f)
		if err != nil {
			return "", fmt.Errorf("password file %s: %w", file, err)
		}
	case term.IsTerminal(int(os.Stdin.Fd())):
		fmt.Fprint(prompt, "password: ")
		a, err := term.ReadPassword(int(os.Stdin.Fd()))
		fmt.Fprint(prompt, "\nagain: ")
		if err != nil {
			return "", err
		}
		b, err := term.ReadPassword(int(os.Stdin.Fd()))
		fmt.Fprintln(prompt)
		if err != nil {
			return "", err
		}
		if string(a) != string(b) {
			return "", errors.New("the two passwords differ")
		}
		line = string(a)
	default:
		var err error
		if line, err = firstLine(os.Stdin); err != nil {
			return "", fmt.Errorf("password on standard input: %w", err)
		}
	}
	return line, account.CheckPolicy(line)
}

func firstLine(r io.Reader) (string, error) {
	s := bufio.NewScanner(io.LimitReader(r, 4096))
	if !s.Scan() {
		if s.Err() != nil {
			return "", s.Err()
		}
		return "", errors.New("empty")
	}
	return strings.TrimRight(s.Text(), "\r"), nil
}

func userList(fs *flag.FlagSet, _ *registerFlags) userRun {
	return func(ctx context.Context, db *store.DB, _ string, stdout io.Writer) error {
		as, err := db.Accounts(ctx)
		if err != nil {
			return err
		}
		for _, a := range as {
			org, state := "-", "active"
			if a.Org != nil {
				org = a.Org.Kind + ":" + a.Org.ID
			}
			if a.Disabled != nil {
				state = "disabled " + a.Disabled.Format(time.DateOnly)
			}
			fmt.Fprintf(stdout, "%s\t%s\t%s\t%s\n", a.Name, a.Role, org, state)
		}
		return nil
	}
}

func userDisable(fs *flag.FlagSet, _ *registerFlags) userRun {
	return func(ctx context.Context, db *store.DB, name string, stdout io.Writer) error {
		a, err := db.Account(ctx, name)
		if err != nil {
			return err
		}
		now := time.Now()
		a.Disabled = &now
		if err := db.UpdateAccount(ctx, a); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "disabled %s; its sessions ended and its tokens were revoked\n", name)
		return nil
	}
}

func userLink(fs *flag.FlagSet, _ *registerFlags) userRun {
	vendor := fs.String("vendor", "", "the id of the vendor the account answers for")
	operator := fs.String("operator", "", "the name of the operator the account answers for, as deployments give it")
	return func(ctx context.Context, db *store.DB, name string, stdout io.Writer) error {
		if (*vendor == "") == (*operator == "") {
			return errors.New("give one of --vendor and --operator")
		}
		a, err := db.Account(ctx, name)
		if err != nil {
			return err
		}
		a.Org = &account.Org{Kind: "vendor", ID: *vendor}
		if *operator != "" {
			a.Org = &account.Org{Kind: "operator", ID: *operator}
		}
		if err := db.UpdateAccount(ctx, a); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "linked %s to %s %s\n", name, a.Org.Kind, a.Org.ID)
		return nil
	}
}

func userToken(fs *flag.FlagSet, _ *registerFlags) userRun {
	scope := fs.String("scope", "submit", "what the token may do, space-separated: submit, review, reply, admin (within the account's role)")
	label := fs.String("label", "", "what the token is for, to recognise it later")
	days := fs.Int("days", account.DefaultTokenDays, "days until the token expires; 0 for never")
	return func(ctx context.Context, db *store.DB, name string, stdout io.Writer) error {
		scopes, err := account.ParseScopes(*scope)
		if err != nil {
			return err
		}
		a, err := db.Account(ctx, name)
		if err != nil {
			return err
		}
		for _, s := range scopes {
			if !a.Role.Allows(s) {
				return fmt.Errorf("a %s may not be given scope %s", a.Role, s)
			}
		}
		plain, err := account.NewToken(account.APIPrefix)
		if err != nil {
			return err
		}
		t := &account.APIToken{Account: *a, Label: *label, Scopes: scopes, Expires: account.TokenExpiry(time.Now(), *days)}
		if err := db.AddToken(ctx, account.HashToken(plain), t); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s\n", plain)
		return nil
	}
}

func userPassword(fs *flag.FlagSet, _ *registerFlags) userRun {
	pwFile := fs.String("password-file", "", "read the password from the first line of this file")
	return func(ctx context.Context, db *store.DB, name string, stdout io.Writer) error {
		a, err := db.Account(ctx, name)
		if err != nil {
			return err
		}
		pw, err := readPassword(*pwFile, stdout)
		if err != nil {
			return err
		}
		if a.PasswordHash, err = account.HashPassword(pw); err != nil {
			return err
		}
		if err := db.UpdateAccount(ctx, a); err != nil {
			return err
		}
		if err := db.EndSessions(ctx, name, ""); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "set a new password for %s; its sessions ended\n", name)
		return nil
	}
}
