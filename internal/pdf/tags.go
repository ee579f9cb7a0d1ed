package pdf

import (
	"bytes"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/klauspost/compress/zlib"

	"papers/internal/document"
)

// The structure tree (ISO 32000-1 §14.7–14.8, ISO 14289-1): every piece of
// a page's content is either marked content with an MCID, reached from a
// structure element, or an artifact. Elements are kept as a flat list in
// the order they are made, which is the order a person reads them; each
// knows its parent. Marked content is tagged lazily: the renderer says
// which element (or which kind of artifact) the next drawing belongs to
// (canvas.tag), and the canvas opens a new sequence only when a drawing
// operation finds a different one open, so a paragraph's lines on a page
// share one MCID and a table's rules one artifact.

// Structure types.
const (
	sDocument = iota
	sH        // a heading: its level is worked out when the tree is written
	sP
	sL
	sLI
	sLbl
	sLBody
	sTable
	sTHead
	sTBody
	sTR
	sTH
	sTD
	sFigure
	sCaption
	sLink
	sSpan // a Link whose heading is not in the document
	nStructTypes
)

var structName = [nStructTypes]string{"Document", "H", "P", "L", "LI", "Lbl", "LBody", "Table", "THead", "TBody", "TR", "TH", "TD", "Figure", "Caption", "Link", "Span"}

// Table header scopes.
const (
	scopeNone = iota
	scopeRow
	scopeColumn
)

// Artifacts: what the renderer tags content with when it is not part of
// the document's text (negative, beside element numbers).
const (
	artLayout     = -1 - iota // rules, borders, backgrounds, fills
	artPagination             // header rows and "(continued)" repeated on a later page
	artFooter                 // the footer and "Page N of M"
	noMark                    // nothing open (the start of a stream)
)

// elem is one structure element.
type elem struct {
	parent  int32 // index of the parent element; -1 for the Document
	seq     int32 // how many marks were made before it: its place among its parent's marked content
	rowSpan int32
	colSpan int32
	typ     uint8
	scope   uint8
	level   uint8 // a heading's Level in the model, 1–6
	// a list's numbering
	numbering uint8
}

// List numberings (ListNumbering).
const (
	numNone = iota
	numDisc
	numDecimal
	numLowerRoman
	numUpperRoman
	numLowerAlpha
)

var numberingName = [...]string{"None", "Disc", "Decimal", "LowerRoman", "UpperRoman", "LowerAlpha"}

// mark is one marked-content sequence: element elem's content on page
// page, numbered mcid there.
type mark struct {
	elem, page, mcid int32
}

// newElem adds a structure element of type typ under parent (-1: the
// Document) and returns its number.
func (c *canvas) newElem(typ uint8, parent int32) int32 {
	c.elems = append(c.elems, elem{parent: parent, seq: int32(len(c.marks)), typ: typ, rowSpan: 1, colSpan: 1})
	return int32(len(c.elems) - 1)
}

// tag says what the content drawn next belongs to: an element, or an
// artifact (artLayout, artPagination, artFooter).
func (c *canvas) tag(e int32) { c.want = e }

// marked makes sure the marked-content sequence open in the stream is the
// one tag asked for, closing the one open and opening it if not.
func (c *canvas) marked() {
	if c.open == c.want {
		return
	}
	if c.open != noMark {
		c.content.WriteString("EMC\n")
	}
	c.open = c.want
	switch {
	case c.want >= 0:
		p := &c.pages[c.page]
		c.marks = append(c.marks, mark{elem: c.want, page: int32(c.page), mcid: p.mcids})
		b := append(c.num[:0], '/')
		e := c.elems[c.want]
		b = append(b, structName[e.typ]...)
		b = append(b, " <</MCID "...)
		b = strconv.AppendInt(b, int64(p.mcids), 10)
		b = append(b, ">> BDC\n"...)
		c.num = b
		c.content.Write(b)
		p.mcids++
	case c.want == artPagination:
		c.content.WriteString("/Artifact <</Type /Pagination>> BDC\n")
	case c.want == artFooter:
		c.content.WriteString("/Artifact <</Type /Pagination /Subtype /Footer>> BDC\n")
	default:
		c.content.WriteString("/Artifact BMC\n")
	}
}

// endMarked closes the sequence open at the end of a stream.
func (c *canvas) endMarked() {
	if c.open != noMark {
		c.content.WriteString("EMC\n")
		c.open = noMark
	}
}

