package workbook

import (
	"archive/zip"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// The fast reader of rows (sheetrows.go) must give exactly what excelize's
// Rows iterator gives. These tests read the same bytes with both and
// compare: every sheet of every workbook the tests have, handmade sheets
// holding the odd cells excelize cannot write, and (FuzzSheetXML) whatever
// the fuzzer makes of them.

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

// rowLimits are the ways the reader reads a sheet: the header search, the
// plan sheet (and a plan with text beyond a small limit), a lead owners
// sheet.
var rowLimits = []struct {
	limit int
	all   bool
}{{headerSearchRows, false}, {10000, true}, {3, true}, {10000, false}}

// compareRows reads every sheet of workbook b with the fast reader and
// with excelize's, at every rowLimits, and fails the test where they
// differ; and likewise the sheets' metadata (compareMeta). It returns how
// many reads the fast reader made, how many it left to excelize, and for
// how many sheets planSheet would scan the metadata apart.
func compareRows(t *testing.T, name string, b []byte) (fast, slow, apart int) {
	t.Helper()
	const limit = 64 << 20
	p, err := checkPackage(b, name, limit)
	if err != nil {
		return 0, 0, 0
	}
	f, err := openExcelize(b, name, limit)
	if err != nil {
		return 0, 0, 0
	}
	defer f.Close()
	rd := &reader{f: f, pkg: p, file: name}
	for _, sheet := range f.GetSheetList() {
		for _, l := range rowLimits {
			src := rd.fastRows(sheet)
			if src == nil {
				slow++
				continue
			}
			got, err := readRows(src, l.limit, l.all) // no recover: a panic is a bug to see
			if err == errSlowPath {
				slow++
				continue
			}
			fast++
			var want rowsRead
			wantErr := safely(func() error {
				rows, err := f.Rows(sheet)
				if err != nil {
					return err
				}
				defer rows.Close()
				want, err = readRows(excelizeRows{rows}, l.limit, l.all)
				return err
			})
			if !reflect.DeepEqual(got, want) || (err == nil) != (wantErr == nil) {
				t.Errorf("%s: sheet %q, %d rows (all %v):\nfast     %#v (error %v)\nexcelize %#v (error %v)",
					name, sheet, l.limit, l.all, got, err, want, wantErr)
			}
		}
		if !compareMeta(t, name, rd, sheet) {
			apart++
		}
	}
	return fast, slow, apart
}

// compareMeta reads a sheet's metadata as planSheet does, in the pass that
// reads its rows, and as scan does, on its own, and fails the test where
// they differ. It returns whether planSheet would read it in the pass.
func compareMeta(t *testing.T, name string, rd *reader, sheet string) bool {
	t.Helper()
	if !rd.metaInPass(sheet) {
		return false
	}
	// Every column wanted, hidden or not, so every cell is compared.
	all := func(map[int]bool) func(int) bool { return func(int) bool { return true } }
	src := rd.fastRows(sheet)
	ms := newMetaScan(10000, all)
	src.s.onStart = ms.tag
	if got, err := readRows(src, 10000, true); err != nil || got.tooMany || src.s.drain() != nil || src.s.unlikeScan {
		return false // planSheet would scan the sheet on its own
	}
	parts, _ := rd.pkg.sheetParts()
	rc, err := rd.pkg.open(parts[sheet])
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	want, err := scanSheet(rc, 10000, all)
	if err != nil || !reflect.DeepEqual(ms.m, want) {
		t.Errorf("%s: sheet %q: metadata\n%+v\nscanned on its own:\n%+v (error %v)", name, sheet, ms.m, want, err)
	}
	return true
}

// readSplit reads workbook b as readWith does first, from the package
// split (pkg.split): errRestart means it would read it again whole.
func readSplit(t *testing.T, name string, b []byte) error {
	t.Helper()
	opt, err := DefaultOptions().prepare(name)
	if err != nil {
		t.Fatal(err)
	}
	p, err := checkPackage(b, name, opt.MaxUnzipSize)
	if err != nil {
		return err
	}
	thin, sheets, ok := p.split(opt.MaxUnzipSize)
	if !ok {
		return errRestart
	}
	defer releaseSheets(sheets)
	_, err = readPackage(thin, sheets, p, name, opt, false)
	return err
}

// compareRead reads workbook b as Read does, with the fast reader and with
// excelize's alone, and fails the test where the statements or errors
// differ.
func compareRead(t *testing.T, name string, b []byte, opt Options) {
	t.Helper()
	opt, err := opt.prepare(name)
	if err != nil {
		t.Fatal(err)
	}
	got, err := readWith(bytes.NewReader(b), 0, name, name, opt, false)
	want, wantErr := readWith(bytes.NewReader(b), 0, name, name, opt, true)
	if fmt.Sprint(err) != fmt.Sprint(wantErr) {
		t.Errorf("%s: error\n%v\nwith excelize's reader:\n%v", name, err, wantErr)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s: statement\n%+v\nwith excelize's reader:\n%+v", name, got, want)
	}
}

// corpusFiles returns the []byte values of a fuzz target's corpus in
// testdata/fuzz.
func corpusFiles(t *testing.T, target string) map[string][]byte {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "fuzz", target, "*"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, path := range paths {
		text, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(text)), "\n")
		for i, line := range lines[1:] {
			q, ok := strings.CutPrefix(line, "[]byte(")
			if !ok {
				continue
			}
			v, err := strconv.Unquote(strings.TrimSuffix(q, ")"))
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			out[fmt.Sprintf("%s/%s#%d", target, filepath.Base(path), i)] = []byte(v)
		}
	}
	return out
}

