package pack

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"

	"github.com/klauspost/compress/zlib"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// writePack writes the document in pctx as a PDF whose bytes depend only on
// what the document holds, so that the same meeting file, papers and
// configuration give the same pack byte for byte.
//
// pdfcpu's own writer does not: it writes objects in map order, stamps the
// clock into ModDate and derives the file /ID from the time. Here the
// objects reachable from the catalog and the information dictionary are
// numbered in the order a breadth-first walk meets them (dictionary keys
// sorted), so nothing unreachable is written (the merged papers' own
// catalogs and information dictionaries, with their dates and producers,
// fall away), and the /ID is a digest of the bytes before it. The dates
// the file carries are those of the front sheet's information dictionary:
// the publication day.
//
// Dictionaries and arrays go into compressed object streams and the cross
// reference is a stream (PDF 1.5), as pdfcpu wrote them.
func writePack(w io.Writer, pctx *model.Context) error {
	if pctx.Root == nil {
		return errors.New("pack: write: no catalog")
	}
	cw := &canonWriter{pctx: pctx, num: map[int]int{}}
	root := cw.number(*pctx.Root)
	info := 0
	if pctx.Info != nil {
		info = cw.number(*pctx.Info)
	}
	// Number everything reachable, breadth first.
	for i := 0; i < len(cw.order); i++ {
		o, err := cw.object(cw.order[i])
		if err != nil {
			return err
		}
		cw.objs = append(cw.objs, o)
		if err := cw.visit(o, 0); err != nil {
			return err
		}
	}
	return cw.write(w, root, info)
}

// objectsPerStream bounds an object stream: a reader decompresses a whole
// stream to reach one object in it.
const objectsPerStream = 100

type canonWriter struct {
	pctx  *model.Context
	num   map[int]int    // old object number → new
	order []int          // old object numbers, in new order (new = index+1)
	objs  []types.Object // their objects, dereferenced
}

// number gives ref's object its new number, the next free one if it has
// none yet; 0 for a reference to nothing (written as null).
func (cw *canonWriter) number(ref types.IndirectRef) int {
	old := ref.ObjectNumber.Value()
	if n, ok := cw.num[old]; ok {
		return n
	}
	e, found := cw.pctx.FindTableEntryForIndRef(&ref)
	if !found || e == nil || e.Free {
		cw.num[old] = 0
		return 0
	}
	cw.order = append(cw.order, old)
	n := len(cw.order)
	cw.num[old] = n
	return n
}

func (cw *canonWriter) object(old int) (types.Object, error) {
	o, err := cw.pctx.Dereference(*types.NewIndirectRef(old, 0))
	if err != nil {
		return nil, fmt.Errorf("pack: write: object %d: %w", old, err)
	}
	return o, nil
}

// maxNesting bounds how deep direct objects nest: a hostile file cannot
// exhaust the stack.
const maxNesting = 100

// visit numbers the references in o, in the order they are written.
func (cw *canonWriter) visit(o types.Object, depth int) error {
	if depth > maxNesting {
		return errors.New("pack: write: objects nested too deep")
	}
	switch v := o.(type) {
	case types.IndirectRef:
		cw.number(v)
	case types.Dict:
		for _, k := range sortedKeys(v) {
			if err := cw.visit(v[k], depth+1); err != nil {
				return err
			}
		}
	case types.Array:
		for _, e := range v {
			if err := cw.visit(e, depth+1); err != nil {
				return err
			}
		}
	case types.StreamDict:
		for _, k := range sortedKeys(v.Dict) {
			if k == "Length" {
				continue // written as the stream's own length
			}
			if err := cw.visit(v.Dict[k], depth+1); err != nil {
				return err
			}
		}
	case types.ObjectStreamDict, types.XRefStreamDict:
		return fmt.Errorf("pack: write: a %T is referred to", o)
	}
	return nil
}

