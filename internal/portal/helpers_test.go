package portal

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"html"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"papers/internal/compare"
	"papers/internal/pipeline"
	"papers/internal/plan"
	"papers/internal/report"
	"papers/internal/store"
	"papers/internal/store/pgtest"
	"papers/internal/workbook"
)

const (
	testPlan     = "Learning Report Action Plan"
	testQuarter  = "2021-Q1"
	testPassword = "correct horse battery staple"
)

// clock is a fake clock for the portal's Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// row is one action of a test statement.
type row struct {
	Ref, Rec, Action, Owner, Target, Completed, Update string
}

var header = []string{"Ref", "Recommendation", "Action", "Lead Owner", "Target date", "Date completed", "Update"}

// sampleRows is the latest statement the tests' returns update.
var sampleRows = []row{
	{"1.1", "Recommendation One: Culture", "Hold staff briefings on whistleblowing", "Robert Henderson", "31/01/2021", "", "Briefings planned for January"},
	{"1.2", "Recommendation One: Culture", "Publish the revised whistleblowing policy", "Jane Smith", "28/02/2021", "", "Draft is with legal services"},
	{"2.1", "Recommendation Two: Learning", "Review supervision records across the service", "Robert Henderson / Jane Smith", "31/03/2021", "", "Audit tool agreed"},
	{"2.2", "Recommendation Two: Learning", "Train managers in handling concerns", "Cllr Paffey", "Dec 20", "", "Sessions booked"},
}

