// Package workbook reads an improvement action plan's workbook (.xlsx), as
// officers really keep it, into a plan.Statement. It is the only package
// that uses excelize.
//
// What it copes with:
//
//   - Several sheets: the plan's sheet is the first of Options.SheetNames
//     that has a plan's header row, else the sheet whose best header row
//     maps the most fields. A hidden sheet is chosen only when no visible
//     one has a usable header row.
//   - Title rows above the header row (searched for in the first 30 rows);
//     the title is the first text above it, else the sheet's name.
//   - Header rows repeated further down (tables copied from Word repeat them
//     at page breaks) are skipped, and "2 continued" / "Recommendation 2
//     (continued)" markers continue recommendation 2.
//   - Merged cells: a recommendation cell merged down its actions applies to
//     all of them (any vertically merged cell fills down its first column).
//   - Renamed columns (Options.Columns), extra columns (kept in Action.Extra
//     and Statement.Columns), hidden helper columns (ignored unless their
//     header means a field).
//   - Recommendations in a column of their own, or as heading rows ("1.
//     Develop a vision…", "Recommendation 1: …", "R1 …", or a Ref column's
//     "1" above "1.1", "1.2") with phase rows ("WITHIN THREE MONTHS",
//     "Phase 2") between them.
//   - Dates as Excel dates, as numbers in a date column that are not
//     formatted as dates (read as serial numbers from 2000 to 2099, with a
//     warning), or as text read by package dates.
//   - RAG as a word (Red, Amber, Green, Blue, R, A, G, B) or only as a cell's
//     fill colour (Options.RAGColours, else the nearest of red, amber, green
//     and blue by hue). Conditional formatting is not evaluated: a colour
//     that only a rule gives is not seen.
//
// Nothing typed is dropped: text that cannot be understood is kept (as
// text, or in Action.Extra) and listed in Statement.Problems with its cell.
// A workbook that cannot be read at all gives an *Error.
//
// Decisions on the ambiguous cases:
//
//   - "Status" and "RAG status": a column headed RAG, RAG status or Status
//     (RAG) is the RAG column; one headed Status is the status. When there
//     is no RAG column, a Status cell holding only a RAG word (or only a
//     fill colour) gives the action's RAG as well; its text stays in
//     Action.Status.
//   - A RAG cell whose text is no RAG word keeps its text in Action.Extra
//     (with a warning unless its fill gives the RAG).
//   - When several columns mean one field, a visible column wins over a
//     hidden one, an exact header over a loose one ("Update (October)"),
//     then the leftmost; the others are kept in Action.Extra.
//   - Action.Extra holds only the extra cells that have text, in column
//     order; a column without a header but with text is "Column F".
//   - Lead owners are split on "/", "&", "+", ",", ";", line breaks and the
//     word "and": they are people, so "&" and "and" separate names.
//   - Roles: a "Lead Owners" block below the plan, then sheets named for
//     owners, officers or roles (two columns, name and role, under any
//     header row; or "Name: Role"), in order; Options.Roles adds the owners
//     they do not name (sorted by name). A name listed twice keeps its first
//     role; RoleFor's matching of names decides what "twice" is.
//   - A row with text but no action text is kept as an action without text,
//     with a warning. A hidden row is read, with a warning. An entirely
//     empty row is skipped. A recommendation without actions is kept.
//   - A number in a date column not formatted as a date is read as an Excel
//     serial date when it falls in 2000–2099 (a warning), else kept as text
//     (an error). The date parser's warnings, and single dates it cannot
//     read, are warnings. A cell showing a formula error (#REF!) is an
//     error.
//   - Problems are errors when something typed could not be read at all and
//     must be corrected; warnings otherwise.
package workbook

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"papers/internal/plan"
)

