package portal

import (
	"context"
	"encoding/csv"
	"fmt"
	"html"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"papers/internal/store"
)

// submitReturn uploads and submits a return as c.
func (c *client) submitReturn(owner string, b []byte) {
	c.t.Helper()
	res, id := c.uploadReturn(owner, b)
	if id == "" {
		c.t.Fatalf("upload for %s: %d\n%.2000s", owner, res.status, res.body)
	}
	if res := c.post(c.h.qpath("/officer", "/submit"), url.Values{"pending": {id}}); res.status != http.StatusSeeOther {
		c.t.Fatalf("submit for %s: %d\n%.2000s", owner, res.status, res.body)
	}
}

// wantDownload wants a download of body as an attachment called name, of
// type ctype, that the browser does not keep.
func wantDownload(t *testing.T, res result, ctype, name string, body []byte) {
	t.Helper()
	if res.status != http.StatusOK {
		t.Fatalf("%d, want 200\n%.2000s", res.status, res.body)
	}
	if got := res.header.Get("Content-Type"); got != ctype {
		t.Errorf("Content-Type %q, want %q", got, ctype)
	}
	disp, params, err := mime.ParseMediaType(res.header.Get("Content-Disposition"))
	if err != nil || disp != "attachment" || params["filename"] != name {
		t.Errorf("Content-Disposition %q, want an attachment called %q", res.header.Get("Content-Disposition"), name)
	}
	if got := res.header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", got)
	}
	if body != nil && res.body != string(body) {
		t.Errorf("the download has %d bytes, not the %d kept", len(res.body), len(body))
	}
}

// TestClerkOpensReturns: the clerk opens every version of a return, labelled
// who sent it, when and which version, and downloads each as it was
// uploaded; a return of another quarter is not found through this one.
func TestClerkOpensReturns(t *testing.T) {
	h := newHarness(t)
	robert := h.signedIn("robert@example.gov.uk")
	first := returnFor("Robert Henderson", func(r *row) { r.Update = "First try: " + r.Update })
	robert.submitReturn("Robert Henderson", first)
	h.clock.advance(time.Hour)
	second := returnFor("Robert Henderson", func(r *row) { r.Update = "Second try: " + r.Update })
	robert.submitReturn("Robert Henderson", second)
	rs := h.returns()
	if len(rs) != 2 {
		t.Fatalf("%d returns", len(rs))
	}
	clerk := h.signedIn("clerk@example.gov.uk")
	q := clerk.get(h.qpath("/clerk", ""))
	mustContain(t, q.body, fmt.Sprintf(`<a href="%s">version 2<span class="visually-hidden"> from Robert Henderson</span></a>`, h.qpath("/clerk", fmt.Sprintf("/returns/%d", rs[1].ID))))

	page := clerk.get(h.qpath("/clerk", fmt.Sprintf("/returns/%d", rs[0].ID)))
	if page.status != http.StatusOK {
		t.Fatalf("%d\n%s", page.status, page.body)
	}
	body := html.UnescapeString(page.body)
	mustContain(t, body, "Return for Robert Henderson, version 1", "10 Jan 2021 09:00 by robert@example.gov.uk",
		"First try: Briefings planned for January", "Every version of this return",
		fmt.Sprintf(`<a href="%s">Version 2</a>, 10 Jan 2021 10:00 by robert@example.gov.uk`, h.qpath("/clerk", fmt.Sprintf("/returns/%d", rs[1].ID))))
	if strings.Contains(body, "Second try") {
		t.Error("version 1's page shows version 2's values")
	}
	for i, b := range [][]byte{first, second} {
		res := clerk.get(h.qpath("/clerk", fmt.Sprintf("/returns/%d/file", rs[i].ID)))
		wantDownload(t, res, xlsxType, fmt.Sprintf("2021-Q1 return - Robert Henderson - version %d.xlsx", i+1), b)
	}

	// Through another quarter's address, or an ID that is no return: 404.
	h.openQuarter("2021-Q2", "2021-04-15")
	other := fmt.Sprintf("/clerk/quarters/%d/2021-Q2/returns/%d", h.planID, rs[0].ID)
	for _, path := range []string{other, other + "/file", h.qpath("/clerk", "/returns/999"), h.qpath("/clerk", "/returns/x/file"),
		h.qpath("/clerk", "/returns/99999999999999999999")} {
		if res := clerk.get(path); res.status != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", path, res.status)
		}
	}
}

