package pdfua

import (
	"archive/zip"
	"bytes"
	"context"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The fixtures in testdata are made here: `go test ./internal/pdfua -run
// TestFixtures -update` writes them (the LibreOffice one needs soffice).
// Without -update, TestFixtures checks the committed hand-made files are
// what this code makes, so a fixture and the code describing it cannot
// drift apart.

var update = flag.Bool("update", false, "rewrite the fixtures in testdata")

// pdfFile assembles numbered objects into a PDF with a correct xref table.
type pdfFile struct {
	objs map[int]string
	max  int
}

func newPDF() *pdfFile { return &pdfFile{objs: map[int]string{}} }

func (f *pdfFile) set(n int, body string) {
	f.objs[n] = body
	if n > f.max {
		f.max = n
	}
}

func (f *pdfFile) setStream(n int, dict, data string) {
	f.set(n, fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(data)+1, data))
}

func (f *pdfFile) bytes(root, info int) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, f.max+1)
	for n := 1; n <= f.max; n++ {
		body, ok := f.objs[n]
		if !ok {
			body = "null"
		}
		offsets[n] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", n, body)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", f.max+1)
	for n := 1; n <= f.max; n++ {
		fmt.Fprintf(&b, "%010d 00000 n \n", offsets[n])
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root %d 0 R", f.max+1, root)
	if info > 0 {
		fmt.Fprintf(&b, " /Info %d 0 R", info)
	}
	fmt.Fprintf(&b, " /ID [<5061706572735044465541> <5061706572735044465541>] >>\nstartxref\n%d\n%%%%EOF\n", xref)
	return b.Bytes()
}

