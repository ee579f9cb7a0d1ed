package workbook

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"papers/internal/plan"
)

// clean returns a cell's text as the report shows it: list bullets at the
// start removed, every run of white space (newlines and no-break spaces
// included) made one space, and ordinals split by Word's superscript mended
// ("30 th" → "30th").
func clean(s string) string {
	if s == "" {
		return ""
	}
	return mendOrdinals(stripBullets(collapseSpace(s)))
}

// isSpace reports whether r is white space, no-break spaces included.
func isSpace(r rune) bool {
	return unicode.IsSpace(r) || r == '\u00a0' || r == '\u2007' || r == '\u202f'
}

// isBlank reports whether s holds no visible text.
func isBlank(s string) bool {
	for _, r := range s {
		if !isSpace(r) && !isZeroWidth(r) {
			return false
		}
	}
	return true
}

// isZeroWidth reports whether r is an invisible character dropped from text:
// zero-width spaces and joiners, the byte order mark, and control
// characters other than white space (a bell, NUL or a terminal's escape
// sequence pasted into a cell is never meant as text, and papers check would
// send it to the terminal).
func isZeroWidth(r rune) bool {
	return r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\ufeff' || unicode.IsControl(r)
}

// collapseSpace trims s and turns every run of white space, including
// no-break spaces and line breaks, into one space. Zero-width characters go.
func collapseSpace(s string) string {
	if tidy(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case isSpace(r):
			space = b.Len() > 0
			continue
		case isZeroWidth(r):
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// tidy reports whether collapseSpace would leave s as it is: single spaces
// between words only, and no invisible characters. Most cells are.
func tidy(s string) bool {
	prevSpace := true // no space at the start
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == ' ':
				if prevSpace {
					return false
				}
				prevSpace = true
			case c < ' ' || c == 0x7f:
				return false
			default:
				prevSpace = false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if isSpace(r) || isZeroWidth(r) {
			return false
		}
		prevSpace = false
		i += n
	}
	return !prevSpace || s == ""
}

// mendOrdinals joins a day number to its ordinal suffix when copying a
// superscript out of Word has put a space between them: "30 th" → "30th",
// "1 st", "2 nd", "3 rd".
func mendOrdinals(s string) string {
	var b []byte
	last := 0
	for i := 1; i+2 < len(s); i++ {
		if s[i] != ' ' {
			// on to the next space: every cell's text passes through here
			j := strings.IndexByte(s[i:], ' ')
			if j < 0 {
				break
			}
			if i += j; i+2 >= len(s) {
				break
			}
		}
		if !isDigit(s[i-1]) || !ordinalSuffix(s[i+1:i+3]) || (i+3 < len(s) && isWordByte(s[i+3])) {
			continue
		}
		start := i - 1
		for start > 0 && isDigit(s[start-1]) {
			start--
		}
		if i-start > 2 || (start > 0 && isWordByte(s[start-1])) {
			continue
		}
		b = append(b, s[last:i]...)
		last = i + 1
	}
	if b == nil {
		return s
	}
	return string(append(b, s[last:]...))
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isWordByte(c byte) bool {
	return isDigit(c) || c == '_' || (c|0x20 >= 'a' && c|0x20 <= 'z')
}

func ordinalSuffix(s string) bool {
	switch strings.ToLower(s) {
	case "st", "nd", "rd", "th":
		return true
	}
	return false
}

// stripBullets removes list bullets at the start of s (after collapseSpace):
// "•", "·", "◦", "▪", symbol-font bullets in the private use area (""),
// and "-", "–", "*", ">" when a space follows them.
func stripBullets(s string) string {
	for s != "" {
		r, n := utf8.DecodeRuneInString(s)
		rest := s[n:]
		switch {
		case strings.ContainsRune("•·◦▪▫●○■□‣⁃∙➢➤►▸✓✔", r), r >= 0xE000 && r <= 0xF8FF:
		case strings.ContainsRune("-–—*>", r) && strings.HasPrefix(rest, " "):
		default:
			return s
		}
		s = strings.TrimLeft(rest, " ")
	}
	return s
}

// nextWord finds the first word (as strings.Fields splits) of s at or after
// i: its start and end, or -1 when there is none.
func nextWord(s string, i int) (start, end int) {
	start = -1
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			if start >= 0 {
				return start, i
			}
		} else if start < 0 {
			start = i
		}
		i += n
	}
	return start, len(s)
}

// RoleFor returns the role of the lead owner called name: "Cllr Paffey"
// finds "Councillor Paffey". Case, spacing and the spelling of a
// councillor's title are ignored.
func RoleFor(owners []plan.Owner, name string) (string, bool) {
	k := plan.OwnerKey(clean(name))
	if k == "" {
		return "", false
	}
	for _, o := range owners {
		if plan.OwnerKey(clean(o.Name)) == k {
			return o.Role, true
		}
	}
	return "", false
}

// splitOwners splits a lead owner cell into owners, by the plan's rule,
// each cleaned as every cell is.
func splitOwners(raw string) []string {
	var out []string
	for _, o := range plan.SplitOwners(raw) {
		if o = clean(o); o != "" {
			out = append(out, o)
		}
	}
	return out
}
