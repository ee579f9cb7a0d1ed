package pdf

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"papers/internal/document"
	"papers/internal/pdfua"
)

// pdfObjects reads the objects of a PDF this package wrote: each object's
// dictionary and, for a stream, its data, inflated.
type pdfObjects struct {
	dict     map[int]string
	stream   map[int][]byte
	packedAt map[[2]int]int // object stream and index → the object there
}

func readObjects(t *testing.T, data []byte) pdfObjects {
	t.Helper()
	offs, _, err := objectOffsets(data)
	if err != nil {
		t.Fatal(err)
	}
	o := pdfObjects{dict: map[int]string{}, stream: map[int][]byte{}, packedAt: map[[2]int]int{}}
	length := regexp.MustCompile(`/Length (\d+)`)
	for n := 1; n < len(offs); n++ {
		if offs[n] < 0 {
			continue // in an object stream: read below
		}
		rest := data[offs[n]:]
		end := bytes.Index(rest, []byte("\nendobj"))
		if end < 0 {
			end = bytes.Index(rest, []byte("endobj"))
		}
		s := rest[len(fmt.Sprintf("%d 0 obj\n", n)):]
		if i := bytes.Index(s, []byte(">>\nstream\n")); i >= 0 && i < end {
			d := string(s[:i+2])
			m := length.FindStringSubmatch(d)
			l, _ := strconv.Atoi(m[1])
			raw := s[i+len(">>\nstream\n") : i+len(">>\nstream\n")+l]
			if strings.Contains(d, "/FlateDecode") {
				zr, err := zlib.NewReader(bytes.NewReader(raw))
				if err != nil {
					t.Fatalf("object %d: %v", n, err)
				}
				raw, err = io.ReadAll(zr)
				if err != nil {
					t.Fatalf("object %d: %v", n, err)
				}
			}
			o.dict[n], o.stream[n] = d, raw
			continue
		}
		o.dict[n] = string(rest[len(fmt.Sprintf("%d 0 obj\n", n)):end])
	}
	// The objects in object streams.
	first := regexp.MustCompile(`/N (\d+) /First (\d+)`)
	for stm, d := range o.dict {
		m := first.FindStringSubmatch(d)
		if !strings.Contains(d, "/Type /ObjStm") || m == nil {
			continue
		}
		k, _ := strconv.Atoi(m[1])
		f, _ := strconv.Atoi(m[2])
		s := o.stream[stm]
		head := strings.Fields(string(s[:f]))
		if len(head) != 2*k {
			t.Fatalf("object stream %d: %d numbers in its head, want %d", stm, len(head), 2*k)
		}
		for i := 0; i < k; i++ {
			n, _ := strconv.Atoi(head[2*i])
			from, _ := strconv.Atoi(head[2*i+1])
			to := len(s) - f
			if i+1 < k {
				to, _ = strconv.Atoi(head[2*i+3])
			}
			o.dict[n] = strings.TrimSpace(string(s[f+from : f+to]))
			o.packedAt[[2]int{stm, i}] = n
		}
	}
	return o
}

var (
	refRE     = regexp.MustCompile(`(\d+) 0 R`)
	kidRE     = regexp.MustCompile(`<</Type /OBJR /Obj (\d+) 0 R[^>]*>>|<<[^>]*/Pg (\d+) 0 R\s*/MCID (\d+)>>|(\d+) 0 R|(\d+)`)
	numsRE    = regexp.MustCompile(`(\d+) \[([^\]]*)\]|(\d+) (\d+) 0 R`)
	mcidRE    = regexp.MustCompile(`/MCID (\d+)`)
	elemTypeR = regexp.MustCompile(`/S /(\w+)`)
	parentRE  = regexp.MustCompile(`/P \d+ 0 R`)
)

var update = flag.Bool("update", false, "rewrite the golden files and fixtures in testdata")

// dictEntry is a dictionary's value for key, as written: up to the next key
// at the same depth, roughly; enough for the few keys read here.
func dictEntry(d, key string) string {
	i := strings.Index(d, "/"+key+" ")
	if i < 0 {
		return ""
	}
	s := d[i+len(key)+2:]
	switch {
	case strings.HasPrefix(s, "["):
		depth := 0
		for j := 0; j < len(s); j++ {
			switch s[j] {
			case '[':
				depth++
			case ']':
				depth--
				if depth == 0 {
					return s[1:j]
				}
			}
		}
		return s
	case strings.HasPrefix(s, "<<"):
		if j := strings.Index(s, ">>"); j >= 0 {
			return s[:j+2]
		}
	}
	if m := regexp.MustCompile(`^\d+ 0 R|^\S+`).FindString(s); m != "" {
		return m
	}
	return ""
}

