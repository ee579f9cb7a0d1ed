package pdf

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"papers/internal/document"
)

// Table layout. Every cell is wrapped once, up front; rows are then placed
// page by page. A page's rows are drawn when the page is full, so the last
// row can still be stretched to make room for a merged cell's text.

const (
	roleNone  = iota
	roleStart // first cell of a vertical merge of two rows or more
	roleCont  // a cell below it
)

const eps = 0.01

type tableStyle struct {
	size       float64
	padX, padY float64
	header     bool
	keys       bool // the first column heads each row (a key–value box)
}

var gridStyle = tableStyle{size: tableSize, padX: 1.5, padY: 1.2, header: true}

type cellInfo struct {
	first, n int32 // lines: spans [first, first+n) of the table's arena, one span each
	blk      int32 // row of the merged block's first cell (roleStart, roleCont)
	fill     int32 // background 0xRRGGBB, -1 for none
	elem     int32 // its TD or TH; -1 when covered by a merged cell above
	role     uint8
	style    uint8
}

type rowInfo struct {
	h         float64 // content height of the unmerged cells
	lines     int32   // most lines in an unmerged cell
	bandFirst int32   // group band lines in the arena
	bandN     int32
	band      int32 // index into bands
	bandElem  int32 // the band's TH
	bandH     float64
}

type tableBlock struct {
	st      tableStyle
	cols    []document.Column
	x       []float64 // column edges, len(cols)+1
	lh      float64
	texts   []string // cell texts, cleaned, row-major
	bands   []string
	cells   []cellInfo
	rows    []rowInfo
	arena   []span
	mcols   []int // columns holding merged blocks
	caption []span
	capRuns []textRun
	capSize float64
	// header
	titles    []string
	headSize  []float64
	headSpans []span
	headFirst []int32 // per column, into headSpans; len(cols)+1
	headH     float64
	// continued texts of merged blocks, by cell index
	cont map[int32]segText

	// structure elements
	capElem    int32
	headElem   int32 // the first column's TH; the others follow it
	headTagged bool  // the header row has been drawn as content: later ones are artifacts

	room float64 // height of an empty page

	// placement state for the current page
	pageTop float64 // where the table begins on this page
	entries []entry
	segs    []segState // per column
	drawn   []segDraw  // merged texts to draw on this page
	next    int        // first of drawn not yet drawn
	onPage  int        // row entries on this page
}

type entry struct {
	kind     uint8 // entryHeader, entryBand, entryRow
	row      int32
	from, to int32 // lines of a row shown here
	y, h     float64
}

const (
	entryHeader = iota
	entryBand
	entryRow
)

type segText struct {
	runs  []textRun
	spans []span
}

type segState struct {
	active bool
	startY float64
	need   float64
}

type segDraw struct {
	col  int
	y    float64
	txt  segText
	elem int32 // its cell, or artPagination for a repeat on a later page
}

func (r *renderer) prepareTable(t *document.Table) *tableBlock {
	return r.layoutTable(t, gridStyle, r.left, r.right-r.left)
}

