package portal

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestOpenQuarterPastDeadline: a quarter may be opened with a deadline
// already past (the clerk may be recording an earlier quarter), but the
// clerk is warned; a deadline today or later gets no warning.
func TestOpenQuarterPastDeadline(t *testing.T) {
	h := newHarness(t) // today is 10 January 2021
	clerk := h.signedIn("clerk@example.gov.uk")
	const warning = "has already passed: every return sent from now on will be marked late"
	for _, tc := range []struct {
		quarter, deadline string
		warn              bool
	}{
		{"2020-Q4", "09/01/2021", true},
		{"2020-Q3", "2020-10-15", true},
		{"2021-Q2", "10/01/2021", false},
		{"2021-Q3", "15/07/2021", false},
	} {
		t.Run(tc.quarter+" due "+tc.deadline, func(t *testing.T) {
			before := len(h.events(quarterEvent))
			res := clerk.post("/clerk/quarters", url.Values{"plan": {testPlan}, "quarter": {tc.quarter}, "deadline": {tc.deadline}})
			if res.status != http.StatusSeeOther {
				t.Fatalf("%d\n%s", res.status, res.body)
			}
			if len(h.events(quarterEvent)) != before+1 {
				t.Fatal("the quarter was not opened")
			}
			page := res.follow(clerk)
			mustContain(t, page.body, "The quarter is open", "Quarter "+tc.quarter)
			if got := strings.Contains(page.body, warning); got != tc.warn {
				t.Errorf("warned %v, want %v:\n%s", got, tc.warn, page.body)
			}
			if tc.warn {
				mustContain(t, page.body, `class="warning-text warning-notice" role="status"`, "If you are recording an earlier quarter, that is as it should be")
			}
		})
	}
	// The warning is about the quarter's own deadline, whatever the address says.
	h.openQuarter("2022-Q1", "2022-01-15")
	if page := clerk.get("/clerk/quarters/1/2022-Q1?done=opened-past"); strings.Contains(page.body, warning) {
		t.Errorf("a future deadline is said to have passed:\n%s", page.body)
	}
}