// appendTags takes in a part's elements and marks: its elements follow
// this canvas's, its pages from page first.
func (c *canvas) appendTags(p *canvas, first int) {
	base, markBase := int32(len(c.elems)), int32(len(c.marks))
	for _, e := range p.elems {
		if e.parent >= 0 {
			e.parent += base
		}
		e.seq += markBase
		c.elems = append(c.elems, e)
	}
	for _, m := range p.marks {
		m.elem += base
		m.page += int32(first)
		c.marks = append(c.marks, m)
	}
	c.alts = append(c.alts, shiftAlts(p.alts, base)...)
	for _, x := range p.boxes {
		x.elem += base
		c.boxes = append(c.boxes, x)
	}
	for _, l := range p.links {
		l.page += int32(first)
		l.elem += base
		c.links = append(c.links, l)
	}
}

// linkAnnot is a link's annotation: where it is on its page, its Link
// element, and the heading it goes to.
type linkAnnot struct {
	page, elem int32
	rect       [4]float64 // points: left, bottom, right, top
	target     string
	dest, obj  int // the bookmark it goes to, and its object, once resolved
}

// link adds a link annotation over the w × h mm box whose top left is
// (x, y) on the current page, for element e, to the heading target.
func (c *canvas) link(x, y, w, h float64, e int32, target string) {
	ph := c.pageH()
	c.links = append(c.links, linkAnnot{page: int32(c.page), elem: e, target: target,
		rect: [4]float64{x * ptPerMM, ph - (y+h)*ptPerMM, (x + w) * ptPerMM, ph - y*ptPerMM}})
}

// resolveLinks finds each link's heading among the bookmarks and numbers
// its annotation; a link to no heading is dropped, its element a Span.
// It returns the annotations' object numbers by page.
func (c *canvas) resolveLinks() map[int][]int {
	byPage := map[int][]int{}
	kept := c.links[:0]
	for _, l := range c.links {
		found := -1
		for i, e := range c.outline {
			if e.title == l.target || strings.HasPrefix(e.title, l.target+":") || strings.HasPrefix(e.title, l.target+" ") {
				found = i
				break
			}
		}
		if found < 0 {
			c.elems[l.elem].typ = sSpan
			continue
		}
		l.dest = found
		l.obj = c.reserve()
		byPage[int(l.page)] = append(byPage[int(l.page)], l.obj)
		kept = append(kept, l)
	}
	c.links = kept
	return byPage
}

// putLinks writes the link annotations: each goes to its heading, says
// where in words (Contents, which PDF/UA asks for), and is in the
// structure tree (StructParent: its key in the parent tree follows the
// pages').
func (c *canvas) putLinks() {
	for i, l := range c.links {
		e := c.outline[l.dest]
		c.newObj(l.obj)
		fmt.Fprintf(c.out, "<</Type /Annot /Subtype /Link /Rect [%.2f %.2f %.2f %.2f] /Border [0 0 0] /F 4 /Contents ", l.rect[0], l.rect[1], l.rect[2], l.rect[3])
		c.out.Write(textString(e.title))
		fmt.Fprintf(c.out, " /StructParent %d /Dest [%d 0 R /XYZ 0 %.2f null]>>", len(c.pages)+i, c.pages[e.page].obj, e.y)
		c.endObj()
	}
}

// box is where a Figure drawn on one page is: points, left, bottom, right,
// top (its BBox layout attribute).
type box struct {
	elem int32
	rect [4]float64
}

// bbox says element e is the w × h mm box whose top left is (x, y) on the
// current page.
func (c *canvas) bbox(e int32, x, y, w, h float64) {
	ph := c.pageH()
	c.boxes = append(c.boxes, box{e, [4]float64{x * ptPerMM, ph - (y+h)*ptPerMM, (x + w) * ptPerMM, ph - y*ptPerMM}})
}

// alt is a Figure's alternative text.
type alt struct {
	elem int32
	text string
}

func shiftAlts(a []alt, base int32) []alt {
	out := make([]alt, len(a))
	for i, x := range a {
		out[i] = alt{x.elem + base, x.text}
	}
	return out
}

// headingLevels is the level of each heading element, in order, in the
// outline: the same rule, over the same headings, as the bookmarks'.
func (c *canvas) headingLevels() []uint8 {
	var o document.Outline
	levels := make([]uint8, 0, 64)
	for _, e := range c.elems {
		if e.typ == sH {
			// Headings with no text make no element: each is in the outline.
			levels = append(levels, uint8(min(o.Level(document.Heading{Level: int(e.level), Text: "x"}), 6)))
		}
	}
	return levels
}

