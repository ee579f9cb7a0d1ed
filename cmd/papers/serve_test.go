package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"papers/internal/plan"
	"papers/internal/portal"
	"papers/internal/store"
	"papers/internal/workbook"
)

// syncBuffer is stdout for a command running in another goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// portalConfigFile copies the sample config into a temporary folder, so the
// database and the report land there, with the templates folder it names.
func portalConfigFile(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(sampleConfig)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(mustAbs(t, filepath.Join("..", "..", "templates")), filepath.Join(dir, "templates")); err != nil {
		t.Fatal(err)
	}
	return p
}

var passwordLine = regexp.MustCompile(`(?m)^    (\S+-\S+-\S+-\S+)$`)

func addUser(t *testing.T, cfg string, args ...string) string {
	t.Helper()
	stdout, stderr, code := papers(t, append([]string{"users", "add", "--config", cfg}, args...)...)
	if code != 0 {
		t.Fatalf("users add: exit %d: %s", code, stderr)
	}
	m := passwordLine.FindStringSubmatch(stdout)
	if m == nil {
		t.Fatalf("no password in:\n%s", stdout)
	}
	keepPassword(t, filepath.Join(filepath.Dir(cfg), "data", "papers.db"), args[2])
	return m[1]
}

// keepPassword makes the one-time password of the account for email the
// account's own, as if they had chosen it, so tests can sign in with it
// more than once.
func keepPassword(t *testing.T, dbPath, email string) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	u, err := db.UserByEmail(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	if !u.MustChangePassword {
		t.Fatalf("%s: a new account's password is not one-time", email)
	}
	if err := db.SetPasswordHash(ctx, u.ID, u.PasswordHash, false); err != nil {
		t.Fatal(err)
	}
}

func TestUsersAdd(t *testing.T) {
	cfg := portalConfigFile(t)
	stdout, _, code := papers(t, "users", "add", "Robert Henderson", "--config", cfg, "--email", "robert@council.example",
		"--role", "officer", "--owner", "Robert Henderson", "--owner", "Cllr Paffey")
	if code != 0 || !strings.Contains(stdout, "Added officer account for Robert Henderson <robert@council.example>, answering for Robert Henderson and Cllr Paffey.") ||
		!passwordLine.MatchString(stdout) {
		t.Errorf("exit %d:\n%s", code, stdout)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(cfg), "data", "papers.db")); err != nil {
		t.Errorf("the database is not at portal.database: %v", err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"X", "--email", "robert@council.example", "--role", "clerk"}, "there is already an account for robert@council.example"},
		{[]string{"X", "--email", "x@council.example", "--role", "officer"}, "an officer needs at least one --owner"},
		{[]string{"X", "--email", "x@council.example", "--role", "admin"}, `role "admin": use officer or clerk`},
		{[]string{"X", "--email", "not-an-address", "--role", "clerk"}, "is not an email address"},
		{[]string{"X", "--role", "clerk"}, `required flag(s) "email" not set`},
	} {
		_, stderr, code := papers(t, append([]string{"users", "add", "--config", cfg}, tc.args...)...)
		if code != 1 || !strings.Contains(stderr, tc.want) || strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
			t.Errorf("%v: exit %d, %q; want one line with %q", tc.args, code, stderr, tc.want)
		}
	}
}

