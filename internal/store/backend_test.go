package store

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"papers/internal/store/pgtest"
)

// The store's tests run on both databases: each TestX runs as TestX/sqlite
// on a fresh file and TestX/postgres on a fresh database of the PostgreSQL
// server named by PAPERS_TEST_POSTGRES, a URL whose role may create
// databases (.ci/postgres starts one). Without it the PostgreSQL half skips,
// unless PAPERS_REQUIRE_TOOLS=1, when it fails.

// backends runs f as the subtests "sqlite" and "postgres".
func backends(t *testing.T, f func(t *testing.T)) {
	t.Helper()
	t.Run("sqlite", f)
	t.Run("postgres", func(t *testing.T) {
		pgtest.Server(t)
		f(t)
	})
}

// sqliteOnly runs f as the subtest "sqlite", for what PostgreSQL has no
// equivalent of (the file, WAL, SQLite's busy handler, backups).
func sqliteOnly(t *testing.T, f func(t *testing.T)) {
	t.Helper()
	t.Run("sqlite", f)
}

// testDialect is the database the running test is for: the backends subtest
// it is in.
func testDialect(t testing.TB) dialect {
	parts := strings.Split(t.Name(), "/")
	if len(parts) > 1 && parts[1] == "postgres" {
		return postgresDialect
	}
	return sqliteDialect
}

// testDatabase returns where a fresh database for the running test is: a
// file called name in a temporary folder, or, on PostgreSQL, the URL of a
// new, empty database that is dropped when the test ends.
func testDatabase(t testing.TB, name string) string {
	t.Helper()
	if testDialect(t) == sqliteDialect {
		return filepath.Join(t.TempDir(), name)
	}
	return pgtest.NewDatabase(t)
}

// failAudit makes every insert into the audit log fail with "injected
// failure", until unfailAudit.
func failAudit(t testing.TB, db *DB) {
	t.Helper()
	query := `CREATE TRIGGER fail_audit BEFORE INSERT ON audit_log
		BEGIN SELECT RAISE(ABORT, 'injected failure'); END`
	if db.dialect == postgresDialect {
		query = `CREATE TRIGGER fail_audit BEFORE INSERT ON audit_log FOR EACH ROW
		EXECUTE FUNCTION papers_refuse('injected failure')`
	}
	if _, err := db.write.ExecContext(context.Background(), query); err != nil {
		t.Fatal(err)
	}
}

func unfailAudit(t testing.TB, db *DB) {
	t.Helper()
	query := `DROP TRIGGER fail_audit`
	if db.dialect == postgresDialect {
		query += ` ON audit_log`
	}
	if _, err := db.write.ExecContext(context.Background(), query); err != nil {
		t.Fatal(err)
	}
}

// The PostgreSQL migrations are the SQLite ones in the other dialect: the
// same numbers and names, none missing on either side. A migration added
// for SQLite alone fails here until its PostgreSQL version is written.
func TestMigrationsInStep(t *testing.T) {
	lite, err := migrations(sqliteDialect)
	if err != nil {
		t.Fatal(err)
	}
	pg, err := migrations(postgresDialect)
	if err != nil {
		t.Fatal(err)
	}
	for i := range max(len(lite), len(pg)) {
		switch {
		case i >= len(pg):
			t.Errorf("migrations/%04d_%s.sql has no PostgreSQL version migrations/postgres/%04d_%s.sql", lite[i].version, lite[i].name, lite[i].version, lite[i].name)
		case i >= len(lite):
			t.Errorf("migrations/postgres/%04d_%s.sql has no SQLite version", pg[i].version, pg[i].name)
		case lite[i].name != pg[i].name:
			t.Errorf("migration %04d is %q for SQLite but %q for PostgreSQL", lite[i].version, lite[i].name, pg[i].name)
		}
	}
}

