package workbook

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// This file reads a sheet's cells from its XML, as excelize's streaming
// Rows iterator does, at a fraction of the cost: excelize decodes every
// cell through encoding/xml's reflection, which took most of the time and
// memory of reading a large plan.
//
// It gives what excelize gives, not what a fresh reading of the OOXML
// standard would: it is a port of excelize v2.11's Rows (rows.go: Next,
// Columns, rowXMLHandler, cellXMLHandler) and of getValueFrom with raw
// values (cell.go), run on the bytes excelize would read, quirks included
// (cells placed by their column alone, a row numbered below the one before
// it joining that row, the values of shared strings' and inline strings'
// last <t>). What it does not read exactly as excelize does, it hands back
// (errSlowPath) and the caller reads the sheet with excelize.
// TestFastRowsMatchExcelize holds the two readers to the same answers.

// rowSource is a sheet's rows as excelize's Rows iterator gives them.
type rowSource interface {
	next() bool
	columns() ([]string, error)
	hidden() bool // whether the row columns last read is hidden
	err() error
}

// excelizeRows is excelize's own Rows iterator as a rowSource.
type excelizeRows struct{ r *excelize.Rows }

func (x excelizeRows) next() bool                 { return x.r.Next() }
func (x excelizeRows) columns() ([]string, error) { return x.r.Columns() }
func (x excelizeRows) hidden() bool               { return x.r.GetRowOpts().Hidden }
func (x excelizeRows) err() error                 { return x.r.Error() }

// sheetRows reads a worksheet's rows from its XML: the rowSource that
// excelize's Rows would be, read with an xmlScanner.
type sheetRows struct {
	s   *xmlScanner
	sst []string

	// As in excelize's Rows: the row number last read and the row the
	// caller is at; the start tag of a row read ahead (token), and the
	// hidden flags excelize keeps in curRowOpts and seekRowOpts.
	curRow, seekRow       int
	pending               bool
	pendingAttrs          []byte
	curHidden, seekHidden bool
	fail                  error

	width int // the most cells in a row so far: room to make for the next
}

func (r *sheetRows) err() error   { return r.fail }
func (r *sheetRows) hidden() bool { return r.curHidden }

// next moves to the next row, as excelize's Rows.Next does: a row missing
// from the XML is there, empty.
func (r *sheetRows) next() bool {
	if r.fail != nil {
		return false
	}
	r.seekRow++
	if r.curRow >= r.seekRow {
		r.curHidden = r.seekHidden
		return true
	}
	for {
		k, err := r.s.next()
		if err != nil {
			r.fail = err
			return false
		}
		switch k {
		case tokEOF:
			return false
		case tokStart:
			if string(localName(r.s.name)) != "row" {
				continue
			}
			r.curRow++
			n, _ := atoiAttr(r.s.attrs, "r")
			if n > excelize.TotalRows {
				r.fail = errSlowPath // excelize: ErrMaxRows
				return false
			}
			if n != 0 {
				r.curRow = n
			}
			r.pending, r.pendingAttrs = true, r.s.attrs
			r.curHidden = hiddenAttr(r.s.attrs)
			return true
		case tokEnd:
			if string(localName(r.s.name)) == "sheetData" {
				return false
			}
		}
	}
}

// columns reads the current row's cells, as excelize's Rows.Columns does
// with raw values: each cell's text at its column, "" in the columns
// between, nothing after the last cell with a value or a formula.
func (r *sheetRows) columns() ([]string, error) {
	if r.fail != nil {
		return nil, r.fail
	}
	if r.curRow > r.seekRow {
		return nil, nil
	}
	var cells []string
	col := 0
	for {
		var attrs []byte
		isRow, isCell := r.pending, false
		if r.pending {
			attrs = r.pendingAttrs
		} else {
			k, err := r.s.next()
			if err != nil {
				r.fail = err
				return cells, err
			}
			if k == tokEOF {
				return cells, nil
			}
			if k == tokEnd && string(localName(r.s.name)) == "sheetData" {
				return cells, nil
			}
			if k != tokStart {
				continue
			}
			local := string(localName(r.s.name))
			isRow, isCell, attrs = local == "row", local == "c", r.s.attrs
		}
		if isRow {
			n, err := atoiAttr(attrs, "r")
			if err != nil || n > excelize.TotalRows {
				r.fail = errSlowPath // excelize reports an error
				return cells, r.fail
			}
			if n != 0 {
				r.curRow = n
			} else if !r.pending {
				r.curRow++
			}
			r.pending, r.pendingAttrs = true, attrs
			r.seekHidden = hiddenAttr(attrs)
			if r.curRow > r.seekRow {
				r.pending = false
				return cells, nil
			}
		}
		r.pending = false
		if isCell {
			col++
			var err error
			if cells, col, err = r.cell(cells, col); err != nil {
				r.fail = err
				return cells, err
			}
			r.width = max(r.width, len(cells))
		}
	}
}

