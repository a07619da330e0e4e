package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// A memory budget or debug address that cannot be used is refused before
// the server listens, naming where it came from and what is wanted.
func TestServeRefusesBadBudget(t *testing.T) {
	t.Parallel() // its processes have an environment of their own
	data := filepath.Join(t.TempDir(), "never-made")
	for _, c := range []struct {
		flag, env, debug string
		want             string
	}{
		{flag: "12MB", want: "--memory: memory budget 12 MB: at least 128 MB"},
		{flag: "lots", want: `--memory: memory budget "lots": want a positive size`},
		{env: "-300MB", want: `OVERSIGHT_MEMORY: memory budget "-300MB"`},
		{flag: "1GB", env: "lots", debug: "0.0.0.0:42290", want: "OVERSIGHT_DEBUG_ADDR=0.0.0.0:42290: want a loopback address"},
	} {
		args := []string{"serve", "--addr", "127.0.0.1:0", "--data", data}
		if c.flag != "" {
			args = append(args, "--memory", c.flag)
		}
		if c.debug != "" {
			args[4] = builtinData(t)
		}
		cmd := exec.Command(binary, args...)
		cmd.Env = append(os.Environ(), "OVERSIGHT_MEMORY="+c.env, "OVERSIGHT_DEBUG_ADDR="+c.debug)
		var errb bytes.Buffer
		cmd.Stderr = &errb
		if err := cmd.Run(); err == nil || !strings.Contains(errb.String(), c.want) {
			t.Errorf("serve %q with OVERSIGHT_MEMORY=%q: %v, %q; want an error saying %q", args, c.env, err, errb.String(), c.want)
		}
	}
	if _, err := os.Stat(data); err == nil {
		t.Error("a refused budget still made the register")
	}
}

// import and gen read the same budget, and refuse one they cannot use
// before they make a register.
func TestWritesRefuseBadBudget(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "in.json")
	if err := os.WriteFile(file, []byte(`{"deployments": []}`), 0o644); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "never-made")
	for _, args := range [][]string{
		{"import", "--data", data, "--no-builtin", "--memory", "12MB", file},
		{"gen", "--data", data, "--deployments", "1", "--memory", "12MB"},
	} {
		_, errs, err := run(t, args...)
		if want := "--memory: memory budget 12 MB: at least 128 MB"; err == nil || !strings.Contains(errs, want) {
			t.Errorf("oversight %q: %v, %q; want an error saying %q", args, err, errs, want)
		}
	}
	if _, err := os.Stat(data); err == nil {
		t.Error("a refused budget still made the register")
	}
}