// realWorkbooks returns the workbooks people made or papers writes: the
// samples, the bad-input corpus, the quirks, returns and a generated plan.
func realWorkbooks(t *testing.T) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	var paths []string
	for _, pattern := range []string{"../../data/*.xlsx", "../../../shared/samples/*.xlsx", "../../testdata/bad-input/*.xlsx"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, m...)
	}
	if len(paths) < 10 {
		t.Fatalf("found only %d sample workbooks: %v", len(paths), paths)
	}
	for _, path := range paths {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		out[path] = b
	}
	for name, q := range quirks {
		out["quirk "+name] = q(t).bytes()
	}
	for _, owner := range []string{"Sandy Hopkins", ""} {
		out["return "+owner] = retBytes(t, retFor(t, owner), WriteOptions{})
	}
	path := filepath.Join(t.TempDir(), "large.xlsx")
	writeLargePlan(t, path, 300)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out["generated plan"] = b
	return out
}

func sortedKeys(m map[string][]byte) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func TestFastRowsMatchExcelize(t *testing.T) {
	real := realWorkbooks(t)
	for _, name := range sortedKeys(real) {
		fast, slow, apart := compareRows(t, name, real[name])
		// The point of the fast reader: it must read the workbooks that
		// can be read itself, not leave them to excelize, nor read them
		// twice.
		if _, err := Read(bytes.NewReader(real[name]), name, DefaultOptions()); err == nil {
			if slow > 0 || apart > 0 {
				t.Errorf("%s: %d of %d sheet reads left to excelize; %d sheets' metadata read apart", name, slow, fast+slow, apart)
			}
			if err := readSplit(t, name, real[name]); err != nil {
				t.Errorf("%s: read from the split package: %v", name, err)
			}
		}
		compareRead(t, name, real[name], DefaultOptions())
	}
	for _, target := range []string{"FuzzRead", "FuzzReadReturn"} {
		files := corpusFiles(t, target)
		if len(files) < 50 {
			t.Fatalf("%s: %d corpus files", target, len(files))
		}
		fast, slow, restarts := 0, 0, 0
		for _, name := range sortedKeys(files) {
			f, s, _ := compareRows(t, name, files[name])
			fast, slow = fast+f, slow+s
			compareRead(t, name, files[name], DefaultOptions())
			if readSplit(t, name, files[name]) == errRestart {
				restarts++
			}
		}
		t.Logf("%s: %d corpus files, %d sheet reads by the fast reader, %d left to excelize; %d read again whole",
			target, len(files), fast, slow, restarts)
		if fast == 0 {
			t.Errorf("%s: the fast reader read none of the corpus", target)
		}
	}
}

