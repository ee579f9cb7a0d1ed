// Package html renders a document.Doc as one self-contained, accessible HTML5
// file: the version of the report for the council's website and for readers
// who use a screen reader, a magnifier or their own style sheet.
//
// The page needs nothing beside it (no scripts, fonts or pictures; a small
// inline style sheet for screen and print) and reads in order without any
// CSS. Headings form an outline without skipped levels under one h1 (the
// document's title); tables have column headers, captions or a label from
// the heading above them, merged cells as rowspan and group bands as row
// group headers; the chart is an inline SVG image named by its title and
// described by its caption, with its numbers in a table beside it. Every
// piece of text is escaped, and the same Doc always gives the same bytes.
package html

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"papers/internal/document"
)

// Write renders d as an HTML5 document.
func Write(w io.Writer, d *document.Doc) error {
	if g, ok := w.(interface{ Grow(int) }); ok {
		// A bytes.Buffer (the pipeline's) is sized once rather than
		// doubling, and copying, as a long report is written into it.
		g.Grow(sizeHint(d))
	}
	p := &page{w: w, b: make([]byte, 0, flushAt+flushAt/4)}
	p.doc(d)
	p.flush()
	return p.err
}

// flushAt is how much of the page is gathered before it is written: the
// page is written as it is made, not held whole.
const flushAt = 64 << 10

// page is one rendering in progress.
type page struct {
	w   io.Writer
	b   []byte // written at the next flush
	err error  // the first write error; nothing is written after it
	// outline gives headings their levels, as every writer has them.
	outline document.Outline
	// lastHeading is the id of the last heading written, to label a table
	// that has no caption of its own.
	lastHeading string
	ids         int // last id number given to a heading
	charts      int // charts written so far
}

func (p *page) doc(d *document.Doc) {
	lang := strings.TrimSpace(d.Language)
	if lang == "" {
		lang = "en-GB"
	}
	title := strings.TrimSpace(d.Title)
	if title == "" {
		title = "Report"
	}
	p.printf("<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n", esc(lang))
	p.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
	p.printf("<title>%s</title>\n", esc(title))
	for _, m := range [][2]string{{"author", d.Author}, {"description", d.Subject}, {"keywords", d.Keywords}} {
		if m[1] != "" {
			p.printf("<meta name=\"%s\" content=\"%s\">\n", m[0], esc(m[1]))
		}
	}
	if !d.Date.IsZero() {
		p.printf("<meta name=\"dcterms.created\" content=\"%s\">\n", d.Date.Format("2006-01-02"))
	}
	p.raw("<style>\n" + styleSheet + footerRule(d.Footer) + "</style>\n</head>\n<body>\n<main>\n")
	p.printf("<h1>%s</h1>\n", esc(title))
	if d.Subject != "" {
		p.printf("<p class=\"subtitle\">%s</p>\n", text(d.Subject))
	}
	for i, s := range d.Sections {
		class := "section portrait"
		if s.Orientation == document.Landscape {
			class = "section landscape"
		}
		p.printf("<div class=\"%s\" id=\"section-%d\">\n", class, i+1)
		p.blocks(s.Blocks)
		p.raw("</div>\n")
	}
	p.raw("</main>\n")
	if d.Footer != "" {
		p.printf("<footer>\n<p>%s</p>\n</footer>\n", text(d.Footer))
	}
	p.raw("</body>\n</html>\n")
}

func (p *page) blocks(blocks []document.Block) {
	for i := 0; i < len(blocks); i++ {
		switch v := blocks[i].(type) {
		case document.Heading:
			p.heading(v)
		case document.Paragraph:
			if !isBullet(v.Label) {
				p.paragraph(v)
				continue
			}
			// A run of bullets at one depth is one list.
			j := i + 1
			for j < len(blocks) {
				n, ok := blocks[j].(document.Paragraph)
				if !ok || !isBullet(n.Label) || n.Indent != v.Indent {
					break
				}
				j++
			}
			p.list(blocks[i:j])
			i = j - 1
		case document.KeyValue:
			p.keyValue(v)
		case document.Table:
			p.table(v)
		case document.Chart:
			p.chart(v)
		case document.PageBreak:
			p.raw("<div class=\"page-break\"></div>\n")
		}
	}
}

