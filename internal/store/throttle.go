package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// SignInFailure is a failed sign-in: the account tried (the email address
// as typed, which may belong to no one) and the address it came from.
type SignInFailure struct {
	At      time.Time
	Account string
	Address string
}

// AddSignInFailure records a failed sign-in, and deletes every failure
// older than forgetBefore, so the table holds only what throttling can
// still use.
func (db *DB) AddSignInFailure(ctx context.Context, f SignInFailure, forgetBefore time.Time) error {
	switch {
	case f.At.IsZero():
		return missing("sign-in failure", "time")
	case f.Account == "" && f.Address == "":
		return missing("sign-in failure", "account or address")
	}
	_, err := db.write.ExecContext(ctx, `INSERT INTO signin_failures (at, account, address) VALUES (?, ?, ?)`,
		formatTime(f.At), f.Account, f.Address)
	if err == nil {
		_, err = db.write.ExecContext(ctx, `DELETE FROM signin_failures WHERE at < ?`, formatTime(forgetBefore))
	}
	if err != nil {
		return fmt.Errorf("record a failed sign-in: %w", db.busy(err))
	}
	return nil
}

// SignInFailures returns the times of the latest failed sign-ins after
// since, newest first, at most limit of them: those for account from
// address, or for any account when account is "", or from any address when
// address is "".
func (db *DB) SignInFailures(ctx context.Context, account, address string, since time.Time, limit int) ([]time.Time, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT at FROM signin_failures
		WHERE (? = '' OR account = ?) AND (? = '' OR address = ?) AND at > ?
		ORDER BY at DESC LIMIT ?`, account, account, address, address, formatTime(since), limit)
	if err != nil {
		return nil, fmt.Errorf("read failed sign-ins: %w", err)
	}
	defer rows.Close()
	var ts []time.Time
	for rows.Next() {
		var at string
		if err := rows.Scan(&at); err != nil {
			return nil, fmt.Errorf("read failed sign-ins: %w", err)
		}
		t, err := parseTime(at)
		if err != nil {
			return nil, fmt.Errorf("read failed sign-ins: %w", err)
		}
		ts = append(ts, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read failed sign-ins: %w", err)
	}
	return ts, nil
}

// ClearSignInFailures forgets the failures for account from address, after
// a correct password from there.
func (db *DB) ClearSignInFailures(ctx context.Context, account, address string) error {
	_, err := db.write.ExecContext(ctx, `DELETE FROM signin_failures WHERE account = ? AND address = ?`, account, address)
	if err != nil {
		return fmt.Errorf("forget failed sign-ins: %w", db.busy(err))
	}
	return nil
}

// UnlockAccount forgets every failed sign-in for account (an email address,
// compared without regard to case), from every address, writing e to the
// audit log in the same transaction. It returns how many it forgot.
func (db *DB) UnlockAccount(ctx context.Context, account string, e Event) (int64, error) {
	account = strings.TrimSpace(account)
	what := fmt.Sprintf("forget failed sign-ins of %s", account)
	if account == "" {
		return 0, missing("forget failed sign-ins", "account")
	}
	if err := checkEvent(e); err != nil {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	var n int64
	err := db.inTx(ctx, func(tx *sqlTx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM signin_failures WHERE lower(account) = lower(?)`, account)
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		_, err = insertEvent(ctx, tx, e)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	return n, nil
}
