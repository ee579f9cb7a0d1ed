package docx

import (
	"math"
	"strings"

	"papers/internal/document"
)

// cellMarLR is a table cell's left (and right) margin in twips.
const cellMarLR = 85

// page is a page's geometry in twips.
type page struct {
	w, h                                     int
	top, right, bottom, left, header, footer int
}

// a4 is the built-in portrait page: the model's A4 and margins, as the PDF
// lays out.
var a4 = builtIn(document.Portrait)

// builtIn is the model's page for orientation o in twips, the footer set
// in the lower margin as the PDF sets its own.
func builtIn(o document.Orientation) page {
	w, h, m := o.Page()
	tw := func(mm float64) int { return int(math.Round(mm * 1440 / 25.4)) }
	return page{w: tw(w), h: tw(h), top: tw(m), right: tw(m), bottom: tw(m), left: tw(m),
		header: tw(m / 2), footer: tw(m/2 - 1)}
}

// pageFor is a section's page: a house template's turned to the section's
// orientation, else the model's own.
func (b *body) pageFor(o document.Orientation) page {
	if b.house {
		return b.page.oriented(o)
	}
	return builtIn(o)
}

func (p page) oriented(o document.Orientation) page {
	portrait := p.w <= p.h
	if (o == document.Landscape) == portrait {
		p.w, p.h = p.h, p.w
	}
	return p
}

func (p page) textWidth() int  { return p.w - p.left - p.right }
func (p page) textHeight() int { return p.h - p.top - p.bottom }

// ref is a header or footer reference of a section.
type ref struct{ kind, id string }

// chartPart is a chart picture and its relationship.
type chartPart struct {
	rid, name string // relationship ID, part name
	chart     document.Chart
	wpx, hpx  int
}

// body writes word/document.xml.
type body struct {
	x        *xw
	page     page  // portrait page
	house    bool  // page is a house template's
	headers  []ref // from a house template
	footers  []ref // from a house template, else ours
	footerL  []ref // our landscape footers (nil when the template has footers)
	titlePg  bool
	charts   []chartPart
	chartIx  int
	flow     flow // where the text stands on the page, estimated
	drawings int
	outline  document.Outline // headings' levels, as every writer has them
}

func (b *body) write(d *document.Doc) {
	x := b.x
	x.raw(xmlHeader)
	x.raw(`<w:document xmlns:w="` + nsW + `" xmlns:r="` + nsR + `" xmlns:wp="` + nsWP + `" xmlns:a="` + nsA + `" xmlns:pic="` + nsPic + `"><w:body>`)
	secs := d.Sections
	if len(secs) == 0 {
		secs = []document.Section{{}}
	}
	for i, s := range secs {
		pg := b.pageFor(s.Orientation)
		b.flow.newPage(pg)
		for _, blk := range s.Blocks {
			if _, ok := blk.(document.Table); !ok {
				b.flow.block(blk, pg, b.nextPictureH())
			}
			b.block(blk, pg)
			switch blk.(type) {
			case document.Table, document.KeyValue:
				// The PDF's 4 mm after a table or box, as an empty
				// paragraph: 1.4 mm high and a paragraph's 2.6 mm after,
				// so that a heading's space before (which includes those
				// 2.6 mm) comes on top of 4 mm as in the PDF. It also
				// keeps two tables in a row from joining into one, and
				// gives Word the paragraph it expects before the end.
				x.raw(`<w:p><w:pPr><w:spacing w:before="0" w:after="147" w:line="80" w:lineRule="exact"/><w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr></w:pPr></w:p>`)
			}
			x.flushLarge()
		}
		if i < len(secs)-1 {
			// The section ends with a small empty paragraph holding its
			// properties.
			x.raw(`<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/><w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr>`)
			b.sectPr(s.Orientation, i == 0)
			x.raw(`</w:pPr></w:p>`)
		} else {
			b.sectPr(s.Orientation, i == 0)
		}
	}
	x.raw(`</w:body></w:document>`)
}

