package portal

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestStatementForOpenQuarterRefused: a statement uploaded for a quarter
// open for returns used to become its statement silently, closing it.
func TestStatementForOpenQuarterRefused(t *testing.T) {
	h := newHarness(t)
	clerk := h.signedIn("clerk@example.gov.uk")
	before := len(h.statements())
	res := clerk.upload("/clerk/statements", url.Values{"plan": {strings.ToUpper(testPlan)}, "quarter": {testQuarter}, "kind": {"statement"}},
		"position statement.xlsx", xlsx(testPlan, sampleRows))
	if res.status != http.StatusBadRequest {
		t.Fatalf("statement for an open quarter: %d", res.status)
	}
	mustContain(t, res.body, "2021-Q1 is open for returns here", "accepting the returns on the quarter")
	if n := len(h.statements()); n != before {
		t.Errorf("%d statements kept, want %d", n, before)
	}
	if q := clerk.get(h.qpath("/clerk", "")); !strings.Contains(q.body, `tag-blue">Open`) {
		t.Errorf("the quarter is no longer open:\n%s", q.body)
	}
	// A quarter not open in the portal still takes one, as the history's
	// start; so does the plan as agreed for the open quarter.
	if res := clerk.upload("/clerk/statements", url.Values{"plan": {testPlan}, "quarter": {"2020-Q3"}, "kind": {"statement"}},
		"old statement.xlsx", xlsx(testPlan, sampleRows[:2])); res.status != http.StatusSeeOther {
		t.Errorf("statement for a quarter that is not open: %d", res.status)
	}
}

var withdrawForm = regexp.MustCompile(`action="/clerk/statements/([0-9]+)/withdraw"`)

// TestUndoAcceptance: the clerk undoes an acceptance with a reason; the
// quarter is open again, the statement is kept marked withdrawn with an
// audit line, the report built from it is no longer offered, and the
// quarter can be accepted again.
func TestUndoAcceptance(t *testing.T) {
	h := newHarness(t)
	robert := h.signedIn("robert@example.gov.uk")
	clerk := h.signedIn("clerk@example.gov.uk")
	_, id := robert.uploadReturn("Robert Henderson", returnFor("Robert Henderson", func(r *row) { r.Update = "Done: " + r.Update }))
	if res := robert.post(h.qpath("/officer", "/submit"), url.Values{"pending": {id}}); res.status != http.StatusSeeOther {
		t.Fatalf("submit: %d", res.status)
	}
	if res := clerk.post(h.qpath("/clerk", "/accept"), nil); res.status != http.StatusSeeOther {
		t.Fatalf("accept: %d", res.status)
	}
	if res := clerk.post(h.qpath("/clerk", "/report"), url.Values{"meeting": {"2021-01-28"}}); res.status != http.StatusSeeOther {
		t.Fatalf("build: %d", res.status)
	}
	page := clerk.get(h.qpath("/clerk", ""))
	mustContain(t, page.body, "Undo acceptance", "The report as PDF")
	m := withdrawForm.FindStringSubmatch(page.body)
	if m == nil {
		t.Fatalf("no undo form:\n%s", page.body)
	}
	action := "/clerk/statements/" + m[1] + "/withdraw"

	// A reason is required; without one nothing changes.
	if res := clerk.post(action, url.Values{"reason": {"  "}}); res.status != http.StatusBadRequest {
		t.Errorf("no reason: %d", res.status)
	}
	if len(h.events("statement.withdraw")) != 0 {
		t.Fatal("withdrawn without a reason")
	}

	h.clock.advance(time.Hour)
	res := clerk.post(action, url.Values{"reason": {"accepted before Jane's return arrived"}})
	if res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), h.qpath("/clerk", "")) {
		t.Fatalf("undo: %d %s", res.status, res.header.Get("Location"))
	}
	after := res.follow(clerk)
	mustContain(t, after.body, "The statement is withdrawn", `tag-blue">Open`, "Accept statement")
	if strings.Contains(after.body, "The report as PDF") || strings.Contains(after.body, "Undo acceptance") {
		t.Errorf("the withdrawn statement's report or undo is still offered:\n%s", after.body)
	}
	if dl := clerk.get(h.qpath("/clerk", "/report/pdf")); dl.status != http.StatusNotFound {
		t.Errorf("download of the withdrawn statement's report: %d", dl.status)
	}
	ev := h.events("statement.withdraw")
	if len(ev) != 1 || ev[0].Actor != "clerk@example.gov.uk" || !strings.Contains(ev[0].Detail, "statement version 1 withdrawn") ||
		!strings.Contains(ev[0].Detail, "accepted before Jane's return arrived") {
		t.Errorf("audit: %+v", ev)
	}
	for _, s := range h.statements() {
		if s.Quarter == testQuarter {
			t.Errorf("the history still has %+v", s)
		}
	}
	hist := clerk.get("/clerk/plans/1/history")
	mustContain(t, hist.body, "Withdrawn</strong>", "accepted before Jane&#39;s return arrived")
	// Officers may send returns again.
	if res, _ := robert.uploadReturn("Robert Henderson", returnFor("Robert Henderson", nil)); res.status != http.StatusOK {
		t.Errorf("upload after the undo: %d", res.status)
	}
	// Accepting again makes version 2.
	if res := clerk.post(h.qpath("/clerk", "/accept"), nil); res.status != http.StatusSeeOther {
		t.Fatalf("accept again: %d\n%s", res.status, res.body)
	}
	mustContain(t, clerk.get(h.qpath("/clerk", "")).body, "Accepted</strong> version 2")
	// Withdrawing twice changes nothing more.
	clerk.post(action, url.Values{"reason": {"again"}})
	if n := len(h.events("statement.withdraw")); n != 1 {
		t.Errorf("%d withdrawals audited", n)
	}
}