// xlsx writes a minimal workbook: one sheet of inline strings, a title row
// then the header and rows. It keeps excelize out of the portal's tests.
func xlsx(title string, rows []row) []byte {
	cells := [][]string{{title}, header}
	for _, r := range rows {
		cells = append(cells, []string{r.Ref, r.Rec, r.Action, r.Owner, r.Target, r.Completed, r.Update})
	}
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	add := func(name, body string) {
		w, _ := z.Create(name)
		io.WriteString(w, body)
	}
	const decl = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`
	add("[Content_Types].xml", decl+`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`)
	add("_rels/.rels", decl+`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	add("xl/workbook.xml", decl+`<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Action Plan" sheetId="1" r:id="rId1"/></sheets></workbook>`)
	add("xl/_rels/workbook.xml.rels", decl+`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`)
	var sb strings.Builder
	sb.WriteString(decl + `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	for i, r := range cells {
		fmt.Fprintf(&sb, `<row r="%d">`, i+1)
		for j, v := range r {
			if v != "" {
				fmt.Fprintf(&sb, `<c r="%c%d" t="inlineStr"><is><t xml:space="preserve">%s</t></is></c>`, 'A'+j, i+1, html.EscapeString(v))
			}
		}
		sb.WriteString(`</row>`)
	}
	sb.WriteString(`</sheetData></worksheet>`)
	add("xl/worksheets/sheet1.xml", sb.String())
	z.Close()
	return buf.Bytes()
}

// rowsOf turns a statement's actions back into test rows.
func rowsOf(st *plan.Statement) []row {
	var rs []row
	for _, a := range st.Actions {
		rec, _ := st.Recommendation(a.Recommendation)
		rs = append(rs, row{a.Ref, rec.Label(), a.Text, a.Owner, a.Schedule.Text, a.Completed.Text, a.Update})
	}
	return rs
}

// ownerRows is the rows of rs that owner leads (alone or jointly).
func ownerRows(rs []row, owner string) []row {
	var out []row
	for _, r := range rs {
		for _, o := range strings.Split(r.Owner, "/") {
			if plan.SameOwner(o, owner) {
				out = append(out, r)
				break
			}
		}
	}
	return out
}

// fakeMaker writes a return as the test rows of the owner's actions.
type fakeMaker struct{}

func (fakeMaker) ReturnWorkbook(ctx context.Context, latest *plan.Statement, owner, quarter string, deadline time.Time) ([]byte, error) {
	return xlsx(fmt.Sprintf("Return for %s, %s, due %s", owner, quarter, deadline.Format("2 Jan 2006")), ownerRows(rowsOf(latest), owner)), nil
}

// fakeMerger reads returns as statements (the test's own layout) and
// applies them by Ref: the update, dates and status of each action in a
// return replace the latest statement's. Two returns giving one action
// different updates are a conflict (key "ref:update"), resolved by choose
// (the value's number); a return for another quarter is rejected.
type fakeMerger struct{}

func (fakeMerger) Merge(latest *plan.Statement, quarter string, files []ReturnFile, choose map[string]string) (Merged, error) {
	out := *latest
	out.Actions = append([]plan.Action(nil), latest.Actions...)
	byRef := map[string]int{}
	for i, a := range out.Actions {
		byRef[a.Ref] = i
	}
	given := map[string][]ConflictValue{} // ref → the distinct updates given, in order
	var order []string
	m := Merged{Statement: &out}
	for _, f := range files {
		var rr ReturnResult
		st, err := workbook.Read(bytes.NewReader(f.Bytes), f.Name, workbook.DefaultOptions())
		switch {
		case err != nil:
			rr.Rejected = err.Error()
		case strings.Contains(st.Title, "WRONG QUARTER"):
			rr.Rejected = "This return is for another quarter, not " + quarter
		}
		if rr.Rejected != "" {
			m.Returns = append(m.Returns, rr)
			continue
		}
		rr.Problems = st.Problems
		for _, a := range st.Actions {
			rr.Refs = append(rr.Refs, a.Ref)
			if a.Update == "" {
				rr.Blank = append(rr.Blank, a.Ref)
			}
			i, ok := byRef[a.Ref]
			if !ok {
				continue
			}
			vals, seen := given[a.Ref]
			if !seen {
				order = append(order, a.Ref)
				cur := &out.Actions[i]
				cur.Update, cur.Schedule, cur.Completed = a.Update, a.Schedule, a.Completed
			}
			found := false
			for j := range vals {
				if vals[j].Text == a.Update {
					vals[j].From = append(vals[j].From, f.Owner)
					found = true
				}
			}
			if !found {
				vals = append(vals, ConflictValue{Text: a.Update, From: []string{f.Owner}})
			}
			given[a.Ref] = vals
		}
		m.Returns = append(m.Returns, rr)
	}
	for _, ref := range order {
		vals := given[ref]
		if len(vals) < 2 {
			continue
		}
		c := Conflict{Key: ref + ":update", Ref: ref, Message: "different updates", Values: vals, Chosen: -1}
		for _, v := range vals {
			c.Owners = append(c.Owners, v.From...)
		}
		i := byRef[ref]
		if n, err := strconv.Atoi(choose[c.Key]); err == nil && n >= 1 && n <= len(vals) {
			c.Chosen = n - 1
			out.Actions[i].Update = vals[n-1].Text
			m.Resolved = append(m.Resolved, c)
		} else {
			out.Actions[i].Update = latest.Actions[i].Update // the previous value stands
			m.Conflicts = append(m.Conflicts, c)
		}
	}
	m.Workbook = xlsx(out.Title, rowsOf(&out))
	return m, nil
}

// unavailable is a maker and merger not yet wired.
type unavailable struct{}

func (unavailable) ReturnWorkbook(context.Context, *plan.Statement, string, string, time.Time) ([]byte, error) {
	return nil, ErrUnavailable
}

func (unavailable) Merge(*plan.Statement, string, []ReturnFile, map[string]string) (Merged, error) {
	return Merged{}, ErrUnavailable
}

func testSettings(asOf, meeting time.Time) (pipeline.Settings, error) {
	return pipeline.Settings{
		Compare: compare.DefaultOptions(asOf),
		Meta: report.Meta{Council: "Test City Council", Committee: "Scrutiny Panel", MeetingDate: meeting,
			DecisionMaker: "Scrutiny Panel", Subject: "Progress", PlanName: testPlan},
	}, nil
}

// harness is a portal over a real store in a temporary folder.
type harness struct {
	t        testing.TB
	db       *store.DB
	database string // where db is: a file or a postgres:// URL
	srv      *Server
	cfg      Config // srv's, for a server restarted on the same database
	ts       *httptest.Server
	clock    *clock
	out      string
	planID   int64
}

type option func(*Config)

// newHarness starts a portal with a clerk, two officers (Robert Henderson,
// Jane Smith), the sample statement for 2020-Q4 and quarter 2021-Q1 open.
func newHarness(t testing.TB, opts ...option) *harness {
	t.Helper()
	h := newBareHarness(t, opts...)
	h.openQuarter(testQuarter, "2021-01-15")
	return h
}

// newBareHarness is newHarness with no quarter open.
func newBareHarness(t testing.TB, opts ...option) *harness {
	t.Helper()
	return newBareHarnessOn(t, "", opts...)
}

// newBareHarnessOn is newBareHarness on the given database (a file or a
// postgres:// URL), or on a new file when database is "" (a new PostgreSQL
// database when PAPERS_TEST_PORTAL_ON_POSTGRES=1, to run every portal test
// on PostgreSQL: .ci/run does).
func newBareHarnessOn(t testing.TB, database string, opts ...option) *harness {
	t.Helper()
	dir := t.TempDir()
	if database == "" {
		database = filepath.Join(dir, "papers.db")
		if os.Getenv("PAPERS_TEST_PORTAL_ON_POSTGRES") == "1" {
			database = pgtest.NewDatabase(t)
		}
	}
	db, err := store.Open(context.Background(), database)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	h := &harness{t: t, db: db, database: database, clock: &clock{t: time.Date(2021, 1, 10, 9, 0, 0, 0, time.UTC)}, out: filepath.Join(dir, "output")}
	cfg := Config{
		Store: db, Maker: fakeMaker{}, Merger: fakeMerger{}, Settings: testSettings,
		Ingest: workbook.DefaultOptions(), OutputDir: h.out, ReportName: "action-plan-progress",
		Now: h.clock.Now, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	for _, o := range opts {
		o(&cfg)
	}
	h.cfg = cfg
	if h.srv, err = New(cfg); err != nil {
		t.Fatal(err)
	}
	h.ts = httptest.NewServer(h.srv)
	t.Cleanup(h.ts.Close)
	h.addUser("clerk@example.gov.uk", "Clara Clerk", store.RoleClerk)
	h.addUser("robert@example.gov.uk", "Robert Henderson", store.RoleOfficer, "Robert Henderson")
	h.addUser("jane@example.gov.uk", "Jane Smith", store.RoleOfficer, "Jane Smith")
	h.addStatement("2020-Q4", sampleRows)
	return h
}

func (h *harness) addUser(email, name string, role store.Role, owners ...string) store.User {
	h.t.Helper()
	hash, err := bcrypt.GenerateFromPassword([]byte(testPassword), bcrypt.MinCost)
	if err != nil {
		h.t.Fatal(err)
	}
	u, err := h.db.AddUser(context.Background(), store.User{Name: name, Email: email, Role: role, PasswordHash: string(hash), CreatedAt: h.clock.Now()})
	if err != nil {
		h.t.Fatal(err)
	}
	if len(owners) > 0 {
		if err := h.db.SetOwners(context.Background(), u.ID, owners); err != nil {
			h.t.Fatal(err)
		}
	}
	return u
}

func (h *harness) addStatement(quarter string, rows []row) {
	h.t.Helper()
	b := xlsx(testPlan+" position statement", rows)
	st, err := workbook.Read(bytes.NewReader(b), quarter+".xlsx", workbook.DefaultOptions())
	if err != nil {
		h.t.Fatal(err)
	}
	_, err = h.db.AddStatement(context.Background(), store.StatementInput{Plan: testPlan, Quarter: quarter, Kind: store.KindStatement,
		FileName: quarter + ".xlsx", Bytes: b, SubmittedBy: "seed", SubmittedAt: h.clock.Now(), Statement: st})
	if err != nil {
		h.t.Fatal(err)
	}
}

// addStoredReturn stores a return for owner as if it had been submitted.
func (h *harness) addStoredReturn(owner string) {
	h.t.Helper()
	h.addStoredReturnBytes(owner, returnFor(owner, func(r *row) { r.Update = "Stored: " + r.Update }))
}

func (h *harness) addStoredReturnBytes(owner string, b []byte) {
	h.t.Helper()
	st, err := workbook.Read(bytes.NewReader(b), "return.xlsx", workbook.DefaultOptions())
	if err != nil {
		h.t.Fatal(err)
	}
	_, err = h.db.AddReturn(context.Background(), store.ReturnInput{Plan: testPlan, Quarter: testQuarter, Owner: owner,
		FileName: "return.xlsx", Bytes: b, SubmittedBy: "seed", SubmittedAt: h.clock.Now(), Statement: st})
	if err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) openQuarter(label, deadline string) {
	h.t.Helper()
	p, err := h.db.EnsurePlan(context.Background(), testPlan)
	if err != nil {
		h.t.Fatal(err)
	}
	d, _ := time.Parse("2006-01-02", deadline)
	if err := h.srv.openQuarter(context.Background(), "seed", p, label, d); err != nil {
		h.t.Fatal(err)
	}
	h.planID = p.ID
}

// qpath is a path under the open quarter: qpath("/officer", "/upload").
func (h *harness) qpath(prefix, suffix string) string {
	return fmt.Sprintf("%s/quarters/%d/%s%s", prefix, h.planID, testQuarter, suffix)
}

func (h *harness) returns() []store.ReturnRecord {
	h.t.Helper()
	rs, err := h.db.ReturnsFor(context.Background(), testPlan, testQuarter)
	if err != nil {
		h.t.Fatal(err)
	}
	return rs
}

func (h *harness) statements() []store.StatementRecord {
	h.t.Helper()
	rs, err := h.db.History(context.Background(), testPlan)
	if err != nil {
		h.t.Fatal(err)
	}
	return rs
}

func (h *harness) events(action string) []store.Event {
	h.t.Helper()
	es, err := h.db.AuditLog(context.Background(), 0, 100000)
	if err != nil {
		h.t.Fatal(err)
	}
	var out []store.Event
	for _, e := range es {
		if action == "" || e.Action == action {
			out = append(out, e)
		}
	}
	return out
}

// client is a browser: it keeps cookies and does not follow redirects.
type client struct {
	t    testing.TB
	h    *harness
	c    *http.Client
	csrf string
	// from, if set, is sent as X-Forwarded-For: where the client is, for a
	// portal that trusts the test's loopback address as its proxy.
	from string
}

func (h *harness) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: h.t, h: h, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// signedIn returns a client signed in as email.
func (h *harness) signedIn(email string) *client {
	c := h.client()
	if res := c.signIn(email, testPassword); res.status != http.StatusSeeOther {
		h.t.Fatalf("sign in as %s: %d\n%s", email, res.status, res.body)
	}
	c.csrf = csrfOf(c.t, c.get("/").follow(c).body)
	return c
}

type result struct {
	status int
	header http.Header
	body   string
}

// follow fetches a redirect's target.
func (r result) follow(c *client) result {
	c.t.Helper()
	for r.status == http.StatusSeeOther || r.status == http.StatusFound {
		r = c.get(r.header.Get("Location"))
	}
	return r
}

func (c *client) do(req *http.Request) result {
	c.t.Helper()
	if c.from != "" {
		req.Header.Set("X-Forwarded-For", c.from)
	}
	res, err := c.c.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return result{res.StatusCode, res.Header, string(b)}
}

func (c *client) get(path string) result {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.h.ts.URL+path, nil)
	return c.do(req)
}

// post sends a form, with the session's CSRF token unless the form has one.
func (c *client) post(path string, form url.Values) result {
	c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form[csrfField]; !ok && c.csrf != "" {
		form.Set(csrfField, c.csrf)
	}
	req, _ := http.NewRequest(http.MethodPost, c.h.ts.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// upload sends a multipart form with a file.
func (c *client) upload(path string, form url.Values, fileName string, file []byte) result {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.h.ts.URL+path, nil)
	body, ctype := multipartBody(c.t, c.withCSRF(form), fileName, file)
	req.Body = io.NopCloser(bytes.NewReader(body))
	req.ContentLength = int64(len(body))
	req.Header.Set("Content-Type", ctype)
	return c.do(req)
}

func (c *client) withCSRF(form url.Values) url.Values {
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form[csrfField]; !ok && c.csrf != "" {
		form.Set(csrfField, c.csrf)
	}
	return form
}

func multipartBody(t testing.TB, form url.Values, fileName string, file []byte) ([]byte, string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, vs := range form {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	if fileName != "" {
		w, err := mw.CreateFormFile("file", fileName)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(file)
	}
	mw.Close()
	return b.Bytes(), mw.FormDataContentType()
}

func (c *client) signIn(email, password string) result {
	c.t.Helper()
	page := c.get("/signin")
	return c.post("/signin", url.Values{"email": {email}, "password": {password}, csrfField: {csrfOf(c.t, page.body)}})
}

var csrfInput = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

func csrfOf(t testing.TB, body string) string {
	t.Helper()
	m := csrfInput.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF token in page:\n%s", body)
	}
	return m[1]
}

var pendingInput = regexp.MustCompile(`name="pending" value="([^"]+)"`)

