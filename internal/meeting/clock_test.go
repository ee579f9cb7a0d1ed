package meeting

import (
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

// Each case is worked by hand from the meeting back: count the working days
// before the meeting (not the meeting day itself) until there are five; the
// fifth is the first clear day; publication is the day before it, or the
// last working day before that when it is a weekend or a bank holiday.
func TestPublishBy(t *testing.T) {
	tests := []struct {
		name    string
		meeting string
		want    string
	}{
		// Thu 26 Nov 2020: Wed 25, Tue 24, Mon 23, (Sun 22, Sat 21), Fri 20,
		// Thu 19 = five; publish Wed 18.
		{"ordinary Thursday", "2020-11-26", "2020-11-18"},
		// Mon 30 Nov 2020: Fri 27, Thu 26, Wed 25, Tue 24, Mon 23 = five;
		// the day before is Sun 22, so the last working day is Fri 20.
		{"ordinary Monday", "2020-11-30", "2020-11-20"},
		// Wed 14 Oct 2020: Tue 13, Mon 12, (weekend), Fri 9, Thu 8, Wed 7;
		// publish Tue 6.
		{"ordinary Wednesday", "2020-10-14", "2020-10-06"},
		// Christmas 2020: Fri 25 Dec, Boxing Day Sat 26 moved to Mon 28,
		// New Year's Day Fri 1 Jan. Thu 7 Jan 2021: Wed 6, Tue 5, Mon 4,
		// (Sun 3, Sat 2, Fri 1 holiday), Thu 31 Dec, Wed 30 Dec = five;
		// publish Tue 29 Dec (a working day: the substitute was Mon 28).
		{"Christmas 2020 and New Year", "2021-01-07", "2020-12-29"},
		// Christmas 2022: Sun 25 moved to Tue 27, Boxing Day Mon 26; New
		// Year's Day Sun 1 Jan moved to Mon 2. Wed 4 Jan 2023: Tue 3, (Mon 2
		// holiday, weekend), Fri 30, Thu 29, Wed 28, (Tue 27, Mon 26
		// holidays, weekend), Fri 23 = five; publish Thu 22 Dec.
		{"Christmas 2022 substitutes", "2023-01-04", "2022-12-22"},
		// Christmas 2021: Sat 25 moved to Mon 27, Sun 26 moved to Tue 28.
		// Thu 30 Dec 2021: Wed 29, (Tue 28, Mon 27 holidays, weekend), Fri
		// 24, Thu 23, Wed 22, Tue 21 = five; publish Mon 20 Dec.
		{"Christmas 2021 weekend", "2021-12-30", "2021-12-20"},
		// Easter 2021: Good Friday 2 Apr, Easter Monday 5 Apr. Thu 8 Apr:
		// Wed 7, Tue 6, (Mon 5, weekend, Fri 2), Thu 1, Wed 31 Mar, Tue 30
		// = five; publish Mon 29 Mar.
		{"Easter 2021", "2021-04-08", "2021-03-29"},
		// Easter 2024: Good Friday 29 Mar, Easter Monday 1 Apr. Tue 9 Apr:
		// Mon 8, Fri 5, Thu 4, Wed 3, Tue 2 = five; the day before is
		// Easter Monday, then the weekend and Good Friday: publish Thu 28 Mar.
		{"Easter 2024", "2024-04-09", "2024-03-28"},
		// Late May 2021: Spring bank holiday Mon 31 May. Thu 3 Jun: Wed 2,
		// Tue 1, (Mon 31, weekend), Fri 28, Thu 27, Wed 26 = five; publish
		// Tue 25 May.
		{"spring bank holiday 2021", "2021-06-03", "2021-05-25"},
		// 2022: the spring holiday moved to Thu 2 Jun, Platinum Jubilee Fri
		// 3 Jun; Mon 30 May was a working day. Wed 8 Jun: Tue 7, Mon 6,
		// (Fri 3, Thu 2), Wed 1, Tue 31, Mon 30 = five; the day before is
		// Sun 29, so publish Fri 27 May.
		{"Platinum Jubilee 2022", "2022-06-08", "2022-05-27"},
		// 2012: spring holiday moved to Mon 4 Jun, Diamond Jubilee Tue 5
		// Jun; Mon 28 May was a working day. Thu 7 Jun: Wed 6, (Tue 5, Mon
		// 4, weekend), Fri 1, Thu 31, Wed 30, Tue 29 = five; publish Mon 28.
		{"Diamond Jubilee 2012", "2012-06-07", "2012-05-28"},
		// 2020: early May holiday moved to VE Day, Fri 8 May. Tue 12 May:
		// Mon 11, (Fri 8), Thu 7, Wed 6, Tue 5, Mon 4 = five; the day before
		// is Sun 3: publish Fri 1 May.
		{"VE Day 2020", "2020-05-12", "2020-05-01"},
		// State funeral Mon 19 Sep 2022. Thu 22 Sep: Wed 21, Tue 20, (Mon
		// 19, weekend), Fri 16, Thu 15, Wed 14 = five; publish Tue 13.
		{"state funeral 2022", "2022-09-22", "2022-09-13"},
		// Scotland's summer holiday (Mon 2 Aug 2021) is a working day in
		// England: Tue 10 Aug: Mon 9, Fri 6, Thu 5, Wed 4, Tue 3 = five;
		// the day before is Mon 2 Aug, a working day here.
		{"Scottish holiday is not ours", "2021-08-10", "2021-08-02"},
		// Summer bank holiday Mon 30 Aug 2021. Thu 2 Sep: Wed 1, Tue 31,
		// (Mon 30, weekend), Fri 27, Thu 26, Wed 25 = five; publish Tue 24.
		{"summer bank holiday 2021", "2021-09-02", "2021-08-24"},
	}
	c := NewClock()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.PublishBy(day(tt.meeting))
			if !got.Equal(day(tt.want)) {
				t.Errorf("PublishBy(%s) = %s, want %s", LongDate(day(tt.meeting)), LongDate(got), LongDate(day(tt.want)))
			}
			// Publishing on the deadline leaves exactly five clear days or,
			// when weekends or holidays follow it, more; a working day
			// later leaves fewer.
			if n := c.Clear(got, day(tt.meeting)); n < ClearDays {
				t.Errorf("publishing on %s leaves %d clear days", got.Format("2006-01-02"), n)
			}
			next := got.AddDate(0, 0, 1)
			for !c.WorkingDay(next) {
				next = next.AddDate(0, 0, 1)
			}
			if !c.Late(next, day(tt.meeting)) {
				t.Errorf("publishing on %s, the next working day, is not late", next.Format("2006-01-02"))
			}
		})
	}
}