// TestUsersAddWarnsOfUnknownOwners: an officer's lead owner that no action
// in the latest statement has (a name mistyped, say) is added, with a
// warning naming it; with no statement kept yet, a note says the names were
// not checked.
func TestUsersAddWarnsOfUnknownOwners(t *testing.T) {
	cfg := portalConfigFile(t)
	_, stderr, code := papers(t, "users", "add", "Jane Smith", "--config", cfg, "--email", "jane@council.example", "--role", "officer", "--owner", "Jane Smith")
	if code != 0 || !strings.Contains(stderr, "note: the history holds no statement yet, so the lead owners' names were not checked against the plan.") {
		t.Errorf("before any statement: exit %d, %q", code, stderr)
	}
	if _, stderr, code := papers(t, "history", "add", octoberStatement, "--quarter", "2020-Q4", "--by", "Clerk", "--config", cfg); code != 0 {
		t.Fatalf("history add: %d %s", code, stderr)
	}
	stdout, stderr, code := papers(t, "users", "add", "Robert Henderson", "--config", cfg, "--email", "robert@council.example", "--role", "officer",
		"--owner", "robert  HENDERSON", "--owner", "Robert Hendersen", "--owner", "Nobody Here")
	if code != 0 || !passwordLine.MatchString(stdout) {
		t.Fatalf("exit %d:\n%s\n%s", code, stdout, stderr)
	}
	want := `warning: no action in the latest statement of Learning Report Action Plan (2020-Q4 statement, version 1) has "Robert Hendersen" or "Nobody Here" as its lead owner: check the names against the plan's Lead Owner column (case and spacing aside). Until a statement names them, the officer has nothing to return for them.`
	if strings.TrimSpace(stderr) != want {
		t.Errorf("stderr\n%q, want\n%q", stderr, want)
	}
	// Names the statement has: no warning.
	if _, stderr, code := papers(t, "users", "add", "Other", "--config", cfg, "--email", "other@council.example", "--role", "officer", "--owner", "Robert Henderson"); code != 0 || stderr != "" {
		t.Errorf("exit %d, %q", code, stderr)
	}
}

// portalClient is a browser without a browser: it keeps cookies and reads
// each page's CSRF token.
type portalClient struct {
	t    *testing.T
	base string
	c    *http.Client
	csrf string
}

var csrfValue = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

func newPortalClient(t *testing.T, base string) *portalClient {
	jar, _ := cookiejar.New(nil)
	return &portalClient{t: t, base: base, c: &http.Client{Jar: jar}}
}

func (p *portalClient) do(req *http.Request) (int, string) {
	p.t.Helper()
	res, err := p.c.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if m := csrfValue.FindSubmatch(b); m != nil {
		p.csrf = string(m[1])
	}
	return res.StatusCode, string(b)
}

func (p *portalClient) get(path string) (int, string) {
	req, _ := http.NewRequest(http.MethodGet, p.base+path, nil)
	return p.do(req)
}