// untaggedPDF is one line of text in unembedded Helvetica, with no tags at
// all: what papers' report was before issue 14.
func untaggedPDF() []byte {
	f := newPDF()
	f.set(1, "<< /Type /Catalog /Pages 2 0 R >>")
	f.set(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	f.set(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>")
	f.set(4, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	f.setStream(5, "", "BT /F1 14 Tf 72 760 Td (Agenda item 1: minutes of the last meeting) Tj ET")
	return f.bytes(1, 0)
}

// variant says how a hand-made tagged fixture differs from the good one.
type variant struct {
	skipHeading     bool // H1 then H3
	tableNoTH       bool // the header cell is a TD
	figureNoAlt     bool
	mcidTwice       bool // the Figure's K also holds the paragraph's MCID
	textOutside     bool // a line of text outside any marked content
	formOutside     bool // the Form XObject with text drawn outside marked content
	helvetica       bool // a paragraph in unembedded Helvetica
	noLang          bool
	noDisplayTitle  bool
	noPDFUAID       bool
	notMarked       bool
	noTabs          bool
	linkNoStruct    bool // the Link annotation has no /StructParent
	parentTreeWrong bool // the ParentTree maps the paragraph's MCID to the H1
	unreachedMCID   bool // a sequence with an MCID no element holds
	customRoles     bool // headings and paragraphs under custom roles mapped by the RoleMap
	unmappedRole    bool // a custom role the RoleMap does not map
	pathOutside     bool // a rule painted outside marked content
	imageOutside    bool // an inline image outside marked content
}

const fixtureXMP = `<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">Budget monitoring</rdf:li></rdf:Alt></dc:title>
   %s
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`

// taggedPDF is a small tagged page (headings, a paragraph, a table, a
// figure, a Form XObject, a link and artifacts) that meets every rule,
// changed as v says. Its font is a Type 3 font whose glyphs are boxes: it
// needs no font program, so the fixtures stay small, and a ToUnicode map
// gives its text.
func taggedPDF(v variant) []byte {
	f := newPDF()
	cat := "<< /Type /Catalog /Pages 2 0 R /StructTreeRoot 5 0 R /Metadata 4 0 R"
	if !v.notMarked {
		cat += " /MarkInfo << /Marked true >>"
	} else {
		cat += " /MarkInfo << /Marked false >>"
	}
	if !v.noLang {
		cat += " /Lang (en-GB)"
	}
	if !v.noDisplayTitle {
		cat += " /ViewerPreferences << /DisplayDocTitle true >>"
	}
	f.set(1, cat+" >>")
	f.set(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	pg := "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 6 0 R /F2 26 0 R >> /XObject << /Fm1 8 0 R >> >> /Contents 7 0 R /StructParents 0 /Annots [21 0 R]"
	if !v.noTabs {
		pg += " /Tabs /S"
	}
	f.set(3, pg+" >>")
	id := "<pdfuaid:part>1</pdfuaid:part>"
	if v.noPDFUAID {
		id = ""
	}
	f.setStream(4, "/Type /Metadata /Subtype /XML", fmt.Sprintf(fixtureXMP, id))
	roleMap := "<< /Heading1 /H1 /Para /P >>"
	f.set(5, "<< /Type /StructTreeRoot /K 9 0 R /ParentTree 10 0 R /ParentTreeNextKey 2 /RoleMap "+roleMap+" >>")
	// A Type 3 font: codes 32..126, space and a box glyph, with ToUnicode.
	var widths []string
	diffs := []string{"32 /space"}
	for c := 32; c <= 126; c++ {
		if c == 32 {
			widths = append(widths, "280")
			continue
		}
		widths = append(widths, "520")
		diffs = append(diffs, "/box")
	}
	f.set(6, fmt.Sprintf("<< /Type /Font /Subtype /Type3 /Name /Box /FontBBox [0 0 460 700] /FontMatrix [0.001 0 0 0.001 0 0] "+
		"/CharProcs << /box 22 0 R /space 23 0 R >> /Encoding << /Type /Encoding /Differences [%s] >> "+
		"/FirstChar 32 /LastChar 126 /Widths [%s] /ToUnicode 24 0 R /Resources << >> >>",
		strings.Join(diffs, " "), strings.Join(widths, " ")))
	f.setStream(22, "", "520 0 40 0 480 700 d1 40 0 440 700 re f")
	f.setStream(23, "", "280 0 d0")
	f.setStream(24, "", "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"+
		"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def /CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"+
		"1 begincodespacerange <20> <7E> endcodespacerange\n1 beginbfrange <20> <7E> <0020> endbfrange\n"+
		"endcmap CMapName currentdict /CMap defineresource pop end end")
	f.set(26, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")

	pfont := "/F1"
	if v.helvetica {
		pfont = "/F2"
	}
	var c strings.Builder
	c.WriteString("/H1 <</MCID 0>> BDC BT /F1 18 Tf 72 780 Td (Budget monitoring) Tj ET EMC\n")
	c.WriteString("/H2 <</MCID 1>> BDC BT /F1 14 Tf 72 750 Td (Revenue) Tj ET EMC\n")
	fmt.Fprintf(&c, "/P <</MCID 2>> BDC BT %s 11 Tf 72 720 Td (The forecast is on budget.) Tj ET EMC\n", pfont)
	c.WriteString("/TH <</MCID 3>> BDC BT /F1 11 Tf 72 690 Td (Service) Tj ET EMC\n")
	c.WriteString("/TD <</MCID 4>> BDC BT /F1 11 Tf 72 670 Td (Libraries) Tj ET EMC\n")
	c.WriteString("/Artifact BMC 0.5 w 70 685 m 300 685 l S EMC\n")
	c.WriteString("/Figure <</MCID 5>> BDC q 0.2 0.4 0.8 rg 72 560 100 80 re f Q EMC\n")
	if v.formOutside {
		c.WriteString("/P <</MCID 6>> BDC EMC\n/Fm1 Do\n")
	} else {
		c.WriteString("/P <</MCID 6>> BDC /Fm1 Do EMC\n")
	}
	c.WriteString("/Link <</MCID 7>> BDC BT /F1 11 Tf 72 500 Td (Appendix A) Tj ET EMC\n")
	c.WriteString("/Artifact <</Type /Pagination>> BDC BT /F1 9 Tf 280 40 Td (Page 1 of 1) Tj ET EMC\n")
	if v.textOutside {
		c.WriteString("BT /F1 11 Tf 72 460 Td (Drawn with no tag.) Tj ET\n")
	}
	if v.pathOutside {
		c.WriteString("0.5 w 70 450 m 300 450 l S\n")
	}
	if v.imageOutside {
		c.WriteString("q 20 0 0 20 72 400 cm BI /W 1 /H 1 /CS /G /BPC 8 ID A EI Q\n")
	}
	if v.unreachedMCID {
		c.WriteString("/P <</MCID 8>> BDC BT /F1 11 Tf 72 440 Td (Tagged but not in the tree.) Tj ET EMC\n")
	}
	f.setStream(7, "", strings.TrimSuffix(c.String(), "\n"))
	f.setStream(8, "/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 6 0 R >> >>",
		"BT /F1 11 Tf 72 530 Td (Drawn in a form.) Tj ET")

	f.set(9, "<< /Type /StructElem /S /Document /P 5 0 R /K [11 0 R 12 0 R 13 0 R 14 0 R 18 0 R 19 0 R 20 0 R] >>")
	pt := "11 0 R 12 0 R 13 0 R 16 0 R 17 0 R 18 0 R 19 0 R 20 0 R"
	if v.parentTreeWrong {
		pt = "11 0 R 12 0 R 11 0 R 16 0 R 17 0 R 18 0 R 19 0 R 20 0 R"
	}
	f.set(10, "<< /Nums [0 ["+pt+"] 1 20 0 R] >>")
	h1, h2, p := "/H1", "/H2", "/P"
	if v.customRoles {
		h1, p = "/Heading1", "/Para"
	}
	if v.skipHeading {
		h2 = "/H3"
	}
	if v.unmappedRole {
		p = "/Paragraph"
	}
	f.set(11, "<< /Type /StructElem /S "+h1+" /P 9 0 R /Pg 3 0 R /K 0 >>")
	f.set(12, "<< /Type /StructElem /S "+h2+" /P 9 0 R /Pg 3 0 R /K 1 >>")
	f.set(13, "<< /Type /StructElem /S "+p+" /P 9 0 R /Pg 3 0 R /K 2 >>")
	f.set(14, "<< /Type /StructElem /S /Table /P 9 0 R /K 15 0 R >>")
	f.set(15, "<< /Type /StructElem /S /TR /P 14 0 R /K [16 0 R 17 0 R] >>")
	th := "<< /Type /StructElem /S /TH /P 15 0 R /Pg 3 0 R /K 3 /A << /O /Table /Scope /Column >> >>"
	if v.tableNoTH {
		th = "<< /Type /StructElem /S /TD /P 15 0 R /Pg 3 0 R /K 3 >>"
	}
	f.set(16, th)
	f.set(17, "<< /Type /StructElem /S /TD /P 15 0 R /Pg 3 0 R /K 4 >>")
	fig := "<< /Type /StructElem /S /Figure /P 9 0 R /Pg 3 0 R /Alt (A blue rectangle: the budget is on track.) /K "
	if v.figureNoAlt {
		fig = "<< /Type /StructElem /S /Figure /P 9 0 R /Pg 3 0 R /K "
	}
	if v.mcidTwice {
		fig += "[5 2] >>"
	} else {
		fig += "5 >>"
	}
	f.set(18, fig)
	f.set(19, "<< /Type /StructElem /S /P /P 9 0 R /Pg 3 0 R /K 6 >>")
	f.set(20, "<< /Type /StructElem /S /Link /P 9 0 R /Pg 3 0 R /K [7 << /Type /OBJR /Obj 21 0 R /Pg 3 0 R >>] >>")
	annot := "<< /Type /Annot /Subtype /Link /Rect [70 495 160 512] /Border [0 0 0] /Dest [3 0 R /XYZ 0 842 0] /Contents (Appendix A)"
	if !v.linkNoStruct {
		annot += " /StructParent 1"
	}
	f.set(21, annot+" >>")
	f.set(25, "<< /Title (Budget monitoring) /Producer (papers pdfua fixtures) >>")
	return f.bytes(1, 25)
}

// handMade are the hand-made fixtures, by file name.
var handMade = map[string]func() []byte{
	"untagged.pdf":              untaggedPDF,
	"tagged.pdf":                func() []byte { return taggedPDF(variant{customRoles: true}) },
	"heading-skip.pdf":          func() []byte { return taggedPDF(variant{skipHeading: true}) },
	"table-no-th.pdf":           func() []byte { return taggedPDF(variant{tableNoTH: true}) },
	"figure-no-alt.pdf":         func() []byte { return taggedPDF(variant{figureNoAlt: true}) },
	"mcid-twice.pdf":            func() []byte { return taggedPDF(variant{mcidTwice: true}) },
	"text-outside.pdf":          func() []byte { return taggedPDF(variant{textOutside: true}) },
	"form-outside.pdf":          func() []byte { return taggedPDF(variant{formOutside: true}) },
	"font-not-embedded.pdf":     func() []byte { return taggedPDF(variant{helvetica: true}) },
	"parenttree-wrong.pdf":      func() []byte { return taggedPDF(variant{parentTreeWrong: true}) },
	"mcid-unreached.pdf":        func() []byte { return taggedPDF(variant{unreachedMCID: true}) },
	"link-no-structparent.pdf":  func() []byte { return taggedPDF(variant{linkNoStruct: true}) },
	"no-tabs.pdf":               func() []byte { return taggedPDF(variant{noTabs: true}) },
	"no-lang-title-pdfuaid.pdf": func() []byte { return taggedPDF(variant{noLang: true, noDisplayTitle: true, noPDFUAID: true}) },
	"not-marked.pdf":            func() []byte { return taggedPDF(variant{notMarked: true}) },
	"unmapped-role.pdf":         func() []byte { return taggedPDF(variant{unmappedRole: true}) },
	"path-outside.pdf":          func() []byte { return taggedPDF(variant{pathOutside: true}) },
	"image-outside.pdf":         func() []byte { return taggedPDF(variant{imageOutside: true}) },
}

// TestFixtures writes the fixtures with -update, and otherwise checks the
// committed hand-made ones are what the code above makes.
func TestFixtures(t *testing.T) {
	for file, make := range handMade {
		path := filepath.Join("testdata", file)
		want := make()
		if *update {
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./internal/pdfua -run TestFixtures -update)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is not what taggedPDF/untaggedPDF make: run go test ./internal/pdfua -run TestFixtures -update", path)
		}
	}
	docx := libreDOCX(t)
	if *update {
		// LibreOffice's output carries the time of conversion: convert
		// again only when the document changed.
		old, _ := os.ReadFile(filepath.Join("testdata", "libreoffice.docx"))
		if _, err := os.Stat(filepath.Join("testdata", "libreoffice.pdf")); err == nil && bytes.Equal(old, docx) {
			return
		}
		if err := os.WriteFile(filepath.Join("testdata", "libreoffice.docx"), docx, 0o644); err != nil {
			t.Fatal(err)
		}
		needTool(t, "soffice")
		pdf := convertPDFUA(t, filepath.Join("testdata", "libreoffice.docx"))
		if err := os.WriteFile(filepath.Join("testdata", "libreoffice.pdf"), pdf, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(filepath.Join("testdata", "libreoffice.docx"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, docx) {
		t.Errorf("testdata/libreoffice.docx is not what libreDOCX makes: run with -update")
	}
}

// needTool skips when a Debian program is absent, unless CI says it must be there.
func needTool(t testing.TB, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		if os.Getenv("PAPERS_REQUIRE_TOOLS") != "" {
			t.Fatalf("%s is not installed, and PAPERS_REQUIRE_TOOLS is set (CI must install it)", name)
		}
		t.Skipf("%s is not installed: skipping (apt-get install poppler-utils libreoffice-writer-nogui)", name)
	}
}

// pdfUAExport is LibreOffice's PDF export with tagging and PDF/UA on.
const pdfUAExport = `pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"},"PDFUACompliance":{"type":"boolean","value":"true"}}`

// convertPDFUA converts a DOCX to PDF with LibreOffice's PDF/UA export.
func convertPDFUA(t *testing.T, docx string) []byte {
	t.Helper()
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "soffice", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--headless", "--norestore", "--convert-to", pdfUAExport, "--outdir", dir, docx)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	b, err := os.ReadFile(filepath.Join(dir, strings.TrimSuffix(filepath.Base(docx), ".docx")+".pdf"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// libreDOCX is a small Word document as an officer might write one: a
// title, headings at two levels, a table with a repeated header row, and
// a picture with alternative text.
func libreDOCX(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 60, 30))
	for y := range 30 {
		for x := range 60 {
			c := color.RGBA{0x1f, 0x5f, 0xbf, 0xff}
			if x < 20*(1+y/10) && y >= 15 {
				c = color.RGBA{0xbf, 0x5f, 0x1f, 0xff}
			}
			img.Set(x, y, c)
		}
	}
	var pngBuf bytes.Buffer
	if err := png.Encode(&pngBuf, img); err != nil {
		t.Fatal(err)
	}
	files := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Default Extension="png" ContentType="image/png"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
</Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
</Relationships>`},
		{"docProps/core.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<dc:title>Library opening hours</dc:title><dc:creator>Test officer</dc:creator><dc:language>en-GB</dc:language>
</cp:coreProperties>`},
		{"word/_rels/document.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/chart.png"/>
</Relationships>`},
		{"word/styles.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Liberation Sans" w:hAnsi="Liberation Sans" w:cs="Liberation Sans"/><w:sz w:val="22"/><w:lang w:val="en-GB"/></w:rPr></w:rPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:pPr><w:spacing w:after="120"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:pPr><w:keepNext/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="32"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:pPr><w:keepNext/><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/><w:sz w:val="26"/></w:rPr></w:style>
<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4"/><w:left w:val="single" w:sz="4"/><w:bottom w:val="single" w:sz="4"/><w:right w:val="single" w:sz="4"/><w:insideH w:val="single" w:sz="4"/><w:insideV w:val="single" w:sz="4"/></w:tblBorders></w:tblPr></w:style>
</w:styles>`},
		{"word/document.xml", libreDocumentXML},
	}
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	stamp := time.Date(2020, 11, 10, 0, 0, 0, 0, time.UTC)
	add := func(name string, body []byte) {
		w, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: stamp})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(body); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range files {
		add(f.name, []byte(f.body))
	}
	add("word/media/chart.png", pngBuf.Bytes())
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func para(style, text string) string {
	ppr := ""
	if style != "" {
		ppr = `<w:pPr><w:pStyle w:val="` + style + `"/></w:pPr>`
	}
	return `<w:p>` + ppr + `<w:r><w:t xml:space="preserve">` + text + `</w:t></w:r></w:p>`
}

func cell(text string) string {
	return `<w:tc><w:tcPr><w:tcW w:w="3000" w:type="dxa"/></w:tcPr>` + para("", text) + `</w:tc>`
}

var libreDocumentXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">
<w:body>` +
	para("Heading1", "Library opening hours") +
	para("", "This paper asks the committee to note the new opening hours of the borough's libraries.") +
	para("Heading2", "1. Hours by library") +
	`<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="9000" w:type="dxa"/></w:tblPr><w:tblGrid><w:gridCol w:w="3000"/><w:gridCol w:w="3000"/><w:gridCol w:w="3000"/></w:tblGrid>` +
	`<w:tr><w:trPr><w:tblHeader/></w:trPr>` + cell("Library") + cell("Weekdays") + cell("Saturday") + `</w:tr>` +
	`<w:tr>` + cell("Central") + cell("9am to 7pm") + cell("9am to 5pm") + `</w:tr>` +
	`<w:tr>` + cell("Northfield") + cell("10am to 6pm") + cell("Closed") + `</w:tr>` +
	`</w:tbl>` +
	para("Heading2", "2. Visits") +
	`<w:p><w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="2743200" cy="1371600"/><wp:docPr id="1" name="Chart" descr="Bar chart: visits rose from 1,200 in 2019 to 1,450 in 2020."/>` +
	`<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="1" name="chart.png" descr="Bar chart: visits rose from 1,200 in 2019 to 1,450 in 2020."/><pic:cNvPicPr/></pic:nvPicPr>` +
	`<pic:blipFill><a:blip r:embed="rId2"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="2743200" cy="1371600"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>` +
	para("", "Visits rose in every library.") +
	`<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="708" w:footer="708" w:gutter="0"/></w:sectPr>
</w:body>
</w:document>`
