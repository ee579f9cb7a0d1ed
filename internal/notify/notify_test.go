package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"papers/internal/mail"
	"papers/internal/mail/mailtest"
	"papers/internal/plan"
	"papers/internal/portal"
	"papers/internal/store"
)

const (
	testPlan    = "Learning Report Action Plan"
	testQuarter = "2021-Q1"
	portalURL   = "https://papers.council.example"
)

var deadline = plan.Day(2021, 1, 15) // a Friday

// clock is the scheduler's clock, set by the test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// at is a time on a day in London (GMT in January).
func at(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, time.UTC)
}

type fixture struct {
	t     *testing.T
	path  string
	db    *store.DB
	srv   *mailtest.Server
	clock *clock
}

// newFixture is a history with the plan's statement, a clerk, two officers
// (Robert and Jane; nobody answers for Cllr Paffey), the quarter open with
// its deadline on 15 January 2021, and an SMTP server.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{t: t, path: filepath.Join(t.TempDir(), "papers.db"), srv: mailtest.Start(t), clock: &clock{t: at(2021, 1, 1, 7, 0)}}
	f.db = f.open()
	p, err := f.db.EnsurePlan(ctx, testPlan)
	if err != nil {
		t.Fatal(err)
	}
	st := &plan.Statement{File: "plan.xlsx", Actions: []plan.Action{
		{Ref: "1.1", Text: "Hold briefings", Owner: "Robert Henderson", Owners: []string{"Robert Henderson"}},
		{Ref: "1.2", Text: "Publish the policy", Owner: "Jane Smith", Owners: []string{"Jane Smith"}},
		{Ref: "2.1", Text: "Review records", Owner: "Robert Henderson / Jane Smith", Owners: []string{"Robert Henderson", "Jane Smith"}},
		{Ref: "2.2", Text: "Train managers", Owner: "Cllr Paffey", Owners: []string{"Cllr Paffey"}},
	}}
	if _, err := f.db.AddStatement(ctx, store.StatementInput{Plan: testPlan, Quarter: "2020-Q4", Kind: store.KindBaseline, FileName: "plan.xlsx",
		Bytes: []byte("PK plan"), SubmittedBy: "clerk@council.example", SubmittedAt: at(2020, 12, 1, 9, 0), Statement: st}); err != nil {
		t.Fatal(err)
	}
	f.user("clerk@council.example", "Clara Clerk", store.RoleClerk)
	f.user("robert@council.example", "Robert Henderson", store.RoleOfficer, "Robert Henderson")
	f.user("jane@council.example", "Jane Smith", store.RoleOfficer, "jane smith")
	// The portal keeps the quarters it opens in the audit log.
	detail, _ := json.Marshal(map[string]any{"plan_id": p.ID, "plan": testPlan, "quarter": testQuarter, "deadline": "2021-01-15"})
	if _, err := f.db.Audit(ctx, store.Event{At: at(2021, 1, 1, 9, 0), Actor: "clerk@council.example", Action: "quarter.open", Detail: string(detail)}); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) open() *store.DB {
	f.t.Helper()
	db, err := store.Open(context.Background(), f.path)
	if err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() { db.Close() })
	return db
}

func (f *fixture) user(email, name string, role store.Role, owners ...string) {
	f.t.Helper()
	u, err := f.db.AddUser(context.Background(), store.User{Name: name, Email: email, Role: role, PasswordHash: "x", CreatedAt: at(2020, 12, 1, 9, 0)})
	if err != nil {
		f.t.Fatal(err)
	}
	if len(owners) > 0 {
		if err := f.db.SetOwners(context.Background(), u.ID, owners); err != nil {
			f.t.Fatal(err)
		}
	}
}

// submit stores a return for owner from by at the clock's time.
func (f *fixture) submit(owner, by string) store.ReturnRecord {
	f.t.Helper()
	st := &plan.Statement{File: "return.xlsx", Actions: []plan.Action{{Ref: "1.1", Owners: []string{owner}}}}
	r, err := f.db.AddReturn(context.Background(), store.ReturnInput{Plan: testPlan, Quarter: testQuarter, Owner: owner,
		FileName: testQuarter + " return - " + owner + ".xlsx", Bytes: []byte("PK return of " + owner + " " + f.clock.Now().String()),
		SubmittedBy: by, SubmittedAt: f.clock.Now(), Statement: st})
	if err != nil {
		f.t.Fatal(err)
	}
	return r
}

