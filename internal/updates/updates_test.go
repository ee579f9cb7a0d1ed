package updates

import (
	"strings"
	"testing"

	"papers/internal/plan"
)

func TestBookingTarget(t *testing.T) {
	cases := []struct {
		target, action string
		want           bool
	}{
		{"Meetings to be diarised by 30 th Sept 20", "A quarterly meeting to be established between the Chief Executive and the Principal Social Worker;", true},
		{"Visits for 20/21 to be diarised by 30 th September 20", "Monthly safeguarding assurance visit to one service;", true},
		{"Dates booked by 31st Oct 20", "Hold quarterly reviews", true},
		{"By 30 th Sept 20", "To schedule quarterly meetings with the Principal Social Worker;", true},
		{"By 30 th Sept 20", "• Arrange training for all team managers", true},
		{"By 30 th Sept 20", "To review the improvement plan and ensure that actions to achieve the cultural shift needed are included;", false},
		{"Practitioners Improvement Board to be established by 30 th Sept 20", "Establish a Practitioners' Improvement Board", false},
		{"", "", false},
	}
	for _, tc := range cases {
		a := &plan.Action{Text: tc.action, Schedule: plan.Schedule{Text: tc.target}}
		if got := BookingTarget(a); got != tc.want {
			t.Errorf("BookingTarget(%q, %q) = %v, want %v", tc.target, tc.action, got, tc.want)
		}
	}
}

// A booking meets a target to diarise: it ranks with done, and the first
// such sentence is quoted; elsewhere done outranks it.
func TestBookingMeetsItsTarget(t *testing.T) {
	update := "Monthly visits are set. EDCS has visited MASH."
	a := &plan.Action{Update: update, Schedule: plan.Schedule{Text: "Visits to be diarised by 30 th September 20"}}
	got := Read(a)
	if got.State != plan.UpdateBooked || !got.BookingTarget || !got.ReportsMet() || got.Quote != "Monthly visits are set." {
		t.Errorf("diarise target: %+v", got)
	}
	a.Schedule.Text = "By 30 th Sept 20"
	got = Read(a)
	if got.State != plan.UpdateDone || got.BookingTarget || !got.ReportsMet() || got.Quote != "EDCS has visited MASH." {
		t.Errorf("other target: %+v", got)
	}
	a.Update = "Monthly visits are set."
	if got = Read(a); got.State != plan.UpdateBooked || got.ReportsMet() {
		t.Errorf("a booking does not meet a target to do something: %+v", got)
	}
}

func TestPassed(t *testing.T) {
	u := ReadText("Booked for 24/11/2020.")
	if !u.Passed(plan.Day(2020, 11, 26)) || u.Passed(plan.Day(2020, 11, 24)) || u.Passed(plan.Day(2020, 11, 1)) {
		t.Errorf("24 November 2020 passed: on 26th %v, on 24th %v, on 1st %v", u.Passed(plan.Day(2020, 11, 26)), u.Passed(plan.Day(2020, 11, 24)), u.Passed(plan.Day(2020, 11, 1)))
	}
	m := ReadText("Workshops scheduled for November 2020.")
	if m.Passed(plan.Day(2020, 11, 30)) || !m.Passed(plan.Day(2020, 12, 1)) {
		t.Errorf("a month passes when its last day has")
	}
}

// Any text: no panic, a state, a quote of the officer's own words, and a
// date only where the state has one.
func FuzzRead(f *testing.F) {
	for _, s := range table {
		f.Add(s.update, s.target)
	}
	f.Add("not not not", "")
	f.Add("and and ; ; . . that that which", "book")
	f.Fuzz(func(t *testing.T, update, target string) {
		a := &plan.Action{Update: update, Schedule: plan.Schedule{Text: target}}
		got := Read(a)
		switch got.State {
		case plan.UpdateNone:
			if got.Quote != "" || !got.Date.IsZero() {
				t.Fatalf("none, with %q %v", got.Quote, got.Date)
			}
		case plan.UpdateInProgress:
			if !got.Date.IsZero() {
				t.Fatalf("in progress with a date %v", got.Date)
			}
		case plan.UpdateDone, plan.UpdateBooked, plan.UpdatePostponed:
		default:
			t.Fatalf("state %q", got.State)
		}
		if got.State != plan.UpdateNone && !strings.Contains(strings.Join(strings.Fields(update), " "), got.Quote) {
			t.Fatalf("quote %q is not in %q", got.Quote, update)
		}
	})
}

func BenchmarkRead(b *testing.B) {
	var as []*plan.Action
	for _, s := range table {
		as = append(as, s.action())
	}
	n := 0
	for _, a := range as {
		n += len(a.Update)
	}
	b.SetBytes(int64(n))
	for b.Loop() {
		for _, a := range as {
			Read(a)
		}
	}
}

// The January 2021 statement's actions still overdue say, in the words of
// issue 18, "still to be nominated", "postponed to February 2021", "to
// report to EMT in February 2021" and "scope still being agreed": none is
// done, and none meets its target.
func TestJanuaryStillOverdue(t *testing.T) {
	cases := []struct {
		target, update string
		want           plan.UpdateState
	}{
		{"Representative to be in place by 31st Oct 20", "Practitioner representative still to be nominated by the Better Together group.", plan.UpdateInProgress},
		{"Meetings to be diarised by 30th Sept 20", "The November meeting was postponed to February 2021 owing to the lockdown.", plan.UpdatePostponed},
		{"By 31st Dec 20", "Review of appraisal completion to report to EMT in February 2021.", plan.UpdateNone},
		{"By 31st Dec 20", "Service support is factored into the destination and design document; scope still being agreed with Business Operations and Digital.", plan.UpdateInProgress},
	}
	for _, tc := range cases {
		got := Read(&plan.Action{Update: tc.update, Schedule: plan.Schedule{Text: tc.target}})
		if got.State != tc.want || got.State == plan.UpdateDone || got.ReportsMet() {
			t.Errorf("%q: %s (%q), want %s", tc.update, got.State, got.Quote, tc.want)
		}
	}
}