func firstRef(s string) int {
	m := refRE.FindStringSubmatch(s)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// checkTagged checks a PDF this package wrote the way PDF/UA asks and
// returns what is wrong: text or paths drawn outside marked content,
// MCIDs not reached from the structure tree exactly once or that the
// parent tree maps elsewhere, headings that skip a level, tables without
// header cells, figures without alternative text, fonts not embedded or
// without Unicode maps, and the catalog's and pages' entries.
func checkTagged(t *testing.T, data []byte) []string {
	t.Helper()
	o := readObjects(t, data)
	var problems []string
	bad := func(format string, a ...any) { problems = append(problems, fmt.Sprintf(format, a...)) }

	var catalog string
	var pages []int
	for n := 1; n <= len(o.dict); n++ {
		d := o.dict[n]
		switch {
		case strings.Contains(d, "/Type /Catalog"):
			catalog = d
		case strings.HasPrefix(d, "<</Type /Page\n"):
			pages = append(pages, n)
		case strings.Contains(d, "/Type /FontDescriptor") && !strings.Contains(d, "/FontFile2 "):
			bad("font descriptor %d: font not embedded", n)
		case strings.Contains(d, "/Subtype /Type0") && !strings.Contains(d, "/ToUnicode "):
			bad("font %d: no ToUnicode map", n)
		}
	}
	for _, want := range []string{"/Lang (en-GB)", "/MarkInfo <</Marked true>>", "/DisplayDocTitle true", "/StructTreeRoot ", "/Metadata "} {
		if !strings.Contains(catalog, want) {
			bad("catalog lacks %s", want)
		}
	}
	if meta := o.stream[firstRef(dictEntry(catalog, "Metadata"))]; !bytes.Contains(meta, []byte("<pdfuaid:part>1</pdfuaid:part>")) || !bytes.Contains(meta, []byte("<dc:title>")) {
		bad("the XMP metadata lacks the PDF/UA identifier or the title")
	}

	// Marked content in every page's streams.
	type key struct{ page, mcid int }
	inContent := map[key]bool{}
	structParents := map[int]int{} // page object → its key in the parent tree
	for pi, p := range pages {
		d := o.dict[p]
		if !strings.Contains(d, "/Tabs /S") {
			bad("page %d: no /Tabs /S", pi+1)
		}
		sp, err := strconv.Atoi(dictEntry(d, "StructParents"))
		if err != nil {
			bad("page %d: no /StructParents", pi+1)
		}
		structParents[p] = sp
		for _, m := range refRE.FindAllStringSubmatch(dictEntry(d, "Contents"), -1) {
			n, _ := strconv.Atoi(m[1])
			for _, pr := range checkContent(o.stream[n], func(mcid int) {
				k := key{p, mcid}
				if inContent[k] {
					bad("page %d: MCID %d used twice", pi+1, mcid)
				}
				inContent[k] = true
			}) {
				bad("page %d: %s", pi+1, pr)
			}
		}
	}

	// The structure tree, in order.
	root := o.dict[firstRef(dictEntry(catalog, "StructTreeRoot"))]
	owner := map[key]int{}      // each MCID's element
	annotOwner := map[int]int{} // each annotation's element
	lastLevel := 0
	var walk func(n, depth int)
	walk = func(n, depth int) {
		if depth > 50 {
			bad("structure tree deeper than 50 at %d", n)
			return
		}
		d := o.dict[n]
		typ := elemTypeR.FindStringSubmatch(d)[1]
		if len(typ) == 2 && typ[0] == 'H' && typ[1] >= '1' && typ[1] <= '6' {
			l := int(typ[1] - '0')
			if l > lastLevel+1 {
				bad("heading %s (element %d) after H%d skips a level", typ, n, lastLevel)
			}
			lastLevel = l
		}
		if typ == "Figure" && !strings.Contains(d, "/Alt ") {
			bad("Figure %d has no /Alt", n)
		}
		pg := firstRef(dictEntry(d, "Pg"))
		var kids []int
		for _, m := range kidRE.FindAllStringSubmatch(dictEntry(d, "K"), -1) {
			switch {
			case m[1] != "":
				a, _ := strconv.Atoi(m[1])
				if _, dup := annotOwner[a]; dup {
					bad("annotation %d reached twice", a)
				}
				annotOwner[a] = n
			case m[2] != "":
				p, _ := strconv.Atoi(m[2])
				mc, _ := strconv.Atoi(m[3])
				if prev, dup := owner[key{p, mc}]; dup {
					bad("MCID %d of page object %d reached twice (elements %d and %d)", mc, p, prev, n)
				}
				owner[key{p, mc}] = n
			case m[4] != "":
				k, _ := strconv.Atoi(m[4])
				kids = append(kids, k)
			default:
				mc, _ := strconv.Atoi(m[5])
				if pg == 0 {
					bad("element %d has an MCID but no /Pg", n)
				}
				if prev, dup := owner[key{pg, mc}]; dup {
					bad("MCID %d of page object %d reached twice (elements %d and %d)", mc, pg, prev, n)
				}
				owner[key{pg, mc}] = n
			}
		}
		if typ == "Table" && !hasDescendant(o, n, "TH") {
			bad("Table %d has no header cell", n)
		}
		for _, k := range kids {
			if p := firstRef(parentRE.FindString(o.dict[k])); p != n {
				bad("element %d: /P is %d, want its parent %d", k, p, n)
			}
			walk(k, depth+1)
		}
	}
	for _, m := range refRE.FindAllStringSubmatch(dictEntry(root, "K"), -1) {
		n, _ := strconv.Atoi(m[1])
		walk(n, 0)
	}
	for k := range inContent {
		if _, ok := owner[k]; !ok {
			bad("MCID %d of page object %d is reached from no element", k.mcid, k.page)
		}
	}
	for k := range owner {
		if !inContent[k] {
			bad("element %d refers to MCID %d of page object %d, which no content has", owner[k], k.mcid, k.page)
		}
	}

	// The parent tree maps each page's MCIDs back to their elements.
	parents := map[int][]int{}
	single := map[int]int{} // keys of annotations: their element
	var leaves []string
	pt := o.dict[firstRef(dictEntry(root, "ParentTree"))]
	if kids := dictEntry(pt, "Kids"); kids != "" {
		for _, m := range refRE.FindAllStringSubmatch(kids, -1) {
			n, _ := strconv.Atoi(m[1])
			leaves = append(leaves, o.dict[n])
		}
	} else {
		leaves = []string{pt}
	}
	for _, l := range leaves {
		for _, m := range numsRE.FindAllStringSubmatch(dictEntry(l, "Nums")+"]", -1) {
			if m[3] != "" {
				k, _ := strconv.Atoi(m[3])
				single[k], _ = strconv.Atoi(m[4])
				continue
			}
			k, _ := strconv.Atoi(m[1])
			var elems []int
			for _, r := range refRE.FindAllStringSubmatch(m[2], -1) {
				n, _ := strconv.Atoi(r[1])
				elems = append(elems, n)
			}
			parents[k] = elems
		}
	}
	for k, e := range owner {
		got := parents[structParents[k.page]]
		if k.mcid >= len(got) || got[k.mcid] != e {
			bad("parent tree: MCID %d of page object %d does not map to its element %d", k.mcid, k.page, e)
		}
	}
	// Every link is in the tree, said in words, and mapped back.
	for n, d := range o.dict {
		if !strings.Contains(d, "/Subtype /Link") {
			continue
		}
		e, ok := annotOwner[n]
		if !ok {
			bad("link annotation %d is in no Link element", n)
		}
		if !strings.Contains(d, "/Contents (") {
			bad("link annotation %d has no /Contents", n)
		}
		k, err := strconv.Atoi(regexp.MustCompile(`/StructParent (\d+)`).FindStringSubmatch(d + "/StructParent x")[1])
		if err != nil || single[k] != e {
			bad("link annotation %d: /StructParent does not map back to its element %d", n, e)
		}
	}
	return problems
}

func hasDescendant(o pdfObjects, n int, typ string) bool {
	for _, m := range refRE.FindAllStringSubmatch(dictEntry(o.dict[n], "K"), -1) {
		k, _ := strconv.Atoi(m[1])
		d := o.dict[k]
		if !strings.HasPrefix(d, "<</S /") {
			continue
		}
		if elemTypeR.FindStringSubmatch(d)[1] == typ || hasDescendant(o, k, typ) {
			return true
		}
	}
	return false
}

// checkContent reads a content stream and returns what is drawn outside
// marked content, and marked content left open or closed twice; mcid is
// called for each marked-content sequence with an MCID.
func checkContent(s []byte, mcid func(int)) []string {
	var problems []string
	var stack []string
	var operands []string
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\n' || c == '\r' || c == '\t':
			i++
		case c == '(':
			depth, j := 0, i
			for ; j < len(s); j++ {
				if s[j] == '\\' {
					j++
					continue
				}
				if s[j] == '(' {
					depth++
				} else if s[j] == ')' {
					depth--
					if depth == 0 {
						break
					}
				}
			}
			operands = append(operands, string(s[i:j+1]))
			i = j + 1
		case c == '<' && i+1 < len(s) && s[i+1] == '<':
			j := bytes.Index(s[i:], []byte(">>"))
			operands = append(operands, string(s[i:i+j+2]))
			i += j + 2
		case c == '/' || c == '[' || c == ']' || c == '-' || c == '.' || c >= '0' && c <= '9':
			j := i + 1
			for j < len(s) && !strings.ContainsRune(" \n\r\t()<>[]/", rune(s[j])) {
				j++
			}
			operands = append(operands, string(s[i:j]))
			i = j
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \n\r\t()<>[]/", rune(s[j])) {
				j++
			}
			op := string(s[i:j])
			i = max(j, i+1)
			switch op {
			case "BDC":
				tag := "artifact"
				if m := mcidRE.FindStringSubmatch(operands[len(operands)-1]); m != nil {
					n, _ := strconv.Atoi(m[1])
					mcid(n)
					tag = "MCID " + m[1]
				}
				stack = append(stack, tag)
			case "BMC":
				stack = append(stack, "artifact")
			case "EMC":
				if len(stack) == 0 {
					problems = append(problems, "EMC with no marked content open")
				} else {
					stack = stack[:len(stack)-1]
				}
			case "Tj", "TJ", "'", `"`:
				if len(stack) == 0 {
					problems = append(problems, "text "+operands[len(operands)-1]+" drawn outside marked content")
				}
			case "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "Do":
				if len(stack) == 0 {
					problems = append(problems, "a path painted ("+op+") outside marked content")
				}
			}
			operands = operands[:0]
		}
	}
	if len(stack) > 0 {
		problems = append(problems, fmt.Sprintf("marked content %v left open at the end of a stream", stack))
	}
	return problems
}