// cell reads the cell whose start tag was just read, the col'th of its row
// unless its reference says otherwise, and appends its value to cells if
// it has one or a formula. It returns the cell's column.
func (r *sheetRows) cell(cells []string, col int) ([]string, int, error) {
	var ref, typ []byte
	for a := r.s.attrs; ; {
		name, value, rest, ok := nextAttr(a)
		if !ok {
			break
		}
		a = rest
		switch string(localName(name)) {
		case "r":
			ref = attrText(value)
		case "s":
			// excelize stops reading a cell whose style is not a number
			if _, err := strconv.ParseInt(string(attrText(value)), 10, 64); err != nil {
				return cells, col, errSlowPath
			}
		case "t":
			typ = attrText(value)
		}
	}
	shared := string(typ) == "s"
	var v []byte // the last <v>'s text
	var formula, isInline bool
	var inline richText
	for {
		k, err := r.s.next()
		if err != nil {
			return cells, col, err
		}
		if k == tokEnd {
			break
		}
		if k != tokStart {
			continue
		}
		switch string(localName(r.s.name)) {
		case "v":
			if v, err = r.s.elementBytes(); err != nil {
				return cells, col, err
			}
		case "f":
			if !formulaAttrsOK(r.s.attrs) {
				return cells, col, errSlowPath
			}
			if err := r.s.skip(); err != nil {
				return cells, col, err
			}
			formula = true
		case "is":
			isInline = true
			if err := readRichText(r.s, &inline); err != nil {
				return cells, col, err
			}
		default:
			// excelize would look inside it for <v>, <f>, <is> and the
			// cell's end tag: rare enough to leave to excelize.
			return cells, col, errSlowPath
		}
	}
	if len(ref) > 0 {
		c, _, ok := cellCoords(ref)
		if !ok {
			return cells, col, errSlowPath // excelize reports an error
		}
		col = c
	}
	var val string
	switch {
	case shared && len(v) > 0:
		i, _ := strconv.Atoi(string(bytes.TrimSpace(v)))
		if i < 0 || i >= len(r.sst) {
			return cells, col, errSlowPath // excelize reports an error
		}
		val = r.sst[i]
	case string(typ) == "inlineStr" && isInline:
		val = inline.String()
	default:
		val = string(v)
	}
	if val != "" || formula {
		if cells == nil {
			cells = make([]string, 0, max(r.width, col))
		}
		for len(cells) < col-1 {
			cells = append(cells, "")
		}
		cells = append(cells, val)
	}
	return cells, col, nil
}

// cellCoords reads a cell reference as excelize.CellNameToCoordinates
// does; ok is false where it gives an error. References as Excel writes
// them ("B12") are read here, without making a string of each; anything
// else is left to excelize.
func cellCoords(ref []byte) (col, row int, ok bool) {
	letters := 0
	for letters < len(ref) && letters < 3 && ref[letters] >= 'A' && ref[letters] <= 'Z' {
		letters++
	}
	digits := len(ref) - letters
	simple := letters > 0 && digits > 0 && digits <= 7
	for i := letters; simple && i < len(ref); i++ {
		simple = ref[i] >= '0' && ref[i] <= '9'
	}
	if !simple {
		c, r, err := excelize.CellNameToCoordinates(string(ref))
		return c, r, err == nil
	}
	for i := 0; i < letters; i++ {
		col = col*26 + int(ref[i]-'A'+1)
	}
	for i := letters; i < len(ref); i++ {
		row = row*10 + int(ref[i]-'0')
	}
	if row < 1 || row > excelize.TotalRows || col > excelize.MaxColumns {
		return -1, -1, false
	}
	return col, row, true
}

// atoiAttr reads an integer attribute as excelize's attrValToInt does: every
// attribute of that local name, the first that is no integer an error.
func atoiAttr(attrs []byte, key string) (val int, err error) {
	for a := attrs; ; {
		name, value, rest, ok := nextAttr(a)
		if !ok {
			return val, err
		}
		a = rest
		if string(localName(name)) == key {
			if val, err = strconv.Atoi(attrValue(value)); err != nil {
				return val, err
			}
		}
	}
}

