package workbook

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"papers/internal/plan"
	"papers/internal/returns"
)

// fuzzReturnOptions bound a fuzzed read.
var fuzzReturnOptions = Options{MaxUnzipSize: 8 << 20, MaxRows: 5000}

// checkReturnError checks that a failed read gave a one-line *Error naming
// the file and no return.
func checkReturnError(t *testing.T, ret *returns.Return, err error) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not a *workbook.Error", err, err)
	}
	if msg := err.Error(); strings.ContainsAny(msg, "\r\n") || !strings.HasPrefix(msg, "fuzz.xlsx: ") {
		t.Fatalf("error %q is not one line naming the file", msg)
	}
	if ret != nil {
		t.Fatal("a return and an error")
	}
}

// checkReturn checks what any return read must satisfy: every column found,
// once; lines in row order; text trimmed; and a date that could not be read
// kept as text and listed as a problem at its cell.
func checkReturn(t *testing.T, ret *returns.Return) {
	t.Helper()
	if ret.File != "fuzz.xlsx" || ret.Sheet == "" {
		t.Fatalf("return file %q, sheet %q", ret.File, ret.Sheet)
	}
	used := map[int]bool{}
	for _, fld := range returns.Fields {
		c := ret.Columns[fld]
		if c < 1 || used[c] {
			t.Fatalf("field %s in column %d: %v", fld, c, ret.Columns)
		}
		used[c] = true
	}
	problems := map[string]bool{}
	for _, p := range ret.Problems {
		if p.Cell == "" || strings.ContainsAny(p.Message, "\r\n") || p.Severity != plan.SeverityWarning {
			t.Fatalf("problem %+v", p)
		}
		problems[p.Cell] = true
	}
	last := 1
	for _, l := range ret.Lines {
		if l.Row <= last {
			t.Fatalf("line at row %d after row %d", l.Row, last)
		}
		last = l.Row
		for _, fld := range returns.Fields {
			if v := l.Text(fld); v != strings.TrimSpace(v) {
				t.Fatalf("row %d: %s %q not trimmed", l.Row, fld, v)
			}
		}
		for _, d := range []struct {
			fld returns.Field
			td  plan.TargetDate
		}{{returns.FieldCompleted, l.Completed}, {returns.FieldRevised, l.Revised}} {
			cell := ret.Cell(d.fld, l.Row)
			switch {
			case d.td.IsZero() && d.td.Text != "" && !problems[cell]:
				t.Fatalf("%s: %s %q not read and not listed as a problem", cell, d.fld, d.td.Text)
			case d.td.IsZero() && d.td.Precision != plan.PrecisionNone:
				t.Fatalf("%s: %s %+v", cell, d.fld, d.td)
			case !d.td.IsZero() && (d.td.Precision == plan.PrecisionNone || d.td.Text == ""):
				t.Fatalf("%s: %s %+v", cell, d.fld, d.td)
			}
		}
	}
}

