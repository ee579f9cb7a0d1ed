package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"papers/internal/mail/mailtest"
	"papers/internal/plan"
	"papers/internal/store"
	"papers/internal/workbook"
)

// notifyConfig is a portal config whose mail: section sends to srv, with
// the SMTP password in an environment variable, and a history holding a
// plan, its accounts (accountsConfig) and the quarter 2021-Q1 open with
// its deadline on Friday 15 January 2021.
func notifyConfig(t *testing.T, srv *mailtest.Server) string {
	t.Helper()
	cfg := accountsConfig(t)
	dir := filepath.Dir(cfg)
	if err := os.WriteFile(filepath.Join(dir, "smtp-ca.pem"), srv.CAPEM, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PAPERS_TEST_SMTP_PASSWORD", mailtest.Password)
	setMail(t, cfg, fmt.Sprintf(`mail:
  host: %s
  port: %d
  tls: starttls
  username: %s
  password_env: PAPERS_TEST_SMTP_PASSWORD
  ca_file: smtp-ca.pem
  from: "Democratic Services <democratic.services@council.example>"
  portal_url: https://papers.council.example/
  reminder_days: 3
`, srv.Host, srv.Port, mailtest.User))

	db := openConfigDB(t, cfg)
	ctx := context.Background()
	p, err := db.EnsurePlan(ctx, "Learning Report Action Plan")
	if err != nil {
		t.Fatal(err)
	}
	st := &plan.Statement{File: "plan.xlsx", Actions: []plan.Action{
		{Ref: "1.1", Text: "Hold briefings", Owner: "Robert Henderson", Owners: []string{"Robert Henderson"}},
	}}
	if _, err := db.AddStatement(ctx, store.StatementInput{Plan: p.Name, Quarter: "2020-Q4", Kind: store.KindBaseline, FileName: "plan.xlsx",
		Bytes: []byte("PK plan"), SubmittedBy: "clara@council.example", SubmittedAt: time.Date(2020, 12, 1, 9, 0, 0, 0, time.UTC), Statement: st}); err != nil {
		t.Fatal(err)
	}
	// The portal keeps the quarters it opens in the audit log.
	detail, _ := json.Marshal(map[string]any{"plan_id": p.ID, "plan": p.Name, "quarter": "2021-Q1", "deadline": "2021-01-15"})
	if _, err := db.Audit(ctx, store.Event{At: time.Date(2021, 1, 4, 9, 0, 0, 0, time.UTC), Actor: "clara@council.example", Action: "quarter.open", Detail: string(detail)}); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// setMail puts section in place of the config's mail: section.
func setMail(t *testing.T, cfg, section string) {
	t.Helper()
	b, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i := strings.Index(s, "\nmail:\n")
	j := strings.Index(s, "\nschedule:\n")
	if i < 0 || j < i {
		t.Fatal("the sample config has no mail: section before schedule:")
	}
	if err := os.WriteFile(cfg, []byte(s[:i+1]+section+s[j:]), 0o644); err != nil {
		t.Fatal(err)
	}
}

// notifyAt runs papers notify as its command line would, at the time given.
func notifyAt(t *testing.T, cfgPath string, now time.Time, dryRun bool) (stdout, stderr string, err error) {
	t.Helper()
	cfg, err := readConfig(cfgPath, false)
	if err != nil {
		t.Fatal(err)
	}
	ms, err := loadMailConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	err = runNotify(context.Background(), notifyOptions{Database: filepath.Join(filepath.Dir(cfgPath), "data", "papers.db"), DryRun: dryRun, Mail: ms,
		Now: func() time.Time { return now }, Stdout: &out, Stderr: &errb})
	return out.String(), errb.String(), err
}

func TestNotifyDryRunThenSend(t *testing.T) {
	srv := mailtest.Start(t)
	cfg := notifyConfig(t, srv)
	db := openConfigDB(t, cfg)
	early := time.Date(2021, 1, 11, 23, 0, 0, 0, time.UTC) // four days before: reminders are three
	if out, _, err := notifyAt(t, cfg, early, true); err != nil || !strings.Contains(out, "papers: no email is due now") {
		t.Fatalf("dry run before anything is due: %v\n%s", err, out)
	}
	now := time.Date(2021, 1, 12, 7, 0, 0, 0, time.UTC)
	out, _, err := notifyAt(t, cfg, now, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"--- 1 of 1: reminder\n",
		"To: \"Robert Henderson\" <robert@council.example>\n",
		"Subject: Reminder: your 2021-Q1 return for Learning Report Action Plan is due by Friday 15 January 2021\n",
		"Dear Robert Henderson,\n",
		"https://papers.council.example/officer\n",
		"papers: dry run: 1 email would be sent; nothing was sent or recorded\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run does not say %q:\n%s", want, out)
		}
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("the dry run sent %d messages", n)
	}
	if ns, err := db.Notifications(context.Background(), 10); err != nil || len(ns) != 0 {
		t.Errorf("the dry run recorded %d notifications (%v)", len(ns), err)
	}

	out, _, err = notifyAt(t, cfg, now, false)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "sent reminder to robert@council.example: Reminder: your 2021-Q1 return") {
		t.Errorf("papers notify says:\n%s", out)
	}
	got := srv.Messages()
	if len(got) != 1 || got[0].To[0] != "robert@council.example" || !got[0].TLS || !got[0].Authed ||
		got[0].Header.Get("From") != `"Democratic Services" <democratic.services@council.example>` {
		t.Fatalf("arrived: %+v", got)
	}
	// Again: nothing more, and the dry run agrees.
	if out, _, err := notifyAt(t, cfg, now.Add(time.Hour), false); err != nil || !strings.Contains(out, "no email is due now") || len(srv.Messages()) != 1 {
		t.Errorf("second run: %v, %d messages\n%s", err, len(srv.Messages()), out)
	}
	if out, _, _ := notifyAt(t, cfg, now.Add(time.Hour), true); !strings.Contains(out, "no email is due now") {
		t.Errorf("dry run after sending:\n%s", out)
	}
}

