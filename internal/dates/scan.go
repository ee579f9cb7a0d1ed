package dates

import (
	"unicode"
	"unicode/utf8"
)

// Token kinds.
const (
	kNum uint8 = iota + 1
	kWord
	kPunct
)

// Token flags.
const (
	fSp    uint8 = 1 << iota // whitespace, or the start of the text, before the token
	fOrd                     // a number with an ordinal suffix: 30th, 30 th, 30TH, 30ᵗʰ
	fGlued                   // a number with letters stuck to its end that are no ordinal: 20xx
	fUpper                   // a word that begins with a capital letter
)

// tok is one token of a cell: a number, a word or a punctuation mark.
// Whitespace separates tokens and is not one.
type tok struct {
	pos, end int    // the token's bytes; a number's end includes its ordinal suffix
	val      int    // a number's value (saturated; nd tells how long it was)
	cls      uint32 // a word's classes (w...)
	kind     uint8
	c        uint8 // punctuation: the mark ('-' for any dash); word: its month 1–12, or 0
	nd       uint8 // a number's digit count, saturated at 255
	fl       uint8
}

// Word classes. A word may have several.
const (
	wMonth    uint32 = 1 << iota // jan, january, sept, ... (tok.c is the month)
	wStart                       // introduces a start: start, from, commencing, between
	wTarget                      // introduces a target: by, completed, deadline, to, ...
	wRange                       // joins two dates into a range: to, until, till, through
	wFiller                      // may stand between a keyword and its date: date, the, of, ...
	wPrefix                      // belongs to the date after it: FY, w/c, mid, early, no later
	wOrdinal                     // st, nd, rd, th
	wEnd                         // end (of)
	wBegin                       // beginning (of)
	wOf                          // of
	wQ                           // q (Q3)
	wQuarter                     // quarter
	wWeek                        // week
	wWeekVerb                    // commencing, beginning, starting, ending: after "week" a prefix
	wBetween                     // between
	wAnd                         // and
	wOnwards                     // onwards: the date before it is a start
	wCounter                     // phase, stage, item, ...: the number after it is no day
)

// classify returns the classes of a lower-case ASCII word, and its month.
func classify(w []byte) (uint32, uint8) {
	switch string(w) {
	case "jan", "january":
		return wMonth, 1
	case "feb", "february":
		return wMonth, 2
	case "mar", "march":
		return wMonth, 3
	case "apr", "april":
		return wMonth, 4
	case "may":
		return wMonth, 5
	case "jun", "june":
		return wMonth, 6
	case "jul", "july":
		return wMonth, 7
	case "aug", "august":
		return wMonth, 8
	case "sep", "sept", "september":
		return wMonth, 9
	case "oct", "october":
		return wMonth, 10
	case "nov", "november":
		return wMonth, 11
	case "dec", "december":
		return wMonth, 12

	case "start", "starts", "started", "from", "commence", "commences", "commenced",
		"begin", "begins", "began":
		return wStart, 0
	case "starting", "commencing":
		return wStart | wWeekVerb, 0
	case "between":
		return wStart | wBetween, 0
	case "by", "complete", "completed", "completion", "completing", "deadline", "target",
		"targets", "targeted", "due", "before", "than", "finish", "finished", "finishing", "ends":
		return wTarget, 0
	case "end":
		return wTarget | wEnd, 0
	case "ending":
		return wTarget | wWeekVerb, 0
	case "to", "until", "till", "til", "through", "thru":
		return wTarget | wRange, 0
	case "beginning":
		return wBegin | wWeekVerb, 0

	case "of":
		return wFiller | wOf, 0
	case "the", "date", "dates", "on", "in", "at", "is", "are", "be", "will", "was", "for",
		"latest", "a", "an", "during", "within", "up", "financial", "calendar":
		return wFiller, 0
	case "fy", "w", "c", "wc", "mid", "early", "late", "no", "not", "later", "earlier",
		"approx", "approximately", "around", "circa", "est", "estimated", "expected",
		"anticipated", "planned", "proposed", "revised", "new", "original", "originally",
		"mon", "monday", "tue", "tues", "tuesday", "wed", "wednesday", "thu", "thur", "thurs",
		"thursday", "fri", "friday", "sat", "saturday", "sun", "sunday":
		return wPrefix, 0
	case "week":
		return wPrefix | wWeek, 0
	case "st", "nd", "rd", "th":
		return wOrdinal, 0
	case "q":
		return wQ, 0
	case "quarter", "qtr":
		return wQuarter, 0
	case "and":
		return wAnd, 0
	case "onwards", "onward":
		return wOnwards, 0
	case "phase", "stage", "step", "action", "actions", "recommendation", "rec", "item",
		"number", "section", "para", "paragraph", "appendix", "part", "priority", "tier",
		"level", "wave", "cohort", "round", "option", "point", "page", "version", "year":
		return wCounter | wFiller, 0
	}
	return 0, 0
}

