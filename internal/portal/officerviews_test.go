package portal

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestJointOwnersSeeEachOther: Robert and Jane lead 2.1 together; once
// Jane has sent her return, Robert sees what she said of 2.1 (and only of
// their shared actions) before he sends his.
func TestJointOwnersSeeEachOther(t *testing.T) {
	h := newHarness(t)
	robert := h.signedIn("robert@example.gov.uk")
	jane := h.signedIn("jane@example.gov.uk")
	if strings.Contains(robert.get("/officer").body, "What your joint lead owners have sent") {
		t.Error("shared updates shown before anyone sent one")
	}
	jane.submitReturn("Jane Smith", returnFor("Jane Smith", func(r *row) {
		r.Update = "Jane on " + r.Ref
		if r.Ref == "2.1" {
			r.Target = "30/04/2021"
		}
	}))
	page := html.UnescapeString(robert.get("/officer").body)
	mustContain(t, page, "What your joint lead owners have sent", `<span class="ref">2.1</span> Review supervision records across the service`,
		"From Jane Smith's return, version 1, 10 Jan 2021 09:00", "Jane on 2.1", "30 Apr 2021")
	if strings.Contains(page, "Jane on 1.2") {
		t.Error("Robert sees Jane's update of an action he does not lead")
	}
	// Jane's own page does not show her own return back as a joint owner's.
	if strings.Contains(jane.get("/officer").body, "What your joint lead owners have sent") {
		t.Error("Jane is shown her own return as a joint owner's")
	}
}

// TestPastReturns: after the clerk accepts a quarter, the officer finds
// their returns for it, read-only, with the values they sent; another
// officer does not see them.
func TestPastReturns(t *testing.T) {
	h := newHarness(t)
	robert := h.signedIn("robert@example.gov.uk")
	robert.submitReturn("Robert Henderson", returnFor("Robert Henderson", func(r *row) { r.Update = "Sent in Q1: " + r.Update }))
	if strings.Contains(robert.get("/officer").body, "Your past returns") {
		t.Error("past returns listed before the quarter is accepted")
	}
	clerk := h.signedIn("clerk@example.gov.uk")
	if res := clerk.post(h.qpath("/clerk", "/accept"), nil); res.status != http.StatusSeeOther {
		t.Fatalf("accept: %d", res.status)
	}
	rs := h.returns()
	link := h.qpath("/officer", fmt.Sprintf("/returns/%d", rs[0].ID))
	page := robert.get("/officer")
	mustContain(t, page.body, "No quarter is open for returns", "Your past returns", testPlan+": "+testQuarter,
		fmt.Sprintf(`<a href="%s">Robert Henderson, version 1</a>`, link))
	past := html.UnescapeString(robert.get(link).body)
	mustContain(t, past, "Your return for Robert Henderson, version 1", "The clerk has accepted this quarter's statement", "Sent in Q1: Briefings planned for January")
	if strings.Contains(past, "<form") && strings.Contains(past, "/upload") {
		t.Error("a past return offers an upload")
	}
	if strings.Contains(h.signedIn("jane@example.gov.uk").get("/officer").body, "Robert Henderson, version 1") {
		t.Error("Jane sees Robert's past return")
	}
}

// TestQuarterPageSaysWhat: a conflict names the field the returns disagree
// about, "Values you chose" names it too, "What the returns change" lists
// each action's changes, and a built report says which meeting it is for.
func TestQuarterPageSaysWhat(t *testing.T) {
	h := newHarness(t)
	robert := h.signedIn("robert@example.gov.uk")
	jane := h.signedIn("jane@example.gov.uk")
	robert.submitReturn("Robert Henderson", returnFor("Robert Henderson", func(r *row) { r.Update = "Robert: " + r.Update }))
	jane.submitReturn("Jane Smith", returnFor("Jane Smith", func(r *row) { r.Update = "Jane: " + r.Update }))
	clerk := h.signedIn("clerk@example.gov.uk")
	page := html.UnescapeString(clerk.get(h.qpath("/clerk", "")).body)
	mustContain(t, page, "2.1: Jane Smith and Robert Henderson give different values for the update")
	if res := clerk.post(h.qpath("/clerk", "/choose"), url.Values{"key": {"2.1:update"}, "choice": {"2"}}); res.status != http.StatusSeeOther {
		t.Fatalf("choose: %d", res.status)
	}
	page = html.UnescapeString(clerk.get(h.qpath("/clerk", "")).body)
	mustContain(t, page, "Values you chose", `<th scope="col">Field</th>`, "<tr><td>2.1</td><td>update</td><td>Robert: Audit tool agreed</td><td>Robert Henderson</td></tr>",
		"Action by action", `<span class="ref">1.2</span> Publish the revised whistleblowing policy`, "Update changed", "Jane: Draft is with legal services")
	if res := clerk.post(h.qpath("/clerk", "/accept"), nil); res.status != http.StatusSeeOther {
		t.Fatalf("accept: %d", res.status)
	}
	if res := clerk.post(h.qpath("/clerk", "/report"), url.Values{"meeting": {"28/01/2021"}}); res.status != http.StatusSeeOther {
		t.Fatalf("build: %d\n%s", res.status, res.body)
	}
	mustContain(t, clerk.get(h.qpath("/clerk", "")).body, "for the meeting on <strong>28 January 2021</strong>")
}

