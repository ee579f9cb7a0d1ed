package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Role is what a user may do in the portal.
type Role string

// Roles.
const (
	RoleOfficer Role = "officer" // uploads returns for the lead owners they answer for
	RoleClerk   Role = "clerk"   // accepts statements, runs reports, manages users
)

// User is a portal account.
type User struct {
	ID           int64
	Name         string
	Email        string // unique, compared without regard to case
	Role         Role
	PasswordHash string // hashed by the caller; the store never sees a password
	CreatedAt    time.Time
	// MustChangePassword: the password was given to the user (a one-time
	// password) and they must choose their own before doing anything else.
	MustChangePassword bool
	Disabled           bool      // cannot sign in; see SetDisabled
	LastSignIn         time.Time // zero when they have never signed in
	// PasswordGivenAt is when the one-time password was given: the account
	// made, or its password reset. Zero when not known (then CreatedAt).
	PasswordGivenAt time.Time
}

// OneTimePasswordSince is when the user's one-time password was given:
// PasswordGivenAt, or for an account from before that was recorded, its
// creation. Meaningless unless MustChangePassword.
func (u User) OneTimePasswordSince() time.Time {
	if u.PasswordGivenAt.IsZero() {
		return u.CreatedAt
	}
	return u.PasswordGivenAt
}

// AddUser stores a new user and returns it with its ID. It fails with
// ErrDuplicate when the email is taken.
func (db *DB) AddUser(ctx context.Context, u User) (User, error) {
	return db.addUser(ctx, u, nil, nil)
}

// AddUserAudited stores a new user with the lead-owner names they answer
// for (as SetOwners) and the audit line event returns for the stored user,
// all in one transaction: there is never an account without its owners or
// its audit line. It fails with ErrDuplicate when the email is taken.
func (db *DB) AddUserAudited(ctx context.Context, u User, owners []string, event func(User) Event) (User, error) {
	if event == nil {
		return User{}, missing("add user "+u.Email, "audit event")
	}
	return db.addUser(ctx, u, owners, event)
}

