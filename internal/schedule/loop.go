package schedule

import (
	"context"
	"time"
)

// maxSleep bounds each wait, so a clock step or a suspended host delays a
// run by at most this much.
const maxSleep = time.Hour

// Loop calls run at every time spec gives, until ctx ends. now and after are
// the clock (time.Now and time.After in production; a fake in tests);
// workingDay is the calendar for "NW" days. If lastRun (zero: the job has
// never run) is before the most recent due time — the server was down when
// a run was due — it runs at once. Runs never overlap: the next time is worked out after a run returns.
func Loop(ctx context.Context, spec *Spec, workingDay func(time.Time) bool, now func() time.Time,
	after func(time.Duration) <-chan time.Time, lastRun time.Time, run func(ctx context.Context, due time.Time)) {
	if missed := spec.Last(now(), workingDay); !missed.IsZero() && !lastRun.IsZero() && lastRun.Before(missed) {
		run(ctx, missed)
	}
	for {
		due := spec.Next(now(), workingDay)
		if due.IsZero() {
			return
		}
		for now().Before(due) {
			select {
			case <-ctx.Done():
				return
			case <-after(min(due.Sub(now()), maxSleep)):
			}
		}
		if ctx.Err() != nil {
			return
		}
		run(ctx, due)
	}
}

// Last returns the most recent time at or before t that the spec matched,
// looking back up to a year; zero if none.
func (s *Spec) Last(t time.Time, workingDay func(time.Time) bool) time.Time {
	var last time.Time
	for d := s.Next(t.AddDate(-1, 0, 0), workingDay); !d.IsZero() && !d.After(t); d = s.Next(d, workingDay) {
		last = d
	}
	return last
}
