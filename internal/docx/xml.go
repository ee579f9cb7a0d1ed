package docx

import (
	"io"
	"strconv"
	"unicode/utf8"
)

// xw writes XML text to w, gathering it in a buffer that flushLarge writes
// out once it is large. A 20,000-action report's document part is 87 MB of
// XML, written in many millions of small pieces: appending them to a
// slice is cheaper than passing each through a bufio.Writer. The first
// write error is kept, nothing is written after it, and Flush returns it.
type xw struct {
	w   io.Writer
	b   []byte
	err error
}

// xwFlushAt is how much XML is gathered before it is written.
const xwFlushAt = 64 << 10

func newXW(w io.Writer) *xw { return &xw{w: w, b: make([]byte, 0, xwFlushAt+xwFlushAt/4)} }

// raw writes markup as is.
func (x *xw) raw(s string) { x.b = append(x.b, s...) }

// int writes a decimal integer.
func (x *xw) int(n int) { x.b = strconv.AppendInt(x.b, int64(n), 10) }

// text writes character data, escaped; characters XML 1.0 cannot hold are
// dropped and invalid UTF-8 becomes U+FFFD.
func (x *xw) text(s string) { x.b = appendEscaped(x.b, s, false) }

// attr writes an attribute value (without the quotes), escaped.
func (x *xw) attr(s string) { x.b = appendEscaped(x.b, s, true) }

// flushLarge writes what has been gathered once there is a good deal of it.
func (x *xw) flushLarge() {
	if len(x.b) >= xwFlushAt {
		x.Flush()
	}
}

// Flush writes what has been gathered, and returns the first write error.
func (x *xw) Flush() error {
	if x.err == nil && len(x.b) > 0 {
		_, x.err = x.w.Write(x.b)
	}
	x.b = x.b[:0]
	return x.err
}

// xmlSpecial marks the ASCII characters appendEscaped does not copy as
// they are in character data; in attributes ", tab, new line and carriage
// return are escaped too.
var xmlSpecial = func() (t [utf8.RuneSelf]bool) {
	for c := range 0x20 {
		t[c] = true
	}
	t['&'], t['<'], t['>'], t['"'] = true, true, true, true
	return t
}()

// appendEscaped appends s escaped as XML character data, or as an
// attribute value when attr is set: &, <, > (and in attributes ", tab, new
// line and carriage return) as references; control characters XML 1.0
// cannot hold dropped; invalid UTF-8, U+FFFE and U+FFFF as U+FFFD.
func appendEscaped(b []byte, s string, attr bool) []byte {
	last := 0 // s[last:i] is to be copied as it is
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf && !xmlSpecial[c] {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if (r == utf8.RuneError && size == 1) || r == 0xFFFE || r == 0xFFFF {
				b = append(b, s[last:i]...)
				b = append(b, "\uFFFD"...)
				i += size
				last = i
				continue
			}
			i += size
			continue
		}
		var rep string
		switch {
		case c == '&':
			rep = "&amp;"
		case c == '<':
			rep = "&lt;"
		case c == '>':
			rep = "&gt;"
		case c == '"' && attr:
			rep = "&quot;"
		case c == '\n' && attr:
			rep = "&#10;"
		case c == '\r' && attr:
			rep = "&#13;"
		case c == '\t' && attr:
			rep = "&#9;"
		case c < 0x20 && c != '\n' && c != '\r' && c != '\t':
			rep = "" // not allowed in XML 1.0
		default:
			i++ // ", tab, new line or carriage return in character data
			continue
		}
		b = append(b, s[last:i]...)
		b = append(b, rep...)
		i++
		last = i
	}
	return append(b, s[last:]...)
}
