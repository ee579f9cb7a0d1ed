package workbook

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// textBook is a workbook of one sheet, "Plan": a header row and one action
// whose update is the shared string update (XML, escaped as it is to be
// stored), unless parts replace the sheet or add parts of their own.
func textBook(t testing.TB, update string, parts map[string]string) []byte {
	t.Helper()
	const decl = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
	inline := func(ref, text string) string {
		return fmt.Sprintf(`<c r="%s" t="inlineStr"><is><t>%s</t></is></c>`, ref, text)
	}
	all := map[string]string{
		"[Content_Types].xml": decl + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`,
		"_rels/.rels":         decl + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml":     decl + `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Plan" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": decl + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>` +
			`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
		"xl/sharedStrings.xml": decl + `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t xml:space="preserve">` + update + `</t></si></sst>`,
		"xl/worksheets/sheet1.xml": decl + `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
			`<row r="1">` + inline("A1", "Ref") + inline("B1", "Action") + inline("C1", "Lead Owner") + inline("D1", "Update") + `</row>` +
			`<row r="2">` + inline("A2", "1.1") + inline("B2", "Hold staff briefings") + inline("C2", "Jane Smith") + `<c r="D2" t="s"><v>0</v></c></row>` +
			`</sheetData></worksheet>`,
	}
	for name, body := range parts {
		all[name] = body
	}
	return zipOf(t, all)
}

// sheetWith is the sheet of textBook with D2 an inline string.
func sheetWith(d2 string) string {
	return `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
		`<row r="1"><c r="A1" t="inlineStr"><is><t>Ref</t></is></c><c r="B1" t="inlineStr"><is><t>Action</t></is></c><c r="D1" t="inlineStr"><is><t>Update</t></is></c></row>` +
		`<row r="2"><c r="A2" t="inlineStr"><is><t>1.1</t></is></c><c r="B2" t="inlineStr"><is><t>Hold staff briefings</t></is></c>` +
		`<c r="D2" t="inlineStr"><is><t>` + d2 + `</t></is></c></row></sheetData></worksheet>`
}

func TestTextBounds(t *testing.T) {
	a := func(n int) string { return strings.Repeat("a", n) }
	for _, c := range []struct {
		name   string
		update string            // the shared string
		parts  map[string]string // parts replaced or added
		want   string            // in the error; "" when the workbook is read
		sheet  string
		cell   string
	}{
		{name: "a shared string of 32,767 characters, Excel's most, is read", update: a(MaxCellText)},
		{name: "a shared string of 40,000 characters is refused", update: a(40000),
			want: "has a piece of text of more than 32,767 characters in its shared strings (xl/sharedStrings.xml), more than Excel allows in a cell: find the cell with the longest text, shorten it and save the workbook again"},
		{name: "a shared string one character too long is refused", update: a(MaxCellText + 1), want: "more than 32,767 characters"},
		{name: "an entity is one character", update: strings.Repeat("&amp;", MaxCellText)},
		{name: "a character reference is one character", update: strings.Repeat("&#x2019;", MaxCellText/2) + strings.Repeat("&#8217;", MaxCellText-MaxCellText/2)},
		{name: "entities beyond the most are refused", update: strings.Repeat("&lt;", MaxCellText+1), want: "more than 32,767 characters"},
		{name: "what is not an entity counts byte by byte", update: strings.Repeat("&x;", MaxCellText/3+1), want: "more than 32,767 characters"},
		{name: "a character of several bytes is one character", update: strings.Repeat("ŵ", MaxCellText/2) + strings.Repeat("👍", MaxCellText-MaxCellText/2)},
		{name: "a shared string of 40,000 characters in two runs is refused",
			update: `x</t></si><si><r><t>` + a(20000) + `</t></r><r><rPr><rFont val="Arial"/></rPr><t>` + a(20000) + `</t></r></si><si><t>y`,
			want:   "more than 32,767 characters in its shared strings"},
		{name: "two shared strings of 30,000 characters are read",
			update: a(30000) + `</t></si><si><r><t>` + a(30000) + `</t></r></si><si><t>y`},
		{name: "an inline string of 40,000 characters in two runs is refused",
			parts: map[string]string{"xl/worksheets/sheet1.xml": sheetWith(a(20000) + `</t><t>` + a(20000))},
			want:  `sheet "Plan", cell D2: has a value of more than 32,767 characters`, sheet: "Plan", cell: "D2"},
		{name: "an inline string of 40,000 characters in a sheet is refused, naming its cell",
			parts: map[string]string{"xl/worksheets/sheet1.xml": sheetWith(a(40000))},
			want:  `sheet "Plan", cell D2: has a value of more than 32,767 characters, more than Excel allows in a cell: shorten it`, sheet: "Plan", cell: "D2"},
		{name: "an inline string of 32,767 characters is read",
			parts: map[string]string{"xl/worksheets/sheet1.xml": sheetWith(a(MaxCellText))}},
		{name: "CDATA in a sheet counts as text",
			parts: map[string]string{"xl/worksheets/sheet1.xml": sheetWith(`<![CDATA[` + a(40000) + `]]>`)},
			want:  `sheet "Plan", cell D2: has a value of more than 32,767 characters`, sheet: "Plan", cell: "D2"},
		{name: "a long attribute in the styles is refused, naming the part",
			parts: map[string]string{"xl/styles.xml": `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="` + a(40000) + `"/></numFmts></styleSheet>`},
			want:  "has a value of more than 32,767 characters in xl/styles.xml, which Excel does not write: open it in Excel or LibreOffice, save it again and try again"},
		{name: "a long comment in the workbook part is refused",
			parts: map[string]string{"xl/workbook.xml": `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><!--` + a(40000) + `--><sheets><sheet name="Plan" sheetId="1" r:id="rId1"/></sheets></workbook>`},
			want:  "in xl/workbook.xml"},
		{name: "a long element name is refused",
			parts: map[string]string{"xl/worksheets/sheet1.xml": sheetWith(`<` + a(40000) + `/>`)},
			want:  "more than 32,767 characters", sheet: "Plan", cell: "D2"},
		{name: "a part the workbook names as its sheet is read as XML, whatever its name",
			parts: map[string]string{
				"xl/_rels/workbook.xml.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="media/image1.png"/></Relationships>`,
				"xl/media/image1.png":        sheetWith(a(40000)),
			},
			want: `sheet "Plan", cell D2: has a value of more than 32,767 characters`, sheet: "Plan", cell: "D2"},
		{name: "a part in another encoding counts every byte", // excelize converts it to UTF-8
			parts: map[string]string{"xl/sharedStrings.xml": `<?xml version="1.0" encoding="ISO-8859-1"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>` +
				strings.Repeat("\xe9\xa9", 20000) + `</t></si></sst>`},
			want: "more than 32,767 characters"},
		{name: "a picture is not text",
			parts: map[string]string{"xl/media/image1.png": "\x89PNG\r\n\x1a\n" + a(100000)}},
		{name: "a binary part the workbook names is not text beyond its first control character",
			parts: map[string]string{
				"xl/_rels/workbook.xml.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>` +
					`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>` +
					`<Relationship Id="rId3" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/></Relationships>`,
				"xl/vbaProject.bin": "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" + a(100000),
			}},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := textBook(t, c.update, c.parts)
			s, err := Read(bytes.NewReader(b), "plan.xlsx", DefaultOptions())
			if c.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if len(s.Actions) != 1 {
					t.Fatalf("%d actions", len(s.Actions))
				}
				return
			}
			e := mustError(t, err, "plan.xlsx", ErrTooLarge)
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q lacks %q", err, c.want)
			}
			if e.Sheet != c.sheet || e.Cell != c.cell {
				t.Errorf("sheet %q, cell %q; want %q, %q", e.Sheet, e.Cell, c.sheet, c.cell)
			}
			// A return is read through the same check.
			_, err = ReadReturn(bytes.NewReader(b), "return.xlsx", DefaultOptions())
			mustError(t, err, "return.xlsx", ErrTooLarge)
		})
	}
}