func TestNotifyFailureIsReportedAndRetried(t *testing.T) {
	srv := mailtest.Start(t)
	cfg := notifyConfig(t, srv)
	srv.FailNext(1)
	now := time.Date(2021, 1, 16, 7, 0, 0, 0, time.UTC)
	_, stderr, err := notifyAt(t, cfg, now, false)
	if err == nil || !strings.Contains(err.Error(), "1 of 1 emails could not be sent (to robert@council.example); they are kept and tried again at the next run") {
		t.Fatalf("error: %v", err)
	}
	if !strings.Contains(stderr, "papers: not sent: chase to robert@council.example") || !strings.Contains(stderr, "try again later") {
		t.Errorf("stderr:\n%s", stderr)
	}
	if out, _, err := notifyAt(t, cfg, now.Add(10*time.Minute), false); err != nil || !strings.Contains(out, "sent chase to robert@council.example") {
		t.Errorf("retry: %v\n%s", err, out)
	}
	if n := len(srv.Messages()); n != 1 {
		t.Errorf("%d chases arrived, want 1", n)
	}
}

func TestNotifyWithoutMailConfigured(t *testing.T) {
	cfg := portalConfigFile(t)
	_, stderr, code := papers(t, "notify", "--config", cfg)
	if code != 1 || !strings.Contains(stderr, "papers: email is not configured: set mail.host and mail.from in config.yaml (papers notify --dry-run shows what would be sent)") {
		t.Errorf("exit %d: %s", code, stderr)
	}
}

