package docx

import (
	"bufio"
	"io"
	"unicode/utf8"
)

// xw writes XML text straight to a buffered writer. Errors are sticky in the
// bufio.Writer and surface at Flush.
type xw struct {
	*bufio.Writer
}

func newXW(w io.Writer) xw { return xw{bufio.NewWriterSize(w, 64<<10)} }

// raw writes markup as is.
func (x xw) raw(s string) { x.WriteString(s) }

// int writes a decimal integer without allocating.
func (x xw) int(n int) {
	if n < 0 {
		x.WriteByte('-')
		n = -n
	}
	if n < 10 {
		x.WriteByte(byte('0' + n))
		return
	}
	x.int(n / 10)
	x.WriteByte(byte('0' + n%10))
}

// text writes character data, escaped; characters XML 1.0 cannot hold are
// dropped and invalid UTF-8 becomes U+FFFD.
func (x xw) text(s string) { escape(x.Writer, s, false) }

// attr writes an attribute value (without the quotes), escaped.
func (x xw) attr(s string) { escape(x.Writer, s, true) }

func escape(x io.StringWriter, s string, attr bool) {
	last := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if (r == utf8.RuneError && size == 1) || r == 0xFFFE || r == 0xFFFF {
				x.WriteString(s[last:i])
				x.WriteString("\uFFFD")
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
			i++
			continue
		}
		x.WriteString(s[last:i])
		x.WriteString(rep)
		i++
		last = i
	}
	x.WriteString(s[last:])
}