// heading writes a heading one rank below the title for outline level 1
// (document.Outline: siblings are siblings, no level is skipped). An empty
// heading is left out: it would be an empty stop in a screen reader's list
// of headings.
func (p *page) heading(h document.Heading) {
	level := p.outline.Level(h)
	if level == 0 {
		return
	}
	rank := min(level+1, 6)
	p.ids++
	p.lastHeading = "h-" + strconv.Itoa(p.ids)
	p.printf("<h%d id=\"%s\">", rank, p.lastHeading)
	p.text(h.Text)
	p.printf("</h%d>\n", rank)
}

func (p *page) paragraph(v document.Paragraph) {
	var class []string
	if v.Label != "" {
		class = append(class, "labelled")
	}
	if v.Indent > 0 {
		class = append(class, "indent-"+strconv.Itoa(min(v.Indent, 8)))
	}
	if v.Small {
		class = append(class, "small")
	}
	p.raw("<p")
	if len(class) > 0 {
		p.printf(" class=\"%s\"", strings.Join(class, " "))
	}
	p.raw(">")
	if v.Label != "" {
		// The space inside the label keeps it apart from the text
		// without CSS, and is dropped at the label's edge with it.
		p.raw("<span class=\"label\">")
		p.text(v.Label)
		p.raw(" </span>")
	}
	p.runs(v.Runs)
	p.raw("</p>\n")
}

// list writes bullet paragraphs of one depth as an unordered list.
func (p *page) list(items []document.Block) {
	first := items[0].(document.Paragraph)
	class := "bullets"
	if first.Indent > 0 {
		class += " indent-" + strconv.Itoa(min(first.Indent, 8))
	}
	if first.Small {
		class += " small"
	}
	p.printf("<ul class=\"%s\">\n", class)
	for _, blk := range items {
		p.raw("<li>")
		p.runs(blk.(document.Paragraph).Runs)
		p.raw("</li>\n")
		p.flushLarge()
	}
	p.raw("</ul>\n")
}

func (p *page) runs(runs []document.Run) {
	for _, r := range runs {
		switch {
		case r.Bold && r.Italic:
			p.raw("<strong><em>")
			p.text(r.Text)
			p.raw("</em></strong>")
		case r.Bold:
			p.raw("<strong>")
			p.text(r.Text)
			p.raw("</strong>")
		case r.Italic:
			p.raw("<em>")
			p.text(r.Text)
			p.raw("</em>")
		default:
			p.text(r.Text)
		}
	}
}

// keyValue writes the cover's boxed block as a table of row headers.
func (p *page) keyValue(v document.KeyValue) {
	if len(v.Pairs) == 0 {
		return
	}
	cw := kvWidths(v)
	p.printf("<table class=\"kv\">\n<colgroup><col style=\"width:%s\"><col style=\"width:%s\"></colgroup>\n<tbody>\n", cw[0], cw[1])
	for _, pr := range v.Pairs {
		if pr.Key == "" {
			p.printf("<tr><td></td><td>%s</td></tr>\n", text(pr.Value))
			continue
		}
		p.printf("<tr><th scope=\"row\">%s</th><td>%s</td></tr>\n", text(pr.Key), text(pr.Value))
	}
	p.raw("</tbody>\n</table>\n")
}

