package workbook

import (
	"bytes"
	"encoding/xml"
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"
)

// errSlowPath says the sheet's XML holds something the fast reader does not
// read exactly as excelize does (a comment, a CDATA section, a cell holding
// unexpected elements, a damaged cell reference…). The caller reads the
// sheet with excelize instead, which gives the same answer, errors included.
var errSlowPath = errors.New("the fast sheet reader cannot read this part")

// maxDepth is the deepest nesting the scanner follows. encoding/xml refuses
// to decode an element nested 10,000 deep; a sheet is four or five deep.
const maxDepth = 1000

type tokenKind uint8

const (
	tokEOF tokenKind = iota
	tokStart
	tokEnd
	tokText
)

// xmlScanner splits an XML part held in memory into start tags, end tags
// and text, for the fast sheet reader. It accepts the XML that
// encoding/xml accepts, less some it never needs to (comments, CDATA,
// DOCTYPE, names outside ASCII): on those, and on anything encoding/xml
// would refuse, it returns errSlowPath. Whatever it accepts it checks as
// encoding/xml does — names, attribute syntax, entities, UTF-8, characters
// XML forbids, matching end tags — so that it stops (falls back) wherever
// excelize's decoder would have stopped.
//
// Tokens point into the part's bytes, which are never modified, so names
// and attributes stay valid after the scanner moves on.
type xmlScanner struct {
	b         []byte
	pos       int
	open      [][]byte // names of the open elements, as written
	closeNext bool     // the last start tag was self-closing: its end is the next token

	name  []byte // a tag's name as written, prefix included
	attrs []byte // a start tag's attributes, as written
	text  []byte // text as written
	refs  bool   // text holds references or carriage returns, so must be decoded

	// onStart, if set, is called with every start tag's local name and
	// attributes: scanSheet's metadata, collected in the same pass.
	onStart func(name, attrs []byte)
	// unlikeScan records that scanSheet, which splits tags at the first
	// '>', would see the tags read so far differently: an attribute's
	// value holds a '>', a processing instruction a '<' or '>', or a tag
	// is longer than scanSheet's buffer.
	unlikeScan bool
}

func newXMLScanner(b []byte) *xmlScanner { return &xmlScanner{b: b} }

// next reads the next token.
func (s *xmlScanner) next() (tokenKind, error) {
	if s.closeNext {
		s.closeNext = false
		s.open = s.open[:len(s.open)-1]
		return tokEnd, nil
	}
	for s.pos+1 < len(s.b) && s.b[s.pos] == '<' && s.b[s.pos+1] == '?' {
		if err := s.procInst(); err != nil {
			return tokEOF, err
		}
	}
	if s.pos >= len(s.b) {
		if len(s.open) > 0 {
			return tokEOF, errSlowPath // encoding/xml: unexpected EOF
		}
		return tokEOF, nil
	}
	if s.b[s.pos] != '<' {
		end := bytes.IndexByte(s.b[s.pos:], '<')
		if end < 0 {
			end = len(s.b) - s.pos
		}
		raw := s.b[s.pos : s.pos+end]
		refs, ok := checkText(raw, false)
		if !ok {
			return tokEOF, errSlowPath
		}
		s.pos += end
		s.text, s.refs = raw, refs
		return tokText, nil
	}
	if s.pos+1 >= len(s.b) {
		return tokEOF, errSlowPath
	}
	switch s.b[s.pos+1] {
	case '/':
		return s.endTag()
	case '!':
		return tokEOF, errSlowPath // comment, CDATA or DOCTYPE
	}
	return s.startTag()
}

func (s *xmlScanner) startTag() (tokenKind, error) {
	start := s.pos
	p := s.pos + 1
	name, p, ok := scanName(s.b, p)
	if !ok || len(s.open) >= maxDepth {
		return tokEOF, errSlowPath
	}
	attrStart := p
	for {
		q := skipSpace(s.b, p)
		if q >= len(s.b) {
			return tokEOF, errSlowPath
		}
		switch s.b[q] {
		case '>':
			s.pos = q + 1
		case '/':
			if q+1 >= len(s.b) || s.b[q+1] != '>' {
				return tokEOF, errSlowPath
			}
			s.pos = q + 2
			s.closeNext = true
		default:
			if _, q, ok = scanName(s.b, q); !ok {
				return tokEOF, errSlowPath
			}
			if q = skipSpace(s.b, q); q >= len(s.b) || s.b[q] != '=' {
				return tokEOF, errSlowPath
			}
			if q = skipSpace(s.b, q+1); q >= len(s.b) || (s.b[q] != '"' && s.b[q] != '\'') {
				return tokEOF, errSlowPath
			}
			end := bytes.IndexByte(s.b[q+1:], s.b[q])
			if end < 0 {
				return tokEOF, errSlowPath
			}
			value := s.b[q+1 : q+1+end]
			if _, ok := checkText(value, true); !ok {
				return tokEOF, errSlowPath
			}
			if bytes.IndexByte(value, '>') >= 0 {
				s.unlikeScan = true
			}
			p = q + 1 + end + 1
			continue
		}
		s.attrs = s.b[attrStart:q]
		break
	}
	if s.pos-start >= scanBuffer {
		s.unlikeScan = true
	}
	s.open = append(s.open, name)
	s.name = name
	if s.onStart != nil {
		s.onStart(localName(name), s.attrs)
	}
	return tokStart, nil
}

