package quarter

import (
	"context"
	"errors"
	"fmt"

	"papers/internal/pipeline"
	"papers/internal/plan"
	"papers/internal/store"
)

// History is what picking reads: the history store. Withdrawn statements
// are left out by the store itself.
type History interface {
	Latest(ctx context.Context, planName string, kind store.Kind, before string) (store.StatementRecord, *plan.Statement, error)
	History(ctx context.Context, planName string) ([]store.StatementRecord, error)
	Statement(ctx context.Context, id int64) (store.StatementRecord, *plan.Statement, []byte, error)
}

// Query says which quarter's statements to pick from the history.
type Query struct {
	Plan string
	// Quarter is the quarter to report ("2021-Q1"): its accepted
	// statement, latest version, is the current one. "" takes the latest
	// accepted statement of any quarter.
	Quarter string
	// Current, when set, is the current statement, read from a workbook
	// rather than the history. Quarter is then the quarter the history
	// holds that workbook under (QuarterOf), or "": a statement already
	// in the history is compared with the quarter before its own, never
	// with itself; one not in it, with the latest in the history.
	Current *plan.Statement
}

// FromHistory picks a quarter's statements from the history: the current
// one (see Query), the latest statement of a quarter before it (Previous,
// nil in the plan's first quarter) and the latest plan as agreed
// (Baseline, nil when there is none). It fails with ErrNoStatement when
// there is no current statement, with ErrNothingToCompare when there is
// neither a previous statement nor a baseline, and with
// pipeline.ErrStopped when ctx ends (a query cut short by a signal is a
// stop, not missing history).
func FromHistory(ctx context.Context, h History, q Query) (Picked, error) {
	in := Picked{Plan: q.Plan, Quarter: q.Quarter}
	in.Current = q.Current
	if in.Current == nil {
		var (
			rec store.StatementRecord
			err error
		)
		if q.Quarter == "" {
			rec, in.Current, err = h.Latest(ctx, q.Plan, store.KindStatement, "")
		} else {
			rec, in.Current, err = Accepted(ctx, h, q.Plan, q.Quarter)
		}
		switch {
		case ctx.Err() != nil:
			return Picked{}, pipeline.ErrStopped
		case errors.Is(err, store.ErrNotFound):
			return Picked{}, fmt.Errorf("history: no accepted statement for %q: %w", q.Plan, &notFound{ErrNoStatement, err})
		case err != nil:
			return Picked{}, err
		}
		in.Quarter = rec.Quarter
		in.Files = append(in.Files, ref(rec))
	}
	prev, base, err := around(ctx, h, q.Plan, in.Quarter)
	if err != nil {
		return Picked{}, err
	}
	in.Previous, in.Baseline = prev.st, base.st
	if in.ComparedWith() == nil {
		return Picked{}, fmt.Errorf("history: no statement before %s for %q to compare with: %w", in.Quarter, q.Plan, &notFound{ErrNothingToCompare, prev.err})
	}
	for _, f := range []found{prev, base} {
		if f.st != nil {
			in.Files = append(in.Files, ref(f.rec))
		}
	}
	return in, nil
}

// ComparedWith finds in the history what a quarter's statement is compared
// with (plan.Inputs.ComparedWith): the latest statement of an earlier
// quarter, or in the plan's first quarter the plan as agreed. Officers'
// returns start from it. It fails with ErrNothingToCompare when there is
// neither.
func ComparedWith(ctx context.Context, h History, planName, quarter string) (store.StatementRecord, *plan.Statement, error) {
	prev, base, err := around(ctx, h, planName, quarter)
	if err != nil {
		return store.StatementRecord{}, nil, err
	}
	in := plan.Inputs{Previous: prev.st, Baseline: base.st}
	switch in.ComparedWith() {
	case nil:
		return store.StatementRecord{}, nil, &notFound{ErrNothingToCompare, prev.err}
	case prev.st:
		return prev.rec, prev.st, nil
	default:
		return base.rec, base.st, nil
	}
}

// Accepted returns a quarter's accepted statement, latest version (a
// withdrawn one does not count). It fails with store.ErrNotFound when there
// is none.
func Accepted(ctx context.Context, h History, planName, quarter string) (store.StatementRecord, *plan.Statement, error) {
	hist, err := h.History(ctx, planName)
	if err != nil {
		return store.StatementRecord{}, nil, err
	}
	var last *store.StatementRecord
	for i, r := range hist {
		if r.Kind == store.KindStatement && r.Quarter == quarter {
			last = &hist[i]
		}
	}
	if last == nil {
		return store.StatementRecord{}, nil, fmt.Errorf("accepted statement of plan %q for %s: %w", planName, quarter, store.ErrNotFound)
	}
	rec, st, _, err := h.Statement(ctx, last.ID)
	return rec, st, err
}

// QuarterOf is the quarter under which the history holds a statement with
// these bytes, or "" when it does not hold it.
func QuarterOf(ctx context.Context, h History, planName string, b []byte) (string, error) {
	recs, err := h.History(ctx, planName)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	sum := store.Digest(b)
	for _, r := range recs {
		if r.Kind == store.KindStatement && r.SHA256 == sum {
			return r.Quarter, nil
		}
	}
	return "", nil
}

// found is a statement the history gave, or why it gave none.
type found struct {
	rec store.StatementRecord
	st  *plan.Statement
	err error // store.ErrNotFound, wrapped, when st is nil
}

// around finds the latest statement of a quarter before quarter ("" for
// any) and the latest baseline, each nil when there is none.
func around(ctx context.Context, h History, planName, quarter string) (prev, base found, err error) {
	prev.rec, prev.st, prev.err = h.Latest(ctx, planName, store.KindStatement, quarter)
	base.rec, base.st, base.err = h.Latest(ctx, planName, store.KindBaseline, "")
	if ctx.Err() != nil {
		return found{}, found{}, pipeline.ErrStopped
	}
	for _, f := range []found{prev, base} {
		if f.err != nil && !errors.Is(f.err, store.ErrNotFound) {
			return found{}, found{}, f.err
		}
	}
	return prev, base, nil
}

func ref(r store.StatementRecord) store.FileRef {
	return store.FileRef{Name: r.FileName, SHA256: r.SHA256}
}

func wrapf(job, what string, err error) error { return fmt.Errorf("%s: %s: %w", job, what, err) }
