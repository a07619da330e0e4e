// Package frameworks embeds the built-in legal frameworks, one directory
// each, in the layout package rules reads: framework.yaml, rules.yaml and
// golden cases in tests/*.yaml.
package frameworks

import (
	"embed"
	"io/fs"

	"oversight/rules"
)

//go:embed */*.yaml */tests/*.yaml
var files embed.FS

// FS returns the embedded framework directories.
func FS() fs.FS { return files }

// Load compiles every built-in framework, in id order.
func Load() ([]*rules.Framework, error) { return rules.LoadAll(files, ".") }