// layoutTable wraps every cell of t for a table of width w at x.
func (r *renderer) layoutTable(t *document.Table, st tableStyle, x, w float64) *tableBlock {
	room := r.bottom - r.top // an empty page's
	nc := len(t.Columns)
	tb := &tableBlock{st: st, cols: t.Columns, lh: st.size * 1.2 * ptMM, room: room}
	tb.x = columnEdges(t.Columns, x, w)
	if c := clean(t.Caption); c != "" {
		tb.capSize = 10
		tb.capRuns = []textRun{{text: c, style: bold}}
		tb.caption = wrap(tb.capRuns, tb.capSize, w, nil)
	}
	if st.header && !slices.ContainsFunc(t.Columns, func(c document.Column) bool { return strings.TrimSpace(c.Title) != "" }) {
		st.header = false // no titles, no header row
		tb.st.header = false
	}
	if st.header {
		tb.headFirst = make([]int32, nc+1)
		tb.headSize = make([]float64, nc)
		tb.headH = tb.lh + 2*st.padY
		for c, col := range t.Columns {
			title := clean(col.Title)
			tb.titles = append(tb.titles, title)
			// A title word wider than its column is set smaller rather
			// than broken ("Comple-te").
			size := st.size
			for _, w := range strings.Fields(title) {
				if ww := textWidth(w, bold, size); ww > tb.colText(c) {
					size = max(size*tb.colText(c)/ww, 6)
				}
			}
			tb.headSize[c] = size
			tb.headFirst[c] = int32(len(tb.headSpans))
			// A header taller than a third of the page is cut short.
			title = capText(title, bold, size, tb.colText(c), int(room/3/(size*1.2*ptMM)))
			tb.titles[c] = title
			tb.headSpans = wrap([]textRun{{text: title, style: bold}}, size, tb.colText(c), tb.headSpans)
			n := len(tb.headSpans) - int(tb.headFirst[c])
			tb.headH = max(tb.headH, float64(n)*size*1.2*ptMM+2*st.padY)
		}
		tb.headFirst[nc] = int32(len(tb.headSpans))
	}
	n := len(t.Rows)
	tb.texts = make([]string, n*nc)
	tb.cells = make([]cellInfo, n*nc)
	tb.rows = make([]rowInfo, n)
	tb.arena = make([]span, 0, n*nc*2)
	merged := make([]bool, nc)
	// Roles: a MergeStart followed by MergeContinue cells is a block; a
	// lone MergeStart is an ordinary cell, a MergeContinue with nothing
	// to continue is an ordinary (empty) cell.
	for i, row := range t.Rows {
		for c, cell := range row.Cells {
			k := i*nc + c
			ci := &tb.cells[k]
			ci.fill = parseHex(cell.Fill)
			ci.style = uint8(styleOf(cell.Bold, false))
			switch cell.Merge {
			case document.MergeStart:
				ci.role, ci.blk = roleStart, int32(i)
			case document.MergeContinue:
				if i > 0 && tb.cells[k-nc].role != roleNone {
					ci.role, ci.blk = roleCont, tb.cells[k-nc].blk
					merged[c] = true
				}
			}
			if ci.role != roleCont {
				tb.texts[k] = clean(cell.Text)
			}
		}
	}
	for c := range nc {
		if merged[c] {
			tb.mcols = append(tb.mcols, c)
		}
	}
	for i := range t.Rows {
		for c := range nc {
			k := i*nc + c
			ci := &tb.cells[k]
			if ci.role == roleStart && (i+1 == n || tb.cells[k+nc].role != roleCont) {
				ci.role = roleNone
			}
		}
	}
	for i, row := range t.Rows {
		ri := &tb.rows[i]
		for c := range nc {
			k := i*nc + c
			ci := &tb.cells[k]
			if ci.role == roleCont && tb.cells[int(ci.blk)*nc+c].role != roleStart {
				ci.role = roleNone // its block was unmerged
			}
			if ci.role == roleCont || tb.texts[k] == "" {
				continue
			}
			ci.first = int32(len(tb.arena))
			tb.arena = wrap([]textRun{{text: tb.texts[k], style: int(ci.style)}}, st.size, tb.colText(c), tb.arena)
			ci.n = int32(len(tb.arena)) - ci.first
			// A merged text that could not be repeated whole on a page
			// ("… (continued)") is not merged: it stays in its first row,
			// which is split over pages if need be.
			if ci.role == roleStart && float64(ci.n+1)*tb.lh+2*st.padY > room-tb.headH {
				ci.role = roleNone
			}
			if ci.role == roleNone {
				ri.lines = max(ri.lines, ci.n)
			}
		}
		ri.h = float64(max(ri.lines, 1))*tb.lh + 2*st.padY
		if g := clean(row.Group); g != "" {
			bw := tb.x[nc] - tb.x[0] - 2*st.padX
			// A band taller than a third of the page is cut short.
			g = capText(g, bold, st.size, bw, int(room/3/tb.lh))
			ri.band = int32(len(tb.bands))
			tb.bands = append(tb.bands, g)
			ri.bandFirst = int32(len(tb.arena))
			tb.arena = wrap([]textRun{{text: g, style: bold}}, st.size, bw, tb.arena)
			ri.bandN = int32(len(tb.arena)) - ri.bandFirst
			ri.bandH = float64(ri.bandN)*tb.lh + 2*st.padY
		}
	}
	tb.segs = make([]segState, nc)
	tb.cont = map[int32]segText{}
	return tb
}