// hiddenAttr reads a row's hidden attribute as excelize's extractRowOpts
// does: false unless every "hidden" attribute is a boolean and the last is
// true.
func hiddenAttr(attrs []byte) bool {
	hidden := false
	for a := attrs; ; {
		name, value, rest, ok := nextAttr(a)
		if !ok {
			return hidden
		}
		a = rest
		if string(localName(name)) == "hidden" {
			var err error
			if hidden, err = strconv.ParseBool(attrValue(value)); err != nil {
				return false
			}
		}
	}
}

// attrKind is the Go type encoding/xml decodes an attribute into, in the
// excelize structs the fast reader stands in for. A value that does not
// parse as its type is an error in excelize, so the fast reader checks it.
type attrKind uint8

const (
	attrInt attrKind = iota
	attrUint32
	attrFloat
	attrBool
)

// attrOK reports whether encoding/xml would decode every attribute of
// local name key in attrs into a kind: as its copyValue does, an empty
// value is zero, and others are parsed after trimming spaces.
func attrOK(attrs []byte, key string, kind attrKind) bool {
	for a := attrs; ; {
		name, value, rest, ok := nextAttr(a)
		if !ok {
			return true
		}
		a = rest
		if string(localName(name)) != key || len(value) == 0 {
			continue
		}
		v := strings.TrimSpace(attrValue(value))
		var err error
		switch kind {
		case attrInt:
			_, err = strconv.ParseInt(v, 10, 64)
		case attrUint32:
			_, err = strconv.ParseUint(v, 10, 32)
		case attrFloat:
			_, err = strconv.ParseFloat(v, 64)
		case attrBool:
			_, err = strconv.ParseBool(v)
		}
		if err != nil {
			return false
		}
	}
}

// formulaAttrsOK checks a cell formula's typed attributes (excelize's xlsxF).
func formulaAttrsOK(attrs []byte) bool {
	for _, key := range []string{"aca", "dt2D", "dtr", "del1", "del2", "ca", "bx"} {
		if !attrOK(attrs, key, attrBool) {
			return false
		}
	}
	return attrOK(attrs, "si", attrInt)
}

// richText is a shared string (<si>) or an inline string (<is>) as excelize
// decodes one (its xlsxSI): the text of its last <t>, and of each rich text
// run's last <t>; the phonetic runs (<rPh>) are no part of it.
type richText struct {
	t    string
	runs []byte
}

// String is the text, as excelize's xlsxSI.String gives it.
func (x *richText) String() string {
	s := x.t
	if len(x.runs) > 0 {
		s += string(x.runs)
	}
	return unescapeText(s)
}

// readRichText reads the content of the <si> or <is> whose start tag was
// just read into x, up to its end tag.
func readRichText(s *xmlScanner, x *richText) error {
	for {
		k, err := s.next()
		if err != nil {
			return err
		}
		if k == tokEnd {
			return nil
		}
		if k != tokStart {
			continue
		}
		switch string(localName(s.name)) {
		case "t":
			if x.t, err = s.elementText(); err != nil {
				return err
			}
			continue
		case "r":
			if err := readRun(s, x); err != nil {
				return err
			}
			continue
		case "rPh":
			if !attrOK(s.attrs, "sb", attrUint32) || !attrOK(s.attrs, "eb", attrUint32) {
				return errSlowPath
			}
		case "phoneticPr":
			if !attrOK(s.attrs, "fontId", attrInt) {
				return errSlowPath
			}
		}
		if err := s.skip(); err != nil {
			return err
		}
	}
}

// readRun reads a rich text run (<r>) and appends its text to x.
func readRun(s *xmlScanner, x *richText) error {
	var t string
	hasT := false
	for {
		k, err := s.next()
		if err != nil {
			return err
		}
		if k == tokEnd {
			if hasT {
				x.runs = append(x.runs, t...)
			}
			return nil
		}
		if k != tokStart {
			continue
		}
		switch string(localName(s.name)) {
		case "t":
			if t, err = s.elementText(); err != nil {
				return err
			}
			hasT = true
			continue
		case "rPr":
			if err := checkRunProps(s); err != nil {
				return err
			}
			continue
		}
		if err := s.skip(); err != nil {
			return err
		}
	}
}

// checkRunProps reads a run's properties (<rPr>), checking the attributes
// excelize's xlsxRPr decodes as numbers or booleans.
func checkRunProps(s *xmlScanner) error {
	for {
		k, err := s.next()
		if err != nil {
			return err
		}
		if k == tokEnd {
			return nil
		}
		if k != tokStart {
			continue
		}
		ok := true
		switch string(localName(s.name)) {
		case "charset", "family":
			ok = attrOK(s.attrs, "val", attrInt)
		case "b", "i", "strike", "outline", "shadow", "condense", "extend":
			ok = attrOK(s.attrs, "val", attrBool)
		case "sz":
			ok = attrOK(s.attrs, "val", attrFloat)
		case "color":
			ok = attrOK(s.attrs, "auto", attrBool) && attrOK(s.attrs, "indexed", attrInt) &&
				attrOK(s.attrs, "theme", attrInt) && attrOK(s.attrs, "tint", attrFloat)
		}
		if !ok {
			return errSlowPath
		}
		if err := s.skip(); err != nil {
			return err
		}
	}
}

