package dates

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"papers/internal/plan"
)

// seeds are the phrases from the product issue, and the plus list.
var seeds = []string{
	"Start: Sept 20 Completed by: December 20",
	"Build into 21/22 business planning cycle",
	"Start: Sept 20 Completed by: Mar 21",
	"Visits for 20/21 to be diarised by 30th September 20",
	"Meetings to be diarised by 30th Sept 20",
	"Meetings to be diarised by 30 th Sept 20",
	"Practitioners Improvement Board to be established by 30th Sept 20",
	"Representative to be in place by 31st Oct 20",
	"By 30th September 20",
	"By 31st Dec 20",
	"By 30th Dec 20",
	"By 31st December 20",
	"By 31st Mar 21",
	"By 30th Nov 20",
	"By 30th Sept 20",
	"Start: 1st Oct 20 Completed by: 31st Mar 21",
	"Start: 14th Sept 20 Completed by 31st Mar 21",
	"Completed by: 31st Mar 21",
	"Completed by:\u00a031st Mar 21",
	"Start: June 20 Completed by 30th Sept 20",
	"31/12/2020",
	"31/12/20",
	"1/4/21",
	"2020-12-31",
	"31 December 2020",
	"December 2020",
	"Dec-20",
	"31-Dec-20",
	"End of March 2021",
	"Q3 2020/21",
	"w/c 2nd November 2020",
	"12/11/2020 and 12/05/2021",
	"Start: Sept 20",
	"Ongoing",
	"TBC",
	"31/02/21",
	"By 32nd Dec 20",
	"30th Feb 21",
}

// want is what a cell should read as. Dates are "YYYY-MM-DD/precision" or
// "" for none. warn is "" for no warning, "*" for any, else a substring.
type want struct {
	start, target string
	warn          string
	startText     string // checked when set
	targetText    string // checked when set
}

func show(d plan.TargetDate) string {
	if d.IsZero() {
		return ""
	}
	return d.ISO() + "/" + d.Precision.String()
}

