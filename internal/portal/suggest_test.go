package portal

import (
	"strings"
	"testing"

	"papers/internal/compare"
	"papers/internal/plan"
)

// The preview says when a date completed is the one filled in from the
// officer's last update and left in, so that they can see it before
// submitting.
func TestChangeRowsSayFilledInDate(t *testing.T) {
	prev := plan.Action{Ref: "2.6", Text: "To review the improvement plan", Owner: "Robert Henderson", Owners: []string{"Robert Henderson"},
		Schedule: plan.Schedule{Target: plan.TargetDate{Date: plan.Day(2020, 9, 30), Precision: plan.PrecisionDay}, Text: "By 30th September 20"},
		Update:   "Improvement plan was reviewed by EDCS and submitted to Ofsted on 8th October 2020."}
	left, typed := prev, prev
	left.Completed = plan.TargetDate{Date: plan.Day(2020, 10, 8), Precision: plan.PrecisionDay}
	typed.Completed = plan.TargetDate{Date: plan.Day(2020, 10, 9), Precision: plan.PrecisionDay}
	for _, tc := range []struct {
		cur  plan.Action
		want string
	}{
		{left, "Completed on 8 Oct 2020: the date filled in from your last update, which you left in"},
		{typed, "Completed on 9 Oct 2020"},
	} {
		c, err := compare.Compare(plan.Inputs{Previous: &plan.Statement{Actions: []plan.Action{prev}}, Current: &plan.Statement{Actions: []plan.Action{tc.cur}}}, compare.DefaultOptions(plan.Day(2021, 1, 28)))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := changeRows(c, nil)
		if len(rows) != 1 || len(rows[0].Notes) == 0 {
			t.Fatalf("rows %+v", rows)
		}
		got := rows[0].Notes[0]
		if !strings.HasPrefix(got, tc.want) || tc.want == "Completed on 9 Oct 2020" && got != tc.want {
			t.Errorf("note %q, want %q", got, tc.want)
		}
	}
}
