package workbook

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"papers/internal/dates"
	"papers/internal/plan"
	"papers/internal/returns"
)

// ErrNotReturn is the Kind of the *Error ReadReturn gives for a workbook
// that is not a return (no sheet has a return's columns); it may be a
// position statement, which Read reads.
var ErrNotReturn = errors.New("not a return")

// ReadReturn reads a return workbook (as WriteReturn writes it and an
// officer fills it in) from r. name names it in errors and becomes the
// return's File.
//
// A return is recognised by its header row (in the first 30 rows of any
// sheet): Ref, Action and Update, and at least one of Previous update,
// Revised target date and Reason for change; its other columns are found
// by their headings (returns.Field.Header), so a return whose columns were
// moved still reads. The lead owner, quarter, deadline, plan title and
// source statement come from the Instructions sheet. Cells are read as
// typed: a formula typed in an editable cell is read as its text
// ("=HYPERLINK(…)"), never evaluated; dates may be Excel dates or text
// (read by package dates). A date that cannot be read is kept as text and
// listed in Return.Problems. Whether the locked cells still match the
// statement is for returns.Merge to check.
func ReadReturn(r io.Reader, name string, opt Options) (*returns.Return, error) {
	opt, err := opt.prepare(name)
	if err != nil {
		return nil, err
	}
	return readReturn(r, name, name, opt)
}

