package workbook

import (
	"bytes"
	"fmt"
	"io"
	"path"
	"strings"
)

// What one workbook may hold, checked before excelize or the sheet reader
// sees the package.
//
// The unpacked size limit alone does not bound what reading costs: excelize
// and encoding/xml hold each piece of text they meet whole, the shared
// strings several times over, so a small file holding one huge string
// (well inside the limit) costs many times its text to open
// (docs/security.md has the figures). Excel itself keeps a cell to
// MaxCellText characters, and a plan's text is far below DefaultMaxText.
const (
	// MaxCellText is the most characters Excel allows in a cell, and so the
	// longest piece of text (a cell's value, a run of a shared string, an
	// attribute, a comment) a workbook's XML may hold.
	MaxCellText = 32767
	// DefaultMaxText is Options.MaxText when it is not set and MaxRows is
	// at most its default: over twenty times the text of a generated
	// 2,000-action plan (docs/performance.md has the measurements). A
	// higher MaxRows raises it in proportion.
	DefaultMaxText = 16_000_000
)

// openPackage is checkPackage followed by checkText: what every read of a
// workbook does before excelize sees it.
func openPackage(b []byte, file string, opt Options) (*pkg, error) {
	p, err := checkPackage(b, file, opt.MaxUnzipSize)
	if err != nil {
		return nil, err
	}
	if err := p.checkText(file, opt); err != nil {
		return nil, err
	}
	return p, nil
}

