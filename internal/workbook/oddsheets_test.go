package workbook

import (
	"archive/zip"
	"bytes"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// These tests read sheets written by hand, holding what excelize cannot
// write (rich text, inline strings, rows out of order) and what a damaged
// file holds, and check what the reader makes of them.

// rawBook packs a workbook by hand: one sheet per XML document in sheets
// (named Plan, Sheet2, …), and shared strings when sst is not empty. A
// sheet or sst that is not a whole document (with an XML declaration) is
// wrapped in the usual root element (<worksheet><sheetData>…</sheetData>
// </worksheet>, <sst>…</sst>).
func rawBook(tb testing.TB, workbookPr string, sst string, sheets ...string) []byte {
	tb.Helper()
	const (
		ns   = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
		rels = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(name, text string) {
		w, err := zw.Create(name)
		if err == nil {
			_, err = w.Write([]byte(text))
		}
		if err != nil {
			tb.Fatal(err)
		}
	}
	var wbSheets, wbRels, types strings.Builder
	for i, sheet := range sheets {
		name := "Plan"
		if i > 0 {
			name = "Sheet" + strconv.Itoa(i+1)
		}
		fmt.Fprintf(&wbSheets, `<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, name, i+1, i+1)
		fmt.Fprintf(&wbRels, `<Relationship Id="rId%d" Type="%s/worksheet" Target="worksheets/sheet%d.xml"/>`, i+1, rels, i+1)
		fmt.Fprintf(&types, `<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, i+1)
		if !strings.HasPrefix(sheet, "<?xml") {
			sheet = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n<worksheet " + ns + "><sheetData>" + sheet + "</sheetData></worksheet>"
		}
		add(fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1), sheet)
	}
	if sst != "" {
		fmt.Fprintf(&wbRels, `<Relationship Id="rId%d" Type="%s/sharedStrings" Target="sharedStrings.xml"/>`, len(sheets)+1, rels)
		types.WriteString(`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>`)
		if !strings.HasPrefix(sst, "<?xml") {
			sst = "<sst " + ns + ">" + sst + "</sst>"
		}
		add("xl/sharedStrings.xml", sst)
	}
	add("[Content_Types].xml", `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`+
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>`+
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>`+types.String()+`</Types>`)
	add("_rels/.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+
		`<Relationship Id="rId1" Type="`+rels+`/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	add("xl/workbook.xml", `<workbook `+ns+` xmlns:r="`+rels+`">`+workbookPr+`<sheets>`+wbSheets.String()+`</sheets></workbook>`)
	add("xl/_rels/workbook.xml.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+wbRels.String()+`</Relationships>`)
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// oddSheets are sheets with cells excelize cannot write, and damaged
// sheets, each with the rows the reader reads from it, as excelize's
// streaming reader gives them: a row's cells up to its last with a value or
// a formula, "" between. hidden are the rows read as hidden. damaged is
// what the error says of a sheet that cannot be read. excelize's reader
// stops without an error at XML it cannot parse: such a sheet gives the
// rows before the damage, and a cell it cannot read is empty.
var oddSheets = []struct {
	name, sst, sheet string
	want             [][]string
	hidden           map[int]bool
	damaged          string
}{
	{name: "shared strings: rich text, phonetic runs, escapes",
		sst: `<si><t>Plain</t></si>` +
			`<si><r><t>Rich </t></r><r><rPr><b/><sz val="11"/><color rgb="FFFF0000" theme="1" tint="-0.5"/><rFont val="Arial"/></rPr><t xml:space="preserve">text</t></r></si>` +
			`<si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh><phoneticPr fontId="1" type="noConversion"/></si>` +
			`<si><t>a_x000D__x000A_b _x005F_x0041_ _xD800_c</t></si>` +
			`<si><t>first</t><r><t>run</t></r><t>last</t></si>` +
			`<si/>`,
		sheet: `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v> 2 </v></c>` +
			`<c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c><c r="F1" t="s"><v>5</v></c><c r="G1" t="s"><v>x</v></c></row>`,
		want: [][]string{{"Plain", "Rich text", "東京", "a\r\nb _x0041_ c", "lastrun", "", "Plain"}}},
	{name: "inline strings",
		sheet: `<row r="1"><c r="A1" t="inlineStr"><is><t>Inline</t></is></c>` +
			`<c r="B1" t="inlineStr"><is><r><t>Run</t></r><r><rPr><i val="1"/></rPr><t>s</t></r></is></c>` +
			`<c r="C1" t="inlineStr"><v>from v</v></c><c r="D1" t="inlineStr"><is><t>_x0031_</t></is><is><r><t>2</t></r></is></c></row>`,
		want: [][]string{{"Inline", "Runs", "from v", "12"}}},
	{name: "booleans, errors, formulas, dates, numbers",
		sheet: `<row r="1"><c r="A1" t="b"><v>1</v></c><c r="B1" t="e"><v>#REF!</v></c><c r="C1"><f>1+1</f><v>2</v></c>` +
			`<c r="D1" t="str"><f ca="1" si="0" t="shared" ref="D1:D2">A1&amp;"x"</f><v>TRUEx</v></c><c r="E1" t="d"><v>2021-03-31T00:00:00Z</v></c>` +
			`<c r="F1"><f>NOW()</f></c><c r="G1" s="3"><v>44286</v></c><c r="H1" t="n"><v>1.5E-3</v></c></row>`,
		want: [][]string{{"1", "#REF!", "2", "TRUEx", "2021-03-31T00:00:00Z", "", "44286", "1.5E-3"}}},
	{name: "rows and cells without references",
		sheet: `<row><c t="inlineStr"><is><t>a</t></is></c><c/><c t="inlineStr"><is><t>c</t></is></c></row>` +
			`<row><c r="C2" t="inlineStr"><is><t>x</t></is></c><c t="inlineStr"><is><t>y</t></is></c></row>` +
			`<row r="4"><c r="a4"><v>lower</v></c><c r="$B$4"><v>absolute</v></c></row>`,
		want: [][]string{{"a", "", "c"}, {"", "", "x", "y"}, nil, {"lower", "absolute"}}},
	{name: "rows out of order, gaps, hidden rows",
		// A row numbered below the one before it joins that row. Row 2,
		// the first, comes after a gap: excelize gives its flags to the
		// empty row before it, so it is not read as hidden. "yes" is not
		// a boolean; of two hidden attributes the last counts.
		sheet: `<row r="2" hidden="1"><c r="A2"><v>2</v></c></row><row r="5" hidden="true" x14ac:dyDescent="0.25" xmlns:x14ac="urn:x"><c r="B5"><v>5</v></c></row>` +
			`<row r="4"><c r="A4"><v>4</v></c></row><row r="6" hidden="yes"><c r="A6"><v>6</v></c></row><row r="7" hidden="0" hidden="1"><c r="A7"><v>7</v></c></row>`,
		want:   [][]string{nil, {"2"}, nil, nil, {"", "5", "4"}, {"6"}, {"7"}},
		hidden: map[int]bool{5: true, 7: true}},
	{name: "references, line breaks, white space",
		sheet: "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>a &amp; b &lt;c&gt; &#10;&#x2022; &quot;q&apos;</t></is></c>" +
			"<c r=\"B1\" t=\"inlineStr\"><is><t>one&#13;&#10;two\r\nthree\rfour</t></is></c><c r=\"C1\" t=\"inlineStr\"><is><t xml:space=\"preserve\">  </t></is></c>" +
			"<c r=\"D1\" t=\"str\"><v>&#xD800;</v></c>\n  </row>",
		want: [][]string{{"a & b <c> \n• \"q'", "one\r\ntwo\nthree\nfour", "  ", "\uFFFD"}}},
	{name: "prefixed names, a processing instruction",
		sheet: `<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>` +
			`<x:row x:r="1"><x:c x:r="B1" x:t="inlineStr"><x:is><x:t>b</x:t></x:is></x:c><?mso-application progid="Excel.Sheet"?></x:row></x:sheetData></x:worksheet>`,
		want: [][]string{{"", "b"}}},
	{name: "rows after the sheet data",
		sheet: `<?xml version="1.0"?><worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>` +
			`<extLst><row r="3"><c r="A3"><v>3</v></c></row></extLst></worksheet>`,
		want: [][]string{{"1"}, nil, {"3"}}},
	{name: "no sheet data", sheet: `<?xml version="1.0"?><worksheet/>`},
	{name: "'>' in an attribute", sheet: `<row r="1" x="a>b"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>`, want: [][]string{{"a"}}},
	{name: "'<' in a processing instruction", sheet: `<row r="1"><?pi <c r="B1" s="9"/>?><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>`,
		want: [][]string{{"a"}}},
	{name: "comment", sheet: `<row r="1"><!-- x --><c r="A1"><v>1</v></c></row>`, want: [][]string{{"1"}}},
	{name: "CDATA", sheet: `<row r="1"><c r="A1" t="str"><v><![CDATA[a<b]]></v></c></row>`, want: [][]string{{"a<b"}}},
	{name: "element inside a cell", sheet: `<row r="1"><c r="A1"><extLst/><v>1</v></c></row>`, want: [][]string{{"1"}}},
	{name: "encoding not UTF-8", sheet: `<?xml version="1.0" encoding="windows-1252"?><worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>`,
		want: [][]string{{"1"}}},
	{name: "damaged reference", sheet: `<row r="1"><c r="A0"><v>1</v></c></row>`, damaged: `cannot convert cell "A0" to coordinates`},
	{name: "row number not a number", sheet: `<row r="1"><c r="A1"><v>1</v></c></row><row r="x"><c r="A2"><v>2</v></c></row>`,
		damaged: `parsing "x": invalid syntax`},
	{name: "shared strings without name space", sst: `<?xml version="1.0"?><sst><si><t>x</t></si></sst>`, sheet: `<row r="1"><c r="A1" t="s"><v>0</v></c></row>`,
		damaged: "expected element <sst> in name space"},
	{name: "shared string missing", sst: `<si><t>only</t></si>`, sheet: `<row r="1"><c r="A1" t="s"><v>1</v></c></row>`},
	{name: "style not a number", sheet: `<row r="1"><c r="A1" s=""><v>1</v></c></row>`},
	{name: "formula attribute not a boolean", sheet: `<row r="1"><c r="A1"><f ca="maybe">1</f><v>1</v></c></row>`},
	{name: "run property not a number", sheet: `<row r="1"><c r="A1" t="inlineStr"><is><r><rPr><sz val="big"/></rPr><t>x</t></r></is></c></row>`},
	{name: "invalid UTF-8", sheet: "<row r=\"1\"><c r=\"A1\" t=\"str\"><v>a\xffb</v></c></row><row r=\"2\"><c r=\"A2\"><v>2</v></c></row>"},
	{name: "control character", sheet: "<row r=\"1\"><c r=\"A1\" t=\"str\"><v>a\x01b</v></c></row>"},
	{name: "character reference to NUL", sheet: `<row r="1"><c r="A1" t="str"><v>a&#0;b</v></c></row>`},
	{name: "unknown entity", sheet: `<row r="1"><c r="A1" t="str"><v>&nbsp;</v></c></row>`},
	{name: "mismatched end tag", sheet: `<row r="1"><c r="A1"><v>1</c></v></row>`},
	{name: "cut short", sheet: `<?xml version="1.0"?><worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>2`,
		want: [][]string{{"1"}}},
}

func TestOddSheets(t *testing.T) {
	for _, tc := range oddSheets {
		t.Run(tc.name, func(t *testing.T) {
			b := rawBook(t, "", tc.sst, tc.sheet)
			p, err := checkPackage(b, tc.name, 1<<20)
			if err != nil {
				t.Fatal(err)
			}
			f, err := openExcelize(b, tc.name, 1<<20)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			rd := &reader{f: f, pkg: p, file: tc.name}
			got, hidden, err := rd.rows("Plan", 100, true)
			if tc.damaged != "" {
				e := mustError(t, err, tc.name, ErrNotWorkbook)
				if e.Sheet != "Plan" || !strings.Contains(e.Msg, "the sheet is damaged") || !strings.Contains(e.Msg, tc.damaged) {
					t.Errorf("error %q, want one naming sheet Plan as damaged: %s", err, tc.damaged)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if (len(got) > 0 || len(tc.want) > 0) && !reflect.DeepEqual(got, tc.want) {
				t.Errorf("rows\n%q\nwant\n%q", got, tc.want)
			}
			if (len(hidden) > 0 || len(tc.hidden) > 0) && !reflect.DeepEqual(hidden, tc.hidden) {
				t.Errorf("hidden rows %v, want %v", hidden, tc.hidden)
			}

			// Read, whose header search finds no plan in these sheets,
			// says what is wrong in one line.
			s, err := Read(bytes.NewReader(b), "odd.xlsx", DefaultOptions())
			checkRead(t, "odd.xlsx", s, err)
			if s != nil {
				t.Fatalf("read a plan from %q", tc.sheet)
			}
			switch {
			case tc.damaged != "":
				if e := mustError(t, err, "odd.xlsx", ErrNotWorkbook); e.Sheet != "Plan" {
					t.Errorf("error %q does not name the sheet", err)
				}
			case len(tc.want) == 0:
				mustError(t, err, "odd.xlsx", ErrEmpty)
			default:
				mustError(t, err, "odd.xlsx", ErrNoHeader)
			}
		})
	}
}

// TestOddWorkbooks reads whole handmade workbooks: dates in the 1900 and
// 1904 systems, rich and inline strings, a formula's cached text, a hidden
// row, booleans and an error value.
func TestOddWorkbooks(t *testing.T) {
	plan := `<row r="1"><c r="A1" t="inlineStr"><is><t>Plan</t></is></c></row>` +
		`<row r="3"><c r="A3" t="s"><v>0</v></c><c r="B3" t="s"><v>1</v></c><c r="C3" t="s"><v>2</v></c><c r="D3" t="s"><v>3</v></c></row>` +
		`<row r="4"><c r="A4" t="inlineStr"><is><r><t>Do </t></r><r><t>it</t></r></is></c><c r="B4" t="inlineStr"><is><t>Jane Smith</t></is></c>` +
		`<c r="C4"><v>44286</v></c><c r="D4" t="b"><v>1</v></c></row>` +
		`<row r="5" hidden="1"><c r="A5" t="str"><f>A4</f><v>Do it</v></c><c r="C5" t="d"><v>2021-03-31T00:00:00</v></c><c r="D5" t="e"><v>#N/A</v></c></row>`
	sst := `<si><t>Action</t></si><si><t>Lead Owner (s)</t></si><si><t>Target date</t></si><si><t>Update</t><rPh sb="0" eb="1"><t>u</t></rPh></si>`
	owners := `<row><c t="inlineStr"><is><t>Name</t></is></c><c t="inlineStr"><is><t>Role</t></is></c></row>` +
		`<row><c t="inlineStr"><is><t>Jane Smith</t></is></c><c t="inlineStr"><is><t>Director_x000D_</t></is></c></row>`
	for _, tc := range []struct{ name, workbookPr, serialDate, shown string }{
		// The serial number 44286 is a date in the workbook's date system;
		// a date typed as an ISO date (t="d") is that date in both.
		{"1900 dates", "", "2021-03-31", "31/03/2021"},
		{"1904 dates", `<workbookPr date1904="1"/>`, "2025-04-01", "01/04/2025"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Read(bytes.NewReader(rawBook(t, tc.workbookPr, sst, plan, owners)), "odd.xlsx", DefaultOptions())
			if err != nil {
				t.Fatal(err)
			}
			if s.Sheet != "Plan" || s.Title != "Plan" || !reflect.DeepEqual(s.Columns, []string{"Action", "Lead Owner (s)", "Target date", "Update"}) {
				t.Errorf("sheet %q, title %q, columns %q", s.Sheet, s.Title, s.Columns)
			}
			type row struct{ cell, action, owner, target, update string }
			var got []row
			for _, a := range s.Actions {
				got = append(got, row{a.Cell, a.Text, a.Owner, a.Schedule.Target.Date.Format(time.DateOnly), a.Update})
			}
			want := []row{
				{"A4", "Do it", "Jane Smith", tc.serialDate, "1"},
				{"A5", "Do it", "", "2021-03-31", "#N/A"},
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("actions\n%q\nwant\n%q", got, want)
			}
			var problems []string
			for _, p := range s.Problems {
				problems = append(problems, fmt.Sprintf("%s %s %s", p.Cell, p.Severity, p.Message))
			}
			wantProblems := []string{
				"C4 warning the number 44286 is read as the date " + tc.shown + ": format the cell as a date",
				"D5 error the cell shows the error #N/A: correct its formula or type the value",
				"A5 warning row 5 is hidden in the workbook; it is read like any other row",
			}
			if !reflect.DeepEqual(problems, wantProblems) {
				t.Errorf("problems\n%q\nwant\n%q", problems, wantProblems)
			}
		})
	}
}

// FuzzSheetXML feeds the reader odd and damaged sheet and shared strings
// XML, packed into a workbook (mutated zip files rarely get past their
// checksums to the XML): it must never panic, and must either read a
// statement or return a one-line *Error.
func FuzzSheetXML(f *testing.F) {
	for _, tc := range oddSheets {
		f.Add(tc.sheet, tc.sst)
	}
	for _, path := range []string{draftPlan, october} {
		zr, err := zip.OpenReader(path)
		if err != nil {
			f.Fatal(err)
		}
		part := func(name string) string {
			for _, zf := range zr.File {
				if zf.Name == name {
					rc, err := zf.Open()
					if err != nil {
						f.Fatal(err)
					}
					var b bytes.Buffer
					if _, err := b.ReadFrom(rc); err != nil {
						f.Fatal(err)
					}
					rc.Close()
					return b.String()
				}
			}
			return ""
		}
		f.Add(part("xl/worksheets/sheet1.xml"), part("xl/sharedStrings.xml"))
		zr.Close()
	}
	opt := DefaultOptions()
	opt.MaxUnzipSize = 8 << 20
	opt.MaxRows = 500
	f.Fuzz(func(t *testing.T, sheet, sst string) {
		if len(sheet)+len(sst) > 1<<16 {
			return
		}
		s, err := Read(bytes.NewReader(rawBook(t, "", sst, sheet)), "fuzz.xlsx", opt)
		checkRead(t, "fuzz.xlsx", s, err)
	})
}