// oddSheets are sheets with cells excelize cannot write, each with the rows
// the reader reads (nil: compare with excelize only). fallback says the
// fast reader must leave the sheet to excelize.
var oddSheets = []struct {
	name, sst, sheet string
	want             [][]string
	fallback         bool
	metaApart        bool // scanSheet would see the tags otherwise: planSheet reads the metadata apart
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
		sheet: `<row r="2" hidden="1"><c r="A2"><v>2</v></c></row><row r="5" hidden="true" x14ac:dyDescent="0.25" xmlns:x14ac="urn:x"><c r="B5"><v>5</v></c></row>` +
			`<row r="4"><c r="A4"><v>4</v></c></row><row r="6" hidden="yes"><c r="A6"><v>6</v></c></row><row r="7" hidden="0" hidden="1"><c r="A7"><v>7</v></c></row>`},
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
	{name: "'>' in an attribute", sheet: `<row r="1" x="a>b"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>`, want: [][]string{{"a"}}, metaApart: true},
	{name: "'<' in a processing instruction", sheet: `<row r="1"><?pi <c r="B1" s="9"/>?><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>`,
		want: [][]string{{"a"}}, metaApart: true},
	{name: "comment", sheet: `<row r="1"><!-- x --><c r="A1"><v>1</v></c></row>`, fallback: true},
	{name: "CDATA", sheet: `<row r="1"><c r="A1" t="str"><v><![CDATA[a<b]]></v></c></row>`, fallback: true},
	{name: "element inside a cell", sheet: `<row r="1"><c r="A1"><extLst/><v>1</v></c></row>`, fallback: true},
	{name: "damaged reference", sheet: `<row r="1"><c r="A0"><v>1</v></c></row>`, fallback: true},
	{name: "shared string missing", sst: `<si><t>only</t></si>`, sheet: `<row r="1"><c r="A1" t="s"><v>1</v></c></row>`, fallback: true},
	{name: "row number not a number", sheet: `<row r="1"><c r="A1"><v>1</v></c></row><row r="x"><c r="A2"><v>2</v></c></row>`, fallback: true},
	{name: "style not a number", sheet: `<row r="1"><c r="A1" s=""><v>1</v></c></row>`, fallback: true},
	{name: "formula attribute not a boolean", sheet: `<row r="1"><c r="A1"><f ca="maybe">1</f><v>1</v></c></row>`, fallback: true},
	{name: "run property not a number", sheet: `<row r="1"><c r="A1" t="inlineStr"><is><r><rPr><sz val="big"/></rPr><t>x</t></r></is></c></row>`, fallback: true},
	{name: "shared strings without name space", sst: `<?xml version="1.0"?><sst><si><t>x</t></si></sst>`, sheet: `<row r="1"><c r="A1" t="s"><v>0</v></c></row>`, fallback: true},
	{name: "encoding not UTF-8", sheet: `<?xml version="1.0" encoding="windows-1252"?><worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>`, fallback: true},
	{name: "invalid UTF-8", sheet: "<row r=\"1\"><c r=\"A1\" t=\"str\"><v>a\xffb</v></c></row><row r=\"2\"><c r=\"A2\"><v>2</v></c></row>", fallback: true},
	{name: "control character", sheet: "<row r=\"1\"><c r=\"A1\" t=\"str\"><v>a\x01b</v></c></row>", fallback: true},
	{name: "character reference to NUL", sheet: `<row r="1"><c r="A1" t="str"><v>a&#0;b</v></c></row>`, fallback: true},
	{name: "unknown entity", sheet: `<row r="1"><c r="A1" t="str"><v>&nbsp;</v></c></row>`, fallback: true},
	{name: "mismatched end tag", sheet: `<row r="1"><c r="A1"><v>1</c></v></row>`, fallback: true},
	{name: "cut short", sheet: `<?xml version="1.0"?><worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>2`, fallback: true},
}

