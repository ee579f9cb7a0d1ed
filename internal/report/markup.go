package report

import (
	"fmt"
	"strings"

	"papers/internal/document"
)

// markup turns the filled-in cover template (a small Markdown-like text, see
// templates/cover-report.md) into document blocks. chart is placed where the
// template says [[chart]]. Numbered paragraphs ("#.") are numbered through
// the whole report, as council reports are.
type markup struct {
	name   string // template file name, for messages
	blocks []document.Block
	number int
	chart  *document.Chart
	kv     *document.KeyValue
	para   []string // lines of the paragraph being read
	line   int      // line the paragraph began on
	// section is the level of the last "#" heading: a bold sub-heading
	// goes one below it.
	section int
}

func parseMarkup(name, text string, chart *document.Chart) ([]document.Block, error) {
	m := &markup{name: name, chart: chart}
	n := 0
	for raw := range strings.SplitSeq(text, "\n") {
		n++
		if err := m.feed(n, strings.TrimRight(raw, " \t\r")); err != nil {
			return nil, err
		}
	}
	if err := m.flush(); err != nil {
		return nil, err
	}
	m.flushKV()
	return m.blocks, nil
}

func stripComments(s string) string {
	for {
		i := strings.Index(s, "<!--")
		if i < 0 {
			return s
		}
		j := strings.Index(s[i:], "-->")
		if j < 0 {
			return s[:i]
		}
		// keep the newlines so line numbers in messages stay right
		s = s[:i] + strings.Repeat("\n", strings.Count(s[i:i+j+3], "\n")) + s[i+j+3:]
	}
}

func (m *markup) feed(n int, line string) error {
	trimmed := strings.TrimSpace(line)
	switch {
	case trimmed == "":
		return m.flush()
	case strings.HasPrefix(trimmed, "|"):
		if err := m.flush(); err != nil {
			return err
		}
		cells := strings.Split(strings.Trim(trimmed, "|"), "|")
		if len(cells) != 2 {
			return fmt.Errorf("%s:%d: a key–value row needs exactly two cells: | Key | Value |", m.name, n)
		}
		if m.kv == nil {
			m.kv = &document.KeyValue{}
		}
		m.kv.Pairs = append(m.kv.Pairs, document.Pair{Key: strings.TrimSpace(cells[0]), Value: strings.TrimSpace(cells[1])})
		return nil
	}
	m.flushKV()
	switch {
	case strings.HasPrefix(trimmed, "#") && !strings.HasPrefix(trimmed, "#."):
		if err := m.flush(); err != nil {
			return err
		}
		level := len(trimmed) - len(strings.TrimLeft(trimmed, "#"))
		if level > 3 {
			return fmt.Errorf("%s:%d: headings go down to ### only", m.name, n)
		}
		// "## X" is the report's section heading, level 1 in the document.
		if level > 1 {
			level--
		}
		m.section = level
		m.blocks = append(m.blocks, document.Heading{Level: level, Text: strings.TrimSpace(strings.TrimLeft(trimmed, "#"))})
		return nil
	case trimmed == "[[chart]]":
		if err := m.flush(); err != nil {
			return err
		}
		if m.chart != nil {
			m.blocks = append(m.blocks, *m.chart)
		}
		return nil
	case trimmed == "[[page-break]]":
		if err := m.flush(); err != nil {
			return err
		}
		m.blocks = append(m.blocks, document.PageBreak{})
		return nil
	case strings.HasPrefix(trimmed, "[[") && strings.HasSuffix(trimmed, "]]"):
		return fmt.Errorf("%s:%d: unknown placeholder %s (known: [[chart]], [[page-break]])", m.name, n, trimmed)
	}
	// A list item or a labelled paragraph starts a new paragraph.
	if len(m.para) > 0 && startsItem(trimmed) {
		if err := m.flush(); err != nil {
			return err
		}
	}
	if len(m.para) == 0 {
		m.line = n
	}
	m.para = append(m.para, trimmed)
	return nil
}

func startsItem(s string) bool {
	label, _ := splitLabel(s)
	return label != ""
}

