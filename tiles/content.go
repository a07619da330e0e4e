package tiles

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"oversight/registry"
)

// Content is the answer at prefix+"/content/<N>": the salt and content of
// revision N, which its format-2 leaf commits to (registry.Format2), both
// base64 (standard, padded), so that a reader hashes exactly the bytes
// committed to: SHA-256(salt ‖ content) in lowercase hex is the leaf's
// "commitment". A redacted revision answers 410 Gone with a Content whose
// Redacted names the redaction; its salt and content are gone.
type Content struct {
	Seq      int64               `json:"seq"`
	Salt     []byte              `json:"salt,omitempty"`
	Content  []byte              `json:"content,omitempty"`
	Redacted *registry.Redaction `json:"redacted,omitempty"`
}

// ContentReader is a Reader that also serves revisions' content.
type ContentReader interface {
	// Content returns the salt and content of revision n: nil for a
	// format-1 revision, whose record holds its content, and a
	// *registry.RedactedError for a redacted one.
	Content(ctx context.Context, n int64) (salt, content []byte, err error)
}

// serveContent answers prefix+"/content/<N>". The answer is not cached
// for long: a revision's content may be redacted.
func serveContent(w http.ResponseWriter, r *http.Request, rd Reader, num string) error {
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n < 0 || strconv.FormatInt(n, 10) != num {
		return registry.NotFound("content " + registry.Clip(num) + ": not a revision number")
	}
	cr, ok := rd.(ContentReader)
	if !ok {
		return registry.NotFound("content: this log serves none")
	}
	_, cp, err := rd.Checkpoint(r.Context())
	if err != nil {
		return err
	}
	if n >= cp.Size {
		return registry.NotFound("content " + num + ": beyond the log's " + strconv.FormatInt(cp.Size, 10) + " entries")
	}
	salt, content, err := cr.Content(r.Context(), n)
	var red *registry.RedactedError
	status := http.StatusOK
	out := Content{Seq: n, Salt: salt, Content: content}
	switch {
	case errors.As(err, &red):
		status, out.Redacted = http.StatusGone, &red.Redaction
	case err != nil:
		return err
	case salt == nil:
		return registry.NotFound("content " + num + ": a format-1 revision, whose entry holds its content")
	}
	body, err := json.Marshal(out)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)+1))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(append(body, '\n'))
	}
	return nil
}
