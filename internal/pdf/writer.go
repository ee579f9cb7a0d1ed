package pdf

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"hash/fnv"
	"io"
	"math"
	"strconv"
	"sync/atomic"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/klauspost/compress/zlib"

	"papers/internal/document"
)

// canvas writes the PDF file itself: pages of text, lines and filled
// rectangles in millimetres from the top left, the embedded fonts, the
// outline and the document information.
//
// It replaces fpdf, which kept every page's content in a growing buffer,
// copied them all into one more growing buffer at the end, and compressed
// each with a new zlib writer. At 20,000 actions (3,400 pages) that was
// most of a report's time, in page faults and clearing fresh memory. Here
// a page's content is compressed as soon as the page is finished, by one
// reused writer on a goroutine of its own. Each section of the document is
// laid out on a part canvas (newPart) beside the others, its compressed
// pages kept in memory; the document's canvas copies each part into the
// file as it is done (appendPart), numbering its objects, then draws the
// footers and writes the rest. Compressing is still the largest cost of a
// long report: klauspost/compress's deflate does it in about 60% of the
// standard library's time, at the same level.
//
// Text uses each face as a CID font whose character codes are the
// characters' own Unicode values (the Basic Multilingual Plane): copying
// and searching give back what was typed, even a character the face lacks
// (drawn as its empty box). Glyphs are subset by emptying the ones not
// used, so glyph numbers do not change.
type canvas struct {
	out     *file
	offsets []int // by object number; 0 is the free entry

	faces [nStyles]*ttf
	used  [nStyles][]bool // by character code, the characters drawn

	pages   []pageRec
	content *bytes.Buffer // the stream being written
	page    int           // index into pages of the stream being written, -1 when none
	overlay bool          // the stream is drawn over a finished page (its footer)
	z       bytes.Buffer
	zw      *zlib.Writer

	// Pages' streams are compressed into the file by another goroutine
	// while the next page is laid out; the file is its own until flush.
	jobs  chan streamJob
	spare chan *bytes.Buffer
	done  chan []objOffset

	// What the page should look like next (as fpdf: these carry over from
	// one page to the next)…
	style     int
	size      float64
	textColor rgb
	fillColor rgb
	drawColor rgb
	lineWidth float64 // mm
	// …and what the stream being written has set (invalid at its start).
	sStyle     int
	sSize      float64
	sNonStroke rgb
	sStroke    rgb
	sLineWidth float64
	sValid     struct{ font, nonStroke, stroke, lineWidth bool }

	outline []outlineEntry
	num     []byte // scratch for numbers

	// The structure tree so far (see tags.go), and the marked content:
	// what the next drawing belongs to (want) and what is open (open).
	elems      []elem
	marks      []mark
	alts       []alt
	boxes      []box
	links      []linkAnnot
	want, open int32

	// Objects put in object streams (see pack), and where each is.
	packed   *bytes.Buffer
	packNums []int // object number, offset in packed; …
	locs     []objLoc
	packWork chan *packJob // to the packers, while the tree is written
	packJobs []*packJob

	// A part is one section of the document laid out on a canvas of its
	// own, beside the others, into memory: its pages' streams without
	// their object numbers, which the document's canvas gives them when
	// it takes the part in (appendPart).
	part    bool
	partBuf *chunked
	bodies  []int // in a part, where each page's stream ends in partBuf
}

type pageRec struct {
	obj     int     // the page object's number
	w, h    float64 // points
	content []int   // its content streams' object numbers
	mcids   int32   // marked-content sequences numbered on it so far
}

type streamJob struct {
	n    int
	data *bytes.Buffer
}

type objOffset struct{ n, off int }

type outlineEntry struct {
	title string
	level int // the heading's Level in the model
	page  int
	y     float64 // points from the bottom
}

// info is the document information.
type info struct {
	title, author, subject, keywords, creator, lang string
	date                                            time.Time
}

const (
	ptPerMM     = 72 / 25.4
	pagesObj    = 1 // the page tree's root
	resourceObj = 2 // the resources every page shares
)

var fontResource = [nStyles]string{"/F1", "/F2", "/F3"}
var baseFontName = [nStyles]string{"LiberationSans", "LiberationSans-Bold", "LiberationSans-Italic"}

func newCanvas(faces [nStyles]*ttf, w io.Writer) *canvas {
	c := &canvas{faces: faces, out: newFile(w, true), page: -1, offsets: make([]int, 3), style: -1, lineWidth: 0.2, want: artLayout, open: noMark}
	// PDF/UA-1 is built on PDF 1.7 (ISO 32000-1).
	c.out.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	c.start()
	return c
}