// tagTestDocs are documents whose PDFs must be tagged without fault: the
// sample, an empty one, awkward blocks, and long tables.
func tagTestDocs() map[string]*document.Doc {
	return map[string]*document.Doc{
		"sample": sampleDoc(),
		"empty":  {Title: "Empty", Language: "en-GB"},
		"awkward": {Title: "Awkward", Language: "en-GB", Sections: []document.Section{{Blocks: []document.Block{
			document.Heading{Level: 3, Text: "Starts at level 3"},
			document.Heading{Level: 1, Text: " "},
			document.Paragraph{},
			document.Paragraph{Label: "•", Indent: 2, Runs: []document.Run{{Text: "deep bullet"}}},
			document.Paragraph{Label: "•", Indent: 0, Runs: []document.Run{{Text: "shallow bullet"}}},
			document.Table{Columns: []document.Column{{}, {}}, Rows: []document.Row{{Cells: []document.Cell{{Text: "no titles"}, {}}}}},
			document.Table{Caption: "Empty", Columns: []document.Column{{Title: "A"}}},
			document.Chart{Categories: []string{"a"}, Series: []document.Series{{Name: "s", Values: []float64{1}}}},
			document.Heading{Level: 9, Text: "Deep"},
		}}}},
		"bench": benchDoc(150),
		// More pages than a leaf of the parent tree holds.
		"long": benchDoc(1200),
	}
}

