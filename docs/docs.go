// Package docs embeds the project's documents that the pages show: the
// method and the about page are written once, here, for the repository
// and the site alike.
package docs

import "embed"

//go:embed *.md
var files embed.FS

// Read returns a document by its file name (methodology.md).
func Read(name string) ([]byte, error) { return files.ReadFile(name) }
