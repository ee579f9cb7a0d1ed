package plan

import "time"

// Change says how an action moved between the previous and current statement.
type Change string

// Changes.
const (
	ChangeNew     Change = "new"     // in the current statement only
	ChangeRemoved Change = "removed" // in the previous statement only
	ChangeCarried Change = "carried" // in both
)

// Status is an action's position as of the report date.
type Status string

// Statuses, in the order reports list them.
const (
	StatusOverdue      Status = "overdue"       // past its target and not complete
	StatusDueSoon      Status = "due_soon"      // target within the due-soon window
	StatusOnTrack      Status = "on_track"      // target further off
	StatusNoDate       Status = "no_date"       // no target date could be read
	StatusCompleteLate Status = "complete_late" // completed after its target
	StatusComplete     Status = "complete"      // completed on or before its target
	StatusRemoved      Status = "removed"       // no longer in the plan
)

// Statuses lists every status in report order.
var Statuses = []Status{StatusOverdue, StatusDueSoon, StatusOnTrack, StatusNoDate, StatusCompleteLate, StatusComplete, StatusRemoved}

// Label is the status as a report shows it.
func (s Status) Label() string {
	switch s {
	case StatusOverdue:
		return "Overdue"
	case StatusDueSoon:
		return "Due soon"
	case StatusOnTrack:
		return "On track"
	case StatusNoDate:
		return "No date"
	case StatusCompleteLate:
		return "Complete (late)"
	case StatusComplete:
		return "Complete"
	case StatusRemoved:
		return "Removed"
	}
	return string(s)
}

// Match records how an action was paired with one in the previous statement.
type Match struct {
	PreviousRef string  `json:"previous_ref"`
	Score       float64 `json:"score"`  // 0..1; 1 for identical text or the same given Ref
	Reason      string  `json:"reason"` // "ref", "identical", "normalised", "similar (same recommendation)", "similar (other recommendation)"
}

// PossibleMatch is a pairing below the match threshold, left for the clerk
// to judge: the actions are reported as removed and new, never merged.
type PossibleMatch struct {
	PreviousRef string  `json:"previous_ref"`
	CurrentRef  string  `json:"current_ref"`
	Score       float64 `json:"score"`
}

// ActionChange is one action's line in a comparison.
type ActionChange struct {
	// Action is the action as the current statement has it, or as the
	// previous one had it when Change is ChangeRemoved.
	Action   Action  `json:"-"`
	Previous *Action `json:"-"`
	Baseline *Action `json:"-"`

	Change              Change `json:"change"`
	Status              Status `json:"status"`
	OverdueDays         int    `json:"overdue_days"`
	CompletedLateDays   int    `json:"completed_late_days"`
	CompletedThisPeriod bool   `json:"completed_this_period"`
	UpdateChanged       bool   `json:"update_changed"`
	// UpdateCopied is set when the update is word for word last quarter's.
	UpdateCopied bool `json:"update_copied"`
	OwnerChanged bool `json:"owner_changed"`
	// SlipDays is the current target minus the previous one; nil when either
	// is unknown. BaselineSlipDays is the same against the baseline plan.
	SlipDays         *int `json:"slip_days"`
	BaselineSlipDays *int `json:"baseline_slip_days"`
	TimesMoved       int  `json:"times_moved"`

	RAG         RAG `json:"rag"`          // derived by the configured rules
	ReportedRAG RAG `json:"reported_rag"` // the officer's own, if any

	// UpdateSays is what the action's update reports (done, booked, in
	// progress, postponed), read from its words: shown, never applied.
	UpdateSays UpdateSays `json:"-"`

	Match         *Match         `json:"match,omitempty"`
	PossibleMatch *PossibleMatch `json:"possible_match,omitempty"`
}

// The rules for a moved target, each used by name wherever it is needed:
//   - Slipped: the target moved later than the previous statement's,
//     whether or not the action is now complete (the JSON's
//     summary.slipped counts these);
//   - SlippedOpen: slipped, still in the plan and not complete (what the
//     cover lists as slipped, and what the RAG rules mark);
//   - BroughtForward: the target moved earlier;
//   - TargetMoved: either (Appendix 3 lists these);
//   - SlippedFromBaseline and MovedFromBaseline: the same against the plan
//     as agreed;
//   - TargetLost: a target last time, none that can be read now.

// Slipped reports whether the target moved later than the previous statement's.
func (c *ActionChange) Slipped() bool { return c.SlipDays != nil && *c.SlipDays > 0 }

// SlippedOpen reports whether the action slipped and is still open: in the
// plan and not complete.
func (c *ActionChange) SlippedOpen() bool {
	return c.Slipped() && c.Change != ChangeRemoved && !c.Action.IsComplete()
}

// BroughtForward reports whether the target moved earlier than the
// previous statement's.
func (c *ActionChange) BroughtForward() bool { return c.SlipDays != nil && *c.SlipDays < 0 }

// TargetMoved reports whether the target moved, later or earlier.
func (c *ActionChange) TargetMoved() bool { return c.SlipDays != nil && *c.SlipDays != 0 }

// SlippedFromBaseline reports whether the target is later than the plan as
// agreed had it.
func (c *ActionChange) SlippedFromBaseline() bool {
	return c.BaselineSlipDays != nil && *c.BaselineSlipDays > 0
}

// MovedFromBaseline reports whether the target differs from the plan as
// agreed's, later or earlier.
func (c *ActionChange) MovedFromBaseline() bool {
	return c.BaselineSlipDays != nil && *c.BaselineSlipDays != 0
}

// TargetLost reports whether an action still open had a target date in the
// previous statement and has none that can be read now ("Ongoing", a
// mistyped date): a way off the exception lists that the panel must see.
func (c *ActionChange) TargetLost() bool {
	return c.Change == ChangeCarried && c.Previous != nil && !c.Previous.Schedule.Target.IsZero() &&
		c.Action.Schedule.Target.IsZero() && !c.Action.IsComplete()
}

// StatementRef names a statement in a comparison.
type StatementRef struct {
	File  string `json:"file"`
	Title string `json:"title"`
}

// Summary counts a comparison's actions.
type Summary struct {
	Total               int            `json:"total"`
	ByStatus            map[Status]int `json:"by_status"`
	ByChange            map[Change]int `json:"by_change"`
	CompletedThisPeriod int            `json:"completed_this_period"`
	Slipped             int            `json:"slipped"`
	UpdateCopied        int            `json:"update_copied"`
	OwnerChanged        int            `json:"owner_changed"`
	PossibleMatches     int            `json:"possible_matches"`
}

// Comparison is the current statement set against the previous one and the
// baseline plan, as of a date.
type Comparison struct {
	AsOf     time.Time  `json:"-"`
	Previous *Statement `json:"-"`
	Current  *Statement `json:"-"`
	Baseline *Statement `json:"-"` // nil when no baseline was given
	Summary  Summary    `json:"-"`
	// Actions are in current statement order, each removed action placed
	// after the last carried action of its recommendation.
	Actions []ActionChange `json:"-"`
}
