package quarter

import (
	"context"
	"sync"

	"papers/internal/pipeline"
	"papers/internal/plan"
)

// Files are the workbooks of a quarter named on the command line, by role,
// and how to read them.
type Files struct {
	// Previous may be "" in a plan's first quarter: the current statement
	// is then compared with the Baseline (plan.Inputs.ComparedWith).
	// Baseline may be "", and may be the Previous file itself.
	Previous, Current, Baseline string
	// Read reads one workbook; role says which ("current statement",
	// "previous statement", "baseline plan"), for progress messages.
	Read func(role, path string) (*plan.Statement, error)
	// Checked, if set, is given each statement read, in the order current,
	// previous, baseline, once all are read: so their problems are listed
	// in the same order every time, though the reads run side by side.
	Checked func(*plan.Statement)
}

// FromFiles reads a quarter's workbooks side by side. A baseline that is
// the previous file is read once. When ctx ends first it returns
// pipeline.ErrStopped at once: the reads finish in the background, unused.
func FromFiles(ctx context.Context, f Files) (Picked, error) {
	paths := []string{f.Current, f.Previous, f.Baseline}
	roles := []string{"current statement", "previous statement", "baseline plan"}
	if f.Baseline == f.Previous {
		paths[2] = ""
	}
	stmts := make([]*plan.Statement, 3)
	errs := make([]error, 3)
	var wg sync.WaitGroup
	for i := range paths {
		if paths[i] == "" {
			continue
		}
		wg.Go(func() { stmts[i], errs[i] = f.Read(roles[i], paths[i]) })
	}
	readDone := make(chan struct{})
	go func() { wg.Wait(); close(readDone) }()
	select {
	case <-readDone:
	case <-ctx.Done():
		return Picked{}, pipeline.ErrStopped
	}
	for i, err := range errs {
		if err != nil {
			return Picked{}, err
		}
		if f.Checked != nil && stmts[i] != nil {
			f.Checked(stmts[i])
		}
	}
	in := Picked{Inputs: plan.Inputs{Current: stmts[0], Previous: stmts[1], Baseline: stmts[2]}}
	if f.Baseline != "" && f.Baseline == f.Previous {
		in.Baseline = in.Previous
	}
	return in, nil
}
