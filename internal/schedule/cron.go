// Package schedule runs the quarterly job unattended: a cron expression says
// when, a lock file keeps two runs from overlapping (the kernel releases it
// if a run crashes), and each run builds into a temporary folder that
// replaces the previous outputs only when it has succeeded.
package schedule

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Spec is a parsed cron expression: minute hour day-of-month month
// day-of-week, each a list of numbers, ranges (1-5), steps (*/15) or *.
// The day-of-month field may also be "NW": the N-th working day of the month
// (weekends and the calendar's holidays skipped), so the default
// "0 6 1W 1,4,7,10 *" is 06:00 on the first working day of each quarter.
type Spec struct {
	text                string
	minute, hour, month [64]bool
	dom, dow            [64]bool
	domAny, dowAny      bool
	nthWorkingDay       int // >0 when the day-of-month field is "NW"
}

// DefaultSpec is 06:00 on the first working day of January, April, July and October.
const DefaultSpec = "0 6 1W 1,4,7,10 *"

// Parse reads a cron expression.
func Parse(expr string) (*Spec, error) {
	f := strings.Fields(expr)
	if len(f) != 5 {
		return nil, fmt.Errorf("schedule %q: want five fields (minute hour day-of-month month day-of-week)", expr)
	}
	s := &Spec{text: expr}
	fields := []struct {
		name    string
		dst     *[64]bool
		lo, hi  int
		text    string
		anyFlag *bool
	}{
		{"minute", &s.minute, 0, 59, f[0], nil},
		{"hour", &s.hour, 0, 23, f[1], nil},
		{"day of month", &s.dom, 1, 31, f[2], &s.domAny},
		{"month", &s.month, 1, 12, f[3], nil},
		{"day of week", &s.dow, 0, 7, f[4], &s.dowAny},
	}
	for i, fl := range fields {
		if i == 2 && strings.HasSuffix(fl.text, "W") {
			n, err := strconv.Atoi(strings.TrimSuffix(fl.text, "W"))
			if err != nil || n < 1 || n > 23 {
				return nil, fmt.Errorf("schedule %q: day of month %q: write NW with N from 1 to 23 (1W = first working day)", expr, fl.text)
			}
			s.nthWorkingDay = n
			continue
		}
		if fl.anyFlag != nil && fl.text == "*" {
			*fl.anyFlag = true
		}
		if err := parseField(fl.dst, fl.text, fl.lo, fl.hi); err != nil {
			return nil, fmt.Errorf("schedule %q: %s: %v", expr, fl.name, err)
		}
	}
	if s.dow[7] {
		s.dow[0] = true // 7 is Sunday too
	}
	return s, nil
}

func parseField(dst *[64]bool, text string, lo, hi int) error {
	for _, part := range strings.Split(text, ",") {
		step := 1
		if i := strings.IndexByte(part, '/'); i >= 0 {
			n, err := strconv.Atoi(part[i+1:])
			if err != nil || n < 1 {
				return fmt.Errorf("bad step in %q", part)
			}
			step, part = n, part[:i]
		}
		a, b := lo, hi
		switch {
		case part == "*":
		case strings.Contains(part, "-"):
			x, y, _ := strings.Cut(part, "-")
			var err1, err2 error
			a, err1 = strconv.Atoi(x)
			b, err2 = strconv.Atoi(y)
			if err1 != nil || err2 != nil {
				return fmt.Errorf("bad range %q", part)
			}
		default:
			n, err := strconv.Atoi(part)
			if err != nil {
				return fmt.Errorf("bad value %q", part)
			}
			a, b = n, n
			if step > 1 {
				b = hi
			}
		}
		if a < lo || b > hi || a > b {
			return fmt.Errorf("%q is outside %d-%d", part, lo, hi)
		}
		for v := a; v <= b; v += step {
			dst[v] = true
		}
	}
	return nil
}

// String returns the expression as written.
func (s *Spec) String() string { return s.text }

// Next returns the first time after t (in t's location) that the spec
// matches. workingDay decides what counts as a working day for "NW"; nil
// means Monday to Friday.
func (s *Spec) Next(t time.Time, workingDay func(time.Time) bool) time.Time {
	if workingDay == nil {
		workingDay = func(d time.Time) bool { return d.Weekday() != time.Saturday && d.Weekday() != time.Sunday }
	}
	t = t.Truncate(time.Minute).Add(time.Minute)
	// Walk day by day (at most a few years), then minute by minute within a matching day.
	for day := 0; day < 366*5; day++ {
		d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
		if s.month[int(d.Month())] && s.dayMatches(d, workingDay) {
			for h := 0; h < 24; h++ {
				if !s.hour[h] {
					continue
				}
				for m := 0; m < 60; m++ {
					if !s.minute[m] {
						continue
					}
					c := time.Date(d.Year(), d.Month(), d.Day(), h, m, 0, 0, d.Location())
					if !c.Before(t) {
						return c
					}
				}
			}
		}
		t = time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, t.Location())
	}
	return time.Time{}
}

func (s *Spec) dayMatches(d time.Time, workingDay func(time.Time) bool) bool {
	if s.nthWorkingDay > 0 {
		if !workingDay(d) {
			return false
		}
		n := 0
		for x := time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, d.Location()); !x.After(d); x = x.AddDate(0, 0, 1) {
			if workingDay(x) {
				n++
			}
		}
		return n == s.nthWorkingDay && (s.dowAny || s.dow[int(d.Weekday())])
	}
	dom, dow := s.dom[d.Day()], s.dow[int(d.Weekday())]
	switch {
	case s.domAny && s.dowAny:
		return true
	case s.domAny:
		return dow
	case s.dowAny:
		return dom
	default:
		return dom || dow // cron's rule: either field may match
	}
}
