package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Event is one line of the audit log: who did what, when.
type Event struct {
	ID     int64 // set by the store, increasing
	At     time.Time
	Actor  string // a user's email, or "scheduler"
	Action string // "statement.accept", "user.add", ...
	SHA256 string // of the file acted on, if any
	Detail string
}

// Audit appends e to the audit log and returns it with its ID.
func (db *DB) Audit(ctx context.Context, e Event) (Event, error) {
	if err := checkEvent(e); err != nil {
		return Event{}, err
	}
	e, err := insertEvent(ctx, db.write, e)
	if err != nil {
		return Event{}, fmt.Errorf("audit %s by %s: %w", e.Action, e.Actor, db.busy(err))
	}
	return e, nil
}

// VersionMark in the Detail of an event given to AddReturnAudited or
// AddStatementAudited is replaced (its first occurrence) by the version
// number the record was stored as.
const VersionMark = "{version}"

func checkEvent(e Event) error {
	switch {
	case e.At.IsZero():
		return missing("audit", "time")
	case strings.TrimSpace(e.Actor) == "":
		return missing("audit", "actor")
	case strings.TrimSpace(e.Action) == "":
		return missing("audit", "action")
	}
	return nil
}

// execer is a *pool or a *sqlTx.
type execer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// insertEvent appends a checked event and returns it with its ID.
func insertEvent(ctx context.Context, x execer, e Event) (Event, error) {
	e.At = e.At.UTC()
	err := x.QueryRowContext(ctx, `INSERT INTO audit_log (at, actor, action, sha256, detail)
		VALUES (?, ?, ?, ?, ?) RETURNING id`, formatTime(e.At), e.Actor, e.Action, e.SHA256, e.Detail).Scan(&e.ID)
	return e, err
}

// auditIn writes e in tx for the record stored as version, with the
// record's SHA-256.
func auditIn(ctx context.Context, tx *sqlTx, e Event, sha string, version int) error {
	e.SHA256 = sha
	e.Detail = strings.Replace(e.Detail, VersionMark, strconv.Itoa(version), 1)
	if _, err := insertEvent(ctx, tx, e); err != nil {
		return fmt.Errorf("audit %s by %s: %w", e.Action, e.Actor, err)
	}
	return nil
}

// AuditLog returns up to limit events with IDs greater than afterID, oldest
// first; pass the last ID seen to read on.
func (db *DB) AuditLog(ctx context.Context, afterID int64, limit int) ([]Event, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, at, actor, action, sha256, detail FROM audit_log
		WHERE id > ? ORDER BY id LIMIT ?`, afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("read audit log: %w", err)
	}
	defer rows.Close()
	var es []Event
	for rows.Next() {
		var e Event
		var at string
		if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.SHA256, &e.Detail); err != nil {
			return nil, fmt.Errorf("read audit log: %w", err)
		}
		if e.At, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("read audit log: event %d: %w", e.ID, err)
		}
		es = append(es, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read audit log: %w", err)
	}
	return es, nil
}