// Options says how to read a workbook. Zero fields take DefaultOptions'
// values.
type Options struct {
	// Columns maps a field to the header texts that mean it, matched
	// ignoring case, spacing, "(s)" and a trailing ':' or '.'. Fields:
	// "ref", "recommendation", "action", "owner", "schedule" (a combined
	// "Start date / Completion date" cell), "start", "target", "completed",
	// "update", "rag", "status". A field missing from the map keeps its
	// default synonyms; a field given an empty list matches no column.
	Columns map[string][]string
	// SheetNames are the plan's sheet names, tried first, in order.
	SheetNames []string
	// RAGColours maps a fill colour "RRGGBB" to the RAG it means, for RAG
	// given only as a cell's fill. Colours not listed are read by hue.
	RAGColours map[string]plan.RAG
	// Roles maps a lead owner's name to their role. A "Lead Owners" sheet
	// (or block below the plan) takes precedence: Roles adds the owners it
	// does not list.
	Roles map[string]string
	// MaxUnzipSize is the most a workbook may unpack to (default 256 MiB).
	MaxUnzipSize int64
	// MaxRows is the most rows the plan's sheet may have with text in them
	// (default 10,000). Rows below it that are only formatted do not count.
	// A plan at the limit is about 10,000 actions and a 1,700-page report,
	// which renders in well under 500 MB; a sheet with text further down is
	// refused as soon as the reader reaches it, so a 100,000-row sheet costs
	// a second, not a minute and gigabytes.
	MaxRows int
	// MaxRowsSetting names where the user sets MaxRows (a configuration
	// key), for the error that refuses a longer sheet; "" names none.
	MaxRowsSetting string
	// MaxText is the most characters of text a workbook's XML may hold in
	// all (default DefaultMaxText, in proportion for a MaxRows above its
	// default); no piece of it may be longer than MaxCellText. Both are
	// checked before the workbook is opened.
	MaxText int64
}

// DefaultOptions returns the column synonyms councils use, the usual plan
// sheet names and the usual RAG fill colours. Each call returns new maps.
func DefaultOptions() Options {
	return Options{
		Columns: map[string][]string{
			fieldRef:            {"Ref", "No.", "ID", "Reference"},
			fieldRecommendation: {"Recommendation", "Recommendations"},
			fieldAction:         {"Action", "Actions"},
			fieldOwner:          {"Lead Owner (s)", "Lead Owner(s)", "Lead Officer", "Lead person responsible", "Owner"},
			fieldSchedule:       {"Start date / Completion date"},
			fieldStart:          {"Start date"},
			fieldTarget:         {"Completion date", "Target date", "Deadline", "Due date"},
			fieldCompleted:      {"Date completed", "Completed", "Completion"},
			fieldUpdate:         {"Update", "Progress", "Progress update", "Position"},
			fieldRAG:            {"RAG", "RAG status", "Status (RAG)"},
			fieldStatus:         {"Status"},
		},
		SheetNames: []string{"Position Statement", "Action Plan"},
		RAGColours: map[string]plan.RAG{
			"FF0000": plan.RAGRed, "C00000": plan.RAGRed, "FFC7CE": plan.RAGRed,
			"FFC000": plan.RAGAmber, "FFBF00": plan.RAGAmber, "FFFF00": plan.RAGAmber, "FFEB9C": plan.RAGAmber,
			"00B050": plan.RAGGreen, "92D050": plan.RAGGreen, "00FF00": plan.RAGGreen, "C6EFCE": plan.RAGGreen,
			"0070C0": plan.RAGBlue, "00B0F0": plan.RAGBlue,
		},
		MaxUnzipSize: 256 << 20,
		MaxRows:      10000,
		MaxText:      DefaultMaxText,
	}
}