// FuzzReadReturn feeds ReadReturn damaged and odd returns: it must never
// panic, and must either read a return that checkReturn accepts or give a
// one-line *Error naming the file.
func FuzzReadReturn(f *testing.F) {
	sandy := retBytes(f, retFor(f, "Sandy Hopkins"), WriteOptions{})
	f.Add(sandy)
	f.Add(retBytes(f, retFor(f, ""), WriteOptions{}))
	f.Add(sandy[:len(sandy)/2])
	f.Add(sandy[:len(sandy)-22]) // without the zip's end of directory

	// Filled in by an officer, protection removed.
	xf := retOpen(f, sandy)
	sh := returns.SheetName
	for _, err := range []error{
		xf.UnprotectSheet(sh, DefaultPassword),
		xf.SetCellStr(sh, "G3", "Workshops held.\nMore planned."),
		xf.SetCellStr(sh, "H3", "On track"),
		xf.SetCellValue(sh, "I3", 44180.0),
		xf.SetCellStr(sh, "J3", "30/06/2021"),
		xf.SetCellStr(sh, "K3", "Staff shortages"),
		xf.SetCellStr(sh, "I4", "when it is done"),
		xf.SetCellStr(sh, "J4", "By 31st Dec 20"),
		xf.SetCellFormula(sh, "G5", `HYPERLINK("http://example.org/y","Minutes")`),
		xf.SetCellStr(sh, "A6", "  1.9 "),
		xf.SetCellValue(sh, "J6", 7.0),
	} {
		if err != nil {
			f.Fatal(err)
		}
	}
	f.Add(retSave(f, xf))
	if err := xf.SetCellStr(sh, "H2", "State"); err != nil { // a column renamed
		f.Fatal(err)
	}
	f.Add(retSave(f, xf))

	// A return whose columns were moved, with a merged cell, written by
	// another program.
	b := newBook(f, "Instructions", "Return")
	b.rows("Instructions", 1, []any{"Lead owner", "Jane Smith"}, []any{"Quarter", "2021-Q1 (January to March 2021)"})
	b.rows("Return", 1, []any{"Return"},
		[]any{"Update", "Ref", "Action", "Recommendation", "Lead owner(s)", "Current target", "Previous update",
			"Status", "Revised target date", "Date completed", "Reason for change"},
		[]any{"Done", "1.1", "First", "Recommendation One", "Jane Smith", "Dec 20", "", "Complete", nil, 44180.0},
		[]any{"", "1.2", "Second", "", "Jane Smith", "Mar 21", "Started", "", "Q3 2021", nil, "Delayed"})
	b.merge("Return", "D3", "D4")
	f.Add(b.bytes())

	sample, err := os.ReadFile(october)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(sample) // a position statement, not a return
	f.Add([]byte("Ref,Action,Update\n1.1,Do it,Done\n"))
	f.Add([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})

	f.Fuzz(func(t *testing.T, data []byte) {
		ret, err := ReadReturn(bytes.NewReader(data), "fuzz.xlsx", fuzzReturnOptions)
		if err != nil {
			checkReturnError(t, ret, err)
			return
		}
		checkReturn(t, ret)
	})
}

// typed returns what a cell holds when s is typed into it in Excel: valid
// UTF-8, at most 32,767 UTF-16 units.
func typed(s string) (string, bool) {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return s, len(utf16.Encode([]rune(s))) <= excelize.TotalCellChars
}