// checkText streams every part excelize or the sheet reader may parse as
// XML through a scanner that holds nothing but counts, and refuses the
// workbook if any piece of text (character data, an attribute's value, a
// comment, a name) is longer than MaxCellText characters, or if all of them
// together are more than opt.MaxText characters. Characters are counted as
// an XML reader gives them: an entity such as &amp; is one.
//
// A part that stops being text (a control character, as in an image) is
// not read further: no XML reader reads past one either. A part that
// cannot be unpacked is left for the readers, which say so.
func (p *pkg) checkText(file string, opt Options) error {
	sc := textScanner{maxTotal: opt.MaxText}
	buf := make([]byte, 32<<10)
	// The parts named as XML first: the workbook's relationships are among
	// them, and are read for the rest only once they are known to be
	// within bounds.
	var targets map[string]bool
	for _, xmlNamed := range []bool{true, false} {
		if !xmlNamed {
			targets = p.workbookTargets()
		}
		for _, zf := range p.zr.File {
			name := strings.ToLower(strings.ReplaceAll(zf.Name, `\`, "/"))
			if parsedAsXML(name) != xmlNamed || !xmlNamed && !targets[name] {
				continue
			}
			rc, err := zf.Open()
			if err != nil {
				continue
			}
			res := sc.part(rc, buf)
			rc.Close()
			if res == scanTooLong || res == scanTooMuch {
				return p.textError(file, opt, zf.Name, res, sc.cell())
			}
		}
	}
	return nil
}

// textError is the error for a part the scanner refused (scanTooLong or
// scanTooMuch), naming the sheet and cell when the part is a sheet.
func (p *pkg) textError(file string, opt Options, part string, res scanResult, cell string) *Error {
	e := &Error{File: file, Kind: ErrTooLarge}
	sheet := ""
	if parts, err := p.sheetParts(); err == nil {
		for name, sp := range parts {
			if strings.EqualFold(sp, strings.ReplaceAll(part, `\`, "/")) {
				sheet = name
			}
		}
	}
	switch {
	case res == scanTooMuch:
		e.Msg = fmt.Sprintf("holds more than %s characters of text, far more than any action plan", thousands(opt.MaxText))
		e.Hint = "remove sheets and text it does not need and save it again"
		if opt.MaxRowsSetting != "" {
			e.Hint += " (a longer plan needs a higher " + opt.MaxRowsSetting + ")"
		}
	case sheet != "":
		e.Sheet, e.Cell = sheet, cell
		e.Msg = fmt.Sprintf("has a value of more than %s characters, more than Excel allows in a cell", thousands(MaxCellText))
		e.Hint = "shorten it (a long account belongs in a document of its own) and save the workbook again"
	case strings.EqualFold(part, "xl/sharedStrings.xml"):
		e.Msg = fmt.Sprintf("has a piece of text of more than %s characters in its shared strings (%s), more than Excel allows in a cell", thousands(MaxCellText), part)
		e.Hint = "find the cell with the longest text, shorten it and save the workbook again"
	default:
		e.Msg = fmt.Sprintf("has a value of more than %s characters in %s, which Excel does not write", thousands(MaxCellText), part)
		e.Hint = resave
	}
	return e
}

// parsedAsXML reports whether a part, by its lower-case name, is one an XML
// reader may parse: the package's XML parts, relationships and VML drawings.
func parsedAsXML(name string) bool {
	return strings.HasSuffix(name, ".xml") || strings.HasSuffix(name, ".rels") || strings.HasSuffix(name, ".vml")
}

// workbookTargets is the parts, by lower-case name, that the workbook and
// its relationships name whatever they are called: the workbook, its
// sheets, shared strings and styles are found through these, not by name.
func (p *pkg) workbookTargets() map[string]bool {
	out := map[string]bool{}
	wb, err := p.workbookPart()
	if err != nil {
		return out
	}
	out[strings.ToLower(wb)] = true
	rels, err := p.rels(path.Join(path.Dir(wb), "_rels", path.Base(wb)+".rels"))
	if err != nil {
		return out
	}
	for _, r := range rels {
		t := strings.ReplaceAll(r.target, `\`, "/")
		if strings.HasPrefix(t, "/") {
			t = strings.TrimPrefix(path.Clean(t), "/")
		} else {
			t = path.Join(path.Dir(wb), t)
		}
		out[strings.ToLower(t)] = true
	}
	return out
}

// thousands writes n with a comma between thousands, as in "32,767".
func thousands[T int | int64](n T) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// scanResult is what textScanner found in a part.
type scanResult int

const (
	scanDone    scanResult = iota // read to the end, or it stopped being readable
	scanBinary                    // a control character: not XML from here on
	scanTooLong                   // a piece of text longer than MaxCellText
	scanTooMuch                   // text beyond maxTotal
)

// scanState is where textScanner is in a part's XML.
type scanState uint8

const (
	inText     scanState = iota // character data
	inOpen                      // just after '<'
	inName                      // an element's name, in a start or end tag
	inTag                       // between a tag's name and its '>'
	inAttrName                  // an attribute's name
	inAttr                      // an attribute's quoted value
	inBang                      // after "<!": a comment, CDATA or declaration?
	inComment                   // <!-- ... -->
	inCDATA                     // <![CDATA[ ... ]]>
	inPI                        // <? ... ?>
	inDecl                      // <!DOCTYPE ... > and the like
)

// textScanner measures the text in a stream of XML a byte at a time, in
// constant memory. It is not a parser: it finds where each piece of text
// starts and ends as any XML reader would, and counts its characters.
type textScanner struct {
	maxTotal int64
	total    int64 // characters of text, in all parts so far
	bytes    bool  // count every byte as a character (otherEncoding)

	state    scanState
	n        int  // characters in the current piece of text or name
	cellText int  // characters of character data since the last <si> or <is>
	quote    byte // the quote that ends the current attribute value
	last     [2]byte
	bang     int  // bytes after "<!" that match "--" or "[CDATA["
	cdata    bool // they are to match "[CDATA["
	depth    int  // nesting of <...> in a declaration

	ent    [12]byte // an entity reference being read, from its '&'
	entLen int      // 0 outside one

	// The name of the current element and attribute, and the r attribute
	// of the current cell (<c r="D14">), for the error.
	elem, attr, ref shortName
	inRef           bool
	endTag          bool
}

// shortName keeps the first bytes of a name, enough to recognise the ones
// textScanner looks for.
type shortName struct {
	b [16]byte
	n int
}

func (s *shortName) reset() { s.n = 0 }

func (s *shortName) add(c byte) {
	if c == ':' { // keep the local name
		s.n = 0
		return
	}
	if s.n < len(s.b) {
		s.b[s.n] = c
	}
	s.n++
}

func (s *shortName) is(name string) bool { return s.n == len(name) && string(s.b[:s.n]) == name }

// cell is the r attribute of the cell the scanner was in, or "".
func (sc *textScanner) cell() string {
	if sc.ref.n > len(sc.ref.b) {
		return ""
	}
	return string(sc.ref.b[:sc.ref.n])
}

// part scans one part, read through buf.
func (sc *textScanner) part(r io.Reader, buf []byte) scanResult {
	sc.state, sc.n, sc.cellText, sc.entLen, sc.depth = inText, 0, 0, 0, 0
	sc.last = [2]byte{}
	sc.ref.reset()
	// The XML declaration, if any, is in the first bytes.
	n, err := io.ReadAtLeast(r, buf, min(len(buf), 512))
	sc.bytes = otherEncoding(buf[:n])
	for {
		if res := sc.feed(buf[:n]); res != scanDone {
			return res
		}
		if err != nil {
			return scanDone // the end, or damage the readers will report
		}
		n, err = r.Read(buf)
	}
}

// otherEncoding reports whether a part's XML declaration names an encoding
// other than UTF-8. excelize converts such a part to UTF-8 as it reads it,
// so that a byte may become a character of two or more bytes: each byte of
// the part is then counted as a character.
func otherEncoding(head []byte) bool {
	head = bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF"))
	if !bytes.HasPrefix(head, []byte("<?xml")) {
		return false
	}
	decl, _, ok := bytes.Cut(head, []byte("?>"))
	if !ok {
		return true // a declaration too long to be an ordinary one
	}
	_, enc, ok := bytes.Cut(decl, []byte("encoding"))
	if !ok {
		return false
	}
	enc = bytes.TrimLeft(enc, " \t\r\n=\"'")
	return !bytes.HasPrefix(bytes.ToLower(enc), []byte("utf-8")) && !bytes.HasPrefix(bytes.ToLower(enc), []byte("utf8"))
}

// feed scans the next bytes of a part.
func (sc *textScanner) feed(b []byte) scanResult {
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			return scanBinary
		}
		if sc.state == inText && sc.entLen == 0 && c != '<' && c != '&' {
			// Most of a part is text between tags: count it a run at a time.
			j, n := i, 0
			for ; j < len(b); j++ {
				c := b[j]
				if c == '<' || c == '&' || c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
					break
				}
				if c&0xC0 != 0x80 || sc.bytes {
					n++
				}
			}
			if res := sc.count(n); res != scanDone {
				return res
			}
			i = j - 1
			continue
		}
		if res := sc.step(c); res != scanDone {
			return res
		}
	}
	return scanDone
}

// step scans one byte.
func (sc *textScanner) step(c byte) scanResult {
	switch sc.state {
	case inText:
		if c == '<' {
			res := sc.flushEntity()
			sc.state, sc.n = inOpen, 0
			return res
		}
		return sc.char(c, true)
	case inOpen:
		sc.elem.reset()
		sc.endTag = false
		sc.n = 0
		switch c {
		case '!':
			sc.state, sc.bang = inBang, 0
		case '?':
			sc.state = inPI
		case '/':
			sc.state, sc.endTag = inName, true
		default:
			sc.state = inName
			sc.elem.add(c)
			return sc.name()
		}
	case inName, inAttrName:
		switch {
		case c == '>':
			sc.nameDone()
			sc.endOfTag()
		case c == '=' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '/':
			sc.nameDone()
			sc.state = inTag
		case sc.state == inName:
			sc.elem.add(c)
			return sc.name()
		default:
			sc.attr.add(c)
			return sc.name()
		}
	case inTag:
		switch c {
		case '>':
			sc.endOfTag()
		case '"', '\'':
			sc.state, sc.quote, sc.n = inAttr, c, 0
			sc.inRef = !sc.endTag && sc.elem.is("c") && sc.attr.is("r")
			if sc.inRef {
				sc.ref.reset()
			}
		case ' ', '\t', '\n', '\r', '/', '=':
		default:
			sc.state, sc.n = inAttrName, 0
			sc.attr.reset()
			sc.attr.add(c)
			return sc.name()
		}
	case inAttr:
		if c == sc.quote {
			res := sc.flushEntity()
			sc.state = inTag
			sc.attr.reset()
			return res
		}
		if sc.inRef {
			sc.ref.add(c)
		}
		return sc.char(c, true)
	case inBang:
		// "<!--" starts a comment, "<![CDATA[" a CDATA section, anything
		// else a declaration.
		if sc.bang == 0 {
			sc.cdata = c == '['
		}
		want := "--"
		if sc.cdata {
			want = "[CDATA["
		}
		if c != want[sc.bang] {
			sc.state, sc.n, sc.depth = inDecl, sc.bang, 1
			return sc.step(c)
		}
		if sc.bang++; sc.bang == len(want) {
			sc.state, sc.n, sc.last = inComment, 0, [2]byte{}
			if sc.cdata {
				sc.state = inCDATA
			}
		}
	case inComment, inCDATA, inPI:
		if c == '>' {
			switch {
			case sc.state == inComment && sc.last == [2]byte{'-', '-'},
				sc.state == inCDATA && sc.last == [2]byte{']', ']'},
				sc.state == inPI && sc.last[1] == '?':
				sc.state, sc.n = inText, 0
				return scanDone
			}
		}
		sc.last[0], sc.last[1] = sc.last[1], c
		return sc.char(c, false)
	case inDecl:
		switch c {
		case '<':
			sc.depth++
		case '>':
			if sc.depth--; sc.depth == 0 {
				sc.state, sc.n = inText, 0
				return scanDone
			}
		}
		return sc.char(c, false)
	}
	return scanDone
}

// nameDone is the end of a name: a shared string (<si>) or an inline one
// (<is>) starts a cell's text, which may come in several runs.
func (sc *textScanner) nameDone() {
	if sc.state == inName && !sc.endTag && (sc.elem.is("si") || sc.elem.is("is")) {
		sc.cellText = 0
	}
}

// endOfTag is the '>' that ends a tag.
func (sc *textScanner) endOfTag() {
	if sc.endTag && sc.elem.is("c") {
		sc.ref.reset()
	}
	sc.state, sc.n = inText, 0
}

// name counts a byte of a name, which is bounded like text but is not text.
func (sc *textScanner) name() scanResult {
	if sc.n++; sc.n > MaxCellText {
		return scanTooLong
	}
	return scanDone
}

// char counts a byte of text: a character is a byte that starts one in
// UTF-8, or a whole entity reference that an XML reader replaces with one
// character. With entities false ('&' means nothing: a comment, CDATA) every
// byte that starts a character counts.
func (sc *textScanner) char(c byte, entities bool) scanResult {
	if entities && sc.entLen > 0 {
		if sc.entLen < len(sc.ent) && c != '&' {
			sc.ent[sc.entLen] = c
			sc.entLen++
			switch {
			case c != ';':
				return scanDone
			case isEntity(sc.ent[:sc.entLen]):
				sc.entLen = 0
				return sc.count(1)
			}
			return sc.flushEntity()
		}
		if res := sc.flushEntity(); res != scanDone {
			return res
		}
	}
	if entities && c == '&' {
		sc.ent[0], sc.entLen = c, 1
		return scanDone
	}
	if c&0xC0 == 0x80 && !sc.bytes { // a continuation byte of UTF-8
		return scanDone
	}
	return sc.count(1)
}

// flushEntity counts the bytes of an '&' that turned out not to start an
// entity an XML reader replaces: each is a character of its own.
func (sc *textScanner) flushEntity() scanResult {
	n := 0
	for _, c := range sc.ent[:sc.entLen] {
		if c&0xC0 != 0x80 || sc.bytes {
			n++
		}
	}
	sc.entLen = 0
	return sc.count(n)
}

// count adds n characters to the current piece of text, to the cell's text
// if it is character data, and to the total.
func (sc *textScanner) count(n int) scanResult {
	if n == 0 {
		return scanDone
	}
	sc.n += n
	sc.total += int64(n)
	if sc.state == inText || sc.state == inCDATA {
		sc.cellText += n
	}
	switch {
	case sc.n > MaxCellText, sc.cellText > MaxCellText:
		return scanTooLong
	case sc.total > sc.maxTotal:
		return scanTooMuch
	}
	return scanDone
}

// isEntity reports whether b, from '&' to ';', is an entity reference XML
// defines: &amp; &lt; &gt; &quot; &apos; or a character reference.
func isEntity(b []byte) bool {
	name := string(b[1 : len(b)-1])
	switch name {
	case "amp", "lt", "gt", "quot", "apos":
		return true
	}
	digits, hex := strings.CutPrefix(name, "#x")
	if !hex {
		var ok bool
		if digits, ok = strings.CutPrefix(name, "#"); !ok {
			return false
		}
	}
	if digits == "" {
		return false
	}
	for _, c := range digits {
		if !('0' <= c && c <= '9' || hex && ('a' <= c && c <= 'f' || 'A' <= c && c <= 'F')) {
			return false
		}
	}
	return true
}