var cases = []struct {
	name string
	in   string
	want want
}{
	// The product issue's seeds.
	{"start month, target month", "Start: Sept 20 Completed by: December 20",
		want{start: "2020-09-01/month", target: "2020-12-31/month", startText: "Start: Sept 20", targetText: "Completed by: December 20"}},
	{"financial year alone", "Build into 21/22 business planning cycle",
		want{target: "2022-03-31/financial_year", targetText: "21/22"}},
	{"start month, target month next year", "Start: Sept 20 Completed by: Mar 21",
		want{start: "2020-09-01/month", target: "2021-03-31/month"}},
	{"by-date beats financial year", "Visits for 20/21 to be diarised by 30th September 20",
		want{target: "2020-09-30/day", targetText: "by 30th September 20"}},
	{"diarised by", "Meetings to be diarised by 30th Sept 20", want{target: "2020-09-30/day"}},
	{"split ordinal", "Meetings to be diarised by 30 th Sept 20", want{target: "2020-09-30/day", targetText: "by 30 th Sept 20"}},
	{"established by", "Practitioners Improvement Board to be established by 30th Sept 20", want{target: "2020-09-30/day"}},
	{"in place by", "Representative to be in place by 31st Oct 20", want{target: "2020-10-31/day"}},
	{"By 30th September 20", "By 30th September 20", want{target: "2020-09-30/day", targetText: "By 30th September 20"}},
	{"By 31st Dec 20", "By 31st Dec 20", want{target: "2020-12-31/day"}},
	{"By 30th Dec 20", "By 30th Dec 20", want{target: "2020-12-30/day"}},
	{"By 31st December 20", "By 31st December 20", want{target: "2020-12-31/day"}},
	{"By 31st Mar 21", "By 31st Mar 21", want{target: "2021-03-31/day"}},
	{"By 30th Nov 20", "By 30th Nov 20", want{target: "2020-11-30/day"}},
	{"By 30th Sept 20", "By 30th Sept 20", want{target: "2020-09-30/day"}},
	{"start day, target day", "Start: 1st Oct 20 Completed by: 31st Mar 21",
		want{start: "2020-10-01/day", target: "2021-03-31/day", startText: "Start: 1st Oct 20", targetText: "Completed by: 31st Mar 21"}},
	{"completed by without colon", "Start: 14th Sept 20 Completed by 31st Mar 21",
		want{start: "2020-09-14/day", target: "2021-03-31/day", targetText: "Completed by 31st Mar 21"}},
	{"completed by", "Completed by: 31st Mar 21", want{target: "2021-03-31/day", targetText: "Completed by: 31st Mar 21"}},
	{"completed by, NBSP", "Completed by:\u00a031st Mar 21", want{target: "2021-03-31/day"}},
	{"completed by, double space", "Completed  by:  31st  Mar  21", want{target: "2021-03-31/day"}},
	{"start month, target day", "Start: June 20 Completed by 30th Sept 20",
		want{start: "2020-06-01/month", target: "2020-09-30/day"}},

	// The plus list.
	{"dd/mm/yyyy", "31/12/2020", want{target: "2020-12-31/day", targetText: "31/12/2020"}},
	{"dd/mm/yy", "31/12/20", want{target: "2020-12-31/day"}},
	{"d/m/yy is day first", "1/4/21", want{target: "2021-04-01/day"}},
	{"dd/mm/yy day first", "03/04/21", want{target: "2021-04-03/day"}},
	{"ISO", "2020-12-31", want{target: "2020-12-31/day"}},
	{"day month-name year", "31 December 2020", want{target: "2020-12-31/day"}},
	{"month-name year", "December 2020", want{target: "2020-12-31/month"}},
	{"Mon-yy", "Dec-20", want{target: "2020-12-31/month"}},
	{"dd-Mon-yy", "31-Dec-20", want{target: "2020-12-31/day"}},
	{"end of month", "End of March 2021", want{target: "2021-03-31/month", targetText: "End of March 2021"}},
	{"by the end of month", "by the end of March 2021", want{target: "2021-03-31/month", targetText: "by the end of March 2021"}},
	{"quarter of financial year", "Q3 2020/21", want{target: "2020-12-31/month"}},
	{"quarter 4", "Q4 2020/21", want{target: "2021-03-31/month"}},
	{"quarter FY", "Quarter 1 of FY 2021/22", want{target: "2021-06-30/month"}},
	{"FY then quarter", "2020/21 Q2", want{target: "2020-09-30/month"}},
	{"start quarter", "Start: Q3 20/21", want{start: "2020-10-01/month", warn: "no target date"}},
	{"quarter of calendar year", "Q3 2020", want{warn: `cannot read date "Q3 2020": a quarter needs a financial year`}},
	{"week commencing", "w/c 2nd November 2020", want{target: "2020-11-02/day", targetText: "w/c 2nd November 2020"}},
	{"week commencing in words", "Week commencing 2nd November 2020", want{target: "2020-11-02/day"}},
	{"several dates, no keywords", "12/11/2020 and 12/05/2021",
		want{target: "2021-05-12/day", warn: `cell holds more than one date ("12/11/2020", "12/05/2021"); took the latest, "12/05/2021", as the target`}},
	{"start only", "Start: Sept 20", want{start: "2020-09-01/month", warn: "no target date"}},

	// Words that are no date.
	{"empty", "", want{}},
	{"blank", " \t\u00a0\n ", want{}},
	{"TBC", "TBC", want{warn: `no date given ("TBC")`}},
	{"Ongoing", "Ongoing", want{warn: `no date given ("Ongoing")`}},
	{"N/A", "N/A", want{warn: `no date given ("N/A")`}},
	{"Quarterly", "Quarterly", want{warn: `no date given ("Quarterly")`}},
	{"dash", "-", want{warn: `no date given ("-")`}},
	{"lower-case may", "Actions may slip", want{warn: "no date given"}},
	{"May alone", "May be delayed", want{warn: "no date given"}},

	// Impossible dates.
	{"31 February", "31/02/21", want{warn: `cannot read date "31/02/21": day 31 is not in February`}},
	{"32nd", "By 32nd Dec 20", want{warn: `cannot read date "By 32nd Dec 20": day 32 is not in December`}},
	{"30th Feb", "30th Feb 21", want{warn: `cannot read date "30th Feb 21": day 30 is not in February`}},
	{"leap day", "29/02/24", want{target: "2024-02-29/day"}},
	{"not a leap day", "29/02/21", want{warn: `cannot read date "29/02/21": day 29 is not in February 2021`}},
	{"2100 is no leap year", "29/02/2100", want{warn: "day 29 is not in February 2100"}},
	{"2000 is a leap year", "29 Feb 2000", want{target: "2000-02-29/day"}},
	{"31 April", "31/04/21", want{warn: `cannot read date "31/04/21": day 31 is not in April`}},
	{"day zero", "00/12/20", want{warn: `cannot read date "00/12/20": day 00 is not in December`}},
	{"month 13", "12/13/2020", want{warn: "month 13 does not exist"}},
	{"US order refused", "12/31/2020", want{warn: "month 31 does not exist"}},
	{"bad start voids the cell", "Start: 31st Feb 21 Completed by: 31st Mar 21", want{warn: `cannot read date "Start: 31st Feb 21"`}},
	{"year out of range", "31/12/3020", want{warn: "year 3020 is out of range"}},
	{"three-digit year", "31/12/202", want{warn: `cannot read date "31/12/202"`}},
	{"placeholder year", "By 30th Sept 20xx", want{warn: `cannot read date "By 30th Sept 20xx": "20xx" is not a year`}},

	// Years.
	{"year 99 is 2099", "1/1/99", want{target: "2099-01-01/day"}},
	{"year 00 is 2000", "Mar 00", want{target: "2000-03-31/month"}},
	{"four-digit year", "1st Jan 2021", want{target: "2021-01-01/day"}},

	// Financial years.
	{"FY yyyy/yy", "2021/22", want{target: "2022-03-31/financial_year"}},
	{"FY yyyy-yy", "2021-22", want{target: "2022-03-31/financial_year"}},
	{"FY yyyy/yyyy", "2021/2022", want{target: "2022-03-31/financial_year"}},
	{"FY prefix", "FY21/22", want{target: "2022-03-31/financial_year", targetText: "FY21/22"}},
	{"FY start", "Start: 2020/21 Completed by: 2021/22", want{start: "2020-04-01/month", target: "2022-03-31/financial_year"}},
	{"end of FY", "End of 2020/21", want{target: "2021-03-31/financial_year"}},
	{"beginning of FY", "Beginning of 2021/22", want{target: "2021-04-01/month"}},
	{"FY and month: month wins", "21/22 - Dec 21", want{target: "2021-12-31/month"}},
	{"two FYs", "20/21 and 21/22", want{target: "2022-03-31/financial_year", warn: "more than one date"}},
	{"FY as target beside start", "Start: Sept 20, within 21/22", want{start: "2020-09-01/month", target: "2022-03-31/financial_year"}},

	// Spelling and spacing.
	{"mixed case", "bY 31ST dEcEmBeR 2020", want{target: "2020-12-31/day"}},
	{"ordinal TH", "By 30TH SEPT 20", want{target: "2020-09-30/day"}},
	{"ordinal 1 st", "Start: 1 st Oct 20 Completed by: 2 nd Nov 20", want{start: "2020-10-01/day", target: "2020-11-02/day"}},
	{"ordinal 3 rd", "By 3 rd Dec 20", want{target: "2020-12-03/day"}},
	{"Saint is no ordinal", "By Dec 20 St Mary's", want{target: "2020-12-31/month"}},
	{"superscript ordinal", "By 30ᵗʰ Sept 20", want{target: "2020-09-30/day"}},
	{"ordinal stuck to month", "31stDec20", want{target: "2020-12-31/day"}},
	{"Sep.", "Sep. 20", want{target: "2020-09-30/month"}},
	{"Sept.", "By 30th Sept. 2020", want{target: "2020-09-30/day"}},
	{"3-letter month", "By 30 Jun 21", want{target: "2021-06-30/day"}},
	{"apostrophe year", "Dec '20", want{target: "2020-12-31/month"}},
	{"curly apostrophe year", "Dec \u201920", want{target: "2020-12-31/month"}},
	{"of", "31st of December 2020", want{target: "2020-12-31/day"}},
	{"month first with ordinal", "December 31st 2020", want{target: "2020-12-31/day"}},
	{"month first with comma", "Dec 31, 2020", want{target: "2020-12-31/day"}},
	{"month slash yyyy", "12/2020", want{target: "2020-12-31/month"}},
	{"yyyy-mm", "2020-12", want{target: "2020-12-31/month"}},
	{"dotted", "31.12.2020", want{target: "2020-12-31/day"}},
	{"paragraph number is no date", "See 1.2.10", want{warn: "no date given"}},
	{"trailing punctuation", "By 31st Dec 20.", want{target: "2020-12-31/day"}},
	{"brackets", "(By 31st Dec 20)", want{target: "2020-12-31/day"}},
	{"leading and trailing space", "  \u00a0By 31st Dec 20\u00a0 \n", want{target: "2020-12-31/day"}},
	{"NBSP inside", "By\u00a031st\u00a0Dec\u00a020", want{target: "2020-12-31/day"}},
	{"newline between", "Start: Sept 20\nCompleted by: Dec 20", want{start: "2020-09-01/month", target: "2020-12-31/month"}},
	{"weekday", "Monday 2nd November 2020", want{target: "2020-11-02/day"}},
	{"ISO date-time", "2020-12-31T00:00:00", want{target: "2020-12-31/day"}},
	{"date and time", "31/12/2020 00:00", want{target: "2020-12-31/day"}},
	{"Sept20 stuck", "By Sept20", want{target: "2020-09-30/month"}},
	{"en dash", "31\u2013Dec\u201320", want{target: "2020-12-31/day"}},
	{"mid month", "mid-March 2021", want{target: "2021-03-31/month", targetText: "mid-March 2021"}},
	{"no later than", "No later than 31st Dec 20", want{target: "2020-12-31/day", targetText: "No later than 31st Dec 20"}},
	{"approx.", "approx. Dec 20", want{target: "2020-12-31/month", targetText: "approx. Dec 20"}},
	{"May with year", "By May 21", want{target: "2021-05-31/month"}},
	{"3 May 2021", "3 may 2021", want{target: "2021-05-03/day"}},
	{"task 3 may", "Task 3 may be done by Dec 20", want{target: "2020-12-31/month"}},

	// Keywords and ranges.
	{"range with dash", "Sept 20 - Dec 20", want{start: "2020-09-01/month", target: "2020-12-31/month"}},
	{"range with en dash", "Sept 20 – Mar 21", want{start: "2020-09-01/month", target: "2021-03-31/month"}},
	{"range with to", "Sept 20 to Dec 20", want{start: "2020-09-01/month", target: "2020-12-31/month"}},
	{"from to", "From 1st Oct 20 to 31st Mar 21", want{start: "2020-10-01/day", target: "2021-03-31/day"}},
	{"between and", "between Oct 20 and Dec 20", want{start: "2020-10-01/month", target: "2020-12-31/month"}},
	{"month range sharing a year", "Sept - Dec 20", want{start: "2020-09-01/month", target: "2020-12-31/month"}},
	{"month range over new year", "Nov-Jan 21", want{start: "2020-11-01/month", target: "2021-01-31/month"}},
	{"start after target", "Start: Dec 20 Completed by: Sept 20",
		want{start: "2020-12-01/month", target: "2020-09-30/month", warn: `start date "Start: Dec 20" is after the target date "Completed by: Sept 20"`}},
	{"deadline", "Deadline: 31/12/20", want{target: "2020-12-31/day", targetText: "Deadline: 31/12/20"}},
	{"target date", "Target date - Dec 20", want{target: "2020-12-31/month"}},
	{"start date", "Start date: 1/9/20", want{start: "2020-09-01/day", warn: "no target date"}},
	{"from only", "From Sept 20", want{start: "2020-09-01/month", warn: "no target date"}},
	{"complete by", "Complete by Dec 20", want{target: "2020-12-31/month"}},
	{"two starts", "Start: Sept 20 Start: Oct 20 by Dec 20",
		want{start: "2020-09-01/month", target: "2020-12-31/month", warn: "more than one start date"}},
	{"two targets", "By 31st Dec 20, revised by 31st Mar 21",
		want{target: "2021-03-31/day", targetText: "revised by 31st Mar 21", warn: `cell holds more than one target date ("By 31st Dec 20", "revised by 31st Mar 21"); took the latest, "revised by 31st Mar 21", as the target`}},
	{"date beside a target", "By 31st Dec 20 / 31st Mar 21",
		want{target: "2020-12-31/day", warn: `took "By 31st Dec 20" as the target, not "31st Mar 21"`}},
	{"day range", "1st - 31st Dec 20", want{start: "2020-12-01/day", target: "2020-12-31/day"}},
	{"tight day range", "1-31 Dec 20", want{start: "2020-12-01/day", target: "2020-12-31/day"}},
	{"day range with to", "From 1st to 31st Dec 20", want{start: "2020-12-01/day", target: "2020-12-31/day", startText: "From 1st"}},
	{"phase number is no day range", "Phase 1 - 31 Dec 20", want{target: "2020-12-31/day"}},
	{"phase number is no day", "Phase 2 March 2021", want{target: "2021-03-31/month"}},
	{"onwards", "Sept 20 onwards", want{start: "2020-09-01/month", warn: "no target date"}},
	{"start and loose date", "Start: Sept 20, Dec 20", want{start: "2020-09-01/month", target: "2020-12-31/month"}},

	// What cannot be read.
	{"no year", "By 30th September", want{warn: `cannot read date "By 30th September": no year given`}},
	{"month alone after keyword", "by March", want{warn: `cannot read date "by March": no year given`}},
	{"month alone, no keyword", "March", want{warn: `cannot read date "March": no year given`}},
	{"no year beside a date", "Phase 1 by March, phase 2 by 31st Dec 20",
		want{target: "2020-12-31/day", warn: `cannot read date "by March": no year given`}},
	{"24/7", "24/7 service", want{warn: `"24/7"`}},
	{"24/7 beside a date", "24/7 service by Dec 20", want{target: "2020-12-31/month"}},
	{"day/month no year after keyword", "by 31/12", want{warn: `cannot read date "by 31/12": no year given`}},
	{"year alone", "By end of 2021", want{warn: "a year alone is not a date"}},
	{"misspelt month", "By 31st Decmber 20", want{warn: "no date given"}},
	{"excel serial as text", "44196", want{warn: "no date given"}},
}

