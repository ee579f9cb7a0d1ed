package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"
)

// addAccounts adds a user for each email, clerks first, and returns them.
func addAccounts(t *testing.T, db *DB, clerks, officers []string) map[string]User {
	t.Helper()
	ctx := context.Background()
	us := map[string]User{}
	for i, email := range append(slices.Clone(clerks), officers...) {
		role := RoleOfficer
		if i < len(clerks) {
			role = RoleClerk
		}
		u, err := db.AddUser(ctx, User{Name: email, Email: email, Role: role, PasswordHash: "x", CreatedAt: t0})
		if err != nil {
			t.Fatal(err)
		}
		us[email] = u
	}
	return us
}

func event(action string) Event {
	return Event{At: t0, Actor: "command line (test)", Action: action, Detail: action}
}

// lastEvent is the newest line of the audit log.
func lastEvent(t *testing.T, db *DB) Event {
	t.Helper()
	es, err := db.AuditLog(context.Background(), 0, 1000)
	if err != nil || len(es) == 0 {
		t.Fatalf("audit log: %v, %d events", err, len(es))
	}
	return es[len(es)-1]
}

func auditCount(t *testing.T, db *DB) int {
	t.Helper()
	es, err := db.AuditLog(context.Background(), 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	return len(es)
}

func newSession(t *testing.T, db *DB, userID int64, token string) {
	t.Helper()
	err := db.CreateSession(context.Background(), Session{TokenHash: token, UserID: userID, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour), CSRFSecret: "s"})
	if err != nil {
		t.Fatal(err)
	}
}

func TestUsersListedWithLastSignIn(t *testing.T) { backends(t, testUsersListedWithLastSignIn) }

func testUsersListedWithLastSignIn(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	us := addAccounts(t, db, []string{"c@example.gov.uk"}, []string{"b@example.gov.uk", "a@example.gov.uk"})
	at := t0.Add(36 * time.Hour)
	if err := db.RecordSignIn(ctx, us["b@example.gov.uk"].ID, at); err != nil {
		t.Fatal(err)
	}
	if err := db.RecordSignIn(ctx, 999, at); !errors.Is(err, ErrNotFound) {
		t.Errorf("no such user: %v", err)
	}
	got, err := db.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var emails []string
	for _, u := range got {
		emails = append(emails, u.Email)
	}
	if !slices.Equal(emails, []string{"a@example.gov.uk", "b@example.gov.uk", "c@example.gov.uk"}) {
		t.Errorf("users %v, want by email", emails)
	}
	if !got[0].LastSignIn.IsZero() || !got[1].LastSignIn.Equal(at) || got[1].Disabled {
		t.Errorf("last sign-in: never %v, then %v", got[0].LastSignIn, got[1].LastSignIn)
	}
	u, err := db.UserByEmail(ctx, "B@example.gov.uk")
	if err != nil || !u.LastSignIn.Equal(at) {
		t.Errorf("by email: %v, %v", u.LastSignIn, err)
	}
}

func TestDisableAndEnable(t *testing.T) { backends(t, testDisableAndEnable) }

func testDisableAndEnable(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	us := addAccounts(t, db, []string{"clerk@example.gov.uk"}, []string{"officer@example.gov.uk"})
	officer := us["officer@example.gov.uk"]
	newSession(t, db, officer.ID, "officer session")
	if err := db.SetDisabled(ctx, officer.ID, true, event("user.disable")); err != nil {
		t.Fatal(err)
	}
	if u, _ := db.UserByID(ctx, officer.ID); !u.Disabled {
		t.Error("not disabled")
	}
	if _, err := db.SessionByTokenHash(ctx, "officer session", t0); !errors.Is(err, ErrNotFound) {
		t.Errorf("a disabled account's session: %v, want ErrNotFound", err)
	}
	if e := lastEvent(t, db); e.Action != "user.disable" || e.Actor != "command line (test)" {
		t.Errorf("audit: %+v", e)
	}
	if err := db.SetDisabled(ctx, officer.ID, false, event("user.enable")); err != nil {
		t.Fatal(err)
	}
	if u, _ := db.UserByID(ctx, officer.ID); u.Disabled {
		t.Error("still disabled")
	}
	if err := db.SetDisabled(ctx, 999, true, event("user.disable")); !errors.Is(err, ErrNotFound) {
		t.Errorf("no such user: %v", err)
	}
	n := auditCount(t, db)
	if err := db.SetDisabled(ctx, us["clerk@example.gov.uk"].ID, true, event("user.disable")); !errors.Is(err, ErrLastClerk) {
		t.Errorf("the last clerk: %v, want ErrLastClerk", err)
	}
	if auditCount(t, db) != n {
		t.Error("a refused change was audited")
	}
	if err := db.SetDisabled(ctx, officer.ID, true, Event{At: t0}); !errors.Is(err, ErrInvalid) {
		t.Errorf("no actor: %v", err)
	}
}

func TestLastClerk(t *testing.T) { backends(t, testLastClerk) }

