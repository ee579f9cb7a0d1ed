// Package store is the history database: every accepted statement (the
// uploaded bytes, their SHA-256, who submitted it, when, for which plan and
// quarter, and the parsed plan.Statement), officers' returns, portal users,
// the lead owners they answer for, sessions, an append-only audit log and
// records of scheduled runs.
//
// It keeps one SQLite file through the pure-Go driver modernc.org/sqlite,
// or, given a postgres:// URL, a PostgreSQL database through pgx's
// database/sql driver, so that several portals can share it. Either way it
// applies its embedded migrations when opened (migrations/ for SQLite, the
// same ones in PostgreSQL's dialect in migrations/postgres/), and runs the
// same queries, written once with ? placeholders (see dialect.go). Accepted
// statements and returns are immutable: a correction is a new version. The
// store has no clock: callers pass every time, and times come back in UTC.
//
// The methods of *DB use only standard and plan types.
package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"time"

	"modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// Sentinel errors, for errors.Is.
var (
	// ErrNotFound: no such record (or, for a session, none that is unexpired).
	ErrNotFound = errors.New("not found")
	// ErrDuplicate: the record already exists. AddStatement and AddReturn
	// return the existing record with it.
	ErrDuplicate = errors.New("already stored")
	// ErrTooNew: the database was written by a newer version of the program.
	ErrTooNew = errors.New("database is newer than this program")
	// ErrInvalid: the caller's input cannot be stored (a missing field, a
	// malformed quarter, a run finished twice).
	ErrInvalid = errors.New("invalid")
	// ErrBusy: another connection, usually another papers process, held the
	// write lock for longer than a write waits (5 s). Nothing was written;
	// trying again later works.
	ErrBusy = errors.New("database busy")
)

// busyTimeout is how long a write waits for another connection or process
// to finish its own before giving up. Tests shorten it.
var busyTimeout = 5 * time.Second

// DB is an open history database. It is safe for concurrent use, and several
// DBs (in one process or several) may share one file or one PostgreSQL
// database.
type DB struct {
	path    string // as given to Open
	name    string // for messages: path, or the URL without its password
	dialect dialect
	// Writes go through one connection. On SQLite it takes the write lock at
	// BEGIN (BEGIN IMMEDIATE), so this process's writers queue in Go and
	// only other processes wait in SQLite's busy handler; on PostgreSQL each
	// write transaction first takes one advisory lock (see inTx), to the
	// same effect. Reads use a pool of their own that cannot write.
	write *pool
	read  *pool
}

// Open opens the history database and applies any migrations it has not had
// yet. It fails with ErrTooNew when the database has migrations this
// program does not know.
//
// path is a file, or a postgres:// (or postgresql://) URL for a PostgreSQL
// database, which must exist already. A file is created, with its folder,
// if need be; it is in WAL mode: while it is open SQLite keeps path-wal and
// path-shm beside it.
func Open(ctx context.Context, path string) (*DB, error) {
	if strings.TrimSpace(path) == "" {
		return nil, fmt.Errorf("open history database: no path given: %w", ErrInvalid)
	}
	if IsPostgres(path) {
		return openPostgres(ctx, path)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open history database %s: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o750); err != nil {
		return nil, fmt.Errorf("open history database %s: %w", path, err)
	}
	db := &DB{path: path, name: path}
	w, err := sql.Open("sqlite", dsn(abs, true))
	if err != nil {
		return nil, fmt.Errorf("open history database %s: %w", path, err)
	}
	db.write = &pool{DB: w}
	db.write.SetMaxOpenConns(1)
	db.write.SetMaxIdleConns(1)
	db.write.SetConnMaxIdleTime(0)
	db.write.SetConnMaxLifetime(0)
	if err := setWAL(ctx, db.write.DB); err != nil { // creates the file
		db.write.Close()
		return nil, db.openError(err)
	}
	r, err := sql.Open("sqlite", dsn(abs, false))
	if err != nil {
		db.write.Close()
		return nil, fmt.Errorf("open history database %s: %w", path, err)
	}
	db.read = &pool{DB: r}
	n := max(2, min(runtime.GOMAXPROCS(0), 8))
	db.read.SetMaxOpenConns(n)
	db.read.SetMaxIdleConns(n)
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, db.openError(err)
	}
	return db, nil
}

// openError is err from opening the database, naming it once.
func (db *DB) openError(err error) error {
	if err = db.busy(err); errors.Is(err, ErrBusy) {
		return err
	}
	return fmt.Errorf("open history database %s: %w", db.name, err)
}

// busy turns SQLite's SQLITE_BUSY, which a write gets when another
// connection has held the write lock for all of busyTimeout, and
// PostgreSQL's lock_not_available, its equivalent for the advisory write
// lock, into an error that says so (errors.Is ErrBusy). Other errors are
// returned as they are.
func (db *DB) busy(err error) error {
	if errors.Is(err, ErrBusy) {
		return err
	}
	var serr *sqlite.Error
	if errors.As(err, &serr) && serr.Code()&0xff == sqliteBusy || pgCode(err) == pgLockNotAvailable {
		return &busyError{path: db.name, err: err}
	}
	return err
}