// newPart is a canvas for one section, laid out into memory.
func newPart(faces [nStyles]*ttf) *canvas {
	buf := new(chunked)
	c := &canvas{faces: faces, out: newFile(buf, false), page: -1, offsets: make([]int, 1), style: -1, lineWidth: 0.2, part: true, partBuf: buf, want: artLayout, open: noMark}
	c.start()
	return c
}

// start makes the used-character sets and starts the compressing goroutine.
func (c *canvas) start() {
	for s := range nStyles {
		c.used[s] = make([]bool, 0x10000)
	}
	c.zw, _ = zlib.NewWriterLevel(&c.z, zlib.BestSpeed)
	const buffers = 3
	c.jobs = make(chan streamJob, buffers)
	c.spare = make(chan *bytes.Buffer, buffers)
	c.done = make(chan []objOffset, 1)
	for range buffers {
		c.spare <- new(bytes.Buffer)
	}
	go c.compressor()
}

// compressor writes the pages' streams into the file, in the order sent.
func (c *canvas) compressor() {
	var offs []objOffset
	for j := range c.jobs {
		if c.part {
			c.writeBody(j.data.Bytes(), "")
			c.bodies = append(c.bodies, c.out.Len())
			j.data.Reset()
			c.spare <- j.data
			continue
		}
		offs = append(offs, objOffset{j.n, c.out.Len()})
		c.writeStream(j.n, j.data.Bytes(), "")
		j.data.Reset()
		c.spare <- j.data
	}
	c.done <- offs
}

// flush waits for the pages' streams to be in the file. It also stops the
// object streams' packers, which a panic while writing the structure tree
// would leave waiting.
func (c *canvas) flush() {
	if c.packWork != nil {
		close(c.packWork)
		c.packWork = nil
	}
	if c.jobs == nil {
		return
	}
	close(c.jobs)
	for _, o := range <-c.done {
		c.offsets[o.n] = o.off
	}
	c.jobs = nil
}

// newObj starts object n (reserved, or 0 for the next number) and returns
// its number.
func (c *canvas) newObj(n int) int {
	if n == 0 {
		n = c.reserve()
	}
	c.offsets[n] = c.out.Len()
	c.out.WriteString(strconv.Itoa(n))
	c.out.WriteString(" 0 obj\n")
	return n
}

func (c *canvas) reserve() int {
	c.offsets = append(c.offsets, 0)
	return len(c.offsets) - 1
}

func (c *canvas) endObj() { c.out.WriteString("\nendobj\n") }

// stream writes data, compressed, as object n (0: the next number), with
// extra entries for its dictionary. Only after flush.
func (c *canvas) stream(n int, data []byte, extra string) int {
	if c.jobs != nil {
		panic("pdf: a stream written while pages are still being compressed")
	}
	if n == 0 {
		n = c.reserve()
	}
	c.offsets[n] = c.out.Len()
	c.writeStream(n, data, extra)
	return n
}

func (c *canvas) writeStream(n int, data []byte, extra string) {
	c.out.WriteString(strconv.Itoa(n))
	c.out.WriteString(" 0 obj\n")
	c.writeBody(data, extra)
	c.out.WriteString("endobj\n")
}

// writeBody writes a stream object's dictionary and data: all of it but
// its number.
func (c *canvas) writeBody(data []byte, extra string) {
	if len(data) < smallStream && extra == "" {
		// A footer: deflating it would save a few dozen bytes, at the
		// cost of building a Huffman code for each of thousands of them.
		fmt.Fprintf(c.out, "<</Length %d>>\nstream\n", len(data))
		c.out.Write(data)
		c.out.WriteString("\nendstream\n")
		return
	}
	c.z.Reset()
	c.zw.Reset(&c.z)
	c.zw.Write(data) // writes to a bytes.Buffer do not fail
	c.zw.Close()
	fmt.Fprintf(c.out, "<</Filter /FlateDecode /Length %d%s>>\nstream\n", c.z.Len(), extra)
	c.out.Write(c.z.Bytes())
	c.out.WriteString("\nendstream\n")
}

