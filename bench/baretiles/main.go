// Command baretiles serves a directory of tiles under /log/ with net/http
// alone, the way Oversight serves a stored full tile (tiles/stored.go) and
// with its system calls: open(2), fstat, the header written on its own,
// then sendfile, and with the timeouts of Oversight's server (web.NewServer),
// which a public server needs against slow clients and which cost a
// deadline's timer each. No router, no middleware, no security headers.
// It is the
// ceiling of a Go server for bench/tiles.sh: what is left between it and
// nginx is net/http's own work a request, and what is left between it and
// Oversight is Oversight's.
//
//	go build -o baretiles ./bench/baretiles && ./baretiles -addr 127.0.0.1:18285 DIR
//
// DIR holds the files at the paths under /log/ (DIR/tile/0/000, …), as
// bench/tiles.sh mirrors them for nginx.
package main

import (
	"flag"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18285", "address to listen on")
	noTimeouts := flag.Bool("no-timeouts", false, "serve without the timeouts of Oversight's server, to measure what they cost")
	flag.Parse()
	if flag.NArg() != 1 {
		log.Fatal("usage: baretiles [-addr HOST:PORT] DIR")
	}
	dir := flag.Arg(0)
	octet := []string{"application/octet-stream"}
	immutable := []string{"public, max-age=31536000, immutable"}
	bytes := []string{"bytes"}
	h := func(w http.ResponseWriter, r *http.Request) {
		path, ok := strings.CutPrefix(r.URL.Path, "/log/")
		if !ok || strings.Contains(path, "..") {
			http.NotFound(w, r)
			return
		}
		fd, err := syscall.Open(filepath.Join(dir, path), syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		f := os.NewFile(uintptr(fd), path)
		defer f.Close()
		fi, err := f.Stat()
		if err != nil || !fi.Mode().IsRegular() {
			http.NotFound(w, r)
			return
		}
		hd := w.Header()
		hd["Content-Type"] = octet
		hd["Cache-Control"] = immutable
		hd["Accept-Ranges"] = bytes
		hd["Etag"] = []string{`"` + strconv.FormatInt(fi.ModTime().UnixNano(), 16) + "-" + strconv.FormatInt(fi.Size(), 16) + `"`}
		hd["Content-Length"] = []string{strconv.FormatInt(fi.Size(), 10)}
		w.WriteHeader(http.StatusOK)
		http.NewResponseController(w).Flush()
		io.CopyN(w, f, fi.Size())
	}
	srv := &http.Server{Addr: *addr, Handler: http.HandlerFunc(h)}
	if !*noTimeouts {
		// web.NewServer's.
		srv.ReadHeaderTimeout, srv.ReadTimeout = 10*time.Second, 30*time.Second
		srv.WriteTimeout, srv.IdleTimeout, srv.MaxHeaderBytes = 60*time.Second, 60*time.Second, 64<<10
	}
	log.Fatal(srv.ListenAndServe())
}
