package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"regexp"
	"strconv"
)

// The schema, as numbered migrations: migrations/NNNN_name.sql, applied in
// order, each once, each in its own transaction. Never edit one that has
// shipped; add the next. Each has a PostgreSQL version of the same number
// and name, migrations/postgres/NNNN_name.sql, which makes the same schema
// in PostgreSQL's dialect (a test holds the two sets in step).
//
//go:embed migrations/*.sql migrations/postgres/*.sql
var migrationFiles embed.FS

// migrationDir is where d's migrations are.
func (d dialect) migrationDir() string {
	if d == postgresDialect {
		return "migrations/postgres"
	}
	return "migrations"
}

type migration struct {
	version int
	name    string
	sql     string
}

var migrationName = regexp.MustCompile(`^([0-9]{4})_([a-z0-9_]+)\.sql$`)

// migrations returns d's embedded migrations in order, checking they are
// numbered 1, 2, 3, ... with no gaps.
func migrations(d dialect) ([]migration, error) {
	dir := d.migrationDir()
	entries, err := fs.ReadDir(migrationFiles, dir)
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries { // ReadDir sorts by name
		if e.IsDir() {
			continue
		}
		m := migrationName.FindStringSubmatch(e.Name())
		if m == nil {
			return nil, fmt.Errorf("migration %s: name is not NNNN_name.sql", e.Name())
		}
		v, _ := strconv.Atoi(m[1])
		if v != len(ms)+1 {
			return nil, fmt.Errorf("migration %s: want number %04d", e.Name(), len(ms)+1)
		}
		b, err := migrationFiles.ReadFile(dir + "/" + e.Name())
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: m[2], sql: string(b)})
	}
	return ms, nil
}

// migrate applies the migrations the database has not had. Two processes
// opening one new database at once are safe: each migration's transaction
// holds the write lock (on PostgreSQL, the advisory lock writeLock) and
// first checks it has not been applied.
func (db *DB) migrate(ctx context.Context) error {
	ms, err := migrations(db.dialect)
	if err != nil {
		return err
	}
	const create = `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY,
		name    TEXT NOT NULL
	)`
	var exists bool
	if db.dialect == postgresDialect {
		err = db.write.QueryRowContext(ctx, `SELECT to_regclass('schema_migrations') IS NOT NULL`).Scan(&exists)
	}
	switch {
	case err != nil || exists:
	case db.dialect == postgresDialect:
		// Under the write lock: PostgreSQL's CREATE TABLE IF NOT EXISTS is
		// not safe against another session creating the table at once.
		err = db.inTx(ctx, func(tx *sqlTx) error {
			var exists bool
			if err := tx.QueryRowContext(ctx, `SELECT to_regclass('schema_migrations') IS NOT NULL`).Scan(&exists); err != nil || exists {
				return err
			}
			_, err := tx.ExecContext(ctx, create)
			return err
		})
	default:
		_, err = db.write.ExecContext(ctx, create)
	}
	if err != nil {
		return fmt.Errorf("create schema_migrations: %w", db.busy(err))
	}
	var current int
	err = db.write.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&current)
	if err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if current > len(ms) {
		return fmt.Errorf("schema version %d, this program knows up to %d; use a newer papers: %w", current, len(ms), ErrTooNew)
	}
	for _, m := range ms[current:] {
		err := db.inTx(ctx, func(tx *sqlTx) error {
			var n int
			err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, m.version).Scan(&n)
			if err != nil || n > 0 {
				return err
			}
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name) VALUES (?, ?)`, m.version, m.name)
			return err
		})
		if err != nil {
			return fmt.Errorf("migration %04d_%s: %w", m.version, m.name, err)
		}
	}
	return nil
}

// SchemaVersion returns the number of the last migration applied.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := db.read.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return v, nil
}