func (p *portalClient) post(path string, form url.Values) (int, string) {
	form.Set("csrf_token", p.csrf)
	req, _ := http.NewRequest(http.MethodPost, p.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return p.do(req)
}

func (p *portalClient) upload(path string, form url.Values, name string, file []byte) (int, string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	form.Set("csrf_token", p.csrf)
	for k, vs := range form {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	w, _ := mw.CreateFormFile("file", name)
	w.Write(file)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, p.base+path, &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return p.do(req)
}

func (p *portalClient) signIn(email, password string) {
	p.t.Helper()
	p.get("/signin")
	if code, body := p.post("/signin", url.Values{"email": {email}, "password": {password}}); code != http.StatusOK || strings.Contains(body, "There is a problem") {
		p.t.Fatalf("sign in as %s: %d\n%s", email, code, body)
	}
}

// TestServe runs papers serve and a quarter through it over HTTP with the
// real returns: the officer's return is made by package returns, filled in,
// uploaded and merged; the clerk accepts and builds the report.
func TestServe(t *testing.T) {
	cfg := portalConfigFile(t)
	clerkPW := addUser(t, cfg, "Clara Clerk", "--email", "clerk@council.example", "--role", "clerk")
	officerPW := addUser(t, cfg, "Robert Henderson", "--email", "robert@council.example", "--role", "officer", "--owner", "Robert Henderson")

	ctx, stop := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	exited := make(chan int, 1)
	go func() {
		exited <- run(ctx, []string{"serve", "--config", cfg, "--addr", "127.0.0.1:0"}, &stdout, &stderr)
	}()
	addr := regexp.MustCompile(`portal at (http://127\.0\.0\.1:\d+)`)
	var base string
	for deadline := time.Now().Add(10 * time.Second); base == ""; time.Sleep(20 * time.Millisecond) {
		if m := addr.FindStringSubmatch(stdout.String()); m != nil {
			base = m[1]
		}
		if time.Now().After(deadline) {
			t.Fatalf("the portal did not start:\n%s\n%s", stdout.String(), stderr.String())
		}
	}

	clerk := newPortalClient(t, base)
	clerk.signIn("clerk@council.example", clerkPW)
	october, err := os.ReadFile(octoberStatement)
	if err != nil {
		t.Fatal(err)
	}
	if code, body := clerk.upload("/clerk/statements", url.Values{"plan": {"Learning Report Action Plan"}, "quarter": {"2020-Q4"}, "kind": {"statement"}},
		"2020-10 position statement.xlsx", october); code != http.StatusOK || !strings.Contains(body, "version 1") {
		t.Fatalf("add the October statement: %d\n%s", code, body)
	}
	if code, body := clerk.post("/clerk/quarters", url.Values{"plan": {"Learning Report Action Plan"}, "quarter": {"2021-Q1"}, "deadline": {"15/01/2021"}}); code != http.StatusOK || !strings.Contains(body, "Quarter 2021-Q1") {
		t.Fatalf("open the quarter: %d\n%s", code, body)
	}

	officer := newPortalClient(t, base)
	officer.signIn("robert@council.example", officerPW)
	q := "/officer/quarters/1/2021-Q1"
	code, blank := officer.get(q + "/return?owner=Robert+Henderson")
	if code != http.StatusOK || !strings.HasPrefix(blank, "PK") {
		t.Fatalf("download the return: %d %.200s", code, blank)
	}
	ret, err := workbook.ReadReturn(strings.NewReader(blank), "return.xlsx", workbook.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if ret.Owner != "Robert Henderson" || ret.Quarter != "2021-Q1" || len(ret.Lines) == 0 {
		t.Fatalf("return for %q, %q, %d lines", ret.Owner, ret.Quarter, len(ret.Lines))
	}

	// Tampered: a locked cell changed. Refused, with the cell.
	tampered := *ret
	tampered.Lines = append(tampered.Lines[:0:0], ret.Lines...)
	tampered.Lines[0].Action = "Something else entirely"
	var tb bytes.Buffer
	if err := workbook.WriteReturn(&tb, &tampered, workbook.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	code, body := officer.upload(q+"/upload", url.Values{"owner": {"Robert Henderson"}}, "return.xlsx", tb.Bytes())
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "locked cell was changed") || !strings.Contains(body, "Something else entirely") {
		t.Fatalf("tampered return: %d\n%s", code, body)
	}

	// The position statement uploaded by mistake: refused in the
	// officer's words, with no command names and no SHA-256.
	code, body = officer.upload(q+"/upload", url.Values{"owner": {"Robert Henderson"}}, "2020-10 position statement.xlsx", october)
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "This workbook is not a return") {
		t.Fatalf("the statement uploaded as a return: %d\n%s", code, body)
	}
	noCommandsOrDigests(t, "the statement uploaded as a return", body)

	// Dates that cannot be read: each is warned about once, by its cell,
	// naming its text once, and a completion date that cannot be read is
	// not also said to be missing.
	bad := *ret
	bad.Lines = append(bad.Lines[:0:0], ret.Lines...)
	bad.Lines[0].Update, bad.Lines[0].Status, bad.Lines[0].Completed = "Done.", "Complete", plan.TargetDate{Text: "31/02/2021"}
	bad.Lines[1].Update, bad.Lines[1].Revised = "Later.", plan.TargetDate{Text: "By 32nd Dec 20"}
	var bb bytes.Buffer
	if err := workbook.WriteReturn(&bb, &bad, workbook.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	code, body = officer.upload(q+"/upload", url.Values{"owner": {"Robert Henderson"}}, "return.xlsx", bb.Bytes())
	if code != http.StatusOK || !strings.Contains(body, "Problems in the workbook") {
		t.Fatalf("return with unreadable dates: %d\n%s", code, body)
	}
	for _, text := range []string{"31/02/2021", "By 32nd Dec 20"} {
		if n := strings.Count(body, text); n != 1 {
			t.Errorf("%q is on the preview %d times, want once:\n%s", text, n, body)
		}
	}
	if strings.Contains(body, "no date completed is given") {
		t.Errorf("the unreadable completion date is also said to be missing:\n%s", body)
	}
	if !strings.Contains(body, "Marked complete, with no date completed") || strings.Contains(body, "Completed on <") {
		t.Errorf("the action complete by its status alone:\n%s", body)
	}

	// Filled in: the first action complete, the second with an update.
	filled := *ret
	filled.Lines = append(filled.Lines[:0:0], ret.Lines...)
	filled.Lines[0].Update, filled.Lines[0].Status = "Vision launched at the partnership board.", "Complete"
	filled.Lines[0].Completed = plan.TargetDate{Date: plan.Day(2020, time.December, 15), Precision: plan.PrecisionDay, Text: "15/12/2020"}
	filled.Lines[1].Update, filled.Lines[1].Status = "Strategy drafted with front-line staff.", "On track"
	var fb bytes.Buffer
	if err := workbook.WriteReturn(&fb, &filled, workbook.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	code, body = officer.upload(q+"/upload", url.Values{"owner": {"Robert Henderson"}}, "my return.xlsx", fb.Bytes())
	if code != http.StatusOK || !strings.Contains(body, "Check your return before you submit it") ||
		!strings.Contains(body, "Completed on 15 Dec 2020") || !strings.Contains(body, "Strategy drafted with front-line staff.") ||
		!strings.Contains(body, "You left 25 actions empty: 2.2, 2.3") || strings.Contains(body, "Previous update:") {
		t.Fatalf("filled return: %d\n%s", code, body)
	}
	noCommandsOrDigests(t, "the preview", body)
	pending := regexp.MustCompile(`name="pending" value="([^"]+)"`).FindStringSubmatch(body)
	if code, body := officer.post(q+"/submit", url.Values{"pending": {pending[1]}}); code != http.StatusOK || !strings.Contains(body, "Return received") {
		t.Fatalf("submit: %d\n%s", code, body)
	} else {
		noCommandsOrDigests(t, "the receipt", body)
	}

	cq := "/clerk/quarters/1/2021-Q1"
	if code, body := clerk.get(cq); code != http.StatusOK || !strings.Contains(body, "No conflicts") || !strings.Contains(body, "Robert Henderson") {
		t.Fatalf("quarter page: %d\n%s", code, body)
	}
	if code, body := clerk.post(cq+"/accept", url.Values{}); code != http.StatusOK || !strings.Contains(body, "accepted and kept in the history") {
		t.Fatalf("accept: %d\n%s", code, body)
	}
	if code, body := clerk.post(cq+"/report", url.Values{"meeting": {"28/01/2021"}}); code != http.StatusOK || !strings.Contains(body, "The report is built") {
		t.Fatalf("build: %d\n%s", code, body)
	}
	code, pdf := clerk.get(cq + "/report/pdf")
	if code != http.StatusOK || !strings.HasPrefix(pdf, "%PDF") {
		t.Fatalf("PDF: %d %.100q", code, pdf)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(cfg), "output", "2021-01-28 Learning Report Action Plan 2021-Q1", "action-plan-progress.pdf")); err != nil {
		t.Error(err)
	}

	stop()
	select {
	case code := <-exited:
		if code != 0 || !strings.Contains(stdout.String(), "portal stopped") {
			t.Errorf("exit %d\n%s\n%s", code, stdout.String(), stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("papers serve did not stop")
	}
}

// TestReturnsAdapterChoose checks that the portal's merger passes the
// clerk's choices to returns.Merge and reports each conflict with its key
// and values.
func TestReturnsAdapterChoose(t *testing.T) {
	b, err := os.ReadFile(octoberStatement)
	if err != nil {
		t.Fatal(err)
	}
	latest, err := workbook.Read(bytes.NewReader(b), filepath.Base(octoberStatement), workbook.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	a := returnsAdapter{ingest: workbook.DefaultOptions()}
	blank, err := a.ReturnWorkbook(context.Background(), latest, "Robert Henderson", "2021-Q1", time.Date(2021, 1, 15, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	ret, err := workbook.ReadReturn(bytes.NewReader(blank), "return.xlsx", workbook.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Two returns for one owner that disagree about the first action.
	var files []portal.ReturnFile
	for _, update := range []string{"First account of it.", "Second account of it."} {
		r := *ret
		r.Lines = append(r.Lines[:0:0], ret.Lines...)
		r.Lines[0].Update = update
		var rb bytes.Buffer
		if err := workbook.WriteReturn(&rb, &r, workbook.WriteOptions{}); err != nil {
			t.Fatal(err)
		}
		files = append(files, portal.ReturnFile{Owner: "Robert Henderson", Name: fmt.Sprintf("return %d.xlsx", len(files)+1), Bytes: rb.Bytes()})
	}
	ref := strings.TrimSpace(ret.Lines[0].Ref)
	m, err := a.Merge(latest, "2021-Q1", files, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Conflicts) != 1 || len(m.Resolved) != 0 {
		t.Fatalf("unresolved %+v, resolved %+v; want one unresolved", m.Conflicts, m.Resolved)
	}
	c := m.Conflicts[0]
	if c.Key != ref+":update" || c.Field != "update" || c.FieldName() != "update" || c.Chosen != -1 || len(c.Values) != 2 || c.Values[1].Text != "Second account of it." ||
		len(c.Values[1].From) != 1 || c.Values[1].From[0] != "Robert Henderson" {
		t.Fatalf("conflict %+v", c)
	}
	m, err = a.Merge(latest, "2021-Q1", files, map[string]string{c.Key: "2"})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Conflicts) != 0 || len(m.Resolved) != 1 || m.Resolved[0].Chosen != 1 {
		t.Fatalf("after choosing: unresolved %+v, resolved %+v", m.Conflicts, m.Resolved)
	}
	for _, act := range m.Statement.Actions {
		if act.Ref == ref && act.Update != "Second account of it." {
			t.Errorf("%s: update %q, want the chosen value", ref, act.Update)
		}
	}
}

// noCommandsOrDigests fails when text an officer reads names one of papers'
// commands ("papers returns") or holds a SHA-256: officers use the portal,
// never the command line, and a digest means nothing to them.
func noCommandsOrDigests(t *testing.T, what, text string) {
	t.Helper()
	for _, c := range newRootCmd(io.Discard, io.Discard).Commands() {
		if strings.Contains(text, "papers "+c.Name()) {
			t.Errorf("%s names the command %q:\n%s", what, "papers "+c.Name(), text)
		}
	}
	if d := regexp.MustCompile(`[0-9a-fA-F]{64}`).FindString(text); d != "" {
		t.Errorf("%s shows a SHA-256 (%s):\n%s", what, d, text)
	}
}

// TestReturnsAdapterSpeaksToOfficers: whatever an officer uploads as a
// return (a position statement, or any file of the hostile corpus), what
// the adapter says about it names no command.
func TestReturnsAdapterSpeaksToOfficers(t *testing.T) {
	b, err := os.ReadFile(octoberStatement)
	if err != nil {
		t.Fatal(err)
	}
	latest, err := workbook.Read(bytes.NewReader(b), filepath.Base(octoberStatement), workbook.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	files := []portal.ReturnFile{{Owner: "Robert Henderson", Name: "2020-10 position statement.xlsx", Bytes: b}}
	for _, c := range badInputs {
		fb, err := os.ReadFile(filepath.Join(badInputDir, c.name))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, portal.ReturnFile{Owner: "Robert Henderson", Name: c.name, Bytes: fb})
	}
	a := returnsAdapter{ingest: workbook.DefaultOptions()}
	for _, f := range files {
		m, err := a.Merge(latest, "2021-Q1", []portal.ReturnFile{f}, nil)
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		rr := m.Returns[0]
		if rr.Rejected == "" && len(rr.Refs) > 0 {
			t.Errorf("%s: taken as a return", f.Name)
		}
		text := rr.Rejected
		for _, p := range rr.Problems {
			text += "\n" + p.Message
		}
		noCommandsOrDigests(t, f.Name, text)
	}
	m, _ := a.Merge(latest, "2021-Q1", files[:1], nil)
	if got := m.Returns[0].Rejected; !strings.HasPrefix(got, "This workbook is not a return: none of its sheets has a return's columns") {
		t.Errorf("the statement as a return: %q", got)
	}
}
