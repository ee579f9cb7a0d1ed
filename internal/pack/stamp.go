package pack

import (
	"bytes"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/pdfcpu/pdfcpu/pkg/filter"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"papers/internal/pdf"
)

// The pack's own marks on its pages: "Page N" at the foot of every page,
// counting from the front sheet, and a banner at the head of each page of
// an exempt paper in the members' pack.
//
// Each page's content is wrapped in q … Q (one shared stream holding "q"
// before it) and followed by a small stream of its own that draws the
// marks as pagination artifacts (a screen reader skips them; the pack's
// structure tree holds the papers), in Liberation Sans embedded once per
// pack: a subset of the few characters the marks use. Liberation Sans has
// Helvetica's widths, so the marks sit where they did when they were set
// in Helvetica, unembedded. The page's own content
// streams are left as they are. pdfcpu's watermarks, used before, decoded
// and deflated every page's first content stream again and drew each mark
// as a form with a compressor of its own: 94% of what a pack allocated
// (52 GB for a 20,000-action report's packs) and over half its time.

const (
	pageStamp   = "Page %d"
	exemptStamp = "NOT FOR PUBLICATION (exempt information)"
)

// A stampLine is a line of text placed on the page as it is shown (its
// rotation undone), centred across it.
type stampLine struct {
	text     string
	size     float64 // points
	rgb      string  // fill colour operands, "r g b"
	baseline func(height float64) float64
	role     string // the artifact's subtype, for tagged-PDF readers
}

var (
	footStamp = stampLine{size: 9, rgb: "0 0 0", role: "Footer",
		baseline: func(float64) float64 { return 13 }}
	headStamp = stampLine{text: exemptStamp, size: 8, rgb: "0.69 0 0", role: "Header",
		baseline: func(h float64) float64 { return h - 19.25 }}
)

// stampPages puts the page number on every page (leaves, in order) and the
// exempt banner on the pages in exempt (numbered from 1).
func stampPages(pctx *model.Context, leaves []types.IndirectRef, exempt map[int]bool) error {
	face, err := stampFace()
	if err != nil {
		return fmt.Errorf("pack: stamps: %w", err)
	}
	font, err := addStampFont(pctx, face)
	if err != nil {
		return fmt.Errorf("pack: stamps: %w", err)
	}
	save, err := newStream(pctx, "q\n")
	if err != nil {
		return fmt.Errorf("pack: stamps: %w", err)
	}
	var b strings.Builder
	for i, ref := range leaves {
		n := i + 1
		page, err := pctx.DereferenceDict(ref)
		if err != nil {
			return fmt.Errorf("pack: page %d: %w", n, err)
		}
		if page == nil {
			return fmt.Errorf("pack: page %d: object %d is not a page", n, ref.ObjectNumber)
		}
		g, err := pageGeometry(pctx, page)
		if err != nil {
			return fmt.Errorf("pack: page %d: %w", n, err)
		}
		name, err := addFont(pctx, page, font)
		if err != nil {
			return fmt.Errorf("pack: page %d: %w", n, err)
		}
		b.Reset()
		b.WriteString("Q\n")
		foot := footStamp
		foot.text = fmt.Sprintf(pageStamp, n)
		g.draw(&b, name, face, foot)
		if exempt[n] {
			g.draw(&b, name, face, headStamp)
		}
		marks, err := newStream(pctx, b.String())
		if err != nil {
			return fmt.Errorf("pack: page %d: %w", n, err)
		}
		contents, err := contentParts(pctx, page)
		if err != nil {
			return fmt.Errorf("pack: page %d: %w", n, err)
		}
		page.Update("Contents", append(append(types.Array{*save}, contents...), *marks))
	}
	return nil
}

// newStream adds an uncompressed stream holding content: the marks are a
// hundred bytes or so, less than a Huffman table would cost.
func newStream(pctx *model.Context, content string) (*types.IndirectRef, error) {
	sd := types.NewStreamDict(types.Dict{}, 0, nil, nil, nil)
	sd.Content = []byte(content)
	if err := sd.Encode(); err != nil {
		return nil, err
	}
	return pctx.IndRefForNewObject(sd)
}

// contentParts are the references to the page's content streams, in order
// (none for a blank page).
func contentParts(pctx *model.Context, page types.Dict) (types.Array, error) {
	c, ok := page.Find("Contents")
	if !ok || c == nil {
		return nil, nil
	}
	switch v := c.(type) {
	case types.Array:
		return v, nil
	case types.IndirectRef:
		o, err := pctx.Dereference(v)
		if err != nil {
			return nil, fmt.Errorf("contents: %w", err)
		}
		if arr, ok := o.(types.Array); ok {
			return arr, nil
		}
		return types.Array{v}, nil
	}
	return nil, fmt.Errorf("contents are a %T, not a stream or an array", c)
}

