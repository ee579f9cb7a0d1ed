package workbook

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// The builder's text helpers were made faster for large plans without
// changing what they return: these tests hold them to the plain versions
// they replaced, kept here as references.

// normHeaderReference is normHeader as it was.
func normHeaderReference(s string) string {
	s = strings.ToLower(collapseSpace(s))
	s = strings.ReplaceAll(s, "(s)", "")
	s = strings.Trim(s, " :.*?")
	return strings.Join(strings.Fields(s), " ")
}

// mendOrdinalsReference is mendOrdinals as it was.
func mendOrdinalsReference(s string) string {
	var b []byte
	last := 0
	for i := 1; i+2 < len(s); i++ {
		if s[i] != ' ' || !isDigit(s[i-1]) || !ordinalSuffix(s[i+1:i+3]) || (i+3 < len(s) && isWordByte(s[i+3])) {
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

// checkCellText checks the helpers against the references on one cell's
// text.
func checkCellText(t *testing.T, s string) {
	t.Helper()
	if got, want := mendOrdinals(s), mendOrdinalsReference(s); got != want {
		t.Errorf("mendOrdinals(%q) = %q, was %q", s, got, want)
	}
	n := normHeaderReference(s)
	if got := normHeader(s); got != n {
		t.Errorf("normHeader(%q) = %q, was %q", s, got, n)
	}
	if got := string(normHeaderInto([]byte("x"), s)); got != "x"+n {
		t.Errorf("normHeaderInto(%q) = %q, want %q", s, got, "x"+n)
	}
	if runes := utf8.RuneCountInString(n); headerLonger(s, runes) {
		t.Errorf("headerLonger(%q, %d) is true, but normHeader gives %q", s, runes, n)
	}
}

// cellTexts are texts that take the helpers' unusual paths.
var cellTexts = []string{
	"", " ", "Robert Henderson / Cllr Paffey", "Lead  Owner (s)  (S):", " ( s ) (s)(s) x ", "\x01Action\x7f\t\v", "A(s)  (s) B", "A & B and C, D; E\nF", "A  and  B", "A\u00a0and\u2007B", "and", "AND and And",
	"Cllr. X and and Y", "\u200bA / B\u200d", "x(s)(s)y", "Lead Owner (s) :", "Lead Owner(S)", "((s)s)", " :.*? ", "*Action*",
	"\xff and \xfe", "İstanbul", "\u212a Kelvin", "ſ", "A\tB\vC\fD", "- Jane Smith", "• Jane  Smith", "30 th June and 1 st July", "1 st", " 2 nd", "By 28 th", "31 st of 21 st", "a1 st 123 rd 4 thx 5 th.",
	"Start date / Completion date", "Update (October)", "Sandy\u2028Hopkins", "a\x00b", "Owner\u0085s", "Ó Súilleabháin and Ní Bhriain",
}

func TestCellTextHelpers(t *testing.T) {
	texts := append([]string(nil), cellTexts...)
	real := realWorkbooks(t)
	for _, name := range sortedKeys(real) {
		if _, err := checkPackage(real[name], name, 64<<20); err != nil {
			continue // the zip bombs
		}
		f, err := openExcelize(real[name], name, 64<<20)
		if err != nil {
			continue
		}
		for _, sheet := range f.GetSheetList() {
			rows, _ := f.GetRows(sheet)
			for _, row := range rows {
				texts = append(texts, row...)
			}
		}
		f.Close()
	}
	if len(texts) < 1000 {
		t.Fatalf("only %d cell texts", len(texts))
	}
	for _, s := range texts {
		checkCellText(t, s)
	}
}

func FuzzCellText(f *testing.F) {
	for _, s := range cellTexts {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 1<<12 {
			return
		}
		checkCellText(t, s)
	})
}