// putStructTree writes the structure tree, its elements and parent tree in
// object streams, and returns the number of its root. resolveLinks must
// have run.
func (c *canvas) putStructTree() (root int) {
	n := len(c.elems)
	root = c.reserve()
	docObj := c.reserve()
	objs := make([]int, n)
	for i := range objs {
		objs[i] = c.reserve()
	}
	parentObj := func(p int32) int {
		if p < 0 {
			return docObj
		}
		return objs[p]
	}
	// Children and marks of each element, by counting sort: both stay in
	// the order they were made.
	childStart := make([]int32, n+2) // index n is the Document
	for _, e := range c.elems {
		childStart[parentIndex(e.parent, n)+1]++
	}
	for i := 1; i < len(childStart); i++ {
		childStart[i] += childStart[i-1]
	}
	children := make([]int32, n)
	fill := append([]int32(nil), childStart...)
	for i, e := range c.elems {
		p := parentIndex(e.parent, n)
		children[fill[p]] = int32(i)
		fill[p]++
	}
	markStart := make([]int32, n+1)
	for _, m := range c.marks {
		markStart[m.elem+1]++
	}
	for i := 1; i < len(markStart); i++ {
		markStart[i] += markStart[i-1]
	}
	marks := make([]int32, len(c.marks)) // indices into c.marks, by element
	fillM := append([]int32(nil), markStart...)
	for i, m := range c.marks {
		marks[fillM[m.elem]] = int32(i)
		fillM[m.elem]++
	}
	annots := map[int32][]linkAnnot{} // each Link element's annotations
	for _, l := range c.links {
		annots[l.elem] = append(annots[l.elem], l)
	}
	levels := c.headingLevels()
	alts := map[int32]string{}
	for _, a := range c.alts {
		alts[a.elem] = a.text
	}
	boxes := map[int32][4]float64{}
	for _, x := range c.boxes {
		boxes[x.elem] = x.rect
	}

	pt := c.reserve()
	c.pack(root, fmt.Appendf(nil, "<</Type /StructTreeRoot /K %d 0 R /ParentTree %d 0 R /ParentTreeNextKey %d>>", docObj, pt, len(c.pages)+len(c.links)))
	b := fmt.Appendf(nil, "<</Type /StructElem /S /Document /P %d 0 R /K [", root)
	for _, k := range children[childStart[n]:childStart[n+1]] {
		b = appendRef(b, objs[k])
	}
	c.pack(docObj, append(b, "]>>"...))

	h := 0
	for i, e := range c.elems {
		b = append(b[:0], "<</S /"...) // Type is optional: the elements are most of a long report's objects
		if e.typ == sH {
			b = append(b, 'H')
			b = strconv.AppendInt(b, int64(levels[h]), 10)
			h++
		} else {
			b = append(b, structName[e.typ]...)
		}
		b = append(b, " /P "...)
		b = appendRef(b, parentObj(e.parent))
		ms := marks[markStart[i]:markStart[i+1]]
		pg := -1
		if len(ms) > 0 {
			pg = int(c.marks[ms[0]].page)
			b = append(b, " /Pg "...)
			b = appendRef(b, c.pages[pg].obj)
		}
		b = append(b, " /K ["...)
		// Child elements and marked content, merged in the order made.
		kids := children[childStart[i]:childStart[i+1]]
		for len(kids) > 0 || len(ms) > 0 {
			if len(kids) > 0 && (len(ms) == 0 || c.elems[kids[0]].seq <= ms[0]) {
				b = appendRef(b, objs[kids[0]])
				kids = kids[1:]
				continue
			}
			m := c.marks[ms[0]]
			ms = ms[1:]
			if int(m.page) == pg {
				b = strconv.AppendInt(b, int64(m.mcid), 10)
				b = append(b, ' ')
			} else {
				b = append(b, "<</Type /MCR /Pg "...)
				b = appendRef(b, c.pages[m.page].obj)
				b = append(b, "/MCID "...)
				b = strconv.AppendInt(b, int64(m.mcid), 10)
				b = append(b, ">> "...)
			}
		}
		for _, a := range annots[int32(i)] {
			b = append(b, "<</Type /OBJR /Obj "...)
			b = appendRef(b, a.obj)
			b = append(b, "/Pg "...)
			b = appendRef(b, c.pages[a.page].obj)
			b = append(b, ">> "...)
		}
		b = append(b, ']')
		if e.scope != scopeNone || e.rowSpan > 1 || e.colSpan > 1 {
			b = append(b, " /A <</O /Table"...)
			switch e.scope {
			case scopeRow:
				b = append(b, " /Scope /Row"...)
			case scopeColumn:
				b = append(b, " /Scope /Column"...)
			}
			if e.rowSpan > 1 {
				b = append(b, " /RowSpan "...)
				b = strconv.AppendInt(b, int64(e.rowSpan), 10)
			}
			if e.colSpan > 1 {
				b = append(b, " /ColSpan "...)
				b = strconv.AppendInt(b, int64(e.colSpan), 10)
			}
			b = append(b, ">>"...)
		}
		if r, ok := boxes[int32(i)]; ok {
			b = fmt.Appendf(b, " /A <</O /Layout /BBox [%.2f %.2f %.2f %.2f]>>", r[0], r[1], r[2], r[3])
		}
		if e.typ == sL {
			b = append(b, " /A <</O /List /ListNumbering /"...)
			b = append(b, numberingName[e.numbering]...)
			b = append(b, ">>"...)
		}
		if a, ok := alts[int32(i)]; ok {
			b = append(b, " /Alt "...)
			b = append(b, textString(a)...)
		}
		b = append(b, ">>"...)
		c.pack(objs[i], b)
	}

	// The parent tree: for each page (its StructParents is its index), the
	// element of each MCID. Marks were made in MCID order on each page.
	pageStart := make([]int32, len(c.pages)+1)
	for _, m := range c.marks {
		pageStart[m.page+1]++
	}
	for i := 1; i < len(pageStart); i++ {
		pageStart[i] += pageStart[i-1]
	}
	byPage := make([]int32, len(c.marks))
	fillP := append([]int32(nil), pageStart...)
	for i, m := range c.marks {
		byPage[fillP[m.page]] = int32(i)
		fillP[m.page]++
	}
	// A leaf per parentFanout keys under one root: readers limit arrays.
	// The pages' keys come first, then the link annotations'.
	keys := len(c.pages) + len(c.links)
	leaves := max((keys+parentFanout-1)/parentFanout, 1)
	leafObjs := []int{pt}
	if leaves > 1 {
		leafObjs = make([]int, leaves)
		for i := range leafObjs {
			leafObjs[i] = c.reserve()
		}
		b = append(b[:0], "<</Kids ["...)
		for _, o := range leafObjs {
			b = appendRef(b, o)
		}
		c.pack(pt, append(b, "]>>"...))
	}
	for l, obj := range leafObjs {
		from, to := l*parentFanout, min((l+1)*parentFanout, keys)
		b = append(b[:0], "<<"...)
		if leaves > 1 {
			b = fmt.Appendf(b, "/Limits [%d %d] ", from, to-1)
		}
		b = append(b, "/Nums ["...)
		for p := from; p < to; p++ {
			b = strconv.AppendInt(b, int64(p), 10)
			if p >= len(c.pages) {
				b = append(b, ' ')
				b = appendRef(b, objs[c.links[p-len(c.pages)].elem])
				b = append(b, '\n')
				continue
			}
			b = append(b, " ["...)
			for _, mi := range byPage[pageStart[p]:pageStart[p+1]] {
				b = appendRef(b, objs[c.marks[mi].elem])
			}
			b = append(b, "]\n"...)
		}
		c.pack(obj, append(b, "]>>"...))
	}
	c.putPacked()
	return root
}