// spreadsheetNS is the name space excelize requires of the shared strings'
// root element.
const spreadsheetNS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

// readSharedStrings reads a shared strings part as excelize decodes it into
// its xlsxSST: the text of each <si> of the root <sst>, which must be in
// the spreadsheet name space. An empty part has none.
func readSharedStrings(b []byte) ([]string, error) {
	// excelize rewrites Strict OOXML's name spaces throughout the part,
	// text included, before it decodes it.
	if bytes.Contains(b, []byte("purl.oclc.org")) {
		return nil, errSlowPath
	}
	s := newXMLScanner(b)
	for {
		k, err := s.next()
		if err != nil {
			return nil, err
		}
		if k == tokEOF {
			return nil, nil
		}
		if k == tokStart {
			break
		}
	}
	if string(s.name) != "sst" || defaultNS(s.attrs) != spreadsheetNS ||
		!attrOK(s.attrs, "count", attrInt) || !attrOK(s.attrs, "uniqueCount", attrInt) {
		return nil, errSlowPath
	}
	var out []string
	for {
		k, err := s.next()
		if err != nil {
			return nil, err
		}
		switch {
		case k == tokEnd:
			return out, nil
		case k != tokStart:
			continue
		case string(localName(s.name)) == "si":
			var x richText
			if err := readRichText(s, &x); err != nil {
				return nil, err
			}
			out = append(out, x.String())
		default:
			if err := s.skip(); err != nil {
				return nil, err
			}
		}
	}
}

// defaultNS is the default name space a start tag's attributes declare
// (the last xmlns="…"), or "".
func defaultNS(attrs []byte) string {
	ns := ""
	for a := attrs; ; {
		name, value, rest, ok := nextAttr(a)
		if !ok {
			return ns
		}
		a = rest
		if string(name) == "xmlns" {
			ns = attrValue(value)
		}
	}
}

// sharedStringsPart is the part excelize reads shared strings from,
// whatever the package calls it.
const sharedStringsPart = "xl/sharedStrings.xml"

// fastParts is what the fast reader needs of an opened workbook.
type fastParts struct {
	ok    bool              // whether the fast reader can be used at all
	paths map[string]string // sheet name → the part excelize reads it from
	sst   []string
	// Whether the package's content types decode. excelize reads them the
	// first time it reads a row's cells, and if they do not decode, that
	// first read of cells is an error (only that one).
	typesOK bool
}

// fastRows returns a fast reader of a sheet's rows, or nil when the sheet
// must be read with excelize. It reads the very bytes excelize would: the
// part excelize maps the sheet to, as excelize holds it in memory, or as
// pkg.split unpacked it (all of it, without an error, as excelize would).
func (rd *reader) fastRows(sheet string) *sheetRows {
	if rd.fast == nil {
		rd.fast = rd.prepareFast()
	}
	if !rd.fast.ok {
		return nil
	}
	if rd.f.SharedStrings == nil && !rd.fast.typesOK {
		return nil // excelize's first read of cells fails: let it fail where it did
	}
	// excelize refuses some sheet names, and sheets it has no part for.
	xr, err := rd.f.Rows(sheet)
	if err != nil {
		return nil
	}
	xr.Close()
	path := rd.fast.path(sheet)
	b, split := rd.sheets[path]
	if !split {
		v, _ := rd.f.Pkg.Load(path)
		b, _ = v.([]byte)
	}
	if len(b) == 0 {
		return nil // kept in a temporary file, or empty: excelize's business
	}
	return &sheetRows{s: newXMLScanner(b), sst: rd.fast.sst}
}

// path is the part excelize reads a sheet from. excelize looks the sheet up
// ignoring case; no two sheets' names differ only in case
// (excelizeSheetPaths).
func (fp *fastParts) path(sheet string) string {
	for name, p := range fp.paths {
		if strings.EqualFold(name, sheet) {
			return p
		}
	}
	return ""
}