// columnEdges shares width w among columns in proportion to their widths.
// Columns without a width get the average of the others.
func columnEdges(cols []document.Column, x, w float64) []float64 {
	sum, npos := 0.0, 0
	for _, c := range cols {
		if c.Width > 0 && !math.IsInf(c.Width, 0) {
			sum += c.Width
			npos++
		}
	}
	def := 1.0
	if npos > 0 {
		def = sum / float64(npos)
	}
	ws := make([]float64, len(cols))
	total := 0.0
	for i, c := range cols {
		ws[i] = def
		if c.Width > 0 && !math.IsInf(c.Width, 0) {
			ws[i] = c.Width
		}
		total += ws[i]
	}
	edges := make([]float64, len(cols)+1)
	edges[0] = x
	acc := 0.0
	for i := range cols {
		acc += ws[i]
		edges[i+1] = x + w*acc/total
	}
	return edges
}

// colText is the width available for text in column c.
func (tb *tableBlock) colText(c int) float64 {
	return max(tb.x[c+1]-tb.x[c]-2*tb.st.padX, 1)
}

func (tb *tableBlock) captionH() float64 {
	if tb.caption == nil {
		return 0
	}
	return float64(countLines(tb.caption))*tb.capSize*1.2*ptMM + 1.5
}

// lead is the caption, header and first row (or, when the row must be
// split anyway, its first lines): what must fit for the table to start.
func (tb *tableBlock) lead() float64 {
	h := tb.captionH() + tb.headH
	if len(tb.rows) > 0 {
		r0 := tb.rows[0]
		h0 := r0.h
		for _, c := range tb.mcols {
			if tb.cells[c].role == roleStart {
				h0 = max(h0, tb.segNeed(tb.segFor(0, c)))
			}
		}
		if r0.bandH+h0 > tb.room-tb.headH {
			h0 = min(h0, 3*tb.lh+2*tb.st.padY)
		}
		h += r0.bandH + h0
	}
	return h
}

func (tb *tableBlock) nc() int { return len(tb.cols) }

// blockEnds reports whether the merged block in column c has no more cells
// after row i on this stretch: the next row is not part of it, or a group
// band comes between.
func (tb *tableBlock) blockEnds(i, c int) bool {
	if i+1 >= len(tb.rows) {
		return true
	}
	return tb.cells[(i+1)*tb.nc()+c].role != roleCont || tb.rows[i+1].bandN > 0
}

// startsSeg reports whether a merged cell's text is drawn at row i: the
// block begins there, or it continues after a page break or a band.
func (tb *tableBlock) startsSeg(i, c int, firstOnPage bool) bool {
	ci := tb.cells[i*tb.nc()+c]
	switch ci.role {
	case roleStart:
		return true
	case roleCont:
		return firstOnPage || tb.rows[i].bandN > 0
	}
	return false
}

// segFor is the text drawn where a merged block's segment begins at row i.
func (tb *tableBlock) segFor(i, c int) segText {
	k := i*tb.nc() + c
	ci := tb.cells[k]
	bk := ci.blk*int32(tb.nc()) + int32(c)
	start := tb.cells[bk]
	if ci.role == roleStart {
		return segText{
			runs:  []textRun{{text: tb.texts[k], style: int(start.style)}},
			spans: tb.arena[start.first : start.first+start.n],
		}
	}
	if s, ok := tb.cont[bk]; ok {
		return s
	}
	plain, mark := document.Continued(tb.texts[bk])
	runs := []textRun{{text: plain, style: int(start.style)}, {text: mark, style: italic}}
	if plain == "" {
		runs = runs[1:]
	}
	s := segText{runs: runs, spans: wrap(runs, tb.st.size, tb.colText(c), nil)}
	tb.cont[bk] = s
	return s
}

func (tb *tableBlock) segNeed(s segText) float64 {
	n := countLines(s.spans)
	if n == 0 {
		return 0
	}
	return float64(n)*tb.lh + 2*tb.st.padY
}