func (b *body) sectPr(o document.Orientation, first bool) {
	x := b.x
	pg := b.pageFor(o)
	x.raw(`<w:sectPr>`)
	refs := func(tag string, rs []ref) {
		for _, r := range rs {
			if r.kind == "first" && !(first && b.titlePg) {
				continue
			}
			x.raw(`<w:` + tag + ` w:type="`)
			x.attr(r.kind)
			x.raw(`" r:id="`)
			x.attr(r.id)
			x.raw(`"/>`)
		}
	}
	refs("headerReference", b.headers)
	if o == document.Landscape && b.footerL != nil {
		refs("footerReference", b.footerL)
	} else {
		refs("footerReference", b.footers)
	}
	if !first {
		x.raw(`<w:type w:val="nextPage"/>`)
	}
	x.raw(`<w:pgSz w:w="`)
	x.int(pg.w)
	x.raw(`" w:h="`)
	x.int(pg.h)
	if o == document.Landscape {
		x.raw(`" w:orient="landscape`)
	}
	x.raw(`"/><w:pgMar w:top="`)
	x.int(pg.top)
	x.raw(`" w:right="`)
	x.int(pg.right)
	x.raw(`" w:bottom="`)
	x.int(pg.bottom)
	x.raw(`" w:left="`)
	x.int(pg.left)
	x.raw(`" w:header="`)
	x.int(pg.header)
	x.raw(`" w:footer="`)
	x.int(pg.footer)
	x.raw(`" w:gutter="0"/><w:cols w:space="708"/>`)
	if first && b.titlePg {
		x.raw(`<w:titlePg/>`)
	}
	x.raw(`<w:docGrid w:linePitch="360"/></w:sectPr>`)
}

func (b *body) block(blk document.Block, pg page) {
	x := b.x
	switch v := blk.(type) {
	case document.Heading:
		// Its outline level (siblings are siblings, no level skipped); an
		// empty heading, in no outline, takes the style its Level asks.
		lvl := b.outline.Level(v)
		if lvl == 0 {
			lvl = max(v.Level, 1)
		}
		lvl = min(lvl, 3)
		x.raw(`<w:p><w:pPr><w:pStyle w:val="Heading`)
		x.int(lvl)
		x.raw(`"/></w:pPr>`)
		b.run(v.Text, false, false)
		x.raw(`</w:p>`)
	case document.Paragraph:
		b.paragraph(v)
	case document.KeyValue:
		b.keyValue(v, pg)
	case document.Table:
		b.table(v, pg)
	case document.Chart:
		b.chart(v)
	case document.PageBreak:
		x.raw(`<w:p><w:r><w:br w:type="page"/></w:r></w:p>`)
	}
}

func (b *body) paragraph(p document.Paragraph) {
	x := b.x
	x.raw(`<w:p>`)
	left := p.Indent * indentStep
	if p.Label != "" {
		left += labelHang
	}
	if p.Small || left > 0 {
		x.raw(`<w:pPr>`)
		if p.Small {
			x.raw(`<w:pStyle w:val="Small"/>`)
		}
		if p.Label != "" {
			x.raw(`<w:tabs><w:tab w:val="left" w:pos="`)
			x.int(left)
			x.raw(`"/></w:tabs>`)
		}
		if p.Indent > 0 {
			// List items sit closer together than paragraphs.
			x.raw(`<w:spacing w:after="118"/>`)
		}
		if left > 0 {
			x.raw(`<w:ind w:left="`)
			x.int(left)
			if p.Label != "" {
				x.raw(`" w:hanging="`)
				x.int(labelHang)
			}
			x.raw(`"/>`)
		}
		x.raw(`</w:pPr>`)
	}
	if p.Label != "" {
		b.run(p.Label, false, false)
		x.raw(`<w:r><w:tab/></w:r>`)
	}
	for _, r := range p.Runs {
		b.run(r.Text, r.Bold, r.Italic)
	}
	x.raw(`</w:p>`)
}

