package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"papers/internal/document"
)

// TestStringEscapes checks how text becomes a PDF string: two bytes per
// character, with parentheses, backslashes and carriage returns escaped
// wherever they fall (a raw carriage return may be read as a line feed,
// which poppler does not do, so reading the text back would not tell).
func TestStringEscapes(t *testing.T) {
	var faces [nStyles]*ttf
	for s := range nStyles {
		f, err := loadFace(s)
		if err != nil {
			t.Fatal(err)
		}
		faces[s] = f
	}
	c := newCanvas(faces, io.Discard)
	defer c.flush()
	c.addPage(a4W, a4H)
	c.setFont(regular, 10)
	for _, tc := range []struct{ text, want string }{
		{"A(b)", "(\x00A\x00\\(\x00b\x00\\)) Tj"},
		{`\`, "(\x00\\\\) Tj"},
		{"\u0D28", "(\\r\\() Tj"},  // 0D 28
		{"\u5C29", "(\\\\\\)) Tj"}, // 5C 29
		{"😀", "(\x25\xa1) Tj"},     // outside the BMP: □
	} {
		c.content.Reset()
		c.text(10, 10, tc.text)
		if !bytes.Contains(c.content.Bytes(), []byte(tc.want)) {
			t.Errorf("%q gives %q, want it to contain %q", tc.text, c.content.Bytes(), tc.want)
		}
	}
}

// TestChunked checks the file's blocks against a plain buffer, with writes
// that end exactly at a block's end, cross one, and span several.
func TestChunked(t *testing.T) {
	var c chunked
	var want bytes.Buffer
	sizes := []int{0, 1, blockSize - 2, 1, 1, 5, blockSize, 3*blockSize + 7, 17, blockSize - 24}
	for i, n := range sizes {
		p := bytes.Repeat([]byte{byte('a' + i)}, n)
		if i%2 == 0 {
			c.Write(p)
		} else {
			c.WriteString(string(p))
		}
		c.WriteByte('|')
		want.Write(p)
		want.WriteByte('|')
		if c.Len() != want.Len() {
			t.Fatalf("after write %d: Len %d, want %d", i, c.Len(), want.Len())
		}
	}
	if !bytes.Equal(c.Bytes(), want.Bytes()) {
		t.Error("the blocks put together differ from what was written")
	}
}

// TestToUnicodeRanges checks the CMap's ranges: consecutive codes share one,
// but never across a high byte (U+00FF to U+0100), which readers get wrong.
func TestToUnicodeRanges(t *testing.T) {
	var b bytes.Buffer
	writeToUnicode(&b, []int{'A', 'B', 'C', 0xFE, 0xFF, 0x100, 0x101, 0x2013})
	got := b.String()
	for _, want := range []string{"<0041> <0043> <0041>", "<00FE> <00FF> <00FE>", "<0100> <0101> <0100>", "<2013> <2013> <2013>", "4 beginbfrange"} {
		if !bytes.Contains([]byte(got), []byte(want)) {
			t.Errorf("CMap lacks %q:\n%s", want, got)
		}
	}
}

// TestPageTree checks a document longer than one node of the page tree: no
// array past pageFanout entries (readers limit arrays to 8,191), and every
// page where it should be.
func TestPageTree(t *testing.T) {
	const pages = 3*pageFanout + 5
	var blocks []document.Block
	for i := 1; i <= pages; i++ {
		if i > 1 {
			blocks = append(blocks, document.PageBreak{})
		}
		blocks = append(blocks, document.Text(fmt.Sprintf("marker %d.", i)))
	}
	data := render(t, &document.Doc{Sections: []document.Section{{Blocks: blocks}}})
	for _, m := range regexp.MustCompile(`/Kids \[([^\]]*)\]`).FindAllSubmatch(data, -1) {
		if n := bytes.Count(m[1], []byte(" R")); n > pageFanout {
			t.Errorf("a node of the page tree has %d kids", n)
		}
	}
	if !bytes.Contains(data, []byte(fmt.Sprintf("/Count %d>>", pages))) {
		t.Errorf("the root does not count %d pages", pages)
	}
	needTool(t, "pdftotext")
	path := writeTemp(t, "tree.pdf", data)
	for _, p := range []int{1, pageFanout, pageFanout + 1, 2*pageFanout + 7, pages} {
		text := run(t, "pdftotext", "-f", strconv.Itoa(p), "-l", strconv.Itoa(p), path, "-")
		if !strings.Contains(text, fmt.Sprintf("marker %d.", p)) {
			t.Errorf("page %d reads %q", p, strings.TrimSpace(text))
		}
	}
}

// TestCoordinateNotANumber: a NaN or infinite coordinate is a layout bug,
// reported, never written into the page as text that is not a number.
func TestCoordinateNotANumber(t *testing.T) {
	for _, v := range []float64{math.NaN(), math.Inf(1), 1e300} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("n(%v) did not refuse it", v)
				}
			}()
			var c canvas
			c.content = new(bytes.Buffer)
			c.n(v)
		}()
	}
}

// TestFileID checks the trailer's /ID: the two CRC-32s and the length of the
// file up to the cross-reference table, as written (a digest taken before
// the buffered bytes reach the writer would miss the end).
func TestFileID(t *testing.T) {
	data := render(t, sampleDoc())
	_, xref, err := objectOffsets(data)
	if err != nil {
		t.Fatal(err)
	}
	id := fmt.Sprintf("%08x%08x%016x", crc32.ChecksumIEEE(data[:xref]), crc32.Checksum(data[:xref], crc32.MakeTable(crc32.Castagnoli)), xref)
	want := fmt.Sprintf("/ID [<%s> <%s>]", id, id)
	if !bytes.Contains(data[xref:], []byte(want)) {
		t.Errorf("trailer %q, want %s", data[xref+bytes.Index(data[xref:], []byte("trailer")):], want)
	}
	if got, err := Render(sampleDoc()); err != nil || !bytes.Equal(got, data) {
		t.Errorf("Render's bytes differ from Write's (%v)", err)
	}
}

// failAfter is a writer that fails once n bytes have been written.
type failAfter struct {
	n, written int
	failed     bool
	after      int // writes tried after the first failure
}

var errNoSpace = errors.New("no space left on device")

func (f *failAfter) Write(p []byte) (int, error) {
	if f.failed {
		f.after++
	}
	if f.written+len(p) > f.n {
		f.failed = true
		return 0, errNoSpace
	}
	f.written += len(p)
	return len(p), nil
}

// A writer that fails part way (a full disk): Write returns its error, and
// stops writing to it.
func TestWriteFails(t *testing.T) {
	full := len(render(t, sampleDoc()))
	for _, n := range []int{0, 100 << 10, full - 1} {
		w := &failAfter{n: n}
		err := Write(w, sampleDoc())
		if !errors.Is(err, errNoSpace) {
			t.Errorf("failing after %d bytes: %v, want the writer's error", n, err)
		}
		if w.after > 0 {
			t.Errorf("failing after %d bytes: %d writes after the failure, want none", n, w.after)
		}
	}
}