// heights works out row i's height when its content is contentH and it
// starts at top: stretched so a merged block ending here holds its text.
// needTop is the tallest merged text that would begin here.
func (tb *tableBlock) heights(i int, top, contentH float64, firstOnPage, last bool) (h, needTop float64) {
	h = contentH
	for _, c := range tb.mcols {
		if tb.cells[i*tb.nc()+c].role == roleNone {
			continue
		}
		var segTop, need float64
		if tb.startsSeg(i, c, firstOnPage) {
			segTop, need = top, tb.segNeed(tb.segFor(i, c))
			needTop = max(needTop, need)
		} else {
			segTop, need = tb.segs[c].startY, tb.segs[c].need
		}
		if last && tb.blockEnds(i, c) {
			h = max(h, segTop+need-top)
		}
	}
	return h, needTop
}

// tagTable makes the table's structure elements: Table, its Caption, a
// THead of column headers, and a TBody of rows whose cells span the rows
// of their merged blocks; a group band is a row of one header cell across
// the table.
func (tb *tableBlock) tagTable(c *canvas) {
	nc := tb.nc()
	table := c.newElem(sTable, -1)
	if tb.caption != nil {
		tb.capElem = c.newElem(sCaption, table)
	}
	if !tb.st.keys {
		// A column without a title still has its header cell, named as
		// the HTML names it, so every cell has a header to be read with.
		tr := c.newElem(sTR, c.newElem(sTHead, table))
		for col := range nc {
			th := c.newElem(sTH, tr)
			c.elems[th].scope = scopeColumn
			if col == 0 {
				tb.headElem = th
			}
			if !tb.st.header || tb.titles[col] == "" {
				c.alts = append(c.alts, alt{th, "Column " + strconv.Itoa(col+1)})
			}
		}
	}
	if len(tb.rows) == 0 {
		return
	}
	body := c.newElem(sTBody, table)
	for i := range tb.rows {
		row := &tb.rows[i]
		if row.bandN > 0 {
			th := c.newElem(sTH, c.newElem(sTR, body))
			c.elems[th].scope = scopeRow
			c.elems[th].colSpan = int32(nc)
			row.bandElem = th
		}
		tr := c.newElem(sTR, body)
		for col := range nc {
			k := i*nc + col
			ci := &tb.cells[k]
			if ci.role == roleCont && row.bandN == 0 {
				ci.elem = -1 // under the merged cell above
				continue
			}
			typ := uint8(sTD)
			if tb.st.keys && col == 0 {
				typ = sTH
			}
			e := c.newElem(typ, tr)
			if typ == sTH {
				c.elems[e].scope = scopeRow
			}
			if ci.role != roleNone {
				span := int32(1)
				for j := i + 1; j < len(tb.rows) && tb.rows[j].bandN == 0 && tb.cells[j*nc+col].role == roleCont; j++ {
					span++
				}
				c.elems[e].rowSpan = span
			}
			ci.elem = e
		}
	}
}

func (tb *tableBlock) draw(r *renderer) {
	r.ensure(tb.lead())
	tb.tagTable(r.f)
	if tb.caption != nil {
		r.y += 0.5
		flow(r, tb.capRuns, tb.caption, tb.x[0], tb.capSize, tb.capSize*1.2*ptMM, tb.capElem)
		r.y += 1
	}
	tb.beginPage(r)
	for i := range tb.rows {
		tb.place(r, i)
	}
	tb.flush(r)
	r.y += blockAfter
}

func (tb *tableBlock) beginPage(r *renderer) {
	tb.entries = tb.entries[:0]
	tb.drawn = tb.drawn[:0]
	tb.next = 0
	tb.onPage = 0
	tb.pageTop = r.y
	for c := range tb.segs {
		tb.segs[c].active = false
	}
	if tb.st.header {
		tb.entries = append(tb.entries, entry{kind: entryHeader, y: r.y, h: tb.headH})
		r.y += tb.headH
	}
}

func (tb *tableBlock) pageBreak(r *renderer) {
	tb.flush(r)
	r.nextPage()
	tb.beginPage(r)
}

// fresh reports whether nothing but the header is on this page yet.
func (tb *tableBlock) fresh(r *renderer) bool {
	return tb.onPage == 0 && tb.pageTop <= r.top+eps
}

