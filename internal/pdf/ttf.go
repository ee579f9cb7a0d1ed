package pdf

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
)

// ttf is a TrueType face, read far enough to lay text out with its widths
// and to embed the glyphs a document uses. Every read is bounds-checked: a
// damaged font is an error, never a panic.
type ttf struct {
	data   []byte
	tables map[string][]byte

	unitsPerEm int
	numGlyphs  int
	longLoca   bool
	loca       []uint32 // numGlyphs+1 offsets into glyf
	advance    []uint16 // per glyph, font units
	gid        []uint16 // per BMP code point; 0 is .notdef

	// For the font descriptor, in 1/1000 em.
	ascent, descent, capHeight int
	bbox                       [4]int
	italicAngle                float64
	stemV                      int
	flags                      int
}

var errNotTrueType = errors.New("not a TrueType font")

func be16(b []byte, off int) (uint16, bool) {
	if off < 0 || off+2 > len(b) {
		return 0, false
	}
	return binary.BigEndian.Uint16(b[off:]), true
}

func be32(b []byte, off int) (uint32, bool) {
	if off < 0 || off+4 > len(b) {
		return 0, false
	}
	return binary.BigEndian.Uint32(b[off:]), true
}

// parseTTF reads the tables the writer needs.
func parseTTF(data []byte) (*ttf, error) {
	if len(data) < 12 || !bytes.HasPrefix(data, []byte{0, 1, 0, 0}) && !bytes.HasPrefix(data, []byte("true")) {
		return nil, errNotTrueType
	}
	n, _ := be16(data, 4)
	if 12+int(n)*16 > len(data) {
		return nil, errors.New("its table directory is cut short")
	}
	f := &ttf{data: data, tables: make(map[string][]byte, n)}
	for i := range int(n) {
		e := data[12+i*16:]
		tag := string(e[:4])
		off, _ := be32(e, 8)
		length, _ := be32(e, 12)
		if uint64(off)+uint64(length) > uint64(len(data)) {
			return nil, fmt.Errorf("its %q table lies outside the file", tag)
		}
		f.tables[tag] = data[off : off+length]
	}
	for _, tag := range []string{"head", "hhea", "maxp", "hmtx", "loca", "glyf", "cmap"} {
		if f.tables[tag] == nil {
			return nil, fmt.Errorf("it has no %q table", tag)
		}
	}
	if err := f.readHead(); err != nil {
		return nil, err
	}
	if err := f.readMetrics(); err != nil {
		return nil, err
	}
	if err := f.readLoca(); err != nil {
		return nil, err
	}
	if err := f.readCmap(); err != nil {
		return nil, err
	}
	f.readDescriptor()
	return f, nil
}

func (f *ttf) scale(v int) int { return int(math.Round(float64(v) * 1000 / float64(f.unitsPerEm))) }

func (f *ttf) readHead() error {
	h := f.tables["head"]
	if len(h) < 54 {
		return errors.New("its head table is cut short")
	}
	upem, _ := be16(h, 18)
	if upem < 16 || upem > 16384 {
		return fmt.Errorf("it has %d units per em", upem)
	}
	f.unitsPerEm = int(upem)
	for i := range 4 {
		v, _ := be16(h, 36+2*i)
		f.bbox[i] = f.scale(int(int16(v)))
	}
	format, _ := be16(h, 50)
	f.longLoca = format == 1
	return nil
}

func (f *ttf) readMetrics() error {
	maxp, hhea, hmtx := f.tables["maxp"], f.tables["hhea"], f.tables["hmtx"]
	ng, ok := be16(maxp, 4)
	if !ok || ng == 0 {
		return errors.New("it has no glyphs")
	}
	f.numGlyphs = int(ng)
	nh, ok := be16(hhea, 34)
	if !ok || nh == 0 || int(nh) > f.numGlyphs || len(hmtx) < int(nh)*4 {
		return errors.New("its horizontal metrics are damaged")
	}
	f.advance = make([]uint16, f.numGlyphs)
	for g := range f.numGlyphs {
		f.advance[g], _ = be16(hmtx, 4*min(g, int(nh)-1))
	}
	asc, _ := be16(hhea, 4)
	desc, _ := be16(hhea, 6)
	f.ascent, f.descent = f.scale(int(int16(asc))), f.scale(int(int16(desc)))
	if f.ascent <= 0 {
		return errors.New("it has no usable metrics")
	}
	return nil
}