func check(t *testing.T, in string, got plan.Schedule, w want) {
	t.Helper()
	if s := show(got.Start); s != w.start {
		t.Errorf("Parse(%q).Start = %s, want %s", in, s, w.start)
	}
	if s := show(got.Target); s != w.target {
		t.Errorf("Parse(%q).Target = %s, want %s", in, s, w.target)
	}
	switch {
	case w.warn == "" && got.Warning != "":
		t.Errorf("Parse(%q).Warning = %q, want none", in, got.Warning)
	case w.warn == "*" && got.Warning == "":
		t.Errorf("Parse(%q).Warning is empty, want one", in)
	case w.warn != "" && w.warn != "*" && !strings.Contains(got.Warning, w.warn):
		t.Errorf("Parse(%q).Warning = %q, want it to contain %q", in, got.Warning, w.warn)
	}
	if w.startText != "" && got.Start.Text != w.startText {
		t.Errorf("Parse(%q).Start.Text = %q, want %q", in, got.Start.Text, w.startText)
	}
	if w.targetText != "" && got.Target.Text != w.targetText {
		t.Errorf("Parse(%q).Target.Text = %q, want %q", in, got.Target.Text, w.targetText)
	}
	if got.Text != in {
		t.Errorf("Parse(%q).Text = %q", in, got.Text)
	}
}