// place puts row i on this page, or the next, or splits it across pages
// when it is taller than a page.
func (tb *tableBlock) place(r *renderer, i int) {
	row := &tb.rows[i]
	for {
		first := tb.onPage == 0
		h, needTop := tb.heights(i, r.y+row.bandH, row.h, first, true)
		if r.y+row.bandH+max(h, needTop) <= r.bottom+eps {
			tb.put(r, i, 0, int(row.lines), h, first, true)
			return
		}
		if row.bandH+row.h > tb.room-tb.headH+eps {
			tb.split(r, i)
			return
		}
		if tb.fresh(r) {
			// Cannot happen: merged texts taller than a page are unmerged.
			tb.put(r, i, 0, int(row.lines), min(h, r.bottom-r.y-row.bandH), first, true)
			return
		}
		tb.pageBreak(r)
	}
}

// split draws row i line by line over as many pages as it needs; every
// part has its borders and the header above it.
func (tb *tableBlock) split(r *renderer, i int) {
	row := &tb.rows[i]
	total := int(row.lines)
	from := 0
	for from < total {
		first := tb.onPage == 0
		bandH := 0.0
		if from == 0 {
			bandH = row.bandH
		}
		k := int(math.Floor((r.bottom - r.y - bandH - 2*tb.st.padY + eps) / tb.lh))
		rem := total - from
		fresh := tb.fresh(r)
		if k < min(3, rem) && !fresh {
			tb.pageBreak(r)
			continue
		}
		k = max(k, 1)
		if k >= rem {
			h, needTop := tb.heights(i, r.y+bandH, float64(rem)*tb.lh+2*tb.st.padY, first, true)
			if r.y+bandH+max(h, needTop) > r.bottom+eps && !fresh {
				tb.pageBreak(r)
				continue
			}
			tb.put(r, i, from, total, min(h, r.bottom-r.y-bandH), first, true)
			return
		}
		h, needTop := tb.heights(i, r.y+bandH, float64(k)*tb.lh+2*tb.st.padY, first, false)
		if r.y+bandH+needTop > r.bottom+eps && !fresh {
			tb.pageBreak(r)
			continue
		}
		tb.put(r, i, from, from+k, h, first, false)
		from += k
		tb.pageBreak(r)
	}
}

// put records lines [from, to) of row i at y, with its band when from is 0.
func (tb *tableBlock) put(r *renderer, i, from, to int, h float64, first, last bool) {
	row := &tb.rows[i]
	if from == 0 && row.bandN > 0 {
		tb.entries = append(tb.entries, entry{kind: entryBand, row: int32(i), y: r.y, h: row.bandH})
		r.y += row.bandH
	}
	for _, c := range tb.mcols {
		if tb.cells[i*tb.nc()+c].role == roleNone {
			tb.segs[c].active = false
			continue
		}
		if tb.startsSeg(i, c, first) {
			s := tb.segFor(i, c)
			tb.segs[c] = segState{active: true, startY: r.y, need: tb.segNeed(s)}
			// The text of a merged cell is its cell's where the cell
			// begins; drawn again on a later page, it is a repeat.
			e := int32(artPagination)
			if ci := tb.cells[i*tb.nc()+c]; from == 0 && (ci.role == roleStart || row.bandN > 0) {
				e = ci.elem
			}
			tb.drawn = append(tb.drawn, segDraw{col: c, y: r.y, txt: s, elem: e})
		}
	}
	tb.entries = append(tb.entries, entry{kind: entryRow, row: int32(i), from: int32(from), to: int32(to), y: r.y, h: h})
	r.y += h
	tb.onPage++
	if last {
		for _, c := range tb.mcols {
			if tb.segs[c].active && tb.blockEnds(i, c) {
				tb.segs[c].active = false
			}
		}
	}
}

