package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"time"
)

// ErrNotHistory: the file is not a papers history database.
var ErrNotHistory = errors.New("not a papers history database")

// Backup writes a consistent copy of the database to path with SQLite's
// VACUUM INTO, while other connections and processes go on reading and
// writing: the copy holds every write committed before it began. The copy is
// written under a temporary name beside path and renamed into place, so path
// is either the whole copy or absent. An existing path is an error wrapping
// fs.ErrExist unless overwrite is set.
//
// A PostgreSQL database is refused with ErrNotSQLite: pg_dump backs it up.
func (db *DB) Backup(ctx context.Context, path string, overwrite bool) error {
	if db.dialect == postgresDialect {
		return fmt.Errorf("back up %s: %w", db.name, ErrNotSQLite)
	}
	if !overwrite {
		if _, err := os.Lstat(path); err == nil {
			return fmt.Errorf("back up to %s: %w", path, fs.ErrExist)
		}
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("back up to %s: %w", path, err)
	}
	name := tmp.Name()
	tmp.Close()
	os.Remove(name) // VACUUM INTO wants a file that does not exist
	defer os.Remove(name)
	// A connection of its own: the copy is one read transaction, and
	// writers, which use the write connection, are not held up. (The read
	// pool's query_only forbids VACUUM INTO.)
	abs, err := filepath.Abs(db.path)
	if err != nil {
		return fmt.Errorf("back up to %s: %w", path, err)
	}
	conn, err := sql.Open("sqlite", dsn(abs, false))
	if err != nil {
		return fmt.Errorf("back up to %s: %w", path, err)
	}
	defer conn.Close()
	conn.SetMaxOpenConns(1) // the pragma below is per connection
	if _, err := conn.ExecContext(ctx, `PRAGMA query_only = 0`); err != nil {
		return fmt.Errorf("back up to %s: %w", path, err)
	}
	if _, err := conn.ExecContext(ctx, `VACUUM INTO ?`, name); err != nil {
		return fmt.Errorf("back up %s to %s: %w", db.path, path, db.busy(err))
	}
	if err := syncFile(name); err != nil {
		return fmt.Errorf("back up to %s: %w", path, err)
	}
	if overwrite {
		err = os.Rename(name, path)
	} else if err = os.Link(name, path); err == nil { // fails if path appeared meanwhile
		os.Remove(name)
	}
	if err != nil {
		return fmt.Errorf("back up to %s: %w", path, err)
	}
	return syncDir(dir)
}

// Inspect checks that the file at path is a papers history database this
// program can open, without changing it, and returns its schema version. It
// fails with ErrNotHistory, or ErrTooNew for a newer program's database.
func Inspect(ctx context.Context, path string) (version int, err error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return 0, err
	}
	if st, err := os.Stat(abs); err != nil {
		return 0, err
	} else if !st.Mode().IsRegular() {
		return 0, fmt.Errorf("%s is not a file: %w", path, ErrNotHistory)
	}
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs), RawQuery: "mode=ro&_pragma=query_only(1)"}
	conn, err := sql.Open("sqlite", u.String())
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	var check string
	if err := conn.QueryRowContext(ctx, `PRAGMA quick_check`).Scan(&check); err != nil {
		return 0, fmt.Errorf("%s: %v: %w", path, err, ErrNotHistory)
	}
	if check != "ok" {
		return 0, fmt.Errorf("%s is damaged (%s): %w", path, check, ErrNotHistory)
	}
	for _, table := range []string{"schema_migrations", "statements", "users"} {
		var n int
		if err := conn.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = ?`, table).Scan(&n); err != nil {
			return 0, fmt.Errorf("%s: %v: %w", path, err, ErrNotHistory)
		}
		if n == 0 {
			return 0, fmt.Errorf("%s has no %s table: %w", path, table, ErrNotHistory)
		}
	}
	if err := conn.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&version); err != nil {
		return 0, fmt.Errorf("%s: read schema version: %v: %w", path, err, ErrNotHistory)
	}
	ms, err := migrations(sqliteDialect)
	if err != nil {
		return 0, err
	}
	if version > len(ms) {
		return version, fmt.Errorf("%s: schema version %d, this program knows up to %d; use a newer papers: %w", path, version, len(ms), ErrTooNew)
	}
	return version, nil
}

// Restore replaces the database at dbPath with the backup at from, which
// Inspect must accept. The database being replaced is first checkpointed
// (its WAL folded in) and kept as dbPath.before-restore-<now>, whose name is
// returned ("" when there was no database). Nothing may have the database
// open meanwhile: callers make sure of that.
//
// A PostgreSQL URL is refused with ErrNotSQLite: pg_restore restores one.
func Restore(ctx context.Context, dbPath, from string, now time.Time) (kept string, err error) {
	if IsPostgres(dbPath) {
		return "", fmt.Errorf("restore %s: %w", Describe(dbPath), ErrNotSQLite)
	}
	if _, err := Inspect(ctx, from); err != nil {
		return "", err
	}
	dir := filepath.Dir(dbPath)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", err
	}
	// Copy first, so a failure leaves the current database as it was.
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(dbPath)+".restore.*.tmp")
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp.Name())
	src, err := os.Open(from)
	if err != nil {
		tmp.Close()
		return "", err
	}
	_, err = io.Copy(tmp, src)
	src.Close()
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", fmt.Errorf("copy %s: %w", from, err)
	}
	if _, err := os.Stat(dbPath); err == nil {
		// Fold the WAL into the file, so the kept copy is complete alone.
		cur, err := Open(ctx, dbPath)
		if err != nil {
			return "", err
		}
		_, err = cur.write.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
		if cerr := cur.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return "", fmt.Errorf("checkpoint %s: %w", dbPath, err)
		}
		kept = dbPath + ".before-restore-" + now.UTC().Format("20060102T150405Z")
		if err := os.Rename(dbPath, kept); err != nil {
			return "", err
		}
		for _, side := range []string{"-wal", "-shm"} {
			if err := os.Remove(dbPath + side); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return kept, err
			}
		}
	}
	if err := os.Rename(tmp.Name(), dbPath); err != nil {
		return kept, err
	}
	return kept, syncDir(dir)
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// syncDir makes a rename in dir durable. Systems that cannot sync a
// folder are let be.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	d.Sync()
	return d.Close()
}
