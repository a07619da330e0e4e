package tiles

import (
	"io/fs"
	"net/http"
	"strconv"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"oversight/tilestore"
)

// serveFile answers r with the stored file of full tile t, and reports
// whether there was one to answer with. http.ServeContent answers HEAD,
// ranges and If-None-Match, and hands the file to the kernel (sendfile)
// when w is the connection's own writer.
func serveFile(w http.ResponseWriter, r *http.Request, f *tilestore.Files, t tlog.Tile) bool {
	file, fi, err := f.Open(t)
	if err != nil {
		return false
	}
	defer file.Close()
	h := w.Header()
	h["Content-Type"] = octetStream
	h["Cache-Control"] = immutableHeader
	h["Etag"] = []string{fileETag(fi)}
	// No modification time: the ETag says all a cache needs, and a
	// tile's bytes do not depend on when its file was written.
	http.ServeContent(w, r, "", time.Time{}, file)
	return true
}

// fileETag is a stored tile's ETag, from its file's modification time and
// size as nginx makes it: a file is written once, whole, so a new time is
// a new file, and the same file keeps its tag for as long as it stands.
func fileETag(fi fs.FileInfo) string {
	return `"` + strconv.FormatInt(fi.ModTime().UnixNano(), 16) + "-" + strconv.FormatInt(fi.Size(), 16) + `"`
}
