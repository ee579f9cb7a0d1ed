package portal

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestQuarterFlow walks a quarter through every page: the officer's
// download, upload, preview and submit; the clerk's quarter page, chase
// list, acceptance, report and history.
func TestQuarterFlow(t *testing.T) {
	h := newHarness(t)
	robert := h.signedIn("robert@example.gov.uk")

	home := robert.get("/officer")
	if home.status != http.StatusOK {
		t.Fatalf("officer page: %d", home.status)
	}
	mustContain(t, home.body, `lang="en-GB"`, `href="#main"`, "<h1>Your returns</h1>", "2021-Q1", "15 January 2021",
		"Return for Robert Henderson", "Robert Henderson leads 2 open actions", "Hold staff briefings on whistleblowing", "Review supervision records", "Not sent yet")
	if strings.Contains(home.body, "Publish the revised whistleblowing policy") {
		t.Error("Robert's page lists Jane's action")
	}

	dl := robert.get(h.qpath("/officer", "/return?owner=Robert+Henderson"))
	if dl.status != http.StatusOK || !strings.HasPrefix(dl.body, "PK") {
		t.Fatalf("download: %d %q", dl.status, dl.body[:min(len(dl.body), 200)])
	}
	if cd := dl.header.Get("Content-Disposition"); !strings.Contains(cd, "attachment") || !strings.Contains(cd, "2021-Q1 return - Robert Henderson.xlsx") {
		t.Errorf("Content-Disposition %q", cd)
	}

	// A filled return: 1.1 completed, 2.1's target moved by a month.
	filled := returnFor("Robert Henderson", func(r *row) {
		switch r.Ref {
		case "1.1":
			r.Completed, r.Update = "12/01/2021", "All four briefings held; 120 staff attended."
		case "2.1":
			r.Target, r.Update = "30/04/2021", "Audit delayed by the Covid surge; now due April."
		}
	})
	preview, id := robert.uploadReturn("Robert Henderson", filled)
	if preview.status != http.StatusOK || id == "" {
		t.Fatalf("upload: %d\n%s", preview.status, preview.body)
	}
	mustContain(t, preview.body, "Check your return before you submit it", "Completed on 12 Jan 2021",
		"Target moved from 31 Mar 2021 to 30 Apr 2021 (30 days later)", "All four briefings held; 120 staff attended.", "Submit return")
	if n := len(h.returns()); n != 0 {
		t.Fatalf("%d returns stored before submit", n)
	}

	// Post, redirect, get: the receipt is a page of its own, and loading
	// it again sends nothing again.
	sent := robert.post(h.qpath("/officer", "/submit"), url.Values{"pending": {id}})
	receipt := wantRedirect(t, sent, h.qpath("/officer", "/returns/"))
	done := sent.follow(robert)
	if done.status != http.StatusOK {
		t.Fatalf("submit: %d\n%s", done.status, done.body)
	}
	mustContain(t, done.body, "Return received", "version 1", "All four briefings held; 120 staff attended.")
	if again := robert.get(receipt); again.status != http.StatusOK || len(h.returns()) != 1 || len(h.events("return.submit")) != 1 {
		t.Errorf("the receipt loaded again: %d, %d returns, %d audit lines", again.status, len(h.returns()), len(h.events("return.submit")))
	}
	rs := h.returns()
	if len(rs) != 1 || rs[0].Owner != "Robert Henderson" || rs[0].SubmittedBy != "robert@example.gov.uk" || rs[0].Actions != 2 {
		t.Fatalf("returns: %+v", rs)
	}
	if ev := h.events("return.submit"); len(ev) != 1 || ev[0].SHA256 != rs[0].SHA256 || ev[0].Actor != "robert@example.gov.uk" {
		t.Errorf("audit: %+v", ev)
	}
	again := robert.post(h.qpath("/officer", "/submit"), url.Values{"pending": {id}})
	if again.status != http.StatusGone || len(h.returns()) != 1 {
		t.Errorf("second submit of one upload: %d, %d returns", again.status, len(h.returns()))
	}
	mustContain(t, robert.get("/officer").body, "Received", "version 1")

	clerk := h.signedIn("clerk@example.gov.uk")
	q := clerk.get(h.qpath("/clerk", ""))
	if q.status != http.StatusOK {
		t.Fatalf("quarter page: %d", q.status)
	}
	mustContain(t, q.body, "Quarter 2021-Q1", "1 received, 2 outstanding", "Jane Smith", "Cllr Paffey", "Outstanding",
		"No conflicts", "Accept statement")

	csv := clerk.get(h.qpath("/clerk", "/chase.csv"))
	if csv.status != http.StatusOK || !strings.HasPrefix(csv.header.Get("Content-Type"), "text/csv") {
		t.Fatalf("chase list: %d %s", csv.status, csv.header.Get("Content-Type"))
	}
	mustContain(t, csv.body, "Lead owner,Open actions,Return,Version,Submitted by,Submitted at,Late,Deadline,Email\n",
		"Jane Smith,2,outstanding,,,,,2021-01-15,jane@example.gov.uk\n", "Cllr Paffey,1,outstanding,,,,,2021-01-15,\n",
		"Robert Henderson,2,received,1,robert@example.gov.uk,2021-01-10 09:00,,2021-01-15,robert@example.gov.uk\n")

	acc := clerk.post(h.qpath("/clerk", "/accept"), nil)
	if acc.status != http.StatusSeeOther {
		t.Fatalf("accept: %d\n%s", acc.status, acc.body)
	}
	mustContain(t, acc.follow(clerk).body, "accepted and kept in the history", "Accepted</strong> version 1")
	var accepted int
	for _, s := range h.statements() {
		if s.Quarter == testQuarter && s.Kind == "statement" {
			accepted++
		}
	}
	if accepted != 1 || len(h.events("statement.accept")) != 1 {
		t.Fatalf("accepted statements %d, audit %d", accepted, len(h.events("statement.accept")))
	}
	// The quarter is closed to officers now.
	if res, _ := robert.uploadReturn("Robert Henderson", filled); res.status != http.StatusConflict {
		t.Errorf("upload after acceptance: %d", res.status)
	}

	built := clerk.post(h.qpath("/clerk", "/report"), url.Values{"meeting": {"2021-01-28"}})
	if built.status != http.StatusSeeOther {
		t.Fatalf("build: %d\n%s", built.status, built.body)
	}
	mustContain(t, built.follow(clerk).body, "The report is built", "The report as PDF", "The report as Word (DOCX)", "The report as data (JSON)")
	for _, ext := range []string{".pdf", ".docx", ".json"} {
		if _, err := os.Stat(filepath.Join(h.out, "2021-01-28 "+testPlan+" "+testQuarter, "action-plan-progress"+ext)); err != nil {
			t.Error(err)
		}
	}
	pdf := clerk.get(h.qpath("/clerk", "/report/pdf"))
	if pdf.status != http.StatusOK || !strings.HasPrefix(pdf.body, "%PDF") || pdf.header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("PDF: %d %s", pdf.status, pdf.header.Get("Content-Type"))
	}
	js := clerk.get(h.qpath("/clerk", "/report/json"))
	mustContain(t, js.body, `"completed_this_period": true`)
	if len(h.events("report.build")) != 1 {
		t.Error("report build not audited")
	}

	hist := clerk.get("/clerk/plans/1/history")
	if hist.status != http.StatusOK {
		t.Fatalf("history: %d", hist.status)
	}
	mustContain(t, hist.body, "History of Learning Report Action Plan", "2020-Q4", "2021-Q1 Learning Report Action Plan position statement.xlsx")
}

