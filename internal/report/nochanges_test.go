package report

import (
	"strings"
	"testing"

	"papers/internal/plan"
)

// Appendix 2 used to say "Nothing has changed" when every update was new.
func TestNoChangesSaysWhatChanged(t *testing.T) {
	c := &plan.Comparison{Actions: []plan.ActionChange{
		{Change: plan.ChangeCarried, UpdateChanged: true},
		{Change: plan.ChangeCarried, UpdateChanged: true},
		{Change: plan.ChangeCarried},
	}}
	if got := noChanges(c); !strings.Contains(got, "The updates of 2 actions are new") || strings.HasPrefix(got, "Nothing has changed") {
		t.Errorf("only updates changed: %q", got)
	}
	c.Actions[0].UpdateChanged, c.Actions[1].UpdateChanged = false, false
	if got := noChanges(c); !strings.HasPrefix(got, "Nothing has changed") {
		t.Errorf("nothing changed: %q", got)
	}
}
