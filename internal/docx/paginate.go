package docx

import (
	"strings"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"

	"papers/internal/document"
)

// A DOCX cannot say where its pages break: Word and LibreOffice decide as
// they lay it out. A merged (vMerge) cell shows its text once, at the top
// of the block, so a block that crosses a page would leave the cell blank
// on the next page where the PDF repeats its text marked "(continued)".
// So the writer lays each table out itself, as the PDF does (the same
// page, fonts, line heights and cell padding), ends the table where a page
// is full and starts it again after a page break, header row first, with
// each merged block that goes on restarted with its text and the model's
// continued mark. The break is then where the writer put it, not where a
// viewer guesses. What comes before a table on its first page is
// estimated the same way, a little generously, so a viewer never needs to
// break a page earlier than the writer did.

// Line heights and padding in twips, as the styles set them.
const (
	tableLine  = 216 // TableText: 9 pt text on exact 10.8 pt lines
	tablePad   = 68  // TableText: 1.2 mm above and below
	normalLine = 278 // Normal: 11 pt text, 1.1 × Arial's 1.15 line
	smallLine  = 227
	boxLine    = 253 // BoxText: 11 pt, single
	boxPad     = 88
	spacerH    = 227 // the empty paragraph after a table or box
	// slack is the share of a page left unused by the estimate, for
	// what it cannot foresee (a viewer's rounding, a font's hinting).
	slack = 0.02
)

var (
	advOnce sync.Once
	advTab  [2][0x2500]uint16 // advance widths in 1/2048 em, for common runes
)

// advances fills the advance table from the embedded Liberation Sans.
func advances() {
	advOnce.Do(func() {
		wordWidth("", false, 2) // loads the faces
		var buf sfnt.Buffer
		for bi, f := range []*sfnt.Font{regularFont, boldFont} {
			if f == nil {
				continue
			}
			for r := range rune(len(advTab[bi])) {
				gi, err := f.GlyphIndex(&buf, r)
				if err != nil {
					continue
				}
				if adv, err := f.GlyphAdvance(&buf, gi, fixed.I(2048), font.HintingNone); err == nil {
					advTab[bi][r] = uint16(adv.Round())
				}
			}
		}
	})
}

// textTw is the width in twips of s at size half-points.
func textTw(s string, bold bool, size int) int {
	advances()
	t := &advTab[0]
	if bold {
		t = &advTab[1]
	}
	units := 0
	for _, r := range s {
		if r >= 0 && int(r) < len(t) {
			units += int(t[r])
		} else {
			units += 1139 // an average glyph, for the rare rune beyond the table
		}
	}
	return units * size * 10 / 2048
}

// lineCount is how many lines s takes wrapped at spaces to width twips, a
// word too long for a line broken within it, as the PDF wraps.
func lineCount(s string, bold bool, size, width int) int {
	width = max(width, 1)
	space := textTw(" ", bold, size)
	n := 0
	for line := range strings.SplitSeq(s, "\n") {
		n++
		x := 0
		for _, w := range strings.Fields(line) {
			ww := textTw(w, bold, size)
			switch {
			case x == 0:
			case x+space+ww <= width:
				x += space + ww
				continue
			default:
				n++
			}
			x = ww
			for x > width {
				n++
				x -= width
			}
		}
	}
	return n
}

// flow estimates where the text stands on the current page, in twips from
// the top of its text area, as blocks are written.
type flow struct {
	y, room int // room: the page's text height, less the slack
}

func (f *flow) newPage(pg page) { f.y, f.room = 0, pg.textHeight()*int(1000-1000*slack)/1000 }

// add moves down by h; text that overflows runs on to the next page.
func (f *flow) add(h int) {
	f.y += h
	for f.room > 0 && f.y > f.room {
		f.y -= f.room
	}
}

