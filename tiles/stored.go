package tiles

import (
	"io"
	"net/http"
	"strconv"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"oversight/tilestore"
)

// serveFile answers r with the stored file of full tile t, and reports
// whether there was one to answer with. The body goes to the kernel
// (sendfile) when w is the connection's own writer.
//
// A request without a Range is answered here: its length is the file's,
// and If-None-Match is the one condition a tile's answer has, as it has
// no modification time. http.ServeContent would answer the same, after
// two seeks to learn a length the file's stat gave already; it answers
// the rare request with a Range.
func serveFile(w http.ResponseWriter, r *http.Request, f *tilestore.Files, t tlog.Tile) bool {
	file, err := f.Open(t)
	if err != nil {
		return false
	}
	defer file.Close()
	h := w.Header()
	h["Content-Type"] = octetStream
	h["Cache-Control"] = immutableHeader
	// The ETag and the length in one allocation: the header map holds
	// each as a slice of one.
	vals := &[2]string{fileETag(file.ModTime().UnixNano(), file.Size()), contentLength(file.Size())}
	etag := vals[0]
	h["Etag"] = vals[0:1:1]
	if _, ranged := r.Header["Range"]; ranged {
		// No modification time: the ETag says all a cache needs, and a
		// tile's bytes do not depend on when its file was written.
		http.ServeContent(w, r, "", time.Time{}, file)
		return true
	}
	if inm := r.Header["If-None-Match"]; len(inm) > 0 && etagIn(inm, etag) {
		w.WriteHeader(http.StatusNotModified)
		return true
	}
	h["Accept-Ranges"] = acceptRanges
	h["Content-Length"] = vals[1:2:2]
	if r.Method == http.MethodHead {
		return true
	}
	// The header sent first, on its own: net/http then hands the whole
	// file to sendfile, where it would otherwise read the file's first
	// 512 bytes and write them beside the header (a read and a copy more
	// for each tile). A writer that cannot flush is copied to as it is.
	w.WriteHeader(http.StatusOK)
	http.NewResponseController(w).Flush()
	io.CopyN(w, file, file.Size()) // the length known: one sendfile, not a second to find the end
	return true
}

var acceptRanges = []string{"bytes"}

// hashTileLength is the Content-Length of every full hash tile.
var hashTileLength = strconv.Itoa(256 * tlog.HashSize)

func contentLength(n int64) string {
	if n == 256*tlog.HashSize {
		return hashTileLength
	}
	return strconv.FormatInt(n, 10)
}

// fileETag is a stored tile's ETag, from its file's modification time and
// size as nginx makes it: a file is written once, whole, so a new time is
// a new file, and the same file keeps its tag for as long as it stands.
func fileETag(modNano, size int64) string {
	var b [48]byte
	e := append(b[:0], '"')
	e = strconv.AppendInt(e, modNano, 16)
	e = append(e, '-')
	e = strconv.AppendInt(e, size, 16)
	return string(append(e, '"'))
}
