package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"papers/internal/store"
)

// accountsConfig is a portal config with a clerk (clara@council.example)
// and an officer (robert@council.example, for Robert Henderson).
func accountsConfig(t *testing.T) string {
	t.Helper()
	cfg := portalConfigFile(t)
	addUser(t, cfg, "Clara Clerk", "--email", "clara@council.example", "--role", "clerk")
	addUser(t, cfg, "Robert Henderson", "--email", "robert@council.example", "--role", "officer", "--owner", "Robert Henderson")
	return cfg
}

// openConfigDB opens the database of the portal config cfg.
func openConfigDB(t *testing.T, cfg string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(filepath.Dir(cfg), "data", "papers.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func account(t *testing.T, db *store.DB, email string) store.User {
	t.Helper()
	u, err := db.UserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// lastAudit is the newest audit line.
func lastAudit(t *testing.T, db *store.DB) store.Event {
	t.Helper()
	es, err := db.AuditLog(context.Background(), 0, 10000)
	if err != nil || len(es) == 0 {
		t.Fatalf("audit log: %v (%d events)", err, len(es))
	}
	return es[len(es)-1]
}

// usersCmd runs papers users with the config, and wants it to succeed.
func usersCmd(t *testing.T, cfg string, args ...string) (stdout, stderr string) {
	t.Helper()
	stdout, stderr, code := papers(t, append(append([]string{"users"}, args...), "--config", cfg)...)
	if code != 0 {
		t.Fatalf("users %v: exit %d: %s", args, code, stderr)
	}
	return stdout, stderr
}

// usersRefused runs papers users and wants exit 1 with one line holding want.
func usersRefused(t *testing.T, cfg, want string, args ...string) {
	t.Helper()
	_, stderr, code := papers(t, append(append([]string{"users"}, args...), "--config", cfg)...)
	if code != 1 || !strings.Contains(stderr, want) || strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
		t.Errorf("users %v: exit %d, %q; want one line with %q", args, code, stderr, want)
	}
}

func newSessionFor(t *testing.T, db *store.DB, u store.User, token string) {
	t.Helper()
	now := time.Now()
	err := db.CreateSession(context.Background(), store.Session{TokenHash: token, UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(time.Hour), CSRFSecret: "s"})
	if err != nil {
		t.Fatal(err)
	}
}

func sessionGone(t *testing.T, db *store.DB, token string) bool {
	t.Helper()
	_, err := db.SessionByTokenHash(context.Background(), token, time.Now())
	return err != nil
}

func TestUsersList(t *testing.T) {
	cfg := accountsConfig(t)
	db := openConfigDB(t, cfg)
	at := time.Date(2021, 1, 10, 9, 30, 0, 0, time.UTC)
	if err := db.RecordSignIn(context.Background(), account(t, db, "robert@council.example").ID, at); err != nil {
		t.Fatal(err)
	}
	usersCmd(t, cfg, "disable", "robert@council.example")
	stdout, _ := usersCmd(t, cfg, "list")
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 3 {
		t.Fatalf("want a heading and two accounts:\n%s", stdout)
	}
	for i, want := range [][]string{
		{"EMAIL", "NAME", "ROLE", "LEAD OWNERS", "STATE", "LAST SIGN-IN"},
		{"clara@council.example", "Clara Clerk", "clerk", "-", "enabled", "never"},
		{"robert@council.example", "Robert Henderson", "officer", "Robert Henderson", "disabled", at.Local().Format("2006-01-02 15:04 MST")},
	} {
		if !strings.Contains(lines[i], want[0]) || !strings.HasSuffix(lines[i], want[len(want)-1]) {
			t.Errorf("line %d: %q, want %q", i, lines[i], want)
		}
		for _, w := range want {
			if !strings.Contains(lines[i], w) {
				t.Errorf("line %d: %q lacks %q", i, lines[i], w)
			}
		}
	}

	empty := portalConfigFile(t)
	if stdout, _ := usersCmd(t, empty, "list"); !strings.Contains(stdout, "There are no accounts") {
		t.Errorf("no accounts: %q", stdout)
	}
}

func TestUsersDisableEnable(t *testing.T) {
	cfg := accountsConfig(t)
	db := openConfigDB(t, cfg)
	robert := account(t, db, "robert@council.example")
	newSessionFor(t, db, robert, "robert's session")

	stdout, _ := usersCmd(t, cfg, "disable", "Robert@council.example")
	if !strings.Contains(stdout, "Disabled the account of Robert Henderson <robert@council.example>") {
		t.Errorf("disable: %q", stdout)
	}
	if !account(t, db, robert.Email).Disabled {
		t.Error("not disabled")
	}
	if !sessionGone(t, db, "robert's session") {
		t.Error("the disabled account's session is still there")
	}
	if e := lastAudit(t, db); e.Action != "user.disable" || !strings.HasPrefix(e.Actor, "command line") || !strings.Contains(e.Detail, robert.Email) {
		t.Errorf("audit: %+v", e)
	}
	if stdout, _ := usersCmd(t, cfg, "disable", robert.Email); !strings.Contains(stdout, "already disabled") {
		t.Errorf("again: %q", stdout)
	}

	stdout, _ = usersCmd(t, cfg, "enable", robert.Email)
	if !strings.Contains(stdout, "Enabled the account of Robert Henderson") || account(t, db, robert.Email).Disabled {
		t.Errorf("enable: %q", stdout)
	}
	if e := lastAudit(t, db); e.Action != "user.enable" {
		t.Errorf("audit: %+v", e)
	}

	usersRefused(t, cfg, "cannot disable clara@council.example: it is the portal's last enabled clerk account", "disable", "clara@council.example")
	usersRefused(t, cfg, "there is no account for nobody@council.example", "disable", "nobody@council.example")
	usersRefused(t, cfg, "accepts 1 arg(s)", "enable")
}

func TestUsersRemove(t *testing.T) {
	cfg := accountsConfig(t)
	db := openConfigDB(t, cfg)
	robert := account(t, db, "robert@council.example")
	newSessionFor(t, db, robert, "robert's session")

	stdout, _ := usersCmd(t, cfg, "remove", robert.Email)
	if !strings.Contains(stdout, "Removed the officer account of Robert Henderson <robert@council.example>") {
		t.Errorf("remove: %q", stdout)
	}
	if _, err := db.UserByEmail(context.Background(), robert.Email); err == nil {
		t.Error("still there")
	}
	if !sessionGone(t, db, "robert's session") {
		t.Error("the removed account's session is still there")
	}
	e := lastAudit(t, db)
	if e.Action != "user.remove" || !strings.Contains(e.Detail, robert.Email) || !strings.Contains(e.Detail, "Robert Henderson") {
		t.Errorf("audit: %+v", e)
	}
	es, _ := db.AuditLog(context.Background(), 0, 1000)
	if !strings.Contains(es[1].Detail, robert.Email) {
		t.Errorf("the account's addition no longer names it: %+v", es[1])
	}

	usersRefused(t, cfg, "cannot remove clara@council.example: it is the portal's last enabled clerk account", "remove", "clara@council.example")
	usersRefused(t, cfg, "there is no account for robert@council.example", "remove", robert.Email)
}

func TestUsersRole(t *testing.T) {
	cfg := accountsConfig(t)
	db := openConfigDB(t, cfg)

	usersRefused(t, cfg, `role "admin": use officer or clerk`, "role", "robert@council.example", "admin")
	usersRefused(t, cfg, "cannot make an officer of clara@council.example: it is the portal's last enabled clerk account", "role", "clara@council.example", "officer")

	stdout, _ := usersCmd(t, cfg, "role", "robert@council.example", "clerk")
	if !strings.Contains(stdout, "Robert Henderson <robert@council.example> is now a clerk; a clerk answers for no lead owners, so they no longer answer for Robert Henderson.") {
		t.Errorf("role clerk: %q", stdout)
	}
	robert := account(t, db, "robert@council.example")
	if owners, _ := db.OwnersOf(context.Background(), robert.ID); robert.Role != store.RoleClerk || len(owners) != 0 {
		t.Errorf("after: %s with %v", robert.Role, owners)
	}
	if e := lastAudit(t, db); e.Action != "user.role" || !strings.Contains(e.Detail, "to clerk") {
		t.Errorf("audit: %+v", e)
	}

	// Two clerks now: Clara may become an officer.
	stdout, _ = usersCmd(t, cfg, "role", "clara@council.example", "officer")
	if !strings.Contains(stdout, "Clara Clerk <clara@council.example> is now an officer.") || !strings.Contains(stdout, `papers users owners clara@council.example "LEAD OWNER" sets them`) {
		t.Errorf("role officer: %q", stdout)
	}
	if stdout, _ := usersCmd(t, cfg, "role", "clara@council.example", "officer"); !strings.Contains(stdout, "nothing changed") {
		t.Errorf("again: %q", stdout)
	}
}

func TestUsersOwners(t *testing.T) {
	cfg := accountsConfig(t)
	db := openConfigDB(t, cfg)

	stdout, stderr := usersCmd(t, cfg, "owners", "robert@council.example", "Robert Henderson", "Cllr Paffey")
	if !strings.Contains(stdout, "Robert Henderson <robert@council.example> now answers for Robert Henderson and Cllr Paffey.") {
		t.Errorf("owners: %q", stdout)
	}
	if !strings.Contains(stderr, "not checked against the plan") {
		t.Errorf("no note that the names were not checked: %q", stderr)
	}
	if owners, _ := db.OwnersOf(context.Background(), account(t, db, "robert@council.example").ID); strings.Join(owners, "; ") != "Cllr Paffey; Robert Henderson" {
		t.Errorf("owners %v", owners)
	}
	if e := lastAudit(t, db); e.Action != "user.owners" || !strings.Contains(e.Detail, "Robert Henderson; Cllr Paffey (were: Robert Henderson)") {
		t.Errorf("audit: %+v", e)
	}

	if _, stderr, code := papers(t, "history", "add", octoberStatement, "--quarter", "2020-Q4", "--by", "Clerk", "--config", cfg); code != 0 {
		t.Fatalf("history add: %s", stderr)
	}
	_, stderr = usersCmd(t, cfg, "owners", "robert@council.example", "Robert Henderson", "Robert Hendersen")
	if !strings.Contains(stderr, `"Robert Hendersen" as its lead owner`) || strings.Contains(stderr, `"Robert Henderson"`) {
		t.Errorf("no warning for the misspelt name: %q", stderr)
	}

	usersRefused(t, cfg, "clara@council.example is a clerk, who answers for no lead owners", "owners", "clara@council.example", "X")
	usersRefused(t, cfg, "no lead owner given", "owners", "robert@council.example", " ")
	usersRefused(t, cfg, "requires at least 2 arg(s)", "owners", "robert@council.example")
}

func TestUsersReset(t *testing.T) {
	cfg := accountsConfig(t)
	db := openConfigDB(t, cfg)
	before := account(t, db, "robert@council.example")
	newSessionFor(t, db, before, "robert's session")

	stdout, _ := usersCmd(t, cfg, "reset", "robert@council.example")
	m := passwordLine.FindStringSubmatch(stdout)
	if m == nil || !strings.Contains(stdout, "Reset the password of Robert Henderson <robert@council.example>") {
		t.Fatalf("reset:\n%s", stdout)
	}
	after := account(t, db, "robert@council.example")
	if err := bcrypt.CompareHashAndPassword([]byte(after.PasswordHash), []byte(m[1])); err != nil {
		t.Errorf("the printed password is not the account's: %v", err)
	}
	if !after.MustChangePassword {
		t.Error("the new password is not one-time")
	}
	if !sessionGone(t, db, "robert's session") {
		t.Error("a session survived the reset")
	}
	if e := lastAudit(t, db); e.Action != "user.reset" || strings.Contains(e.Detail, m[1]) {
		t.Errorf("audit: %+v", e)
	}
	usersRefused(t, cfg, "there is no account for nobody@council.example", "reset", "nobody@council.example")
}

func TestUsersUnlock(t *testing.T) {
	cfg := accountsConfig(t)
	db := openConfigDB(t, cfg)
	ctx := context.Background()
	now := time.Now()
	for _, f := range []store.SignInFailure{
		{At: now, Account: "robert@council.example", Address: "192.0.2.1"},
		{At: now, Account: "robert@council.example", Address: "192.0.2.2"},
		{At: now, Account: "clara@council.example", Address: "192.0.2.1"},
	} {
		if err := db.AddSignInFailure(ctx, f, now.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	stdout, _ := usersCmd(t, cfg, "unlock", "robert@council.example")
	if !strings.Contains(stdout, "Forgot 2 failed sign-ins for Robert Henderson <robert@council.example>") {
		t.Errorf("unlock: %q", stdout)
	}
	if ts, _ := db.SignInFailures(ctx, "robert@council.example", "", now.Add(-time.Hour), 10); len(ts) != 0 {
		t.Errorf("%d failures left", len(ts))
	}
	if ts, _ := db.SignInFailures(ctx, "clara@council.example", "", now.Add(-time.Hour), 10); len(ts) != 1 {
		t.Errorf("another account's failures: %d, want 1", len(ts))
	}
	if e := lastAudit(t, db); e.Action != "user.unlock" {
		t.Errorf("audit: %+v", e)
	}
	usersRefused(t, cfg, "there is no account for nobody@council.example", "unlock", "nobody@council.example")
}
