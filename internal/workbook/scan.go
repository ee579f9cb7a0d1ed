package workbook

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"slices"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// sheetMeta is what the streaming row reader does not give: hidden
// columns, merged ranges, and the style and type of the cells whose
// formatting matters (dates and RAG colours).
type sheetMeta struct {
	hiddenCols map[int]bool
	colStyle   map[int]int
	rowStyle   map[int]int
	merges     []mergeRange
	cells      cellIndex
}

type mergeRange struct{ r1, c1, r2, c2 int }

type cellKey struct{ row, col int }

type cellInfo struct {
	style int
	typ   string // the t attribute: "" or "n" for numbers, "s", "str", "inlineStr", "b", "e", "d"
	found bool   // whether the sheet has the cell
}

// cellIndex holds the cellInfo of the cells in the few columns whose
// formatting matters: for each such column, the cells by row. A plan's
// sheet has one in almost every row; a map of cells was a tenth of the
// time of reading a large plan.
type cellIndex map[int][]cellInfo

// get returns the cell's info, and whether the sheet has the cell.
func (x cellIndex) get(k cellKey) (cellInfo, bool) {
	if col := x[k.col]; k.row >= 0 && k.row < len(col) {
		return col[k.row], col[k.row].found
	}
	return cellInfo{}, false
}

// set records a cell's info. Rows are from 0 (a row numbered 0 in the XML)
// and bounded by the caller.
func (x cellIndex) set(k cellKey, info cellInfo) {
	col := x[k.col]
	if k.row >= len(col) {
		// at least doubling: a column grows a row at a time
		col = slices.Grow(col, max(k.row+1-len(col), len(col)))[:k.row+1]
	}
	info.found = true
	col[k.row] = info
	x[k.col] = col
}

// scanSheet reads a worksheet part's XML once, as a byte stream, for the
// metadata the row reader lacks. excelize's GetMergeCells, GetColVisible and
// GetCellStyle would each decode the whole sheet into memory first, which
// doubles the time of a read and its memory for a large sheet.
//
// It records the style and type of cells in rows up to maxRow and in the
// columns that wanted accepts. wanted is called once, when the sheet's data
// starts, with the hidden columns (which the sheet lists before its data).
func scanSheet(r io.Reader, maxRow int, wanted func(hiddenCols map[int]bool) func(col int) bool) (*sheetMeta, error) {
	ms := newMetaScan(maxRow, wanted)
	br := bufio.NewReaderSize(r, scanBuffer)
	for {
		if err := skipPast(br, '<'); err != nil {
			if err == io.EOF {
				return ms.m, nil
			}
			return ms.m, err
		}
		tag, err := br.ReadSlice('>')
		if errors.Is(err, bufio.ErrBufferFull) {
			// A tag longer than the buffer is none we want.
			if err := skipPast(br, '>'); err != nil && err != io.EOF {
				return ms.m, err
			}
			continue
		}
		if err != nil {
			if err == io.EOF {
				return ms.m, nil
			}
			return ms.m, err
		}
		if len(tag) == 0 {
			continue
		}
		switch tag[0] {
		case '/', '?':
			continue
		case '!':
			if err := skipMarkup(br, tag); err != nil {
				return ms.m, err
			}
			continue
		}
		ms.tag(splitTag(tag))
	}
}

// scanBuffer is scanSheet's buffer: the longest tag it reads.
const scanBuffer = 64 << 10

// metaScan collects a sheet's metadata from its start tags, in order.
type metaScan struct {
	m        *sheetMeta
	maxRow   int
	wanted   func(hiddenCols map[int]bool) func(col int) bool
	want     func(int) bool
	row, col int
}

func newMetaScan(maxRow int, wanted func(hiddenCols map[int]bool) func(col int) bool) *metaScan {
	return &metaScan{maxRow: maxRow, wanted: wanted,
		m: &sheetMeta{hiddenCols: map[int]bool{}, colStyle: map[int]int{}, rowStyle: map[int]int{}, cells: cellIndex{}}}
}

func (ms *metaScan) startData() {
	if ms.want == nil {
		ms.want = ms.wanted(ms.m.hiddenCols)
	}
}

