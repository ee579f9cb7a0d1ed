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

// PendingUpload is a return an officer has uploaded and checked but not yet
// submitted. It is kept until it is submitted (AddReturn with its IDHash as
// ReturnInput.PendingIDHash) or expires.
type PendingUpload struct {
	// IDHash is a hash of the ID the officer's page holds; the store never
	// sees the ID.
	IDHash    string
	UserID    int64 // who uploaded it: only they may submit it
	PlanID    int64
	Plan      string // the plan's name, when read
	Quarter   string // "2021-Q1"
	Owner     string // the lead owner it is for
	FileName  string
	Bytes     []byte
	Statement *plan.Statement // as checked when uploaded: what is stored on submit
	CreatedAt time.Time
	ExpiresAt time.Time
}

// AddPendingUpload keeps p. It deletes every pending upload that has expired
// by p.CreatedAt and, when p's user already has perUser or more, their
// oldest ones, so that they have at most perUser with p. It fails with
// ErrDuplicate when the ID hash is in use, ErrNotFound when the user or
// plan does not exist and ErrInvalid when a field is missing.
func (db *DB) AddPendingUpload(ctx context.Context, p PendingUpload, perUser int) error {
	what := fmt.Sprintf("keep upload %s for %s of user %d", p.FileName, p.Quarter, p.UserID)
	switch {
	case p.IDHash == "":
		return missing(what, "ID hash")
	case strings.TrimSpace(p.Owner) == "":
		return missing(what, "lead owner")
	case strings.TrimSpace(p.FileName) == "":
		return missing(what, "file name")
	case len(p.Bytes) == 0:
		return missing(what, "bytes")
	case p.Statement == nil:
		return missing(what, "parsed statement")
	case p.CreatedAt.IsZero():
		return missing(what, "creation time")
	case !p.ExpiresAt.After(p.CreatedAt):
		return fmt.Errorf("%s: expiry %s is not after creation %s: %w", what, formatTime(p.ExpiresAt), formatTime(p.CreatedAt), ErrInvalid)
	case perUser < 1:
		return fmt.Errorf("%s: at most %d per user: %w", what, perUser, ErrInvalid)
	}
	if err := checkQuarter(p.Quarter); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	parsed, err := json.Marshal(p.Statement)
	if err != nil {
		return fmt.Errorf("%s: encode statement: %w", what, err)
	}
	err = db.inTx(ctx, func(tx *sqlTx) error {
		var users, plans, taken int
		err := tx.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM users WHERE id = ?), (SELECT COUNT(*) FROM plans WHERE id = ?),
			(SELECT COUNT(*) FROM pending_uploads WHERE id_hash = ?)`, p.UserID, p.PlanID, p.IDHash).Scan(&users, &plans, &taken)
		switch {
		case err != nil:
			return err
		case users == 0:
			return fmt.Errorf("user %d: %w", p.UserID, ErrNotFound)
		case plans == 0:
			return fmt.Errorf("plan %d: %w", p.PlanID, ErrNotFound)
		case taken > 0:
			return ErrDuplicate
		}
		now := formatTime(p.CreatedAt)
		if _, err := tx.ExecContext(ctx, `DELETE FROM pending_uploads WHERE expires_at <= ?`, now); err != nil {
			return err
		}
		// The newest perUser-1 stay, the newest stored last when two were
		// made at one time: SQLite's rowid and PostgreSQL's seq (0005) count
		// insertions.
		query := `DELETE FROM pending_uploads WHERE id_hash IN (
			SELECT id_hash FROM pending_uploads WHERE user_id = ? ORDER BY created_at DESC, rowid DESC LIMIT -1 OFFSET ?)`
		if db.dialect == postgresDialect {
			query = `DELETE FROM pending_uploads WHERE id_hash IN (
			SELECT id_hash FROM pending_uploads WHERE user_id = ? ORDER BY created_at DESC, seq DESC OFFSET ?)`
		}
		_, err = tx.ExecContext(ctx, query, p.UserID, perUser-1)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO pending_uploads
			(id_hash, user_id, plan_id, quarter, owner, file_name, sha256, bytes, parsed_format, parsed, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			p.IDHash, p.UserID, p.PlanID, p.Quarter, strings.TrimSpace(p.Owner), p.FileName, Digest(p.Bytes), p.Bytes,
			parsedFormat, string(parsed), now, formatTime(p.ExpiresAt))
		return err
	})
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// PendingUploadByIDHash returns the pending upload with the given ID hash
// if it has not expired by now; otherwise ErrNotFound.
func (db *DB) PendingUploadByIDHash(ctx context.Context, idHash string, now time.Time) (PendingUpload, error) {
	var (
		p                PendingUpload
		format           int
		parsed           []byte
		created, expires string
	)
	err := db.read.QueryRowContext(ctx, `SELECT u.id_hash, u.user_id, u.plan_id, p.name, u.quarter, u.owner, u.file_name,
		u.bytes, u.parsed_format, u.parsed, u.created_at, u.expires_at
		FROM pending_uploads u JOIN plans p ON p.id = u.plan_id WHERE u.id_hash = ? AND u.expires_at > ?`,
		idHash, formatTime(now)).Scan(&p.IDHash, &p.UserID, &p.PlanID, &p.Plan, &p.Quarter, &p.Owner, &p.FileName,
		&p.Bytes, &format, &parsed, &created, &expires)
	if err == nil {
		if p.Statement, err = decodeStatement(format, parsed); err == nil {
			if p.CreatedAt, err = parseTime(created); err == nil {
				p.ExpiresAt, err = parseTime(expires)
			}
		}
	}
	if errors.Is(err, sql.ErrNoRows) {
		err = ErrNotFound
	}
	if err != nil {
		return PendingUpload{}, fmt.Errorf("pending upload: %w", err)
	}
	return p, nil
}

// takePending deletes the pending upload with the given ID hash in tx, for
// the return made from it: ErrNotFound if it is no longer there (submitted
// already, or expired and deleted).
func takePending(ctx context.Context, tx *sqlTx, idHash string) error {
	res, err := tx.ExecContext(ctx, `DELETE FROM pending_uploads WHERE id_hash = ?`, idHash)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return errors.Join(err, fmt.Errorf("the upload has been submitted already or has expired: %w", ErrNotFound))
	}
	return nil
}