// run writes a run; newlines become line breaks and tabs tab characters.
func (b *body) run(s string, bold, italic bool) {
	if s == "" {
		return
	}
	x := b.x
	x.raw(`<w:r>`)
	if bold || italic {
		x.raw(`<w:rPr>`)
		if bold {
			x.raw(`<w:b/><w:bCs/>`)
		}
		if italic {
			x.raw(`<w:i/><w:iCs/>`)
		}
		x.raw(`</w:rPr>`)
	}
	for {
		i := indexBreak(s)
		seg := s
		if i >= 0 {
			seg = s[:i]
		}
		if seg != "" {
			if seg[0] == ' ' || seg[len(seg)-1] == ' ' {
				x.raw(`<w:t xml:space="preserve">`)
			} else {
				x.raw(`<w:t>`)
			}
			x.text(seg)
			x.raw(`</w:t>`)
		}
		if i < 0 {
			break
		}
		switch s[i] {
		case '\n':
			x.raw(`<w:br/>`)
		case '\t':
			x.raw(`<w:tab/>`)
		}
		s = s[i+1:]
	}
	x.raw(`</w:r>`)
}

// runItalic writes s, if any, as an italic run.
func (b *body) runItalic(s string) {
	if s != "" {
		b.run(s, false, true)
	}
}

// tableStart writes a table's properties and grid.
func (b *body) tableStart(widths []int, total int, header bool) {
	x := b.x
	x.raw(`<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="`)
	x.int(total)
	x.raw(`" w:type="dxa"/><w:tblLayout w:type="fixed"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="85" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>`) // cellMarLR; the paragraph styles pad top and bottom
	if header {
		x.raw(`<w:tblLook w:val="0420" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>`)
	} else {
		x.raw(`<w:tblLook w:val="0400" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>`)
	}
	x.raw(`</w:tblPr><w:tblGrid>`)
	for _, w := range widths {
		x.raw(`<w:gridCol w:w="`)
		x.int(w)
		x.raw(`"/>`)
	}
	x.raw(`</w:tblGrid>`)
}

// cellOpts are a cell's properties.
type cellOpts struct {
	width    int
	span     int    // gridSpan, 0 or 1 for none
	vmerge   string // "", "restart" or "continue"
	fill     string
	style    string // paragraph style
	align    document.Align
	bold     bool
	keepNext bool
	suffix   string // in italic after the text: " (continued)"
}

func (b *body) cell(text string, o cellOpts) {
	x := b.x
	x.raw(`<w:tc><w:tcPr><w:tcW w:w="`)
	x.int(o.width)
	x.raw(`" w:type="dxa"/>`)
	if o.span > 1 {
		x.raw(`<w:gridSpan w:val="`)
		x.int(o.span)
		x.raw(`"/>`)
	}
	if o.vmerge != "" {
		x.raw(`<w:vMerge w:val="`)
		x.raw(o.vmerge)
		x.raw(`"/>`)
	}
	if f, ok := hexColour(o.fill); ok {
		x.raw(`<w:shd w:val="clear" w:color="auto" w:fill="`)
		x.raw(f)
		x.raw(`"/>`)
	}
	x.raw(`</w:tcPr>`)
	if o.vmerge == "continue" {
		text = ""
	}
	// One paragraph, its lines broken (w:br) as the PDF breaks them: the
	// style's space above and below is the cell's padding, once.
	x.raw(`<w:p><w:pPr><w:pStyle w:val="`)
	x.raw(o.style)
	x.raw(`"/>`)
	if o.keepNext {
		x.raw(`<w:keepNext/>`)
	}
	switch o.align {
	case document.Center:
		x.raw(`<w:jc w:val="center"/>`)
	case document.Right:
		x.raw(`<w:jc w:val="right"/>`)
	}
	x.raw(`</w:pPr>`)
	b.run(text, o.bold, false)
	b.runItalic(o.suffix)
	x.raw(`</w:p>`)
	x.raw(`</w:tc>`)
}

// colWidths shares total among the columns in proportion to their relative
// widths (equal shares when none is given); the last column takes the
// rounding remainder so the grid adds up exactly.
func colWidths(cols []document.Column, total int) []int {
	sum := 0.0
	for _, c := range cols {
		if c.Width > 0 {
			sum += c.Width
		}
	}
	out := make([]int, len(cols))
	used := 0
	for i, c := range cols {
		share := 1.0 / float64(len(cols))
		if sum > 0 {
			share = max(c.Width, 0) / sum
		}
		out[i] = int(share*float64(total) + 0.5)
		used += out[i]
	}
	if n := len(out); n > 0 {
		out[n-1] += total - used
	}
	return out
}

