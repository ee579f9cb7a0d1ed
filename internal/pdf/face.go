package pdf

import (
	"hash/fnv"
	"slices"

	"papers/internal/fonts"
)

// FaceSubset is the regular face cut down to a few characters, for text
// another package draws into PDF pages it did not write (the agenda packs'
// page stamps), with what a CIDFontType2 font's dictionaries need.
// Glyph numbers are those of the whole face.
type FaceSubset struct {
	Name string // the subset's PostScript name, "ABCDEF+LiberationSans"
	File []byte // a TrueType font program (FontFile2)

	// Font descriptor values, in 1/1000 em.
	Flags                      int
	BBox                       [4]int
	ItalicAngle                float64
	Ascent, Descent, CapHeight int
	StemV, MissingWidth        int

	Glyphs map[rune]uint16 // each character's glyph; 0 for one the face lacks
	Widths map[rune]int    // each character's advance, 1/1000 em
}

// RegularSubset cuts the regular face down to the characters in chars.
// The same characters always give the same bytes.
func RegularSubset(chars string) (*FaceSubset, error) {
	f, err := parseTTF(fonts.Regular)
	if err != nil {
		return nil, fontError(0, err)
	}
	runes := []rune(chars)
	slices.Sort(runes)
	runes = slices.Compact(runes)
	used := make([]bool, f.numGlyphs)
	s := &FaceSubset{Glyphs: map[rune]uint16{}, Widths: map[rune]int{},
		Flags: f.flags, BBox: f.bbox, ItalicAngle: f.italicAngle, Ascent: f.ascent, Descent: f.descent,
		CapHeight: f.capHeight, StemV: f.stemV, MissingWidth: f.missingWidth()}
	h := fnv.New64a()
	for _, r := range runes {
		var g uint16
		if r >= 0 && r <= 0xFFFF {
			g = f.gid[r]
		}
		used[g] = true
		s.Glyphs[r], s.Widths[r] = g, int(f.width(r))
		h.Write([]byte(string(r)))
	}
	s.File = f.subset(used)
	s.Name = subsetTag(h.Sum64()) + "+" + fonts.Family
	return s, nil
}