// TestMergedStatementDownload: before acceptance the clerk downloads the
// workbook accepting would store, byte for byte; while a conflict stands
// there is none; every statement in the history downloads as kept.
func TestMergedStatementDownload(t *testing.T) {
	h := newHarness(t)
	clerk := h.signedIn("clerk@example.gov.uk")
	merged := h.qpath("/clerk", "/statement.xlsx")
	if res := clerk.get(merged); res.status != http.StatusNotFound {
		t.Errorf("no returns yet: %d, want 404", res.status)
	}
	robert := h.signedIn("robert@example.gov.uk")
	jane := h.signedIn("jane@example.gov.uk")
	robert.submitReturn("Robert Henderson", returnFor("Robert Henderson", func(r *row) { r.Update = "Robert: " + r.Update }))
	jane.submitReturn("Jane Smith", returnFor("Jane Smith", func(r *row) { r.Update = "Jane: " + r.Update }))
	if res := clerk.get(merged); res.status != http.StatusConflict {
		t.Errorf("with a conflict: %d, want 409", res.status)
	}
	jane.submitReturn("Jane Smith", returnFor("Jane Smith", func(r *row) {
		r.Update = "Jane: " + r.Update
		if r.Ref == "2.1" {
			r.Update = "Robert: Audit tool agreed"
		}
	}))
	mustContain(t, clerk.get(h.qpath("/clerk", "")).body, `href="`+merged+`"`)
	res := clerk.get(merged)
	wantDownload(t, res, xlsxType, "2021-Q1 Learning Report Action Plan position statement (not yet accepted).xlsx", nil)
	if res := clerk.post(h.qpath("/clerk", "/accept"), nil); res.status != http.StatusSeeOther {
		t.Fatalf("accept: %d", res.status)
	}
	hist := h.statements()
	acc := hist[len(hist)-1]
	if acc.Quarter != testQuarter || acc.SHA256 != store.Digest([]byte(res.body)) {
		t.Errorf("accepted %s %s, not the workbook downloaded before (%s)", acc.Quarter, acc.SHA256, store.Digest([]byte(res.body)))
	}
	for _, rec := range hist {
		_, _, b, err := h.db.Statement(context.Background(), rec.ID)
		if err != nil {
			t.Fatal(err)
		}
		res := clerk.get(fmt.Sprintf("/clerk/statements/%d/file", rec.ID))
		wantDownload(t, res, xlsxType, fmt.Sprintf("%s %s position statement version %d.xlsx", rec.Quarter, testPlan, rec.Version), b)
	}
	mustContain(t, clerk.get(fmt.Sprintf("/clerk/plans/%d/history", h.planID)).body, fmt.Sprintf(`href="/clerk/statements/%d/file"`, acc.ID))
	if res := clerk.get("/clerk/statements/424242/file"); res.status != http.StatusNotFound {
		t.Errorf("no such statement: %d", res.status)
	}
}

// TestClerkEntersReturn: the clerk enters a return for a lead owner who
// phoned it in; the return record and the audit line say it was entered
// by the clerk for that owner, and the owner sees it as theirs.
func TestClerkEntersReturn(t *testing.T) {
	h := newHarness(t)
	clerk := h.signedIn("clerk@example.gov.uk")
	enter := h.qpath("/clerk", "/returns")
	b := returnFor("Jane Smith", func(r *row) { r.Update = "Phoned in: " + r.Update })

	t.Run("mistakes", func(t *testing.T) {
		res := clerk.upload(enter, url.Values{"owner": {"Nobody Known"}}, "return.xlsx", b)
		wantFieldError(t, res, http.StatusBadRequest, "enter-owner", "Choose the lead owner the return is for")
		res = clerk.upload(enter, url.Values{"owner": {"Jane Smith"}}, "", nil)
		wantFieldError(t, res, http.StatusBadRequest, "enter-file", "Select a workbook (.xlsx) to upload")
		res = clerk.upload(enter, url.Values{"owner": {"Jane Smith"}}, "return.xlsx", xlsx("Return", sampleRows))
		if res.status != http.StatusUnprocessableEntity {
			t.Fatalf("others' actions: %d", res.status)
		}
		mustContain(t, html.UnescapeString(res.body), `<p class="error-message" id="enter-file-error"><span class="visually-hidden">Error:</span> This return cannot be kept: The return includes 2 actions led by others`)
		if n := len(h.returns()); n != 0 {
			t.Errorf("%d returns stored by mistakes", n)
		}
	})

	res := clerk.upload(enter, url.Values{"owner": {"jane smith"}}, "phoned in.xlsx", b)
	loc := wantRedirect(t, res, h.qpath("/clerk", "/returns/"))
	rs := h.returns()
	if len(rs) != 1 || rs[0].Owner != "Jane Smith" || rs[0].SubmittedBy != "clerk@example.gov.uk" {
		t.Fatalf("returns: %+v", rs)
	}
	e := h.lastEvent(enterEvent)
	if e.Actor != "clerk@example.gov.uk" || e.SHA256 != rs[0].SHA256 ||
		!strings.Contains(e.Detail, "return for Jane Smith, version 1, entered by clerk@example.gov.uk for Jane Smith") {
		t.Errorf("audit line: %+v", e)
	}
	page := html.UnescapeString(clerk.get(loc).body)
	mustContain(t, page, "The return is kept as entered by you", "Entered</dt><dd>10 Jan 2021 09:00 by clerk@example.gov.uk, for Jane Smith", "Phoned in: Draft is with legal services")
	// Jane sees it as her return, entered by the clerk.
	jane := h.signedIn("jane@example.gov.uk")
	mustContain(t, jane.get("/officer").body, "Received", "version 1")
	mine := html.UnescapeString(jane.get(h.qpath("/officer", fmt.Sprintf("/returns/%d", rs[0].ID))).body)
	mustContain(t, mine, "by clerk@example.gov.uk, entered by the clerk for Jane Smith", "Phoned in: Draft is with legal services")
	// Robert does not answer for Jane Smith.
	if res := h.signedIn("robert@example.gov.uk").get(h.qpath("/officer", fmt.Sprintf("/returns/%d", rs[0].ID))); res.status != http.StatusForbidden {
		t.Errorf("another officer opens Jane's return: %d", res.status)
	}
}