// kvColumns shares total twips between a box's key and value columns by the
// model's rule, measuring BoxText (Normal, 11 pt) in Liberation Sans; the
// value column keeps at least 25 mm, as in the PDF.
func kvColumns(kv document.KeyValue, total int) []document.Column {
	const boxSz, minValue = 22, 25 * 1440 / 25.4
	return kv.Columns(float64(total), minValue, func(s string, bold bool) float64 {
		widest := 0
		for line := range strings.SplitSeq(s, "\n") {
			widest = max(widest, wordWidth(line, bold, boxSz))
		}
		return float64(widest + 2*cellMarLR)
	})
}

func (b *body) keyValue(kv document.KeyValue, pg page) {
	if len(kv.Pairs) == 0 {
		return
	}
	x := b.x
	total := pg.textWidth()
	widths := colWidths(kvColumns(kv, total), total)
	b.tableStart(widths, total, false)
	for _, p := range kv.Pairs {
		x.raw(`<w:tr><w:trPr><w:cantSplit/></w:trPr>`)
		b.cell(p.Key, cellOpts{width: widths[0], style: "BoxText", bold: true})
		b.cell(p.Value, cellOpts{width: widths[1], style: "BoxText"})
		x.raw(`</w:tr>`)
	}
	x.raw(`</w:tbl>`)
}

func (b *body) table(t document.Table, pg page) {
	x := b.x
	n := len(t.Columns)
	if n == 0 {
		return
	}
	if t.Caption != "" {
		x.raw(`<w:p><w:pPr><w:pStyle w:val="Caption"/><w:keepNext/></w:pPr>`)
		b.run(t.Caption, false, false)
		x.raw(`</w:p>`)
	}
	total := pg.textWidth()
	widths := colWidths(t.Columns, total)
	fitHeaders(widths, t.Columns, 2*cellMarLR)
	// A row may not split across pages when it is short: up to a quarter
	// of the text height.
	maxKeep := pg.textHeight() / 4
	heights, breaks := b.flow.tablePages(t, widths, maxKeep)
	start := func() {
		b.tableStart(widths, total, true)
		// Header row: repeated on every page, bold, grey.
		x.raw(`<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>`)
		for i, c := range t.Columns {
			b.cell(c.Title, cellOpts{width: widths[i], fill: fillHeader, style: "TableText", align: c.Align, bold: true})
		}
		x.raw(`</w:tr>`)
	}
	if len(breaks) > 0 && breaks[0] == 0 {
		pageBreak(x)
		breaks = breaks[1:]
	}
	start()

	open := make([]bool, n)        // a vertical merge is open in the column
	startText := make([]string, n) // the text of the open merge
	for ri, r := range t.Rows {
		fresh := len(breaks) > 0 && breaks[0] == ri
		if fresh {
			// A page the writer has filled: the table starts again on
			// the next, and merged blocks going on say so.
			breaks = breaks[1:]
			x.raw(`</w:tbl>`)
			pageBreak(x)
			start()
		}
		if r.Group != "" {
			x.raw(`<w:tr><w:trPr><w:cantSplit/></w:trPr>`)
			b.cell(r.Group, cellOpts{width: total, span: n, fill: fillGroup, style: "TableText", bold: true, keepNext: true})
			x.raw(`</w:tr>`)
			clear(open)
		}
		if heights[ri] <= maxKeep {
			x.raw(`<w:tr><w:trPr><w:cantSplit/></w:trPr>`)
		} else {
			x.raw(`<w:tr>`)
		}
		for i := 0; i < n; i++ {
			var c document.Cell
			if i < len(r.Cells) {
				c = r.Cells[i]
			}
			o := cellOpts{width: widths[i], fill: c.Fill, style: "TableText", align: t.Columns[i].Align, bold: c.Bold}
			text := c.Text
			switch c.Merge {
			case document.MergeStart:
				o.vmerge = "restart"
				open[i], startText[i] = true, c.Text
			case document.MergeContinue:
				switch {
				case open[i] && fresh:
					// Continued on a new page: the text again, marked.
					o.vmerge = "restart"
					text, o.suffix = document.Continued(startText[i])
				case open[i]:
					o.vmerge = "continue"
				default:
					// Nothing to continue (first row, or after a group
					// band): start again with the merged text.
					o.vmerge = "restart"
					text = startText[i]
					open[i] = true
				}
			default:
				open[i] = false
			}
			b.cell(text, o)
		}
		x.raw(`</w:tr>`)
		x.flushLarge()
	}
	x.raw(`</w:tbl>`)
}

