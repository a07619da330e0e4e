package tilestore

import (
	"io"
	"io/fs"
	"syscall"
	"time"
)

// A File is a stored tile opened for reading: its descriptor, size and
// modification time, without an os.File. Making an os.File of a
// descriptor costs an fcntl to learn whether it blocks, an allocation
// with a cleanup, and locks on each use, for a file read once, whole,
// by one request (docs/performance.md, "Tiles against nginx, quiet").
//
// A File is an io.ReadSeeker for http.ServeContent, and a syscall.Conn
// so that net's sendfile sends it from the page cache when it is copied
// to a connection. It is not safe for use by several goroutines at once.
type File struct {
	name string
	fd   int
	size int64
	mod  int64 // Unix nanoseconds
}

// openFile opens name read-only and learns its size and mode with one
// fstat; a name that is not a regular file is refused.
func openFile(name string) (*File, error) {
	fd, err := syscall.Open(name, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		syscall.Close(fd)
		return nil, &fs.PathError{Op: "stat", Path: name, Err: err}
	}
	if st.Mode&syscall.S_IFMT != syscall.S_IFREG {
		syscall.Close(fd)
		return nil, &fs.PathError{Op: "open", Path: name, Err: syscall.EISDIR}
	}
	return &File{name: name, fd: fd, size: st.Size, mod: st.Mtim.Nano()}, nil
}

// Size is the file's length in bytes when it was opened.
func (f *File) Size() int64 { return f.size }

// ModTime is the file's modification time when it was opened.
func (f *File) ModTime() time.Time { return time.Unix(0, f.mod) }

// Read reads from the file's current offset; at its end it returns io.EOF.
func (f *File) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	for {
		n, err := syscall.Read(f.fd, p)
		switch {
		case err == syscall.EINTR:
			continue
		case err != nil:
			return 0, &fs.PathError{Op: "read", Path: f.name, Err: err}
		case n == 0:
			return 0, io.EOF
		}
		return n, nil
	}
}

// Seek sets the offset of the next Read (or sendfile), as io.Seeker says.
func (f *File) Seek(offset int64, whence int) (int64, error) {
	off, err := syscall.Seek(f.fd, offset, whence)
	if err != nil {
		return 0, &fs.PathError{Op: "seek", Path: f.name, Err: err}
	}
	return off, nil
}

// Close closes the descriptor; a File is closed once.
func (f *File) Close() error {
	if f.fd < 0 {
		return fs.ErrClosed
	}
	err := syscall.Close(f.fd)
	f.fd = -1
	return err
}

// SyscallConn gives the descriptor to net, whose sendfile copies the file
// to a connection from the current offset (syscall.Conn).
func (f *File) SyscallConn() (syscall.RawConn, error) {
	if f.fd < 0 {
		return nil, fs.ErrClosed
	}
	return (*rawFile)(f), nil
}

// rawFile is a File as a syscall.RawConn: a regular file never blocks, so
// each of fn's calls runs once, at once.
type rawFile File

func (r *rawFile) Control(fn func(fd uintptr)) error { fn(uintptr(r.fd)); return nil }

func (r *rawFile) Read(fn func(fd uintptr) bool) error {
	fn(uintptr(r.fd))
	return nil
}

func (r *rawFile) Write(fn func(fd uintptr) bool) error {
	fn(uintptr(r.fd))
	return nil
}