// appendPart takes in a part laid out beside this canvas: its pages follow
// those already here, its streams are copied into the file under numbers
// of this canvas, and its characters and bookmarks join these. The part
// must be flushed.
func (c *canvas) appendPart(p *canvas) {
	c.endStream()
	p.out.w.Flush()
	if len(p.bodies) != len(p.pages) {
		panic(fmt.Sprintf("pdf: a part of %d pages has %d streams", len(p.pages), len(p.bodies)))
	}
	first := len(c.pages)
	start := 0
	for i, pg := range p.pages {
		pg.obj = c.reserve()
		n := c.reserve()
		pg.content = []int{n}
		c.pages = append(c.pages, pg)
		c.offsets[n] = c.out.Len()
		c.out.WriteString(strconv.Itoa(n))
		c.out.WriteString(" 0 obj\n")
		p.partBuf.writeRange(c.out, start, p.bodies[i])
		c.out.WriteString("endobj\n")
		start = p.bodies[i]
	}
	for s := range nStyles {
		used := c.used[s]
		for r, u := range p.used[s] {
			if u {
				used[r] = true
			}
		}
	}
	for _, e := range p.outline {
		e.page += first
		c.outline = append(c.outline, e)
	}
	c.appendTags(p, first)
	p.partBuf.blocks = nil // its memory can go
}

// smallStream is the size below which a page's stream is not compressed.
const smallStream = 256

// addPage finishes the page being drawn and starts a new one of w × h mm.
func (c *canvas) addPage(w, h float64) {
	c.endStream()
	c.pages = append(c.pages, pageRec{obj: c.reserve(), w: w * ptPerMM, h: h * ptPerMM})
	c.beginStream(len(c.pages)-1, false)
}

// drawOver starts drawing over finished page i (0-based): its footer.
func (c *canvas) drawOver(i int) {
	c.endStream()
	c.beginStream(i, true)
}

func (c *canvas) beginStream(page int, overlay bool) {
	c.page, c.overlay = page, overlay
	c.content = <-c.spare
	c.sValid = struct{ font, nonStroke, stroke, lineWidth bool }{}
	c.open = noMark
	if !overlay {
		// The page's own drawing keeps its state to itself, so the
		// footer drawn over it later starts from the defaults.
		c.content.WriteString("q\n")
	}
}

// endStream compresses the stream being written into the file.
func (c *canvas) endStream() {
	if c.page < 0 {
		return
	}
	c.endMarked()
	if !c.overlay {
		c.content.WriteString("Q\n")
	}
	n := c.reserve()
	c.jobs <- streamJob{n, c.content}
	c.content = nil
	c.pages[c.page].content = append(c.pages[c.page].content, n)
	c.page = -1
}

func (c *canvas) pageH() float64 { return c.pages[c.page].h }

func (c *canvas) setFont(style int, size float64) { c.style, c.size = style, size }
func (c *canvas) setTextColor(col rgb)            { c.textColor = col }
func (c *canvas) setFillColor(col rgb)            { c.fillColor = col }
func (c *canvas) setDrawColor(col rgb)            { c.drawColor = col }
func (c *canvas) setLineWidth(mm float64)         { c.lineWidth = mm }

// n appends v, in points to two decimal places, and a space.
func (c *canvas) n(v float64) { c.decimal(v, 100) }

// decimal appends v rounded to 1/scale (a power of ten) and a space.
func (c *canvas) decimal(v float64, scale int64) {
	c.num = appendDecimal(c.num[:0], v, scale)
	c.content.Write(c.num)
}

// appendDecimal appends v rounded to 1/scale (a power of ten) and a space
// to b. A value no page could hold (NaN, infinite, or past 10⁹) is a bug in
// the layout: it panics, which Write reports as an error, rather than write
// a number that is not one.
func appendDecimal(b []byte, v float64, scale int64) []byte {
	if !(math.Abs(v) < 1e9) {
		panic(fmt.Sprintf("pdf: coordinate %v", v))
	}
	k := int64(math.Round(v * float64(scale)))
	if k < 0 {
		b = append(b, '-')
		k = -k
	}
	if scale == 100 {
		// Points to two places: most of the numbers on a page, written
		// with constant divisors (a division by a variable is slow).
		b = strconv.AppendInt(b, k/100, 10)
		if f := k % 100; f != 0 {
			b = append(b, '.', byte('0'+f/10))
			if f%10 != 0 {
				b = append(b, byte('0'+f%10))
			}
		}
		return append(b, ' ')
	}
	b = strconv.AppendInt(b, k/scale, 10)
	if f := k % scale; f != 0 {
		b = append(b, '.')
		for d := scale / 10; f != 0; d /= 10 {
			b = append(b, byte('0'+f/d))
			f %= d
		}
	}
	return append(b, ' ')
}

// colour sets a colour, each part to three decimal places (two would be up
// to 1/255 off).
func (c *canvas) colour(col rgb, op string) {
	for _, v := range [3]int{col.r, col.g, col.b} {
		c.decimal(float64(v)/255, 1000)
	}
	c.content.WriteString(op)
}

