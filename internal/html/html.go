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
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"papers/internal/document"
)

// Write renders d as an HTML5 document.
func Write(w io.Writer, d *document.Doc) error {
	p := &page{rank: 1}
	p.doc(d)
	_, err := w.Write(p.b.Bytes())
	return err
}

// page is one rendering in progress.
type page struct {
	b bytes.Buffer
	// rank is the last heading's rank (h1 = 1): a heading never goes more
	// than one rank below the one before it.
	rank int
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
	p.raw("<style>\n" + styleSheet + "</style>\n</head>\n<body>\n<main>\n")
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

// heading writes a heading one rank below the title for level 1, and never
// more than one rank below the heading before it. An empty heading is left
// out: it would be an empty stop in a screen reader's list of headings.
func (p *page) heading(h document.Heading) {
	if strings.TrimSpace(h.Text) == "" {
		return
	}
	rank := min(max(h.Level, 1)+1, p.rank+1, 6)
	p.rank = rank
	p.ids++
	p.lastHeading = "h-" + strconv.Itoa(p.ids)
	p.printf("<h%d id=\"%s\">%s</h%d>\n", rank, p.lastHeading, text(h.Text), rank)
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
		p.printf("<span class=\"label\">%s </span>", text(v.Label))
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
	}
	p.raw("</ul>\n")
}

func (p *page) runs(runs []document.Run) {
	for _, r := range runs {
		t := text(r.Text)
		switch {
		case r.Bold && r.Italic:
			p.printf("<strong><em>%s</em></strong>", t)
		case r.Bold:
			p.printf("<strong>%s</strong>", t)
		case r.Italic:
			p.printf("<em>%s</em>", t)
		default:
			p.raw(t)
		}
	}
}

// keyValue writes the cover's boxed block as a table of row headers.
func (p *page) keyValue(v document.KeyValue) {
	if len(v.Pairs) == 0 {
		return
	}
	p.raw("<table class=\"kv\">\n<tbody>\n")
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

	spans := rowSpans(t.Rows, cols)
	p.raw("<tbody>\n")
	for r, row := range t.Rows {
		if row.Group != "" {
			if r > 0 {
				p.raw("</tbody>\n<tbody>\n")
			}
			p.printf("<tr class=\"group\"><th scope=\"rowgroup\" colspan=\"%d\">%s</th></tr>\n", cols, text(row.Group))
		}
		p.raw("<tr>")
		for c := range cols {
			span := spans[r][c]
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
				p.printf(" rowspan=\"%d\"", span)
			}
			p.raw(alignClass(t.Columns[c].Align))
			if fill, ok := hexColour(cell.Fill); ok {
				p.printf(" style=\"background-color:%s\"", fill)
			}
			p.raw(">")
			if cell.Bold && cell.Text != "" {
				p.printf("<strong>%s</strong>", text(cell.Text))
			} else {
				p.raw(text(cell.Text))
			}
			p.raw("</td>")
		}
		p.raw("</tr>\n")
	}
	p.raw("</tbody>\n</table>\n")
}

// rowSpans gives each cell its rowspan: 0 for a cell covered by a merged
// cell above it. A merge never crosses a group band.
func rowSpans(rows []document.Row, cols int) [][]int {
	spans := make([][]int, len(rows))
	for r := range rows {
		spans[r] = make([]int, cols)
		for c := range spans[r] {
			spans[r][c] = 1
		}
	}
	merge := func(r, c int) document.Merge {
		if c < len(rows[r].Cells) {
			return rows[r].Cells[c].Merge
		}
		return document.MergeNone
	}
	for c := range cols {
		start := -1 // the row whose cell the next continuation joins
		for r := range rows {
			m := merge(r, c)
			if m == document.MergeContinue && start >= 0 && rows[r].Group == "" {
				spans[start][c]++
				spans[r][c] = 0
				continue
			}
			start = -1
			if m != document.MergeNone {
				start = r // a start, or a continuation that starts again
			}
		}
	}
	return spans
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

func (p *page) printf(format string, a ...any) { fmt.Fprintf(&p.b, format, a...) }
func (p *page) raw(s string)                   { p.b.WriteString(s) }

// esc escapes s for HTML text or a quoted attribute value, and drops
// control characters HTML does not allow.
func esc(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"':
			b.WriteString("&#34;")
		case r == '\'':
			b.WriteString("&#39;")
		case r == '\r':
		case r < 0x20 && r != '\n' && r != '\t', r >= 0x7f && r < 0xa0, r == 0xfffe, r == 0xffff:
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// text escapes s as element content, keeping its line breaks.
func text(s string) string {
	s = strings.ReplaceAll(strings.TrimRight(s, "\r\n"), "\r\n", "\n")
	return strings.ReplaceAll(esc(s), "\n", "<br>")
}

// hexColour returns "#RRGGBB" for a colour given as six hex digits. Anything
// else is refused, so no officer's text ever reaches a style attribute.
func hexColour(s string) (string, bool) {
	s = strings.TrimPrefix(s, "#")
	if len(s) != 6 {
		return "", false
	}
	for _, r := range s {
		if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
			return "", false
		}
	}
	return "#" + strings.ToUpper(s), true
}