func (db *DB) addUser(ctx context.Context, u User, owners []string, event func(User) Event) (User, error) {
	u.Name = strings.TrimSpace(u.Name)
	u.Email = strings.TrimSpace(u.Email)
	what := fmt.Sprintf("add user %s", u.Email)
	switch {
	case u.Email == "":
		return User{}, missing("add user", "email")
	case u.Name == "":
		return User{}, missing(what, "name")
	case u.Role != RoleOfficer && u.Role != RoleClerk:
		return User{}, fmt.Errorf("%s: role %q is neither %q nor %q: %w", what, u.Role, RoleOfficer, RoleClerk, ErrInvalid)
	case u.PasswordHash == "":
		return User{}, missing(what, "password hash")
	case u.CreatedAt.IsZero():
		return User{}, missing(what, "creation time")
	}
	u.CreatedAt = u.CreatedAt.UTC()
	err := db.inTx(ctx, func(tx *sqlTx) error {
		var err error
		if u.ID, err = insertUser(ctx, tx, u); err != nil {
			return err
		}
		for _, name := range owners {
			if name = strings.TrimSpace(name); name == "" {
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO user_owners (user_id, name) VALUES (?, ?) ON CONFLICT DO NOTHING`, u.ID, name); err != nil {
				return err
			}
		}
		if event == nil {
			return nil
		}
		e := event(u)
		if err := checkEvent(e); err != nil {
			return err
		}
		_, err = insertEvent(ctx, tx, e)
		return err
	})
	if err != nil {
		return User{}, fmt.Errorf("%s: %w", what, err)
	}
	return u, nil
}

// insertUser inserts u, or fails with ErrDuplicate when its email is taken,
// and returns its ID.
func insertUser(ctx context.Context, tx *sqlTx, u User) (int64, error) {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE email = ?`, u.Email).Scan(&n); err != nil {
		return 0, err
	}
	if n > 0 {
		return 0, ErrDuplicate
	}
	var id int64
	var given any
	if u.MustChangePassword {
		given = formatTime(u.CreatedAt)
	}
	err := tx.QueryRowContext(ctx, `INSERT INTO users (name, email, role, password_hash, created_at, must_change_password, password_given_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, u.Name, u.Email, u.Role, u.PasswordHash, formatTime(u.CreatedAt), boolInt(u.MustChangePassword), given).Scan(&id)
	return id, err
}

const userSelect = `SELECT id, name, email, role, password_hash, created_at, must_change_password, disabled, last_sign_in, password_given_at FROM users`

// scanUser reads a row of userSelect.
func scanUser(row interface{ Scan(...any) error }) (User, error) {
	var u User
	var at string
	var last, given sql.NullString
	err := row.Scan(&u.ID, &u.Name, &u.Email, &u.Role, &u.PasswordHash, &at, &u.MustChangePassword, &u.Disabled, &last, &given)
	if err == nil {
		u.CreatedAt, err = parseTime(at)
	}
	if err == nil && last.Valid {
		u.LastSignIn, err = parseTime(last.String)
	}
	if err == nil && given.Valid {
		u.PasswordGivenAt, err = parseTime(given.String)
	}
	return u, err
}

func (db *DB) user(ctx context.Context, what, where string, arg any) (User, error) {
	u, err := scanUser(db.read.QueryRowContext(ctx, userSelect+` WHERE `+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		err = ErrNotFound
	}
	if err != nil {
		return User{}, fmt.Errorf("%s: %w", what, err)
	}
	return u, nil
}

// UserByID returns the user with the given ID, or ErrNotFound.
func (db *DB) UserByID(ctx context.Context, id int64) (User, error) {
	return db.user(ctx, fmt.Sprintf("user %d", id), `id = ?`, id)
}

// UserByEmail returns the user with the given email (compared without regard
// to case), or ErrNotFound.
func (db *DB) UserByEmail(ctx context.Context, email string) (User, error) {
	email = strings.TrimSpace(email)
	return db.user(ctx, fmt.Sprintf("user %s", email), `email = ?`, email)
}

// SetPasswordHash replaces a user's password hash and sets whether they
// must change the password before using the portal (true for a one-time
// password given to them, false for one they chose). It fails with
// ErrNotFound when there is no such user.
func (db *DB) SetPasswordHash(ctx context.Context, userID int64, hash string, mustChange bool) error {
	what := fmt.Sprintf("set password of user %d", userID)
	if hash == "" {
		return missing(what, "password hash")
	}
	res, err := db.write.ExecContext(ctx, `UPDATE users SET password_hash = ?, must_change_password = ? WHERE id = ?`,
		hash, boolInt(mustChange), userID)
	if err != nil {
		return fmt.Errorf("%s: %w", what, db.busy(err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if n == 0 {
		return fmt.Errorf("%s: %w", what, ErrNotFound)
	}
	return nil
}

// SetOwners replaces the lead-owner names a user answers for. Blank names
// are dropped, and names are compared without regard to case.
func (db *DB) SetOwners(ctx context.Context, userID int64, names []string) error {
	err := db.inTx(ctx, func(tx *sqlTx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE id = ?`, userID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return ErrNotFound
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM user_owners WHERE user_id = ?`, userID); err != nil {
			return err
		}
		for _, name := range names {
			if name = strings.TrimSpace(name); name == "" {
				continue
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO user_owners (user_id, name) VALUES (?, ?)
				ON CONFLICT DO NOTHING`, userID, name)
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("set lead owners of user %d: %w", userID, err)
	}
	return nil
}

// OwnersOf returns the lead-owner names a user answers for, sorted.
func (db *DB) OwnersOf(ctx context.Context, userID int64) ([]string, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT name FROM user_owners WHERE user_id = ?`, userID)
	if err != nil {
		return nil, fmt.Errorf("lead owners of user %d: %w", userID, err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, fmt.Errorf("lead owners of user %d: %w", userID, err)
		}
		names = append(names, name)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("lead owners of user %d: %w", userID, err)
	}
	slices.Sort(names)
	return names, nil
}

// Session is a signed-in user's portal session.
type Session struct {
	TokenHash  string // a hash of the token the browser holds; the store never sees the token
	UserID     int64
	CreatedAt  time.Time
	ExpiresAt  time.Time
	CSRFSecret string
}

// CreateSession stores a new session. It fails with ErrDuplicate when the
// token hash is already in use.
func (db *DB) CreateSession(ctx context.Context, s Session) error {
	switch {
	case s.TokenHash == "":
		return missing("create session", "token hash")
	case s.CSRFSecret == "":
		return missing("create session", "CSRF secret")
	case s.CreatedAt.IsZero():
		return missing("create session", "creation time")
	case !s.ExpiresAt.After(s.CreatedAt):
		return fmt.Errorf("create session: expiry %s is not after creation %s: %w",
			formatTime(s.ExpiresAt), formatTime(s.CreatedAt), ErrInvalid)
	}
	err := db.inTx(ctx, func(tx *sqlTx) error {
		var users, sessions int
		err := tx.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM users WHERE id = ?),
			(SELECT COUNT(*) FROM sessions WHERE token_hash = ?)`, s.UserID, s.TokenHash).Scan(&users, &sessions)
		switch {
		case err != nil:
			return err
		case users == 0:
			return fmt.Errorf("user %d: %w", s.UserID, ErrNotFound)
		case sessions > 0:
			return ErrDuplicate
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, expires_at, csrf_secret)
			VALUES (?, ?, ?, ?, ?)`, s.TokenHash, s.UserID, formatTime(s.CreatedAt), formatTime(s.ExpiresAt), s.CSRFSecret)
		return err
	})
	if err != nil {
		return fmt.Errorf("create session for user %d: %w", s.UserID, err)
	}
	return nil
}

// SessionByTokenHash returns the session with the given token hash if it
// has not expired by now; otherwise ErrNotFound.
func (db *DB) SessionByTokenHash(ctx context.Context, tokenHash string, now time.Time) (Session, error) {
	var s Session
	var created, expires string
	err := db.read.QueryRowContext(ctx, `SELECT token_hash, user_id, created_at, expires_at, csrf_secret
		FROM sessions WHERE token_hash = ? AND expires_at > ?`, tokenHash, formatTime(now)).
		Scan(&s.TokenHash, &s.UserID, &created, &expires, &s.CSRFSecret)
	if err == nil {
		if s.CreatedAt, err = parseTime(created); err == nil {
			s.ExpiresAt, err = parseTime(expires)
		}
	}
	if errors.Is(err, sql.ErrNoRows) {
		err = ErrNotFound
	}
	if err != nil {
		return Session{}, fmt.Errorf("session: %w", err)
	}
	return s, nil
}

// DeleteSession removes a session (signing out). Removing one that does not
// exist is not an error.
func (db *DB) DeleteSession(ctx context.Context, tokenHash string) error {
	if _, err := db.write.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ?`, tokenHash); err != nil {
		return fmt.Errorf("delete session: %w", db.busy(err))
	}
	return nil
}

// DeleteSessionsOf removes every session of a user (signing them out
// everywhere, as when their password changes).
func (db *DB) DeleteSessionsOf(ctx context.Context, userID int64) error {
	if _, err := db.write.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("delete sessions of user %d: %w", userID, db.busy(err))
	}
	return nil
}

// DeleteExpiredSessions removes the sessions that have expired by now and
// returns how many there were.
func (db *DB) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	res, err := db.write.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= ?`, formatTime(now))
	if err == nil {
		var n int64
		if n, err = res.RowsAffected(); err == nil {
			return n, nil
		}
	}
	return 0, fmt.Errorf("delete expired sessions: %w", db.busy(err))
}
