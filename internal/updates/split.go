package updates

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"papers/internal/dates"
)

// span is a piece of the update: bytes [pos, end).
type span struct{ pos, end int }

// sentences splits an update into sentences: at a line break or bullet, and
// at ".", "!" or "?" followed by a space and a capital letter, a digit or
// an opening bracket or quote — not after an abbreviation ("e.g.", "Cllr.")
// or an initial, and not before a dash ("recommendation 1. – communications
// team support"). Blank sentences are left out.
func sentences(s string) []span {
	var out []span
	start := 0
	add := func(end int) {
		a, b := start, end
		for a < b && isBlank(s[a:b], true) {
			a++
		}
		for b > a && isBlank(s[a:b], false) {
			b--
		}
		if a < b {
			out = append(out, span{a, b})
		}
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '\n' || r == '\r' || r == '•' || r == '▪' || r == '●' || r == '\u2029' || r == '\u2028':
			add(i)
			start = i + size
		case r == '.' || r == '!' || r == '?':
			if endsSentence(s, i) {
				add(i + 1)
				start = i + 1
			}
		}
		i += size
	}
	add(len(s))
	return out
}

// isBlank reports whether the first (or last) rune of s is white space or
// a stray bullet or dash that opens a line.
func isBlank(s string, first bool) bool {
	var r rune
	if first {
		r, _ = utf8.DecodeRuneInString(s)
	} else {
		r, _ = utf8.DecodeLastRuneInString(s)
	}
	return unicode.IsSpace(r) || r == 0x200B || r == 0xFEFF || first && (r == '-' || r == '–' || r == '*' || r == '·')
}

// abbreviations end with a full stop that ends no sentence.
var abbreviations = map[string]bool{
	"e.g": true, "eg": true, "i.e": true, "ie": true, "etc": true, "approx": true, "no": true, "nos": true,
	"cllr": true, "dr": true, "mr": true, "mrs": true, "ms": true, "st": true, "vs": true, "wc": true,
	"w/c": true, "ref": true, "para": true, "fig": true, "cf": true, "inc": true, "incl": true, "est": true,
	"dept": true, "govt": true, "jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true,
	"aug": true, "sep": true, "sept": true, "oct": true, "nov": true, "dec": true,
}

// endsSentence reports whether the mark at s[i] ends a sentence.
func endsSentence(s string, i int) bool {
	j := i + 1
	// A closing bracket or quote may follow the stop.
	for j < len(s) && strings.IndexByte(`)"'`, s[j]) >= 0 {
		j++
	}
	if j == len(s) {
		return true
	}
	r, size := utf8.DecodeRuneInString(s[j:])
	if r == '”' || r == '’' {
		j += size
		if j == len(s) {
			return true
		}
		r, _ = utf8.DecodeRuneInString(s[j:])
	}
	if !unicode.IsSpace(r) {
		return false
	}
	for j < len(s) {
		r, size = utf8.DecodeRuneInString(s[j:])
		if !unicode.IsSpace(r) {
			break
		}
		j += size
	}
	if j == len(s) {
		return true
	}
	// Not before a small letter or what continues a sentence: "1. – team
	// support", "Webb.), booked".
	if unicode.IsLower(r) || strings.ContainsRune(",;:)–—-", r) {
		return false
	}
	if s[i] != '.' {
		return true
	}
	// The word before the stop: an abbreviation or an initial ends nothing.
	k := i
	for k > 0 {
		r, size := utf8.DecodeLastRuneInString(s[:k])
		if unicode.IsSpace(r) || r == '(' {
			break
		}
		k -= size
	}
	w := strings.ToLower(s[k:i])
	if abbreviations[w] {
		return false
	}
	if n := utf8.RuneCountInString(w); n == 1 {
		r, _ := utf8.DecodeRuneInString(s[k:i])
		return !unicode.IsUpper(r)
	}
	return true
}

// token is a word, a number, a punctuation mark or a whole date of a
// sentence.
type token struct {
	pos, end int    // bytes in the update
	w        string // a word in lower case, hyphens and apostrophes dropped ("ongoing", "hasnt"); "" otherwise
	p        rune   // a punctuation mark; 0 otherwise
	num      bool   // a number
	upper    bool   // a word that starts with a capital letter
	date     int    // 1 + the index of the date in the sentence's dates; 0 otherwise
	cls      class  // a word's classes
}

func (t *token) isWord() bool { return t.w != "" && !t.num }

// is reports whether the token is a word of any of the classes c.
func (t *token) is(c class) bool { return t.cls&c != 0 }

// is reports whether toks[i] is a word of any of the classes c.
func is(toks []token, i int, c class) bool { return i >= 0 && i < len(toks) && toks[i].cls&c != 0 }