// flush draws the page's entries: backgrounds, then text, then rules.
func (tb *tableBlock) flush(r *renderer) {
	if len(tb.entries) == 0 || tb.onPage == 0 && len(tb.rows) > 0 {
		// Nothing, or a header with no row under it: leave the page be.
		tb.entries = tb.entries[:0]
		return
	}
	// A merged text still running at the page foot needs its room.
	if last := &tb.entries[len(tb.entries)-1]; last.kind == entryRow {
		d := 0.0
		for _, c := range tb.mcols {
			if s := tb.segs[c]; s.active {
				d = max(d, s.startY+s.need-r.y)
			}
		}
		d = min(d, r.bottom-r.y)
		if d > 0 {
			last.h += d
			r.y += d
		}
	}
	nc := tb.nc()
	x0, x1 := tb.x[0], tb.x[nc]
	st := tb.st

	// Backgrounds.
	r.f.tag(artLayout)
	for _, e := range tb.entries {
		switch e.kind {
		case entryHeader:
			if st.header {
				r.fillRect(x0, e.y, x1-x0, e.h, headFill)
			}
		case entryBand:
			r.fillRect(x0, e.y, x1-x0, e.h, bandFill)
		case entryRow:
			base := int(e.row) * nc
			for c := range nc {
				ci := tb.cells[base+c]
				fill := ci.fill
				if ci.role == roleCont {
					fill = tb.cells[int(ci.blk)*nc+c].fill
				}
				if fill >= 0 {
					r.fillRect(tb.x[c], e.y, tb.x[c+1]-tb.x[c], e.h, hexRGB(fill))
				}
			}
		}
	}

	// Text.
	r.setFill(black)
	r.setTextColor(black)
	for _, e := range tb.entries {
		switch e.kind {
		case entryHeader:
			r.f.tag(artPagination)
			for c := range nc {
				if !tb.headTagged {
					r.f.tag(tb.headElem + int32(c))
				}
				sp := tb.headSpans[tb.headFirst[c]:tb.headFirst[c+1]]
				size := tb.headSize[c]
				lh := size * 1.2 * ptMM
				for j, s := range sp {
					tb.cellLine(r, c, e.y+st.padY+float64(j)*lh, withBreak(tb.titles[c], s.start, s.end), bold, size)
				}
			}
			tb.headTagged = true
		case entryBand:
			row := tb.rows[e.row]
			band := tb.bands[row.band]
			r.f.tag(row.bandElem)
			for j := range row.bandN {
				s := tb.arena[row.bandFirst+j]
				b := baseline(e.y+st.padY+float64(j)*tb.lh, tb.lh, st.size)
				r.text(x0+st.padX, b, withBreak(band, s.start, s.end), bold, st.size)
			}
		case entryRow:
			base := int(e.row) * nc
			for c := range nc {
				ci := tb.cells[base+c]
				if ci.role != roleNone || ci.n == 0 {
					continue
				}
				txt := tb.texts[base+c]
				r.f.tag(ci.elem)
				to := min(e.to, ci.n)
				for j := e.from; j < to; j++ {
					s := tb.arena[ci.first+j]
					tb.cellLine(r, c, e.y+st.padY+float64(j-e.from)*tb.lh, withBreak(txt, s.start, s.end), int(ci.style), st.size)
				}
			}
			for tb.next < len(tb.drawn) && tb.drawn[tb.next].y <= e.y+eps {
				d := tb.drawn[tb.next]
				tb.next++
				r.f.tag(d.elem)
				y := d.y + st.padY
				j := 0 // index in d.txt.spans
				for _, line := range lineSlices(d.txt.spans) {
					x := tb.x[d.col] + st.padX
					if a := tb.cols[d.col].Align; a != document.Left {
						w := 0.0
						for _, s := range line {
							run := d.txt.runs[s.run]
							w += textWidth(run.text[s.start:s.end], run.style, st.size)
						}
						if a == document.Right {
							x = tb.x[d.col+1] - st.padX - w
						} else {
							x = (tb.x[d.col]+tb.x[d.col+1])/2 - w/2
						}
					}
					for k, s := range line {
						run := d.txt.runs[s.run]
						t := run.text[s.start:s.end]
						if k == len(line)-1 {
							t = lineEnd(d.txt.runs, d.txt.spans, j)
						}
						r.text(x, baseline(y, tb.lh, st.size), t, run.style, st.size)
						x += textWidth(t, run.style, st.size)
						j++
					}
					y += tb.lh
				}
			}
		}
	}

	// Rules.
	r.f.tag(artLayout)
	r.f.setLineWidth(0.2)
	r.f.setDrawColor(ruleColor)
	top := tb.entries[0].y
	bottom := r.y
	r.f.line(x0, top, x0, bottom)
	r.f.line(x1, top, x1, bottom)
	r.f.line(x0, bottom, x1, bottom)
	runTop := top
	inner := func(to float64) {
		if to > runTop+eps {
			for c := 1; c < nc; c++ {
				r.f.line(tb.x[c], runTop, tb.x[c], to)
			}
		}
	}
	rowsSeen := 0
	for _, e := range tb.entries {
		switch e.kind {
		case entryHeader:
			r.f.line(x0, e.y, x1, e.y)
		case entryBand:
			inner(e.y)
			r.f.line(x0, e.y, x1, e.y)
			runTop = e.y + e.h
		case entryRow:
			// The top rule, except above a merged block's later cells.
			base := int(e.row) * nc
			from := -1
			for c := 0; c <= nc; c++ {
				draw := false
				if c < nc {
					ci := tb.cells[base+c]
					draw = ci.role != roleCont || tb.startsSeg(int(e.row), c, rowsSeen == 0)
				}
				if draw && from < 0 {
					from = c
				}
				if !draw && from >= 0 {
					r.f.line(tb.x[from], e.y, tb.x[c], e.y)
					from = -1
				}
			}
			rowsSeen++
		}
	}
	inner(bottom)
	tb.entries = tb.entries[:0]
}

