package pdf

import (
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"papers/internal/fonts"
)

// Font styles. Bold italic is drawn bold: only three faces are embedded.
const (
	regular = iota
	bold
	italic
	nStyles
)

var styleName = [nStyles]string{"", "B", "I"}

const ptMM = 25.4 / 72 // millimetres per point

// widths holds each face's advance widths in 1/1000 em for the Basic
// Multilingual Plane, read once from the embedded fonts (the same figures
// the PDF's width arrays give). widthsErr is why they could not be.
var (
	widthsOnce sync.Once
	widths     [nStyles][]uint16
	widthsErr  error
)

func loadWidths() { widths, widthsErr = measureWidths() }

func measureWidths() (out [nStyles][]uint16, err error) {
	for s := range nStyles {
		f, err := loadFace(s)
		if err != nil {
			return out, err
		}
		w := make([]uint16, 0x10000)
		for r := 1; r < len(w); r++ {
			w[r] = f.width(rune(r))
		}
		out[s] = w
	}
	return out, nil
}

// faces are the embedded fonts, by style. A test swaps in damaged bytes to
// check that a font that fails to load is an error, not a panic.
var faces = [nStyles][]byte{fonts.Regular, fonts.Bold, fonts.Italic}

var faceName = [nStyles]string{"regular", "bold", "italic"}

// loadFace reads the face of a style.
func loadFace(style int) (*ttf, error) {
	f, err := parseTTF(faces[style])
	if err != nil {
		return nil, fontError(style, err)
	}
	return f, nil
}

func fontError(style int, err error) error {
	return oneLine(fmt.Errorf("pdf: the embedded font %s (%s) cannot be loaded: %w", fonts.Family, faceName[style], err))
}

// oneLine keeps err's message on one line.
func oneLine(err error) error {
	if err == nil || !strings.ContainsAny(err.Error(), "\r\n") {
		return err
	}
	return lineError{err}
}

type lineError struct{ err error }

func (e lineError) Error() string { return strings.Join(strings.Fields(e.err.Error()), " ") }
func (e lineError) Unwrap() error { return e.err }

func styleOf(b, i bool) int {
	switch {
	case b:
		return bold
	case i:
		return italic
	}
	return regular
}

// units is the advance width of s in 1/1000 em.
func units(s string, style int) int {
	w := widths[style]
	n := 0
	for _, r := range s {
		if r < 0x10000 {
			n += int(w[r])
		}
	}
	return n
}

// textWidth is the width of s in millimetres at size points.
func textWidth(s string, style int, size float64) float64 {
	return float64(units(s, style)) * size * ptMM / 1000
}

// missing stands in for a character the writer cannot draw with the embedded
// fonts: any outside the Basic Multilingual Plane (emoji, mostly). It is
// U+25A1 WHITE SQUARE, which Liberation Sans has, so the reader sees that
// something was there. A character inside the plane that the fonts lack
// (Arabic, CJK) is drawn as the font's .notdef glyph, also an empty box, and
// keeps its own code in the PDF's text, for copying and searching.
const missing = '□'

// clean makes text safe for the writer's 16-bit codes: valid UTF-8 (a bad byte
// is "?"), characters outside the Basic Multilingual Plane as missing (an
// emoji's skin tone, tags and variation selectors, which only modify the
// character before, dropped), tabs as spaces, "\r\n" and "\r" as "\n", other
// control characters dropped. What Word leaves in text and the font would
// draw wrongly is mended too: the line and paragraph separators (and NEL)
// are "\n"; soft hyphens, the byte order mark and word joiners, which are
// invisible, are dropped (a soft hyphen would print as a hyphen mid-line);
// the non-breaking hyphen, which the font lacks, is a hyphen. Clean text is
// returned without copying.
func clean(s string) string {
	ok := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 && c != '\n' || c == 0x7f || c >= 0xf0 || c == 0xef && i+1 < len(s) && (s[i+1] == 0xb8 || s[i+1] == 0xbb) ||
			c == 0xc2 && i+1 < len(s) && (s[i+1] < 0xa0 || s[i+1] == 0xad) ||
			c == 0xe2 && i+2 < len(s) && (s[i+1] == 0x80 && (s[i+2] == 0xa8 || s[i+2] == 0xa9 || s[i+2] == 0x91) || s[i+1] == 0x81 && s[i+2] == 0xa0) {
			ok = false
			break
		}
	}
	if ok && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			b.WriteByte('?')
		case r == '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				break
			}
			b.WriteByte('\n')
		case r == '\t':
			b.WriteByte(' ')
		case r == '\n', r == 0x85, r == 0x2028, r == 0x2029:
			b.WriteByte('\n')
		case r == 0x2011:
			b.WriteRune(0x2010)
		case r < 0x20 || r >= 0x7f && r < 0xa0, r == 0xad, r == 0xfeff, r == 0x2060, modifier(r):
		case r >= 0x10000:
			b.WriteRune(missing)
		default:
			b.WriteRune(r)
		}
		i += n
	}
	return b.String()
}