func (f *ttf) readLoca() error {
	loca, glyf := f.tables["loca"], f.tables["glyf"]
	f.loca = make([]uint32, f.numGlyphs+1)
	for g := range f.loca {
		var v uint32
		var ok bool
		if f.longLoca {
			v, ok = be32(loca, 4*g)
		} else {
			var s uint16
			s, ok = be16(loca, 2*g)
			v = 2 * uint32(s)
		}
		if !ok || v > uint32(len(glyf)) || g > 0 && v < f.loca[g-1] {
			return errors.New("its glyph locations are damaged")
		}
		f.loca[g] = v
	}
	return nil
}

// readCmap maps the Basic Multilingual Plane to glyphs, from the Windows
// Unicode subtable (format 4).
func (f *ttf) readCmap() error {
	c := f.tables["cmap"]
	bad := errors.New("its character map is damaged")
	n, ok := be16(c, 2)
	if !ok {
		return bad
	}
	sub := -1
	for i := range int(n) {
		pid, ok1 := be16(c, 4+8*i)
		eid, ok2 := be16(c, 6+8*i)
		off, ok3 := be32(c, 8+8*i)
		if !ok1 || !ok2 || !ok3 {
			return bad
		}
		if format, _ := be16(c, int(off)); format == 4 && (pid == 3 && eid == 1 || pid == 0 && sub < 0) {
			sub = int(off)
		}
	}
	if sub < 0 || sub > len(c) {
		return errors.New("it has no Unicode character map")
	}
	t := c[sub:]
	segX2, ok := be16(t, 6)
	segs := int(segX2) / 2
	if !ok || segs == 0 || 14+8*segs+2 > len(t) {
		return bad
	}
	ends, starts, deltas, ranges := 14, 16+2*segs, 16+4*segs, 16+6*segs
	f.gid = make([]uint16, 0x10000)
	for s := range segs {
		end, _ := be16(t, ends+2*s)
		start, _ := be16(t, starts+2*s)
		delta, _ := be16(t, deltas+2*s)
		ro, _ := be16(t, ranges+2*s)
		if start > end {
			return bad
		}
		for r := int(start); r <= int(end) && r < 0xFFFF; r++ {
			var g uint16
			if ro == 0 {
				g = uint16(r) + delta
			} else {
				at := ranges + 2*s + int(ro) + 2*(r-int(start))
				v, ok := be16(t, at)
				if !ok {
					return bad
				}
				if v != 0 {
					g = v + delta
				}
			}
			if int(g) >= f.numGlyphs {
				g = 0
			}
			f.gid[r] = g
		}
	}
	return nil
}

// readDescriptor fills in what the PDF font descriptor says of the face.
func (f *ttf) readDescriptor() {
	f.capHeight = f.ascent
	f.stemV = 70
	f.flags = 1 << 5 // nonsymbolic
	if os2 := f.tables["OS/2"]; len(os2) >= 90 {
		weight, _ := be16(os2, 4)
		f.stemV = 50 + int(math.Pow(float64(weight)/65, 2))
		if v, _ := be16(os2, 0); v >= 2 {
			ch, _ := be16(os2, 88)
			if ch > 0 {
				f.capHeight = f.scale(int(int16(ch)))
			}
		}
	}
	if post := f.tables["post"]; len(post) >= 16 {
		whole, _ := be16(post, 4)
		frac, _ := be16(post, 6)
		f.italicAngle = float64(int16(whole)) + float64(frac)/65536
		if fixed, _ := be32(post, 12); fixed != 0 {
			f.flags |= 1
		}
	}
	if f.italicAngle != 0 {
		f.flags |= 1 << 6
	}
}

// width is r's advance in 1/1000 em, rounded (as fpdf, used before, had it), a
// character the face lacks taking .notdef's width.
func (f *ttf) width(r rune) uint16 {
	if r < 0 || r > 0xFFFF {
		return 0
	}
	return uint16(f.scale(int(f.advance[f.gid[r]])))
}

// missingWidth is .notdef's advance in 1/1000 em: the width of a
// character the face lacks.
func (f *ttf) missingWidth() int { return f.scale(int(f.advance[0])) }

// glyphData is glyph g's outline.
func (f *ttf) glyphData(g int) []byte {
	return f.tables["glyf"][f.loca[g]:f.loca[g+1]]
}

