package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestUserCommand: user add --help exits 0; add makes the first admin (the
// password from a file or standard input, the policy enforced), list shows
// accounts, link and token work, password sets a new one, disable disables.
func TestUserCommand(t *testing.T) {
	t.Parallel()
	if out, errs, err := run(t, "user", "add", "--help"); err != nil {
		t.Fatalf("user add --help: %v\n%s%s", err, out, errs)
	}
	dir := builtinData(t)
	pw := filepath.Join(t.TempDir(), "pw")
	os.WriteFile(pw, []byte("correct horse battery staple\n"), 0o600)
	mustRun(t, "user", "add", "--data", dir, "--role", "admin", "--password-file", pw, "ada")
	os.WriteFile(pw, []byte("short\n"), 0o600)
	if _, errs, err := run(t, "user", "add", "--data", dir, "--role", "reviewer", "--password-file", pw, "rex"); err == nil || !strings.Contains(errs, "at least 12 characters") {
		t.Fatalf("a short password: %v %s", err, errs)
	}
	cmd := exec.Command(binary, "user", "add", "--data", dir, "--role", "contributor", "press")
	cmd.Stdin = strings.NewReader("another long password\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("password on standard input: %v %s", err, out)
	}
	if _, errs, err := run(t, "user", "add", "--data", dir, "--role", "reviewer", "--password-file", pw, "ada"); err == nil {
		t.Fatalf("a name taken was added again: %s", errs)
	}
	mustRun(t, "user", "link", "--data", dir, "--vendor", "huawei", "press")
	token := mustRun(t, "user", "token", "--data", dir, "--scope", "reply", "--label", "press office", "press")
	if !regexp.MustCompile(`^api_[A-Za-z0-9_-]{43}\n$`).MatchString(token) {
		t.Errorf("the token printed %q", token)
	}
	if _, errs, err := run(t, "user", "token", "--data", dir, "--scope", "review", "press"); err == nil || !strings.Contains(errs, "may not be given scope review") {
		t.Errorf("a contributor given review: %v %s", err, errs)
	}
	cmd = exec.Command(binary, "user", "password", "--data", dir, "press")
	cmd.Stdin = strings.NewReader("a third long password\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("a new password: %v %s", err, out)
	}
	mustRun(t, "user", "disable", "--data", dir, "press")
	list := mustRun(t, "user", "list", "--data", dir)
	for _, want := range []string{"ada\tadmin\t-\tactive", "press\tcontributor\tvendor:huawei\tdisabled"} {
		if !strings.Contains(list, want) {
			t.Errorf("user list says\n%s\nwithout %q", list, want)
		}
	}
	mustRun(t, "verify", "--data", dir)
}