// tag reads one start tag: its local name, and its attributes as written.
func (ms *metaScan) tag(name, attrs []byte) {
	m := ms.m
	switch string(name) {
	case "sheetData":
		ms.startData()
	case "row":
		ms.startData()
		if r, ok := intAttr(attrs, "r"); ok {
			ms.row = r
		} else {
			ms.row++
		}
		ms.col = 0
		if s, ok := intAttr(attrs, "s"); ok && boolAttr(attrs, "customFormat") {
			m.rowStyle[ms.row] = s
		}
	case "c":
		if ref, ok := attr(attrs, "r"); ok {
			c, r, err := excelize.CellNameToCoordinates(string(ref))
			if err != nil {
				return
			}
			ms.col, ms.row = c, r
		} else {
			ms.col++
		}
		ms.startData()
		if ms.row <= ms.maxRow && ms.want(ms.col) {
			s, _ := intAttr(attrs, "s")
			t, _ := attr(attrs, "t")
			m.cells.set(cellKey{ms.row, ms.col}, cellInfo{style: s, typ: cellType(t)})
		}
	case "col":
		lo, ok1 := intAttr(attrs, "min")
		hi, ok2 := intAttr(attrs, "max")
		if !ok1 || !ok2 || lo < 1 || hi < lo || hi > excelize.MaxColumns {
			return
		}
		hidden := boolAttr(attrs, "hidden")
		s, styled := intAttr(attrs, "style")
		if hi-lo > 256 && !hidden {
			// "style the whole sheet" ranges: keep only the columns a plan uses
			hi = lo + 256
		}
		for c := lo; c <= hi; c++ {
			if hidden {
				m.hiddenCols[c] = true
			}
			if styled && s > 0 {
				m.colStyle[c] = s
			}
		}
	case "mergeCell":
		ref, ok := attr(attrs, "ref")
		if !ok {
			return
		}
		if mr, ok := parseRange(string(ref)); ok {
			m.merges = append(m.merges, mr)
		}
	}
}

// cellType is a cell's t attribute as a string, without allocating one for
// the types there are.
func cellType(t []byte) string {
	for _, known := range []string{"", "n", "s", "str", "inlineStr", "b", "e", "d"} {
		if string(t) == known {
			return known
		}
	}
	return string(t)
}

// skipPast discards input up to and including the next delim.
func skipPast(br *bufio.Reader, delim byte) error {
	for {
		_, err := br.ReadSlice(delim)
		if !errors.Is(err, bufio.ErrBufferFull) {
			return err
		}
	}
}

// skipMarkup skips the rest of a comment or CDATA section whose start (up to
// the first '>') is tag.
func skipMarkup(br *bufio.Reader, tag []byte) error {
	var end []byte
	switch {
	case bytes.HasPrefix(tag, []byte("!--")):
		end = []byte("-->")
	case bytes.HasPrefix(tag, []byte("![CDATA[")):
		end = []byte("]]>")
	default:
		return nil
	}
	// tag ends with '>'; the section ends when the text before a '>' ends the marker.
	last := append([]byte(nil), tag[max(0, len(tag)-3):]...)
	for !bytes.HasSuffix(last, end) {
		chunk, err := br.ReadSlice('>')
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			if err == io.EOF {
				return nil
			}
			return err
		}
		last = append(last, chunk...)
		last = last[max(0, len(last)-3):]
	}
	return nil
}

// splitTag splits a start tag's bytes (after '<', up to '>') into its local
// name (any namespace prefix dropped) and the rest.
func splitTag(tag []byte) (name, attrs []byte) {
	end := bytes.IndexAny(tag, " \t\r\n/>")
	if end < 0 {
		end = len(tag)
	}
	name, attrs = tag[:end], tag[end:]
	if i := bytes.IndexByte(name, ':'); i >= 0 {
		name = name[i+1:]
	}
	return name, attrs
}

// attr returns the value of the attribute key (no namespace prefix) in a
// tag's attribute bytes. Entities are not decoded: the attributes read here
// are references and numbers.
func attr(attrs []byte, key string) ([]byte, bool) {
	for len(attrs) > 0 {
		eq := bytes.IndexByte(attrs, '=')
		if eq < 0 {
			return nil, false
		}
		name := bytes.TrimSpace(attrs[:eq])
		if i := bytes.IndexByte(name, ':'); i >= 0 {
			name = name[i+1:]
		}
		rest := bytes.TrimLeft(attrs[eq+1:], " \t\r\n")
		if len(rest) == 0 || (rest[0] != '"' && rest[0] != '\'') {
			return nil, false
		}
		q := rest[0]
		end := bytes.IndexByte(rest[1:], q)
		if end < 0 {
			return nil, false
		}
		if string(name) == key {
			return rest[1 : 1+end], true
		}
		attrs = rest[end+2:]
	}
	return nil, false
}

func intAttr(attrs []byte, key string) (int, bool) {
	v, ok := attr(attrs, key)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(string(v))
	return n, err == nil && n >= 0
}

func boolAttr(attrs []byte, key string) bool {
	v, _ := attr(attrs, key)
	return string(v) == "1" || string(v) == "true"
}

// parseRange reads "A4:A9" (or a single cell "A4").
func parseRange(ref string) (mergeRange, bool) {
	from, to, ok := bytes.Cut([]byte(ref), []byte(":"))
	if !ok {
		to = from
	}
	c1, r1, err1 := excelize.CellNameToCoordinates(string(from))
	c2, r2, err2 := excelize.CellNameToCoordinates(string(to))
	if err1 != nil || err2 != nil {
		return mergeRange{}, false
	}
	if r2 < r1 {
		r1, r2 = r2, r1
	}
	if c2 < c1 {
		c1, c2 = c2, c1
	}
	return mergeRange{r1, c1, r2, c2}, true
}
