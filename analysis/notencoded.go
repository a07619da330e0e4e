package analysis

import (
	"fmt"
	"slices"
	"strings"

	"oversight/rules"
)

// Unencoded lists the binding laws the register has a framework file for
// but could not encode (rules.NotEncoded), in id order. They classify
// nothing; pages and the API list them so that a jurisdiction whose law
// is unread is never shown as one without law.
func (c *Classifier) Unencoded() []*rules.Framework { return c.unencoded }

// Law returns a framework by id, encoded or not: for the pages and API
// answers that describe a framework rather than classify under it.
func (c *Classifier) Law(id string) (*rules.Framework, bool) {
	if fw, ok := c.byID[id]; ok {
		return fw, true
	}
	i := slices.IndexFunc(c.unencoded, func(fw *rules.Framework) bool { return fw.ID == id })
	if i < 0 {
		return nil, false
	}
	return c.unencoded[i], true
}

// UnencodedBinding lists the ids of the laws not encoded that bind a
// jurisdiction.
func (c *Classifier) UnencodedBinding(code string) []string {
	out := []string{}
	for _, fw := range c.unencoded {
		if slices.Contains(fw.Binds, code) {
			out = append(out, fw.ID)
		}
	}
	return out
}

// NotEncodedError is the answer to a request to classify under a law the
// register could not encode.
type NotEncodedError struct{ Framework *rules.Framework }

func (e NotEncodedError) Error() string {
	return fmt.Sprintf("framework %q is not encoded (%s): the register holds no rules for it, so it gives no tier",
		e.Framework.ID, strings.Join(e.Framework.NotEncoded.Reasons, ", "))
}
