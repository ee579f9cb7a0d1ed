package plan

import "time"

// UpdateState is what an officer's update reports about its action, as
// papers reads the update's words (package updates).
type UpdateState string

// Update states.
const (
	UpdateNone       UpdateState = "none"        // nothing clear: no update, or none of the below
	UpdateDone       UpdateState = "done"        // reported done: "took place", "was submitted", "is now in place"
	UpdateBooked     UpdateState = "booked"      // booked or scheduled: "booked for 12/11/2020"
	UpdateInProgress UpdateState = "in_progress" // under way or still to do: "is being", "still to be", "not yet"
	UpdatePostponed  UpdateState = "postponed"   // postponed, paused or put back: "postponed to February 2021"
)

// Label is the state as a report words it: "done", "booked", "in
// progress", "postponed", "nothing clear".
func (s UpdateState) Label() string {
	switch s {
	case UpdateDone:
		return "done"
	case UpdateBooked:
		return "booked"
	case UpdateInProgress:
		return "in progress"
	case UpdatePostponed:
		return "postponed"
	}
	return "nothing clear"
}

// UpdateSays is what an action's update reports, read from the officer's
// words. It is shown beside the action with the words quoted; it never
// changes the action's status or dates: only a "Date completed" does.
type UpdateSays struct {
	State UpdateState
	// Date is the date the update gives for it: the day (or month) done,
	// the first date booked, the date postponed to. Zero when none is
	// given. A month is its last day, as in a "Date completed" cell.
	Date TargetDate
	// Quote is the sentence it was read from, as the officer wrote it
	// (white space collapsed); "" when State is UpdateNone.
	Quote string
	// BookingTarget is set when the action's target is to diarise, book
	// or schedule something, which a booking then meets.
	BookingTarget bool
}

// IsZero reports whether nothing was read (the zero UpdateSays, as
// opposed to a reading of UpdateNone).
func (u UpdateSays) IsZero() bool { return u.State == "" }

// ReportsMet reports whether the update says the action's target was met:
// done, or booked when the target is to diarise, book or schedule. The
// lead owner is then asked to confirm a completion date; the action stays
// as its dates say until they do.
func (u UpdateSays) ReportsMet() bool {
	return u.State == UpdateDone || u.State == UpdateBooked && u.BookingTarget
}

// Passed reports whether the update's date is before asOf: a booking
// whose day has come and gone. A month has passed when its last day has.
func (u UpdateSays) Passed(asOf time.Time) bool {
	return !u.Date.IsZero() && DaysBetween(u.Date.Date, asOf) > 0
}

// Phrase says in a few words what the update reports, for a report's
// sentence: "done on 8 Oct 2020", "done in Oct 2020", "booked for 12 Nov
// 2020", "in progress", "postponed to Feb 2021", "nothing clear". A
// booking whose date is before asOf says so: "booked for 12 Nov 2020, a
// date now passed" (a zero asOf leaves that out).
func (u UpdateSays) Phrase(asOf time.Time) string {
	s := u.State.Label()
	if u.Date.IsZero() {
		return s
	}
	on := " on "
	if u.Date.Precision != PrecisionDay {
		on = " in "
	}
	switch u.State {
	case UpdateDone:
		return s + on + u.Date.Display()
	case UpdateBooked:
		s += " for " + u.Date.Display()
		if !asOf.IsZero() && u.Passed(asOf) {
			s += ", a date now passed"
		}
		return s
	case UpdatePostponed:
		return s + " to " + u.Date.Display()
	}
	return s
}