func TestParse(t *testing.T) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			check(t, c.in, Parse(c.in), c.want)
		})
	}
}

// Every seed must be in the table.
func TestSeedsCovered(t *testing.T) {
	in := map[string]bool{}
	for _, c := range cases {
		in[c.in] = true
	}
	for _, s := range seeds {
		if !in[s] {
			t.Errorf("seed %q has no table case", s)
		}
	}
}

func TestDatesAreMidnightUTC(t *testing.T) {
	s := Parse("Start: 1st Oct 20 Completed by: 31st Mar 21")
	for _, d := range []plan.TargetDate{s.Start, s.Target} {
		if !d.Date.Equal(plan.Day(d.Date.Date())) || d.Date.Location().String() != "UTC" {
			t.Errorf("%v is not midnight UTC", d.Date)
		}
	}
}

func TestParseDate(t *testing.T) {
	for _, c := range []struct {
		in, want string // want: date/precision, or "" for none
		err      string // "" for none, else a substring
		noDate   bool
	}{
		{in: "", want: ""},
		{in: "  ", want: ""},
		{in: "12/11/2020", want: "2020-11-12/day"},
		{in: "Completed 12/11/2020", want: "2020-11-12/day"},
		{in: "Dec 20", want: "2020-12-31/month"},
		{in: "21/22", want: "2022-03-31/financial_year"},
		{in: "Visits for 20/21 done 30th September 20", want: "2020-09-30/day"},
		{in: "Ongoing", err: `no date given ("Ongoing")`, noDate: true},
		{in: "N/A", err: "no date given", noDate: true},
		{in: "31/02/21", err: "day 31 is not in February"},
		{in: "12/11/2020 and 12/05/2021", err: "more than one date"},
		{in: "By 30th September", err: "no year given"},
		{in: "12/20", err: `cannot read date "12/20"`},
	} {
		got, err := ParseDate(c.in)
		if s := show(got); s != c.want {
			t.Errorf("ParseDate(%q) = %s, want %s", c.in, s, c.want)
		}
		switch {
		case c.err == "" && err != nil:
			t.Errorf("ParseDate(%q): %v", c.in, err)
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("ParseDate(%q) error = %v, want %q", c.in, err, c.err)
		case err != nil && errors.Is(err, ErrNoDate) != c.noDate:
			t.Errorf("ParseDate(%q): errors.Is(err, ErrNoDate) = %v", c.in, !c.noDate)
		case err != nil && got.Text != c.in:
			t.Errorf("ParseDate(%q).Text = %q, want the text kept", c.in, got.Text)
		}
	}
}