// prepare fills zero fields with the defaults and checks the rest.
func (o Options) prepare(file string) (Options, error) {
	d := DefaultOptions()
	cols := maps.Clone(d.Columns)
	for f, names := range o.Columns {
		if !slices.Contains(fields, f) {
			return o, &Error{File: file, Msg: "options name an unknown column field " + quote(f),
				Hint: "use one of " + strings.Join(fields, ", ")}
		}
		cols[f] = names
	}
	o.Columns = cols
	if o.SheetNames == nil {
		o.SheetNames = d.SheetNames
	}
	colours := map[string]plan.RAG{}
	if o.RAGColours == nil {
		o.RAGColours = d.RAGColours
	}
	for k, v := range o.RAGColours {
		colours[strings.ToUpper(strings.TrimPrefix(strings.TrimSpace(k), "#"))] = v
	}
	o.RAGColours = colours
	if o.MaxUnzipSize <= 0 {
		o.MaxUnzipSize = d.MaxUnzipSize
	}
	if o.MaxRows <= 0 {
		o.MaxRows = d.MaxRows
	}
	if o.MaxText <= 0 {
		// A longer plan may have more text.
		o.MaxText = d.MaxText / int64(d.MaxRows) * int64(max(o.MaxRows, d.MaxRows))
	}
	return o, nil
}