func testLastClerk(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		change func(db *DB, id int64) error
	}{
		{"removed", func(db *DB, id int64) error { return db.RemoveUser(ctx, id, event("user.remove")) }},
		{"made officer", func(db *DB, id int64) error { return db.SetRole(ctx, id, RoleOfficer, event("user.role")) }},
		{"disabled", func(db *DB, id int64) error { return db.SetDisabled(ctx, id, true, event("user.disable")) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := openTest(t)
			us := addAccounts(t, db, []string{"a@example.gov.uk", "b@example.gov.uk"}, nil)
			if err := tc.change(db, us["a@example.gov.uk"].ID); err != nil {
				t.Fatalf("one of two clerks: %v", err)
			}
			if err := tc.change(db, us["b@example.gov.uk"].ID); !errors.Is(err, ErrLastClerk) {
				t.Errorf("the last clerk: %v, want ErrLastClerk", err)
			}
			if u, err := db.UserByID(ctx, us["b@example.gov.uk"].ID); err != nil || u.Role != RoleClerk || u.Disabled {
				t.Errorf("the last clerk changed: %+v, %v", u, err)
			}
		})
	}
	t.Run("a disabled clerk is not the last", func(t *testing.T) {
		db := openTest(t)
		us := addAccounts(t, db, []string{"a@example.gov.uk", "b@example.gov.uk"}, nil)
		if err := db.SetDisabled(ctx, us["a@example.gov.uk"].ID, true, event("user.disable")); err != nil {
			t.Fatal(err)
		}
		if err := db.RemoveUser(ctx, us["a@example.gov.uk"].ID, event("user.remove")); err != nil {
			t.Errorf("removing a disabled clerk: %v", err)
		}
	})
}

func TestRemoveUser(t *testing.T) { backends(t, testRemoveUser) }

func testRemoveUser(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	us := addAccounts(t, db, []string{"clerk@example.gov.uk"}, []string{"officer@example.gov.uk"})
	officer := us["officer@example.gov.uk"]
	if err := db.SetOwners(ctx, officer.ID, []string{"Robert Henderson"}); err != nil {
		t.Fatal(err)
	}
	newSession(t, db, officer.ID, "officer session")
	if _, err := db.Audit(ctx, Event{At: t0, Actor: officer.Email, Action: "user.signin"}); err != nil {
		t.Fatal(err)
	}
	if err := db.RemoveUser(ctx, officer.ID, event("user.remove")); err != nil {
		t.Fatal(err)
	}
	if _, err := db.UserByID(ctx, officer.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("removed user: %v", err)
	}
	if _, err := db.SessionByTokenHash(ctx, "officer session", t0); !errors.Is(err, ErrNotFound) {
		t.Errorf("removed user's session: %v", err)
	}
	if owners, _ := db.OwnersOf(ctx, officer.ID); len(owners) != 0 {
		t.Errorf("removed user's owners: %v", owners)
	}
	es, _ := db.AuditLog(ctx, 0, 100)
	if len(es) != 2 || es[0].Actor != officer.Email || es[1].Action != "user.remove" {
		t.Errorf("the audit log does not keep the removed user's email: %+v", es)
	}
	if err := db.RemoveUser(ctx, officer.ID, event("user.remove")); !errors.Is(err, ErrNotFound) {
		t.Errorf("again: %v", err)
	}
}

func TestSetRole(t *testing.T) { backends(t, testSetRole) }

func testSetRole(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	us := addAccounts(t, db, []string{"clerk@example.gov.uk"}, []string{"officer@example.gov.uk"})
	officer := us["officer@example.gov.uk"]
	if err := db.SetOwners(ctx, officer.ID, []string{"Robert Henderson"}); err != nil {
		t.Fatal(err)
	}
	if err := db.SetRole(ctx, officer.ID, "admin", event("user.role")); !errors.Is(err, ErrInvalid) {
		t.Errorf("role admin: %v", err)
	}
	if err := db.SetRole(ctx, officer.ID, RoleClerk, event("user.role")); err != nil {
		t.Fatal(err)
	}
	if u, _ := db.UserByID(ctx, officer.ID); u.Role != RoleClerk {
		t.Errorf("role %s", u.Role)
	}
	if owners, _ := db.OwnersOf(ctx, officer.ID); len(owners) != 0 {
		t.Errorf("a clerk keeps lead owners %v", owners)
	}
	// Now there are two clerks: the first may become an officer.
	if err := db.SetRole(ctx, us["clerk@example.gov.uk"].ID, RoleOfficer, event("user.role")); err != nil {
		t.Error(err)
	}
}

func TestReplaceOwners(t *testing.T) { backends(t, testReplaceOwners) }

func testReplaceOwners(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	us := addAccounts(t, db, []string{"clerk@example.gov.uk"}, []string{"officer@example.gov.uk"})
	officer := us["officer@example.gov.uk"]
	if err := db.SetOwners(ctx, officer.ID, []string{"Robert Henderson"}); err != nil {
		t.Fatal(err)
	}
	if err := db.ReplaceOwners(ctx, officer.ID, []string{"Cllr Paffey", " ", "Jane Smith", "jane smith"}, event("user.owners")); err != nil {
		t.Fatal(err)
	}
	if owners, _ := db.OwnersOf(ctx, officer.ID); !slices.Equal(owners, []string{"Cllr Paffey", "Jane Smith"}) {
		t.Errorf("owners %v", owners)
	}
	if lastEvent(t, db).Action != "user.owners" {
		t.Error("not audited")
	}
	if err := db.ReplaceOwners(ctx, us["clerk@example.gov.uk"].ID, []string{"X"}, event("user.owners")); !errors.Is(err, ErrInvalid) {
		t.Errorf("a clerk's owners: %v", err)
	}
}