func (s *xmlScanner) endTag() (tokenKind, error) {
	// It must close the element open last (encoding/xml: "element closed
	// by another", "unexpected end element"): compare with its name, a
	// name checked when its start tag was read.
	if len(s.open) == 0 {
		return tokEOF, errSlowPath
	}
	name := s.open[len(s.open)-1]
	p := s.pos + 2 + len(name)
	if p > len(s.b) || !bytes.Equal(s.b[s.pos+2:p], name) {
		return tokEOF, errSlowPath
	}
	if p = skipSpace(s.b, p); p >= len(s.b) || s.b[p] != '>' {
		return tokEOF, errSlowPath
	}
	s.open = s.open[:len(s.open)-1]
	s.pos = p + 1
	s.name = name
	return tokEnd, nil
}

// procInst skips a processing instruction after letting encoding/xml judge
// it: the XML declaration is where it refuses a version other than 1.0 or
// an encoding other than UTF-8 (excelize gives it no charset reader).
func (s *xmlScanner) procInst() error {
	end := bytes.Index(s.b[s.pos+2:], []byte("?>"))
	if end < 0 {
		return errSlowPath
	}
	pi := s.b[s.pos : s.pos+2+end+2]
	if _, err := xml.NewDecoder(bytes.NewReader(pi)).RawToken(); err != nil {
		return errSlowPath
	}
	if bytes.ContainsAny(pi[2:len(pi)-2], "<>") {
		s.unlikeScan = true
	}
	s.pos += len(pi)
	return nil
}

// drain reads the rest of the part.
func (s *xmlScanner) drain() error {
	for {
		k, err := s.next()
		if err != nil || k == tokEOF {
			return err
		}
	}
}

// skip reads past the end of the element whose start tag was just read.
func (s *xmlScanner) skip() error {
	for depth := 1; depth > 0; {
		k, err := s.next()
		if err != nil {
			return err
		}
		switch k {
		case tokStart:
			depth++
		case tokEnd:
			depth--
		}
	}
	return nil
}

// elementText reads the rest of the element whose start tag was just read
// and returns its text, as encoding/xml decodes an element into a string:
// the text directly inside it, without that of elements nested in it.
func (s *xmlScanner) elementText() (string, error) {
	b, err := s.elementBytes()
	return string(b), err
}

// elementBytes is elementText, as bytes that are the part's own when they
// can be (the text as written, with no references), so never modified.
func (s *xmlScanner) elementBytes() ([]byte, error) {
	var out []byte
	var first []byte // the only text so far, as written: most elements have one
	n := 0
	for {
		k, err := s.next()
		if err != nil {
			return nil, err
		}
		switch k {
		case tokText:
			if n == 0 && !s.refs {
				first = s.text
			} else {
				if first != nil {
					out, first = append(out, first...), nil
				}
				out = appendDecoded(out, s.text)
			}
			n++
		case tokStart:
			if err := s.skip(); err != nil {
				return nil, err
			}
		case tokEnd:
			if first != nil {
				return first, nil
			}
			return out, nil
		}
	}
}

// scanName reads an element or attribute name at b[p:]: ASCII letters,
// digits, '_', '-', '.', and at most one ':' with a name either side, as
// encoding/xml splits a prefix from a local name.
func scanName(b []byte, p int) (name []byte, end int, ok bool) {
	start := p
	colon := -1
	for p < len(b) {
		c := b[p]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_':
		case c >= '0' && c <= '9', c == '-', c == '.':
			if p == start || p == colon+1 {
				return nil, p, false
			}
		case c == ':':
			if colon >= 0 || p == start {
				return nil, p, false
			}
			colon = p
		case c >= utf8.RuneSelf:
			return nil, p, false
		default:
			if p == start || p == colon+1 {
				return nil, p, false
			}
			return b[start:p], p, true
		}
		p++
	}
	return nil, p, false
}

// localName drops a name's prefix, as encoding/xml's Name.Local does.
func localName(name []byte) []byte {
	if i := bytes.IndexByte(name, ':'); i >= 0 {
		return name[i+1:]
	}
	return name
}

func skipSpace(b []byte, p int) int {
	for p < len(b) && (b[p] == ' ' || b[p] == '\t' || b[p] == '\r' || b[p] == '\n') {
		p++
	}
	return p
}

// nextAttr returns the first attribute in attrs (a start tag's attributes,
// as checked by the scanner): its name as written, its value as written,
// and the attributes after it.
func nextAttr(attrs []byte) (name, value, rest []byte, ok bool) {
	p := skipSpace(attrs, 0)
	if p >= len(attrs) {
		return nil, nil, nil, false
	}
	name, p, _ = scanName(attrs, p)
	p = skipSpace(attrs, p)   // at '='
	p = skipSpace(attrs, p+1) // at the quote
	end := bytes.IndexByte(attrs[p+1:], attrs[p])
	return name, attrs[p+1 : p+1+end], attrs[p+1+end+1:], true
}