var auditRow = regexp.MustCompile(`<tr><td data-label="When"`)

// TestAuditLogPage: the clerk filters the audit log by quarter, person and
// action, pages through it (50 lines a page) and downloads it as CSV with
// formulas defused; a filter that is not in the lists is refused beside
// its field.
func TestAuditLogPage(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	for i := range 120 {
		h.db.Audit(ctx, store.Event{At: h.clock.Now(), Actor: "robert@example.gov.uk", Action: "return.download", Detail: fmt.Sprintf("%s %s: download %d", testPlan, testQuarter, i)})
	}
	h.db.Audit(ctx, store.Event{At: h.clock.Now(), Actor: "=cmd|' /C calc'!A0", Action: "return.download", Detail: "@SUM(1+1) 2020-Q4"})
	h.db.Audit(ctx, store.Event{At: h.clock.Now(), Actor: "jane@example.gov.uk", Action: "return.submit", Detail: "-2+3 in 2020-Q3"})
	clerk := h.signedIn("clerk@example.gov.uk")

	res := clerk.get("/clerk/audit?quarter=2021-Q1&person=ROBERT@example.gov.uk&action=return.download")
	if res.status != http.StatusOK {
		t.Fatalf("%d\n%s", res.status, res.body)
	}
	mustContain(t, res.body, "120 lines, page 1 of 3, newest first", "download 119", `rel="next"`)
	if n := len(auditRow.FindAllString(res.body, -1)); n != auditPageSize {
		t.Errorf("page 1 has %d lines, want %d", n, auditPageSize)
	}
	res = clerk.get("/clerk/audit?quarter=2021-Q1&person=robert@example.gov.uk&action=return.download&page=3")
	if n := len(auditRow.FindAllString(res.body, -1)); n != 20 || !strings.Contains(res.body, "download 0<") || strings.Contains(res.body, `rel="next"`) {
		t.Errorf("page 3 has %d lines:\n%s", n, res.body)
	}
	res = clerk.get("/clerk/audit?person=jane@example.gov.uk")
	mustContain(t, html.UnescapeString(res.body), "1 line, newest first", "-2+3 in 2020-Q3")

	for _, tc := range []struct{ query, field, msg string }{
		{"quarter=Q5", "audit-quarter", "Choose a quarter from the list, like 2021-Q1"},
		{"person=someone@else", "audit-person", "Choose a person from the list: nobody of that name is in the audit log"},
		{"action=drop+table", "audit-action", "Choose an action from the list"},
		{"page=0", "audit-quarter", "The page number must be between 1 and 10000"},
		{"page=10001", "audit-quarter", "The page number must be between 1 and 10000"},
		{"person=" + strings.Repeat("x", 5000), "audit-person", "Choose a person from the list: nobody of that name is in the audit log"},
	} {
		res := clerk.get("/clerk/audit?" + tc.query)
		if tc.field == "audit-quarter" && strings.HasPrefix(tc.query, "page") {
			if res.status != http.StatusBadRequest || !strings.Contains(res.body, tc.msg) {
				t.Errorf("%.40s: %d", tc.query, res.status)
			}
			continue
		}
		wantFieldError(t, res, http.StatusBadRequest, tc.field, tc.msg)
	}
	if res := clerk.get("/clerk/audit.csv?action=drop+table"); res.status != http.StatusBadRequest {
		t.Errorf("CSV with a bad filter: %d", res.status)
	}

	res = clerk.get("/clerk/audit.csv?action=return.download")
	wantDownload(t, res, "text/csv; charset=utf-8", "audit log return.download.csv", nil)
	recs, err := csv.NewReader(strings.NewReader(res.body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 122 || recs[0][2] != "Who" {
		t.Fatalf("%d CSV rows, want a header and 121", len(recs))
	}
	if recs[1][2] != "'=cmd|' /C calc'!A0" || recs[1][5] != "'@SUM(1+1) 2020-Q4" {
		t.Errorf("formulas not defused: %q", recs[1])
	}
	res = clerk.get("/clerk/audit.csv?person=jane@example.gov.uk")
	if recs, _ := csv.NewReader(strings.NewReader(res.body)).ReadAll(); len(recs) != 2 || recs[1][5] != "'-2+3 in 2020-Q3" {
		t.Errorf("Jane's lines: %q", recs)
	}
}
