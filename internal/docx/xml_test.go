package docx

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// escapeReference is the escaping appendEscaped replaced, character by
// character into a strings.Builder; the two must agree on any text.
func escapeReference(s string, attr bool) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if (r == utf8.RuneError && size == 1) || r == 0xFFFE || r == 0xFFFF {
				b.WriteString("\uFFFD")
			} else {
				b.WriteString(s[i : i+size])
			}
			i += size
			continue
		}
		switch {
		case c == '&':
			b.WriteString("&amp;")
		case c == '<':
			b.WriteString("&lt;")
		case c == '>':
			b.WriteString("&gt;")
		case c == '"' && attr:
			b.WriteString("&quot;")
		case c == '\n' && attr:
			b.WriteString("&#10;")
		case c == '\r' && attr:
			b.WriteString("&#13;")
		case c == '\t' && attr:
			b.WriteString("&#9;")
		case c < 0x20 && c != '\n' && c != '\r' && c != '\t':
		default:
			b.WriteByte(c)
		}
		i++
	}
	return b.String()
}

var xmlCases = []string{
	"",
	"plain text",
	`<w:t attr="x">Tom & Jerry's</w:t>`,
	"line\nbreak\r\ttab\x00\x01\x1f\x7f",
	"non-characters \ufffe\uffff, replacement \ufffd, C1 \u0085, separators \u2028",
	"invalid \xff\xfe UTF-8 \xc3 cut \xe2\x80 short \xed\xa0\x80 surrogate",
	"\xe2\x80",
	welsh,
}

func TestEscapeSameAsBefore(t *testing.T) {
	for _, s := range xmlCases {
		for _, attr := range []bool{false, true} {
			if got, want := string(appendEscaped(nil, s, attr)), escapeReference(s, attr); got != want {
				t.Errorf("appendEscaped(%q, attr %v) = %q, want %q", s, attr, got, want)
			}
		}
	}
}

func FuzzEscape(f *testing.F) {
	for _, s := range xmlCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, attr := range []bool{false, true} {
			if got, want := string(appendEscaped(nil, s, attr)), escapeReference(s, attr); got != want {
				t.Errorf("appendEscaped(%q, attr %v) = %q, want %q", s, attr, got, want)
			}
		}
	})
}

type failingWriter struct{ writes int }

var errFull = errors.New("disk full")

func (w *failingWriter) Write([]byte) (int, error) {
	w.writes++
	return 0, errFull
}

// The XML is written in pieces once there is enough of it; the first
// write error stops the writing and is what Flush returns.
func TestXWPiecesAndErrors(t *testing.T) {
	var b strings.Builder
	x := newXW(&b)
	for i := range 20000 {
		x.raw("<w:p>")
		x.int(i - 10)
		x.text("a < b")
		x.raw("</w:p>")
		x.flushLarge()
	}
	if err := x.Flush(); err != nil {
		t.Fatal(err)
	}
	want := strings.Builder{}
	for i := range 20000 {
		want.WriteString("<w:p>" + itoa(i-10) + "a &lt; b</w:p>")
	}
	if b.String() != want.String() {
		t.Error("the XML written in pieces differs from the XML made whole")
	}

	w := &failingWriter{}
	x = newXW(w)
	for range 20000 {
		x.raw("<w:p>some text</w:p>")
		x.flushLarge()
	}
	if err := x.Flush(); !errors.Is(err, errFull) || w.writes != 1 {
		t.Errorf("Flush: %v after %d writes, want %v after 1", err, w.writes, errFull)
	}
}