func TestOddSheets(t *testing.T) {
	for _, tc := range oddSheets {
		t.Run(tc.name, func(t *testing.T) {
			b := rawBook(t, "", tc.sst, tc.sheet)
			fast, slow, apart := compareRows(t, tc.name, b)
			if tc.fallback && fast > 0 {
				t.Errorf("the fast reader read %d times what it should leave to excelize", fast)
			}
			if !tc.fallback && slow > 0 {
				t.Errorf("%d of %d reads left to excelize", slow, fast+slow)
			}
			if !tc.fallback && (apart > 0) != tc.metaApart {
				t.Errorf("metadata read apart: %v", apart > 0)
			}
			if err := readSplit(t, tc.name, b); (err == errRestart) != tc.fallback {
				t.Errorf("read from the split package: %v", err)
			}
			compareRead(t, tc.name, b, DefaultOptions())
			if tc.want == nil {
				return
			}
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
			got, _, err := rd.rows("Plan", 100, true)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("rows\n%q\nwant\n%q", got, tc.want)
			}
		})
	}
}

// TestOddWorkbooks reads whole handmade workbooks both ways: dates in the
// 1904 system, several sheets, a lead owners sheet.
func TestOddWorkbooks(t *testing.T) {
	plan := `<row r="1"><c r="A1" t="inlineStr"><is><t>Plan</t></is></c></row>` +
		`<row r="3"><c r="A3" t="s"><v>0</v></c><c r="B3" t="s"><v>1</v></c><c r="C3" t="s"><v>2</v></c><c r="D3" t="s"><v>3</v></c></row>` +
		`<row r="4"><c r="A4" t="inlineStr"><is><r><t>Do </t></r><r><t>it</t></r></is></c><c r="B4" t="inlineStr"><is><t>Jane Smith</t></is></c>` +
		`<c r="C4"><v>44286</v></c><c r="D4" t="b"><v>1</v></c></row>` +
		`<row r="5" hidden="1"><c r="A5" t="str"><f>A4</f><v>Do it</v></c><c r="C5" t="d"><v>2021-03-31T00:00:00</v></c><c r="D5" t="e"><v>#N/A</v></c></row>`
	sst := `<si><t>Action</t></si><si><t>Lead Owner (s)</t></si><si><t>Target date</t></si><si><t>Update</t><rPh sb="0" eb="1"><t>u</t></rPh></si>`
	owners := `<row><c t="inlineStr"><is><t>Name</t></is></c><c t="inlineStr"><is><t>Role</t></is></c></row>` +
		`<row><c t="inlineStr"><is><t>Jane Smith</t></is></c><c t="inlineStr"><is><t>Director_x000D_</t></is></c></row>`
	for _, tc := range []struct{ name, workbookPr string }{
		{"1900 dates", ""},
		{"1904 dates", `<workbookPr date1904="1"/>`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := rawBook(t, tc.workbookPr, sst, plan, owners)
			if fast, slow, apart := compareRows(t, tc.name, b); slow > 0 || apart > 0 || fast == 0 {
				t.Errorf("%d of %d reads left to excelize", slow, fast+slow)
			}
			compareRead(t, tc.name, b, DefaultOptions())
		})
	}
}

// FuzzSheetXML compares the two readers on fuzzed sheet and shared strings
// XML, packed into a workbook.
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
	f.Fuzz(func(t *testing.T, sheet, sst string) {
		if len(sheet)+len(sst) > 1<<16 {
			return
		}
		compareRows(t, "fuzz.xlsx", rawBook(t, "", sst, sheet))
	})
}

// FuzzReadFast compares reading whole workbooks as Read does (split, with
// the fast reader) and with excelize's reader of rows alone, on damaged and
// odd packages.
func FuzzReadFast(f *testing.F) {
	addWorkbookSeeds(f)
	for _, tc := range oddSheets {
		f.Add(rawBook(f, "", tc.sst, tc.sheet))
	}
	opt := DefaultOptions()
	opt.MaxUnzipSize = 8 << 20
	opt.MaxRows = 500
	f.Fuzz(func(t *testing.T, data []byte) {
		compareRead(t, "fuzz.xlsx", data, opt)
	})
}
