// Package returns runs the officers' quarterly returns: it makes, from the
// latest position statement, a return for each lead owner (Blank), and
// merges the returns they send back into the next position statement
// (Merge), listing conflicts between joint owners, warnings, rejected
// returns and the actions nobody returned (the chase list).
//
// It holds the returns' model and rules only; package workbook reads and
// writes returns as .xlsx workbooks (workbook.WriteReturn, ReadReturn).
//
// # Stable refs and matching
//
// Every line of a return carries its action's Ref: the statement's own Ref
// column value when the sheet has one (plan.Action.RefGiven), otherwise the
// derived "R.N" (the N-th action of recommendation R). A Ref is stable for
// the statement the returns were made from: Merge must be given that same
// statement, and it matches each line to the action with the same Ref, and
// only by Ref (never by similar text). A line whose Ref, recommendation,
// action, lead owner, current target or previous update differs from that
// statement's is rejected with the cell named: either the locked cells were
// edited (protection removed), or the return was made from another
// statement (rows inserted since give derived refs new meanings), and in
// both cases merging by Ref would be unsafe.
//
// # What Merge does with each action
//
//   - Returned (some accepted return gives a value in an editable cell for
//     it): each editable field given by one return, or given the same by
//     several (white space aside; statuses ignoring case; dates by day),
//     replaces the statement's value. Different values for one field are a
//     Conflict: the previous value is kept and the conflict listed
//     (unresolved) until Options.Choose picks one of the values.
//   - Not returned: carried forward with the update "No update received.
//     Previous update: …" (or "No update received." when there was none),
//     and listed in the chase list under each of its lead owners.
//   - Already complete in the statement: left out of the returns and carried
//     forward unchanged.
//
// # What the previous update says
//
// Where an action's previous update reports it done with a date ("submitted
// to Ofsted on 8th October 2020"), its return's Date completed is filled in
// with that date, and a locked cell at the row's end quotes the update: the
// lead owner keeps the date if it is right and clears it if not (Suggest).
// A date left in counts only with something else given on its row (Status
// Complete, an update): a return sent back unchanged gives nothing
// (Line.Filled), so papers' reading of an update never becomes a date
// completed unless the lead owner confirms it. Merge warns either way, so
// the clerk knows which dates came from an update. Where the update reports
// the action done with no date, or booked where the target is to book, the
// cell quotes it and asks for the date; nothing is filled in.
//
// A revised target date replaces the target: Schedule.Target becomes the
// revised date and Schedule.Text reads "Start: Sep 2020. Revised target: 31
// Mar 2021 (was Dec 2020)", so the slip shows in a comparison and the
// original target stays visible; the reason is kept in Action.Extra as
// "Reason for change". A revised date without a reason, and "Complete"
// without a date completed, are warnings.
package returns

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"papers/internal/plan"
)

// Statuses an officer chooses from, in the order the drop-down lists them.
const (
	StatusNotStarted = "Not started"
	StatusOnTrack    = "On track"
	StatusAtRisk     = "At risk"
	StatusComplete   = "Complete"
)

// Statuses lists the statuses in drop-down order.
var Statuses = []string{StatusNotStarted, StatusOnTrack, StatusAtRisk, StatusComplete}

// Field is one column of a return.
type Field int

// Fields, in the order a return shows them. The first six are locked; the
// next five are what the lead owner fills in; the last is locked.
const (
	FieldRef            Field = iota // the action's stable ref
	FieldRecommendation              // the recommendation, as the statement labels it
	FieldAction                      // the action's text
	FieldOwner                       // the lead owner(s), as the statement gives them
	FieldTarget                      // the current target, as the statement gives it
	FieldPrevious                    // the previous update
	FieldUpdate                      // the new update
	FieldStatus                      // one of Statuses
	FieldCompleted                   // the date completed
	FieldRevised                     // a revised target date
	FieldReason                      // the reason for the change of target
	// FieldSuggestion says what the previous update reports, when it reports
	// the action done (or booked, where the target is to book), and the date
	// completed filled in from it for the lead owner to keep or clear
	// (Suggest). A return made before there was such a column reads without
	// it.
	FieldSuggestion
)

// Fields lists every field in column order.
var Fields = []Field{FieldRef, FieldRecommendation, FieldAction, FieldOwner, FieldTarget, FieldPrevious,
	FieldUpdate, FieldStatus, FieldCompleted, FieldRevised, FieldReason, FieldSuggestion}

var fieldInfo = [...]struct{ header, name string }{
	FieldRef:            {"Ref", "ref"},
	FieldRecommendation: {"Recommendation", "recommendation"},
	FieldAction:         {"Action", "action"},
	FieldOwner:          {"Lead owner(s)", "owner"},
	FieldTarget:         {"Current target", "target"},
	FieldPrevious:       {"Previous update", "previous update"},
	FieldUpdate:         {"Update", "update"},
	FieldStatus:         {"Status", "status"},
	FieldCompleted:      {"Date completed", "date completed"},
	FieldRevised:        {"Revised target date", "revised target"},
	FieldReason:         {"Reason for change", "reason"},
	FieldSuggestion:     {"Date completed? (from your last update)", "date completed suggested"},
}

// Header is the field's column heading in a return workbook.
func (f Field) Header() string {
	if f < 0 || int(f) >= len(fieldInfo) {
		return fmt.Sprintf("Field(%d)", int(f))
	}
	return fieldInfo[f].header
}

// String names the field in messages and conflict keys: "update", "revised
// target", ...
func (f Field) String() string {
	if f < 0 || int(f) >= len(fieldInfo) {
		return fmt.Sprintf("Field(%d)", int(f))
	}
	return fieldInfo[f].name
}

