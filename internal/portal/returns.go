package portal

import (
	"context"
	"errors"
	"strings"
	"time"

	"papers/internal/plan"
)

// ErrUnavailable is what a ReturnMaker or ReturnMerger reports when it
// cannot do its job in this build. The portal says so on the page and
// changes nothing.
var ErrUnavailable = errors.New("not available yet")

// ErrNothingToReturn is what a ReturnMaker reports when a lead owner has no
// open actions to report on.
var ErrNothingToReturn = errors.New("nothing to return")

// ReturnMaker writes a lead owner's pre-filled return for a quarter: their
// actions from the latest statement, for them to update.
type ReturnMaker interface {
	ReturnWorkbook(ctx context.Context, latest *plan.Statement, owner, quarter string, deadline time.Time) ([]byte, error)
}

// ReturnMerger reads returns and applies them to the latest statement, the
// one they were made from. The portal knows nothing of a return's layout:
// reading one is the merger's job. choose resolves conflicts: it maps a
// Conflict's Key to the number of the value to take in its Values,
// counting from 1 ("2"); it may be nil.
type ReturnMerger interface {
	Merge(latest *plan.Statement, quarter string, returns []ReturnFile, choose map[string]string) (Merged, error)
}

// ReturnFile is a return workbook as uploaded, for the lead owner it was
// submitted for.
type ReturnFile struct {
	Owner string
	Name  string // for messages only
	Bytes []byte
}

// Merged is the latest statement with the returns applied.
type Merged struct {
	Statement *plan.Statement
	// Workbook is Statement as a workbook: what is kept as the quarter's
	// statement when the clerk accepts it.
	Workbook []byte
	// Returns says how each return given went, in the order given.
	Returns   []ReturnResult
	Conflicts []Conflict // unresolved
	Resolved  []Conflict // resolved by choose
}

// ReturnResult is how one return was read and merged.
type ReturnResult struct {
	// Rejected says why the return was left out of the merge ("" when it
	// was merged): it cannot be read, is for another quarter or lead owner,
	// or its locked cells were changed (listed in Problems as errors).
	Rejected string
	Refs     []string       // the actions the return has lines for
	Blank    []string       // of those, the ones left empty
	Problems []plan.Problem // cells to look at, by cell
}

// Conflict is an action the returns disagree about, for the clerk.
type Conflict struct {
	Key     string   // names the conflict in choose ("2.2:update")
	Ref     string   // the action's ref in the latest statement
	Field   string   // the field the returns disagree about ("update", "revised target")
	Owners  []string // whose returns disagree
	Message string   // what differs
	Values  []ConflictValue
	Chosen  int // the index in Values of the value taken, or -1
}

// ConflictValue is one of the values returns give in a conflict.
type ConflictValue struct {
	Text string
	From []string // who gave it: lead owners' names (or file names)
}

// FieldName names the field the returns disagree about, as people say it:
// Field if the merger gave it, else the field part of Key ("update").
func (c Conflict) FieldName() string {
	if c.Field != "" {
		return c.Field
	}
	if _, f, ok := strings.Cut(c.Key, ":"); ok {
		return f
	}
	return "value"
}