// attrValue decodes an attribute's value as written.
func attrValue(raw []byte) string {
	return string(attrText(raw))
}

// attrText decodes an attribute's value as written: the value itself when
// there is nothing to decode, as in almost every attribute.
func attrText(raw []byte) []byte {
	if bytes.IndexByte(raw, '&') < 0 && bytes.IndexByte(raw, '\r') < 0 {
		return raw
	}
	return appendDecoded(nil, raw)
}

// checkText checks text or an attribute's value (inAttr) as written, as
// encoding/xml does: every reference one of the five entities or a
// character reference, every character, written or referred to, one XML
// allows, and no "]]>" outside attributes. refs reports whether it must be
// decoded.
func checkText(raw []byte, inAttr bool) (refs, ok bool) {
	for i := 0; i < len(raw); {
		c := raw[i]
		if plainText[c] {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRune(raw[i:])
			if (r == utf8.RuneError && n == 1) || !xmlChar(r) {
				return refs, false
			}
			i += n
			continue
		}
		switch {
		case c == '&':
			r, n := reference(raw[i:])
			if n == 0 || !xmlChar(r) {
				return refs, false
			}
			refs = true
			i += n
			continue
		case c == '<':
			return refs, false
		case c == '\r':
			refs = true
		case c == '>':
			if !inAttr && i >= 2 && raw[i-1] == ']' && raw[i-2] == ']' {
				return refs, false
			}
		case c < ' ' && c != '\t' && c != '\n':
			return refs, false
		}
		i++
	}
	return refs, true
}

// plainText marks the bytes that checkText passes over: printable ASCII
// but '&', '<', '>', and tabs and line feeds.
var plainText = func() (t [256]bool) {
	for c := ' '; c < 0x7f; c++ {
		t[c] = c != '&' && c != '<' && c != '>'
	}
	t['\t'], t['\n'], t[0x7f] = true, true, true
	return t
}()

// xmlChar reports whether XML allows the character r (encoding/xml's
// isInCharacterRange).
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// reference reads the reference at the start of b ("&amp;", "&#10;",
// "&#x2022;"): the character it stands for and its length, 0 if it is none
// encoding/xml reads. A character reference to a surrogate stands for
// U+FFFD, as string(rune(n)) makes it.
func reference(b []byte) (rune, int) {
	end := bytes.IndexByte(b, ';')
	if end < 2 {
		return 0, 0
	}
	body := b[1:end]
	if body[0] != '#' {
		switch string(body) {
		case "lt":
			return '<', end + 1
		case "gt":
			return '>', end + 1
		case "amp":
			return '&', end + 1
		case "apos":
			return '\'', end + 1
		case "quot":
			return '"', end + 1
		}
		return 0, 0
	}
	digits, base := body[1:], 10
	if len(digits) > 0 && digits[0] == 'x' {
		digits, base = digits[1:], 16
	}
	if len(digits) == 0 {
		return 0, 0
	}
	for _, c := range digits {
		if !(c >= '0' && c <= '9' || base == 16 && (c|0x20 >= 'a' && c|0x20 <= 'f')) {
			return 0, 0
		}
	}
	n, err := strconv.ParseUint(string(digits), base, 64)
	if err != nil || n > utf8.MaxRune {
		return 0, 0
	}
	r := rune(n)
	if !utf8.ValidRune(r) {
		r = utf8.RuneError
	}
	return r, end + 1
}

// appendDecoded appends text or an attribute's value (checked by
// checkText) decoded as encoding/xml decodes it: references replaced, and
// "\r\n" and a lone "\r" made "\n".
func appendDecoded(dst, raw []byte) []byte {
	var prev byte
	for i := 0; i < len(raw); {
		c := raw[i]
		switch {
		case c == '&':
			r, n := reference(raw[i:])
			dst = utf8.AppendRune(dst, r)
			i += n
			prev = 0
			continue
		case c == '\r':
			dst = append(dst, '\n')
		case c == '\n' && prev == '\r':
		default:
			dst = append(dst, c)
		}
		prev = c
		i++
	}
	return dst
}

// unescapeText undoes the _xHHHH_ escapes Excel writes for characters XML
// cannot hold, as excelize does when it reads a string (its bstrUnmarshal):
// "_x005F_" is "_", "_x000D_" a carriage return, and an escape of a
// surrogate is dropped.
func unescapeText(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var b strings.Builder
	last := 0
	for i := 0; i+7 <= len(s); {
		if s[i] != '_' || s[i+1] != 'x' || s[i+6] != '_' || !isHex4(s[i+2:i+6]) {
			i++
			continue
		}
		b.WriteString(s[last:i])
		if v, _ := strconv.ParseUint(s[i+2:i+6], 16, 32); utf8.ValidRune(rune(v)) {
			b.WriteRune(rune(v))
		}
		i += 7
		last = i
	}
	b.WriteString(s[last:])
	return b.String()
}

func isHex4(s string) bool {
	for i := 0; i < 4; i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'f') {
			return false
		}
	}
	return true
}
