package web

import (
	"net/http"
	"time"
)

// Timeouts of the HTTP server: a client that sends its request slowly, or
// holds an idle connection, cannot keep a connection for long.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 30 * time.Second // the whole request, body included
	// writeTimeout bounds the time to write an answer. An export streams
	// for as long as the file takes, and extends it as it writes (see
	// api's streamWriter), so only a client that stops reading is cut.
	writeTimeout   = 60 * time.Second
	idleTimeout    = 60 * time.Second
	maxHeaderBytes = 64 << 10
)

// NewServer returns an HTTP server for h on addr with the timeouts and
// header bound above.
func NewServer(addr string, h http.Handler) *http.Server {
	return &http.Server{
		Addr: addr, Handler: h,
		ReadHeaderTimeout: readHeaderTimeout, ReadTimeout: readTimeout,
		WriteTimeout: writeTimeout, IdleTimeout: idleTimeout, MaxHeaderBytes: maxHeaderBytes,
	}
}
