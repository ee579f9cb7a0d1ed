package meeting

import (
	"slices"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/gb"
)

// ClearDays is how many clear working days before a meeting its agenda and
// reports must be open to inspection (Local Government Act 1972, s.100B(3)).
const ClearDays = 5

// Clock is the statutory clock: it counts clear working days between a
// publication date and a meeting. A clear day excludes the day of
// publication and the day of the meeting; a working day is Monday to
// Friday except England and Wales bank holidays and the council's own
// closure days. It never reads the system clock: "today" is always given.
type Clock struct {
	holidays []*cal.Holiday
	closures map[civil]bool
}

// civil is a calendar day, free of time zones.
type civil struct {
	y int
	m time.Month
	d int
}

func dayOf(t time.Time) civil {
	y, m, d := t.Date()
	return civil{y, m, d}
}

// Day returns the date of t as a day at midnight UTC, the form Clock
// returns dates in.
func Day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// England and Wales bank holidays that github.com/rickar/cal/v2/gb lacks
// (checked against v2.1.13), and its one rule that is wrong for a year it
// covers: in 2012 the spring bank holiday moved from Monday 28 May to
// Monday 4 June, beside the Diamond Jubilee on Tuesday 5 June.
var (
	springHoliday = gb.SpringHoliday.Clone(&cal.Holiday{Except: []int{2012, 2022}})
	extraHolidays = []*cal.Holiday{
		oneOff("Royal Wedding", 2011, time.April, 29),
		oneOff("Spring Bank Holiday", 2012, time.June, 4),
		oneOff("Diamond Jubilee", 2012, time.June, 5),
		oneOff("State Funeral of Queen Elizabeth II", 2022, time.September, 19),
	}
)

func oneOff(name string, year int, month time.Month, day int) *cal.Holiday {
	return &cal.Holiday{Name: name, Type: cal.ObservanceBank, Month: month, Day: day,
		Func: cal.CalcDayOfMonth, StartYear: year, EndYear: year}
}

// englandAndWales is gb.Holidays (which are England and Wales's: the
// Scottish summer holiday is not among them) with the corrections above.
func englandAndWales() []*cal.Holiday {
	var hs []*cal.Holiday
	for _, h := range gb.Holidays {
		if h == gb.SpringHoliday {
			h = springHoliday
		}
		hs = append(hs, h)
	}
	return append(hs, extraHolidays...)
}

// NewClock returns a clock for England and Wales. closures are further
// days the council counts as non-working (a bank holiday announced after
// this program was built, say).
func NewClock(closures ...time.Time) *Clock {
	c := &Clock{holidays: englandAndWales(), closures: map[civil]bool{}}
	for _, t := range closures {
		c.closures[dayOf(t)] = true
	}
	return c
}

// Holiday names the bank holiday (or "Council closure") on day t, if any.
// A substitute day — the Monday after a Christmas Day on Saturday, say —
// names the holiday it stands in for: "Christmas Day (substitute day)".
func (c *Clock) Holiday(t time.Time) (string, bool) {
	day := dayOf(t)
	// Each holiday is checked on its own: cal's Calendar.IsHoliday stops at
	// the first holiday whose actual date matches, even when another is
	// observed that day (26 December 2022). England and Wales substitutes
	// always fall in the holiday's own year.
	observed, name := false, ""
	for _, h := range c.holidays {
		act, obs := h.Calc(day.y)
		if obs.IsZero() {
			continue
		}
		if dayOf(obs) == day {
			observed = true
		}
		if dayOf(act) == day && act.Weekday() != time.Saturday && act.Weekday() != time.Sunday {
			name = h.Name
		}
	}
	switch {
	case observed && name != "":
		return name, true
	case observed:
		if h := c.standsFor(t); h != "" {
			return h + " (substitute day)", true
		}
		return "Bank holiday (substitute day)", true
	case c.closures[day]:
		return "Council closure", true
	}
	return "", false
}