// checkLocation finds the pending upload's ID in the address an upload
// redirects to.
var checkLocation = regexp.MustCompile(`/check/([^/?]+)$`)

// returnFor is the owner's return with each action changed by edit.
func returnFor(owner string, edit func(*row)) []byte {
	rs := ownerRows(sampleRows, owner)
	for i := range rs {
		if edit != nil {
			edit(&rs[i])
		}
	}
	return xlsx("Return for "+owner, rs)
}

// uploadReturn uploads a return as c and returns the page and the pending upload's ID.
func (c *client) uploadReturn(owner string, b []byte) (result, string) {
	c.t.Helper()
	res := c.upload(c.h.qpath("/officer", "/upload"), url.Values{"owner": {owner}}, "return.xlsx", b)
	// A return that passes its checks is kept for the submit, and the
	// officer is sent to the page that shows it (POST, redirect, GET).
	if res.status == http.StatusSeeOther && strings.HasPrefix(res.header.Get("Location"), c.h.qpath("/officer", "/check/")) {
		res = res.follow(c)
	}
	id := ""
	if m := pendingInput.FindStringSubmatch(res.body); m != nil {
		id = m[1]
	}
	return res, id
}

func mustContain(t testing.TB, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("page does not contain %q:\n%s", w, body)
		}
	}
}
