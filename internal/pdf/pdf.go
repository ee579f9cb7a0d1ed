// Package pdf renders a document.Doc as an A4 PDF: portrait and landscape
// sections, embedded Liberation Sans, "Page N of M" footers, bookmarks for
// headings, and long tables whose header row repeats on every page. The
// PDF is tagged (PDF/UA-1, see tags.go): a structure tree of the document's
// headings, paragraphs, lists, tables and charts, in reading order, with
// everything else on the page marked as an artifact.
//
// Layout is done here: text is wrapped with the embedded fonts' own widths.
// The file is written here too (see canvas): text, lines and filled
// rectangles, the fonts' subsets, the outline. The same Doc always gives
// the same bytes.
package pdf

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"papers/internal/document"
)

// Page geometry, millimetres.
const (
	a4W, a4H = document.PageWidth, document.PageHeight

	marginPortrait  = document.MarginPortrait
	marginLandscape = document.MarginLandscape

	bodySize   = 11.0 // points
	smallSize  = 9.0
	footerSize = 8.0
	tableSize  = 9.0

	leading = 1.25 // line height as a multiple of the font size

	indentStep = 8.0  // per Paragraph.Indent
	gutter     = 12.0 // hanging label
	paraAfter  = 2.6  // space after a paragraph
	blockAfter = 4.0  // space after a table, box or chart
)

// Write renders d as PDF to w, a page at a time as the pages are laid out.
// It returns an error, without writing, when the document is malformed (a
// table row with the wrong number of cells, a block of an unknown type) or
// an embedded font cannot be loaded; it never panics. When w fails, Write
// stops and returns w's error; what was written by then is not a PDF.
func Write(w io.Writer, d *document.Doc) error {
	if d == nil {
		return errors.New("pdf: nil document")
	}
	for i, s := range d.Sections {
		if err := validate(i, s); err != nil {
			return err
		}
	}
	return writeDoc(w, d, len(d.Sections), func(i int) (document.Section, error) { return d.Sections[i], nil })
}

// WriteSections is Write for a document whose n sections are still being
// built: d gives all but its sections, and section(i) waits for section i.
// Each section is laid out as soon as it comes, beside the others, so a
// long section built early need not wait for a slow one before it. A
// section that cannot be had, or is malformed, ends the PDF with its
// error, part written: write it where a failure leaves nothing behind.
func WriteSections(w io.Writer, d *document.Doc, n int, section func(i int) (document.Section, error)) error {
	if d == nil {
		return errors.New("pdf: nil document")
	}
	return writeDoc(w, d, n, func(i int) (document.Section, error) {
		s, err := section(i)
		if err == nil {
			err = validate(i, s)
		}
		return s, err
	})
}

// writeDoc loads the fonts' widths and lays out and writes the document, its
// sections valid.
func writeDoc(w io.Writer, d *document.Doc, n int, section func(i int) (document.Section, error)) error {
	widthsOnce.Do(loadWidths)
	if widthsErr != nil {
		return widthsErr
	}
	return output(w, d, n, section)
}

// Render is Write's PDF as a slice, for a caller that keeps the bytes.
func Render(d *document.Doc) ([]byte, error) {
	var c chunked
	if err := Write(&c, d); err != nil {
		return nil, err
	}
	return c.Bytes(), nil
}