// modifier reports whether r only changes how the character before it is
// drawn: variation selectors, emoji skin tones and the tag characters of
// subdivision flags (🏴 + tags is the flag of Wales).
func modifier(r rune) bool {
	return r >= 0xFE00 && r <= 0xFE0F || r >= 0x1F3FB && r <= 0x1F3FF ||
		r >= 0xE0020 && r <= 0xE007F || r >= 0xE0100 && r <= 0xE01EF
}

// span is a piece of text in one style: a run's bytes [start, end).
type span struct {
	run        int32
	start, end int32
	newLine    bool // the span begins a line
}

// textRun is a styled piece of a paragraph.
type textRun struct {
	text  string
	style int
	link  string // a heading the text refers to ("Appendix 2"): drawn as a link to it
	// cont says the run was split from the one before (a link out of a
	// run of text): on a line, it is drawn exactly where it would have
	// been had the two been one.
	cont bool
}

// pos is a position in a run list.
type pos struct {
	run, off int
}

// wrap breaks styled runs into lines no wider than max millimetres at size
// points and appends them to out; a line starts at a span with newLine set.
// Breaks come at spaces, and after a hyphen, slash or dash inside a word; a
// word longer than a line is broken between letters. Spaces at a break are
// dropped. "\n" forces a break. Text of no characters is one empty line.
func wrap(runs []textRun, size, max float64, out []span) []span {
	maxU := int(max * 1000 / (size * ptMM))
	if maxU < 1 {
		maxU = 1
	}
	var (
		lineStart       pos
		lineW           int // width from lineStart to here
		haveBreak       bool
		brkEnd, brkNext pos // a break: this line ends at brkEnd, the next begins at brkNext
		wSinceNext      int // width from brkNext to here
		haveSoft        bool
		softEnd         pos // after a full stop, @ or _ in a word: a break only for a word too long for a line
		wSinceSoft      int
		prevSpace       bool
		prevLetter      bool
		emitted         bool
	)
	emit := func(from, to pos) {
		first := true
		for r := from.run; r <= to.run; r++ {
			s, e := 0, len(runs[r].text)
			if r == from.run {
				s = from.off
			}
			if r == to.run {
				e = to.off
			}
			if e > s {
				out = append(out, span{run: int32(r), start: int32(s), end: int32(e), newLine: first})
				first = false
			}
		}
		if first { // an empty line
			out = append(out, span{run: int32(from.run), start: int32(from.off), end: int32(from.off), newLine: true})
		}
		emitted = true
	}
	for ri := range runs {
		t := runs[ri].text
		w := widths[runs[ri].style]
		for i, next := 0, 0; i < len(t); i = next {
			// Fast path: a stretch of plain ASCII characters (most of a
			// report) that fits on the line only adds up widths. It stops
			// before anything else: a space, a possible break, a rune
			// outside ASCII, or a character that would overflow the line.
			if j := i; plainASCII[t[j]] {
				lw := lineW
				for ; j < len(t) && plainASCII[t[j]]; j++ {
					cw := int(w[t[j]])
					if lw+cw > maxU && lw > 0 {
						break
					}
					lw += cw
				}
				if j > i {
					d := lw - lineW
					lineW, wSinceNext, wSinceSoft = lw, wSinceNext+d, wSinceSoft+d
					prevSpace, prevLetter = false, true
					next = j
					continue
				}
			}
			r, size := rune(t[i]), 1
			if r >= utf8.RuneSelf {
				r, size = utf8.DecodeRuneInString(t[i:])
			}
			next = i + size
			cur := pos{ri, i}
			if r == '\n' {
				emit(lineStart, trimSpaceEnd(runs, lineStart, cur))
				lineStart = pos{ri, i + 1}
				lineW, haveBreak, haveSoft, prevSpace, prevLetter = 0, false, false, false, false
				continue
			}
			cw := 0
			if r < 0x10000 {
				cw = int(w[r])
			}
			if r == ' ' {
				if !prevSpace {
					brkEnd = cur
				}
				brkNext = pos{ri, i + 1}
				wSinceNext = 0
				haveBreak = brkEnd != lineStart
				haveSoft = false
				lineW += cw
				prevSpace, prevLetter = true, false
				continue
			}
			if lineW+cw > maxU && lineW > 0 {
				if haveBreak {
					emit(lineStart, brkEnd)
					lineStart = brkNext
					lineW = wSinceNext
					haveBreak = false
				}
				if lineW+cw > maxU && lineW > 0 && haveSoft && softEnd != lineStart {
					emit(lineStart, softEnd)
					lineStart = softEnd
					lineW = wSinceSoft
					haveSoft = false
				}
				if lineW+cw > maxU && lineW > 0 {
					emit(lineStart, cur)
					lineStart = cur
					lineW = 0
					haveSoft = false
				}
			}
			lineW += cw
			wSinceNext += cw
			wSinceSoft += cw
			prevSpace = false
			hyphen := r == '-' || r == '/' || r == '–' || r == '—'
			if hyphen && prevLetter {
				brkEnd = pos{ri, i + utf8.RuneLen(r)}
				brkNext = brkEnd
				wSinceNext = 0
				haveBreak = true
			}
			if prevLetter && (r == '.' || r == '@' || r == '_') {
				softEnd = pos{ri, i + 1}
				wSinceSoft = 0
				haveSoft = true
			}
			prevLetter = !hyphen
		}
	}
	if len(runs) == 0 {
		return out
	}
	if !emitted || lineW > 0 {
		last := len(runs) - 1
		emit(lineStart, trimSpaceEnd(runs, lineStart, pos{last, len(runs[last].text)}))
	}
	return out
}

