package store

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib" // the database/sql driver for PostgreSQL
)

// IsPostgres reports whether database names a PostgreSQL database (a
// postgres:// or postgresql:// URL) rather than a SQLite file.
func IsPostgres(database string) bool {
	d := strings.ToLower(strings.TrimSpace(database))
	return strings.HasPrefix(d, "postgres://") || strings.HasPrefix(d, "postgresql://")
}

// PostgreSQL error codes the store acts on.
const (
	pgSerializationFailure = "40001"
	pgDeadlockDetected     = "40P01"
	pgLockNotAvailable     = "55P03" // lock_timeout passed
)

// writeLock is the key of the PostgreSQL advisory lock every write
// transaction takes first, as SQLite's BEGIN IMMEDIATE takes the file's
// write lock: writers of one database, in any process, take turns. The
// number is arbitrary but fixed ("papers" in ASCII).
const writeLock = 0x706170657273

// pgCode returns the SQLSTATE of a PostgreSQL error, or "".
func pgCode(err error) string {
	var perr *pgconn.PgError
	if errors.As(err, &perr) {
		return perr.Code
	}
	return ""
}

// pgRetryable reports whether a PostgreSQL transaction failed only because
// it met another, so that running it again may succeed.
func pgRetryable(err error) bool {
	c := pgCode(err)
	return c == pgSerializationFailure || c == pgDeadlockDetected
}

// lockWrites takes writeLock for the rest of tx, waiting for up to
// busyTimeout for another transaction to finish.
func lockWrites(ctx context.Context, tx *sqlTx) error {
	// One round trip; set_config comes first in the list, so the wait for
	// the lock is bounded by it.
	_, err := tx.ExecContext(ctx, `SELECT set_config('lock_timeout', ?, true), pg_advisory_xact_lock(?)`,
		fmt.Sprintf("%dms", busyTimeout.Milliseconds()), int64(writeLock))
	return err
}

// redactURL returns a PostgreSQL URL without its password, for messages.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "the PostgreSQL database (its URL cannot be read)"
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// openPostgres opens the PostgreSQL database named by a postgres:// URL,
// which must exist, and migrates it.
func openPostgres(ctx context.Context, rawURL string) (*DB, error) {
	db := &DB{path: rawURL, name: redactURL(rawURL), dialect: postgresDialect}
	cfg, err := pgx.ParseConfig(rawURL)
	if err != nil {
		return nil, fmt.Errorf("open history database %s: %w", db.name, err)
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = 10 * time.Second
	}
	if cfg.RuntimeParams["application_name"] == "" {
		cfg.RuntimeParams["application_name"] = "papers"
	}
	// Times are stored as text, and nothing depends on the session's zone,
	// but a fixed one keeps any server-side time function honest.
	cfg.RuntimeParams["timezone"] = "UTC"
	db.write = &pool{DB: stdlib.OpenDB(*cfg), dialect: postgresDialect}
	db.write.SetMaxOpenConns(1)
	db.write.SetMaxIdleConns(1)
	rcfg := cfg.Copy()
	rcfg.RuntimeParams["default_transaction_read_only"] = "on"
	db.read = &pool{DB: stdlib.OpenDB(*rcfg), dialect: postgresDialect}
	db.read.SetMaxOpenConns(8)
	db.read.SetMaxIdleConns(8)
	db.read.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.write.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open history database %s: cannot connect (is the server running, and portal.database right?): %w", db.name, oneLine{err})
	}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, db.openError(err)
	}
	return db, nil
}

// oneLine is an error whose message is on one line: pgx writes one line
// per address it tried.
type oneLine struct{ err error }

func (e oneLine) Error() string {
	var parts []string
	for _, l := range strings.Split(e.err.Error(), "\n") {
		if l = strings.TrimSuffix(strings.TrimSpace(l), ":"); l != "" {
			parts = append(parts, l)
		}
	}
	return strings.Join(parts, "; ")
}

func (e oneLine) Unwrap() error { return e.err }

// boolInt is b as the 0 or 1 the store keeps in its INTEGER flag columns
// (SQLite has no boolean type; PostgreSQL will not take a Go bool for an
// integer).
func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// ErrNotSQLite: an operation that only a SQLite file supports (backup,
// restore) was asked of a PostgreSQL database.
var ErrNotSQLite = errors.New("PostgreSQL database: papers backup and restore are for the SQLite file; back up PostgreSQL with pg_dump and restore it with pg_restore (see docs/operations.md)")

// Describe names a database (a file, or a postgres:// URL) for people: a
// URL loses its password.
func Describe(database string) string {
	if IsPostgres(database) {
		return redactURL(database)
	}
	return database
}