// addFont names the marks' font in the page's resources under a name the
// page does not use, and returns the name. The page gets resource and font
// dictionaries of its own, copies of those it had: our PDF writer, like
// most, gives every page one resource dictionary, and a name added to a
// shared one for each page would make it grow with the pack (validating a
// 2,000-action report's packs once took 18.6 s that way).
func addFont(pctx *model.Context, page types.Dict, font *types.IndirectRef) (string, error) {
	o, _ := page.Find("Resources")
	res, err := pctx.DereferenceDict(o)
	if err != nil {
		return "", fmt.Errorf("resources: %w", err)
	}
	if res == nil {
		res = types.Dict{}
	}
	fonts := types.Dict{}
	if fo, ok := res.Find("Font"); ok {
		d, err := pctx.DereferenceDict(fo)
		if err != nil {
			return "", fmt.Errorf("fonts: %w", err)
		}
		maps.Copy(fonts, d)
	}
	name := "PapersMark"
	for i := 1; fonts[name] != nil; i++ {
		name = "PapersMark" + strconv.Itoa(i)
	}
	fonts[name] = *font
	own := maps.Clone(res)
	own["Font"] = fonts
	page.Update("Resources", own)
	return name, nil
}

// geometry is how a page is shown: its visible box and its rotation.
type geometry struct {
	llx, lly, w, h float64 // the crop box (the media box if none) in user space
	rotate         int     // 0, 90, 180 or 270, clockwise
}

func pageGeometry(pctx *model.Context, page types.Dict) (geometry, error) {
	var g geometry
	box, ok := page.Find("CropBox")
	if !ok {
		if box, ok = page.Find("MediaBox"); !ok {
			return g, fmt.Errorf("no media box")
		}
	}
	arr, err := pctx.DereferenceArray(box)
	if err != nil || len(arr) != 4 {
		return g, fmt.Errorf("page box %v: %v", box, err)
	}
	r, err := pctx.RectForArray(arr)
	if err != nil {
		return g, fmt.Errorf("page box %v: %w", arr, err)
	}
	g.llx, g.lly = math.Min(r.LL.X, r.UR.X), math.Min(r.LL.Y, r.UR.Y)
	g.w, g.h = math.Abs(r.UR.X-r.LL.X), math.Abs(r.UR.Y-r.LL.Y)
	if o, ok := page.Find("Rotate"); ok {
		if i, err := pctx.DereferenceInteger(o); err == nil && i != nil && int(*i)%90 == 0 {
			g.rotate = (int(*i)%360 + 360) % 360
		}
	}
	return g, nil
}

// draw appends the operators that draw line m: in the page's shown coordinates
// (origin at the bottom left as the reader sees it), mapped to user space
// by the rotation.
func (g geometry) draw(b *strings.Builder, font string, face *pdf.FaceSubset, m stampLine) {
	shownW, shownH := g.w, g.h
	if g.rotate == 90 || g.rotate == 270 {
		shownW, shownH = g.h, g.w
	}
	x := (shownW - textWidth(face, m.text)*m.size/1000) / 2
	y := m.baseline(shownH)
	// shown (X, Y) → user (a·X + c·Y + e, b·X + d·Y + f)
	var a, bb, c, d, e, f float64
	switch g.rotate {
	case 90:
		a, bb, c, d, e, f = 0, 1, -1, 0, g.llx+g.w, g.lly
	case 180:
		a, bb, c, d, e, f = -1, 0, 0, -1, g.llx+g.w, g.lly+g.h
	case 270:
		a, bb, c, d, e, f = 0, -1, 1, 0, g.llx, g.lly+g.h
	default:
		a, bb, c, d, e, f = 1, 0, 0, 1, g.llx, g.lly
	}
	fmt.Fprintf(b, "/Artifact <</Type /Pagination /Subtype /%s>> BDC\nq %s %s %s %s %s %s cm BT /%s %s Tf %s rg %s %s Td <%s> Tj ET Q\nEMC\n",
		m.role, num(a), num(bb), num(c), num(d), num(e), num(f), font, num(m.size), m.rgb, num(x), num(y), glyphCodes(face, m.text))
}