// isSpace reports whether r separates tokens: any Unicode space (NBSP
// included) and the zero-width ones.
func isSpace(r rune) bool {
	return unicode.IsSpace(r) || r == 0x200B || r == 0x2060 || r == 0xFEFF
}

// letterAt reports whether a letter starts at s[i], its lower-case ASCII form
// (0 for a letter that has none) and its size in bytes. Superscript ordinal
// letters (ˢᵗ ⁿᵈ ʳᵈ ᵗʰ) read as their ASCII letters.
func letterAt(s string, i int) (b byte, size int, ok bool) {
	c := s[i]
	if c < utf8.RuneSelf {
		switch {
		case 'a' <= c && c <= 'z':
			return c, 1, true
		case 'A' <= c && c <= 'Z':
			return c + 'a' - 'A', 1, true
		}
		return 0, 1, false
	}
	r, size := utf8.DecodeRuneInString(s[i:])
	switch r {
	case 'ˢ':
		return 's', size, true
	case 'ᵗ':
		return 't', size, true
	case 'ʰ':
		return 'h', size, true
	case 'ⁿ':
		return 'n', size, true
	case 'ᵈ':
		return 'd', size, true
	case 'ʳ':
		return 'r', size, true
	}
	return 0, size, unicode.IsLetter(r)
}

// word is a run of letters as scanned: its end, and its lower-case ASCII
// form when it has one and is short enough to be a word we know.
type word struct {
	end   int
	n     int // letters in buf
	known bool
	buf   [16]byte
}

func (w *word) text() []byte { return w.buf[:w.n] }

// scanWord reads the letters from s[i].
func scanWord(s string, i int) (w word) {
	w.known = true
	for i < len(s) {
		b, size, ok := letterAt(s, i)
		if !ok {
			break
		}
		if b == 0 || w.n == len(w.buf) {
			w.known = false
		} else {
			w.buf[w.n] = b
			w.n++
		}
		i += size
	}
	w.end = i
	return w
}

func isOrdinal(b []byte) bool {
	if len(b) != 2 {
		return false
	}
	switch string(b) {
	case "st", "nd", "rd", "th":
		return true
	}
	return false
}

// skipSpace returns the index of the first non-space at or after s[i].
func skipSpace(s string, i int) int {
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if c > ' ' && c != 0x7f {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isSpace(r) {
			return i
		}
		i += size
	}
	return i
}

// punctOf maps a non-ASCII mark to the ASCII one it stands for, or '?'.
func punctOf(r rune) byte {
	switch r {
	case '‐', '‑', '‒', '–', '—', '―', '−':
		return '-'
	case '‘', '’', '´', '′':
		return '\''
	case '“', '”':
		return '"'
	case '⁄', '∕':
		return '/'
	}
	return '?'
}