// pageBreak writes an empty paragraph, as small as can be, that starts a
// new page: between the parts of a table the writer paginated.
func pageBreak(x *xw) {
	x.raw(`<w:p><w:pPr><w:pageBreakBefore/><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/><w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr></w:pPr></w:p>`)
}

func (b *body) chart(c document.Chart) {
	if b.chartIx >= len(b.charts) {
		return
	}
	cp := b.charts[b.chartIx]
	b.chartIx++
	x := b.x
	if c.Title != "" {
		x.raw(`<w:p><w:pPr><w:pStyle w:val="Caption"/><w:keepNext/></w:pPr>`)
		b.run(c.Title, false, false)
		x.raw(`</w:p>`)
	}
	cx, cy := b.pictureSize(cp)
	b.drawings++
	id := b.drawings
	x.raw(`<w:p><w:pPr><w:spacing w:after="80"/><w:jc w:val="center"/></w:pPr><w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="`)
	x.int(int(cx))
	x.raw(`" cy="`)
	x.int(int(cy))
	x.raw(`"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:docPr id="`)
	x.int(id)
	x.raw(`" name="Chart `)
	x.int(id)
	x.raw(`" descr="`)
	x.attr(c.Caption)
	x.raw(`"`)
	if c.Title != "" {
		x.raw(` title="`)
		x.attr(c.Title)
		x.raw(`"`)
	}
	x.raw(`/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr><a:graphic><a:graphicData uri="` + nsPic + `"><pic:pic><pic:nvPicPr><pic:cNvPr id="`)
	x.int(id)
	x.raw(`" name="`)
	x.attr(cp.name[strings.LastIndexByte(cp.name, '/')+1:])
	x.raw(`" descr="`)
	x.attr(c.Caption)
	x.raw(`"/><pic:cNvPicPr><a:picLocks noChangeAspect="1" noChangeArrowheads="1"/></pic:cNvPicPr></pic:nvPicPr><pic:blipFill><a:blip r:embed="`)
	x.attr(cp.rid)
	x.raw(`"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="`)
	x.int(int(cx))
	x.raw(`" cy="`)
	x.int(int(cy))
	x.raw(`"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>`)
	if c.Caption != "" {
		// The chart in words under the picture, as the PDF and HTML print
		// it: a reader of the printed page who cannot tell the colours
		// apart has the numbers too.
		b.paragraph(document.Paragraph{Small: true, Runs: []document.Run{{Text: c.Caption}}})
	}
}

// pictureSize is a chart picture's size in EMU: the portrait text width,
// its height in proportion, at most two thirds of the portrait text height.
func (b *body) pictureSize(cp chartPart) (cx, cy int64) {
	cx = int64(b.page.textWidth()) * 635
	cy = cx * int64(cp.hpx) / int64(cp.wpx)
	if lim := int64(b.page.textHeight()) * 635 * 2 / 3; cy > lim {
		cx = cx * lim / cy
		cy = lim
	}
	return cx, cy
}

// nextPictureH is the height in twips of the next chart's picture, 0 if
// none is left.
func (b *body) nextPictureH() int {
	if b.chartIx >= len(b.charts) {
		return 0
	}
	_, cy := b.pictureSize(b.charts[b.chartIx])
	return int(cy / 635)
}

// indexBreak is the index of the first new line, tab or carriage return
// in s, or -1.
func indexBreak(s string) int {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '\n' || c == '\t' || c == '\r' {
			return i
		}
	}
	return -1
}

// hexColour validates an RRGGBB colour (a leading # is allowed) and returns
// it in upper case.
func hexColour(s string) (string, bool) {
	s = strings.TrimPrefix(s, "#")
	if len(s) != 6 {
		return "", false
	}
	for i := 0; i < 6; i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return "", false
		}
	}
	return strings.ToUpper(s), true
}