// ReadReturnFile reads the return workbook at path. Errors name the path as
// given; the return's File is the file's base name.
func ReadReturnFile(path string, opt Options) (*returns.Return, error) {
	opt, err := opt.prepare(path)
	if err != nil {
		return nil, err
	}
	fh, err := openFile(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	return readReturn(fh, path, filepath.Base(path), opt)
}

func readReturn(r io.Reader, file, display string, opt Options) (*returns.Return, error) {
	b, err := io.ReadAll(io.LimitReader(r, opt.MaxUnzipSize+1))
	if err != nil {
		return nil, &Error{File: file, Msg: "cannot be read (" + err.Error() + ")", Err: err}
	}
	if _, err := openPackage(b, file, opt); err != nil {
		return nil, err
	}
	f, err := openExcelize(b, file, opt.MaxUnzipSize)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var ret *returns.Return
	err = safely(func() error {
		var err error
		ret, err = (&returnReader{f: f, file: file, opt: opt, st: newStyles(f)}).read()
		return err
	})
	if err != nil {
		var e *Error
		if !errors.As(err, &e) {
			err = &Error{File: file, Msg: "cannot be read: " + err.Error(), Hint: resave, Kind: ErrNotWorkbook, Err: err}
		}
		return nil, err
	}
	ret.File = display
	return ret, nil
}

type returnReader struct {
	f    *excelize.File
	file string
	opt  Options
	st   *styles
}

// returnSignature are the headers only a return has: one of them, with
// Ref, Action and Update, marks a return.
var returnSignature = []returns.Field{returns.FieldPrevious, returns.FieldRevised, returns.FieldReason}

func (rr *returnReader) read() (*returns.Return, error) {
	var (
		sheet string
		rows  [][]string
		head  int
		cols  map[returns.Field]int
	)
	for _, name := range rr.f.GetSheetList() {
		rs, err := rr.f.GetRows(name)
		if err != nil {
			return nil, err
		}
		if h, c := returnHeader(rs); h > 0 {
			sheet, rows, head, cols = name, rs, h, c
			break
		}
	}
	if sheet == "" {
		return nil, &Error{File: rr.file, Kind: ErrNotReturn,
			Msg:  "is not a return: no sheet has a return's columns (Ref, Action, Update, Previous update …)",
			Hint: "a position statement is read by papers check; a return is made by papers returns"}
	}
	if len(rows) > rr.opt.MaxRows {
		return nil, &Error{File: rr.file, Sheet: sheet, Msg: "has more than " + strconv.Itoa(rr.opt.MaxRows) + " rows",
			Hint: "delete the rows below the return and save it again", Kind: ErrTooLarge}
	}
	var missing []string
	for _, fld := range returns.Fields {
		if cols[fld] == 0 && fld != returns.FieldSuggestion { // (returns made before it have none)
			missing = append(missing, fld.Header())
		}
	}
	if len(missing) > 0 {
		return nil, &Error{File: rr.file, Sheet: sheet, Cell: fmt.Sprintf("row %d", head),
			Msg:  "is a return without its column(s) " + strings.Join(missing, ", "),
			Hint: "the return's columns were changed: ask democratic services for a new return"}
	}

	// A merged cell's value fills its whole range: in the cells read, those
	// of the return's columns below its header (a damaged sheet may merge
	// A1:XFD1048576).
	fill := map[[2]int]string{}
	merges, err := rr.f.GetMergeCells(sheet)
	if err != nil {
		return nil, err
	}
	for _, m := range merges {
		c1, r1, err1 := excelize.CellNameToCoordinates(m.GetStartAxis())
		c2, r2, err2 := excelize.CellNameToCoordinates(m.GetEndAxis())
		if err1 != nil || err2 != nil {
			continue
		}
		for _, c := range cols {
			if c < c1 || c > c2 {
				continue
			}
			for r := max(r1, head+1); r <= min(r2, len(rows)); r++ {
				fill[[2]int{r, c}] = m.GetCellValue()
			}
		}
	}
	value := func(row, col int) string {
		if row-1 < len(rows) && col-1 < len(rows[row-1]) && rows[row-1][col-1] != "" {
			return rows[row-1][col-1]
		}
		return fill[[2]int{row, col}]
	}

	ret := &returns.Return{Sheet: sheet, Columns: cols}
	for row := head + 1; row <= len(rows); row++ {
		blank := true
		for _, fld := range returns.Fields {
			if c := cols[fld]; c <= len(rows[row-1]) && strings.TrimSpace(rows[row-1][c-1]) != "" {
				blank = false
			}
		}
		if blank {
			continue // a merged recommendation alone does not make a line
		}
		l := returns.Line{Row: row}
		text := func(fld returns.Field) string {
			v := value(row, cols[fld])
			if fld.Editable() {
				if fm, err := rr.f.GetCellFormula(sheet, retCell(cols[fld], row)); err == nil && fm != "" {
					v = "=" + strings.TrimPrefix(fm, "=") // what was typed, not its result
				}
			}
			return strings.TrimSpace(v)
		}
		l.Ref = clean(text(returns.FieldRef))
		l.Recommendation = text(returns.FieldRecommendation)
		l.Action = text(returns.FieldAction)
		l.Owner = text(returns.FieldOwner)
		l.Target = text(returns.FieldTarget)
		l.Previous = text(returns.FieldPrevious)
		l.Update = text(returns.FieldUpdate)
		l.Status = clean(text(returns.FieldStatus))
		l.Reason = text(returns.FieldReason)
		if cols[returns.FieldSuggestion] > 0 {
			l.Suggestion = text(returns.FieldSuggestion)
			l.Suggested = returns.SuggestedDate(l.Suggestion)
		}
		l.Completed = rr.date(ret, sheet, cols[returns.FieldCompleted], row, value(row, cols[returns.FieldCompleted]), "date completed")
		l.Revised = rr.date(ret, sheet, cols[returns.FieldRevised], row, value(row, cols[returns.FieldRevised]), "revised target date")
		ret.Lines = append(ret.Lines, l)
	}
	if err := rr.instructions(ret); err != nil {
		return nil, err
	}
	return ret, nil
}

// returnHeader finds a return's header row among a sheet's first rows: its
// row number (0 if none) and each field's column.
func returnHeader(rows [][]string) (int, map[returns.Field]int) {
	want := map[string]returns.Field{}
	for _, fld := range returns.Fields {
		want[normHeader(fld.Header())] = fld
	}
	for i, cells := range rows {
		if i >= headerSearchRows {
			break
		}
		cols := map[returns.Field]int{}
		for c, v := range cells {
			if fld, ok := want[normHeader(v)]; ok && cols[fld] == 0 {
				cols[fld] = c + 1
			}
		}
		if cols[returns.FieldRef] == 0 || cols[returns.FieldAction] == 0 || cols[returns.FieldUpdate] == 0 {
			continue
		}
		for _, fld := range returnSignature {
			if cols[fld] > 0 {
				return i + 1, cols
			}
		}
	}
	return 0, nil
}

// date reads a date cell: an Excel date, a number in the range of dates, an
// ISO date, or text the dates package reads. What cannot be read is kept as
// text and listed as a problem.
func (rr *returnReader) date(ret *returns.Return, sheet string, col, row int, raw, what string) plan.TargetDate {
	text := clean(raw)
	if text == "" {
		return plan.TargetDate{}
	}
	cell := retCell(col, row)
	problem := func(format string, args ...any) plan.TargetDate {
		ret.Problems = append(ret.Problems, plan.Problem{Cell: cell, Severity: plan.SeverityWarning, Message: fmt.Sprintf(format, args...)})
		return plan.TargetDate{Text: text}
	}
	typ, _ := rr.f.GetCellType(sheet, cell)
	switch typ {
	case excelize.CellTypeDate:
		if td, ok := isoDate(text); ok {
			return td
		}
	case excelize.CellTypeNumber, excelize.CellTypeUnset:
		if v, err := strconv.ParseFloat(text, 64); err == nil {
			style, _ := rr.f.GetCellStyle(sheet, cell)
			if rr.st.dateFormat(style) || plausibleSerial(v) {
				if td, ok := rr.st.excelDate(v); ok {
					return td
				}
			}
			return problem("the %s %s is a number, not a date: type a date such as 31/03/2021; it is ignored", what, text)
		}
	}
	td, err := dates.ParseDate(text)
	if err != nil {
		return problem("%s; it is ignored", dateProblem(what, text, err))
	}
	if td.Text == "" {
		td.Text = text
	}
	return td
}

// dateProblem says why the text of a date cell cannot be read, naming the
// text once: the date parser's message usually quotes it already
// ("revised target date: cannot read date "By 32nd Dec 20": day 32 is not
// in December").
func dateProblem(what, text string, err error) string {
	msg := err.Error()
	if !strings.Contains(msg, text) {
		what = fmt.Sprintf("%s %q", what, text)
	}
	return what + ": " + msg
}

// instructions reads who the return is for, and when, from its
// instructions sheet, if it has one.
func (rr *returnReader) instructions(ret *returns.Return) error {
	var sheet string
	for _, name := range rr.f.GetSheetList() {
		if strings.EqualFold(strings.TrimSpace(name), InstructionsSheet) {
			sheet = name
		}
	}
	if sheet == "" {
		return nil
	}
	rows, err := rr.f.GetRows(sheet)
	if err != nil {
		return err
	}
	for _, cells := range rows {
		if len(cells) < 2 {
			continue
		}
		v := clean(cells[1])
		switch normHeader(cells[0]) {
		case normHeader(labelOwner):
			if v != combinedOwner {
				ret.Owner = v
			}
		case normHeader(labelQuarter):
			first, _, _ := strings.Cut(v, " ")
			if q, err := returns.ParseQuarter(first); err == nil {
				ret.Quarter = q.String()
			}
		case normHeader(labelDeadline):
			if t, err := time.Parse(deadlineFmt, v); err == nil {
				ret.Deadline = t
			}
		case normHeader(labelPlan):
			ret.Title = v
		case normHeader(labelBased):
			ret.Based = v
		}
	}
	return nil
}