func TestRebind(t *testing.T) {
	for _, tt := range []struct{ name, in, want string }{
		{"none", `SELECT 1`, `SELECT 1`},
		{"in order", `SELECT a FROM t WHERE b = ? AND c IN (?, ?)`, `SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)`},
		{"not in strings", `SELECT '?', "a?" FROM t WHERE x = ?`, `SELECT '?', "a?" FROM t WHERE x = $1`},
		{"not in comments", "SELECT ? -- why?\nFROM t WHERE x = ?", "SELECT $1 -- why?\nFROM t WHERE x = $2"},
		{"quote doubled", `SELECT 'it''s ?' WHERE x = ?`, `SELECT 'it''s ?' WHERE x = $1`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := postgresDialect.rebind(tt.in); got != tt.want {
				t.Errorf("rebind(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if got := sqliteDialect.rebind(tt.in); got != tt.in {
				t.Errorf("SQLite rebind changed %q to %q", tt.in, got)
			}
		})
	}
}

// Backup and Restore are SQLite's: on PostgreSQL they say to use pg_dump.
func TestBackupRefusesPostgres(t *testing.T) {
	t.Run("postgres", func(t *testing.T) {
		db := openTest(t)
		ctx := context.Background()
		if err := db.Backup(ctx, filepath.Join(t.TempDir(), "b.db"), false); !errors.Is(err, ErrNotSQLite) || !strings.Contains(err.Error(), "pg_dump") {
			t.Errorf("Backup: %v, want ErrNotSQLite naming pg_dump", err)
		}
		if _, err := Restore(ctx, db.Path(), filepath.Join(t.TempDir(), "b.db"), t0); !errors.Is(err, ErrNotSQLite) {
			t.Errorf("Restore: %v, want ErrNotSQLite", err)
		}
	})
}

// Several processes opening one new database at once migrate it once: each
// opens, and the database has each migration once.
func TestOpenConcurrently(t *testing.T) { backends(t, testOpenConcurrently) }

func testOpenConcurrently(t *testing.T) {
	ctx := context.Background()
	path := testDatabase(t, "papers.db")
	const n = 4
	errs := make(chan error, n)
	for range n {
		go func() {
			db, err := Open(ctx, path)
			if err == nil {
				err = db.Close()
			}
			errs <- err
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var rows, versions int
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*), COUNT(DISTINCT version) FROM schema_migrations`).Scan(&rows, &versions); err != nil {
		t.Fatal(err)
	}
	if want := len(mustMigrations(t)); rows != want || versions != want {
		t.Errorf("%d migration rows, %d versions; want %d once each", rows, versions, want)
	}
}

// On PostgreSQL a write transaction that fails to serialise (or is chosen
// as a deadlock's victim) runs again, from the start; other errors do not.
func TestPostgresRetriesSerializationFailures(t *testing.T) {
	t.Run("postgres", func(t *testing.T) {
		db := openTest(t)
		ctx := context.Background()
		for _, tt := range []struct {
			code  string
			tries int
			ok    bool
		}{
			{pgSerializationFailure, 2, true},
			{pgDeadlockDetected, 2, true},
			{"23505", 1, false}, // unique violation: a real error
		} {
			tries := 0
			err := db.inTx(ctx, func(tx *sqlTx) error {
				tries++
				if _, err := tx.ExecContext(ctx, `INSERT INTO audit_log (at, actor, action, sha256, detail) VALUES (?, 'x', ?, '', '')`, formatTime(t0), tt.code); err != nil {
					return err
				}
				if tries == 1 {
					return &pgconn.PgError{Code: tt.code}
				}
				return nil
			})
			if tries != tt.tries || (err == nil) != tt.ok {
				t.Errorf("%s: %d tries, error %v; want %d tries, success %v", tt.code, tries, err, tt.tries, tt.ok)
			}
			var n int
			if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = ?`, tt.code).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if want := map[bool]int{true: 1, false: 0}[tt.ok]; n != want {
				t.Errorf("%s: %d rows written, want %d (the failed try rolled back)", tt.code, n, want)
			}
		}
	})
}