func TestClear(t *testing.T) {
	c := NewClock()
	tests := []struct {
		published, meeting string
		want               int
	}{
		{"2020-11-18", "2020-11-26", 5}, // Thu 19, Fri 20, Mon 23, Tue 24, Wed 25
		{"2020-11-19", "2020-11-26", 4}, // one working day late
		{"2020-11-20", "2020-11-26", 3},
		{"2020-11-22", "2020-11-30", 5}, // a Sunday publication for a Monday meeting
		{"2020-11-25", "2020-11-26", 0}, // the day before
		{"2020-11-26", "2020-11-26", 0}, // the day itself
		{"2020-11-27", "2020-11-26", 0}, // after the meeting
		{"2020-12-24", "2021-01-05", 4}, // Tue 29, Wed 30, Thu 31, Mon 4 (25, 28, 1 Jan are holidays)
		{"2021-03-31", "2021-04-08", 3}, // Thu 1, Tue 6, Wed 7 (Good Friday, Easter Monday)
	}
	for _, tt := range tests {
		if got := c.Clear(day(tt.published), day(tt.meeting)); got != tt.want {
			t.Errorf("Clear(%s, %s) = %d, want %d", tt.published, tt.meeting, got, tt.want)
		}
	}
}

func TestHolidays(t *testing.T) {
	c := NewClock()
	tests := []struct {
		day, name string // name "" for a working day
	}{
		{"2020-12-25", "Christmas Day"},
		{"2020-12-28", "Boxing Day (substitute day)"}, // Boxing Day, Sat 26, moved to Mon 28
		{"2022-12-26", "Boxing Day"},
		{"2022-12-27", "Christmas Day (substitute day)"}, // Christmas Day, Sun 25
		{"2021-12-27", "Christmas Day (substitute day)"},
		{"2021-12-28", "Boxing Day (substitute day)"},
		{"2023-01-02", "New Year's Day (substitute day)"}, // New Year's Day, Sun 1
		{"2022-12-25", ""},                                // a Sunday: not a working day, but not the holiday's observance
		{"2024-01-01", "New Year's Day"},
		{"2021-04-02", "Good Friday"},
		{"2021-04-05", "Easter Monday"},
		{"2021-05-03", "Early May"},
		{"2020-05-04", ""}, // moved to VE Day
		{"2020-05-08", "VE Day"},
		{"2021-05-31", "Spring Bank Holiday"},
		{"2022-05-30", ""}, // moved to 2 June
		{"2022-06-02", "Spring Bank Holiday"},
		{"2022-06-03", "Platinum Jubilee Bank Holiday"},
		{"2012-05-28", ""},
		{"2012-06-04", "Spring Bank Holiday"},
		{"2012-06-05", "Diamond Jubilee"},
		{"2011-04-29", "Royal Wedding"},
		{"2021-08-30", "Summer Bank Holiday"},
		{"2021-08-02", ""}, // Scotland only
		{"2022-09-19", "State Funeral of Queen Elizabeth II"},
		{"2023-05-08", "Coronation of King Charles III"},
		{"2021-03-17", ""}, // St Patrick's Day: Northern Ireland only
		{"2020-11-26", ""},
	}
	for _, tt := range tests {
		name, ok := c.Holiday(day(tt.day))
		if name != tt.name || ok != (tt.name != "") {
			t.Errorf("Holiday(%s) = %q, %v; want %q", tt.day, name, ok, tt.name)
		}
	}
	// Every year has England and Wales's eight regular bank holidays.
	for y := 2013; y <= 2040; y++ {
		n := 0
		for d := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() == y; d = d.AddDate(0, 0, 1) {
			if _, ok := c.Holiday(d); ok {
				n++
			}
		}
		if want := map[int]int{2022: 10, 2023: 9}[y]; n != max(want, 8) {
			t.Errorf("%d has %d bank holidays", y, n)
		}
	}
}