// output lays d out and writes the PDF to w. Each section starts a page of
// its own, so the sections are laid out side by side, each into memory,
// and put into the file in order as they are done. A panic (a bug, or a
// font damaged in a way the checks missed) is an error: the writers run
// side by side in goroutines, where a panic would end the program.
func output(w io.Writer, d *document.Doc, n int, section func(i int) (document.Section, error)) (err error) {
	var c *canvas
	defer func() {
		if p := recover(); p != nil {
			if p == errWriteFailed && c != nil {
				err = c.out.close()
				return
			}
			err = oneLine(fmt.Errorf("pdf: internal error: %v", p))
		}
	}()
	faces, err := loadFaces()
	if err != nil {
		return err
	}
	if n == 0 {
		n, section = 1, func(int) (document.Section, error) { return document.Section{Orientation: document.Portrait}, nil }
	}
	parts := make([]chan laidOut, n)
	for i := range n {
		parts[i] = make(chan laidOut, 1)
		go func() {
			s, err := section(i)
			if err != nil {
				parts[i] <- laidOut{err: err}
				return
			}
			parts[i] <- layOut(d, faces, s)
		}()
	}
	c = newCanvas(faces, w)
	defer c.flush() // after a panic too: the compressing goroutine ends
	r := &renderer{d: d, f: c, fontStyle: -1, fill: black}
	for _, ch := range parts {
		p := <-ch
		if p.err != nil {
			return p.err
		}
		c.appendPart(p.canvas)
		r.pages = append(r.pages, p.pages...)
		if c.out.failed.Load() {
			panic(errWriteFailed)
		}
	}
	r.footers()
	date := d.Date
	if date.IsZero() {
		// A fixed date, not the clock, keeps output reproducible.
		date = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return c.finish(info{
		title: clean(d.Title), author: clean(d.Author), subject: clean(d.Subject), keywords: clean(d.Keywords),
		creator: "papers", lang: cleanLang(d.Language), date: date,
	})
}

// laidOut is a section laid out on a part canvas: its pages and their
// orientations, or what went wrong.
type laidOut struct {
	canvas *canvas
	pages  []document.Orientation
	err    error
}

// layOut lays section s out on a part canvas of its own.
func layOut(d *document.Doc, faces [nStyles]*ttf, s document.Section) (l laidOut) {
	c := newPart(faces)
	defer func() {
		c.flush() // after a panic too: the compressing goroutine ends
		if p := recover(); p != nil {
			l = laidOut{err: oneLine(fmt.Errorf("pdf: internal error: %v", p))}
		}
	}()
	r := &renderer{d: d, f: c, fontStyle: -1, fill: black}
	r.newPage(s.Orientation)
	r.section(s.Blocks)
	c.endStream()
	return laidOut{canvas: c, pages: r.pages}
}

// validate checks what the renderer relies on in section si, so rendering
// never panics.
func validate(si int, s document.Section) error {
	for bi, b := range s.Blocks {
		where := func() string { return fmt.Sprintf("pdf: section %d, block %d", si+1, bi+1) }
		switch v := b.(type) {
		case document.Table:
			if err := validateTable(&v); err != nil {
				return fmt.Errorf("%s: %w", where(), err)
			}
		case *document.Table:
			if v == nil {
				return fmt.Errorf("%s: nil table", where())
			}
			if err := validateTable(v); err != nil {
				return fmt.Errorf("%s: %w", where(), err)
			}
		case document.Heading, document.Paragraph, document.KeyValue, document.Chart, document.PageBreak:
		case *document.Heading, *document.Paragraph, *document.KeyValue, *document.Chart, *document.PageBreak:
			if isNilBlock(b) {
				return fmt.Errorf("%s: nil %T", where(), b)
			}
		default:
			return fmt.Errorf("%s: unsupported block type %T", where(), b)
		}
	}
	return nil
}

func isNilBlock(b document.Block) bool {
	switch v := b.(type) {
	case *document.Heading:
		return v == nil
	case *document.Paragraph:
		return v == nil
	case *document.KeyValue:
		return v == nil
	case *document.Chart:
		return v == nil
	case *document.PageBreak:
		return v == nil
	}
	return false
}

func validateTable(t *document.Table) error {
	if len(t.Columns) == 0 {
		return errors.New("table has no columns")
	}
	for i, row := range t.Rows {
		if len(row.Cells) != len(t.Columns) {
			return fmt.Errorf("table row %d has %d cells, want %d (one per column)", i+1, len(row.Cells), len(t.Columns))
		}
	}
	return nil
}

// deref turns pointer blocks into values.
func deref(b document.Block) document.Block {
	switch v := b.(type) {
	case *document.Heading:
		return *v
	case *document.Paragraph:
		return *v
	case *document.KeyValue:
		return *v
	case *document.Table:
		return *v
	case *document.Chart:
		return *v
	case *document.PageBreak:
		return *v
	}
	return b
}

type renderer struct {
	d *document.Doc
	f *canvas

	// current page
	orient                   document.Orientation
	pageW, pageH             float64
	left, right, top, bottom float64 // text area edges
	y                        float64

	pages []document.Orientation // orientation of each page so far

	// lists are the open lists, innermost last: labelled paragraphs in a
	// row are the items of one list, deeper indents a list in an item.
	lists []listLevel

	// The Link element of the last linked run drawn, which a run broken
	// over lines keeps.
	linkRun *textRun
	linkEl  int32

	// the canvas's state, to avoid redundant calls
	fontStyle int
	fontSize  float64
	fill      rgb
}

type rgb struct{ r, g, b int }

var (
	black     = rgb{0, 0, 0}
	white     = rgb{255, 255, 255}
	greyText  = rgb{90, 90, 90}
	headFill  = rgb{0xDD, 0xDD, 0xDD}
	bandFill  = rgb{0xEE, 0xEE, 0xEE}
	ruleColor = rgb{0x40, 0x40, 0x40}
)

// loadFaces parses the three embedded faces.
func loadFaces() ([nStyles]*ttf, error) {
	var faces [nStyles]*ttf
	for s := range nStyles {
		f, err := loadFace(s)
		if err != nil {
			return faces, err
		}
		faces[s] = f
	}
	return faces, nil
}

// cleanLang keeps a BCP 47 tag's letters, digits and hyphens.
func cleanLang(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return -1
	}, s)
}