func TestParseStart(t *testing.T) {
	for in, want := range map[string]string{
		"Sept 20":       "2020-09-01/month",
		"1st Sept 20":   "2020-09-01/day",
		"2020/21":       "2020-04-01/month",
		"Q3 2020/21":    "2020-10-01/month",
		"End of Mar 21": "2021-03-31/month",
	} {
		got, err := ParseStart(in)
		if s := show(got); s != want || err != nil {
			t.Errorf("ParseStart(%q) = %s, %v; want %s", in, s, err, want)
		}
	}
}

// blank reports whether s holds nothing but whitespace.
func blank(s string) bool {
	for _, r := range s {
		if !isSpace(r) && !(r < utf8.RuneSelf && (r <= ' ' || r == 0x7f)) {
			return false
		}
	}
	return true
}

// invariants checks what must hold of any cell.
func invariants(t *testing.T, in string) {
	t.Helper()
	s := Parse(in)
	if s.Text != in {
		t.Fatalf("Parse(%q).Text = %q", in, s.Text)
	}
	for _, d := range []plan.TargetDate{s.Start, s.Target} {
		if !d.IsZero() && d.Precision == plan.PrecisionNone {
			t.Fatalf("Parse(%q): date %v has no precision", in, d.Date)
		}
		if d.IsZero() && (d.Precision != plan.PrecisionNone || d.Text != "") {
			t.Fatalf("Parse(%q): zero date with %v %q", in, d.Precision, d.Text)
		}
		if !d.IsZero() && !strings.Contains(in, d.Text) {
			t.Fatalf("Parse(%q): date text %q is not in the cell", in, d.Text)
		}
	}
	if s.Target.IsZero() && !blank(in) && s.Warning == "" {
		t.Fatalf("Parse(%q): no target and no warning", in)
	}
	if blank(in) && (s.Warning != "" || !s.Start.IsZero() || !s.Target.IsZero()) {
		t.Fatalf("Parse(%q) of a blank cell = %+v", in, s)
	}
	if !s.Start.IsZero() && !s.Target.IsZero() && s.Start.Date.After(s.Target.Date) && s.Warning == "" {
		t.Fatalf("Parse(%q): start %v after target %v without a warning", in, s.Start.Date, s.Target.Date)
	}
	if strings.ContainsFunc(s.Warning, func(r rune) bool { return r == '\n' || !unicode.IsPrint(r) && r != ' ' }) {
		t.Fatalf("Parse(%q).Warning = %q has unprintable characters", in, s.Warning)
	}
	if d, err := ParseStart(in); err == nil && d.IsZero() && !blank(in) {
		t.Fatalf("ParseStart(%q): no date and no error", in)
	}
	d, err := ParseDate(in)
	if err == nil && !d.IsZero() && d.Precision == plan.PrecisionNone {
		t.Fatalf("ParseDate(%q): date without precision", in)
	}
	if err == nil && d.IsZero() && !blank(in) {
		t.Fatalf("ParseDate(%q): no date and no error", in)
	}
}