// TestFieldErrorsBesideFields: a mistake in a form is shown beside its
// field as well as in the error summary, in the officer's upload form, the
// change of password and the clerk's forms.
func TestFieldErrorsBesideFields(t *testing.T) {
	h := newHarness(t)
	robert := h.signedIn("robert@example.gov.uk")
	clerk := h.signedIn("clerk@example.gov.uk")

	res, _ := robert.uploadReturn("Robert Henderson", []byte("Ref,Action\n"))
	wantFieldError(t, res, http.StatusBadRequest, "file", "The selected file is not an Excel workbook (.xlsx), whatever its name says. Open it in Excel, choose Save As, pick \"Excel Workbook (.xlsx)\" and upload that file.")
	res = robert.post("/password", url.Values{"current": {"wrong"}, "password": {"a much longer password"}, "confirm": {"a much longer password"}})
	wantFieldError(t, res, http.StatusBadRequest, "current", "Your current password is not correct")
	res = robert.post("/password", url.Values{"current": {testPassword}, "password": {"short"}, "confirm": {"other"}})
	wantFieldError(t, res, http.StatusBadRequest, "password", fmt.Sprintf("Your new password must be at least %d characters long", MinPasswordLength))
	res = robert.post("/password", url.Values{"current": {testPassword}, "password": {"a much longer password"}, "confirm": {"another longer password"}})
	wantFieldError(t, res, http.StatusBadRequest, "confirm", "The passwords do not match: type the new password again")

	res = clerk.post("/clerk/quarters", url.Values{"plan": {""}, "quarter": {"Q5"}, "deadline": {"31/02/2021"}})
	wantFieldError(t, res, http.StatusBadRequest, "plan", "Enter the plan's name (at most 200 characters)")
	wantFieldError(t, res, http.StatusBadRequest, "quarter", "Enter the quarter as a year and quarter number, like 2021-Q1")
	wantFieldError(t, res, http.StatusBadRequest, "deadline", "Enter the deadline as a real date, like 15/01/2021")
	res = clerk.upload("/clerk/statements", url.Values{"plan": {""}, "quarter": {"x"}, "kind": {"statement"}}, "", nil)
	wantFieldError(t, res, http.StatusBadRequest, "statement-plan", "Enter the plan's name (at most 200 characters)")
	wantFieldError(t, res, http.StatusBadRequest, "statement-quarter", "Enter the quarter the statement is for, like 2020-Q4")
	wantFieldError(t, res, http.StatusBadRequest, "statement-file", "Select a workbook (.xlsx) to upload")
	res = clerk.upload("/clerk/statements", url.Values{"plan": {testPlan}, "quarter": {"2020-Q1"}, "kind": {"other"}}, "a.xlsx", xlsx("A", sampleRows))
	wantFieldError(t, res, http.StatusBadRequest, "kind", "Choose whether the workbook is the plan as agreed or a position statement")

	robert.submitReturn("Robert Henderson", returnFor("Robert Henderson", func(r *row) { r.Update = "New: " + r.Update }))
	if res := clerk.post(h.qpath("/clerk", "/accept"), nil); res.status != http.StatusSeeOther {
		t.Fatalf("accept: %d", res.status)
	}
	res = clerk.post(h.qpath("/clerk", "/report"), url.Values{"meeting": {"30/02/2021"}})
	wantFieldError(t, res, http.StatusBadRequest, "meeting", "Enter the meeting date as a real date, like 28/01/2021")
	res = clerk.post(h.qpath("/clerk", "/report"), url.Values{"meeting": {"28/01/2021"}, "as_of": {"soon"}})
	wantFieldError(t, res, http.StatusBadRequest, "as_of", "Enter the status date as a real date, like 28/01/2021, or leave it empty")
}

// TestUploadRedirectsToCheck: a return that passes its checks is kept for
// the submit and the officer is sent to a page that shows it, which can be
// loaded again without sending the file again; it is the uploader's only,
// and goes once the return is submitted or the upload expires.
func TestUploadRedirectsToCheck(t *testing.T) {
	h := newHarness(t)
	robert := h.signedIn("robert@example.gov.uk")
	b := returnFor("Robert Henderson", func(r *row) { r.Update = "Checked: " + r.Update })
	sent := robert.upload(h.qpath("/officer", "/upload"), url.Values{"owner": {"Robert Henderson"}}, "return.xlsx", b)
	loc := wantRedirect(t, sent, h.qpath("/officer", "/check/"))
	id := checkLocation.FindStringSubmatch(loc)[1]
	for i := range 2 {
		page := robert.get(loc)
		if page.status != http.StatusOK {
			t.Fatalf("load %d: %d\n%s", i+1, page.status, page.body)
		}
		mustContain(t, html.UnescapeString(page.body), "Check your return before you submit it", "Checked: Briefings planned for January",
			`name="pending" value="`+id+`"`)
	}
	if res := h.signedIn("jane@example.gov.uk").get(loc); res.status != http.StatusGone {
		t.Errorf("another officer loads Robert's check: %d", res.status)
	}
	if res := robert.get(h.qpath("/officer", "/check/"+strings.Repeat("x", 200))); res.status != http.StatusGone {
		t.Errorf("an ID that is no upload's: %d", res.status)
	}
	if res := robert.post(h.qpath("/officer", "/submit"), url.Values{"pending": {id}}); res.status != http.StatusSeeOther {
		t.Fatalf("submit: %d", res.status)
	}
	if res := robert.get(loc); res.status != http.StatusGone || len(h.returns()) != 1 {
		t.Errorf("the check after submitting: %d, %d returns", res.status, len(h.returns()))
	}
	sent = robert.upload(h.qpath("/officer", "/upload"), url.Values{"owner": {"Robert Henderson"}}, "return.xlsx", returnFor("Robert Henderson", nil))
	loc = wantRedirect(t, sent, h.qpath("/officer", "/check/"))
	h.clock.advance(pendingTTL + time.Minute)
	if res := robert.get(loc); res.status != http.StatusGone {
		t.Errorf("an expired upload's check: %d", res.status)
	}
}