func (r *renderer) newPage(o document.Orientation) {
	r.orient = o
	m := marginPortrait
	r.pageW, r.pageH = a4W, a4H
	if o == document.Landscape {
		m = marginLandscape
		r.pageW, r.pageH = a4H, a4W
	}
	r.left, r.right, r.top, r.bottom = m, r.pageW-m, m, r.pageH-m
	r.f.addPage(r.pageW, r.pageH)
	r.pages = append(r.pages, o)
	r.y = r.top
}

// nextPage continues the current section on a new page.
func (r *renderer) nextPage() { r.newPage(r.orient) }

func (r *renderer) atTop() bool { return r.y <= r.top+0.01 }

// room is the height left on the page.
func (r *renderer) room() float64 { return r.bottom - r.y }

// fullRoom is the height of an empty page's text area.
func (r *renderer) fullRoom() float64 { return r.bottom - r.top }

// ensure starts a new page unless h fits below y (or the page is empty).
func (r *renderer) ensure(h float64) {
	if r.y+h > r.bottom+0.01 && !r.atTop() {
		r.nextPage()
	}
}

func (r *renderer) setFont(style int, size float64) {
	if style != r.fontStyle || size != r.fontSize {
		r.f.setFont(style, size)
		r.fontStyle, r.fontSize = style, size
	}
}

func (r *renderer) setFill(c rgb) {
	if c != r.fill {
		r.f.setFillColor(c)
		r.fill = c
	}
}

// setTextColor sets the colour of the following text.
func (r *renderer) setTextColor(c rgb) { r.f.setTextColor(c) }

// text draws s with its baseline at y.
func (r *renderer) text(x, y float64, s string, style int, size float64) {
	if s == "" {
		return
	}
	r.setFont(style, size)
	r.f.text(x, y, s)
}

// textPt draws s with its baseline at y mm, from x points written to
// 1/10,000: where text split from the run before continues it.
func (r *renderer) textPt(x, y float64, s string, style int, size float64) {
	if s == "" {
		return
	}
	r.setFont(style, size)
	r.f.textAt(x, 10000, y, s)
}

// baseline is where text of size points sits in a line box of height lh
// whose top is y.
func baseline(y, lh, size float64) float64 {
	return y + 0.5*lh + 0.3*size*ptMM
}