func TestClerkHome(t *testing.T) {
	h := newHarness(t)
	clerk := h.signedIn("clerk@example.gov.uk")
	res := clerk.get("/clerk")
	if res.status != http.StatusOK {
		t.Fatal(res.status)
	}
	mustContain(t, res.body, "<h1>Quarters</h1>", "2021-Q1", "Open quarter", `for="deadline"`, "Add a statement or the plan as agreed", "History of Learning Report Action Plan")

	t.Run("open a quarter", func(t *testing.T) {
		res := clerk.post("/clerk/quarters", url.Values{"plan": {"Learning Report Action Plan"}, "quarter": {"2021-q2"}, "deadline": {"2021-04-15"}})
		if res.status != http.StatusSeeOther || res.header.Get("Location") != "/clerk/quarters/1/2021-Q2?done=opened" {
			t.Fatalf("%d %s", res.status, res.header.Get("Location"))
		}
		mustContain(t, res.follow(clerk).body, "Quarter 2021-Q2", "15 April 2021", "The quarter is open")
		if len(h.events(quarterEvent)) != 2 {
			t.Error("opening not in the audit log")
		}
	})
	t.Run("invalid", func(t *testing.T) {
		res := clerk.post("/clerk/quarters", url.Values{"plan": {""}, "quarter": {"Q5 2021"}, "deadline": {"31/02/2021"}})
		if res.status != http.StatusBadRequest {
			t.Fatal(res.status)
		}
		mustContain(t, res.body, "<title>Error: Quarters", "There is a problem", `<a href="#plan">Enter the plan&#39;s name`,
			`<a href="#quarter">Enter the quarter`, `<a href="#deadline">Enter the deadline`, `value="Q5 2021"`)
	})
	t.Run("add a statement", func(t *testing.T) {
		rows := append([]row{}, sampleRows...)
		rows[0].Target = "By 32nd Dec 20"
		sent := clerk.upload("/clerk/statements", url.Values{"plan": {"Another Plan"}, "quarter": {"2020-Q3"}, "kind": {"baseline"}}, "agreed plan.xlsx", xlsx("Another plan", rows))
		// Post, redirect, get: loading the page again adds nothing.
		loc := wantRedirect(t, sent, "/clerk?done=added&statement=")
		res := sent.follow(clerk)
		mustContain(t, res.body, "agreed plan.xlsx is kept as the plan as agreed for 2020-Q3, version 1", "By 32nd Dec 20")
		mustContain(t, clerk.get(loc).body, "agreed plan.xlsx is kept as the plan as agreed for 2020-Q3, version 1")
		if len(h.events("baseline.upload")) != 1 {
			t.Error("not audited once")
		}
	})
}