// Mistakes in the mail: section are named, with the key, before anything
// is read or sent.
func TestMailConfigMistakes(t *testing.T) {
	for name, tc := range map[string]struct{ section, want string }{
		"misspelt key": {"mail:\n  hots: smtp.council.example\n", `unknown key "mail.hots": did you mean "mail.host"?`},
		"plain to a remote server": {"mail:\n  host: smtp.council.example\n  tls: none\n  from: a@council.example\n",
			"mail.tls none sends passwords and messages in the clear: it is allowed only to a server on this machine"},
		"two passwords": {"mail:\n  host: smtp.council.example\n  username: papers\n  password: x\n  password_env: X\n  from: a@council.example\n",
			"give one of password, password_file and password_env, not several"},
		"missing password file": {"mail:\n  host: smtp.council.example\n  username: papers\n  password_file: secret/smtp\n  from: a@council.example\n",
			"mail.password_file: cannot read"},
		"unset variable": {"mail:\n  host: smtp.council.example\n  username: papers\n  password_env: PAPERS_NO_SUCH_VARIABLE\n  from: a@council.example\n",
			"the environment variable PAPERS_NO_SUCH_VARIABLE is not set"},
		"no password": {"mail:\n  host: smtp.council.example\n  username: papers\n  from: a@council.example\n", "has no password"},
		"bad from":    {"mail:\n  host: smtp.council.example\n  from: democratic services\n", `mail.from "democratic services" is not an email address`},
		"bad tls":     {"mail:\n  host: smtp.council.example\n  tls: ssl\n  from: a@council.example\n", `mail.tls "ssl": write starttls, implicit or none`},
		"bad url":     {"mail:\n  portal_url: papers.council.example\n", "mail.portal_url \"papers.council.example\": write the portal's address"},
		"bad days":    {"mail:\n  reminder_days: -2\n", "mail.reminder_days -2: give a number of days from 0 (no reminders) to 60"},
		"no ca file":  {"mail:\n  host: smtp.council.example\n  from: a@council.example\n  ca_file: nowhere.pem\n", "mail.ca_file"},
	} {
		t.Run(name, func(t *testing.T) {
			cfg := portalConfigFile(t)
			setMail(t, cfg, tc.section)
			_, stderr, code := papers(t, "notify", "--dry-run", "--config", cfg)
			if code != 1 || !strings.Contains(stderr, tc.want) || strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
				t.Errorf("exit %d, stderr:\n%s\nwant one line with %q", code, stderr, tc.want)
			}
		})
	}
}

// The password file is read relative to the config, and its final newline
// is not part of the password.
func TestMailPasswordFile(t *testing.T) {
	srv := mailtest.Start(t)
	cfg := notifyConfig(t, srv)
	dir := filepath.Dir(cfg)
	os.WriteFile(filepath.Join(dir, "smtp-password"), []byte(mailtest.Password+"\n"), 0o600)
	b, _ := os.ReadFile(cfg)
	os.WriteFile(cfg, bytes.Replace(b, []byte("password_env: PAPERS_TEST_SMTP_PASSWORD"), []byte("password_file: smtp-password"), 1), 0o644)
	if _, _, err := notifyAt(t, cfg, time.Date(2021, 1, 12, 7, 0, 0, 0, time.UTC), false); err != nil {
		t.Fatal(err)
	}
	if got := srv.Messages(); len(got) != 1 || !got[0].Authed {
		t.Errorf("arrived: %d", len(got))
	}
}