func lineHeight(size float64) float64 { return size * leading * ptMM }

func (r *renderer) fillRect(x, y, w, h float64, c rgb) {
	r.setFill(c)
	r.f.fillRect(x, y, w, h)
}

// bookmark adds an outline entry at y on the current page for a heading
// of level (the model's): the outline gives it its place when written.
func (r *renderer) bookmark(title string, level int) {
	r.f.bookmark(clean(title), level, r.y)
}

// linkElem is the Link element, in parent, of run i of runs: made when
// the run is first drawn.
func (r *renderer) linkElem(runs []textRun, i int, parent int32) int32 {
	if r.linkRun != &runs[i] {
		r.linkRun, r.linkEl = &runs[i], r.f.newElem(sLink, parent)
	}
	return r.linkEl
}

// footers writes "Page N of M" and the document footer on every page, now
// that M is known: drawn over each finished page.
func (r *renderer) footers() {
	n := len(r.pages)
	foot := clean(r.d.Footer)
	for i, o := range r.pages {
		r.f.drawOver(i)
		r.f.tag(artFooter)
		w, h, m := a4W, a4H, marginPortrait
		if o == document.Landscape {
			w, h, m = a4H, a4W, marginLandscape
		}
		r.setFont(regular, footerSize)
		r.setTextColor(greyText)
		y := h - m/2 + 1
		num := "Page " + strconv.Itoa(i+1) + " of " + strconv.Itoa(n)
		nw := textWidth(num, regular, footerSize)
		r.f.text(w-m-nw, y, num)
		if foot != "" {
			r.f.text(m, y, ellipsize(foot, regular, footerSize, w-2*m-nw-8))
		}
	}
}

// section draws one section's blocks.
func (r *renderer) section(blocks []document.Block) {
	cache := map[int]prepared{}
	at := func(i int) prepared {
		p, ok := cache[i]
		if !ok {
			p = r.prepare(deref(blocks[i]))
			cache[i] = p
		}
		return p
	}
	// Page breaks at the end of a section would leave a blank page: the
	// next section starts a page anyway.
	for len(blocks) > 0 {
		if _, ok := deref(blocks[len(blocks)-1]).(document.PageBreak); !ok {
			break
		}
		blocks = blocks[:len(blocks)-1]
	}
	for i := range blocks {
		p := at(i)
		if h, ok := p.(*headingBlock); ok {
			// Keep a heading with the start of what follows.
			lead := 0.0
			for j := i + 1; j < len(blocks); j++ {
				q := at(j)
				if hh, ok := q.(*headingBlock); ok {
					lead += hh.height(false)
					continue
				}
				lead += q.lead()
				break
			}
			h.keep = lead
		}
		switch q := p.(type) {
		case *paragraphBlock:
			if q.label == "" {
				r.lists = r.lists[:0]
			}
		case pageBreak:
		default:
			r.lists = r.lists[:0]
		}
		p.draw(r)
		delete(cache, i)
	}
}

// prepared is a block measured for the current page width.
type prepared interface {
	// lead is the height of the block's first unbreakable piece: what a
	// heading above it must be kept with.
	lead() float64
	draw(r *renderer)
}

func (r *renderer) prepare(b document.Block) prepared {
	switch v := b.(type) {
	case document.Heading:
		return r.prepareHeading(v)
	case document.Paragraph:
		return r.prepareParagraph(v)
	case document.KeyValue:
		return r.prepareKeyValue(v)
	case document.Table:
		return r.prepareTable(&v)
	case document.Chart:
		return r.prepareChart(&v)
	case document.PageBreak:
		return pageBreak{}
	}
	return pageBreak{} // unreachable: validate rejects other blocks
}

type pageBreak struct{}

func (pageBreak) lead() float64 { return 0 }
func (pageBreak) draw(r *renderer) {
	if !r.atTop() {
		r.nextPage()
	}
}
