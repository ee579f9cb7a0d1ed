package store

import (
	"context"
	"database/sql"
	"errors"
	"github.com/jackc/pgx/v5"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// holdWriteLock takes the database's write lock on a connection of its own,
// as another papers process in the middle of a write would, and returns the
// function that lets it go.
func holdWriteLock(t *testing.T, path string) (release func()) {
	t.Helper()
	if IsPostgres(path) {
		return holdAdvisoryLock(t, path)
	}
	abs, _ := filepath.Abs(path)
	other, err := sql.Open("sqlite", dsn(abs, true))
	if err != nil {
		t.Fatal(err)
	}
	conn, err := other.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(context.Background(), "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	released := false
	release = func() {
		if !released {
			released = true
			conn.ExecContext(context.Background(), "ROLLBACK")
			conn.Close()
			other.Close()
		}
	}
	t.Cleanup(release)
	return release
}

// A write that waits longer than busyTimeout for another process's write
// lock fails with ErrBusy and a message that names the database and says
// to try again; nothing is stored; opening and reading still work; once the
// lock is released the same write succeeds.
func TestBusy(t *testing.T) { backends(t, testBusy) }

func testBusy(t *testing.T) {
	defer func(d time.Duration) { busyTimeout = d }(busyTimeout)
	busyTimeout = 200 * time.Millisecond
	ctx := context.Background()
	path := testDatabase(t, "papers.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.AddStatement(ctx, input("Plan", "2020-Q3", KindBaseline, "baseline")); err != nil {
		t.Fatal(err)
	}

	release := holdWriteLock(t, path)
	start := time.Now()
	_, err = db.AddStatement(ctx, input("Plan", "2020-Q4", KindStatement, "october"))
	if waited := time.Since(start); waited < busyTimeout || waited > busyTimeout+2*time.Second {
		t.Errorf("gave up after %v, want about %v", waited, busyTimeout)
	}
	if !errors.Is(err, ErrBusy) {
		t.Fatalf("error %v, want ErrBusy", err)
	}
	name := path
	if IsPostgres(path) {
		name = redactURL(path)
	}
	for _, want := range []string{"the history database " + name + " is busy", "another papers process", "try again"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message lacks %q: %v", want, err)
		}
	}
	if strings.Contains(err.Error(), "SQLITE_BUSY") || strings.Contains(err.Error(), "\n") || strings.Contains(err.Error(), ":papers_test@") {
		t.Errorf("message shows the driver's words or runs over lines: %v", err)
	}
	for what, write := range map[string]func() error{
		"audit": func() error { _, err := db.Audit(ctx, Event{At: t0, Actor: "clerk", Action: "test"}); return err },
		"start run": func() error {
			_, err := db.StartRun(ctx, RunStart{Job: "quarterly", StartedAt: t0})
			return err
		},
		"delete sessions": func() error { _, err := db.DeleteExpiredSessions(ctx, t0); return err },
	} {
		if testDialect(t) == postgresDialect && what != "start run" {
			continue // single statements need no lock on PostgreSQL: its row locks suffice
		}
		if err := write(); !errors.Is(err, ErrBusy) {
			t.Errorf("%s: error %v, want ErrBusy", what, err)
		}
	}
	// Another process opening the database meanwhile, to read.
	db2, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("open while another process writes: %v", err)
	}
	defer db2.Close()
	if recs, err := db2.History(ctx, "Plan"); err != nil || len(recs) != 1 {
		t.Errorf("history while busy: %d records, %v", len(recs), err)
	}

	release()
	if _, err := db.AddStatement(ctx, input("Plan", "2020-Q4", KindStatement, "october")); err != nil {
		t.Fatalf("write after the lock was released: %v", err)
	}
	recs, err := db.History(ctx, "Plan")
	if err != nil || len(recs) != 2 {
		t.Errorf("history afterwards: %d records, %v", len(recs), err)
	}
	if runs, _ := db.Runs(ctx, 10); len(runs) != 0 {
		t.Errorf("a busy StartRun left a run: %+v", runs)
	}
}

// holdAdvisoryLock takes the PostgreSQL store's write lock in a transaction
// of another connection, as another papers process writing would, until
// release is called or the test ends.
func holdAdvisoryLock(t *testing.T, url string) (release func()) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(writeLock)); err != nil {
		t.Fatal(err)
	}
	released := false
	release = func() {
		if !released {
			released = true
			tx.Rollback(ctx)
			conn.Close(ctx)
		}
	}
	t.Cleanup(release)
	return release
}