// scan splits s into tokens, appending them to toks. It mends split and
// superscript ordinals ("30 th", "30ᵗʰ" read as "30th") and ordinals stuck to
// a month ("31stDec").
func scan(s string, toks []tok) []tok {
	sp := fSp
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case '0' <= c && c <= '9':
			toks, i = scanNum(s, i, sp, toks)
			sp = 0
			continue
		case c < utf8.RuneSelf && (c <= ' ' || c == 0x7f):
			sp = fSp
			i++
			continue
		}
		if _, _, ok := letterAt(s, i); ok {
			toks = appendWord(toks, s, i, scanWord(s, i), sp)
			i = toks[len(toks)-1].end
			sp = 0
			continue
		}
		if c < utf8.RuneSelf {
			if c == '`' {
				c = '\''
			}
			toks = append(toks, tok{kind: kPunct, c: c, pos: i, end: i + 1, fl: sp})
			i++
			sp = 0
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if isSpace(r) {
			sp = fSp
			i += size
			continue
		}
		toks = append(toks, tok{kind: kPunct, c: punctOf(r), pos: i, end: i + size, fl: sp})
		i += size
		sp = 0
	}
	return toks
}

func appendWord(toks []tok, s string, i int, w word, sp uint8) []tok {
	t := tok{kind: kWord, pos: i, end: w.end, fl: sp}
	if w.known {
		t.cls, t.c = classify(w.text())
	}
	if 'A' <= s[i] && s[i] <= 'Z' {
		t.fl |= fUpper
	}
	return append(toks, t)
}

// scanNum reads the number at s[i] and any ordinal suffix after it.
func scanNum(s string, i int, sp uint8, toks []tok) ([]tok, int) {
	t := tok{kind: kNum, pos: i, fl: sp}
	j := i
	nd := 0
	for j < len(s) && '0' <= s[j] && s[j] <= '9' {
		if t.val < 100_000_000 {
			t.val = t.val*10 + int(s[j]-'0')
		}
		nd++
		j++
	}
	t.nd = uint8(min(nd, 255))
	t.end = j
	if j == len(s) {
		return append(toks, t), j
	}
	if _, _, ok := letterAt(s, j); ok {
		w := scanWord(s, j)
		switch {
		case w.known && isOrdinal(w.text()):
			t.fl |= fOrd
			t.end = w.end
			return append(toks, t), w.end
		case w.known && w.n > 2 && isOrdinal(w.buf[:2]) && s[j] < utf8.RuneSelf && s[j+1] < utf8.RuneSelf:
			// "31stDec": an ordinal stuck to a month.
			if cls, _ := classify(w.buf[2:w.n]); cls&wMonth != 0 {
				t.fl |= fOrd
				t.end = j + 2
				toks = append(toks, t)
				w2 := scanWord(s, j+2)
				return appendWord(toks, s, j+2, w2, 0), w2.end
			}
		}
		t.fl |= fGlued
		toks = append(toks, t)
		return appendWord(toks, s, j, w, 0), w.end
	}
	// "30 th Sept": an ordinal split from its number. Only before a month (or
	// "of"), so that "Dec 20 St Mary's" keeps its year.
	if k := skipSpace(s, j); k > j && k < len(s) {
		if _, _, ok := letterAt(s, k); ok {
			if w := scanWord(s, k); w.known && isOrdinal(w.text()) && monthNext(s, w.end) {
				t.fl |= fOrd
				t.end = w.end
				return append(toks, t), w.end
			}
		}
	}
	return append(toks, t), j
}

// monthNext reports whether a month name or "of" comes next at s[i:],
// after spaces and one "-", "/", "." or ",".
func monthNext(s string, i int) bool {
	i = skipSpace(s, i)
	if i < len(s) && (s[i] == '-' || s[i] == '/' || s[i] == '.' || s[i] == ',') {
		i = skipSpace(s, i+1)
	}
	if i == len(s) {
		return false
	}
	if _, _, ok := letterAt(s, i); !ok {
		return false
	}
	w := scanWord(s, i)
	if !w.known {
		return false
	}
	cls, _ := classify(w.text())
	return cls&(wMonth|wOf) != 0
}