func TestResetPassword(t *testing.T) { backends(t, testResetPassword) }

func testResetPassword(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	us := addAccounts(t, db, []string{"clerk@example.gov.uk"}, nil)
	clerk := us["clerk@example.gov.uk"]
	newSession(t, db, clerk.ID, "clerk session")
	if err := db.ResetPassword(ctx, clerk.ID, "", event("user.reset")); !errors.Is(err, ErrInvalid) {
		t.Errorf("no hash: %v", err)
	}
	reset := event("user.reset")
	reset.At = t0.Add(48 * time.Hour)
	if err := db.ResetPassword(ctx, clerk.ID, "new hash", reset); err != nil {
		t.Fatal(err)
	}
	u, _ := db.UserByID(ctx, clerk.ID)
	if u.PasswordHash != "new hash" || !u.MustChangePassword || !u.PasswordGivenAt.Equal(reset.At) || !u.OneTimePasswordSince().Equal(reset.At) {
		t.Errorf("after reset: %+v", u)
	}
	if _, err := db.SessionByTokenHash(ctx, "clerk session", t0); !errors.Is(err, ErrNotFound) {
		t.Errorf("session after reset: %v", err)
	}
	if lastEvent(t, db).Action != "user.reset" {
		t.Error("not audited")
	}
}

func TestUnlockAccount(t *testing.T) { backends(t, testUnlockAccount) }

func testUnlockAccount(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	for _, f := range []SignInFailure{
		{At: t0, Account: "robert@example.gov.uk", Address: "192.0.2.1"},
		{At: t0, Account: "robert@example.gov.uk", Address: "192.0.2.2"},
		{At: t0, Account: "jane@example.gov.uk", Address: "192.0.2.1"},
	} {
		if err := db.AddSignInFailure(ctx, f, t0.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	n, err := db.UnlockAccount(ctx, " Robert@example.gov.uk", event("user.unlock"))
	if err != nil || n != 2 {
		t.Errorf("unlock: %d, %v; want 2 forgotten", n, err)
	}
	if ts, _ := db.SignInFailures(ctx, "robert@example.gov.uk", "", t0.Add(-time.Hour), 10); len(ts) != 0 {
		t.Errorf("robert's failures left: %d", len(ts))
	}
	if ts, _ := db.SignInFailures(ctx, "jane@example.gov.uk", "", t0.Add(-time.Hour), 10); len(ts) != 1 {
		t.Errorf("jane's failures: %d, want 1 kept", len(ts))
	}
	if lastEvent(t, db).Action != "user.unlock" {
		t.Error("not audited")
	}
	if _, err := db.UnlockAccount(ctx, "", event("user.unlock")); !errors.Is(err, ErrInvalid) {
		t.Errorf("no account: %v", err)
	}
}

// TestAddUserAudited: the account, its lead owners and its audit line are
// stored together, or none of them.
func TestAddUserAudited(t *testing.T) { backends(t, testAddUserAudited) }

func testAddUserAudited(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	now := time.Date(2021, 1, 10, 9, 0, 0, 0, time.UTC)
	u := User{Name: "Pat Paffey", Email: "pat@example.gov.uk", Role: RoleOfficer, PasswordHash: "h", CreatedAt: now, MustChangePassword: true}
	event := func(u User) Event {
		return Event{At: now, Actor: "clerk@example.gov.uk", Action: "user.add", Detail: fmt.Sprintf("added account %d", u.ID)}
	}
	got, err := db.AddUserAudited(ctx, u, []string{"Cllr Paffey", " ", "cllr paffey"}, event)
	if err != nil {
		t.Fatal(err)
	}
	owners, _ := db.OwnersOf(ctx, got.ID)
	es, _ := db.AuditLog(ctx, 0, 100)
	if len(owners) != 1 || owners[0] != "Cllr Paffey" || len(es) != 1 || es[0].Detail != fmt.Sprintf("added account %d", got.ID) {
		t.Errorf("owners %q, audit %+v", owners, es)
	}
	// A bad audit line leaves no account behind.
	u.Email = "other@example.gov.uk"
	if _, err := db.AddUserAudited(ctx, u, []string{"Jane Smith"}, func(User) Event { return Event{} }); err == nil {
		t.Fatal("an account with an empty audit line was added")
	}
	if _, err := db.UserByEmail(ctx, u.Email); !errors.Is(err, ErrNotFound) {
		t.Errorf("half-added account: %v", err)
	}
	if _, err := db.AddUserAudited(ctx, u, nil, nil); err == nil {
		t.Error("added with no audit line")
	}
}
