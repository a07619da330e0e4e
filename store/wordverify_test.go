package store

import (
	"slices"
	"strings"
	"testing"
)

// FuzzWordGroup checks what verify's reading of deployment_words by
// deployment rests on: rows whose group, as string_agg joins them, reads
// the same as the group of a deployment's words (wordGroup) are those
// words, whatever the rows hold (spaces, empty words) and in whatever
// order they come. text gives the deployment's words, rows the table's
// rows, one a line.
func FuzzWordGroup(f *testing.F) {
	f.Add("Camera network", "camera\nnetwork")
	f.Add("Camera network", "camera network")
	f.Add("a b c", "a b\nc")
	f.Add("a b c", "c\nb\na")
	f.Add("one", "one\n")
	f.Fuzz(func(t *testing.T, text, lines string) {
		want := indexWords(text)
		if len(want) == 0 {
			return // no group: a deployment without words has no rows
		}
		rows := strings.Split(lines, "\n")
		got, _ := readGroup("d", int64(len(rows)), strings.Join(rows, " "), nil)
		if !slices.Equal(got, wordGroup("d", want)) {
			return
		}
		slices.Sort(rows)
		if !slices.Equal(rows, want) {
			t.Errorf("rows %q read as the group of the words %q", rows, want)
		}
	})
}