func (c *canvas) nonStroke(col rgb) {
	if !c.sValid.nonStroke || c.sNonStroke != col {
		c.colour(col, "rg\n")
		c.sNonStroke, c.sValid.nonStroke = col, true
	}
}

// text draws s with its baseline at (x, y) mm.
func (c *canvas) text(x, y float64, s string) { c.textAt(x*ptPerMM, 100, y, s) }

// textAt draws s with its baseline at y mm from x points, written to
// 1/scale (a power of ten).
func (c *canvas) textAt(x float64, scale int64, y float64, s string) {
	if s == "" {
		return
	}
	if c.style < 0 {
		panic("pdf: text drawn before a font was chosen")
	}
	c.marked()
	c.nonStroke(c.textColor)
	if !c.sValid.font || c.sStyle != c.style || c.sSize != c.size {
		c.content.WriteString(fontResource[c.style])
		c.content.WriteByte(' ')
		c.n(c.size)
		c.content.WriteString("Tf\n")
		c.sStyle, c.sSize, c.sValid.font = c.style, c.size, true
	}
	// The whole operation is put together and written at once: a report
	// draws hundreds of thousands of lines.
	b := append(c.num[:0], "BT "...)
	b = appendDecimal(b, x, scale)
	b = appendDecimal(b, c.pageH()-y*ptPerMM, 100)
	b = append(b, "Td ("...)
	used := c.used[c.style]
	for i := 0; i < len(s); {
		if ch := s[i]; ch < utf8.RuneSelf { // most text: a zero byte, then ch
			used[ch] = true
			if e := escaped[ch]; e != 0 {
				b = append(b, 0, '\\', e)
			} else {
				b = append(b, 0, ch)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r >= 0x10000 {
			r = missing
		}
		i += n
		used[r] = true
		for _, half := range [2]byte{byte(r >> 8), byte(r)} {
			if e := escaped[half]; e != 0 {
				b = append(b, '\\', e)
			} else {
				b = append(b, half)
			}
		}
	}
	b = append(b, ") Tj ET\n"...)
	c.num = b
	c.content.Write(b)
}

// file is the PDF on its way to its writer: counted, for the objects'
// offsets, and digested, for the file's /ID. A long report is written as
// it is laid out rather than held, a page's stream at a time.
type file struct {
	w      *bufio.Writer // over a digester
	d      *digester
	n      int
	failed atomic.Bool // a write failed; output checks it after each section, to stop early
}

func newFile(w io.Writer, digest bool) *file {
	f := &file{d: &digester{w: w}}
	if digest {
		f.d.ieee, f.d.castagnoli = crc32.NewIEEE(), crc32.New(crc32.MakeTable(crc32.Castagnoli))
	}
	f.d.failed = &f.failed
	f.w = bufio.NewWriterSize(f.d, 64<<10)
	return f
}

func (f *file) Write(p []byte) (int, error) {
	f.n += len(p)
	return f.w.Write(p)
}

func (f *file) WriteString(s string) (int, error) {
	f.n += len(s)
	return f.w.WriteString(s)
}

func (f *file) WriteByte(b byte) error {
	f.n++
	return f.w.WriteByte(b)
}

// Len is the number of bytes written so far: the next object's offset.
func (f *file) Len() int { return f.n }

// digest identifies what has been written, for the file's /ID: two CRC-32s
// of it (IEEE and Castagnoli) and its length, 16 bytes as an MD5 would be.
// It is an identifier, not a protection, and the processor computes both
// checks in hardware: an MD5 of a 15 MB report took 25 ms.
func (f *file) digest() []byte {
	f.w.Flush()
	id := f.d.ieee.Sum(nil)
	id = f.d.castagnoli.Sum(id)
	return binary.BigEndian.AppendUint64(id, uint64(f.n))
}

// close writes what is buffered and returns the first write error.
func (f *file) close() error {
	f.w.Flush()
	return f.d.err
}

// digester digests the bytes it passes on.
type digester struct {
	w                io.Writer
	ieee, castagnoli hash.Hash32
	err              error
	failed           *atomic.Bool
}

func (d *digester) Write(p []byte) (int, error) {
	if d.err != nil {
		return 0, d.err
	}
	if d.ieee != nil {
		d.ieee.Write(p)
		d.castagnoli.Write(p)
	}
	if _, err := d.w.Write(p); err != nil {
		d.err = err
		d.failed.Store(true)
		return 0, err
	}
	return len(p), nil
}

// errWriteFailed stops output when the file cannot be written.
var errWriteFailed = errors.New("pdf: the file cannot be written")

// chunked holds a PDF in memory for Render: in blocks, put together once at
// the end. A growing buffer would be copied at each doubling, and fresh
// memory (page faults, clearing) is most of what copying costs here.
type chunked struct {
	blocks [][]byte
	n      int
}

const blockSize = 256 << 10

func (c *chunked) Write(p []byte) (int, error)       { return write(c, p), nil }
func (c *chunked) WriteString(s string) (int, error) { return write(c, s), nil }

func write[T string | []byte](c *chunked, p T) int {
	n := len(p)
	c.n += n
	for len(p) > 0 {
		k := len(c.blocks) - 1
		if k < 0 || len(c.blocks[k]) == cap(c.blocks[k]) {
			c.blocks = append(c.blocks, make([]byte, 0, blockSize))
			k++
		}
		b := c.blocks[k]
		m := min(len(p), cap(b)-len(b))
		c.blocks[k] = append(b, p[:m]...)
		p = p[m:]
	}
	return n
}

func (c *chunked) WriteByte(b byte) error {
	c.Write([]byte{b})
	return nil
}

// Len is the number of bytes written.
func (c *chunked) Len() int { return c.n }

// writeRange writes bytes [start, end) to w.
func (c *chunked) writeRange(w io.Writer, start, end int) {
	for _, b := range c.blocks {
		if end <= 0 {
			return
		}
		if start < len(b) {
			w.Write(b[max(start, 0):min(end, len(b))])
		}
		start -= len(b)
		end -= len(b)
	}
}

// Bytes puts the blocks together.
func (c *chunked) Bytes() []byte {
	out := make([]byte, 0, c.n)
	for _, b := range c.blocks {
		out = append(out, b...)
	}
	return out
}

// escaped gives, for each byte a PDF string must escape, the letter after
// the backslash: parentheses and backslash, and the carriage return, which
// in a string would read as a line feed.
var escaped = [256]byte{'(': '(', ')': ')', '\\': '\\', '\r': 'r'}

// line strokes from (x1, y1) to (x2, y2) mm.
func (c *canvas) line(x1, y1, x2, y2 float64) {
	c.marked()
	if !c.sValid.stroke || c.sStroke != c.drawColor {
		c.colour(c.drawColor, "RG\n")
		c.sStroke, c.sValid.stroke = c.drawColor, true
	}
	if !c.sValid.lineWidth || c.sLineWidth != c.lineWidth {
		c.n(c.lineWidth * ptPerMM)
		c.content.WriteString("w\n")
		c.sLineWidth, c.sValid.lineWidth = c.lineWidth, true
	}
	h := c.pageH()
	c.n(x1 * ptPerMM)
	c.n(h - y1*ptPerMM)
	c.content.WriteString("m ")
	c.n(x2 * ptPerMM)
	c.n(h - y2*ptPerMM)
	c.content.WriteString("l S\n")
}

// fillRect fills the w × h mm rectangle whose top left is (x, y).
func (c *canvas) fillRect(x, y, w, h float64) {
	c.marked()
	c.nonStroke(c.fillColor)
	c.n(x * ptPerMM)
	c.n(c.pageH() - y*ptPerMM)
	c.n(w * ptPerMM)
	c.n(-h * ptPerMM)
	c.content.WriteString("re f\n")
}

// maxBookmark is the most characters a bookmark's title keeps.
const maxBookmark = 500

// bookmark adds an outline entry pointing at y mm on the current page.
func (c *canvas) bookmark(title string, level int, y float64) {
	// A bookmark is a line in the viewer's panel; readers limit strings to
	// 65,535 bytes, and a heading could be a pasted page.
	if r := []rune(title); len(r) > maxBookmark {
		title = string(r[:maxBookmark-1]) + "…"
	}
	c.outline = append(c.outline, outlineEntry{title: title, level: level, page: c.page, y: c.pageH() - y*ptPerMM})
}

// finish writes the rest of the file and returns the first write error.
func (c *canvas) finish(in info) error {
	c.endStream()
	if len(c.pages) == 0 {
		c.addPage(a4W, a4H)
		c.endStream()
	}
	c.flush()
	fonts := c.putFonts()

	// Pages, under a tree of at most pageFanout kids to a node: readers
	// limit arrays to 8,191 entries, and look pages up faster in a tree.
	parents := c.putPageTree()
	annots := c.resolveLinks()
	for i, p := range c.pages {
		c.newObj(p.obj)
		fmt.Fprintf(c.out, "<</Type /Page\n/Parent %d 0 R\n/MediaBox [0 0 ", parents[i])
		fmt.Fprintf(c.out, "%.2f %.2f]\n/Resources 2 0 R\n/StructParents %d\n/Tabs /S\n/Contents [", p.w, p.h, i)
		for i, n := range p.content {
			if i > 0 {
				c.out.WriteByte(' ')
			}
			fmt.Fprintf(c.out, "%d 0 R", n)
		}
		c.out.WriteByte(']')
		if a := annots[i]; len(a) > 0 {
			c.out.WriteString("\n/Annots [")
			for _, n := range a {
				c.ref(n)
			}
			c.out.WriteByte(']')
		}
		c.out.WriteString(">>")
		c.endObj()
	}
	c.putLinks()

	c.newObj(resourceObj)
	c.out.WriteString("<</ProcSet [/PDF /Text]\n/Font <<")
	for s, n := range fonts {
		if n != 0 {
			fmt.Fprintf(c.out, "%s %d 0 R ", fontResource[s], n)
		}
	}
	c.out.WriteString(">>>>")
	c.endObj()

	outlines := c.putOutline()
	structRoot := c.putStructTree()
	metadata := c.putMetadata(in)

	infoObj := c.newObj(0)
	c.out.WriteString("<<")
	for _, f := range []struct{ key, v string }{
		{"Title", in.title}, {"Author", in.author}, {"Subject", in.subject},
		{"Keywords", in.keywords}, {"Creator", in.creator}, {"Producer", "papers"},
	} {
		if f.v != "" {
			c.out.WriteString("/" + f.key + " ")
			c.out.Write(textString(f.v))
			c.out.WriteByte('\n')
		}
	}
	d := in.date.UTC().Format("20060102150405")
	fmt.Fprintf(c.out, "/CreationDate (D:%sZ00'00')\n/ModDate (D:%sZ00'00')>>", d, d)
	c.endObj()

	root := c.newObj(0)
	c.out.WriteString("<</Type /Catalog\n/Pages 1 0 R")
	if outlines != 0 {
		fmt.Fprintf(c.out, "\n/Outlines %d 0 R\n/PageMode /UseOutlines", outlines)
	}
	if in.lang != "" {
		fmt.Fprintf(c.out, "\n/Lang (%s)", in.lang)
	}
	fmt.Fprintf(c.out, "\n/MarkInfo <</Marked true>>\n/ViewerPreferences <</DisplayDocTitle true>>\n/StructTreeRoot %d 0 R\n/Metadata %d 0 R", structRoot, metadata)
	c.out.WriteString(">>")
	c.endObj()

	// The file's identifier, which PDF 1.7 asks for: a digest of the file
	// so far, so the same document gets the same one.
	id := c.out.digest()
	// The cross-reference stream (PDF 1.5), which can say where the
	// objects in object streams are: per object, a type (1 in the file, 2
	// in an object stream), its offset or stream, and its index there.
	xrefObj := c.reserve()
	xref := c.out.Len()
	c.offsets[xrefObj] = xref
	for len(c.locs) < len(c.offsets) {
		c.locs = append(c.locs, objLoc{})
	}
	e := make([]byte, 0, 7*len(c.offsets))
	e = append(e, 0, 0, 0, 0, 0, 0xff, 0xff)
	for n := 1; n < len(c.offsets); n++ {
		if l := c.locs[n]; l.stm != 0 {
			e = append(e, 2)
			e = binary.BigEndian.AppendUint32(e, uint32(l.stm))
			e = binary.BigEndian.AppendUint16(e, uint16(l.idx))
			continue
		}
		e = append(e, 1)
		e = binary.BigEndian.AppendUint32(e, uint32(c.offsets[n]))
		e = append(e, 0, 0)
	}
	c.offsets[xrefObj] = xref
	c.writeStream(xrefObj, e, fmt.Sprintf(" /Type /XRef /Size %d /W [1 4 2] /Root %d 0 R /Info %d 0 R /ID [<%x> <%x>]", len(c.offsets), root, infoObj, id, id))
	fmt.Fprintf(c.out, "startxref\n%d\n%%%%EOF\n", xref)
	return c.out.close()
}

// pageFanout is the most kids a node of the page tree has.
const pageFanout = 128

// putPageTree writes the page tree's nodes, the root being pagesObj, and
// returns each page's parent. The tree is built a level at a time from the
// pages up, and written once every node knows its parent.
func (c *canvas) putPageTree() []int {
	type node struct {
		obj, parent, count int
		kids               []int
	}
	type item struct {
		obj, count int
		node       *node // nil for a page
		page       int
	}
	parents := make([]int, len(c.pages))
	level := make([]item, len(c.pages))
	for i, p := range c.pages {
		level[i] = item{obj: p.obj, count: 1, page: i}
	}
	var nodes []*node
	for {
		root := len(level) <= pageFanout
		var next []item
		for from := 0; from < len(level); from += pageFanout {
			nd := &node{obj: pagesObj}
			if !root {
				nd.obj = c.reserve()
			}
			for _, it := range level[from:min(from+pageFanout, len(level))] {
				nd.kids = append(nd.kids, it.obj)
				nd.count += it.count
				if it.node != nil {
					it.node.parent = nd.obj
				} else {
					parents[it.page] = nd.obj
				}
			}
			nodes = append(nodes, nd)
			next = append(next, item{obj: nd.obj, count: nd.count, node: nd})
		}
		if root {
			break
		}
		level = next
	}
	for _, nd := range nodes {
		c.newObj(nd.obj)
		c.out.WriteString("<</Type /Pages")
		if nd.parent != 0 {
			fmt.Fprintf(c.out, "\n/Parent %d 0 R", nd.parent)
		}
		c.out.WriteString("\n/Kids [")
		for i, k := range nd.kids {
			if i > 0 {
				c.out.WriteByte(' ')
			}
			fmt.Fprintf(c.out, "%d 0 R", k)
		}
		fmt.Fprintf(c.out, "]\n/Count %d>>", nd.count)
		c.endObj()
	}
	return parents
}

// putFonts embeds each face that drew something, and returns the numbers
// of their font objects (0 for a face not used).
func (c *canvas) putFonts() [nStyles]int {
	var out [nStyles]int
	for s, f := range c.faces {
		used := c.used[s]
		last := -1
		for r := len(used) - 1; r >= 0; r-- {
			if used[r] {
				last = r
				break
			}
		}
		if last < 0 || f == nil {
			continue
		}
		// The glyphs, their map from character codes, and the widths.
		glyphs := make([]bool, f.numGlyphs)
		cidToGID := make([]byte, 2*(last+1))
		h := fnv.New64a()
		h.Write([]byte(baseFontName[s]))
		var w, toUni bytes.Buffer
		w.WriteString("[")
		var uni []int
		prev := -2 // the last code written: consecutive codes share a run
		for r := 0; r <= last; r++ {
			if !used[r] {
				continue
			}
			g := f.gid[r]
			glyphs[g] = true
			cidToGID[2*r], cidToGID[2*r+1] = byte(g>>8), byte(g)
			if r != prev+1 {
				if prev >= 0 {
					w.WriteString("] ")
				}
				fmt.Fprintf(&w, "%d [", r)
			} else {
				w.WriteByte(' ')
			}
			fmt.Fprintf(&w, "%d", f.width(rune(r)))
			prev = r
			h.Write([]byte{byte(r >> 8), byte(r)})
			uni = append(uni, r)
		}
		w.WriteString("]]")
		name := subsetTag(h.Sum64()) + "+" + baseFontName[s]

		file := f.subset(glyphs)
		fileObj := c.stream(0, file, fmt.Sprintf(" /Length1 %d", len(file)))
		desc := c.newObj(0)
		fmt.Fprintf(c.out, "<</Type /FontDescriptor /FontName /%s /Flags %d /FontBBox [%d %d %d %d] /ItalicAngle %s /Ascent %d /Descent %d /CapHeight %d /StemV %d /MissingWidth %d /FontFile2 %d 0 R>>",
			name, f.flags, f.bbox[0], f.bbox[1], f.bbox[2], f.bbox[3], strconv.FormatFloat(f.italicAngle, 'f', -1, 64), f.ascent, f.descent, f.capHeight, f.stemV, f.missingWidth(), fileObj)
		c.endObj()
		mapObj := c.stream(0, cidToGID, "")
		cid := c.newObj(0)
		fmt.Fprintf(c.out, "<</Type /Font /Subtype /CIDFontType2 /BaseFont /%s /CIDSystemInfo <</Registry (Adobe) /Ordering (Identity) /Supplement 0>> /FontDescriptor %d 0 R /DW %d /W %s /CIDToGIDMap %d 0 R>>",
			name, desc, f.missingWidth(), w.String(), mapObj)
		c.endObj()
		writeToUnicode(&toUni, uni)
		uniObj := c.stream(0, toUni.Bytes(), "")
		out[s] = c.newObj(0)
		fmt.Fprintf(c.out, "<</Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /Identity-H /DescendantFonts [%d 0 R] /ToUnicode %d 0 R>>", name, cid, uniObj)
		c.endObj()
	}
	return out
}

// subsetTag is the six capital letters that name a font subset.
func subsetTag(h uint64) string {
	b := make([]byte, 6)
	for i := range b {
		b[i] = byte('A' + h%26)
		h /= 26
	}
	return string(b)
}

// writeToUnicode writes the CMap that maps each code back to its
// character: the same number, since codes are characters.
func writeToUnicode(b *bytes.Buffer, codes []int) {
	b.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo <</Registry (Adobe) /Ordering (UCS) /Supplement 0>> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	// Runs of consecutive codes as ranges, at most 100 to a block. A range
	// may not cross from one high byte to the next (…FF to …00): readers
	// count only its last byte.
	type run struct{ from, to int }
	var runs []run
	for _, r := range codes {
		if n := len(runs); n > 0 && runs[n-1].to == r-1 && r&0xFF != 0 {
			runs[n-1].to = r
			continue
		}
		runs = append(runs, run{r, r})
	}
	for len(runs) > 0 {
		k := min(len(runs), 100)
		fmt.Fprintf(b, "%d beginbfrange\n", k)
		for _, r := range runs[:k] {
			fmt.Fprintf(b, "<%04X> <%04X> <%04X>\n", r.from, r.to, r.from)
		}
		b.WriteString("endbfrange\n")
		runs = runs[k:]
	}
	b.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend")
}

// putOutline writes the bookmarks as a tree by level, all open, and
// returns the outline's object number (0 when there are none).
func (c *canvas) putOutline() int {
	if len(c.outline) == 0 {
		return 0
	}
	n := len(c.outline)
	root := c.reserve()
	objs := make([]int, n)
	for i := range objs {
		objs[i] = c.reserve()
	}
	parent := make([]int, n) // index of the parent, -1 for the root
	prev, next := make([]int, n), make([]int, n)
	first, last := make([]int, n), make([]int, n)
	count := make([]int, n)
	for i := range n {
		parent[i], prev[i], next[i], first[i], last[i] = -1, -1, -1, -1, -1
	}
	rootFirst, rootLast := -1, -1
	// Levels as the outline has them (the tags' heading levels too): a
	// bookmark nests under the one before of a smaller level in the model.
	var o document.Outline
	var stack []int // the open ancestors, by level
	for i, e := range c.outline {
		level := o.Level(document.Heading{Level: e.level, Text: "x"}) - 1
		for len(stack) > level {
			stack = stack[:len(stack)-1]
		}
		p := -1
		if len(stack) > 0 {
			p = stack[len(stack)-1]
		}
		parent[i] = p
		sibling := &rootLast
		if p >= 0 {
			sibling = &last[p]
		}
		if *sibling >= 0 {
			prev[i], next[*sibling] = *sibling, i
		} else if p >= 0 {
			first[p] = i
		} else {
			rootFirst = i
		}
		*sibling = i
		for a := p; a >= 0; a = parent[a] {
			count[a]++
		}
		stack = append(stack, i)
	}
	ref := func(key string, i int) {
		if i >= 0 {
			fmt.Fprintf(c.out, "\n/%s %d 0 R", key, objs[i])
		}
	}
	for i, e := range c.outline {
		c.newObj(objs[i])
		c.out.WriteString("<</Title ")
		c.out.Write(textString(e.title))
		if parent[i] >= 0 {
			fmt.Fprintf(c.out, "\n/Parent %d 0 R", objs[parent[i]])
		} else {
			fmt.Fprintf(c.out, "\n/Parent %d 0 R", root)
		}
		ref("Prev", prev[i])
		ref("Next", next[i])
		ref("First", first[i])
		ref("Last", last[i])
		if count[i] > 0 {
			fmt.Fprintf(c.out, "\n/Count %d", count[i])
		}
		fmt.Fprintf(c.out, "\n/Dest [%d 0 R /XYZ 0 %.2f null]>>", c.pages[e.page].obj, e.y)
		c.endObj()
	}
	c.newObj(root)
	fmt.Fprintf(c.out, "<</Type /Outlines /First %d 0 R /Last %d 0 R /Count %d>>", objs[rootFirst], objs[rootLast], n)
	c.endObj()
	return root
}

// textString is s as a PDF text string: UTF-16 with a byte order mark, in
// parentheses, escaped.
func textString(s string) []byte {
	b := []byte{'(', '\xfe', '\xff'}
	for _, u := range utf16.Encode([]rune(s)) {
		for _, x := range [2]byte{byte(u >> 8), byte(u)} {
			switch x {
			case '(', ')', '\\':
				b = append(b, '\\', x)
			case '\r':
				b = append(b, '\\', 'r')
			default:
				b = append(b, x)
			}
		}
	}
	return append(b, ')')
}