func sortedKeys(d types.Dict) []string {
	keys := make([]string, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// direct appends o as it is written inside an object.
func (cw *canonWriter) direct(b []byte, o types.Object) []byte {
	switch v := o.(type) {
	case nil:
		return append(b, "null"...)
	case types.IndirectRef:
		n := cw.num[v.ObjectNumber.Value()]
		if n == 0 {
			return append(b, "null"...)
		}
		return append(strconv.AppendInt(b, int64(n), 10), " 0 R"...)
	case types.Dict:
		return cw.dict(b, v, false)
	case types.Array:
		b = append(b, '[')
		for i, e := range v {
			if i > 0 {
				b = append(b, ' ')
			}
			b = cw.direct(b, e)
		}
		return append(b, ']')
	case types.Integer:
		return strconv.AppendInt(b, int64(v), 10)
	case types.Float:
		return strconv.AppendFloat(b, float64(v), 'f', -1, 64)
	case types.Boolean:
		return strconv.AppendBool(b, bool(v))
	case types.Name:
		return append(b, v.PDFString()...)
	case types.StringLiteral:
		return append(b, v.PDFString()...)
	case types.HexLiteral:
		return append(b, v.PDFString()...)
	}
	return append(b, "null"...)
}

// dict appends d, keys sorted; a stream's dictionary leaves out Length,
// written after it by the caller.
func (cw *canonWriter) dict(b []byte, d types.Dict, stream bool) []byte {
	b = append(b, "<<"...)
	for _, k := range sortedKeys(d) {
		if stream && k == "Length" {
			continue
		}
		b = append(b, types.Name(k).PDFString()...)
		b = append(b, ' ')
		b = cw.direct(b, d[k])
	}
	if !stream {
		b = append(b, ">>"...)
	}
	return b
}

// write writes the numbered objects: streams as they are, everything else
// in object streams, then the cross-reference stream.
func (cw *canonWriter) write(w io.Writer, root, info int) error {
	var out bytes.Buffer
	out.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	n := len(cw.objs)
	type xref struct {
		kind   byte // 1 at an offset, 2 in an object stream
		field2 int  // offset, or the object stream's number
		field3 int  // index in the object stream
	}
	refs := make([]xref, n+1)
	var loose []int // numbers of objects for object streams
	var b []byte
	for i, o := range cw.objs {
		num := i + 1
		sd, ok := o.(types.StreamDict)
		if !ok {
			loose = append(loose, num)
			continue
		}
		raw := sd.Raw
		if raw == nil && sd.Content != nil {
			c := sd
			c.Dict = c.Dict.Clone().(types.Dict)
			if err := c.Encode(); err != nil {
				return fmt.Errorf("pack: write: object %d: %w", num, err)
			}
			raw, sd = c.Raw, c
		}
		refs[num] = xref{kind: 1, field2: out.Len()}
		b = strconv.AppendInt(b[:0], int64(num), 10)
		b = append(b, " 0 obj\n"...)
		b = cw.dict(b, sd.Dict, true)
		b = append(b, "/Length "...)
		b = strconv.AppendInt(b, int64(len(raw)), 10)
		b = append(b, ">>\nstream\n"...)
		out.Write(b)
		out.Write(raw)
		out.WriteString("\nendstream\nendobj\n")
	}
	next := n + 1
	for start := 0; start < len(loose); start += objectsPerStream {
		chunk := loose[start:min(start+objectsPerStream, len(loose))]
		stm := next
		next++
		var head, body []byte
		for j, num := range chunk {
			refs[num] = xref{kind: 2, field2: stm, field3: j}
			head = fmt.Appendf(head, "%d %d ", num, len(body))
			body = cw.direct(body, cw.objs[num-1])
			body = append(body, '\n')
		}
		data, err := deflate(append(head, body...))
		if err != nil {
			return err
		}
		refs = append(refs, xref{kind: 1, field2: out.Len()})
		fmt.Fprintf(&out, "%d 0 obj\n<</Type/ObjStm/N %d/First %d/Filter/FlateDecode/Length %d>>\nstream\n", stm, len(chunk), len(head), len(data))
		out.Write(data)
		out.WriteString("\nendstream\nendobj\n")
	}
	// The cross-reference stream, the last object. Its offsets are 4 bytes.
	if out.Len() > math.MaxUint32 {
		return errors.New("pack: write: the pack would be larger than 4 GB")
	}
	xnum := next
	refs = append(refs, xref{kind: 1, field2: out.Len()})
	sum := sha256.Sum256(out.Bytes())
	id := sum[:16]
	var table []byte
	for i, r := range refs {
		if i == 0 {
			table = append(table, 0, 0, 0, 0, 0, 0xff, 0xff)
			continue
		}
		table = append(table, r.kind)
		table = binary.BigEndian.AppendUint32(table, uint32(r.field2))
		table = binary.BigEndian.AppendUint16(table, uint16(r.field3))
	}
	data, err := deflate(table)
	if err != nil {
		return err
	}
	xoff := out.Len()
	fmt.Fprintf(&out, "%d 0 obj\n<</Type/XRef/Size %d/W [1 4 2]/Root %d 0 R", xnum, len(refs), root)
	if info > 0 {
		fmt.Fprintf(&out, "/Info %d 0 R", info)
	}
	fmt.Fprintf(&out, "/ID [<%x> <%x>]/Filter/FlateDecode/Length %d>>\nstream\n", id, id, len(data))
	out.Write(data)
	fmt.Fprintf(&out, "\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n", xoff)
	_, err = w.Write(out.Bytes())
	return err
}

func deflate(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw := zlib.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
