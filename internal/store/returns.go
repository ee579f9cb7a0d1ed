package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"papers/internal/plan"
)

// ReturnInput is an officer's return to keep: a lead owner's part of a
// quarter's statement, uploaded before the clerk accepts the quarter.
type ReturnInput struct {
	Plan        string // the plan's name; the plan is created if new
	Quarter     string // "2020-Q3"
	Owner       string // the lead owner the return is for, as the plan names them
	FileName    string
	Bytes       []byte
	SubmittedBy string
	SubmittedAt time.Time
	Statement   *plan.Statement // as read from Bytes
	// PendingIDHash, if set, names the pending upload the return is made
	// from (AddPendingUpload). It is deleted in the same transaction, so
	// that an upload is submitted once; if it is gone, nothing is stored
	// and the error is ErrNotFound. A duplicate (ErrDuplicate) deletes it.
	PendingIDHash string
}

// ReturnRecord describes one stored version of a return.
type ReturnRecord struct {
	ID          int64
	Plan        string
	Quarter     string
	Owner       string
	Version     int // 1, 2, ... within the plan, quarter and owner
	FileName    string
	SHA256      string
	Size        int64
	Actions     int
	SubmittedBy string
	SubmittedAt time.Time // UTC
}

// AddReturn keeps a return as the next version for its plan, quarter and
// owner (compared without regard to case). When the latest version there
// has the same bytes it stores nothing and returns that version with
// ErrDuplicate.
func (db *DB) AddReturn(ctx context.Context, in ReturnInput) (ReturnRecord, error) {
	return db.addReturn(ctx, in, nil)
}

// AddReturnAudited is AddReturn that also appends e to the audit log, with
// the return's SHA-256 and VersionMark in its Detail replaced by the
// version, in the same transaction: either both are stored or neither.
// A duplicate (ErrDuplicate) stores neither.
func (db *DB) AddReturnAudited(ctx context.Context, in ReturnInput, e Event) (ReturnRecord, error) {
	if err := checkEvent(e); err != nil {
		return ReturnRecord{}, fmt.Errorf("add return %s from %s: %w", in.FileName, in.Owner, err)
	}
	return db.addReturn(ctx, in, &e)
}