// The structure tree is most of a long report's objects: a few dozen
// bytes each, they are put in object streams (PDF 1.5), compressed, a few
// hundred to a stream, rather than each in the file with its own entry in
// the cross-reference table.

// packSize is the most objects an object stream holds.
const packSize = 400

// objLoc is where an object in an object stream is: the stream's object
// number, and its index there.
type objLoc struct{ stm, idx int32 }

// pack puts object n, its text obj, in the object stream being filled.
func (c *canvas) pack(n int, obj []byte) {
	if c.packed == nil {
		c.packed = new(bytes.Buffer)
	}
	c.packNums = append(c.packNums, n, c.packed.Len())
	c.packed.Write(obj)
	c.packed.WriteByte('\n')
	if len(c.packNums)/2 == packSize {
		c.flushPacked()
	}
}

// flushPacked writes the object stream being filled.
func (c *canvas) flushPacked() {
	k := len(c.packNums) / 2
	if k == 0 {
		return
	}
	stm := c.reserve()
	var head []byte
	for i := 0; i < len(c.packNums); i += 2 {
		head = strconv.AppendInt(head, int64(c.packNums[i]), 10)
		head = append(head, ' ')
		head = strconv.AppendInt(head, int64(c.packNums[i+1]), 10)
		head = append(head, ' ')
	}
	head[len(head)-1] = '\n'
	for len(c.locs) < len(c.offsets) {
		c.locs = append(c.locs, objLoc{})
	}
	for i := 0; i < len(c.packNums); i += 2 {
		c.locs[c.packNums[i]] = objLoc{stm: int32(stm), idx: int32(i / 2)}
	}
	j := &packJob{stm: stm, data: append(head, c.packed.Bytes()...), extra: fmt.Sprintf(" /Type /ObjStm /N %d /First %d", k, len(head)), done: make(chan struct{})}
	if c.packWork == nil {
		c.packWork = make(chan *packJob, 64)
		for range min(runtime.GOMAXPROCS(0), 4) {
			go packer(c.packWork)
		}
	}
	c.packJobs = append(c.packJobs, j)
	c.packWork <- j
	c.packNums = c.packNums[:0]
	c.packed.Reset()
}