// tokenize appends the tokens of the sentence s[sp.pos:sp.end] to toks;
// the dates in it (dates.Find) are one token each.
func tokenize(toks []token, s string, sp span, ds []dates.Mention) []token {
	d := 0
	for i := sp.pos; i < sp.end; {
		if d < len(ds) && i >= sp.pos+ds[d].Pos {
			toks = append(toks, token{pos: sp.pos + ds[d].Pos, end: sp.pos + ds[d].End, date: d + 1})
			i = sp.pos + ds[d].End
			d++
			continue
		}
		if s[i] == ' ' {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsSpace(r) || r == 0x200B || r == 0xFEFF:
			i += size
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			j := wordEnd(s, i, sp.end)
			if d < len(ds) && j > sp.pos+ds[d].Pos {
				j = sp.pos + ds[d].Pos // a date glued to a word: "Mid-October 2020"
			}
			toks = appendWord(toks, s, i, j)
			i = j
		default:
			if r == '’' || r == '‘' || r == '`' {
				r = '\''
			}
			if r == '–' || r == '—' || r == '‒' || r == '−' {
				r = '-'
			}
			toks = append(toks, token{pos: i, end: i + size, p: r})
			i += size
		}
	}
	return toks
}

// wordEnd is the end of the word at s[i]: letters and digits, with
// apostrophes, hyphens and full stops inside it ("Children's", "on-going",
// "e.g", "1.2").
func wordEnd(s string, i, end int) int {
	j := i
	for j < end {
		if c := s[j]; 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
			j++ // most of every update
			continue
		}
		r, size := utf8.DecodeRuneInString(s[j:end])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			j += size
			continue
		}
		if r == '\'' || r == '’' || r == '-' || r == '.' {
			if k := j + size; k < end {
				if n, _ := utf8.DecodeRuneInString(s[k:end]); unicode.IsLetter(n) || unicode.IsDigit(n) && r != '\'' && r != '’' {
					if r == '.' && !unicode.IsDigit(n) && !abbrevNext(s[i:j]) {
						break
					}
					j = k
					continue
				}
			}
		}
		break
	}
	return j
}

// abbrevNext reports whether a full stop after word w joins it to the next
// letters ("e.g", "i.e").
func abbrevNext(w string) bool { return len(w) == 1 }

// contractions are the endings split off a word, and the word each stands for.
var contractions = []struct{ end, base, word string }{
	{"can't", "can", "not"}, {"won't", "will", "not"}, {"shan't", "shall", "not"},
	{"n't", "", "not"}, {"'ll", "", "will"}, {"'ve", "", "have"}, {"'re", "", "are"},
}

// appendWord appends the word s[i:j], split in two when it is a
// contraction: "hasn't" is "has" and "not", "we'll" is "we" and "will".
func appendWord(toks []token, s string, i, j int) []token {
	if !hasApostrophe(s[i:j]) {
		return append(toks, wordToken(s, i, j))
	}
	low := strings.ToLower(strings.ReplaceAll(s[i:j], "’", "'"))
	for _, c := range contractions {
		if strings.HasSuffix(low, c.end) && len(low) > len(c.end) || low == c.end && c.base != "" {
			cut := j - len(c.end)
			if strings.Contains(s[i:j], "’") {
				cut -= len("’") - 1
			}
			base := wordToken(s, i, cut)
			if c.base != "" {
				base = wordToken(s, i, j)
				base.w = c.base
				base.cls = classify(c.base)
			}
			neg := token{pos: cut, end: j, w: c.word, cls: classify(c.word)}
			if c.base != "" {
				neg.pos = j
			}
			return append(toks, base, neg)
		}
	}
	return append(toks, wordToken(s, i, j))
}

func wordToken(s string, i, j int) token {
	t := token{pos: i, end: j}
	r, _ := utf8.DecodeRuneInString(s[i:])
	t.upper = unicode.IsUpper(r)
	t.num = unicode.IsDigit(r)
	t.w = lower(s[i:j])
	if !t.num {
		t.cls = classify(t.w)
	}
	return t
}

// lower is w in lower case without hyphens and apostrophes; w itself when
// it has none (most words), so that it costs nothing.
func lower(w string) string {
	plain := true
	for i := 0; i < len(w); i++ {
		if c := w[i]; c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' || c == '-' || c == '\'' {
			plain = false
			break
		}
	}
	if plain {
		return w
	}
	var b strings.Builder
	b.Grow(len(w))
	for _, r := range w {
		switch {
		case r == '-' || r == '\'' || r == '’':
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// hasApostrophe reports whether w holds ' or ’ (a plain loop: this is
// asked of every word).
func hasApostrophe(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] == '\'' || w[i] == 0xE2 && strings.HasPrefix(w[i:], "’") {
			return true
		}
	}
	return false
}
