package store

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

// pendingFixture is a database with a plan and two officers.
func pendingFixture(t *testing.T) (db *DB, planID int64, robert, jane User) {
	t.Helper()
	db = openTest(t)
	ctx := context.Background()
	p, err := db.EnsurePlan(ctx, "Learning Report Action Plan")
	if err != nil {
		t.Fatal(err)
	}
	add := func(name string) User {
		u, err := db.AddUser(ctx, User{Name: name, Email: name + "@example.gov.uk", Role: RoleOfficer, PasswordHash: "x", CreatedAt: t0})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	return db, p.ID, add("robert"), add("jane")
}

func pendingFor(userID, planID int64, n int, at time.Time) PendingUpload {
	return PendingUpload{
		IDHash: Digest([]byte(fmt.Sprintf("id %d %d", userID, n))), UserID: userID, PlanID: planID,
		Quarter: "2021-Q1", Owner: "Robert Henderson", FileName: fmt.Sprintf("return %d.xlsx", n),
		Bytes: []byte(fmt.Sprintf("PK\x03\x04 return %d", n)), Statement: sample(2, fmt.Sprint(n)),
		CreatedAt: at, ExpiresAt: at.Add(time.Hour),
	}
}

func TestPendingUploads(t *testing.T) { backends(t, testPendingUploads) }

func testPendingUploads(t *testing.T) {
	ctx := context.Background()
	db, planID, robert, jane := pendingFixture(t)
	p := pendingFor(robert.ID, planID, 1, t0)
	if err := db.AddPendingUpload(ctx, p, 50); err != nil {
		t.Fatal(err)
	}
	got, err := db.PendingUploadByIDHash(ctx, p.IDHash, t0.Add(59*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	want := p
	want.Plan = "Learning Report Action Plan"
	if !reflect.DeepEqual(got, want) {
		t.Errorf("read back\n%+v\nwant\n%+v", got, want)
	}
	if _, err := db.PendingUploadByIDHash(ctx, p.IDHash, t0.Add(time.Hour)); !errors.Is(err, ErrNotFound) {
		t.Errorf("after an hour: error %v, want ErrNotFound", err)
	}
	if _, err := db.PendingUploadByIDHash(ctx, Digest([]byte("other")), t0); !errors.Is(err, ErrNotFound) {
		t.Errorf("an unknown ID: error %v, want ErrNotFound", err)
	}
	if err := db.AddPendingUpload(ctx, p, 50); !errors.Is(err, ErrDuplicate) {
		t.Errorf("the same ID again: error %v, want ErrDuplicate", err)
	}
	for _, c := range []struct {
		name string
		edit func(*PendingUpload)
		want error
	}{
		{"no ID hash", func(p *PendingUpload) { p.IDHash = "" }, ErrInvalid},
		{"no owner", func(p *PendingUpload) { p.Owner = " " }, ErrInvalid},
		{"no bytes", func(p *PendingUpload) { p.Bytes = nil }, ErrInvalid},
		{"no statement", func(p *PendingUpload) { p.Statement = nil }, ErrInvalid},
		{"bad quarter", func(p *PendingUpload) { p.Quarter = "2021 Q1" }, ErrInvalid},
		{"expires at once", func(p *PendingUpload) { p.ExpiresAt = p.CreatedAt }, ErrInvalid},
		{"unknown user", func(p *PendingUpload) { p.UserID = 999 }, ErrNotFound},
		{"unknown plan", func(p *PendingUpload) { p.PlanID = 999 }, ErrNotFound},
	} {
		q := pendingFor(jane.ID, planID, 100, t0)
		c.edit(&q)
		if err := db.AddPendingUpload(ctx, q, 50); !errors.Is(err, c.want) {
			t.Errorf("%s: error %v, want %v", c.name, err, c.want)
		}
	}
}

// TestPendingUploadsKeptPerUser: a user keeps their perUser newest pending
// uploads, whatever others keep; expired ones go when any is added.
func TestPendingUploadsKeptPerUser(t *testing.T) { backends(t, testPendingUploadsKeptPerUser) }

func testPendingUploadsKeptPerUser(t *testing.T) {
	ctx := context.Background()
	db, planID, robert, jane := pendingFixture(t)
	const perUser = 50
	at := func(i int) time.Time { return t0.Add(time.Duration(i) * time.Second) }
	if err := db.AddPendingUpload(ctx, pendingFor(jane.ID, planID, 0, at(0)), perUser); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= perUser+2; i++ {
		if err := db.AddPendingUpload(ctx, pendingFor(robert.ID, planID, i, at(i)), perUser); err != nil {
			t.Fatal(err)
		}
	}
	now := at(perUser + 2)
	for i := 1; i <= perUser+2; i++ {
		_, err := db.PendingUploadByIDHash(ctx, pendingFor(robert.ID, planID, i, now).IDHash, now)
		if kept := i > 2; kept != (err == nil) {
			t.Errorf("Robert's upload %d: error %v, want kept %v", i, err, kept)
		}
	}
	if _, err := db.PendingUploadByIDHash(ctx, pendingFor(jane.ID, planID, 0, now).IDHash, now); err != nil {
		t.Errorf("Jane's one upload: %v", err)
	}
	count := func() (n int) {
		t.Helper()
		if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM pending_uploads`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(); n != perUser+1 {
		t.Errorf("%d kept, want %d", n, perUser+1)
	}
	// An hour on, adding one deletes all the expired.
	later := at(perUser + 2).Add(time.Hour)
	if err := db.AddPendingUpload(ctx, pendingFor(jane.ID, planID, 1, later), perUser); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 1 {
		t.Errorf("%d kept after the rest expired, want 1", n)
	}
}

// TestSubmitPendingUpload: a return made from a pending upload deletes it in
// the same transaction, so an upload is submitted once; a submission that
// fails leaves it for another try.
func TestSubmitPendingUpload(t *testing.T) { backends(t, testSubmitPendingUpload) }

func testSubmitPendingUpload(t *testing.T) {
	ctx := context.Background()
	db, planID, robert, _ := pendingFixture(t)
	p := pendingFor(robert.ID, planID, 1, t0)
	if err := db.AddPendingUpload(ctx, p, 50); err != nil {
		t.Fatal(err)
	}
	in := ReturnInput{Plan: "Learning Report Action Plan", Quarter: p.Quarter, Owner: p.Owner, FileName: p.FileName, Bytes: p.Bytes,
		SubmittedBy: "robert@example.gov.uk", SubmittedAt: t0.Add(time.Minute), Statement: p.Statement, PendingIDHash: p.IDHash}
	ev := Event{At: t0.Add(time.Minute), Actor: "robert@example.gov.uk", Action: "return.submit", Detail: "version " + VersionMark}
	returns := func() int {
		t.Helper()
		rs, err := db.ReturnsFor(ctx, in.Plan, in.Quarter)
		if err != nil {
			t.Fatal(err)
		}
		return len(rs)
	}

	// The audit line cannot be written: nothing is stored, and the upload stays.
	failAudit(t, db)
	if _, err := db.AddReturnAudited(ctx, in, ev); err == nil || !strings.Contains(err.Error(), "injected failure") {
		t.Fatalf("error %v, want the injected failure", err)
	}
	if _, err := db.PendingUploadByIDHash(ctx, p.IDHash, t0); err != nil || returns() != 0 {
		t.Fatalf("after a failed submission: pending %v, %d returns", err, returns())
	}
	unfailAudit(t, db)

	rec, err := db.AddReturnAudited(ctx, in, ev)
	if err != nil || rec.Version != 1 {
		t.Fatalf("submit: %+v, %v", rec, err)
	}
	if _, err := db.PendingUploadByIDHash(ctx, p.IDHash, t0); !errors.Is(err, ErrNotFound) {
		t.Errorf("after submitting: error %v, want ErrNotFound", err)
	}
	// Submitted twice (a second tab, a double click): the second stores nothing.
	in.Bytes = append(in.Bytes, " changed"...)
	if _, err := db.AddReturnAudited(ctx, in, ev); !errors.Is(err, ErrNotFound) {
		t.Errorf("submitting it again: error %v, want ErrNotFound", err)
	}
	if n := returns(); n != 1 {
		t.Errorf("%d returns, want 1", n)
	}
	if es, _ := db.AuditLog(ctx, 0, 10); len(es) != 1 {
		t.Errorf("%d audit events, want 1", len(es))
	}
	// The same bytes as the latest version: a duplicate, and the upload is used up.
	q := pendingFor(robert.ID, planID, 2, t0)
	q.Bytes = returnBytes(t, db, rec.ID)
	if err := db.AddPendingUpload(ctx, q, 50); err != nil {
		t.Fatal(err)
	}
	in.Bytes, in.PendingIDHash = q.Bytes, q.IDHash
	if _, err := db.AddReturnAudited(ctx, in, ev); !errors.Is(err, ErrDuplicate) {
		t.Errorf("the same bytes again: error %v, want ErrDuplicate", err)
	}
	if _, err := db.PendingUploadByIDHash(ctx, q.IDHash, t0); !errors.Is(err, ErrNotFound) {
		t.Errorf("after a duplicate: error %v, want ErrNotFound", err)
	}
}

func returnBytes(t *testing.T, db *DB, id int64) []byte {
	t.Helper()
	_, _, b, err := db.Return(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestPendingUploadSurvivesReopening: a pending upload is in the file, not
// the process.
func TestPendingUploadSurvivesReopening(t *testing.T) {
	backends(t, testPendingUploadSurvivesReopening)
}

func testPendingUploadSurvivesReopening(t *testing.T) {
	ctx := context.Background()
	path := testDatabase(t, "papers.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := db.EnsurePlan(ctx, "Plan")
	u, err := db.AddUser(ctx, User{Name: "R", Email: "r@example.gov.uk", Role: RoleOfficer, PasswordHash: "x", CreatedAt: t0})
	if err != nil {
		t.Fatal(err)
	}
	up := pendingFor(u.ID, p.ID, 1, t0)
	if err := db.AddPendingUpload(ctx, up, 50); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if db, err = Open(ctx, path); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got, err := db.PendingUploadByIDHash(ctx, up.IDHash, t0); err != nil || string(got.Bytes) != string(up.Bytes) {
		t.Errorf("after reopening: %q, %v", got.Bytes, err)
	}
}
