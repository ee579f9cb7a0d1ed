package schedule

import (
	"context"
	"time"
)

// Loop calls run at every time spec gives, until ctx ends. now and after are
// the clock (time.Now and time.After in production; a fake in tests);
// workingDay is the calendar for "NW" days. Runs never overlap: the next
// time is worked out after a run returns.
func Loop(ctx context.Context, spec *Spec, workingDay func(time.Time) bool, now func() time.Time,
	after func(time.Duration) <-chan time.Time, run func(ctx context.Context, due time.Time)) {
	for {
		due := spec.Next(now(), workingDay)
		if due.IsZero() {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-after(due.Sub(now())):
		}
		if ctx.Err() != nil {
			return
		}
		run(ctx, due)
	}
}