func TestTaggedContent(t *testing.T) {
	for name, d := range tagTestDocs() {
		t.Run(name, func(t *testing.T) {
			for _, p := range checkTagged(t, render(t, d)) {
				t.Error(p)
			}
		})
	}
}

// The PDF/UA checker the CLI's accessibility command uses finds nothing
// wrong either, and finds the untagged line.
func TestPDFUACheck(t *testing.T) {
	check := func(t *testing.T, data []byte) *pdfua.Report {
		t.Helper()
		rep, err := pdfua.Check(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	for name, d := range tagTestDocs() {
		t.Run(name, func(t *testing.T) {
			rep := check(t, render(t, d))
			if !rep.Tagged {
				t.Error("not tagged")
			}
			if err := rep.Err(); err != nil {
				t.Error(err)
			}
		})
	}
	t.Run("untagged line", func(t *testing.T) {
		data, err := os.ReadFile(filepath.Join("testdata", "untagged-line.pdf"))
		if err != nil {
			t.Fatal(err)
		}
		rep := check(t, data)
		if len(rep.Problems) != 1 || rep.Problems[0].Rule != pdfua.RuleUntaggedText {
			t.Errorf("problems %v, want one %s", rep.Problems, pdfua.RuleUntaggedText)
		}
	})
}

// The check fails on a PDF with one line of text drawn outside marked
// content: here added to the end of the first page's stream of the sample's
// cover. With -update the PDF is kept as testdata/untagged-line.pdf, for
// other checkers to be tried on.
func TestTaggedContentFindsUntaggedText(t *testing.T) {
	d := sampleDoc()
	d.Sections = d.Sections[:1]
	data := render(t, d)
	o := readObjects(t, data)
	var first int
	for n := 1; n <= len(o.dict) && first == 0; n++ {
		if strings.HasPrefix(o.dict[n], "<</Type /Page\n") {
			first = firstRef(dictEntry(o.dict[n], "Contents"))
		}
	}
	content := append(bytes.Clone(o.stream[first]), "BT /F1 9 Tf 100 100 Td (\x00x) Tj ET\n"...)
	fixed := replaceStream(t, data, first, content)
	problems := checkTagged(t, fixed)
	if len(problems) != 1 || !strings.Contains(problems[0], "drawn outside marked content") {
		t.Errorf("problems = %q, want one: text drawn outside marked content", problems)
	}
	if *update {
		os.WriteFile(filepath.Join("testdata", "untagged-line.pdf"), fixed, 0o644)
	}
}

// replaceStream puts content, uncompressed, in place of stream object n's
// data, and rewrites the cross-reference stream for the objects after it.
func replaceStream(t *testing.T, data []byte, n int, content []byte) []byte {
	t.Helper()
	offs, _, err := objectOffsets(data)
	if err != nil {
		t.Fatal(err)
	}
	start := offs[n]
	end := start + bytes.Index(data[start:], []byte("endobj\n")) + len("endobj\n")
	obj := fmt.Appendf(nil, "%d 0 obj\n<</Length %d>>\nstream\n%s\nendstream\nendobj\n", n, len(content), content)
	out := append(append(append([]byte(nil), data[:start]...), obj...), data[end:]...)
	return shiftOffsets(t, out, start, len(obj)-(end-start))
}

// shiftOffsets moves the cross-reference entries of objects past at by
// shift, writing the stream again uncompressed.
func shiftOffsets(t *testing.T, data []byte, at, shift int) []byte {
	t.Helper()
	s := bytes.LastIndex(data, []byte("startxref\n"))
	var old int
	fmt.Sscanf(string(data[s:]), "startxref\n%d", &old)
	x := old + shift
	fixed := append([]byte(nil), data[:s]...)
	fixed = append(fixed, fmt.Appendf(nil, "startxref\n%d\n%%%%EOF\n", x)...)
	entries, _, err := readXref(fixed)
	if err != nil {
		t.Fatal(err)
	}
	var e []byte
	for n, en := range entries {
		if en.typ == 1 && en.a > at {
			en.a += shift
		}
		if n == 0 {
			en.b = 0xffff
		}
		e = append(e, byte(en.typ))
		e = binary.BigEndian.AppendUint32(e, uint32(en.a))
		e = binary.BigEndian.AppendUint16(e, uint16(en.b))
	}
	head := data[x:]
	i := bytes.Index(head, []byte("<<"))
	j := bytes.Index(head, []byte(">>\nstream\n"))
	dict := regexp.MustCompile(`/Filter /FlateDecode |/Length \d+ `).ReplaceAllString(string(head[i+2:j]), "")
	out := append([]byte(nil), data[:x]...)
	out = append(out, head[:i]...)
	out = fmt.Appendf(out, "<</Length %d %s>>\nstream\n%s\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n", len(e), dict, e, x)
	return out
}

// goldenDoc is the sample document with the first 60 rows of its long
// table: two group bands, merged cells and a header row repeated on later
// pages, in a golden file a person can read through.
func goldenDoc() *document.Doc {
	d := sampleDoc()
	app := d.Sections[1].Blocks
	tbl := app[2].(document.Table)
	tbl.Rows = tbl.Rows[:60]
	d.Sections[1].Blocks = []document.Block{app[0], app[1], tbl}
	return d
}

// pdfinfo reads the structure tree's text in the order a person reads the
// pages: the cover's box, headings, paragraphs and lists, the chart's
// title and Figure with its caption, the tables row by row with their
// header cells once, and nothing of the footers or repeated headers.
func TestStructTextGolden(t *testing.T) {
	needTool(t, "pdfinfo")
	path := writeTemp(t, "golden.pdf", render(t, goldenDoc()))
	if info := run(t, "pdfinfo", path); !regexp.MustCompile(`(?m)^Tagged:\s+yes$`).MatchString(info) {
		t.Fatalf("pdfinfo does not say Tagged: yes:\n%s", info)
	}
	got := run(t, "pdfinfo", "-struct-text", path)
	golden := filepath.Join("testdata", "sample.struct.txt")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to write it)", err)
	}
	if got != string(want) {
		g, w := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := range max(len(g), len(w)) {
			if i >= len(g) || i >= len(w) || g[i] != w[i] {
				t.Fatalf("pdfinfo -struct-text differs from %s at line %d (run with -update if the change is intended):\n got: %q\nwant: %q", golden, i+1, at(g, i), at(w, i))
			}
		}
	}
	for _, footer := range []string{"Page 1 of", "Children and Families Scrutiny Panel – 26 November 2020"} {
		if strings.Contains(got, footer) {
			t.Errorf("the structure tree holds %q: footers are artifacts", footer)
		}
	}
	// The header row and merged texts are repeated on every page of the
	// table, but read once: the repeats are artifacts. The one "(continued)"
	// read is the cell a group band splits off a merged block.
	if n := strings.Count(got, `"Lead owner(s)"`); n != 1 {
		t.Errorf("the header cell Lead owner(s) is read %d times, want 1", n)
	}
	if n := strings.Count(got, "(continued)"); n != 1 {
		t.Errorf("(continued) is read %d times, want 1 (the cell after the band)", n)
	}
}