// excelEscape escapes s as Excel stores text that XML cannot hold (ECMA-376
// ST_Xstring): a character XML 1.0 does not allow as "_xHHHH_", and the "_"
// that starts such an escape in the text itself as "_x005F_". It is the
// oracle for xmlText.
func excelEscape(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == '_' && isEscape(s[i:]):
			b.WriteString("_x005F_")
		case r < 0x20 && r != '\t' && r != '\n' && r != '\r', r == 0xFFFE, r == 0xFFFF:
			fmt.Fprintf(&b, "_x%04X_", r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isEscape reports whether s starts with "_xHHHH_".
func isEscape(s string) bool {
	if len(s) < 7 || s[:2] != "_x" || s[6] != '_' {
		return false
	}
	for _, c := range []byte(s[2:6]) {
		if !strings.ContainsRune("0123456789abcdefABCDEF", rune(c)) {
			return false
		}
	}
	return true
}

// FuzzReturnCells builds a return as an officer fills it in, with fuzzed
// text in row 3's Ref and editable cells and in the instructions' lead
// owner, a fuzzed number in a date cell (I4), optionally the update typed
// as a formula, and optionally a merged range below the lines. Mutated
// workbooks rarely get past the zip's checksums; these always do.
// ReadReturn must read every cell: text as typed (trimmed; Ref and Status
// cleaned), a formula as typed, and a date either as a date or kept as
// text and listed as a problem. Nothing typed is dropped.
func FuzzReturnCells(f *testing.F) {
	f.Add("1.1", "Workshops held.", "On track", "", "", "", "Sandy Hopkins", 44180.0, "B5:B6", false)
	f.Add("  1.1 ", "Line one\nline two", "• complete", "15/12/2020", "By 31st Mar 21", "Staff shortages", "Cllr Paffey:", 44180.5, "", false)
	f.Add("R1", `HYPERLINK("http://example.org/y","Minutes")`, "At risk", "when it is done", "Q3 2021", "", combinedOwner, 7.0, "A1:K1", true)
	f.Add("_x0041_", "=SUM(1,2)", "\u00a0", "44196", "31/02/2021", "\x01", "", -1.0, "C5:XFD5", false)
	f.Add("", "", "", "Dec 20", "", "", "Jane\u200bSmith", 2958465.0, "A6:A7", false)
	f.Add("1.1", "u", "", "", "", "", "", 1.0, "A5:XFD1048576", false) // filling it cell by cell would not end
	f.Fuzz(func(t *testing.T, ref, update, status, completed, revised, reason, owner string, serial float64, merge string, formula bool) {
		cells := []*string{&ref, &update, &status, &completed, &revised, &reason, &owner}
		for _, c := range cells {
			var ok bool
			if *c, ok = typed(*c); !ok || len(*c) > 4096 {
				return
			}
		}
		formula = formula && strings.TrimSpace(update) != "" && excelEscape(update) == update && utf8.ValidString(update)

		xf := excelize.NewFile()
		defer xf.Close()
		sh := returns.SheetName
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		must(xf.SetSheetName("Sheet1", sh))
		_, err := xf.NewSheet(InstructionsSheet)
		must(err)
		must(xf.SetCellStr(sh, "A1", "Quarterly return"))
		for i, fld := range returns.Fields {
			must(xf.SetCellStr(sh, retCell(i+1, 2), fld.Header()))
		}
		// Text is stored as Excel stores it, escaped: sheetWriter.text does
		// that (and works around excelize's table of shared strings).
		sw := &sheetWriter{f: xf, sheet: sh}
		row3 := []string{ref, "Recommendation One", "First action", "Sandy Hopkins", "By 31st Dec 20", "Previous.", update, status, completed, revised, reason}
		for i, v := range row3 {
			if e := xmlText(v); e != excelEscape(v) {
				t.Fatalf("%q escaped as %q, want %q", v, e, excelEscape(v))
			}
			switch {
			case returns.Fields[i] == returns.FieldUpdate && formula:
				must(xf.SetCellFormula(sh, "G3", v))
			case v != "":
				sw.text(i+1, 3, v, 0)
			}
		}
		for i, v := range []string{"1.2", "", "Second action", "Sandy Hopkins", "Mar 21"} {
			must(xf.SetCellStr(sh, retCell(i+1, 4), v))
		}
		number := !math.IsNaN(serial) && !math.IsInf(serial, 0)
		if number {
			must(xf.SetCellFloat(sh, "I4", serial, -1, 64))
			code := "dd/mm/yyyy"
			style, err := xf.NewStyle(&excelize.Style{CustomNumFmt: &code})
			must(err)
			must(xf.SetCellStyle(sh, "I4", "I4", style))
		}
		for i, v := range []string{"1.3", "", "Third action", "Sandy Hopkins", "Jun 21"} {
			must(xf.SetCellStr(sh, retCell(i+1, 5), v))
		}
		// A merged range in the title row or below the lines read here, of
		// any size: a placeholder is merged, and its range replaced in the
		// sheet's XML (excelize's MergeCell takes minutes for A5:XFD1000).
		mr, merged := parseRange(merge)
		merged = merged && strings.Contains(merge, ":") && (mr.r2 <= 1 || mr.r1 >= 5)
		if merged {
			must(xf.MergeCell(sh, "A9", "A10"))
		}
		if owner != "" {
			iw := &sheetWriter{f: xf, sheet: InstructionsSheet}
			iw.text(1, 3, labelOwner, 0)
			iw.text(2, 3, owner, 0)
			must(iw.err)
		}
		must(sw.err)
		var buf bytes.Buffer
		if _, err := xf.WriteTo(&buf); err != nil {
			t.Fatal(err)
		}
		book := buf.Bytes()
		if merged {
			book = replacePart(t, book, "xl/worksheets/sheet1.xml", func(xml []byte) []byte {
				return bytes.Replace(xml, []byte(`ref="A9:A10"`), []byte(`ref="`+merge+`"`), 1)
			})
		}

		ret, err := ReadReturn(bytes.NewReader(book), "fuzz.xlsx", fuzzReturnOptions)
		if err != nil {
			t.Fatalf("a return read as %v", err)
		}
		checkReturn(t, ret)
		if len(ret.Lines) < 3 || ret.Lines[0].Row != 3 || ret.Lines[1].Row != 4 {
			t.Fatalf("lines %+v", ret.Lines)
		}
		l := ret.Lines[0]
		wantUpdate := strings.TrimSpace(update)
		if formula {
			wantUpdate = strings.TrimSpace("=" + strings.TrimPrefix(update, "="))
		}
		for _, c := range []struct {
			name      string
			got, want string
		}{
			{"ref", l.Ref, clean(ref)},
			{"update", l.Update, wantUpdate},
			{"status", l.Status, clean(status)},
			{"reason", l.Reason, strings.TrimSpace(reason)},
		} {
			if c.got != c.want {
				t.Errorf("%s read as %q, want %q", c.name, c.got, c.want)
			}
		}
		for _, d := range []struct {
			cell, typed string
			td          plan.TargetDate
		}{{"I3", completed, l.Completed}, {"J3", revised, l.Revised}} {
			text := clean(d.typed)
			switch {
			case text == "" && d.td != (plan.TargetDate{}):
				t.Errorf("%s: blank %q read as %+v", d.cell, d.typed, d.td)
			case text != "" && d.td.IsZero() && d.td.Text != text:
				t.Errorf("%s: %q kept as %q", d.cell, d.typed, d.td.Text)
			case text != "" && !d.td.IsZero() && !strings.Contains(text, d.td.Text):
				t.Errorf("%s: %q read as %+v", d.cell, d.typed, d.td)
			}
		}
		if d := ret.Lines[1].Completed; number && (d.IsZero() == (serial >= 1 && serial < 2958466)) {
			t.Errorf("I4: date-formatted number %v read as %+v", serial, d)
		}
		if want := clean(owner); ret.Owner != want && !(want == combinedOwner && ret.Owner == "") {
			t.Errorf("lead owner %q read as %q", owner, ret.Owner)
		}
	})
}

// replacePart returns the workbook package b with its part name changed by
// fn.
func replacePart(tb testing.TB, b []byte, name string, fn func([]byte) []byte) []byte {
	tb.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		tb.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			tb.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			tb.Fatal(err)
		}
		if zf.Name == name {
			data = fn(data)
		}
		w, err := zw.Create(zf.Name)
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := w.Write(data); err != nil {
			tb.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return out.Bytes()
}

// TestWriteKeepsOddText writes text that XML cannot hold as it is (control
// characters), or that looks like Excel's escape for it ("_x0041_"), into a
// return and a statement, and reads it back unchanged: a locked cell read
// back changed would get the return rejected. (Found while writing
// FuzzReturnCells: excelize's SetCellStr does not escape such text, while
// reading unescapes it.)
func TestWriteKeepsOddText(t *testing.T) {
	odd := []string{"_x0041_", "Report_x2020_final", "_x005F_x0041_", "_x005f_", "a\x01b", "tab\vbreak", "\x1f_xFFFF_", "x\uFFFEy", "_x00e9_x", "_x12G4_"}
	r := &returns.Return{Owner: "A Owner", Quarter: "2021-Q1"}
	s := &plan.Statement{Title: "Position Statement: January 2021",
		Recommendations: []plan.Recommendation{{Ref: "1", Title: "Recommendation One", Text: "Do things."}}}
	for i, v := range odd {
		ref := fmt.Sprintf("1.%d", i+1)
		r.Lines = append(r.Lines, returns.Line{Ref: ref, Recommendation: "R" + v, Action: v, Owner: "A Owner", Target: v,
			Previous: v, Update: v, Reason: v})
		s.Actions = append(s.Actions, plan.Action{Ref: ref, RefGiven: true, Recommendation: "1", Text: v, Owner: "A Owner",
			Owners: []string{"A Owner"}, Update: v, Schedule: plan.Schedule{Text: "By 31st Mar 21"}})
	}
	got := retRead(t, retBytes(t, r, WriteOptions{}), "r.xlsx")
	for i, v := range odd {
		l := got.Lines[i]
		if l.Recommendation != "R"+v || l.Action != v || l.Target != v || l.Previous != v || l.Update != v || l.Reason != v {
			t.Errorf("return: %q read back as %+v", v, l)
		}
	}
	var b bytes.Buffer
	if err := WriteStatement(&b, s, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	back, err := Read(bytes.NewReader(b.Bytes()), "s.xlsx", DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range odd {
		if a := back.Actions[i]; a.Text != clean(v) || a.Update != clean(v) {
			t.Errorf("statement: %q read back as %q, %q", v, a.Text, a.Update)
		}
	}
}