func TestSignInPage(t *testing.T) {
	h := newHarness(t)
	c := h.client()
	res := c.get("/signin")
	mustContain(t, res.body, "<h1>Sign in</h1>", `<label class="label" for="email">`, `<label class="label" for="password">`, `autocomplete="current-password"`)
	bad := c.post("/signin", url.Values{"email": {"robert@example.gov.uk"}, "password": {"wrong"}, csrfField: {csrfOf(t, res.body)}})
	if bad.status != http.StatusBadRequest {
		t.Fatal(bad.status)
	}
	mustContain(t, bad.body, "There is a problem", "Enter a correct email address and password", `value="robert@example.gov.uk"`)

	// Home sends each to their own page; next is followed only within the site.
	if loc := c.get("/").header.Get("Location"); loc != "/signin" {
		t.Errorf("anonymous home → %s", loc)
	}
	for _, tc := range []struct{ next, want string }{
		{"/clerk/plans/1/history", "/clerk/plans/1/history"},
		{"https://evil.example/", "/clerk"},
		{"//evil.example/", "/clerk"},
	} {
		c := h.client()
		page := c.get("/signin?next=" + url.QueryEscape(tc.next))
		res := c.post("/signin", url.Values{"email": {"clerk@example.gov.uk"}, "password": {testPassword}, "next": {tc.next}, csrfField: {csrfOf(t, page.body)}})
		if loc := res.header.Get("Location"); loc != tc.want {
			t.Errorf("next %q → %q, want %q", tc.next, loc, tc.want)
		}
	}
	robert := h.signedIn("robert@example.gov.uk")
	if loc := robert.get("/").header.Get("Location"); loc != "/officer" {
		t.Errorf("officer home → %s", loc)
	}
	out := robert.post("/signout", nil)
	if out.status != http.StatusSeeOther || robert.get("/officer").status != http.StatusSeeOther {
		t.Errorf("sign out: %d; officer page after: %d", out.status, robert.get("/officer").status)
	}
}

func TestErrorPages(t *testing.T) {
	h := newHarness(t)
	clerk := h.signedIn("clerk@example.gov.uk")
	for _, path := range []string{"/nowhere", "/clerk/quarters/1/2031-Q1", "/clerk/quarters/x/2021-Q1", "/clerk/plans/99/history", h.qpath("/clerk", "/report/exe")} {
		res := clerk.get(path)
		if res.status != http.StatusNotFound {
			t.Errorf("%s: %d", path, res.status)
		}
		mustContain(t, res.body, `lang="en-GB"`, "<h1>")
	}
	// No report built yet.
	if res := clerk.get(h.qpath("/clerk", "/report/pdf")); res.status != http.StatusNotFound {
		t.Errorf("PDF before building: %d", res.status)
	}
	// Building before accepting.
	res := clerk.post(h.qpath("/clerk", "/report"), url.Values{"meeting": {"2021-01-28"}})
	if res.status != http.StatusConflict {
		t.Errorf("build before accept: %d", res.status)
	}
	mustContain(t, res.body, "Accept the quarter&#39;s statement before building the report")
	// Accepting with no returns.
	if res := clerk.post(h.qpath("/clerk", "/accept"), nil); res.status != http.StatusConflict {
		t.Errorf("accept with no returns: %d", res.status)
	}
}

func TestSecurityHeaders(t *testing.T) {
	h := newHarness(t)
	c := h.client()
	for _, path := range []string{"/signin", "/static/style.css", "/nowhere", "/officer"} {
		res := c.get(path)
		for k, want := range map[string]string{
			"X-Content-Type-Options": "nosniff",
			"Referrer-Policy":        "same-origin",
			"X-Frame-Options":        "DENY",
		} {
			if got := res.header.Get(k); got != want {
				t.Errorf("%s: %s = %q, want %q", path, k, got, want)
			}
		}
		csp := res.header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: CSP %q", path, csp)
		}
	}
	if res := c.get("/static/style.css"); res.status != http.StatusOK || !strings.HasPrefix(res.header.Get("Content-Type"), "text/css") {
		t.Errorf("style sheet: %d %s", res.status, res.header.Get("Content-Type"))
	}
}

func TestChaseListLeavesOutCompleteActions(t *testing.T) {
	h := newHarness(t)
	rows := append([]row{}, sampleRows...)
	rows[3].Completed = "30/11/2020" // Cllr Paffey's only action
	rows[0].Completed = "01/12/2020" // one of Robert's
	h.addStatement("2020-Q4", rows)
	clerk := h.signedIn("clerk@example.gov.uk")
	csv := clerk.get(h.qpath("/clerk", "/chase.csv")).body
	if strings.Contains(csv, "Cllr Paffey") || !strings.Contains(csv, "Robert Henderson,1,outstanding") {
		t.Errorf("chase list:\n%s", csv)
	}
	robert := h.signedIn("robert@example.gov.uk")
	mustContain(t, robert.get("/officer").body, "Robert Henderson leads 1 open action.")
}