func (db *DB) addReturn(ctx context.Context, in ReturnInput, e *Event) (ReturnRecord, error) {
	what := fmt.Sprintf("add return %s from %s for %s of plan %q", in.FileName, in.Owner, in.Quarter, in.Plan)
	if err := checkUpload(what, in.Plan, in.Quarter, in.FileName, in.Bytes, in.SubmittedBy, in.SubmittedAt, in.Statement); err != nil {
		return ReturnRecord{}, err
	}
	owner := strings.TrimSpace(in.Owner)
	if owner == "" {
		return ReturnRecord{}, missing(what, "lead owner")
	}
	sum := Digest(in.Bytes)
	parsed, err := json.Marshal(in.Statement)
	if err != nil {
		return ReturnRecord{}, fmt.Errorf("%s: encode statement: %w", what, err)
	}
	var rec ReturnRecord
	var dup bool
	err = db.inTx(ctx, func(tx *sqlTx) error {
		if in.PendingIDHash != "" {
			if err := takePending(ctx, tx, in.PendingIDHash); err != nil {
				return err
			}
		}
		p, err := ensurePlan(ctx, tx, in.Plan)
		if err != nil {
			return err
		}
		var (
			last       int
			lastID     int64
			lastSHA256 string
		)
		err = tx.QueryRowContext(ctx, `SELECT id, version, sha256 FROM returns
			WHERE plan_id = ? AND quarter = ? AND owner = ? ORDER BY version DESC LIMIT 1`,
			p.ID, in.Quarter, owner).Scan(&lastID, &last, &lastSHA256)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return err
		case lastSHA256 == sum:
			dup = true
			rec, err = scanReturnRecord(tx.QueryRowContext(ctx, returnSelect+returnFrom+` WHERE r.id = ?`, lastID))
			return err
		}
		if err := addBlob(ctx, tx, sum, in.Bytes); err != nil {
			return err
		}
		var id int64
		err = tx.QueryRowContext(ctx, `INSERT INTO returns
			(plan_id, quarter, owner, version, file_name, sha256, action_count, submitted_by, submitted_at, parsed_format, parsed)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			p.ID, in.Quarter, owner, last+1, in.FileName, sum, len(in.Statement.Actions),
			in.SubmittedBy, formatTime(in.SubmittedAt), parsedFormat, string(parsed)).Scan(&id)
		if err != nil {
			return err
		}
		// Read back for the owner's stored spelling (the first version's).
		rec, err = scanReturnRecord(tx.QueryRowContext(ctx, returnSelect+returnFrom+` WHERE r.id = ?`, id))
		if err != nil || e == nil {
			return err
		}
		return auditIn(ctx, tx, *e, rec.SHA256, rec.Version)
	})
	if err != nil {
		return ReturnRecord{}, fmt.Errorf("%s: %w", what, err)
	}
	if dup {
		return rec, fmt.Errorf("%s: same bytes as version %d (sha-256 %s): %w", what, rec.Version, sum, ErrDuplicate)
	}
	return rec, nil
}

// returnSelect reads a ReturnRecord; returnFrom follows it, after any extra
// columns.
const (
	returnSelect = `SELECT r.id, p.name, r.quarter, r.owner, r.version, r.file_name, r.sha256, b.size,
	r.action_count, r.submitted_by, r.submitted_at`
	returnFrom = ` FROM returns r JOIN plans p ON p.id = r.plan_id JOIN blobs b ON b.sha256 = r.sha256`
)

func scanReturnRecord(row scanner, extra ...any) (ReturnRecord, error) {
	var r ReturnRecord
	var at string
	dest := append([]any{&r.ID, &r.Plan, &r.Quarter, &r.Owner, &r.Version, &r.FileName, &r.SHA256, &r.Size,
		&r.Actions, &r.SubmittedBy, &at}, extra...)
	if err := row.Scan(dest...); err != nil {
		return ReturnRecord{}, err
	}
	t, err := parseTime(at)
	if err != nil {
		return ReturnRecord{}, err
	}
	r.SubmittedAt = t
	return r, nil
}

// Return returns a stored return version: its record, the parsed statement
// and the bytes as uploaded.
func (db *DB) Return(ctx context.Context, id int64) (ReturnRecord, *plan.Statement, []byte, error) {
	var (
		format int
		parsed []byte
		b      []byte
	)
	rec, err := scanReturnRecord(db.read.QueryRowContext(ctx,
		returnSelect+`, r.parsed_format, r.parsed, b.bytes`+returnFrom+` WHERE r.id = ?`, id), &format, &parsed, &b)
	if err == nil {
		var s *plan.Statement
		if s, err = decodeStatement(format, parsed); err == nil {
			return rec, s, b, nil
		}
	}
	if errors.Is(err, sql.ErrNoRows) {
		err = ErrNotFound
	}
	return ReturnRecord{}, nil, nil, fmt.Errorf("return %d: %w", id, err)
}

// ReturnsFor returns every version of every return for a plan's quarter,
// ordered by owner, then version; the last of each owner's is their latest.
// A plan with no returns gives none.
func (db *DB) ReturnsFor(ctx context.Context, planName, quarter string) ([]ReturnRecord, error) {
	what := fmt.Sprintf("returns for %s of plan %q", quarter, planName)
	if err := checkQuarter(quarter); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	rows, err := db.read.QueryContext(ctx, returnSelect+returnFrom+` WHERE p.name = ? AND r.quarter = ?
		ORDER BY r.owner, r.version`, strings.TrimSpace(planName), quarter)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	var recs []ReturnRecord
	for rows.Next() {
		r, err := scanReturnRecord(rows)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		recs = append(recs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return recs, nil
}