// TestLinear reads long cells built to tempt a parser into quadratic
// work: every one must take time in proportion to its length.
func TestLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	for _, unit := range []string{
		"1st - ", "1-", "Sept - ", "Jan-", "1/", "1/2/", "end of ", "Q1 ", "week ",
		"by ", "Start: ", "20/21 ", "By 31st Dec 20 ", "12/20 ", "w/c ", "30 th ", "- ",
	} {
		long := strings.Repeat(unit, 200_000/len(unit)) + "Dec 20"
		start := time.Now()
		s := Parse(long)
		// Linear work takes milliseconds here; quadratic work took 20s.
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("Parse(%q × %d) took %v", unit, 200_000/len(unit), d)
		}
		if s.Target.IsZero() && s.Warning == "" {
			t.Errorf("Parse(%q × …): no target and no warning", unit)
		}
		if len(s.Warning) > 2000 {
			t.Errorf("Parse(%q × …): warning of %d bytes", unit, len(s.Warning))
		}
	}
}

// TestRandomPhrases checks the invariants on phrases put together from the
// words and numbers dates are made of, which byte-level fuzzing reaches
// slowly.
func TestRandomPhrases(t *testing.T) {
	vocab := strings.Fields(`Start : Completed by Complete Deadline Target To to From from
		until between and end of beginning the date Q q 3 4 0 1 2 12 13 20 21 22 29 30 31 32
		99 00 2020 2021 2022 1899 3020 202 st nd rd th 1st 2nd 30th 31ST 30ᵗʰ / - . , ' – (
		) Dec December Sept Sep. Feb may May Mar w/c week commencing onwards Phase FY fy
		20/21 2021/22 2021-22 31/12/20 29/02/21 2020-12-31 Dec-20 TBC Ongoing xx 20xx T`)
	vocab = append(vocab, " ", "\u00a0", "\n", "")
	r := rand.New(rand.NewPCG(1, 2))
	n := 200_000
	if testing.Short() {
		n = 10_000
	}
	var b strings.Builder
	for range n {
		b.Reset()
		for range 1 + r.IntN(9) {
			b.WriteString(vocab[r.IntN(len(vocab))])
			if r.IntN(4) > 0 {
				b.WriteByte(' ')
			}
		}
		invariants(t, b.String())
	}
}

func TestInvariantsOnTable(t *testing.T) {
	for _, c := range cases {
		invariants(t, c.in)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range seeds {
		f.Add(s)
	}
	for _, c := range cases {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		invariants(t, in)
	})
}

func TestAllocs(t *testing.T) {
	for _, s := range seeds[:20] {
		if n := testing.AllocsPerRun(100, func() { Parse(s) }); n != 0 {
			t.Errorf("Parse(%q) allocates %v times", s, n)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		for _, s := range seeds {
			n += len(Parse(s).Warning)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(seeds)), "ns/cell")
	_ = n
}

// BenchmarkParseLong reads a long cell, to show the time is linear.
func BenchmarkParseLong(b *testing.B) {
	s := strings.Repeat("Meetings to be diarised by 30th Sept 20 and reviewed. ", 200)
	b.ReportAllocs()
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		Parse(s)
	}
}
