package pdf

import (
	"bytes"
	"testing"

	"papers/internal/fonts"
)

func TestFaceWidths(t *testing.T) {
	f, err := parseTTF(fonts.Regular)
	if err != nil {
		t.Fatal(err)
	}
	// Liberation Sans has 2048 units per em; "A" is 1366 wide, "i" 455,
	// the space 569: in 1/1000 em, rounded.
	for r, want := range map[rune]uint16{'A': 667, 'i': 222, ' ': 278, 'ŵ': 722, '€': 556} {
		if got := f.width(r); got != want {
			t.Errorf("width(%q) = %d, want %d", r, got, want)
		}
	}
	// clean turns the non-breaking hyphen, which the faces lack, into U+2010.
	if f.gid[0x2011] != 0 || f.gid[0x2010] == 0 {
		t.Errorf("glyphs: U+2011 %d, U+2010 %d; clean relies on the one lacking and the other there", f.gid[0x2011], f.gid[0x2010])
	}
	// A character the face lacks is .notdef, with its width.
	if f.gid['中'] != 0 || int(f.width('中')) != f.missingWidth() || f.missingWidth() == 0 {
		t.Errorf("a missing character: glyph %d, width %d, .notdef's %d", f.gid['中'], f.width('中'), f.missingWidth())
	}
}

// TestSubset checks the embedded subset: a font file that reads back,
// with the glyphs drawn (and the parts of composite ones) as they were and
// every other glyph empty, under the same glyph numbers.
func TestSubset(t *testing.T) {
	f, err := parseTTF(fonts.Regular)
	if err != nil {
		t.Fatal(err)
	}
	used := make([]bool, f.numGlyphs)
	var composite int
	for _, r := range "Aŵé£–" {
		g := int(f.gid[r])
		if g == 0 {
			t.Fatalf("no glyph for %q", r)
		}
		used[g] = true
		if len(components(f.glyphData(g))) > 0 {
			composite = g
		}
	}
	if composite == 0 {
		t.Fatal("none of the characters is a composite glyph: the test needs one")
	}
	var parts []int
	for g, u := range used {
		if u {
			parts = append(parts, components(f.glyphData(g))...)
		}
	}
	sub := f.subset(used)
	if len(sub) > len(fonts.Regular)/4 {
		t.Errorf("subset is %d bytes of %d: glyphs not removed", len(sub), len(fonts.Regular))
	}
	if checksum(sub) != 0xB1B0AFBA {
		t.Errorf("whole-file checksum %#x, want 0xB1B0AFBA", checksum(sub))
	}
	s, err := parseSubset(sub)
	if err != nil {
		t.Fatalf("the subset does not read back: %v", err)
	}
	kept := map[int]bool{0: true}
	for g, u := range used {
		if u {
			kept[g] = true
		}
	}
	for len(parts) > 0 { // parts of parts too
		p := parts[0]
		parts = parts[1:]
		if !kept[p] {
			kept[p] = true
			parts = append(parts, components(f.glyphData(p))...)
		}
	}
	for g := range f.numGlyphs {
		got, want := s.glyphData(g), f.glyphData(g)
		if kept[g] && !bytes.Equal(got, want) {
			t.Errorf("glyph %d changed", g)
		}
		if !kept[g] && len(got) != 0 {
			t.Errorf("glyph %d kept though not used", g)
		}
	}
	if !bytes.Equal(s.tables["hmtx"], f.tables["hmtx"]) {
		t.Error("widths changed")
	}
}

// parseSubset reads a subset back: the tables parseTTF needs, less cmap.
func parseSubset(b []byte) (*ttf, error) {
	f := &ttf{data: b, tables: map[string][]byte{}}
	n, _ := be16(b, 4)
	for i := range int(n) {
		e := b[12+16*i:]
		off, _ := be32(e, 8)
		l, _ := be32(e, 12)
		f.tables[string(e[:4])] = b[off : off+l]
	}
	if err := f.readHead(); err != nil {
		return nil, err
	}
	if err := f.readMetrics(); err != nil {
		return nil, err
	}
	return f, f.readLoca()
}