func (rd *reader) prepareFast() *fastParts {
	if rd.pkg == nil || rd.pkg.dupNames {
		return &fastParts{}
	}
	paths, ok := excelizeSheetPaths(rd.f)
	if !ok {
		return &fastParts{}
	}
	fp := &fastParts{ok: true, paths: paths, typesOK: contentTypesDecode(rd.f)}
	if v, ok := rd.f.Pkg.Load(sharedStringsPart); ok {
		b, _ := v.([]byte)
		sst, err := readSharedStrings(b)
		if err != nil {
			return &fastParts{}
		}
		fp.sst = sst
	} else if rd.pkg.parts[strings.ToLower(sharedStringsPart)] != nil {
		return &fastParts{} // too large to hold in memory: excelize keeps it in a temporary file
	}
	return fp
}

// excelizeSheetPaths maps each sheet's name to the part excelize reads it
// from, found as excelize finds it (its getSheetMap, getWorkbookPath and
// getWorksheetPath): through the package relationships, then the
// workbook's, keeping the parts excelize holds in memory. ok is false when
// the fast reader should leave the workbook to excelize (Strict OOXML, a
// sheet with two relationships, two sheets of one name).
func excelizeSheetPaths(f *excelize.File) (map[string]string, bool) {
	wbPath := ""
	rootRels, ok := excelizeRels(f, "_rels/.rels")
	if !ok {
		return nil, false
	}
	for _, r := range rootRels {
		if r.Type == excelize.SourceRelationshipOfficeDocument {
			wbPath = strings.TrimPrefix(r.Target, "/")
			break
		}
	}
	relsPath := "_rels/" + filepath.Base(wbPath) + ".rels"
	if dir := filepath.Dir(wbPath); dir != "." {
		relsPath = strings.TrimPrefix(dir+"/_rels/"+filepath.Base(wbPath)+".rels", "/")
	}
	rels, ok := excelizeRels(f, relsPath)
	if !ok || f.WorkBook == nil {
		return nil, false
	}
	paths := map[string]string{}
	for i, sh := range f.WorkBook.Sheets.Sheet {
		// excelize keeps one part per name and looks names up ignoring
		// case: with two sheets of one name, which it reads is chance.
		for _, other := range f.WorkBook.Sheets.Sheet[:i] {
			if strings.EqualFold(other.Name, sh.Name) {
				return nil, false
			}
		}
		matched := 0
		for _, r := range rels {
			if r.ID != sh.ID {
				continue
			}
			if matched++; matched > 1 {
				return nil, false
			}
			p := filepath.ToSlash(strings.TrimPrefix(strings.ReplaceAll(filepath.Clean(fmt.Sprintf("%s/%s", filepath.Dir(wbPath), r.Target)), `\`, "/"), "/"))
			if strings.HasPrefix(r.Target, "/") {
				p = filepath.ToSlash(strings.TrimPrefix(strings.ReplaceAll(filepath.Clean(r.Target), `\`, "/"), "/"))
			}
			if _, ok := f.Pkg.Load(p); ok {
				paths[sh.Name] = p
			}
		}
	}
	return paths, true
}

// contentTypesDecode reports whether the package's content types decode as
// excelize's contentTypesReader decodes them. Only the root element's name
// matters: the rest is text, which decodes if the XML does.
func contentTypesDecode(f *excelize.File) bool {
	v, _ := f.Pkg.Load("[Content_Types].xml")
	b, _ := v.([]byte)
	if bytes.Contains(b, []byte("purl.oclc.org")) {
		return false
	}
	var types struct {
		XMLName xml.Name `xml:"http://schemas.openxmlformats.org/package/2006/content-types Types"`
	}
	err := xml.NewDecoder(bytes.NewReader(b)).Decode(&types)
	return err == nil || err == io.EOF
}

type excelizeRel struct {
	ID     string `xml:"Id,attr"`
	Target string `xml:",attr"`
	Type   string `xml:",attr"`
}

// excelizeRels decodes a relationships part as excelize's relsReader does;
// a part that is missing or does not decode has none. ok is false for a
// Strict OOXML part, whose name spaces excelize rewrites first.
func excelizeRels(f *excelize.File, name string) ([]excelizeRel, bool) {
	v, found := f.Pkg.Load(name)
	if !found {
		return nil, true
	}
	b, _ := v.([]byte)
	if bytes.Contains(b, []byte("purl.oclc.org")) {
		return nil, false
	}
	var rels struct {
		XMLName xml.Name      `xml:"http://schemas.openxmlformats.org/package/2006/relationships Relationships"`
		Rels    []excelizeRel `xml:"Relationship"`
	}
	if err := xml.NewDecoder(bytes.NewReader(b)).Decode(&rels); err != nil && err != io.EOF {
		return nil, true
	}
	return rels.Rels, true
}
