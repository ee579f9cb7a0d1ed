package workbook

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"papers/internal/plan"
	"papers/internal/returns"
)

// retSampleFile is the October 2020 position statement the returns are made
// from in these tests.
const retSampleFile = "../../data/2020-10 position statement.xlsx"

var retQuarter = returns.Quarter{Year: 2021, N: 1}

var retDeadline = time.Date(2021, 1, 15, 0, 0, 0, 0, time.UTC)

func retSample(tb testing.TB) *plan.Statement {
	tb.Helper()
	s, err := ReadFile(retSampleFile, DefaultOptions())
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// retBlank returns the sample's blank returns: one per lead owner, then the
// combined one.
func retBlank(tb testing.TB) []*returns.Return {
	tb.Helper()
	return returns.Blank(retSample(tb), retQuarter, retDeadline)
}

// retFor returns the blank return of one lead owner ("" for the combined).
func retFor(tb testing.TB, owner string) *returns.Return {
	tb.Helper()
	for _, r := range retBlank(tb) {
		if r.Owner == owner {
			return r
		}
	}
	tb.Fatalf("no return for %q", owner)
	return nil
}

func retBytes(tb testing.TB, r *returns.Return, opt WriteOptions) []byte {
	tb.Helper()
	var b bytes.Buffer
	if err := WriteReturn(&b, r, opt); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

func retOpen(tb testing.TB, b []byte) *excelize.File {
	tb.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{UnzipSizeLimit: 64 << 20})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { f.Close() })
	return f
}