// subset returns the face with only the glyphs used (and .notdef, and the
// parts of composite glyphs) left in: the others are empty, so glyph
// numbers stay as they are and the PDF maps characters to them directly.
func (f *ttf) subset(used []bool) []byte {
	keep := make([]bool, f.numGlyphs)
	keep[0] = true
	var stack []int
	for g, u := range used {
		if u && g < f.numGlyphs && !keep[g] {
			keep[g] = true
			stack = append(stack, g)
		}
	}
	stack = append(stack, 0)
	for len(stack) > 0 {
		g := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, c := range components(f.glyphData(g)) {
			if c < f.numGlyphs && !keep[c] {
				keep[c] = true
				stack = append(stack, c)
			}
		}
	}
	var glyf []byte
	loca := make([]byte, 4*(f.numGlyphs+1))
	for g := range f.numGlyphs {
		binary.BigEndian.PutUint32(loca[4*g:], uint32(len(glyf)))
		if keep[g] {
			glyf = append(glyf, f.glyphData(g)...)
			for len(glyf)%4 != 0 {
				glyf = append(glyf, 0)
			}
		}
	}
	binary.BigEndian.PutUint32(loca[4*f.numGlyphs:], uint32(len(glyf)))
	head := bytes.Clone(f.tables["head"])
	binary.BigEndian.PutUint32(head[8:], 0)  // checkSumAdjustment, set below
	binary.BigEndian.PutUint16(head[50:], 1) // long glyph locations
	tables := map[string][]byte{
		"head": head, "hhea": f.tables["hhea"], "maxp": f.tables["maxp"], "hmtx": f.tables["hmtx"],
		"loca": loca, "glyf": glyf,
	}
	for _, tag := range []string{"cvt ", "fpgm", "prep"} { // hinting, for small sizes on screen
		if t := f.tables[tag]; t != nil {
			tables[tag] = t
		}
	}
	return assembleTTF(tables)
}

// components lists the glyphs a composite glyph is built from.
func components(g []byte) []int {
	n, ok := be16(g, 0)
	if !ok || int16(n) >= 0 {
		return nil
	}
	var out []int
	for p := 10; ; {
		flags, ok1 := be16(g, p)
		c, ok2 := be16(g, p+2)
		if !ok1 || !ok2 {
			return out
		}
		out = append(out, int(c))
		p += 4
		if flags&0x0001 != 0 { // ARG_1_AND_2_ARE_WORDS
			p += 4
		} else {
			p += 2
		}
		switch {
		case flags&0x0008 != 0: // WE_HAVE_A_SCALE
			p += 2
		case flags&0x0040 != 0: // WE_HAVE_AN_X_AND_Y_SCALE
			p += 4
		case flags&0x0080 != 0: // WE_HAVE_A_TWO_BY_TWO
			p += 8
		}
		if flags&0x0020 == 0 || len(out) > 64 { // MORE_COMPONENTS
			return out
		}
	}
}

// assembleTTF writes a font file of tables, with checksums.
func assembleTTF(tables map[string][]byte) []byte {
	tags := make([]string, 0, len(tables))
	for t := range tables {
		tags = append(tags, t)
	}
	slices.Sort(tags)
	n := len(tags)
	entrySelector := 0
	for 1<<(entrySelector+1) <= n {
		entrySelector++
	}
	searchRange := 16 << entrySelector
	out := make([]byte, 12+16*n)
	binary.BigEndian.PutUint32(out[0:], 0x00010000)
	binary.BigEndian.PutUint16(out[4:], uint16(n))
	binary.BigEndian.PutUint16(out[6:], uint16(searchRange))
	binary.BigEndian.PutUint16(out[8:], uint16(entrySelector))
	binary.BigEndian.PutUint16(out[10:], uint16(16*n-searchRange))
	headAt := 0
	for i, tag := range tags {
		t := tables[tag]
		e := out[12+16*i:]
		copy(e, tag)
		binary.BigEndian.PutUint32(e[4:], checksum(t))
		binary.BigEndian.PutUint32(e[8:], uint32(len(out)))
		binary.BigEndian.PutUint32(e[12:], uint32(len(t)))
		if tag == "head" {
			headAt = len(out)
		}
		out = append(out, t...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	binary.BigEndian.PutUint32(out[headAt+8:], 0xB1B0AFBA-checksum(out))
	return out
}

func checksum(b []byte) uint32 {
	var sum uint32
	for i := 0; i < len(b); i += 4 {
		var w [4]byte
		copy(w[:], b[i:])
		sum += binary.BigEndian.Uint32(w[:])
	}
	return sum
}