// notifier is a scheduler over db (another process's, when it is another handle).
func (f *fixture) notifier(db *store.DB) *Notifier {
	f.t.Helper()
	sender, err := mail.New(mail.Config{Host: f.srv.Host, Port: f.srv.Port, Username: mailtest.User, Password: mailtest.Password,
		From: "Democratic Services <papers@council.example>", RootCAs: f.srv.RootCAs, Timeout: 10 * time.Second})
	if err != nil {
		f.t.Fatal(err)
	}
	return &Notifier{History: db, Sender: sender, Now: f.clock.Now,
		Standings: func(ctx context.Context) ([]portal.Standing, error) { return portal.Standings(ctx, db) },
		Settings:  Settings{Council: "Southampton City Council", PortalURL: portalURL, ReminderDays: 5}}
}

func (f *fixture) run(n *Notifier) Result {
	f.t.Helper()
	res, err := n.Run(context.Background())
	if err != nil {
		f.t.Fatal(err)
	}
	return res
}

// arrived lists what the server received as "kind-ish subject → recipient".
func arrived(srv *mailtest.Server) []string {
	var out []string
	for _, m := range srv.Messages() {
		out = append(out, strings.Join(m.To, ",")+": "+m.Subject())
	}
	slices.Sort(out)
	return out
}

func mustContain(t *testing.T, body string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("message does not contain %q:\n%s", w, body)
		}
	}
}

