package plan

import "testing"

func TestSaysComplete(t *testing.T) {
	yes := []string{"Complete", "completed", "CLOSED.", "Implemented", "Done", "Achieved", "Superseded",
		"Withdrawn", "Complete - evidence held", "Delivered", "Finished"}
	no := []string{"", "Not complete", "Partially implemented", "Completion due in March", "In progress",
		"On track", "Not started", "Behind track", "Ongoing", "Blue", "Green", "To be completed"}
	for _, s := range yes {
		if !SaysComplete(s) {
			t.Errorf("SaysComplete(%q) = false", s)
		}
	}
	for _, s := range no {
		if SaysComplete(s) {
			t.Errorf("SaysComplete(%q) = true", s)
		}
	}
}
