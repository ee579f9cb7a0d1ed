package returns

import (
	"testing"

	"papers/internal/plan"
)

func TestSuggest(t *testing.T) {
	cases := []struct {
		name, update, target string
		date                 string // dd/mm/yyyy filled in, or ""
		text                 string // the suggestion's text, or "" for none
	}{
		{"done with a day", "Improvement plan was reviewed by EDCS and submitted to Ofsted on 8th October 2020.", "By 30th September 20", "08/10/2020",
			"Filled in: 08/10/2020, as your last update says done on 8 Oct 2020: “Improvement plan was reviewed by EDCS and submitted to Ofsted on 8th October 2020.” If it was completed then, leave the date and choose Complete under Status; if not, clear the date."},
		{"done in a month: its last day", "First meeting of 'Better Together' took place in October 2020.", "By 30th Sept 20", "31/10/2020",
			"Filled in: 31/10/2020, as your last update says done in Oct 2020: “First meeting of 'Better Together' took place in October 2020.” If it was completed then, leave the date and choose Complete under Status; if not, clear the date."},
		{"done with no date: asked for", "Membership has been updated.", "By 30th Sept 20", "",
			"Your last update says done: “Membership has been updated.” If the action is complete, type the date it was completed."},
		{"booked, where the target is to diarise: asked for", "Meeting booked for 12/11/2020.", "Meetings to be diarised by 30th Sept 20", "",
			"Your last update says booked for 12 Nov 2020: “Meeting booked for 12/11/2020.” If the action is complete, type the date it was completed."},
		{"booked, where the target is to do something: nothing", "Workshops scheduled for November 2020.", "By 31st Dec 20", "", ""},
		{"in progress: nothing", "Improvement Board is being reconstituted", "By 31st Oct 20", "", ""},
		{"not yet held: nothing", "Meeting not yet held.", "By 31st Oct 20", "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sg := Suggest(&plan.Action{Update: tc.update, Schedule: plan.Schedule{Text: tc.target}})
			if got := dateText(sg.Date); got != tc.date || sg.Text != tc.text {
				t.Errorf("got %q %q\nwant %q %q", got, sg.Text, tc.date, tc.text)
			}
			if back := SuggestedDate(sg.Text); !back.Date.Equal(sg.Date.Date) {
				t.Errorf("SuggestedDate read back %v, want %v", back.Date, sg.Date.Date)
			}
		})
	}
}

// A return saved unchanged gives nothing, though a date completed was
// filled in; left in with anything else on the line, it is given.
func TestLeftSuggested(t *testing.T) {
	d := plan.TargetDate{Date: plan.Day(2020, 10, 8), Precision: plan.PrecisionDay}
	l := Line{Ref: "2.6", Completed: d, Suggested: d, Suggestion: "Filled in: 08/10/2020, as …"}
	if !l.LeftSuggested() || l.Filled() {
		t.Errorf("untouched: left %v, filled %v", l.LeftSuggested(), l.Filled())
	}
	l.Status = StatusComplete
	if !l.Filled() {
		t.Error("confirmed with a status: not filled")
	}
	l.Status, l.Completed = "", plan.TargetDate{Date: plan.Day(2020, 10, 9), Precision: plan.PrecisionDay}
	if l.LeftSuggested() || !l.Filled() {
		t.Error("a date changed from the one filled in is given")
	}
	l.Completed = plan.TargetDate{}
	if l.Filled() {
		t.Error("cleared, with nothing else: filled")
	}
}