// TestServeEmailsReceipt runs papers serve with email on: an officer
// submits a return in the portal, and its receipt arrives at once (the
// portal wakes the scheduler's email), with the SHA-256 of the file kept,
// and only once.
func TestServeEmailsReceipt(t *testing.T) {
	srv := mailtest.Start(t)
	cfg := portalConfigFile(t)
	clerkPW := addUser(t, cfg, "Clara Clerk", "--email", "clerk@council.example", "--role", "clerk")
	officerPW := addUser(t, cfg, "Robert Henderson", "--email", "robert@council.example", "--role", "officer", "--owner", "Robert Henderson")
	serveMail(t, cfg, srv)

	base, stderr, stop := startServe(t, cfg)
	clerk := newPortalClient(t, base)
	clerk.signIn("clerk@council.example", clerkPW)
	october, err := os.ReadFile(octoberStatement)
	if err != nil {
		t.Fatal(err)
	}
	if code, body := clerk.upload("/clerk/statements", url.Values{"plan": {"Learning Report Action Plan"}, "quarter": {"2020-Q4"}, "kind": {"statement"}},
		"2020-10 position statement.xlsx", october); code != http.StatusOK {
		t.Fatalf("add the October statement: %d\n%s", code, body)
	}
	if code, body := clerk.post("/clerk/quarters", url.Values{"plan": {"Learning Report Action Plan"}, "quarter": {"2021-Q1"}, "deadline": {"15/01/2021"}}); code != http.StatusOK {
		t.Fatalf("open the quarter: %d\n%s", code, body)
	}
	officer := newPortalClient(t, base)
	officer.signIn("robert@council.example", officerPW)
	q := "/officer/quarters/1/2021-Q1"
	_, blank := officer.get(q + "/return?owner=Robert+Henderson")
	ret, err := workbook.ReadReturn(strings.NewReader(blank), "return.xlsx", workbook.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ret.Lines[0].Update = "Strategy drafted with front-line staff."
	var b bytes.Buffer
	if err := workbook.WriteReturn(&b, ret, workbook.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	code, body := officer.upload(q+"/upload", url.Values{"owner": {"Robert Henderson"}}, "my return.xlsx", b.Bytes())
	pending := regexp.MustCompile(`name="pending" value="([^"]+)"`).FindStringSubmatch(body)
	if code != http.StatusOK || pending == nil {
		t.Fatalf("upload: %d\n%s", code, body)
	}
	if code, body := officer.post(q+"/submit", url.Values{"pending": {pending[1]}}); code != http.StatusOK || !strings.Contains(body, "Return received") {
		t.Fatalf("submit: %d\n%s", code, body)
	}
	var receipt []mailtest.Received
	for deadline := time.Now().Add(15 * time.Second); len(receipt) == 0; time.Sleep(50 * time.Millisecond) {
		receipt = srv.To("robert@council.example")
		if time.Now().After(deadline) {
			t.Fatalf("no receipt arrived:\n%s", stderr.String())
		}
	}
	if code := stop(); code != 0 {
		t.Errorf("serve exit %d\n%s", code, stderr.String())
	}
	db := openConfigDB(t, cfg)
	rs, err := db.ReturnsFor(context.Background(), "Learning Report Action Plan", "2021-Q1")
	if err != nil || len(rs) != 1 {
		t.Fatalf("returns: %v %d", err, len(rs))
	}
	if got := srv.To("robert@council.example"); len(got) != 1 {
		t.Errorf("%d messages to Robert, want the one receipt", len(got))
	}
	m := receipt[0]
	if m.Subject() != "Received: the 2021-Q1 return for Robert Henderson (Learning Report Action Plan)" ||
		!strings.Contains(m.Body, "  SHA-256:       "+rs[0].SHA256+"\n") || !strings.Contains(m.Body, "  File:          my return.xlsx\n") {
		t.Errorf("receipt %q:\n%s", m.Subject(), m.Body)
	}
	if ns, _ := db.Notifications(context.Background(), 10); len(ns) != 1 || ns[0].Status != store.NotificationSent || ns[0].Key.Kind != "receipt" {
		t.Errorf("history of notifications: %+v", ns)
	}
}

// serveMail gives the config a mail: section for srv, with the password in
// a file, and a pass every ten hours, so that only a wake sends at once.
func serveMail(t *testing.T, cfg string, srv *mailtest.Server) {
	t.Helper()
	os.WriteFile(filepath.Join(filepath.Dir(cfg), "smtp-ca.pem"), srv.CAPEM, 0o644)
	os.WriteFile(filepath.Join(filepath.Dir(cfg), "smtp-password"), []byte(mailtest.Password+"\n"), 0o600)
	setMail(t, cfg, fmt.Sprintf("mail:\n  host: %s\n  port: %d\n  username: %s\n  password_file: smtp-password\n  ca_file: smtp-ca.pem\n"+
		"  from: democratic.services@council.example\n  portal_url: https://papers.council.example\n  every_minutes: 600\n", srv.Host, srv.Port, mailtest.User))
}

// startServe runs papers serve with cfg until stop, which returns its exit status.
func startServe(t *testing.T, cfg string) (base string, stderr *syncBuffer, stop func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var stdout syncBuffer
	stderr = &syncBuffer{}
	exited := make(chan int, 1)
	go func() {
		exited <- run(ctx, []string{"serve", "--config", cfg, "--addr", "127.0.0.1:0"}, &stdout, stderr)
	}()
	addr := regexp.MustCompile(`portal at (http://127\.0\.0\.1:\d+)`)
	for deadline := time.Now().Add(10 * time.Second); base == ""; time.Sleep(20 * time.Millisecond) {
		if m := addr.FindStringSubmatch(stdout.String()); m != nil {
			base = m[1]
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("the portal did not start:\n%s\n%s", stdout.String(), stderr.String())
		}
	}
	var once sync.Once
	code := 0
	stop = func() int {
		once.Do(func() {
			cancel()
			select {
			case code = <-exited:
			case <-time.After(15 * time.Second):
				t.Fatal("papers serve did not stop")
			}
		})
		return code
	}
	t.Cleanup(func() { stop() })
	return base, stderr, stop
}

var oneTimePassword = regexp.MustCompile(`One-time password:  (\S+)\n`)

// TestServeEmailsInvitation: with email on, the clerk invites a lead owner
// from the Accounts page and the one-time password goes by email, not on
// the page; the new officer signs in with it. A reset whose email the
// server refuses shows the password to the clerk instead.
func TestServeEmailsInvitation(t *testing.T) {
	srv := mailtest.Start(t)
	cfg := portalConfigFile(t)
	clerkPW := addUser(t, cfg, "Clara Clerk", "--email", "clerk@council.example", "--role", "clerk")
	serveMail(t, cfg, srv)
	base, stderr, stop := startServe(t, cfg)
	clerk := newPortalClient(t, base)
	clerk.signIn("clerk@council.example", clerkPW)
	october, err := os.ReadFile(octoberStatement)
	if err != nil {
		t.Fatal(err)
	}
	if code, body := clerk.upload("/clerk/statements", url.Values{"plan": {"Learning Report Action Plan"}, "quarter": {"2020-Q4"}, "kind": {"statement"}},
		"2020-10 position statement.xlsx", october); code != http.StatusOK {
		t.Fatalf("add the October statement: %d\n%s", code, body)
	}
	_, page := clerk.get("/clerk/accounts")
	invite := regexp.MustCompile(`name="owner" value="([^"]+)">\s*<input type="hidden" name="n" value="(\d+)">`).FindStringSubmatch(page)
	if invite == nil {
		t.Fatalf("no lead owner to invite on the Accounts page:\n%s", page)
	}
	code, body := clerk.post("/clerk/accounts/invite", url.Values{"owner": {invite[1]}, "n": {invite[2]}, "name": {"Nia New"}, "email": {"nia@council.example"}})
	if code != http.StatusOK || !strings.Contains(body, "an email with a one-time password and the portal&#39;s address is on its way to them") {
		t.Fatalf("invite: %d\n%s", code, body)
	}
	got := srv.To("nia@council.example")
	if len(got) != 1 || got[0].Subject() != "Your account on the action plan portal" || !got[0].TLS {
		t.Fatalf("invitation: %d messages", len(got))
	}
	pw := oneTimePassword.FindStringSubmatch(got[0].Body)
	if pw == nil || !strings.Contains(got[0].Body, "Sign in at https://papers.council.example/signin\n") {
		t.Fatalf("invitation:\n%s", got[0].Body)
	}
	if strings.Contains(body, pw[1]) {
		t.Error("the emailed one-time password is also on the clerk's page")
	}
	nia := newPortalClient(t, base)
	nia.get("/signin")
	if code, body := nia.post("/signin", url.Values{"email": {"nia@council.example"}, "password": {pw[1]}}); code != http.StatusOK || !strings.Contains(body, "Choose a new password") {
		t.Errorf("sign in with the emailed password: %d\n%.2000s", code, body)
	}

	srv.FailNext(1)
	_, accounts := clerk.get("/clerk/accounts")
	id := regexp.MustCompile(`href="/clerk/accounts/(\d+)"[^>]*>Nia New<`).FindStringSubmatch(accounts)
	if id == nil {
		t.Fatalf("Nia's account is not listed:\n%s", accounts)
	}
	code, body = clerk.post("/clerk/accounts/"+id[1]+"/reset", url.Values{})
	if code != http.StatusOK || !strings.Contains(body, "Pass on the one-time password below") {
		t.Errorf("reset with the mail server refusing: %d\n%s", code, body)
	}
	if n := len(srv.To("nia@council.example")); n != 1 {
		t.Errorf("%d messages to Nia after a refused reset, want the invitation only", n)
	}
	shown := regexp.MustCompile(`id="one-time-password">([^<]+)<`).FindStringSubmatch(body)
	if shown == nil {
		t.Fatalf("no one-time password on the page:\n%s", body)
	}
	if code := stop(); code != 0 || !strings.Contains(stderr.String(), "cannot email a one-time password") || strings.Contains(stderr.String(), shown[1]) {
		t.Errorf("serve exit %d; the log must say the email failed without the password:\n%s", code, stderr.String())
	}
}
