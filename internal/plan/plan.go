// Package plan holds the domain types every other package speaks: a
// Statement of an improvement action plan (its Recommendations and Actions,
// as read from an officer's workbook), the dates officers write (TargetDate),
// and the result of comparing two statements (Comparison, ActionChange,
// Change, Status). It depends on the standard library only.
package plan

import (
	"fmt"
	"time"
)

// Precision says how exactly a date was given.
type Precision int

// Precisions, from none (no date could be read) to a single day.
const (
	PrecisionNone          Precision = iota
	PrecisionFinancialYear           // "Build into 21/22 business planning cycle": 31 March of the year's end
	PrecisionMonth                   // "Dec 20": the month's last day
	PrecisionDay                     // "31st Dec 20", an Excel date, 31/12/2020
)

var precisionNames = [...]string{"none", "financial_year", "month", "day"}

func (p Precision) String() string {
	if p < 0 || int(p) >= len(precisionNames) {
		return fmt.Sprintf("Precision(%d)", int(p))
	}
	return precisionNames[p]
}

// MarshalText writes the precision's name ("day", "month", ...).
func (p Precision) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// TargetDate is a date as an officer gave it: the date it is taken to mean,
// how precisely it was given, and the text it came from. The zero value means
// no date. Date is always midnight UTC.
type TargetDate struct {
	Date      time.Time `json:"date"`
	Precision Precision `json:"precision"`
	Text      string    `json:"text,omitempty"`
}

// IsZero reports whether no date is known.
func (d TargetDate) IsZero() bool { return d.Date.IsZero() }

// ISO returns the date as YYYY-MM-DD, or "" when there is none.
func (d TargetDate) ISO() string {
	if d.IsZero() {
		return ""
	}
	return d.Date.Format("2006-01-02")
}

// Display returns the date as a council report writes it: "31 Dec 2020",
// "Dec 2020" for a month, "2021/22" for a financial year, "" for none.
func (d TargetDate) Display() string {
	switch {
	case d.IsZero():
		return ""
	case d.Precision == PrecisionMonth:
		return d.Date.Format("Jan 2006")
	case d.Precision == PrecisionFinancialYear:
		y := d.Date.Year() // the year the financial year ends
		return fmt.Sprintf("%d/%02d", y-1, y%100)
	default:
		return d.Date.Format("2 Jan 2006")
	}
}

// Day returns the civil date y-m-d at midnight UTC.
func Day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// DaysBetween returns b − a in whole days (both taken as civil dates).
func DaysBetween(a, b time.Time) int {
	a = Day(a.Date())
	b = Day(b.Date())
	return int(b.Sub(a).Hours() / 24)
}

// Schedule is what an officer wrote in a "Start date / Completion date" cell,
// read into a start and a target date. Warning is set, and the dates left
// zero, when the text could not be read; the text is always kept.
type Schedule struct {
	Start   TargetDate `json:"start"`
	Target  TargetDate `json:"target"`
	Text    string     `json:"text"`
	Warning string     `json:"warning,omitempty"`
}

// RAG is a red / amber / green rating.
type RAG string

// RAG ratings. RAGNone means none was given or derived.
const (
	RAGNone  RAG = ""
	RAGRed   RAG = "Red"
	RAGAmber RAG = "Amber"
	RAGGreen RAG = "Green"
	RAGBlue  RAG = "Blue" // complete, in councils that use BRAG
)

// Field is an extra column kept as it was typed (Impact, Cost, ...).
type Field struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Recommendation is one of the plan's recommendations; its actions follow it.
type Recommendation struct {
	Ref   string `json:"ref"`   // "2"
	Title string `json:"title"` // "Recommendation Two"
	Text  string `json:"text"`  // "Promote an inclusive culture, ..."
	Phase string `json:"phase,omitempty"`
	Cell  string `json:"cell,omitempty"`
}

// Label returns the recommendation as the plan shows it: "Recommendation Two:
// Promote an inclusive culture ...", or its text alone when it has no title.
func (r Recommendation) Label() string {
	switch {
	case r.Title == "":
		return r.Text
	case r.Text == "":
		return r.Title
	default:
		return r.Title + ": " + r.Text
	}
}