// packJob is an object stream to compress: by packer, beside the one
// building the next.
type packJob struct {
	stm       int
	data, out []byte
	extra     string
	done      chan struct{}
}

// packer compresses object streams until work is closed.
func packer(work chan *packJob) {
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestSpeed)
	for j := range work {
		z.Reset()
		zw.Reset(&z)
		zw.Write(j.data) // writes to a bytes.Buffer do not fail
		zw.Close()
		j.out = bytes.Clone(z.Bytes())
		close(j.done)
	}
}

// putPacked writes the object streams, in the order they were filled.
func (c *canvas) putPacked() {
	c.flushPacked()
	if c.packWork == nil {
		return
	}
	close(c.packWork)
	c.packWork = nil
	for _, j := range c.packJobs {
		<-j.done
		c.offsets[j.stm] = c.out.Len()
		fmt.Fprintf(c.out, "%d 0 obj\n<</Filter /FlateDecode /Length %d%s>>\nstream\n", j.stm, len(j.out), j.extra)
		c.out.Write(j.out)
		c.out.WriteString("\nendstream\nendobj\n")
	}
	c.packJobs = nil
}

// parentFanout is the most pages a leaf of the parent tree holds.
const parentFanout = 128

func parentIndex(p int32, n int) int {
	if p < 0 {
		return n
	}
	return int(p)
}

// ref writes a reference to object n and a space.
func (c *canvas) ref(n int) {
	c.num = appendRef(c.num[:0], n)
	c.out.Write(c.num)
}

func appendRef(b []byte, n int) []byte {
	b = strconv.AppendInt(b, int64(n), 10)
	return append(b, " 0 R "...)
}

// putMetadata writes the XMP metadata stream, which PDF/UA asks for: the
// title, the PDF/UA identifier, and the dates (the document's, never the
// clock).
func (c *canvas) putMetadata(in info) int {
	d := in.date.UTC().Format(time.RFC3339)
	var b strings.Builder
	b.WriteString("<?xpacket begin=\"\ufeff\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n")
	b.WriteString(`<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
<dc:format>application/pdf</dc:format>
`)
	alt := func(tag, v string) {
		if v != "" {
			fmt.Fprintf(&b, "<dc:%s><rdf:Alt><rdf:li xml:lang=\"x-default\">%s</rdf:li></rdf:Alt></dc:%s>\n", tag, xmlText(v), tag)
		}
	}
	alt("title", in.title)
	if in.author != "" {
		fmt.Fprintf(&b, "<dc:creator><rdf:Seq><rdf:li>%s</rdf:li></rdf:Seq></dc:creator>\n", xmlText(in.author))
	}
	alt("description", in.subject)
	if in.lang != "" {
		fmt.Fprintf(&b, "<dc:language><rdf:Bag><rdf:li>%s</rdf:li></rdf:Bag></dc:language>\n", in.lang)
	}
	if in.keywords != "" {
		fmt.Fprintf(&b, "<pdf:Keywords>%s</pdf:Keywords>\n", xmlText(in.keywords))
	}
	fmt.Fprintf(&b, "<pdf:Producer>papers</pdf:Producer>\n<xmp:CreatorTool>%s</xmp:CreatorTool>\n", xmlText(in.creator))
	fmt.Fprintf(&b, "<xmp:CreateDate>%s</xmp:CreateDate>\n<xmp:ModifyDate>%s</xmp:ModifyDate>\n<xmp:MetadataDate>%s</xmp:MetadataDate>\n", d, d, d)
	b.WriteString("<pdfuaid:part>1</pdfuaid:part>\n</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>")
	data := b.String()
	n := c.newObj(0)
	fmt.Fprintf(c.out, "<</Type /Metadata /Subtype /XML /Length %d>>\nstream\n", len(data))
	c.out.WriteString(data)
	c.out.WriteString("\nendstream")
	c.endObj()
	return n
}

// xmlText escapes s for XML character data, dropping what XML cannot hold.
func xmlText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r < 0x20 && r != '\t' && r != '\n' && r != '\r', r == 0xfffe, r == 0xffff:
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
