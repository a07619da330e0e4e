package tilestore

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestFile: a File reads, seeks, reports its size and time, gives its
// descriptor as a syscall.Conn, closes once, and is never a directory.
func TestFile(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "tile")
	body := bytes.Repeat([]byte("0123456789"), 1000)
	if err := os.WriteFile(name, body, 0o644); err != nil {
		t.Fatal(err)
	}
	mod := time.Unix(1_700_000_000, 123)
	os.Chtimes(name, mod, mod)
	f, err := openFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if f.Size() != int64(len(body)) || !f.ModTime().Equal(mod) {
		t.Errorf("size %d, time %v; want %d, %v", f.Size(), f.ModTime(), len(body), mod)
	}
	if b, err := io.ReadAll(f); err != nil || !bytes.Equal(b, body) {
		t.Errorf("read %d bytes, %v", len(b), err)
	}
	if off, err := f.Seek(9990, io.SeekStart); off != 9990 || err != nil {
		t.Errorf("seek: %d, %v", off, err)
	}
	if b, _ := io.ReadAll(f); string(b) != "0123456789" {
		t.Errorf("after the seek: %q", b)
	}
	rc, err := f.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var st syscall.Stat_t
	rc.Read(func(fd uintptr) bool { err = syscall.Fstat(int(fd), &st); return true })
	if err != nil || st.Size != int64(len(body)) {
		t.Errorf("the descriptor given: %v, %d bytes", err, st.Size)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); !errors.Is(err, fs.ErrClosed) {
		t.Errorf("closed twice: %v", err)
	}
	if _, err := f.SyscallConn(); !errors.Is(err, fs.ErrClosed) {
		t.Errorf("SyscallConn after Close: %v", err)
	}
	if f, err := openFile(dir); err == nil {
		f.Close()
		t.Error("a directory was opened as a tile")
	}
	if _, err := openFile(filepath.Join(dir, "none")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing file: %v", err)
	}
}
