// Package quarter is the one use case of a quarter's report, shared by the
// command line (papers report), the portal (a clerk's report build) and the
// scheduler (papers run-scheduled, and the run inside papers serve):
//
//  1. pick the quarter's statements, by role (plan.Inputs): from workbooks
//     named on the command line (FromFiles) or from the history
//     (FromHistory: the quarter's accepted statement, the latest one of an
//     earlier quarter, the plan as agreed; withdrawn statements never
//     count);
//  2. compare, build and write the report, all or none (Write, through
//     pipeline.Write: a fresh folder swapped into place);
//  3. record the run in the history (Record, the one place a run is
//     recorded: the scheduler's runs go through it too).
//
// In a plan's first quarter, with no earlier statement, the current one is
// compared with the plan as agreed: that rule is plan.Inputs.ComparedWith,
// and the report says so (plan.Comparison.ComparedWithBaseline).
package quarter

import (
	"context"
	"errors"
	"time"

	"papers/internal/pipeline"
	"papers/internal/plan"
	"papers/internal/store"
)

// Picked are a quarter's statements and where they came from.
type Picked struct {
	plan.Inputs
	// Plan and Quarter name the plan and the current statement's quarter
	// in the history; "" when not known (workbooks named on the command
	// line).
	Plan, Quarter string
	// Files name the statements taken from the history, with their
	// SHA-256, for the run's record: the current one first (when it came
	// from the history), then the previous one and the baseline, each
	// when there is one.
	Files []store.FileRef
}

// Errors for the conditions callers tell apart (errors.Is). Both also
// match store.ErrNotFound.
var (
	// ErrNoStatement: the history holds no accepted statement for the plan
	// (or for the quarter asked for).
	ErrNoStatement = errors.New("no accepted statement")
	// ErrNothingToCompare: the history holds neither an earlier statement
	// nor the plan as agreed to compare the current statement with.
	ErrNothingToCompare = errors.New("nothing to compare with")
)

// notFound is a store.ErrNotFound that also says which of the errors
// above it is; its message is the store's.
type notFound struct {
	kind error
	err  error
}

func (e *notFound) Error() string   { return e.err.Error() }
func (e *notFound) Unwrap() []error { return []error{e.kind, e.err} }

// Recorder keeps run records: the history store.
type Recorder interface {
	StartRun(ctx context.Context, s store.RunStart) (store.Run, error)
	FinishRun(ctx context.Context, id int64, res store.RunResult) (store.Run, error)
}

// Job says how a build is recorded: under which name, in which store, with
// which clock (run records are the only place the clock is read). The zero
// Job records nothing: papers report from the command line keeps no record.
type Job struct {
	Name   string // "portal-report", "quarterly", ...
	Record Recorder
	Now    func() time.Time
}

// Result is what a run made: its outputs and any warnings.
type Result struct {
	Outputs  []store.FileRef
	Warnings []string
}

// Write compares the picked statements, builds the report and writes its
// files at t, all or none (pipeline.Write: a failure or a stop leaves the
// files that were there before as they were). When job has a Recorder, the
// build is recorded as one run: started before the work, finished after
// it, failed with its error when the build fails (see Record). It returns
// the report written and the run recorded (zero when none is).
func Write(ctx context.Context, job Job, in Picked, s pipeline.Settings, t pipeline.Target, progress func(stage string)) (*pipeline.Written, store.Run, error) {
	if job.Record == nil {
		w, err := pipeline.Write(ctx, in.Inputs, s, t, progress)
		return w, store.Run{}, err
	}
	var w *pipeline.Written
	start := store.RunStart{Job: job.Name, Plan: in.Plan, Quarter: in.Quarter, Inputs: in.Files}
	run, _, err := Record(ctx, job.Record, start, job.Now, func(ctx context.Context) (Result, error) {
		var err error
		if w, err = pipeline.Write(ctx, in.Inputs, s, t, progress); err != nil {
			return Result{}, err
		}
		return Result{Outputs: outputs(w)}, nil
	})
	if err != nil {
		return nil, run, err
	}
	return w, run, nil
}

// outputs names the files of a written report, by path, with their
// SHA-256 when the target asked for them.
func outputs(w *pipeline.Written) []store.FileRef {
	refs := make([]store.FileRef, len(w.Files))
	for i, f := range w.Files {
		refs[i] = store.FileRef{Name: f.Path, SHA256: f.SHA256}
	}
	return refs
}

// Record does work as one run recorded in rec: the start (now, with
// start's job, plan, quarter and inputs) before the work, and the end
// after it — OK; with warnings when the work gave some; failed, with the
// error and no outputs, when it failed. The end is recorded even when ctx
// has ended (a stop): the run is over either way. A run whose start cannot
// be recorded is not done. It returns the run as finished, the work's
// result, and the work's error or else a recording error.
func Record(ctx context.Context, rec Recorder, start store.RunStart, now func() time.Time, work func(ctx context.Context) (Result, error)) (store.Run, Result, error) {
	start.StartedAt = now()
	run, err := rec.StartRun(ctx, start)
	if err != nil {
		return store.Run{}, Result{}, wrapf(start.Job, "recording the run", err)
	}
	res, err := work(ctx)
	end := store.RunResult{FinishedAt: now(), Status: store.RunOK, Outputs: res.Outputs, Warnings: res.Warnings}
	if len(res.Warnings) > 0 {
		end.Status = store.RunWarnings
	}
	if err != nil {
		end.Status, end.Error, end.Outputs = store.RunFailed, err.Error(), nil
	}
	finished, rerr := rec.FinishRun(context.WithoutCancel(ctx), run.ID, end)
	if rerr == nil {
		run = finished
	} else if err == nil {
		err = wrapf(start.Job, "recording the run's end", rerr)
	}
	return run, res, err
}