func TestMaxText(t *testing.T) {
	b, err := os.ReadFile(october)
	if err != nil {
		t.Fatal(err)
	}
	opt := DefaultOptions()
	opt.MaxText = 10000
	_, err = Read(bytes.NewReader(b), "october.xlsx", opt)
	mustError(t, err, "october.xlsx", ErrTooLarge)
	if want := "october.xlsx: holds more than 10,000 characters of text, far more than any action plan: remove sheets and text it does not need and save it again"; err == nil || err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
	// Many short texts add up as one long one does.
	many := textBook(t, strings.Repeat(`x</t></si><si><t>`, 12000), nil)
	if _, err := Read(bytes.NewReader(many), "many.xlsx", opt); err == nil || !strings.Contains(err.Error(), "more than 10,000 characters of text") {
		t.Errorf("12,000 strings under a bound of 10,000 characters: %v", err)
	}
	opt.MaxRowsSetting = "ingest.max_rows in config.yaml"
	if _, err := Read(bytes.NewReader(b), "october.xlsx", opt); err == nil || !strings.HasSuffix(err.Error(), "(a longer plan needs a higher ingest.max_rows in config.yaml)") {
		t.Errorf("the hint does not name the setting: %v", err)
	}
	opt.MaxText = 0 // the default
	if _, err := Read(bytes.NewReader(b), "october.xlsx", opt); err != nil {
		t.Errorf("with the default bound: %v", err)
	}
	// A longer plan may have more text.
	for rows, want := range map[int]int64{0: DefaultMaxText, 5000: DefaultMaxText, 10000: DefaultMaxText, 50000: 5 * DefaultMaxText} {
		o, err := Options{MaxRows: rows}.prepare("x")
		if err != nil || o.MaxText != want {
			t.Errorf("MaxRows %d: MaxText %d, want %d (%v)", rows, o.MaxText, want, err)
		}
	}
}