func at(lines []string, i int) string {
	if i < len(lines) {
		return lines[i]
	}
	return "(end)"
}

// A reference to an appendix on the cover is a link to the appendix's
// heading, said in words; a reference to an appendix the document does
// not have is plain text.
func TestAppendixLinks(t *testing.T) {
	d := sampleDoc()
	d.Sections[0].Blocks = append(d.Sections[0].Blocks, document.Text("See Appendix 9 and, again, Appendix 2."))
	o := readObjects(t, render(t, d))
	dest := regexp.MustCompile(`/Dest \[\d+ 0 R /XYZ 0 [\d.]+ null\]`)
	title := regexp.MustCompile(`/(?:Title|Contents) \(((?:\\.|[^\\)])*)\)`)
	headings := map[string]string{} // bookmark title → its destination
	var links []string
	spans := 0
	for _, d := range o.dict {
		switch {
		case strings.HasPrefix(d, "<</Title "):
			headings[decodePDFString([]byte(title.FindStringSubmatch(d)[1]))] = dest.FindString(d)
		case strings.Contains(d, "/Subtype /Link"):
			links = append(links, decodePDFString([]byte(title.FindStringSubmatch(d)[1]))+" "+dest.FindString(d))
		case strings.HasPrefix(d, "<</S /Span "):
			spans++
		}
	}
	count := map[string]int{}
	for _, l := range links {
		name, to, _ := strings.Cut(l, " /Dest")
		if want := headings[name]; want == "" || "/Dest"+to != want {
			t.Errorf("link %q goes to %q, want %q (its heading's bookmark)", name, "/Dest"+to, want)
		}
		count[name]++
	}
	if count["Appendix 1: Position statement"] != 1 || count["Appendix 2: Lead owners and roles"] != 2 || len(links) != 3 {
		t.Errorf("links %q, want Appendix 1 once and Appendix 2 twice", links)
	}
	if spans != 1 {
		t.Errorf("%d Span elements, want 1: the reference to Appendix 9, which the document lacks", spans)
	}
}