// plainASCII marks the ASCII characters wrap treats alike: all but the
// space, the newline and those that make a break (- / . @ _).
var plainASCII = func() (p [256]bool) {
	for c := range utf8.RuneSelf {
		p[c] = !strings.ContainsRune(" \n-/.@_", rune(c))
	}
	return p
}()

// trimSpaceEnd moves to back over spaces, not before from.
func trimSpaceEnd(runs []textRun, from, to pos) pos {
	for to != from {
		if to.off == 0 {
			if to.run == 0 {
				return to
			}
			to = pos{to.run - 1, len(runs[to.run-1].text)}
			continue
		}
		if runs[to.run].text[to.off-1] != ' ' {
			return to
		}
		to.off--
	}
	return to
}

// withBreak is the line text[start:end] with the space it was broken at, or
// a space for a newline: the space draws nothing, and text read back (by a
// screen reader, or copied) keeps the words either side of the break apart.
func withBreak(text string, start, end int32) string {
	if int(end) < len(text) {
		switch text[end] {
		case ' ':
			return text[start : end+1]
		case '\n':
			return text[start:end] + " "
		}
	}
	return text[start:end]
}

// lineEnd is the text of span j, the last of its line, with the space the
// line was broken at, also where that space begins the next run.
func lineEnd(runs []textRun, spans []span, j int) string {
	s := spans[j]
	t := runs[s.run].text
	if int(s.end) == len(t) && j+1 < len(spans) {
		if n := spans[j+1]; n.start > 0 && runs[n.run].text[n.start-1] == ' ' {
			return t[s.start:s.end] + " "
		}
	}
	return withBreak(t, s.start, s.end)
}

// countLines is the number of lines in spans.
func countLines(sp []span) int {
	n := 0
	for _, s := range sp {
		if s.newLine {
			n++
		}
	}
	return n
}

// ellipsize cuts s to fit max millimetres, ending with "…".
func ellipsize(s string, style int, size, max float64) string {
	if textWidth(s, style, size) <= max {
		return s
	}
	maxU := int(max * 1000 / (size * ptMM))
	w := widths[style]
	lim := maxU - int(w['…'])
	n := 0
	for i, r := range s {
		if r < 0x10000 {
			n += int(w[r])
		}
		if n > lim {
			return strings.TrimRight(s[:i], " ") + "…"
		}
	}
	return s
}