// num formats a number for a content stream: at most three decimals, no
// exponent.
func num(v float64) string {
	s := strconv.FormatFloat(math.Round(v*1000)/1000, 'f', -1, 64)
	if s == "-0" {
		return "0"
	}
	return s
}

// stampChars are every character the marks may use.
const stampChars = "Page 0123456789" + exemptStamp

// stampFace is the marks' font: the same subset for every pack.
var stampFace = sync.OnceValues(func() (*pdf.FaceSubset, error) { return pdf.RegularSubset(stampChars) })

// addStampFont adds the marks' font to the pack: a Type0 font over the
// subset, codes being glyph numbers, with a ToUnicode map back to the
// characters.
func addStampFont(pctx *model.Context, face *pdf.FaceSubset) (*types.IndirectRef, error) {
	file := types.NewStreamDict(types.Dict{"Length1": types.Integer(len(face.File)), "Filter": types.Name(filter.Flate)},
		0, nil, nil, []types.PDFFilter{{Name: filter.Flate}})
	file.Content = face.File
	if err := file.Encode(); err != nil {
		return nil, err
	}
	fileRef, err := pctx.IndRefForNewObject(file)
	if err != nil {
		return nil, err
	}
	desc, err := pctx.IndRefForNewObject(types.Dict{
		"Type": types.Name("FontDescriptor"), "FontName": types.Name(face.Name), "Flags": types.Integer(face.Flags),
		"FontBBox":    types.Array{types.Integer(face.BBox[0]), types.Integer(face.BBox[1]), types.Integer(face.BBox[2]), types.Integer(face.BBox[3])},
		"ItalicAngle": types.Float(face.ItalicAngle), "Ascent": types.Integer(face.Ascent), "Descent": types.Integer(face.Descent),
		"CapHeight": types.Integer(face.CapHeight), "StemV": types.Integer(face.StemV), "MissingWidth": types.Integer(face.MissingWidth),
		"FontFile2": *fileRef,
	})
	if err != nil {
		return nil, err
	}
	runes := slices.Sorted(maps.Keys(face.Glyphs))
	widths := map[uint16]int{}
	var cmap bytes.Buffer
	cmap.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo <</Registry (Adobe) /Ordering (UCS) /Supplement 0>> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	fmt.Fprintf(&cmap, "%d beginbfchar\n", len(runes))
	for _, r := range runes {
		g := face.Glyphs[r]
		if _, dup := widths[g]; dup {
			continue
		}
		widths[g] = face.Widths[r]
		fmt.Fprintf(&cmap, "<%04X> <%04X>\n", g, r)
	}
	cmap.WriteString("endbfchar\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend")
	uni := types.NewStreamDict(types.Dict{}, 0, nil, nil, nil)
	uni.Content = cmap.Bytes()
	if err := uni.Encode(); err != nil {
		return nil, err
	}
	uniRef, err := pctx.IndRefForNewObject(uni)
	if err != nil {
		return nil, err
	}
	w := types.Array{}
	for _, g := range slices.Sorted(maps.Keys(widths)) {
		w = append(w, types.Integer(g), types.Array{types.Integer(widths[g])})
	}
	cid, err := pctx.IndRefForNewObject(types.Dict{
		"Type": types.Name("Font"), "Subtype": types.Name("CIDFontType2"), "BaseFont": types.Name(face.Name),
		"CIDSystemInfo":  types.Dict{"Registry": types.StringLiteral("Adobe"), "Ordering": types.StringLiteral("Identity"), "Supplement": types.Integer(0)},
		"FontDescriptor": *desc, "DW": types.Integer(face.MissingWidth), "W": w, "CIDToGIDMap": types.Name("Identity"),
	})
	if err != nil {
		return nil, err
	}
	return pctx.IndRefForNewObject(types.Dict{
		"Type": types.Name("Font"), "Subtype": types.Name("Type0"), "BaseFont": types.Name(face.Name),
		"Encoding": types.Name("Identity-H"), "DescendantFonts": types.Array{*cid}, "ToUnicode": *uniRef,
	})
}

// glyphCodes is s as the marks' font's codes, in hex.
func glyphCodes(face *pdf.FaceSubset, s string) string {
	var b strings.Builder
	for _, r := range s {
		fmt.Fprintf(&b, "%04X", face.Glyphs[r])
	}
	return b.String()
}

// textWidth is the width of s in the marks' font, in thousandths of the
// font size.
func textWidth(face *pdf.FaceSubset, s string) float64 {
	w := 0
	for _, r := range s {
		if n, ok := face.Widths[r]; ok {
			w += n
		} else {
			w += face.MissingWidth
		}
	}
	return float64(w)
}
