package pdfua

import (
	"bytes"
	"errors"
	"strconv"
)

// A content stream is read here rather than by pdfcpu: the checker needs
// only marked-content operators (BMC, BDC, EMC), the text-showing ones
// (Tj, TJ, ' and "), Tf, q/Q and Do, and must survive hostile input.

// operand values: float64, name, []byte (string), []any, map[string]any,
// bool, nil.
type name string

// keyword is an operator, or a bare word such as true, false or null.
type keyword string

var errContentLimit = errors.New("content stream exceeds the checker's limits")

// lexer reads tokens from one content stream.
type lexer struct {
	b   []byte
	pos int
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

func isDelim(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

func (l *lexer) skipSpace() {
	for l.pos < len(l.b) {
		c := l.b[l.pos]
		if isSpace(c) {
			l.pos++
			continue
		}
		if c == '%' {
			for l.pos < len(l.b) && l.b[l.pos] != '\n' && l.b[l.pos] != '\r' {
				l.pos++
			}
			continue
		}
		return
	}
}

// maxOperandDepth bounds nested arrays and dictionaries in one operand.
const maxOperandDepth = 32

// next returns the next token as an operand value or a keyword; ok is false
// at the end of the stream.
func (l *lexer) next(depth int) (v any, ok bool, err error) {
	if depth > maxOperandDepth {
		return nil, false, errContentLimit
	}
	l.skipSpace()
	if l.pos >= len(l.b) {
		return nil, false, nil
	}
	c := l.b[l.pos]
	switch {
	case c == '/':
		l.pos++
		start := l.pos
		for l.pos < len(l.b) && !isSpace(l.b[l.pos]) && !isDelim(l.b[l.pos]) {
			l.pos++
		}
		return name(unescapeName(l.b[start:l.pos])), true, nil
	case c == '(':
		s, err := l.literal()
		return s, err == nil, err
	case c == '<' && l.pos+1 < len(l.b) && l.b[l.pos+1] == '<':
		l.pos += 2
		d := map[string]any{}
		for {
			k, ok, err := l.next(depth + 1)
			if err != nil {
				return nil, false, err
			}
			if !ok {
				return nil, false, errors.New("dictionary not closed")
			}
			if k == keyword(">>") {
				return d, true, nil
			}
			kn, isName := k.(name)
			v, ok, err := l.next(depth + 1)
			if err != nil {
				return nil, false, err
			}
			if !ok {
				return nil, false, errors.New("dictionary not closed")
			}
			if v == keyword(">>") {
				return d, true, nil // a key with no value
			}
			if isName {
				d[string(kn)] = v
			}
		}
	case c == '<':
		l.pos++
		var s []byte
		var hi, have = byte(0), false
		for l.pos < len(l.b) && l.b[l.pos] != '>' {
			h := hexVal(l.b[l.pos])
			l.pos++
			if h < 0 {
				continue
			}
			if have {
				s = append(s, hi<<4|byte(h))
				have = false
			} else {
				hi, have = byte(h), true
			}
		}
		if have {
			s = append(s, hi<<4)
		}
		l.pos++
		return s, true, nil
	case c == '>' && l.pos+1 < len(l.b) && l.b[l.pos+1] == '>':
		l.pos += 2
		return keyword(">>"), true, nil
	case c == '[':
		l.pos++
		var a []any
		for {
			v, ok, err := l.next(depth + 1)
			if err != nil {
				return nil, false, err
			}
			if !ok {
				return nil, false, errors.New("array not closed")
			}
			if v == keyword("]") {
				return a, true, nil
			}
			a = append(a, v)
		}
	case c == ']':
		l.pos++
		return keyword("]"), true, nil
	case c == '{' || c == '}' || c == ')' || c == '>':
		l.pos++
		return keyword(string(c)), true, nil
	}
	start := l.pos
	for l.pos < len(l.b) && !isSpace(l.b[l.pos]) && !isDelim(l.b[l.pos]) {
		l.pos++
	}
	w := l.b[start:l.pos]
	if f, err := strconv.ParseFloat(string(w), 64); err == nil && (w[0] == '-' || w[0] == '+' || w[0] == '.' || (w[0] >= '0' && w[0] <= '9')) {
		return f, true, nil
	}
	switch string(w) {
	case "true":
		return true, true, nil
	case "false":
		return false, true, nil
	case "null":
		return nil, true, nil
	}
	return keyword(w), true, nil
}

func hexVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

func unescapeName(b []byte) string {
	if bytes.IndexByte(b, '#') < 0 {
		return string(b)
	}
	var out []byte
	for i := 0; i < len(b); i++ {
		if b[i] == '#' && i+2 < len(b) && hexVal(b[i+1]) >= 0 && hexVal(b[i+2]) >= 0 {
			out = append(out, byte(hexVal(b[i+1])<<4|hexVal(b[i+2])))
			i += 2
			continue
		}
		out = append(out, b[i])
	}
	return string(out)
}

// literal reads a (string) with balanced parentheses and escapes; the
// checker needs only to step over it, so escapes are not decoded.
func (l *lexer) literal() ([]byte, error) {
	l.pos++
	start, depth := l.pos, 1
	for l.pos < len(l.b) {
		switch l.b[l.pos] {
		case '\\':
			l.pos++
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				s := l.b[start:l.pos]
				l.pos++
				return s, nil
			}
		}
		l.pos++
	}
	return nil, errors.New("string not closed")
}

// skipInlineImage steps over the data of an inline image (BI ... ID data
// EI): after ID comes one white-space byte, then binary data ending at an
// EI between white space.
func (l *lexer) skipInlineImage() error {
	for {
		v, ok, err := l.next(0)
		if err != nil {
			return err
		}
		if !ok {
			return errors.New("inline image not closed")
		}
		if v == keyword("ID") {
			break
		}
	}
	l.pos++
	for i := l.pos; i+1 < len(l.b); i++ {
		if l.b[i] == 'E' && l.b[i+1] == 'I' && isSpace(l.b[i-1]) && (i+2 == len(l.b) || isSpace(l.b[i+2]) || isDelim(l.b[i+2])) {
			l.pos = i + 2
			return nil
		}
	}
	return errors.New("inline image not closed")
}