// TestTextBoundsFitPlans: every workbook in data/ and the bad-input corpus's
// readable files pass; a generated plan at MaxRows (10,000 actions) is
// well inside DefaultMaxText, and a 2,000-action one more than twenty times.
func TestTextBoundsFitPlans(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join("..", "..", "data", "*.xlsx"))
	paths = append(paths, filepath.Join("..", "..", "testdata", "bad-input", "long-cells.xlsx"))
	for _, n := range []int{300, 2000, 10000} {
		p := filepath.Join(t.TempDir(), fmt.Sprintf("plan-%d.xlsx", n))
		writeLargePlan(t, p, n)
		paths = append(paths, p)
	}
	if len(paths) < 5 {
		t.Fatalf("only %v", paths)
	}
	for _, path := range paths {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		p, err := checkPackage(b, path, 256<<20)
		if err != nil {
			t.Fatal(err)
		}
		if err := p.checkText(path, DefaultOptions()); err != nil {
			t.Errorf("%v", err)
		}
		total := textOf(t, p)
		t.Logf("%s: %d characters of text", filepath.Base(path), total)
		switch base := filepath.Base(path); base {
		case "plan-2000.xlsx":
			if total*20 > DefaultMaxText {
				t.Errorf("%s: %d characters, more than a twentieth of DefaultMaxText", base, total)
			}
		case "plan-10000.xlsx":
			if total*4 > DefaultMaxText {
				t.Errorf("%s: %d characters, more than a quarter of DefaultMaxText", base, total)
			}
		}
	}
}

// textOf counts the text in a package's parts as checkText does.
func textOf(t *testing.T, p *pkg) int64 {
	t.Helper()
	sc := textScanner{maxTotal: 1 << 62}
	buf := make([]byte, 32<<10)
	for name := range p.parts {
		if !parsedAsXML(name) {
			continue
		}
		rc, err := p.open(name)
		if err != nil {
			t.Fatal(err)
		}
		if res := sc.part(rc, buf); res != scanDone && res != scanBinary {
			t.Fatalf("%s: %v", name, res)
		}
		rc.Close()
	}
	return sc.total
}

// hugeString is a ~100 KB workbook whose one shared string is size bytes
// of "a": valid, deflated, well inside a 100 MiB unpacking limit.
func hugeString(t testing.TB, size int) []byte {
	t.Helper()
	base := textBook(t, "", nil)
	zr, err := zip.NewReader(bytes.NewReader(base), int64(len(base)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestSpeed) })
	for _, f := range zr.File {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		rc, _ := f.Open()
		body, _ := io.ReadAll(rc)
		rc.Close()
		if f.Name != "xl/sharedStrings.xml" {
			w.Write(body)
			continue
		}
		head, tail, _ := bytes.Cut(body, []byte(`preserve">`))
		w.Write(append(head, `preserve">`...))
		chunk := bytes.Repeat([]byte("a"), 1<<20)
		for n := size; n > 0; n -= len(chunk) {
			w.Write(chunk[:min(n, len(chunk))])
		}
		w.Write(tail)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestHugeStringCostsLittle: the workbook of the portal issue, 100 KB
// holding one 90 MiB string, is refused having allocated a few megabytes,
// where excelize would hold the string many times over to open it.
func TestHugeStringCostsLittle(t *testing.T) {
	b := hugeString(t, 90<<20)
	opt := DefaultOptions()
	opt.MaxUnzipSize = 100 << 20 // the portal's
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := Read(bytes.NewReader(b), "return.xlsx", opt)
	_, rerr := ReadReturn(bytes.NewReader(b), "return.xlsx", opt)
	runtime.ReadMemStats(&after)
	t.Logf("%d KB workbook: %d KB allocated to refuse it twice", len(b)>>10, (after.TotalAlloc-before.TotalAlloc)>>10)
	for _, err := range []error{err, rerr} {
		mustError(t, err, "return.xlsx", ErrTooLarge)
		if !strings.Contains(err.Error(), "more than 32,767 characters in its shared strings") {
			t.Errorf("error %q", err)
		}
	}
	if len(b) > 200<<10 {
		t.Errorf("the workbook is %d KB, want about 100", len(b)>>10)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 16<<20 {
		t.Errorf("allocated %d MB to refuse it, want under 16", got>>20)
	}
}

func TestOtherEncoding(t *testing.T) {
	for head, want := range map[string]bool{
		`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst>`: false,
		"\xEF\xBB\xBF" + `<?xml version="1.0" encoding='utf-8'?>`:      false,
		`<?xml version="1.0"?><sst>`:                                   false,
		`<sst>`:                                                        false,
		`<?xml version="1.0" encoding="ISO-8859-1"?>`:                  true,
		`<?xml version="1.0" encoding = "windows-1252" ?>`:             true,
		`<?xml version="1.0" encoding="UTF-16"?>`:                      true,
		`<?xml version="1.0" ` + strings.Repeat(" ", 600):              true,
	} {
		if got := otherEncoding([]byte(head)); got != want {
			t.Errorf("%.60q: %v, want %v", head, got, want)
		}
	}
}