// Editable reports whether the lead owner fills the field in (the cell is
// unlocked).
func (f Field) Editable() bool { return f >= FieldUpdate && f <= FieldReason }

// IsDate reports whether the field holds a date.
func (f Field) IsDate() bool { return f == FieldCompleted || f == FieldRevised }

// Return is one lead owner's return for a quarter: as made by Blank, or as
// read back from a workbook by workbook.ReadReturn.
type Return struct {
	File     string    // the workbook's name, for messages
	Sheet    string    // the return's sheet
	Owner    string    // the lead owner it is for; "" for the combined return of every owner
	Quarter  string    // "2021-Q1"
	Deadline time.Time // when it is due back; zero if not known
	Title    string    // the plan's title, from the statement
	Based    string    // the file name of the statement it was made from
	Lines    []Line
	// Columns maps each field to its 1-based column in the sheet, as read;
	// nil means the order of Fields.
	Columns map[Field]int
	// Problems are cells the reader could not read (a date it cannot
	// understand), kept as text.
	Problems []plan.Problem
}

// Line is one action of a return.
type Line struct {
	Row int // 1-based row in the sheet; 0 when not read from a workbook

	// Locked: what the statement says.
	Ref            string
	Recommendation string
	Action         string
	Owner          string
	Target         string
	Previous       string

	// Editable: what the lead owner gives. Zero dates are blank cells; a
	// date that could not be read has only its Text.
	Update    string
	Status    string
	Completed plan.TargetDate
	Revised   plan.TargetDate
	Reason    string

	// Suggestion is the locked text saying what the previous update
	// reports and what was filled in from it ("" when it reports nothing
	// done); see Suggest. Suggested is the date filled in from it as the
	// Date completed, zero when none was.
	Suggestion string
	Suggested  plan.TargetDate
}

// LeftSuggested reports whether the line's Date completed is the one
// filled in from the previous update, left as it was.
func (l *Line) LeftSuggested() bool {
	return !l.Suggested.IsZero() && !l.Completed.IsZero() && l.Completed.Date.Equal(l.Suggested.Date)
}

// Text returns a field's value as text: dates as dd/mm/yyyy (or the text
// typed, when it could not be read).
func (l *Line) Text(f Field) string {
	switch f {
	case FieldRef:
		return l.Ref
	case FieldRecommendation:
		return l.Recommendation
	case FieldAction:
		return l.Action
	case FieldOwner:
		return l.Owner
	case FieldTarget:
		return l.Target
	case FieldPrevious:
		return l.Previous
	case FieldUpdate:
		return l.Update
	case FieldStatus:
		return l.Status
	case FieldCompleted:
		return dateText(l.Completed)
	case FieldRevised:
		return dateText(l.Revised)
	case FieldReason:
		return l.Reason
	case FieldSuggestion:
		return l.Suggestion
	}
	return ""
}

// Filled reports whether the lead owner gave anything in the line's
// editable cells. A Date completed filled in from the previous update and
// left as it was is not enough: a return saved unchanged gives nothing, and
// never confirms a date papers read from an update.
func (l *Line) Filled() bool {
	for _, f := range Fields {
		if !f.Editable() || tidy(l.Text(f)) == "" || f == FieldCompleted && l.LeftSuggested() {
			continue
		}
		return true
	}
	return false
}

func dateText(d plan.TargetDate) string {
	if d.IsZero() {
		return d.Text
	}
	return d.Date.Format("02/01/2006")
}

// Cell names a field's cell in one of the return's rows: "G7".
func (r *Return) Cell(f Field, row int) string {
	col := int(f) + 1
	if c, ok := r.Columns[f]; ok {
		col = c
	}
	return columnName(col) + strconv.Itoa(row)
}

// columnName is a 1-based column's letters: 1 → A, 27 → AA.
func columnName(c int) string {
	var b []byte
	for ; c > 0; c = (c - 1) / 26 {
		b = append([]byte{byte('A' + (c-1)%26)}, b...)
	}
	return string(b)
}

// Quarter is a calendar quarter: 2021-Q1 is January to March 2021.
type Quarter struct {
	Year int
	N    int // 1 to 4
}

var quarterRE = regexp.MustCompile(`^(\d{4})-?[Qq]([1-4])$`)

// ParseQuarter reads "2021-Q1".
func ParseQuarter(s string) (Quarter, error) {
	m := quarterRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return Quarter{}, fmt.Errorf("quarter %q: write it as YYYY-Qn, e.g. 2021-Q1 (January to March 2021)", s)
	}
	y, _ := strconv.Atoi(m[1])
	n, _ := strconv.Atoi(m[2])
	return Quarter{y, n}, nil
}

// QuarterOf returns the quarter a day falls in.
func QuarterOf(t time.Time) Quarter { return Quarter{t.Year(), (int(t.Month())-1)/3 + 1} }

// String writes the quarter as "2021-Q1".
func (q Quarter) String() string { return fmt.Sprintf("%d-Q%d", q.Year, q.N) }

// Start is the quarter's first day, midnight UTC.
func (q Quarter) Start() time.Time { return plan.Day(q.Year, time.Month(3*q.N-2), 1) }

// End is the quarter's last day, midnight UTC.
func (q Quarter) End() time.Time { return q.Next().Start().AddDate(0, 0, -1) }

// Next is the quarter after q.
func (q Quarter) Next() Quarter {
	if q.N == 4 {
		return Quarter{q.Year + 1, 1}
	}
	return Quarter{q.Year, q.N + 1}
}

// Label says which months the quarter is: "January to March 2021".
func (q Quarter) Label() string {
	return q.Start().Format("January") + " to " + q.End().Format("January 2006")
}

// tidy collapses white space, for comparing what was typed.
func tidy(s string) string { return strings.Join(strings.Fields(s), " ") }