// Action is one row of the plan: something a lead owner has to do by a date.
type Action struct {
	// Ref identifies the action within its statement: the Ref/ID column's
	// value when the sheet has one (RefGiven), otherwise "R.N", the N-th
	// action of recommendation R.
	Ref            string `json:"ref"`
	RefGiven       bool   `json:"ref_given"`
	Recommendation string `json:"recommendation"` // the Recommendation's Ref
	Phase          string `json:"phase,omitempty"`

	Text    string `json:"action"`             // cleaned: bullets stripped, whitespace collapsed
	RawText string `json:"raw_text,omitempty"` // exactly as typed

	Owner  string   `json:"owner"`  // as typed: "Robert Henderson / Cllr Paffey"
	Owners []string `json:"owners"` // split: ["Robert Henderson", "Cllr Paffey"]

	Schedule  Schedule   `json:"schedule"`
	Update    string     `json:"update"`
	Completed TargetDate `json:"completed"`
	// Complete is set when the plan shows the action complete other than
	// by a completion date: a status of Complete or Implemented, 100%
	// complete, BRAG Blue (or the colour its key says means complete),
	// "Complete" written for its target. CompleteFrom says where that was
	// read ("Status \"Implemented\"").
	Complete     bool    `json:"complete,omitempty"`
	CompleteFrom string  `json:"complete_from,omitempty"`
	RAG          RAG     `json:"rag,omitempty"`    // the officer's own rating, if the sheet has one
	Status       string  `json:"status,omitempty"` // the officer's own status text, if any
	Extra        []Field `json:"extra,omitempty"`

	Cell  string `json:"cell"`            // where the action's text is, e.g. "B7"
	Row   int    `json:"row"`             // 1-based sheet row
	Sheet string `json:"sheet,omitempty"` // the sheet it is on
}

// Target is the action's target (completion) date.
func (a *Action) Target() TargetDate { return a.Schedule.Target }

// Start is the action's start date, if one was given.
func (a *Action) Start() TargetDate { return a.Schedule.Start }

// IsComplete reports whether the action is complete: it has a completion
// date, the plan shows it complete otherwise (Complete), or its status
// says so (SaysComplete). One rule for every caller.
func (a *Action) IsComplete() bool {
	return a.Complete || !a.Completed.IsZero() || SaysComplete(a.Status)
}

// Severity grades a Problem.
type Severity string

// Severities. An error means something was not read (the value is kept as
// text); a warning means it was read but deserves a look.
const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
)

// Problem is something in a workbook that could not be read as expected.
type Problem struct {
	Sheet    string   `json:"sheet,omitempty"` // the sheet Cell is on, when not the statement's
	Cell     string   `json:"cell"`
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`
}

// Owner is a lead owner and the role printed beside their name.
type Owner struct {
	Name string `json:"name"`
	Role string `json:"role"`
}

// Statement is one position statement (or the baseline plan) as read from a
// workbook.
type Statement struct {
	File            string           `json:"file"`
	Sheet           string           `json:"sheet"`
	Title           string           `json:"title"`
	Columns         []string         `json:"columns,omitempty"` // header texts, in sheet order
	Recommendations []Recommendation `json:"recommendations"`
	Actions         []Action         `json:"actions"`
	Owners          []Owner          `json:"owners,omitempty"`
	Problems        []Problem        `json:"problems"`
}

// Recommendation returns the recommendation with the given ref, if any.
func (s *Statement) Recommendation(ref string) (Recommendation, bool) {
	for _, r := range s.Recommendations {
		if r.Ref == ref {
			return r, true
		}
	}
	return Recommendation{}, false
}

// Where positions a problem for a person: `file.xlsx: sheet "Plan", cell D14`.
func (s *Statement) Where(cell string) string { return s.WhereIn("", cell) }

// WhereIn is Where for a cell on a sheet of its own ("" for the
// statement's).
func (s *Statement) WhereIn(sheet, cell string) string {
	if sheet != "" && sheet != s.Sheet {
		if cell == "" {
			return fmt.Sprintf("%s: sheet %q", s.File, sheet)
		}
		return fmt.Sprintf("%s: sheet %q, cell %s", s.File, sheet, cell)
	}
	switch {
	case cell == "" && s.Sheet == "":
		return s.File
	case cell == "":
		return fmt.Sprintf("%s: sheet %q", s.File, s.Sheet)
	default:
		return fmt.Sprintf("%s: sheet %q, cell %s", s.File, s.Sheet, cell)
	}
}