func retSave(tb testing.TB, f *excelize.File) []byte {
	tb.Helper()
	b, err := f.WriteToBuffer()
	if err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

func retRead(tb testing.TB, b []byte, name string) *returns.Return {
	tb.Helper()
	r, err := ReadReturn(bytes.NewReader(b), name, Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

// retPart returns one part of a workbook package as text.
func retPart(tb testing.TB, b []byte, name string) string {
	tb.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		tb.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == name {
			rc, err := f.Open()
			if err != nil {
				tb.Fatal(err)
			}
			defer rc.Close()
			data, err := io.ReadAll(rc)
			if err != nil {
				tb.Fatal(err)
			}
			return string(data)
		}
	}
	tb.Fatalf("no part %s", name)
	return ""
}

func TestWriteReturnReadsBack(t *testing.T) {
	for _, want := range retBlank(t) {
		name := want.Owner
		if name == "" {
			name = "combined"
		}
		t.Run(name, func(t *testing.T) {
			got := retRead(t, retBytes(t, want, WriteOptions{}), "r.xlsx")
			if got.File != "r.xlsx" || got.Sheet != returns.SheetName || got.Owner != want.Owner || got.Quarter != "2021-Q1" ||
				!got.Deadline.Equal(retDeadline) || got.Title != want.Title || got.Based != "2020-10 position statement.xlsx" {
				t.Errorf("read back %q %q %q %q %v %q %q", got.File, got.Sheet, got.Owner, got.Quarter, got.Deadline, got.Title, got.Based)
			}
			if len(got.Problems) > 0 {
				t.Errorf("problems: %v", got.Problems)
			}
			if len(got.Lines) != len(want.Lines) {
				t.Fatalf("%d lines, want %d", len(got.Lines), len(want.Lines))
			}
			for i := range want.Lines {
				w := want.Lines[i]
				w.Row = returnHeaderRow + 1 + i
				if !reflect.DeepEqual(got.Lines[i], w) {
					t.Errorf("line %d:\n got %+v\nwant %+v", i, got.Lines[i], w)
				}
			}
			for i, f := range returns.Fields {
				if got.Columns[f] != i+1 {
					t.Errorf("column of %s = %d, want %d", f, got.Columns[f], i+1)
				}
			}
		})
	}
}

func TestWriteReturnJointActionGoesToEachOwner(t *testing.T) {
	refs := func(r *returns.Return) []string {
		var out []string
		for _, l := range r.Lines {
			out = append(out, l.Ref)
		}
		return out
	}
	if got := refs(retFor(t, "Cllr Paffey")); !reflect.DeepEqual(got, []string{"2.2"}) {
		t.Errorf("Cllr Paffey's return has %v", got)
	}
	rh := refs(retFor(t, "Robert Henderson"))
	if !strings.Contains(strings.Join(rh, " "), "2.2 2.3") {
		t.Errorf("Robert Henderson's return lacks the joint actions 2.2 and 2.3: %v", rh)
	}
	if n := len(retFor(t, "").Lines); n != len(retSample(t).Actions) {
		t.Errorf("combined return has %d lines, want every action", n)
	}
}

func TestWriteReturnIsDeterministic(t *testing.T) {
	r := retFor(t, "Sandy Hopkins")
	a := retBytes(t, r, WriteOptions{})
	b := retBytes(t, r, WriteOptions{})
	if !bytes.Equal(a, b) {
		t.Fatal("two writes of the same return differ")
	}
	core := retPart(t, a, "docProps/core.xml")
	for _, want := range []string{"2021-01-01T00:00:00Z", "papers"} {
		if !strings.Contains(core, want) {
			t.Errorf("docProps/core.xml lacks %q:\n%s", want, core)
		}
	}
	c := retBytes(t, r, WriteOptions{Created: time.Date(2021, 1, 4, 9, 0, 0, 0, time.UTC)})
	if !strings.Contains(retPart(t, c, "docProps/core.xml"), "2021-01-04T09:00:00Z") {
		t.Error("WriteOptions.Created is not the creation date")
	}
}

func TestWriteReturnProtection(t *testing.T) {
	b := retBytes(t, retFor(t, "Robert Henderson"), WriteOptions{})
	xml := retPart(t, b, "xl/worksheets/sheet1.xml")
	if !strings.Contains(xml, `<sheetProtection algorithmName="SHA-512" hashValue="`) || strings.Contains(xml, ` password="`) {
		t.Errorf("the return sheet is not protected with SHA-512: %s", retBetween(xml, "<sheetProtection", "/>"))
	}
	if !strings.Contains(retPart(t, b, "xl/workbook.xml"), `workbookAlgorithmName="SHA-512"`) {
		t.Error("the workbook's structure is not protected with SHA-512")
	}

	f := retOpen(t, b)
	for _, sheet := range []string{returns.SheetName, InstructionsSheet} {
		if err := f.UnprotectSheet(sheet, "wrong"); err == nil {
			t.Errorf("sheet %s unprotected with the wrong password", sheet)
		}
	}
	if err := f.UnprotectWorkbook("wrong"); err == nil {
		t.Error("workbook unprotected with the wrong password")
	}

	locked := func(cell string) bool {
		id, err := f.GetCellStyle(returns.SheetName, cell)
		if err != nil {
			t.Fatal(err)
		}
		st, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		return st.Protection == nil || st.Protection.Locked
	}
	wrapped := func(cell string) bool {
		id, _ := f.GetCellStyle(returns.SheetName, cell)
		st, _ := f.GetStyle(id)
		return st.Alignment != nil && st.Alignment.WrapText
	}
	rows := len(retFor(t, "Robert Henderson").Lines)
	for row := returnHeaderRow + 1; row <= returnHeaderRow+rows; row++ {
		for i, fld := range returns.Fields {
			cell := retCell(i+1, row)
			if locked(cell) == fld.Editable() {
				t.Errorf("%s (%s): locked = %v", cell, fld, locked(cell))
			}
			if !wrapped(cell) {
				t.Errorf("%s (%s) does not wrap its text", cell, fld)
			}
		}
	}
	for _, cell := range []string{"A1", "G2", "L3", retCell(7, returnHeaderRow+rows+1)} {
		if !locked(cell) {
			t.Errorf("%s, outside the editable cells, is unlocked", cell)
		}
	}

	// With the right password, the sheets and workbook unprotect.
	f2 := retOpen(t, b)
	for _, sheet := range []string{returns.SheetName, InstructionsSheet} {
		if err := f2.UnprotectSheet(sheet, DefaultPassword); err != nil {
			t.Errorf("sheet %s: %v", sheet, err)
		}
	}
	if err := f2.UnprotectWorkbook(DefaultPassword); err != nil {
		t.Errorf("workbook: %v", err)
	}
	f3 := retOpen(t, retBytes(t, retFor(t, "Robert Henderson"), WriteOptions{Password: "council"}))
	if err := f3.UnprotectSheet(returns.SheetName, "council"); err != nil {
		t.Errorf("configured password: %v", err)
	}

	// Validation and the frozen header.
	dvs, err := f.GetDataValidations(returns.SheetName)
	if err != nil {
		t.Fatal(err)
	}
	last := returnHeaderRow + rows
	want := map[string]string{
		"H3:H" + retRowNum(last): "list",
		"I3:I" + retRowNum(last): "date",
		"J3:J" + retRowNum(last): "date",
	}
	for _, dv := range dvs {
		typ, ok := want[dv.Sqref]
		if !ok || dv.Type != typ {
			t.Errorf("validation %s %s", dv.Sqref, dv.Type)
			continue
		}
		delete(want, dv.Sqref)
		if typ == "list" {
			for _, s := range returns.Statuses {
				if !strings.Contains(dv.Formula1, s) {
					t.Errorf("status list %s lacks %q", dv.Formula1, s)
				}
			}
		}
	}
	if len(want) > 0 {
		t.Errorf("no validation for %v", want)
	}
	p, err := f.GetPanes(returns.SheetName)
	if err != nil || !p.Freeze || p.YSplit != returnHeaderRow {
		t.Errorf("panes %+v (%v): want the rows to %d frozen", p, err, returnHeaderRow)
	}
}

func retRowNum(n int) string { return retCell(1, n)[1:] }

func retBetween(s, from, to string) string {
	i := strings.Index(s, from)
	if i < 0 {
		return ""
	}
	j := strings.Index(s[i:], to)
	if j < 0 {
		return s[i:]
	}
	return s[i : i+j+len(to)]
}

func TestWriteReturnRowHeights(t *testing.T) {
	long := strings.Repeat("The practice framework workshops were held with every team in November 2020. ", 8)
	r := &returns.Return{Owner: "A Owner", Quarter: "2021-Q1", Lines: []returns.Line{
		{Ref: "1.1", Recommendation: "Recommendation One: a short one", Action: "Short.", Owner: "A Owner", Previous: long},
		{Ref: "1.2", Recommendation: "Recommendation One: a short one", Action: "Short.", Owner: "A Owner", Previous: "Short."},
		{Ref: "2.1", Recommendation: "Recommendation Two: " + long, Action: "Short.", Owner: "A Owner"},
		{Ref: "2.2", Recommendation: "Recommendation Two: " + long, Action: "Short.", Owner: "A Owner"},
	}}
	f := retOpen(t, retBytes(t, r, WriteOptions{}))
	height := func(row int) float64 {
		h, err := f.GetRowHeight(returns.SheetName, row)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	first := returnHeaderRow + 1
	// 8 × 78 characters in a 36-wide column (about 45 characters a line)
	// is at least 14 lines.
	if h := height(first); h < 14*retLineHeight {
		t.Errorf("row with a long previous update is %.1f points tall, want at least %.1f", h, 14*retLineHeight)
	}
	if h := height(first + 1); h > 2*retLineHeight+retCellPadding || h < retMinRowHeight {
		t.Errorf("row with short text is %.1f points tall", h)
	}
	// The long recommendation is merged over two rows, which share its height.
	merged := height(first+2) + height(first+3)
	if need := float64(wrappedLines(r.Lines[2].Recommendation, returnWidths[1], retFontSize, false)) * retLineHeight; merged < need {
		t.Errorf("merged recommendation rows are %.1f points, want at least %.1f", merged, need)
	}
	mc, err := f.GetMergeCells(returns.SheetName)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, m := range mc {
		found = found || (m.GetStartAxis() == retCell(2, first+2) && m.GetEndAxis() == retCell(2, first+3))
	}
	if !found {
		t.Errorf("recommendation two is not merged over its rows: %v", mc)
	}
}

func TestWrappedLines(t *testing.T) {
	for _, tc := range []struct {
		name  string
		text  string
		width float64
		want  int
	}{
		{"empty", "", 20, 1},
		{"one word", "Complete", 20, 1},
		{"two paragraphs", "First.\nSecond.", 40, 2},
		// A width of 20 leaves about 110 points: four "word"s (22 points and
		// a space each) to a line.
		{"wraps", strings.Repeat("word ", 40), 20, 10},
		// 200 "x"s (5 points each) in about 54 points.
		{"long word", strings.Repeat("x", 200), 10, 19},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := wrappedLines(tc.text, tc.width, retFontSize, false); got < tc.want-1 || got > tc.want+1 {
				t.Errorf("wrappedLines = %d, want about %d", got, tc.want)
			}
		})
	}
}

func TestReturnTextIsNeverAFormula(t *testing.T) {
	injected := []string{`=HYPERLINK("http://example.org/x","Click")`, "+44 23 8083 2966", "-1", "@SUM(A1:A9)"}
	r := &returns.Return{Owner: "A Owner", Quarter: "2021-Q1", Lines: []returns.Line{
		{Ref: "1.1", Recommendation: "R", Action: injected[3], Owner: "A Owner", Previous: injected[0],
			Update: injected[0], Status: injected[2], Reason: injected[1]},
	}}
	b := retBytes(t, r, WriteOptions{})
	if xml := retPart(t, b, "xl/worksheets/sheet1.xml"); strings.Contains(xml, "<f>") || strings.Contains(xml, "<f ") {
		t.Fatalf("the sheet has a formula: %s", xml)
	}
	got := retRead(t, b, "r.xlsx").Lines[0]
	if got.Update != injected[0] || got.Previous != injected[0] || got.Status != injected[2] || got.Reason != injected[1] || got.Action != injected[3] {
		t.Errorf("read back %+v", got)
	}

	// An officer who types a formula: it is read as what was typed.
	f := retOpen(t, b)
	if err := f.SetCellFormula(returns.SheetName, "G3", `HYPERLINK("http://example.org/y","Minutes")`); err != nil {
		t.Fatal(err)
	}
	if got := retRead(t, retSave(t, f), "r.xlsx").Lines[0].Update; got != `=HYPERLINK("http://example.org/y","Minutes")` {
		t.Errorf("typed formula read as %q", got)
	}

	// And the position statement written from it keeps it as text.
	s := &plan.Statement{Title: "Position Statement: January 2021",
		Recommendations: []plan.Recommendation{{Ref: "1", Title: "Recommendation One", Text: "Do things."}},
		Actions: []plan.Action{{Ref: "1.1", Recommendation: "1", Text: "An action.", Owner: "A Owner", Owners: []string{"A Owner"},
			Update: injected[0], Schedule: plan.Schedule{Text: "By 31st Mar 21"}}}}
	var sb bytes.Buffer
	if err := WriteStatement(&sb, s, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	if xml := retPart(t, sb.Bytes(), "xl/worksheets/sheet1.xml"); strings.Contains(xml, "<f>") || strings.Contains(xml, "<f ") {
		t.Fatalf("the statement has a formula: %s", xml)
	}
	back, err := Read(bytes.NewReader(sb.Bytes()), "s.xlsx", DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if back.Actions[0].Update != injected[0] {
		t.Errorf("statement update read back as %q", back.Actions[0].Update)
	}
}

func TestReadReturnDates(t *testing.T) {
	r := retFor(t, "Sandy Hopkins")
	f := retOpen(t, retBytes(t, r, WriteOptions{}))
	sheet := returns.SheetName
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	// An Excel date, as Excel stores a typed one (the cell already has a
	// date format).
	must(f.SetCellValue(sheet, "I3", 44180.0)) // 15 December 2020
	must(f.SetCellStr(sheet, "J3", "30/06/2021"))
	must(f.SetCellStr(sheet, "I4", "when it is done"))
	must(f.SetCellValue(sheet, "J4", time.Date(2021, 9, 30, 0, 0, 0, 0, time.UTC)))
	got := retRead(t, retSave(t, f), "r.xlsx")
	day := func(y int, m time.Month, d int) time.Time { return plan.Day(y, m, d) }
	for _, tc := range []struct {
		name string
		got  plan.TargetDate
		want time.Time
	}{
		{"Excel date", got.Lines[0].Completed, day(2020, 12, 15)},
		{"text date", got.Lines[0].Revised, day(2021, 6, 30)},
		{"time value", got.Lines[1].Revised, day(2021, 9, 30)},
	} {
		if !tc.got.Date.Equal(tc.want) {
			t.Errorf("%s: read %v, want %v", tc.name, tc.got.Date, tc.want)
		}
	}
	if c := got.Lines[1].Completed; !c.IsZero() || c.Text != "when it is done" {
		t.Errorf("unreadable date read as %+v", c)
	}
	if len(got.Problems) != 1 || got.Problems[0].Cell != "I4" || !strings.Contains(got.Problems[0].Message, "when it is done") {
		t.Errorf("problems %+v, want one for I4", got.Problems)
	}
}

func TestReadReturnRecognisesAReturn(t *testing.T) {
	_, err := ReadReturnFile(retSampleFile, Options{})
	if !errors.Is(err, ErrNotReturn) {
		t.Fatalf("a position statement read as a return: %v", err)
	}
	if !strings.Contains(err.Error(), "2020-10 position statement.xlsx: is not a return") {
		t.Errorf("error %q", err)
	}

	// A return whose Status heading was changed (protection removed).
	f := retOpen(t, retBytes(t, retFor(t, "Sandy Hopkins"), WriteOptions{}))
	if err := f.UnprotectSheet(returns.SheetName, DefaultPassword); err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellStr(returns.SheetName, "H2", "State"); err != nil {
		t.Fatal(err)
	}
	_, err = ReadReturn(bytes.NewReader(retSave(t, f)), "r.xlsx", Options{})
	if err == nil || !strings.Contains(err.Error(), "without its column(s) Status") {
		t.Errorf("return without Status: %v", err)
	}

	// The generic reader reads a return as a statement too (papers check).
	s, err := Read(bytes.NewReader(retBytes(t, retFor(t, "Sandy Hopkins"), WriteOptions{})), "r.xlsx", DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Actions) != 5 || s.Actions[0].Ref != "1.2" || !s.Actions[0].RefGiven {
		t.Errorf("return read as a statement: %d actions, first %+v", len(s.Actions), s.Actions[0])
	}
}

func TestWriteStatementReadsBack(t *testing.T) {
	want := retSample(t)
	// A revised target, a completion, a status and a reason, as a merge
	// gives them.
	a := &want.Actions[2]
	a.Schedule = plan.Schedule{Start: a.Schedule.Start,
		Target: plan.TargetDate{Date: plan.Day(2021, 6, 30), Precision: plan.PrecisionDay, Text: "Revised target: 30 Jun 2021"},
		Text:   "Start: Sep 2020. Revised target: 30 Jun 2021 (was Mar 2021)"}
	a.Extra = []plan.Field{{Name: "Reason for change", Value: "Staff changes."}}
	a.Status = "At risk"
	b := &want.Actions[4]
	b.Completed = plan.TargetDate{Date: plan.Day(2020, 12, 15), Precision: plan.PrecisionDay}
	b.Status = "Complete"

	var buf bytes.Buffer
	if err := WriteStatement(&buf, want, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	if err := WriteStatement(&again, want, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Error("two writes of the same statement differ")
	}
	got, err := Read(bytes.NewReader(buf.Bytes()), "s.xlsx", DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != want.Title || got.Sheet != "Position Statement" {
		t.Errorf("title %q sheet %q", got.Title, got.Sheet)
	}
	if !reflect.DeepEqual(retNoCells(got.Recommendations), retNoCells(want.Recommendations)) {
		t.Errorf("recommendations\n got %+v\nwant %+v", got.Recommendations, want.Recommendations)
	}
	if len(got.Actions) != len(want.Actions) {
		t.Fatalf("%d actions, want %d", len(got.Actions), len(want.Actions))
	}
	for i := range want.Actions {
		g, w := got.Actions[i], want.Actions[i]
		if g.Ref != w.Ref || g.Recommendation != w.Recommendation || g.Text != w.Text || g.Owner != w.Owner ||
			!reflect.DeepEqual(g.Owners, w.Owners) || g.Update != w.Update || g.Status != w.Status ||
			!g.Schedule.Target.Date.Equal(w.Schedule.Target.Date) || !g.Schedule.Start.Date.Equal(w.Schedule.Start.Date) ||
			g.Schedule.Text != w.Schedule.Text || !g.Completed.Date.Equal(w.Completed.Date) || !reflect.DeepEqual(g.Extra, w.Extra) {
			t.Errorf("action %s:\n got %+v\nwant %+v", w.Ref, g, w)
		}
	}
	for _, p := range got.Problems {
		if p.Severity == plan.SeverityError {
			t.Errorf("problem reading it back: %+v", p)
		}
	}
}

// retNoCells returns recommendations without the cells they were read from.
func retNoCells(recs []plan.Recommendation) []plan.Recommendation {
	out := make([]plan.Recommendation, len(recs))
	for i, r := range recs {
		r.Cell = ""
		out[i] = r
	}
	return out
}

// TestUnreadableDateNamedOnce: a date that cannot be read is reported with
// its text once, not once by the reader and again in the parser's words.
func TestUnreadableDateNamedOnce(t *testing.T) {
	r := retFor(t, "Sandy Hopkins")
	f := retOpen(t, retBytes(t, r, WriteOptions{}))
	for cell, text := range map[string]string{"I3": "31/02/2021", "J3": "By 32nd Dec 20", "I4": "when it is done"} {
		if err := f.SetCellStr(returns.SheetName, cell, text); err != nil {
			t.Fatal(err)
		}
	}
	got := retRead(t, retSave(t, f), "r.xlsx")
	want := map[string]string{
		"I3": `date completed: cannot read date "31/02/2021": day 31 is not in February; it is ignored`,
		"J3": `revised target date: cannot read date "By 32nd Dec 20": day 32 is not in December; it is ignored`,
		"I4": `date completed: no date given ("when it is done"); it is ignored`,
	}
	if len(got.Problems) != len(want) {
		t.Fatalf("problems %+v", got.Problems)
	}
	for _, p := range got.Problems {
		if p.Message != want[p.Cell] {
			t.Errorf("%s: %q, want %q", p.Cell, p.Message, want[p.Cell])
		}
	}

	// A statement's date completed, likewise.
	b := newBook(t, "Position Statement")
	b.rows("Position Statement", 1, []any{"Position Statement"}, nil, []any{"Action", "Lead Owner", "Target date", "Date completed"},
		[]any{"An action", "A", "31/12/2020", "31/02/2021"})
	st := b.read()
	if len(st.Problems) != 1 || st.Problems[0].Message != `date completed: cannot read date "31/02/2021": day 31 is not in February; it is kept as text` {
		t.Errorf("statement problems %+v", st.Problems)
	}
}
