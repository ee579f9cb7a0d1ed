package report

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"papers/internal/document"
	"papers/internal/plan"
)

// shorten and inlineRuns avoid copying in the common case; these are the
// plain versions they must agree with on any text.

func shortenReference(s string, n int) string {
	s = strings.TrimRight(strings.TrimSpace(s), ";:.,")
	words := strings.Fields(s)
	if len(words) <= n {
		return strings.Join(words, " ")
	}
	return strings.TrimRight(strings.Join(words[:n], " "), ";:,.") + "…"
}

func inlineRunsReference(s string) ([]document.Run, error) {
	var runs []document.Run
	var cur strings.Builder
	bold := false
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s):
			i++
			cur.WriteByte(s[i])
		case s[i] == '*' && i+1 < len(s) && s[i+1] == '*':
			if cur.Len() > 0 {
				runs = append(runs, document.Run{Text: cur.String(), Bold: bold})
				cur.Reset()
			}
			bold = !bold
			i++
		default:
			cur.WriteByte(s[i])
		}
	}
	if bold {
		return nil, fmt.Errorf("a ** bold mark is not closed")
	}
	if cur.Len() > 0 {
		runs = append(runs, document.Run{Text: cur.String()})
	}
	return runs, nil
}

var shortenCases = []string{
	"",
	"one",
	"Develop an ambitious vision for children and young people in Southampton which mobilises all council services;",
	"exactly fourteen words here one two three four five six seven eight nine ten",
	"exactly fourteen words here one two three four five six seven eight nine ten.",
	"fifteen words with a full stop after the fourteenth, one two three four five six. seven",
	"  leading and trailing spaces  ",
	"double  space inside the first fourteen words of an action which goes on and on and on",
	"a tab\tinside the text of an action that is long enough to be cut at fourteen words",
	"one two three four five six seven eight nine ten eleven twelve thirteen fourteen  fifteen",
	"one two three four five six seven eight nine ten eleven twelve thirteen fourteen\nfifteen",
	"one two three four five six seven eight nine ten eleven twelve thirteen fourteen;, fifteen",
	"no\u00a0break space and\u2003em space and \u0085next line in a text of some length to be cut",
	"ends in a space then punctuation ;",
	"ends in punctuation;:.,",
	";:.,",
	"invalid \xff UTF-8 \xc3 here",
	"• bullet text, one two three four five six seven eight nine ten eleven twelve",
}

func TestShortenSameAsFields(t *testing.T) {
	for _, s := range shortenCases {
		for _, n := range []int{0, 1, 2, 14} {
			if got, want := shorten(s, n), shortenReference(s, n); got != want {
				t.Errorf("shorten(%q, %d) = %q, want %q", s, n, got, want)
			}
		}
	}
}

var inlineCases = []string{
	"",
	"plain",
	"**bold**",
	"a **bold** word and **another**",
	"**unclosed",
	"escaped \\*\\* asterisks \\\\ and a backslash",
	"a\\**b**",
	"trailing backslash \\",
	"**bold ending in a backslash\\\\**",
	"***three***",
	"****",
	"\\",
	"x\\y",
}

// The reference knows no language spans: it is compared on text that
// has none.
func noLangSpan(s string) bool {
	return !strings.Contains(s, "]{") && !strings.Contains(s, "{lang=")
}

func TestInlineRunsSameAsReference(t *testing.T) {
	for _, s := range inlineCases {
		got, err := inlineRuns(s)
		want, werr := inlineRunsReference(s)
		if (err == nil) != (werr == nil) || !reflect.DeepEqual(got, want) {
			t.Errorf("inlineRuns(%q) = %+v, %v; want %+v, %v", s, got, err, want, werr)
		}
	}
}

func FuzzShorten(f *testing.F) {
	for _, s := range shortenCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, n := range []int{1, 3, 14} {
			if got, want := shorten(s, n), shortenReference(s, n); got != want {
				t.Errorf("shorten(%q, %d) = %q, want %q", s, n, got, want)
			}
		}
	})
}

func FuzzInlineRuns(f *testing.F) {
	for _, s := range inlineCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !noLangSpan(s) {
			t.Skip("holds a language span")
		}
		got, err := inlineRuns(s)
		want, werr := inlineRunsReference(s)
		if (err == nil) != (werr == nil) || !reflect.DeepEqual(got, want) {
			t.Errorf("inlineRuns(%q) = %+v, %v; want %+v, %v", s, got, err, want, werr)
		}
	})
}

// The remembered dates are the dates as Display writes them, whatever
// their precision or time zone.
func TestIndexDisplay(t *testing.T) {
	ix := newIndex(fixture())
	// Midnight UTC is the day before in New York.
	est := plan.Day(2021, 3, 31).In(time.FixedZone("EST", -5*3600))
	for _, d := range []plan.TargetDate{
		{},
		{Date: plan.Day(2021, 3, 31), Precision: plan.PrecisionDay},
		{Date: plan.Day(2021, 3, 31), Precision: plan.PrecisionMonth},
		{Date: plan.Day(2021, 3, 31), Precision: plan.PrecisionFinancialYear},
		{Date: plan.Day(2021, 3, 31), Precision: plan.PrecisionNone},
		{Date: est, Precision: plan.PrecisionDay},
		{Date: plan.Day(2021, 3, 31), Precision: plan.PrecisionDay},
	} {
		if got, want := ix.display(d), d.Display(); got != want {
			t.Errorf("display(%v, %v) = %q, want %q", d.Date, d.Precision, got, want)
		}
	}
}