// TestReportsOfQuartersKeptApart: two quarters' reports for one meeting
// date used to be written over each other in output/<meeting>/.
func TestReportsOfQuartersKeptApart(t *testing.T) {
	h := newHarness(t)
	clerk := h.signedIn("clerk@example.gov.uk")
	h.addStatement(testQuarter, sampleRows) // 2021-Q1 accepted
	h.openQuarter("2021-Q2", "2021-04-15")
	h.addStatement("2021-Q2", sampleRows[:3])
	q2 := strings.Replace(h.qpath("/clerk", ""), testQuarter, "2021-Q2", 1)
	for _, q := range []string{h.qpath("/clerk", ""), q2} {
		if res := clerk.post(q+"/report", url.Values{"meeting": {"2021-05-06"}}); res.status != http.StatusSeeOther {
			t.Fatalf("build %s: %d\n%s", q, res.status, res.body)
		}
	}
	for _, label := range []string{testQuarter, "2021-Q2"} {
		dir := filepath.Join(h.out, "2021-05-06 "+testPlan+" "+label)
		if _, err := os.Stat(filepath.Join(dir, "action-plan-progress.pdf")); err != nil {
			t.Errorf("%s: %v", label, err)
		}
	}
	// Each quarter's page offers its own files, unchanged.
	j1 := clerk.get(h.qpath("/clerk", "/report/json"))
	j2 := clerk.get(q2 + "/report/json")
	if j1.status != http.StatusOK || j2.status != http.StatusOK || j1.body == j2.body {
		t.Errorf("the two quarters' JSON: %d %d, same: %v", j1.status, j2.status, j1.body == j2.body)
	}

	// A file changed on the server is not offered.
	pdf := filepath.Join(h.out, "2021-05-06 "+testPlan+" 2021-Q2", "action-plan-progress.pdf")
	if err := os.WriteFile(pdf, []byte("%PDF-1.7 something else"), 0o644); err != nil {
		t.Fatal(err)
	}
	page := clerk.get(q2)
	mustContain(t, page.body, "has changed on the server since", "Build it again", "The report as data (JSON)")
	if strings.Contains(page.body, q2+"/report/pdf") {
		t.Errorf("a link to the changed PDF is offered")
	}
	if dl := clerk.get(q2 + "/report/pdf"); dl.status != http.StatusGone {
		t.Errorf("download of the changed PDF: %d", dl.status)
	}
}

func TestReportFolder(t *testing.T) {
	meeting := time.Date(2021, 1, 28, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct{ plan, want string }{
		{"Learning Report Action Plan", "2021-01-28 Learning Report Action Plan 2021-Q1"},
		{"Children's Services (Ofsted) plan", "2021-01-28 Children's Services (Ofsted) plan 2021-Q1"},
		{"../../etc/passwd", "2021-01-28 etc-passwd 2021-Q1"},
		{"a/b\\c:d*e?f\"g<h>i|j", "2021-01-28 a-b-c-d-e-f-g-h-i-j 2021-Q1"},
		{"...", "2021-01-28 plan 7 2021-Q1"},
	} {
		got := reportFolder(Quarter{PlanID: 7, Plan: c.plan, Label: "2021-Q1"}, meeting)
		if got != c.want {
			t.Errorf("%q: %q, want %q", c.plan, got, c.want)
		}
		if strings.ContainsAny(got, "/\\") {
			t.Errorf("%q: a path separator in %q", c.plan, got)
		}
	}
}

// TestOwnerIdentity: an officer set up as "Councillor Paffey" answers for
// the actions the plan gives to "Cllr Paffey" (one rule for who an owner
// is, plan.SameOwner).
func TestOwnerIdentity(t *testing.T) {
	h := newHarness(t)
	h.addUser("paffey@example.gov.uk", "Cllr Paffey", "officer", "Councillor  Paffey")
	o := h.signedIn("paffey@example.gov.uk")
	page := o.get("/officer")
	if page.status != http.StatusOK || strings.Contains(page.body, "No action in the last statement has") {
		t.Fatalf("officer page: %d\n%s", page.status, page.body)
	}
	if res := o.get(h.qpath("/officer", "/return?owner=Cllr+Paffey")); res.status != http.StatusOK {
		t.Errorf("Councillor Paffey's return for Cllr Paffey's actions: %d", res.status)
	}
}