func (p *page) table(t document.Table) {
	cols := len(t.Columns)
	if cols == 0 {
		return
	}
	p.raw("<table class=\"data\"")
	if t.Caption == "" && p.lastHeading != "" {
		p.printf(" aria-labelledby=\"%s\"", p.lastHeading)
	}
	p.raw(">\n")
	if t.Caption != "" {
		p.printf("<caption>%s</caption>\n", text(t.Caption))
	}
	var total float64
	for _, c := range t.Columns {
		total += max(c.Width, 0)
	}
	if total > 0 {
		p.raw("<colgroup>")
		for _, c := range t.Columns {
			p.printf("<col style=\"width:%s%%\">", strconv.FormatFloat(100*max(c.Width, 0)/total, 'f', 1, 64))
		}
		p.raw("</colgroup>\n")
	}
	p.raw("<thead>\n<tr>")
	for i, c := range t.Columns {
		if strings.TrimSpace(c.Title) == "" {
			p.printf("<th scope=\"col\"%s><span class=\"visually-hidden\">Column %d</span></th>", alignClass(c.Align), i+1)
			continue
		}
		p.printf("<th scope=\"col\"%s>%s</th>", alignClass(c.Align), text(c.Title))
	}
	p.raw("</tr>\n</thead>\n")

	spans := rowSpans{covered: make([]int, cols)}
	p.raw("<tbody>\n")
	for r, row := range t.Rows {
		if row.Group != "" {
			if r > 0 {
				p.raw("</tbody>\n<tbody>\n")
			}
			p.printf("<tr class=\"group\"><th scope=\"rowgroup\" colspan=\"%d\">", cols)
			p.text(row.Group)
			p.raw("</th></tr>\n")
		}
		p.raw("<tr>")
		for c := range cols {
			span := spans.next(t.Rows, r, c)
			if span == 0 {
				continue // drawn by the merged cell above
			}
			var cell document.Cell
			if c < len(row.Cells) {
				cell = row.Cells[c]
			}
			if cell.Merge == document.MergeContinue {
				// A continuation the merge could not reach (the first
				// row, or the first after a group band) repeats the
				// text it continues.
				cell.Text = continued(t.Rows, r, c)
			}
			p.raw("<td")
			if span > 1 {
				p.raw(" rowspan=\"")
				p.b = strconv.AppendInt(p.b, int64(span), 10)
				p.raw("\"")
			}
			p.raw(alignClass(t.Columns[c].Align))
			if validColour(cell.Fill) {
				p.raw(" style=\"background-color:")
				p.colour(cell.Fill)
				p.raw("\"")
			}
			p.raw(">")
			if cell.Bold && cell.Text != "" {
				p.raw("<strong>")
				p.text(cell.Text)
				p.raw("</strong>")
			} else {
				p.text(cell.Text)
			}
			p.raw("</td>")
		}
		p.raw("</tr>\n")
		p.flushLarge()
	}
	p.raw("</tbody>\n</table>\n")
}

// rowSpans gives a table's cells their rowspans, row by row and each row
// left to right: 0 for a cell covered by a merged cell above it. A merge
// never crosses a group band.
type rowSpans struct {
	covered []int // by column, how many more rows the merged cell above covers
}

// next is the rowspan of the cell at row r, column c. A cell not covered
// spans the continuations below it when it starts a merge, or continues
// one it could not reach.
func (s rowSpans) next(rows []document.Row, r, c int) int {
	if s.covered[c] > 0 {
		s.covered[c]--
		return 0
	}
	span := 1
	if merge(rows[r], c) != document.MergeNone {
		for k := r + 1; k < len(rows) && rows[k].Group == "" && merge(rows[k], c) == document.MergeContinue; k++ {
			span++
		}
	}
	s.covered[c] = span - 1
	return span
}

func merge(row document.Row, c int) document.Merge {
	if c < len(row.Cells) {
		return row.Cells[c].Merge
	}
	return document.MergeNone
}

// continued returns the text of the merge start that the continuation at
// row r, column c belongs to.
func continued(rows []document.Row, r, c int) string {
	for ; r >= 0; r-- {
		if c >= len(rows[r].Cells) {
			return ""
		}
		switch rows[r].Cells[c].Merge {
		case document.MergeStart:
			return rows[r].Cells[c].Text
		case document.MergeNone:
			return ""
		}
	}
	return ""
}

func alignClass(a document.Align) string {
	switch a {
	case document.Center:
		return " class=\"c\""
	case document.Right:
		return " class=\"r\""
	}
	return ""
}

// isBullet reports whether a paragraph's label is a bullet rather than a
// number, so that a run of such paragraphs is a list.
func isBullet(label string) bool {
	switch label {
	case "•", "◦", "▪", "‣", "·", "-", "–", "*":
		return true
	}
	return false
}

func (p *page) printf(format string, a ...any) { p.b = fmt.Appendf(p.b, format, a...) }
func (p *page) raw(s string)                   { p.b = append(p.b, s...) }

// text writes s as element content, escaped, its line breaks kept.
func (p *page) text(s string) { p.b = appendEsc(p.b, s, true) }

// colour writes a colour validColour accepted as "#RRGGBB".
func (p *page) colour(s string) {
	s = strings.TrimPrefix(s, "#")
	p.b = append(p.b, '#')
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'f' {
			c -= 'a' - 'A'
		}
		p.b = append(p.b, c)
	}
}

func (p *page) flush() {
	if p.err == nil && len(p.b) > 0 {
		_, p.err = p.w.Write(p.b)
	}
	p.b = p.b[:0]
}

// flushLarge writes the page so far once there is a good deal of it.
func (p *page) flushLarge() {
	if len(p.b) >= flushAt {
		p.flush()
	}
}

// esc escapes s for HTML text or a quoted attribute value, and drops
// control characters HTML does not allow.
func esc(s string) string { return string(appendEsc(nil, s, false)) }