// splitLabel separates a paragraph's label: "#." (auto-numbered), "(i)",
// "1.", "a)", "-" (bullet).
func splitLabel(s string) (label, rest string) {
	if strings.HasPrefix(s, "- ") {
		return "•", strings.TrimSpace(s[2:])
	}
	if strings.HasPrefix(s, "#. ") {
		return "#.", strings.TrimSpace(s[3:])
	}
	sp := strings.IndexByte(s, ' ')
	if sp <= 0 || sp > 6 {
		return "", s
	}
	tok := s[:sp]
	switch {
	case tok[0] == '(' && tok[len(tok)-1] == ')' && len(tok) > 2 && alnum(tok[1:len(tok)-1]):
	case tok[len(tok)-1] == '.' && len(tok) > 1 && digits(tok[:len(tok)-1]):
	case tok[len(tok)-1] == ')' && len(tok) > 1 && alnum(tok[:len(tok)-1]):
	default:
		return "", s
	}
	return tok, strings.TrimSpace(s[sp+1:])
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func alnum(s string) bool {
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return s != ""
}

func (m *markup) flushKV() {
	if m.kv != nil {
		m.blocks = append(m.blocks, *m.kv)
		m.kv = nil
	}
}

func (m *markup) flush() error {
	if len(m.para) == 0 {
		return nil
	}
	text := strings.Join(m.para, " ")
	m.para = m.para[:0]
	label, rest := splitLabel(text)
	indent := 0
	if label == "#." {
		m.number++
		label = fmt.Sprintf("%d.", m.number)
	} else if label == "•" {
		indent = 1
	}
	runs, err := inlineRuns(rest)
	if err != nil {
		return fmt.Errorf("%s:%d: %v", m.name, m.line, err)
	}
	if len(runs) == 0 {
		return nil
	}
	// A paragraph that is all bold is a sub-heading ("Capital/Revenue"): as a
	// heading it stays with what follows and is listed in the navigation.
	// It goes one level below the section it is in, so the sub-headings of
	// a section are siblings.
	if label == "" && len(runs) == 1 && runs[0].Bold {
		m.blocks = append(m.blocks, document.Heading{Level: min(max(m.section, 1)+1, 3), Text: runs[0].Text})
		return nil
	}
	m.blocks = append(m.blocks, document.Paragraph{Label: label, Runs: runs, Indent: indent})
	return nil
}

// inlineRuns splits **bold** spans out of a line of text. A backslash
// escapes the next character, so officers' text (escaped by esc) can hold
// asterisks.
func inlineRuns(s string) ([]document.Run, error) {
	var runs []document.Run
	bold := false
	start := 0 // where the current run's text starts in s
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s):
			i++
		case s[i] == '*' && i+1 < len(s) && s[i+1] == '*':
			if i > start {
				runs = append(runs, document.Run{Text: unescape(s[start:i]), Bold: bold})
			}
			bold = !bold
			i++
			start = i + 1
		}
	}
	if bold {
		return nil, fmt.Errorf("a ** bold mark is not closed")
	}
	if start < len(s) {
		runs = append(runs, document.Run{Text: unescape(s[start:])})
	}
	return runs, nil
}

// unescape drops each backslash that escapes the character after it. Text
// without one, nearly all of it, is returned as it is, not copied.
func unescape(s string) string {
	i := strings.IndexByte(s, '\\')
	if i < 0 || i == len(s)-1 {
		return s
	}
	b := append(make([]byte, 0, len(s)), s[:i]...)
	for ; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b = append(b, s[i])
	}
	return string(b)
}

// esc makes officers' text safe to place in the template's markup.
func esc(s string) string {
	if !needsEsc(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '*' || c == '\\' || c == '[' || c == '|' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// needsEsc reports whether s holds a character esc escapes. Every field
// of every action the cover lists is checked: a plain loop is quicker than
// strings.ContainsAny.
func needsEsc(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '*' || c == '\\' || c == '[' || c == '|' {
			return true
		}
	}
	return false
}