// standsFor names the holiday a substitute day t stands in for: the
// year's holidays that fell on a weekend, in date order, are moved to its
// substitute days in date order (Christmas Day on Saturday 25 December
// 2021 to Monday 27, Boxing Day on Sunday 26 to Tuesday 28).
func (c *Clock) standsFor(t time.Time) string {
	day := dayOf(t)
	type hol struct {
		name string
		act  time.Time
	}
	var weekend []hol
	var subs []time.Time
	weekdayHoliday := map[civil]bool{}
	for _, h := range c.holidays {
		act, obs := h.Calc(day.y)
		if obs.IsZero() {
			continue
		}
		if wd := act.Weekday(); wd == time.Saturday || wd == time.Sunday {
			weekend = append(weekend, hol{h.Name, act})
		} else {
			weekdayHoliday[dayOf(act)] = true
		}
		if dayOf(obs) != dayOf(act) {
			subs = append(subs, obs)
		}
	}
	slices.SortFunc(weekend, func(a, b hol) int { return a.act.Compare(b.act) })
	slices.SortFunc(subs, func(a, b time.Time) int { return a.Compare(b) })
	n := 0
	for _, s := range subs {
		if weekdayHoliday[dayOf(s)] {
			continue // the library observes one holiday on another's own day
		}
		if dayOf(s) == day {
			if n < len(weekend) {
				return weekend[n].name
			}
			return ""
		}
		n++
	}
	return ""
}

// WorkingDay reports whether t is a working day.
func (c *Clock) WorkingDay(t time.Time) bool {
	if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	_, hol := c.Holiday(t)
	return !hol
}

// Clear counts the clear working days between publication and the meeting:
// the working days strictly after the day of publication and strictly
// before the day of the meeting. Publishing on or after the meeting day
// gives 0.
func (c *Clock) Clear(published, meeting time.Time) int {
	from, to := Day(published), Day(meeting)
	n := 0
	for d := from.AddDate(0, 0, 1); d.Before(to); d = d.AddDate(0, 0, 1) {
		if c.WorkingDay(d) {
			n++
		}
	}
	return n
}

// Late reports whether papers published on published leave fewer than
// ClearDays clear working days before the meeting.
func (c *Clock) Late(published, meeting time.Time) bool {
	return c.Clear(published, meeting) < ClearDays
}

// PublishBy is the last working day on which the papers can be published
// and still leave ClearDays clear working days before the meeting. (The
// law would also allow the non-working days between it and the first of
// the clear days — a weekend, say — but the office is shut then.)
func (c *Clock) PublishBy(meeting time.Time) time.Time {
	d := Day(meeting)
	for n := 0; n < ClearDays; {
		d = d.AddDate(0, 0, -1)
		if c.WorkingDay(d) {
			n++
		}
	}
	// d is the first clear day: publish the day before, or the last
	// working day before that.
	d = d.AddDate(0, 0, -1)
	for !c.WorkingDay(d) {
		d = d.AddDate(0, 0, -1)
	}
	return d
}

// Skipped lists the bank holidays and closures (not weekends) between the
// day after publication and the meeting, to explain a deadline.
func (c *Clock) Skipped(published, meeting time.Time) []time.Time {
	var out []time.Time
	for d := Day(published).AddDate(0, 0, 1); d.Before(Day(meeting)); d = d.AddDate(0, 0, 1) {
		if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
			continue
		}
		if _, ok := c.Holiday(d); ok {
			out = append(out, d)
		}
	}
	return out
}

// StaleDays is how long before a meeting a publication date stops being
// believable: agenda papers go out a week or two before a meeting, so a
// date much earlier is more likely left over from another meeting (a
// publish_date kept in config) than meant.
const StaleDays = 60

// DayOff says why day t is not a working day — "Saturday", "Christmas
// Day", "Council closure" — or "" when it is one.
func (c *Clock) DayOff(t time.Time) string {
	if name, ok := c.Holiday(t); ok {
		return name
	}
	if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return wd.String()
	}
	return ""
}

// Stale reports whether published is more than StaleDays before the meeting.
func Stale(published, meeting time.Time) bool {
	return Day(published).AddDate(0, 0, StaleDays).Before(Day(meeting))
}