// block estimates the height of a block other than a table.
func (f *flow) block(blk document.Block, pg page, pictureH int) {
	w := pg.textWidth()
	switch v := blk.(type) {
	case document.Heading:
		sz, before, after := headingSpacing(v.Level)
		h := lineCount(v.Text, true, sz, w)*sz*10*1264/1000 + after
		if f.y > 0 {
			h += before
		}
		if f.y+h+normalLine > f.room { // kept with what follows
			f.y = 0
			h -= before
		}
		f.add(h)
	case document.Paragraph:
		left := v.Indent * indentStep
		if v.Label != "" {
			left += labelHang
		}
		line, after, sz := normalLine, 147, 22
		if v.Small {
			line, after, sz = smallLine, 80, 18
		} else if v.Indent > 0 {
			after = 118
		}
		f.add(lineCount(v.Plain(), false, sz, w-left)*line + after)
	case document.KeyValue:
		widths := colWidths(kvColumns(v, w), w)
		for _, p := range v.Pairs {
			n := max(lineCount(p.Key, true, 22, widths[0]-2*cellMarLR), lineCount(p.Value, false, 22, widths[1]-2*cellMarLR))
			h := n*boxLine + 2*boxPad
			if f.y+h > f.room {
				f.y = 0
			}
			f.add(h)
		}
		f.add(spacerH)
	case document.Chart:
		h := pictureH + 80
		if v.Title != "" {
			h += 120 + 80 + 250
		}
		if f.y+h > f.room {
			f.y = 0
		}
		f.add(h)
		if v.Caption != "" {
			f.block(document.Paragraph{Small: true, Runs: []document.Run{{Text: v.Caption}}}, pg, 0)
		}
	case document.PageBreak:
		f.y = 0
	}
}

// headingSpacing is a heading's size in half-points and its space above
// and below in twips: the space the heading styles add to what the block
// above leaves below it.
func headingSpacing(level int) (size, before, after int) {
	switch {
	case level <= 1:
		return 28, 397, 170
	case level == 2:
		return 24, 283, 142
	}
	return 22, 227, 113
}

// tablePages lays t out from the flow's position, leaving the flow after
// the table. It returns each row's height and the rows that begin a new
// page (0 when the table itself should start on the next one). widths are
// the columns' twips; a row no taller than maxKeep may not split.
func (f *flow) tablePages(t document.Table, widths []int, maxKeep int) (heights []int, breaks []int) {
	n := len(t.Columns)
	cellH := func(text string, bold bool, col int) int {
		return lineCount(text, bold, tableTextSz, widths[col]-2*cellMarLR)*tableLine + 2*tablePad
	}
	headH := 0
	for i, c := range t.Columns {
		headH = max(headH, cellH(c.Title, true, i))
	}
	bandH := tableLine + 2*tablePad
	// Each row's height; a merged block's text taller than its rows
	// stretches its last row, as Word and the PDF do.
	hs := make([]int, len(t.Rows))
	for i, r := range t.Rows {
		for c := 0; c < n && c < len(r.Cells); c++ {
			if r.Cells[c].Merge != document.MergeContinue {
				if r.Cells[c].Merge == document.MergeStart {
					hs[i] = max(hs[i], tableLine+2*tablePad)
					continue
				}
				hs[i] = max(hs[i], cellH(r.Cells[c].Text, r.Cells[c].Bold, c))
			}
		}
	}
	for c := range n {
		for i := 0; i < len(t.Rows); i++ {
			if c >= len(t.Rows[i].Cells) || t.Rows[i].Cells[c].Merge != document.MergeStart {
				continue
			}
			need := cellH(t.Rows[i].Cells[c].Text, t.Rows[i].Cells[c].Bold, c)
			end, sum := i, hs[i]
			for end+1 < len(t.Rows) && t.Rows[end+1].Group == "" && c < len(t.Rows[end+1].Cells) && t.Rows[end+1].Cells[c].Merge == document.MergeContinue {
				end++
				sum += hs[end]
			}
			if sum < need {
				hs[end] += need - sum
			}
			i = end
		}
	}
	if t.Caption != "" {
		f.add(normalLine + 200)
	}
	f.y += headH
	for i, r := range t.Rows {
		h := hs[i]
		if r.Group != "" {
			h += bandH // kept with its row
		}
		if f.y+h > f.room && f.y > headH && (h <= maxKeep || r.Group != "") {
			breaks = append(breaks, i)
			f.y = headH
		}
		f.y += h
		for f.y > f.room { // a row taller than a page splits
			f.y -= f.room - headH
		}
	}
	f.add(spacerH)
	return hs, breaks
}