func TestClosures(t *testing.T) {
	// A council closure on Tue 24 Nov 2020 pushes the deadline for Thu 26
	// Nov back a working day: Wed 25, (Tue 24), Mon 23, Fri 20, Thu 19,
	// Wed 18 = five; publish Tue 17.
	c := NewClock(day("2020-11-24"))
	if got := c.PublishBy(day("2020-11-26")); !got.Equal(day("2020-11-17")) {
		t.Errorf("PublishBy with a closure = %s", got.Format("2006-01-02"))
	}
	if name, _ := c.Holiday(day("2020-11-24")); name != "Council closure" {
		t.Errorf("closure named %q", name)
	}
	skipped := c.Skipped(day("2020-11-17"), day("2020-11-26"))
	if len(skipped) != 1 || !skipped[0].Equal(day("2020-11-24")) {
		t.Errorf("Skipped = %v", skipped)
	}
}

// Any time of day, in any zone, means its calendar date there.
func TestClockIgnoresTimeOfDay(t *testing.T) {
	c := NewClock()
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Skip("no time zone data")
	}
	late := time.Date(2020, 11, 18, 23, 30, 0, 0, london)
	if n := c.Clear(late, day("2020-11-26")); n != 5 {
		t.Errorf("Clear from 23:30 on the 18th = %d", n)
	}
}

func TestDayOff(t *testing.T) {
	c := NewClock(day("2020-11-27"))
	tests := []struct {
		name, day, want string
	}{
		{"a Thursday", "2020-11-26", ""},
		{"a Saturday", "2020-11-28", "Saturday"},
		{"a Sunday", "2020-11-29", "Sunday"},
		{"Christmas Day on a Friday", "2020-12-25", "Christmas Day"},
		{"the substitute for Boxing Day", "2020-12-28", "Boxing Day (substitute day)"},
		{"the early May bank holiday, moved for VE Day", "2020-05-08", "VE Day"},
		{"a council closure", "2020-11-27", "Council closure"},
	}
	for _, tt := range tests {
		if got := c.DayOff(day(tt.day)); got != tt.want {
			t.Errorf("%s (%s): %q, want %q", tt.name, tt.day, got, tt.want)
		}
	}
}

func TestStale(t *testing.T) {
	meeting := day("2022-06-09")
	for _, tt := range []struct {
		published string
		want      bool
	}{
		{"2022-06-01", false},
		{"2022-04-10", false}, // 60 days before
		{"2022-04-09", true},  // 61
		{"2020-11-18", true},  // the sample's date, for a 2022 meeting
		{"2022-06-10", false}, // after the meeting: late, not stale
	} {
		if got := Stale(day(tt.published), meeting); got != tt.want {
			t.Errorf("published %s for %s: stale %v", tt.published, meeting.Format("2006-01-02"), got)
		}
	}
}
