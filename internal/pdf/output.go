package pdf

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"sync"
)

// fpdf compresses each page with a new zlib writer, allocating about 2 MB a
// page: most of the time and memory of a long report. So pages are written
// uncompressed and compressed here, by a writer per core, reused. The
// file's layout is fpdf's own: objects at the offsets its cross-reference
// table lists, a page's content being "N 0 obj\n<</Length L>>\nstream\n…".

// object is one indirect object of the file: src[start:end].
type object struct {
	n          int
	start, end int
	data       []byte // the stream to compress, nil to copy the object as it is
	tail       []byte // what follows the stream's "endobj"
	z          []byte // data compressed
}

// compressStreams returns the uncompressed PDF src with every unfiltered
// stream deflated, and the cross-reference table rewritten.
func compressStreams(src []byte) ([]byte, error) {
	offs, xref, err := objectOffsets(src)
	if err != nil {
		return nil, err
	}
	objs := make([]object, 0, len(offs))
	for n := 1; n < len(offs); n++ {
		objs = append(objs, object{n: n, start: offs[n]})
	}
	slices.SortFunc(objs, func(a, b object) int { return a.start - b.start })
	var jobs []int
	for i := range objs {
		o := &objs[i]
		o.end = xref
		if i+1 < len(objs) {
			o.end = objs[i+1].start
		}
		if o.start >= o.end {
			return nil, errors.New("pdf: overlapping objects")
		}
		obj := src[o.start:o.end]
		head := []byte(strconv.Itoa(o.n) + " 0 obj\n<</Length ")
		if !bytes.HasPrefix(obj, head) {
			continue
		}
		rest := obj[len(head):]
		k := bytes.IndexByte(rest, '>')
		if k < 0 || !bytes.HasPrefix(rest[k:], []byte(">>\nstream\n")) {
			continue
		}
		length, err := strconv.Atoi(string(rest[:k]))
		data := rest[k+len(">>\nstream\n"):]
		if err != nil || length > len(data) || !bytes.HasPrefix(data[length:], []byte("\nendstream\nendobj\n")) {
			continue
		}
		o.data, o.tail = data[:length], data[length+len("\nendstream\nendobj\n"):]
		jobs = append(jobs, i)
	}

	// Compress, a share of the streams per core.
	workers := min(runtime.GOMAXPROCS(0), 4, max(len(jobs)/8, 1))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf bytes.Buffer
			zw, _ := zlib.NewWriterLevel(&buf, zlib.BestSpeed)
			for j := w; j < len(jobs); j += workers {
				o := &objs[jobs[j]]
				buf.Reset()
				zw.Reset(&buf)
				zw.Write(o.data) // writes to a bytes.Buffer do not fail
				zw.Close()
				o.z = bytes.Clone(buf.Bytes())
			}
		}()
	}
	wg.Wait()

	size := len(src)
	for _, j := range jobs {
		size -= len(objs[j].data) - len(objs[j].z)
	}
	out := bytes.NewBuffer(make([]byte, 0, size+len(offs)*20+256))
	if len(objs) > 0 {
		out.Write(src[:objs[0].start])
	}
	newOff := make([]int, len(offs))
	for _, o := range objs {
		newOff[o.n] = out.Len()
		if o.data == nil {
			out.Write(src[o.start:o.end])
			continue
		}
		fmt.Fprintf(out, "%d 0 obj\n<</Filter /FlateDecode /Length %d>>\nstream\n", o.n, len(o.z))
		out.Write(o.z)
		out.WriteString("\nendstream\nendobj\n")
		out.Write(o.tail)
	}
	// Cross-reference table and trailer.
	xo := out.Len()
	fmt.Fprintf(out, "xref\n0 %d\n0000000000 65535 f \n", len(offs))
	for n := 1; n < len(offs); n++ {
		fmt.Fprintf(out, "%010d 00000 n \n", newOff[n])
	}
	t := bytes.Index(src[xref:], []byte("trailer\n"))
	s := bytes.LastIndex(src, []byte("startxref\n"))
	if t < 0 || s < xref+t {
		return nil, errors.New("pdf: unexpected trailer")
	}
	out.Write(src[xref+t : s])
	fmt.Fprintf(out, "startxref\n%d\n%%%%EOF\n", xo)
	return out.Bytes(), nil
}

// objectOffsets reads fpdf's cross-reference table: each object's offset
// (index 0 unused) and the table's own offset.
func objectOffsets(src []byte) ([]int, int, error) {
	bad := errors.New("pdf: unexpected cross-reference table")
	s := bytes.LastIndex(src, []byte("startxref\n"))
	if s < 0 {
		return nil, 0, bad
	}
	line := src[s+len("startxref\n"):]
	if k := bytes.IndexByte(line, '\n'); k >= 0 {
		line = line[:k]
	}
	xref, err := strconv.Atoi(string(line))
	if err != nil || xref < 0 || xref >= s || !bytes.HasPrefix(src[xref:], []byte("xref\n0 ")) {
		return nil, 0, bad
	}
	p := src[xref+len("xref\n0 "):]
	k := bytes.IndexByte(p, '\n')
	if k < 0 {
		return nil, 0, bad
	}
	count, err := strconv.Atoi(string(p[:k]))
	p = p[k+1:]
	const entry = 20 // "0000000000 65535 f \n"
	if err != nil || count < 1 || len(p) < count*entry {
		return nil, 0, bad
	}
	offs := make([]int, count)
	for n := 1; n < count; n++ {
		e := p[n*entry : n*entry+10]
		o, err := strconv.Atoi(string(e))
		if err != nil || o <= 0 || o >= xref {
			return nil, 0, bad
		}
		offs[n] = o
	}
	return offs, xref, nil
}