// busyError is a write that gave up waiting for the write lock.
type busyError struct {
	path string
	err  error
}

func (e *busyError) Error() string {
	return fmt.Sprintf("the history database %s is busy: another papers process has been writing to it for over %s; nothing was changed: try again when it has finished", e.path, busyTimeout)
}

func (e *busyError) Unwrap() []error { return []error{ErrBusy, e.err} }

// dsn is the driver's name for the file at abs: a file: URI (so any
// character may appear in the path) with the pragmas every connection needs.
func dsn(abs string, write bool) string {
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // C:/x → /C:/x
	}
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()))
	q.Add("_pragma", "foreign_keys(1)")
	// So that INSERT OR REPLACE, which deletes, meets the delete triggers.
	q.Add("_pragma", "recursive_triggers(1)")
	if write {
		q.Set("_txlock", "immediate")
	} else {
		q.Add("_pragma", "query_only(1)")
	}
	u := url.URL{Scheme: "file", Path: p, RawQuery: q.Encode()}
	return u.String()
}

// sqliteBusy is SQLite's primary result code SQLITE_BUSY.
const sqliteBusy = 5

// setWAL puts the database in WAL mode, which lasts: later connections need
// not ask again. Switching a new file to WAL needs an exclusive lock that
// SQLite does not wait for, so when two processes open a new file at once
// one of them sees SQLITE_BUSY; it tries again for up to busyTimeout.
func setWAL(ctx context.Context, db *sql.DB) error {
	var waited time.Duration
	for delay := time.Millisecond; ; delay = min(2*delay, 100*time.Millisecond) {
		var mode string
		err := db.QueryRowContext(ctx, `PRAGMA journal_mode = WAL`).Scan(&mode)
		var serr *sqlite.Error
		switch {
		case err == nil && strings.EqualFold(mode, "wal"):
			return nil
		case err == nil:
			return fmt.Errorf("cannot use WAL journal mode (journal mode is %s)", mode)
		case !errors.As(err, &serr) || serr.Code()&0xff != sqliteBusy:
			return fmt.Errorf("set WAL journal mode: %w", err)
		case waited >= busyTimeout:
			return err // busy: Open says so
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(delay):
			waited += delay
		}
	}
}

// Close closes the database.
func (db *DB) Close() error {
	var errs []error
	if db.read != nil {
		errs = append(errs, db.read.Close())
	}
	if db.write != nil {
		errs = append(errs, db.write.Close())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close history database %s: %w", db.name, err)
	}
	return nil
}

// Path returns the path the database was opened with.
func (db *DB) Path() string { return db.path }

// inTx runs fn in a write transaction, committing when fn returns nil and
// rolling back otherwise. Only one write transaction runs at a time on one
// database, whichever process it is in: on SQLite BEGIN IMMEDIATE takes the
// write lock; on PostgreSQL the transaction first takes writeLock, so that
// fn may check and then write as it would on SQLite. A PostgreSQL
// transaction that fails to serialise anyway (a deadlock with a write made
// outside inTx) is tried again.
func (db *DB) inTx(ctx context.Context, fn func(tx *sqlTx) error) error {
	for attempt := 1; ; attempt++ {
		err := db.tryTx(ctx, fn)
		if db.dialect != postgresDialect || attempt == 3 || !pgRetryable(err) {
			return db.busy(err)
		}
	}
}

func (db *DB) tryTx(ctx context.Context, fn func(tx *sqlTx) error) error {
	t, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	tx := &sqlTx{Tx: t, dialect: db.dialect}
	if db.dialect == postgresDialect {
		if err := lockWrites(ctx, tx); err != nil {
			tx.Rollback()
			return err
		}
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// timeLayout is RFC 3339 in UTC with a fixed number of fractional digits, so
// that stored times sort as text.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored time %q: %w", s, err)
	}
	return t.UTC(), nil
}

// nullTime reads a column that is NULL when a time is not set.
func nullTime(s sql.NullString) (time.Time, error) {
	if !s.Valid {
		return time.Time{}, nil
	}
	return parseTime(s.String)
}

var quarterPattern = regexp.MustCompile(`^[0-9]{4}-Q[1-4]$`)

// checkQuarter reports whether q is a quarter label such as "2020-Q3".
func checkQuarter(q string) error {
	if !quarterPattern.MatchString(q) {
		return fmt.Errorf("quarter %q is not of the form YYYY-Qn (e.g. 2020-Q3): %w", q, ErrInvalid)
	}
	return nil
}

// Digest returns the lower-case hex SHA-256 of b, as the store records it.
func Digest(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// missing is the error for an input field left empty.
func missing(what, field string) error {
	return fmt.Errorf("%s: no %s given: %w", what, field, ErrInvalid)
}
