// Package fonts embeds the typefaces every writer uses, so output looks the
// same on every machine. Liberation Sans is licensed under the SIL Open Font
// License 1.1 (see LICENSE-Liberation.txt); it covers Welsh (ŵ ŷ) and
// typographic punctuation (£ – ’ • “ ”).
package fonts

import _ "embed"

// Family is the name writers register the embedded faces under.
const Family = "LiberationSans"

//go:embed LiberationSans-Regular.ttf
var Regular []byte

//go:embed LiberationSans-Bold.ttf
var Bold []byte

//go:embed LiberationSans-Italic.ttf
var Italic []byte
