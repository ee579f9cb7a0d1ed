// Package schedule runs the quarterly job unattended: a cron expression says
// when, a lock file keeps two runs from overlapping (the kernel releases it
// if a run crashes), and each run builds into a temporary folder that
// replaces the previous outputs only when it has succeeded. Each run is
// recorded in the history by quarter.Record, as the portal's report builds
// are.
//
// The schedule is kept in process because "papers serve" runs it: a council
// that installs only the portal gets the quarterly run too, with its runs in
// the same history database and a run missed while the server was down made
// up when it starts (see Loop). The alternative, for a host without the
// portal, is a systemd timer (or cron) calling "papers run-scheduled", which
// does one run under the same lock; schedule.cron: off then turns the
// in-process schedule off so the two never both fire.
//
// Cron expressions are read by github.com/robfig/cron/v3; this package adds
// only the working-day day of month ("1W"), which needs the bank-holiday
// calendar the caller passes in.
package schedule

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// Spec is a parsed cron expression: minute hour day-of-month month
// day-of-week, each a list of numbers, ranges (1-5), steps (*/15) or *, as
// cron reads them (day of week 0 or 7 is Sunday; either day field may
// match when both are given).
// The day-of-month field may also be "NW": the N-th working day of the month
// (weekends and the calendar's holidays skipped), so the default
// "0 6 1W 1,4,7,10 *" is 06:00 on the first working day of each quarter.
type Spec struct {
	text          string
	cron          *cron.SpecSchedule // with "*" for the day of month when it is "NW"
	nthWorkingDay int                // >0 when the day-of-month field is "NW"
}

// DefaultSpec is 06:00 on the first working day of January, April, July and October.
const DefaultSpec = "0 6 1W 1,4,7,10 *"

// parser reads the five standard fields, without descriptors (@daily) or
// time zone prefixes: the times are in the zone of the time passed to Next.
var parser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow)

// Parse reads a cron expression.
func Parse(expr string) (*Spec, error) {
	f := strings.Fields(expr)
	if len(f) != 5 {
		return nil, fmt.Errorf("schedule %q: want five fields (minute hour day-of-month month day-of-week)", expr)
	}
	s := &Spec{text: expr}
	if n, ok := strings.CutSuffix(f[2], "W"); ok {
		w, err := strconv.Atoi(n)
		if err != nil || w < 1 || w > 23 {
			return nil, fmt.Errorf("schedule %q: day of month %q: write NW with N from 1 to 23 (1W = first working day)", expr, f[2])
		}
		s.nthWorkingDay = w
		f[2] = "*"
	}
	f[4] = sundayAsZero(f[4])
	sched, err := parser.Parse(strings.Join(f, " "))
	if err != nil {
		return nil, fmt.Errorf("schedule %q: %v", expr, err)
	}
	s.cron = sched.(*cron.SpecSchedule)
	return s, nil
}

// sundayAsZero rewrites a day-of-week field's 7 (Sunday, as cron allows) as
// 0, which robfig/cron reads: "7" becomes "0" and a range ending at 7,
// "1-7" or "1-7/2", ends at 6 with 0 added when the range included 7.
func sundayAsZero(field string) string {
	parts := strings.Split(field, ",")
	for i, p := range parts {
		r, step, hasStep := strings.Cut(p, "/")
		if r == "7" && !hasStep {
			parts[i] = "0"
			continue
		}
		lo, hi, ok := strings.Cut(r, "-")
		a, err := strconv.Atoi(lo)
		if !ok || hi != "7" || err != nil || a > 6 {
			continue
		}
		s := 1
		if hasStep {
			if s, err = strconv.Atoi(step); err != nil || s < 1 {
				continue // robfig/cron reports it
			}
		}
		parts[i] = lo + "-6"
		if hasStep {
			parts[i] += "/" + step
		}
		if (7-a)%s == 0 {
			parts[i] += ",0"
		}
	}
	return strings.Join(parts, ",")
}

// String returns the expression as written.
func (s *Spec) String() string { return s.text }

// Next returns the first time after t (in t's location) that the spec
// matches, or zero if there is none within five years. workingDay decides
// what counts as a working day for "NW"; nil means Monday to Friday.
func (s *Spec) Next(t time.Time, workingDay func(time.Time) bool) time.Time {
	if s.nthWorkingDay == 0 {
		return s.cron.Next(t)
	}
	if workingDay == nil {
		workingDay = weekday
	}
	limit := t.AddDate(5, 0, 0)
	for c := s.cron.Next(t); !c.IsZero() && c.Before(limit); {
		if s.isNthWorkingDay(c, workingDay) {
			return c
		}
		// Not the day: try from the end of it.
		next := time.Date(c.Year(), c.Month(), c.Day()+1, 0, 0, 0, 0, c.Location())
		c = s.cron.Next(next.Add(-time.Second))
	}
	return time.Time{}
}

// isNthWorkingDay reports whether d's day is the spec's N-th working day of
// its month.
func (s *Spec) isNthWorkingDay(d time.Time, workingDay func(time.Time) bool) bool {
	day := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, d.Location())
	if !workingDay(day) {
		return false
	}
	n := 0
	for x := time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, d.Location()); !x.After(day); x = x.AddDate(0, 0, 1) {
		if workingDay(x) {
			n++
		}
	}
	return n == s.nthWorkingDay
}

func weekday(d time.Time) bool { return d.Weekday() != time.Saturday && d.Weekday() != time.Sunday }