func TestReminderDaysBeforeDeadline(t *testing.T) {
	f := newFixture(t)
	n := f.notifier(f.db)
	f.clock.set(at(2021, 1, 9, 23, 59)) // six days before: too early
	if res := f.run(n); len(res.Sent) != 0 || len(f.srv.Messages()) != 0 {
		t.Fatalf("six days before the deadline: %d sent", len(res.Sent))
	}
	f.clock.set(at(2021, 1, 10, 6, 0))
	res := f.run(n)
	want := []string{
		"jane@council.example: Reminder: your 2021-Q1 return for Learning Report Action Plan is due by Friday 15 January 2021",
		"robert@council.example: Reminder: your 2021-Q1 return for Learning Report Action Plan is due by Friday 15 January 2021",
	}
	if got := arrived(f.srv); !slices.Equal(got, want) {
		t.Fatalf("arrived:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "no reminder for Cllr Paffey: no enabled account answers for them") {
		t.Errorf("warnings %q", res.Warnings)
	}
	m := f.srv.To("robert@council.example")[0]
	if m.Header.Get("To") != `"Robert Henderson" <robert@council.example>` || m.Header.Get("Date") != "Sun, 10 Jan 2021 06:00:00 +0000" {
		t.Errorf("headers: To %q, Date %q", m.Header.Get("To"), m.Header.Get("Date"))
	}
	mustContain(t, m.Body, "Dear Robert Henderson,", "is due by Friday 15 January 2021", "  - Robert Henderson (2 open actions)\n",
		portalURL+"/officer\n", "Democratic Services\nSouthampton City Council")
	if strings.Contains(m.Body, "SHA") {
		t.Error("a reminder shows a hash")
	}

	// Later that day, and the next: nothing more, though still not returned.
	f.clock.set(at(2021, 1, 10, 18, 0))
	f.run(n)
	f.clock.set(at(2021, 1, 14, 6, 0))
	f.run(n)
	if got := len(f.srv.Messages()); got != 2 {
		t.Errorf("%d messages after three passes, want the 2 reminders only", got)
	}
}

func TestChaseTheDayAfter(t *testing.T) {
	f := newFixture(t)
	n := f.notifier(f.db)
	f.clock.set(at(2021, 1, 2, 9, 0))
	f.submit("Robert Henderson", "robert@council.example") // long before: its receipt goes at once
	f.run(n)
	f.srv = resetServer(t, f, n)

	f.clock.set(at(2021, 1, 15, 23, 0)) // the deadline day itself: a reminder, not a chase
	f.run(n)
	f.clock.set(at(2021, 1, 16, 6, 0))
	f.run(n)
	got := arrived(f.srv)
	want := []string{
		"jane@council.example: Overdue: your 2021-Q1 return for Learning Report Action Plan was due on Friday 15 January 2021",
		"jane@council.example: Reminder: your 2021-Q1 return for Learning Report Action Plan is due by Friday 15 January 2021",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("arrived:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var chase mailtest.Received
	for _, m := range f.srv.Messages() {
		if strings.HasPrefix(m.Subject(), "Overdue") {
			chase = m
		}
	}
	mustContain(t, chase.Body, "was due on Friday 15 January 2021, and we have not received it for:", "  - Jane Smith (2 open actions)")
	if strings.Contains(chase.Body, "Robert") {
		t.Error("the chase names an owner who has returned")
	}

	// A month on, the quarter still open: no more chases.
	f.clock.set(at(2021, 2, 16, 6, 0))
	f.run(n)
	if len(f.srv.Messages()) != 2 {
		t.Errorf("%d messages, want no more", len(f.srv.Messages()))
	}
}

// resetServer gives the fixture a fresh SMTP server, so a test reads only
// what arrives from now on.
func resetServer(t *testing.T, f *fixture, n *Notifier) *mailtest.Server {
	srv := mailtest.Start(t)
	s, err := mail.New(mail.Config{Host: srv.Host, Port: srv.Port, Username: mailtest.User, Password: mailtest.Password,
		From: "papers@council.example", RootCAs: srv.RootCAs})
	if err != nil {
		t.Fatal(err)
	}
	n.Sender = s
	return srv
}

func TestReceipt(t *testing.T) {
	f := newFixture(t)
	n := f.notifier(f.db)
	f.clock.set(at(2021, 1, 16, 10, 30))
	r := f.submit("Jane Smith", "jane@council.example")
	f.clock.set(at(2021, 1, 16, 10, 31))
	f.run(n)
	var got []mailtest.Received
	for _, m := range f.srv.To("jane@council.example") {
		if strings.HasPrefix(m.Subject(), "Received") {
			got = append(got, m)
		}
	}
	if len(got) != 1 {
		t.Fatalf("%d receipts to Jane: %q", len(got), arrived(f.srv))
	}
	m := got[0]
	if s := m.Subject(); s != "Received: the 2021-Q1 return for Jane Smith (Learning Report Action Plan)" {
		t.Errorf("subject %q", s)
	}
	mustContain(t, m.Body, "Dear Jane Smith,", "We have received the return for Jane Smith",
		"  File:          2021-Q1 return - Jane Smith.xlsx\n", "  Version:       1\n", "  Actions:       1\n",
		"  Submitted by:  jane@council.example\n", "  Submitted at:  16 January 2021 10:30\n",
		"  SHA-256:       "+r.SHA256+"\n", "It came after the deadline, Friday 15 January 2021.")

	// A second version gets a receipt of its own; the first is not sent again.
	f.clock.set(at(2021, 1, 16, 11, 0))
	r2 := f.submit("Jane Smith", "jane@council.example")
	f.run(n)
	var shas []string
	for _, m := range f.srv.To("jane@council.example") {
		if strings.HasPrefix(m.Subject(), "Received") {
			for _, l := range strings.Split(m.Body, "\n") {
				if s, ok := strings.CutPrefix(l, "  SHA-256:       "); ok {
					shas = append(shas, s)
				}
			}
		}
	}
	if !slices.Equal(shas, []string{r.SHA256, r2.SHA256}) {
		t.Errorf("receipts' hashes %q, want %q then %q", shas, r.SHA256, r2.SHA256)
	}
}

func TestAllReturnsIn(t *testing.T) {
	f := newFixture(t)
	n := f.notifier(f.db)
	f.clock.set(at(2021, 1, 12, 9, 0))
	f.submit("Robert Henderson", "robert@council.example")
	f.submit("Jane Smith", "jane@council.example")
	f.run(n)
	if len(f.srv.To("clerk@council.example")) != 0 {
		t.Fatal("the clerk was told all returns are in with Cllr Paffey's outstanding")
	}
	f.clock.set(at(2021, 1, 16, 14, 0))
	f.submit("Cllr Paffey", "clerk@council.example") // phoned in: entered by the clerk
	f.run(n)
	f.run(n)
	var note []mailtest.Received
	for _, m := range f.srv.To("clerk@council.example") {
		if strings.HasPrefix(m.Subject(), "All returns are in") {
			note = append(note, m)
		}
	}
	if len(note) != 1 {
		t.Fatalf("%d notes to the clerk: %q", len(note), arrived(f.srv))
	}
	if s := note[0].Subject(); s != "All returns are in: Learning Report Action Plan 2021-Q1" {
		t.Errorf("subject %q", s)
	}
	// The clerk who entered Cllr Paffey's return has its receipt, pointing
	// at the quarter's page.
	receipts := 0
	for _, m := range f.srv.To("clerk@council.example") {
		if strings.HasPrefix(m.Subject(), "Received") {
			receipts++
			mustContain(t, m.Body, "the return for Cllr Paffey", portalURL+"/clerk/quarters/1/2021-Q1\n")
		}
	}
	if receipts != 1 {
		t.Errorf("%d receipts to the clerk, want 1", receipts)
	}
	mustContain(t, note[0].Body, "Dear Clara Clerk,", "  - Cllr Paffey: version 1, 16 January 2021, late\n",
		"  - Robert Henderson: version 1, 12 January 2021\n", portalURL+"/clerk/quarters/1/2021-Q1\n")
}

func TestAcceptedQuarterIsNotChased(t *testing.T) {
	f := newFixture(t)
	n := f.notifier(f.db)
	st := &plan.Statement{File: "s.xlsx", Actions: []plan.Action{{Ref: "1.1", Owners: []string{"Robert Henderson"}}}}
	if _, err := f.db.AddStatement(context.Background(), store.StatementInput{Plan: testPlan, Quarter: testQuarter, Kind: store.KindStatement,
		FileName: "s.xlsx", Bytes: []byte("PK s"), SubmittedBy: "clerk@council.example", SubmittedAt: at(2021, 1, 14, 9, 0), Statement: st}); err != nil {
		t.Fatal(err)
	}
	for _, d := range []time.Time{at(2021, 1, 12, 9, 0), at(2021, 1, 16, 9, 0)} {
		f.clock.set(d)
		f.run(n)
	}
	if got := arrived(f.srv); len(got) != 0 {
		t.Errorf("an accepted quarter's owners were written to: %q", got)
	}
}

// Two portals (two processes, each with the history open) run their
// schedulers at once: every message arrives exactly once.
func TestTwoSchedulersSendOnce(t *testing.T) {
	f := newFixture(t)
	f.clock.set(at(2021, 1, 12, 9, 0))
	f.submit("Robert Henderson", "robert@council.example")
	f.clock.set(at(2021, 1, 16, 9, 0))
	f.submit("Jane Smith", "jane@council.example")
	ns := []*Notifier{f.notifier(f.open()), f.notifier(f.open()), f.notifier(f.db)}
	var wg sync.WaitGroup
	for _, n := range ns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := n.Run(context.Background()); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	got := arrived(f.srv)
	want := []string{
		"jane@council.example: Received: the 2021-Q1 return for Jane Smith (Learning Report Action Plan)",
		"robert@council.example: Received: the 2021-Q1 return for Robert Henderson (Learning Report Action Plan)",
	}
	if !slices.Equal(got, want) {
		t.Errorf("arrived:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestFailedSendIsRetried(t *testing.T) {
	f := newFixture(t)
	n := f.notifier(f.db)
	f.clock.set(at(2021, 1, 10, 6, 0))
	f.srv.FailNext(1) // the first message (Jane's, by email) is refused
	res := f.run(n)
	if len(res.Failed) != 1 || len(res.Sent) != 1 || res.Failed[0].Note.Key.Recipient != "jane@council.example" {
		t.Fatalf("first pass: %d sent, failures %+v", len(res.Sent), res.Failed)
	}
	rec, err := f.db.NotificationByKey(context.Background(), res.Failed[0].Note.Key)
	if err != nil || rec.Status != store.NotificationFailed || !strings.Contains(rec.LastError, "try again later") {
		t.Fatalf("recorded: %+v, %v", rec, err)
	}
	// Too soon: not tried again.
	f.clock.set(at(2021, 1, 10, 6, 1))
	if res := f.run(n); len(res.Sent)+len(res.Failed) != 0 {
		t.Errorf("retried before its time: %+v", res)
	}
	f.clock.set(res.Failed[0].RetryAt)
	if res := f.run(n); len(res.Sent) != 1 {
		t.Fatalf("retry: %+v", res)
	}
	if got := len(f.srv.To("jane@council.example")); got != 1 {
		t.Errorf("Jane has %d reminders, want 1", got)
	}
	rec, _ = f.db.NotificationByKey(context.Background(), rec.Key)
	if rec.Status != store.NotificationSent || rec.Attempts != 2 {
		t.Errorf("after the retry: %+v", rec)
	}
}

// Pending (papers notify --dry-run) says what would go and neither sends
// nor records anything.
func TestPendingSendsAndRecordsNothing(t *testing.T) {
	f := newFixture(t)
	n := f.notifier(f.db)
	f.clock.set(at(2021, 1, 16, 6, 0))
	notes, warnings, err := n.Pending(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, d := range notes {
		keys = append(keys, d.Key.Kind+" "+d.Key.Recipient)
	}
	if !slices.Equal(keys, []string{"chase jane@council.example", "chase robert@council.example"}) || len(warnings) != 1 {
		t.Errorf("pending %q, warnings %q", keys, warnings)
	}
	if len(f.srv.Messages()) != 0 {
		t.Error("Pending sent mail")
	}
	for _, d := range notes {
		if _, err := f.db.NotificationByKey(context.Background(), d.Key); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Pending recorded %s: %v", d.Key, err)
		}
	}
	// Once sent, a note is no longer pending.
	f.run(n)
	if notes, _, _ := n.Pending(context.Background()); len(notes) != 0 {
		t.Errorf("still pending after sending: %d", len(notes))
	}
}

// The same inputs at the same time make the same messages.
func TestDueIsDeterministic(t *testing.T) {
	f := newFixture(t)
	f.clock.set(at(2021, 1, 12, 9, 0))
	f.submit("Robert Henderson", "robert@council.example")
	sts, err := portal.Standings(context.Background(), f.db)
	if err != nil {
		t.Fatal(err)
	}
	s := Settings{PortalURL: portalURL}
	a, _ := Due(sts, f.clock.Now(), s)
	b, _ := Due(sts, f.clock.Now(), s)
	if fmt.Sprint(a) != fmt.Sprint(b) || len(a) != 2 {
		t.Errorf("two workings differ or are wrong: %d and %d notes", len(a), len(b))
	}
}

func TestLoopRunsEachInterval(t *testing.T) {
	f := newFixture(t)
	n := f.notifier(f.db)
	f.clock.set(at(2021, 1, 9, 6, 0)) // nothing due yet
	ticks := make(chan time.Time)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		n.Loop(ctx, time.Minute, func(time.Duration) <-chan time.Time { return ticks })
	}()
	f.clock.set(at(2021, 1, 10, 6, 0))
	ticks <- f.clock.Now() // the first pass has run: this is the wait after it
	ticks <- f.clock.Now() // and the second pass, at the new time, has run
	cancel()
	<-done
	if got := len(f.srv.Messages()); got != 2 {
		t.Errorf("%d messages after the loop's passes, want 2 reminders", got)
	}
}

func TestInvitationAndReset(t *testing.T) {
	f := newFixture(t)
	sender, _ := mail.New(mail.Config{Host: f.srv.Host, Port: f.srv.Port, Username: mailtest.User, Password: mailtest.Password,
		From: "papers@council.example", RootCAs: f.srv.RootCAs})
	m := &Mailer{Sender: sender, Settings: Settings{PortalURL: portalURL, Council: "Southampton City Council"}, Now: f.clock.Now}
	// The configured address is used, not the one the clerk's browser gave.
	inv := portal.Invitation{Name: "Nia New", Email: "nia@council.example", Password: "tulip-orbit-seven-lamp", URL: "http://evil.example/signin"}
	if err := m.SendInvitation(context.Background(), inv); err != nil {
		t.Fatal(err)
	}
	inv.Reset, inv.Password = true, "amber-cloud-nine-kettle"
	if err := m.SendInvitation(context.Background(), inv); err != nil {
		t.Fatal(err)
	}
	got := f.srv.To("nia@council.example")
	if len(got) != 2 {
		t.Fatalf("%d messages to Nia", len(got))
	}
	if got[0].Subject() != "Your account on the action plan portal" || got[1].Subject() != "Your password for the action plan portal has been reset" {
		t.Errorf("subjects %q, %q", got[0].Subject(), got[1].Subject())
	}
	mustContain(t, got[0].Body, "Dear Nia New,", "You have been given an account", "Sign in at "+portalURL+"/signin\n", "One-time password:  tulip-orbit-seven-lamp\n")
	mustContain(t, got[1].Body, "has been reset", "One-time password:  amber-cloud-nine-kettle\n")
	for _, m := range got {
		if strings.Contains(m.Body, "evil.example") {
			t.Error("the link is the browser's address, not the configured portal's")
		}
	}
	// With no portal address configured, the portal's is used.
	m.Settings.PortalURL = ""
	inv.URL = "https://papers.council.example/signin"
	if err := m.SendInvitation(context.Background(), inv); err != nil {
		t.Fatal(err)
	}
	mustContain(t, f.srv.To("nia@council.example")[2].Body, "Sign in at https://papers.council.example/signin\n")
}

// TestInvitationWithoutPassword: when people sign in with the council's
// identity provider, the invitation names its button and gives no
// password.
func TestInvitationWithoutPassword(t *testing.T) {
	msg := InvitationMessage(Settings{PortalURL: portalURL, Council: "Southampton City Council"},
		portal.Invitation{Name: "Nia New", Email: "nia@council.example", Provider: "Sign in with Microsoft"})
	mustContain(t, msg.Text, "Sign in at "+portalURL+"/signin\n", `press "Sign in with Microsoft"`, "You need no password")
	if strings.Contains(msg.Text, "One-time password") {
		t.Errorf("the invitation gives a password:\n%s", msg.Text)
	}
}
