package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrLastClerk: the change would leave the portal with no enabled clerk,
// and so nobody to open quarters or accept statements.
var ErrLastClerk = errors.New("it is the last enabled clerk account")

// Users returns every account, sorted by email.
func (db *DB) Users(ctx context.Context) ([]User, error) {
	rows, err := db.read.QueryContext(ctx, userSelect+` ORDER BY email`)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	var us []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("list users: %w", err)
		}
		us = append(us, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return us, nil
}

// RecordSignIn sets when a user last signed in. It fails with ErrNotFound
// when there is no such user.
func (db *DB) RecordSignIn(ctx context.Context, userID int64, at time.Time) error {
	what := fmt.Sprintf("record sign-in of user %d", userID)
	if at.IsZero() {
		return missing(what, "time")
	}
	res, err := db.write.ExecContext(ctx, `UPDATE users SET last_sign_in = ? WHERE id = ?`, formatTime(at), userID)
	if err != nil {
		return fmt.Errorf("%s: %w", what, db.busy(err))
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return fmt.Errorf("%s: %w", what, orErr(err, ErrNotFound))
	}
	return nil
}

// orErr returns err if it is not nil, else otherwise.
func orErr(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}

// changeUser runs fn on user userID in a transaction that also writes e to
// the audit log. It fails with ErrNotFound when there is no such user.
func (db *DB) changeUser(ctx context.Context, what string, userID int64, e Event, fn func(tx *sqlTx, u User) error) error {
	if err := checkEvent(e); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	err := db.inTx(ctx, func(tx *sqlTx) error {
		u, err := scanUser(tx.QueryRowContext(ctx, userSelect+` WHERE id = ?`, userID))
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if err := fn(tx, u); err != nil {
			return err
		}
		_, err = insertEvent(ctx, tx, e)
		return err
	})
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// keepsAClerk returns ErrLastClerk when u is an enabled clerk and no other
// account is.
func keepsAClerk(ctx context.Context, tx *sqlTx, u User) error {
	if u.Role != RoleClerk || u.Disabled {
		return nil
	}
	var others int
	err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE role = ? AND disabled = 0 AND id <> ?`, RoleClerk, u.ID).Scan(&others)
	if err != nil {
		return err
	}
	if others == 0 {
		return ErrLastClerk
	}
	return nil
}

// SetDisabled disables or enables a user's account, writing e to the audit
// log in the same transaction. Disabling signs them out everywhere (their
// sessions are deleted); it fails with ErrLastClerk for the last enabled
// clerk.
func (db *DB) SetDisabled(ctx context.Context, userID int64, disabled bool, e Event) error {
	what := fmt.Sprintf("enable user %d", userID)
	if disabled {
		what = fmt.Sprintf("disable user %d", userID)
	}
	return db.changeUser(ctx, what, userID, e, func(tx *sqlTx, u User) error {
		if disabled {
			if err := keepsAClerk(ctx, tx, u); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `UPDATE users SET disabled = ? WHERE id = ?`, boolInt(disabled), userID)
		return err
	})
}

// SetRole changes a user's role, writing e to the audit log in the same
// transaction. A clerk answers for no lead owners, so a user made clerk
// loses theirs. Demoting the last enabled clerk fails with ErrLastClerk.
func (db *DB) SetRole(ctx context.Context, userID int64, role Role, e Event) error {
	what := fmt.Sprintf("set role of user %d", userID)
	if role != RoleOfficer && role != RoleClerk {
		return fmt.Errorf("%s: role %q is neither %q nor %q: %w", what, role, RoleOfficer, RoleClerk, ErrInvalid)
	}
	return db.changeUser(ctx, what, userID, e, func(tx *sqlTx, u User) error {
		if role != RoleClerk {
			if err := keepsAClerk(ctx, tx, u); err != nil {
				return err
			}
		} else if _, err := tx.ExecContext(ctx, `DELETE FROM user_owners WHERE user_id = ?`, userID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE users SET role = ? WHERE id = ?`, role, userID)
		return err
	})
}

// ReplaceOwners replaces the lead-owner names a user answers for, as
// SetOwners does, writing e to the audit log in the same transaction.
func (db *DB) ReplaceOwners(ctx context.Context, userID int64, names []string, e Event) error {
	return db.changeUser(ctx, fmt.Sprintf("set lead owners of user %d", userID), userID, e, func(tx *sqlTx, u User) error {
		if u.Role == RoleClerk {
			return fmt.Errorf("%s is a clerk, who answers for no lead owners: %w", u.Email, ErrInvalid)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM user_owners WHERE user_id = ?`, userID); err != nil {
			return err
		}
		for _, name := range names {
			if name = strings.TrimSpace(name); name == "" {
				continue
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO user_owners (user_id, name) VALUES (?, ?) ON CONFLICT DO NOTHING`, userID, name)
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// ResetPassword replaces a user's password hash with that of a one-time
// password (to be changed at the next sign-in) and signs them out
// everywhere, writing e to the audit log in the same transaction.
func (db *DB) ResetPassword(ctx context.Context, userID int64, hash string, e Event) error {
	what := fmt.Sprintf("reset password of user %d", userID)
	if hash == "" {
		return missing(what, "password hash")
	}
	return db.changeUser(ctx, what, userID, e, func(tx *sqlTx, u User) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, must_change_password = 1, password_given_at = ? WHERE id = ?`, hash, formatTime(e.At), userID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID)
		return err
	})
}

// RemoveUser deletes a user with their lead owners, sessions and pending
// uploads, writing e to the audit log in the same transaction. The audit
// log names them by email, so it keeps what they did. Removing the last
// enabled clerk fails with ErrLastClerk.
func (db *DB) RemoveUser(ctx context.Context, userID int64, e Event) error {
	return db.changeUser(ctx, fmt.Sprintf("remove user %d", userID), userID, e, func(tx *sqlTx, u User) error {
		if err := keepsAClerk(ctx, tx, u); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM users WHERE id = ?`, userID)
		return err
	})
}