// cellLine draws one line of text in column c, aligned.
func (tb *tableBlock) cellLine(r *renderer, c int, y float64, s string, style int, size float64) {
	if s == "" {
		return
	}
	x := tb.x[c] + tb.st.padX
	w := func() float64 { return textWidth(strings.TrimSuffix(s, " "), style, size) } // not the break's space
	switch tb.cols[c].Align {
	case document.Right:
		x = tb.x[c+1] - tb.st.padX - w()
	case document.Center:
		x = (tb.x[c]+tb.x[c+1])/2 - w()/2
	}
	r.text(x, baseline(y, size*1.2*ptMM, size), s, style, size)
}

// lineSlices groups spans by line.
func lineSlices(sp []span) [][]span {
	var out [][]span
	for i, s := range sp {
		if s.newLine || i == 0 {
			out = append(out, sp[i:i+1])
		} else {
			out[len(out)-1] = sp[i-len(out[len(out)-1]) : i+1]
		}
	}
	return out
}

// parseHex reads "RRGGBB" or "#RRGGBB"; -1 when s is empty or malformed.
func parseHex(s string) int32 {
	s = strings.TrimPrefix(strings.TrimSpace(s), "#")
	if len(s) != 6 {
		return -1
	}
	v, err := strconv.ParseUint(s, 16, 32)
	if err != nil {
		return -1
	}
	return int32(v)
}

func hexRGB(v int32) rgb { return rgb{int(v >> 16 & 0xff), int(v >> 8 & 0xff), int(v & 0xff)} }

var kvStyle = tableStyle{size: bodySize, padX: 2, padY: 1.6, keys: true}

// prepareKeyValue lays a key–value box out as a two-column table with bold
// keys, the columns as the model's KeyValue.Columns shares them.
func (r *renderer) prepareKeyValue(kv document.KeyValue) prepared {
	w := r.right - r.left
	pad := 2 * kvStyle.padX
	t := document.Table{Columns: kv.Columns(w, 25, func(s string, b bool) float64 {
		style := regular
		if b {
			style = bold
		}
		widest := 0.0
		for _, line := range strings.Split(clean(s), "\n") {
			widest = max(widest, textWidth(line, style, kvStyle.size)+pad)
		}
		return widest
	})}
	for _, p := range kv.Pairs {
		t.Rows = append(t.Rows, document.Row{Cells: []document.Cell{{Text: clean(p.Key), Bold: true}, {Text: clean(p.Value)}}})
	}
	return r.layoutTable(&t, kvStyle, r.left, w)
}

// capText cuts text, ending it with "…", so that it wraps to n lines at
// most: for headers and bands that would otherwise not fit on a page.
func capText(text string, style int, size, width float64, n int) string {
	n = max(n, 1)
	runs := []textRun{{text: text, style: style}}
	sp := wrap(runs, size, width, nil)
	if countLines(sp) <= n {
		return text
	}
	lines := lineSlices(sp)
	t := text[:lines[n-1][len(lines[n-1])-1].end]
	for len(t) > 0 {
		cand := strings.TrimRight(t, " \n") + "…"
		if countLines(wrap([]textRun{{text: cand, style: style}}, size, width, nil)) <= n {
			return cand
		}
		_, sz := utf8.DecodeLastRuneInString(t)
		t = t[:len(t)-sz]
	}
	return "…"
}
