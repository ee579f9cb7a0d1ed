package schedule

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"papers/internal/atomicfile"
	"papers/internal/quarter"
	"papers/internal/store"
)

// Recorder keeps run records: the history store.
type Recorder interface {
	quarter.Recorder
	Runs(ctx context.Context, limit int) ([]store.Run, error)
}

// Inputs are what a run would work from: the latest accepted statements.
type Inputs struct {
	Plan    string
	Quarter string
	Files   []store.FileRef // name and sha-256 of each input
}

// Result is what a build produced in its folder.
type Result = quarter.Result

// Runner does one scheduled job.
type Runner struct {
	Job    string // e.g. "quarterly"
	Lock   string // lock file path
	Out    string // the folder the outputs live in; replaced whole by a successful run
	Record Recorder
	Now    func() time.Time // run records only; the outputs never read the clock

	// Inputs finds the latest inputs. Build writes the outputs into dir, a
	// fresh folder beside Out.
	Inputs func(ctx context.Context) (Inputs, error)
	Build  func(ctx context.Context, in Inputs, dir string) (Result, error)
}

// Outcome says what a run did.
type Outcome int

// Outcomes.
const (
	Built      Outcome = iota // new outputs are in place
	NothingNew                // the inputs are those of the last good run: nothing was done
)

// RunOnce does one run: it takes the lock, skips the run when the inputs are
// those of the last successful run, builds into a temporary folder, swaps it
// into place and records the run. A failed run leaves the previous outputs
// as they were and is recorded with its error.
func (r *Runner) RunOnce(ctx context.Context) (Outcome, error) {
	lock, err := Acquire(r.Lock)
	if err != nil {
		return NothingNew, err
	}
	defer lock.Release()
	if err := r.closeInterrupted(ctx); err != nil {
		return NothingNew, err
	}
	cleanLeftovers(r.Out)

	in, err := r.Inputs(ctx)
	if err != nil {
		return NothingNew, fmt.Errorf("%s: finding the inputs: %w", r.Job, err)
	}
	if last, ok, err := r.lastGood(ctx); err != nil {
		return NothingNew, err
	} else if ok && sameInputs(last.Inputs, in.Files) && dirExists(r.Out) {
		return NothingNew, nil
	}

	// The run is recorded as every report build is (quarter.Record): its
	// end even when ctx was cancelled (SIGTERM), as failed when it failed.
	start := store.RunStart{Job: r.Job, Plan: in.Plan, Quarter: in.Quarter, Inputs: in.Files}
	if _, _, err := quarter.Record(ctx, r.Record, start, r.Now, func(ctx context.Context) (Result, error) { return r.build(ctx, in) }); err != nil {
		return NothingNew, err
	}
	return Built, nil
}

// build makes the outputs in a temporary folder and swaps it into place.
func (r *Runner) build(ctx context.Context, in Inputs) (Result, error) {
	parent := filepath.Dir(r.Out)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return Result{}, fmt.Errorf("cannot create output folder %s: %w", parent, err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(r.Out)+".building-")
	if err != nil {
		return Result{}, fmt.Errorf("cannot write to output folder %s: %w", parent, err)
	}
	defer os.RemoveAll(tmp) // after a swap it holds the previous outputs
	res, err := r.Build(ctx, in, tmp)
	if err != nil {
		return Result{}, err
	}
	if err := ctx.Err(); err != nil {
		return Result{}, fmt.Errorf("stopped before the outputs were put in place: %w", err)
	}
	os.Chmod(tmp, 0o755)
	if err := atomicfile.SwapDir(tmp, r.Out); err != nil {
		return Result{}, err
	}
	return res, nil
}

// closeInterrupted marks runs still recorded as running as failed: with the
// lock held, no process is running them any more.
func (r *Runner) closeInterrupted(ctx context.Context) error {
	runs, err := r.Record.Runs(ctx, 20)
	if err != nil {
		return fmt.Errorf("%s: reading run records: %w", r.Job, err)
	}
	for _, run := range runs {
		if run.Job == r.Job && run.Status == store.RunRunning {
			_, err := r.Record.FinishRun(ctx, run.ID, store.RunResult{FinishedAt: r.Now(), Status: store.RunFailed,
				Error: "interrupted: the run's process ended before it finished; its outputs were not used"})
			if err != nil {
				return fmt.Errorf("%s: closing interrupted run %d: %w", r.Job, run.ID, err)
			}
		}
	}
	return nil
}

func (r *Runner) lastGood(ctx context.Context) (store.Run, bool, error) {
	runs, err := r.Record.Runs(ctx, 50)
	if err != nil {
		return store.Run{}, false, fmt.Errorf("%s: reading run records: %w", r.Job, err)
	}
	for _, run := range runs { // newest first
		if run.Job == r.Job && (run.Status == store.RunOK || run.Status == store.RunWarnings) {
			return run, true, nil
		}
	}
	return store.Run{}, false, nil
}

func sameInputs(a, b []store.FileRef) bool {
	key := func(refs []store.FileRef) []string {
		k := make([]string, len(refs))
		for i, f := range refs {
			k[i] = f.Name + "\x00" + f.SHA256
		}
		slices.Sort(k)
		return k
	}
	return len(a) > 0 && slices.Equal(key(a), key(b))
}

// cleanLeftovers removes temporary folders a crashed run left beside out.
func cleanLeftovers(out string) {
	m, _ := filepath.Glob(filepath.Join(filepath.Dir(out), "."+filepath.Base(out)+".building-*"))
	for _, d := range m {
		if strings.Contains(filepath.Base(d), ".building-") {
			os.RemoveAll(d)
		}
	}
}

func dirExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}
