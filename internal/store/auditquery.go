package store

import (
	"context"
	"fmt"
	"strings"
)

// AuditQuery selects lines of the audit log. Empty fields select
// everything.
type AuditQuery struct {
	// Quarter keeps the lines whose detail names the quarter ("2021-Q1"):
	// the log has no quarter of its own, but every line about a quarter's
	// returns, statement or report says which.
	Quarter string
	Actor   string // exactly, without regard to case
	Action  string // exactly
	Offset  int    // lines to skip, newest first
	Limit   int    // at most this many lines; 0 or less: none
}

func (q AuditQuery) where() (string, []any) {
	var conds []string
	var args []any
	if q.Quarter != "" {
		// A quarter is checked to be like 2021-Q1 (checkQuarterOrEmpty), so
		// it holds no LIKE wildcard; LIKE is SQLite's and PostgreSQL's alike.
		conds = append(conds, `detail LIKE ?`)
		args = append(args, "%"+q.Quarter+"%")
	}
	if q.Actor != "" {
		conds = append(conds, `actor = ? COLLATE NOCASE`)
		args = append(args, q.Actor)
	}
	if q.Action != "" {
		conds = append(conds, `action = ?`)
		args = append(args, q.Action)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// AuditEvents returns the lines of the audit log q selects, newest first,
// and how many it selects in all (before Offset and Limit).
func (db *DB) AuditEvents(ctx context.Context, q AuditQuery) ([]Event, int, error) {
	if err := checkQuarterOrEmpty(q.Quarter); err != nil {
		return nil, 0, fmt.Errorf("read audit log: %w", err)
	}
	where, args := q.where()
	var total int
	if err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM audit_log`+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("read audit log: %w", err)
	}
	if q.Limit <= 0 {
		return nil, total, nil
	}
	rows, err := db.read.QueryContext(ctx, `SELECT id, at, actor, action, sha256, detail FROM audit_log`+where+
		` ORDER BY id DESC LIMIT ? OFFSET ?`, append(args, q.Limit, max(q.Offset, 0))...)
	if err != nil {
		return nil, 0, fmt.Errorf("read audit log: %w", err)
	}
	defer rows.Close()
	var es []Event
	for rows.Next() {
		var e Event
		var at string
		if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.SHA256, &e.Detail); err != nil {
			return nil, 0, fmt.Errorf("read audit log: %w", err)
		}
		if e.At, err = parseTime(at); err != nil {
			return nil, 0, fmt.Errorf("read audit log: event %d: %w", e.ID, err)
		}
		es = append(es, e)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("read audit log: %w", err)
	}
	return es, total, nil
}

// AuditNames returns the distinct actors and actions in the audit log,
// sorted, for a filter's choices.
func (db *DB) AuditNames(ctx context.Context) (actors, actions []string, err error) {
	for _, c := range []struct {
		col string
		out *[]string
	}{{"actor", &actors}, {"action", &actions}} {
		rows, err := db.read.QueryContext(ctx, `SELECT DISTINCT `+c.col+` COLLATE NOCASE AS name FROM audit_log ORDER BY name`)
		if err != nil {
			return nil, nil, fmt.Errorf("read audit log: %w", err)
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				rows.Close()
				return nil, nil, fmt.Errorf("read audit log: %w", err)
			}
			*c.out = append(*c.out, s)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, nil, fmt.Errorf("read audit log: %w", err)
		}
	}
	return actors, actions, nil
}

func checkQuarterOrEmpty(q string) error {
	if q == "" {
		return nil
	}
	return checkQuarter(q)
}