// ReadFile reads the workbook at path. Errors name the path as given; the
// statement's File is the file's base name.
func ReadFile(path string, opt Options) (*plan.Statement, error) {
	opt, err := opt.prepare(path)
	if err != nil {
		return nil, err
	}
	f, err := openFile(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	size := int64(0)
	if st, err := f.Stat(); err == nil {
		switch {
		case st.IsDir():
			return nil, &Error{File: path, Msg: "is a folder, not a workbook", Kind: ErrNotWorkbook}
		case st.Size() > opt.MaxUnzipSize:
			return nil, errTooLarge(path, opt.MaxUnzipSize)
		}
		size = st.Size()
	}
	return readWith(f, size, path, filepath.Base(path), opt, false)
}

// Read reads a workbook from r. name names it in errors and problems and
// becomes the statement's File.
func Read(r io.Reader, name string, opt Options) (*plan.Statement, error) {
	opt, err := opt.prepare(name)
	if err != nil {
		return nil, err
	}
	return readWith(r, 0, name, name, opt, false)
}

// readWith is Read and ReadFile's common path. size is the workbook's size
// when known, else 0. file names the workbook in errors, display in the
// statement. With excelizeRowsOnly, every sheet's rows are read with
// excelize's reader, as before the fast one (the tests compare the two).
//
// It reads the workbook first with excelize holding the package without
// its worksheets (pkg.split), and the fast reader reading them all. If
// excelize's own reader of rows is wanted after all, for a sheet the fast
// one leaves to it, it reads the workbook again with excelize holding the
// whole package.
func readWith(r io.Reader, size int64, file, display string, opt Options, excelizeRowsOnly bool) (*plan.Statement, error) {
	b, err := readAll(io.LimitReader(r, opt.MaxUnzipSize+1), size)
	if err != nil {
		return nil, &Error{File: file, Msg: "cannot be read (" + err.Error() + ")", Err: err}
	}
	p, err := openPackage(b, file, opt)
	if err != nil {
		return nil, err
	}
	var s *plan.Statement
	err = errRestart
	if !excelizeRowsOnly {
		if thin, sheets, ok := p.split(opt.MaxUnzipSize); ok {
			s, err = readPackage(thin, sheets, p, file, opt, false)
			releaseSheets(sheets)
		}
	}
	if err == errRestart {
		s, err = readPackage(b, nil, p, file, opt, excelizeRowsOnly)
	}
	if err != nil {
		return nil, err
	}
	s.File = display
	return s, nil
}

// readAll is io.ReadAll, making room for size bytes at once.
func readAll(r io.Reader, size int64) ([]byte, error) {
	b := make([]byte, 0, max(size+1, 512)) // +1: reading to the end needs room for one more
	for {
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err != nil {
			if err == io.EOF {
				err = nil
			}
			return b, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
	}
}

// errRestart says the workbook must be read again, with excelize holding
// the whole package.
var errRestart = errors.New("workbook: read again with the whole package")

// readPackage reads a statement from b, the checked package p or, with
// sheets, p split (pkg.split): then any need of excelize's reader of rows
// is errRestart.
func readPackage(b []byte, sheets map[string][]byte, p *pkg, file string, opt Options, excelizeRowsOnly bool) (*plan.Statement, error) {
	f, err := openExcelize(b, file, opt.MaxUnzipSize)
	if err != nil {
		if sheets != nil {
			return nil, errRestart // let the whole package say what is wrong
		}
		return nil, err
	}
	defer f.Close()
	rd := &reader{f: f, pkg: p, sheets: sheets, opt: opt, file: file, m: newMatcher(opt.Columns)}
	if excelizeRowsOnly {
		rd.fast = &fastParts{}
	}
	return rd.statement()
}

// reader reads one opened workbook.
type reader struct {
	f      *excelize.File
	pkg    *pkg
	sheets map[string][]byte // the worksheets, when f holds the package without them (pkg.split)
	opt    Options
	file   string
	m      *matcher
	fast   *fastParts // for the fast reader of rows, once a sheet has been read
}

// sheetInfo is what the first rows of a sheet say about it.
type sheetInfo struct {
	name   string
	hidden bool
	header *header
}

// statement finds the plan's sheet and reads it.
func (rd *reader) statement() (*plan.Statement, error) {
	var sheets []*sheetInfo
	anyText := false
	var damaged error // a sheet that could not be read: reported only if no other is the plan
	for _, name := range rd.f.GetSheetList() {
		visible, _ := rd.f.GetSheetVisible(name)
		top, _, err := rd.rows(name, headerSearchRows, false)
		if err == errRestart {
			return nil, err
		}
		if err != nil {
			damaged = cmp.Or(damaged, err)
			continue
		}
		sheets = append(sheets, &sheetInfo{name: name, hidden: !visible, header: findHeader(rd.m, top)})
		anyText = anyText || hasText(top)
	}
	plansheet := rd.choose(sheets)
	if plansheet == nil {
		if damaged != nil {
			return nil, damaged
		}
		if !anyText {
			return nil, &Error{File: rd.file, Msg: "has no data in any sheet", Hint: "check it is the right file and save it again", Kind: ErrEmpty}
		}
		return nil, &Error{File: rd.file,
			Msg:  "no header row found: expected columns such as Action, Lead Owner, Update in the first 30 rows of any sheet",
			Hint: "check this is the action plan; if its headings are worded differently, add them to the column synonyms",
			Kind: ErrNoHeader}
	}
	h := plansheet.header
	rows, hiddenRows, meta, err := rd.planSheet(plansheet.name, h)
	if err != nil {
		return nil, err
	}
	b := newBuilder(rd, plansheet.name, h, rows, hiddenRows, meta)
	s := b.build()

	// Lead owners: the plan sheet's own block, then "Lead Owners" sheets,
	// then the roles from the options for anyone else.
	owners := b.owners
	for _, si := range sheets {
		if si != plansheet && isOwnersSheet(si.name) {
			rows, _, err := rd.rows(si.name, 10000, false)
			if err == errRestart {
				return nil, err
			}
			if err != nil {
				msg := err.Error()
				if e := (*Error)(nil); errors.As(err, &e) {
					msg = e.Msg
				}
				s.Problems = append(s.Problems, plan.Problem{Severity: plan.SeverityWarning,
					Message: fmt.Sprintf("the lead owners sheet %q %s", si.name, msg)})
				continue
			}
			owners = addOwners(owners, ownersFromRows(rows)...)
		}
	}
	extra := make([]plan.Owner, 0, len(rd.opt.Roles))
	for name, role := range rd.opt.Roles {
		extra = append(extra, plan.Owner{Name: clean(name), Role: clean(role)})
	}
	sort.Slice(extra, func(i, j int) bool { return extra[i].Name < extra[j].Name })
	s.Owners = addOwners(owners, extra...)
	return s, nil
}

// choose picks the plan's sheet: the first preferred name with a usable
// header, else the visible sheet whose header maps most fields (the first of
// equals), else the best hidden one.
func (rd *reader) choose(sheets []*sheetInfo) *sheetInfo {
	for _, want := range rd.opt.SheetNames {
		for _, si := range sheets {
			if strings.EqualFold(strings.TrimSpace(si.name), strings.TrimSpace(want)) && si.header.usable() {
				return si
			}
		}
	}
	for _, hidden := range []bool{false, true} {
		var best *sheetInfo
		for _, si := range sheets {
			if si.hidden == hidden && si.header.usable() && (best == nil || si.header.score > best.header.score) {
				best = si
			}
		}
		if best != nil {
			return best
		}
	}
	return nil
}

// cellsPerRow bounds the cells kept from a sheet: MaxRows rows of this many
// cells on average.
const cellsPerRow = 20

// rows reads a sheet's rows, up to limit rows and limit×cellsPerRow cells.
// With all, text beyond either limit is an error (ErrTooLarge); without,
// what lies beyond is not read. It also returns which rows are hidden.
func (rd *reader) rows(sheet string, limit int, all bool) ([][]string, map[int]bool, error) {
	got, _, err := rd.readSheet(sheet, limit, all, nil)
	return rd.rowsRead(sheet, limit, got, err)
}

// planSheet reads the plan's sheet: all its rows, as rows does, and its
// metadata, as scan does. When the fast reader reads the rows and the
// metadata would come from the same bytes, it collects the metadata on the
// way instead of reading the sheet a second time.
func (rd *reader) planSheet(sheet string, h *header) ([][]string, map[int]bool, *sheetMeta, error) {
	limit := rd.opt.MaxRows
	var ms *metaScan
	if rd.metaInPass(sheet) {
		ms = newMetaScan(limit, wantedCells(h))
	}
	got, metaDone, err := rd.readSheet(sheet, limit, true, ms)
	rows, hidden, err := rd.rowsRead(sheet, limit, got, err)
	if err != nil {
		return nil, nil, nil, err
	}
	if !metaDone {
		meta, err := rd.scan(sheet, h)
		return rows, hidden, meta, err
	}
	h.choose(ms.m.hiddenCols) // again, as scan does, for a sheet without data
	return rows, hidden, ms.m, nil
}

// tooManyRowsHint is what to do about a sheet longer than MaxRows.
func (rd *reader) tooManyRowsHint() string {
	h := "delete the rows below the plan and save it again"
	if rd.opt.MaxRowsSetting != "" {
		h += " (a longer plan needs a higher " + rd.opt.MaxRowsSetting + ")"
	}
	return h
}

// readSheet reads a sheet's rows for rows: with the package's own reader of
// the sheet's XML (sheetrows.go) when it can, which gives what excelize's
// streaming reader gives, else with excelize's. With ms, the own reader also
// feeds ms every start tag of the sheet, and metaDone says whether ms has
// seen them all as scanSheet would.
func (rd *reader) readSheet(sheet string, limit int, all bool, ms *metaScan) (got rowsRead, metaDone bool, err error) {
	err = errSlowPath
	if src := rd.fastRows(sheet); src != nil {
		if ms != nil {
			src.s.onStart = ms.tag
		}
		err = fastSafely(func() error {
			var err error
			if got, err = readRows(src, limit, all); err == nil && ms != nil && !got.tooMany {
				metaDone = src.s.drain() == nil && !src.s.unlikeScan
			}
			return err
		})
	}
	if err == errSlowPath {
		metaDone = false
		if rd.sheets != nil {
			return got, false, errRestart // f holds no worksheets
		}
		err = safely(func() error {
			rows, err := rd.f.Rows(sheet)
			if err != nil {
				return err
			}
			defer rows.Close()
			got, err = readRows(excelizeRows{rows}, limit, all)
			return err
		})
	}
	return got, metaDone, err
}

// rowsRead turns what readRows read into rows' results.
func (rd *reader) rowsRead(sheet string, limit int, got rowsRead, err error) ([][]string, map[int]bool, error) {
	switch {
	case err == errRestart:
		return nil, nil, err
	case got.tooMany && got.count > got.maxCells:
		return nil, nil, &Error{File: rd.file, Sheet: sheet, Msg: "has more than " + strconv.Itoa(got.maxCells) + " cells",
			Hint: "delete the rows and columns around the plan and save it again", Kind: ErrTooLarge}
	case got.tooMany:
		return nil, nil, &Error{File: rd.file, Sheet: sheet, Cell: got.where, Msg: "has more than " + strconv.Itoa(limit) + " rows, the most a plan may have",
			Hint: rd.tooManyRowsHint(), Kind: ErrTooLarge}
	case err != nil:
		return nil, nil, &Error{File: rd.file, Sheet: sheet, Msg: "cannot be read: the sheet is damaged (" + err.Error() + ")",
			Hint: resave, Kind: ErrNotWorkbook, Err: err}
	}
	out := got.rows
	for len(out) > 0 && !hasText(out[len(out)-1:]) {
		out = out[:len(out)-1]
	}
	return out, got.hidden, nil
}

// metaInPass reports whether scan would read a sheet's metadata from the
// bytes the fast reader reads its rows from: from the same part, and all of
// it (excelize keeps what a damaged part gives before the damage; scan
// reports the damage).
func (rd *reader) metaInPass(sheet string) bool {
	if rd.fastRows(sheet) == nil {
		return false
	}
	parts, err := rd.pkg.sheetParts()
	if part, ok := parts[sheet]; err != nil || !ok || !strings.EqualFold(part, rd.fast.path(sheet)) {
		return false
	}
	if _, ok := rd.sheets[rd.fast.path(sheet)]; ok {
		return true // split unpacked it whole, without an error
	}
	rc, err := rd.pkg.open(parts[sheet])
	if err != nil {
		return false
	}
	defer rc.Close()
	_, err = io.Copy(io.Discard, rc)
	return err == nil
}

// rowsRead is what readRows read of a sheet.
type rowsRead struct {
	rows    [][]string
	hidden  map[int]bool
	tooMany bool   // text beyond the limits (with all)
	where   string // the first cell with text beyond the row limit
	count   int    // cells kept
	// A crafted sheet can make each tiny row wide (one cell in column XFD
	// is 16,384 cells): maxCells bounds what is kept.
	maxCells int
}

// readRows reads a sheet's rows from src for rows: up to limit rows and
// limit×cellsPerRow cells, and with all, on to the first text beyond them.
func readRows(src rowSource, limit int, all bool) (rowsRead, error) {
	got := rowsRead{hidden: map[int]bool{}, maxCells: max(limit, 1000) * cellsPerRow}
	n := 0
	for src.next() {
		n++
		cells, err := src.columns()
		if err != nil {
			return got, err
		}
		if n > limit {
			if !all {
				break
			}
			if c := firstText(cells); c > 0 {
				got.tooMany = true
				got.where, _ = excelize.CoordinatesToCellName(c, n)
				break
			}
			continue
		}
		if src.hidden() && len(cells) > 0 {
			got.hidden[n] = true
		}
		if got.count += len(cells); got.count > got.maxCells {
			got.tooMany = all
			break
		}
		if len(got.rows) == cap(got.rows) {
			got.rows = slices.Grow(got.rows, max(len(got.rows), 64)) // doubling: a large sheet has many rows
		}
		got.rows = append(got.rows, cells)
	}
	return got, src.err()
}

// scan reads the plan sheet's merged cells, hidden columns and the styles of
// its date and RAG cells, and settles which column holds each field (a
// visible one before a hidden one).
func (rd *reader) scan(sheet string, h *header) (*sheetMeta, error) {
	parts, err := rd.pkg.sheetParts()
	part, ok := parts[sheet]
	if err != nil || !ok {
		return nil, &Error{File: rd.file, Sheet: sheet, Msg: "cannot be read: the workbook's list of sheets is damaged",
			Hint: resave, Kind: ErrNotWorkbook, Err: err}
	}
	rc, err := rd.pkg.open(part)
	if err == nil {
		defer rc.Close()
		var m *sheetMeta
		if m, err = scanSheet(rc, rd.opt.MaxRows, wantedCells(h)); err == nil {
			h.choose(m.hiddenCols) // again, for a sheet without data
			return m, nil
		}
	}
	return nil, &Error{File: rd.file, Sheet: sheet, Msg: "cannot be read: the sheet is damaged (" + err.Error() + ")",
		Hint: resave, Kind: ErrNotWorkbook, Err: err}
}

// wantedCells is scanSheet's wanted for a plan with header h: it settles
// which column holds each field (a visible one before a hidden one) and
// accepts the columns of the fields whose cells' formatting matters.
func wantedCells(h *header) func(hidden map[int]bool) func(int) bool {
	return func(hidden map[int]bool) func(int) bool {
		h.choose(hidden)
		var want []bool // by column
		for _, f := range []string{fieldSchedule, fieldStart, fieldTarget, fieldCompleted, fieldRAG, fieldStatus} {
			if c := h.col[f]; c > 0 {
				if c >= len(want) {
					want = append(want, make([]bool, c+1-len(want))...)
				}
				want[c] = true
			}
		}
		return func(c int) bool { return c >= 0 && c < len(want) && want[c] }
	}
}

// firstText is the column (from 1) of the first cell of row with text, or 0.
func firstText(row []string) int {
	for i, c := range row {
		if !isBlank(c) {
			return i + 1
		}
	}
	return 0
}

func hasText(rows [][]string) bool {
	for _, r := range rows {
		for _, c := range r {
			if !isBlank(c) {
				return true
			}
		}
	}
	return false
}

func quote(s string) string { return `"` + s + `"` }

// isOwnersSheet reports whether a sheet's name says it lists lead owners
// ("Lead Owners", "Owners", "Lead Officers", "Roles").
func isOwnersSheet(name string) bool {
	n := strings.ToLower(name)
	return strings.Contains(n, "owner") || strings.Contains(n, "officer") || strings.Contains(n, "role")
}

// ownersFromRows reads a lead owners list: two columns, name and role, under
// any header row; or one column of "Name: Role".
func ownersFromRows(rows [][]string) []plan.Owner {
	var out []plan.Owner
	first := true
	for _, row := range rows {
		var cells []string
		for _, c := range row {
			if c = clean(c); c != "" {
				cells = append(cells, c)
			}
		}
		if len(cells) == 0 {
			continue
		}
		if first {
			first = false
			if isOwnersHeader(cells) {
				continue
			}
		}
		if o, ok := ownerFromCells(cells); ok {
			out = append(out, o)
		}
	}
	return out
}

// isOwnersHeader reports whether a lead owners list's first row is headings.
func isOwnersHeader(cells []string) bool {
	for _, c := range cells[:min(2, len(cells))] {
		switch normHeader(c) {
		case "lead owner", "lead owners", "name", "owner", "lead officer", "officer", "person", "role", "job title",
			"title", "position", "post", "designation", "lead owner role":
			return true
		}
	}
	return false
}

// ownerFromCells reads one lead owner from a row's non-empty cells.
func ownerFromCells(cells []string) (plan.Owner, bool) {
	var name, role string
	switch {
	case len(cells) >= 2:
		name, role = cells[0], strings.Join(cells[1:], " ")
	case strings.Contains(cells[0], ":"):
		name, role, _ = strings.Cut(cells[0], ":")
	default:
		name = cells[0]
	}
	name = strings.TrimSpace(strings.TrimRight(name, ": "))
	role = strings.TrimSpace(role)
	return plan.Owner{Name: name, Role: role}, name != ""
}

// addOwners appends the owners not already listed (by RoleFor's matching of
// names).
func addOwners(list []plan.Owner, more ...plan.Owner) []plan.Owner {
	for _, o := range more {
		if _, dup := RoleFor(list, o.Name); !dup && o.Name != "" {
			list = append(list, o)
		}
	}
	return list
}

// openFile opens a workbook file, saying in plain words why it cannot be.
func openFile(path string) (*os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		msg := "cannot be opened"
		var pe *fs.PathError
		switch {
		case errors.Is(err, fs.ErrNotExist):
			msg = "no such file"
		case errors.As(err, &pe):
			msg += " (" + pe.Err.Error() + ")"
		}
		return nil, &Error{File: path, Msg: msg, Err: err}
	}
	return f, nil
}