// text escapes s as element content, keeping its line breaks.
func text(s string) string { return string(appendEsc(nil, s, true)) }

// appendEsc appends s escaped for HTML text or a quoted attribute value:
// &, <, >, " and ' as references; carriage returns, control characters
// other than tab and new line, C1 controls and the non-characters U+FFFE
// and U+FFFF dropped; invalid UTF-8 as U+FFFD. As element content (lines),
// line breaks at the end are dropped and the others become <br>.
func appendEsc(b []byte, s string, lines bool) []byte {
	if lines {
		for len(s) > 0 && (s[len(s)-1] == '\n' || s[len(s)-1] == '\r') {
			s = s[:len(s)-1]
		}
	}
	start := 0 // s[start:i] is to be copied as it is
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf && !escASCII[c] {
			i++
			continue
		}
		var rep string
		size := 1
		if c < utf8.RuneSelf {
			switch {
			case c == '&':
				rep = "&amp;"
			case c == '<':
				rep = "&lt;"
			case c == '>':
				rep = "&gt;"
			case c == '"':
				rep = "&#34;"
			case c == '\'':
				rep = "&#39;"
			case c == '\n' && lines:
				rep = "<br>"
			case c == '\n':
				i++
				continue
			default:
				rep = "" // control characters, \r with them, dropped
			}
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(s[i:])
			switch {
			case r == utf8.RuneError && size == 1:
				rep = "\uFFFD"
			case r < 0xa0, r == 0xfffe, r == 0xffff:
				rep = "" // C1 controls and non-characters, dropped
			default:
				i += size
				continue
			}
		}
		b = append(b, s[start:i]...)
		b = append(b, rep...)
		i += size
		start = i
	}
	return append(b, s[start:]...)
}

// escASCII marks the ASCII characters appendEsc does not copy as they are.
var escASCII = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = c < 0x20 && c != '\t' || c == 0x7f
	}
	for _, c := range "&<>\"'" {
		t[c] = true
	}
	return t
}()

// validColour reports whether s is a colour given as six hex digits, with
// or without a "#". Anything else is refused, so no officer's text ever
// reaches a style attribute.
func validColour(s string) bool {
	s = strings.TrimPrefix(s, "#")
	if len(s) != 6 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// hexColour returns "#RRGGBB" for a colour validColour accepts.
func hexColour(s string) (string, bool) {
	if !validColour(s) {
		return "", false
	}
	return "#" + strings.ToUpper(strings.TrimPrefix(s, "#")), true
}

// sizeHint estimates the page's length, a little over: the texts, the
// markup around each block, row and cell, and a sixteenth more for
// escaping and line breaks.
func sizeHint(d *document.Doc) int {
	n := 2048 + len(styleSheet) + 3*len(d.Title) + len(d.Author) + 2*len(d.Subject) + len(d.Keywords) + len(d.Footer)
	for _, s := range d.Sections {
		n += 64
		for _, blk := range s.Blocks {
			switch v := blk.(type) {
			case document.Heading:
				n += 32 + len(v.Text)
			case document.Paragraph:
				if isBullet(v.Label) {
					n += 16 // a list item
				} else {
					n += 64 + len(v.Label)
				}
				for _, r := range v.Runs {
					n += len(r.Text)
					if r.Bold || r.Italic {
						n += 32
					}
				}
			case document.KeyValue:
				for _, pr := range v.Pairs {
					n += 48 + len(pr.Key) + len(pr.Value)
				}
			case document.Table:
				n += 256 + len(v.Caption)
				aligned := 0 // bytes of class attributes in every row
				for _, c := range v.Columns {
					n += 64 + len(c.Title)
					aligned += len(alignClass(c.Align))
				}
				for _, r := range v.Rows {
					n += 12 + aligned
					if r.Group != "" {
						n += 96 + len(r.Group)
					}
					for _, c := range r.Cells {
						n += 9 + len(c.Text)
						if c.Fill != "" {
							n += 33
						}
						if c.Bold {
							n += 17
						}
						if c.Merge == document.MergeStart {
							n += 16
						}
					}
				}
			case document.Chart:
				n += 2048 + 2*len(v.Title) + 2*len(v.Caption)
				for _, c := range v.Categories {
					n += 160 + 2*len(c)
				}
				for _, s := range v.Series {
					n += 160 + 2*len(s.Name) + 224*len(s.Values)
				}
			}
		}
	}
	return n + n/16
}
