package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// NotificationKey names one email event for one recipient: it is sent once.
type NotificationKey struct {
	Kind      string // "reminder", "chase", "receipt", "all-in"
	Plan      string
	Quarter   string
	Recipient string // an email address, compared without regard to case
	Deadline  string // YYYY-MM-DD: the deadline the event belongs to
	Ref       string // what else names the event, e.g. a receipt's return ID
}

func (k NotificationKey) String() string {
	s := fmt.Sprintf("%s for %s %s to %s (deadline %s", k.Kind, k.Plan, k.Quarter, k.Recipient, k.Deadline)
	if k.Ref != "" {
		s += ", " + k.Ref
	}
	return s + ")"
}

// Notification statuses.
const (
	NotificationSending = "sending" // claimed by a process that is sending it
	NotificationSent    = "sent"
	NotificationFailed  = "failed" // to be tried again after RetryAt
)

// Notification is the record of an email event.
type Notification struct {
	ID        int64
	Key       NotificationKey
	Subject   string
	Status    string
	ClaimedAt time.Time // the latest attempt's start
	SentAt    time.Time // zero until sent
	Attempts  int
	LastError string
	RetryAt   time.Time // for a failed one: not tried again before this
}

// ClaimNotification records, in one write transaction, that k is being
// sent now, and reports whether the caller should send it. It should not
// when k has been sent, when another process claimed it after staleBefore
// (and so may be sending it still), or when it failed and its RetryAt is
// after now. A claim older than staleBefore is taken over: its process
// ended before recording how the send went.
func (db *DB) ClaimNotification(ctx context.Context, k NotificationKey, subject string, now, staleBefore time.Time) (Notification, bool, error) {
	what := "claim notification " + k.String()
	if k.Kind == "" || strings.TrimSpace(k.Recipient) == "" {
		return Notification{}, false, missing(what, "kind or recipient")
	}
	var n Notification
	claimed := false
	err := db.inTx(ctx, func(tx *sqlTx) error {
		var err error
		n, err = notificationByKey(ctx, tx, k)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			var id int64
			err := tx.QueryRowContext(ctx, `INSERT INTO notifications
				(kind, plan, quarter, recipient, deadline, ref, subject, status, claimed_at, attempts, last_error)
				VALUES (?, ?, ?, ?, ?, ?, ?, 'sending', ?, 1, '') RETURNING id`,
				k.Kind, k.Plan, k.Quarter, k.Recipient, k.Deadline, k.Ref, subject, formatTime(now)).Scan(&id)
			n = Notification{ID: id, Key: k, Subject: subject, Status: NotificationSending, ClaimedAt: now.UTC(), Attempts: 1}
			claimed = true
			return err
		case err != nil:
			return err
		case n.Status == NotificationSent,
			n.Status == NotificationSending && n.ClaimedAt.After(staleBefore),
			n.Status == NotificationFailed && n.RetryAt.After(now):
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE notifications SET status = 'sending', claimed_at = ?, attempts = attempts + 1, subject = ?
			WHERE id = ?`, formatTime(now), subject, n.ID); err != nil {
			return err
		}
		n.Status, n.ClaimedAt, n.Attempts, n.Subject = NotificationSending, now.UTC(), n.Attempts+1, subject
		claimed = true
		return nil
	})
	if err != nil {
		return Notification{}, false, fmt.Errorf("%s: %w", what, err)
	}
	return n, claimed, nil
}

// NotificationSent records that a claimed notification was sent.
func (db *DB) NotificationSent(ctx context.Context, id int64, at time.Time) error {
	return db.finishNotification(ctx, id, `UPDATE notifications SET status = 'sent', sent_at = ?, last_error = '', retry_at = NULL
		WHERE id = ? AND status = 'sending'`, formatTime(at), id)
}

// NotificationFailed records that sending a claimed notification failed,
// and when to try again.
func (db *DB) NotificationFailed(ctx context.Context, id int64, reason string, retryAt time.Time) error {
	return db.finishNotification(ctx, id, `UPDATE notifications SET status = 'failed', last_error = ?, retry_at = ?
		WHERE id = ? AND status = 'sending'`, reason, formatTime(retryAt), id)
}

func (db *DB) finishNotification(ctx context.Context, id int64, query string, args ...any) error {
	res, err := db.write.ExecContext(ctx, query, args...)
	if err == nil {
		var n int64
		if n, err = res.RowsAffected(); err == nil && n == 0 {
			err = fmt.Errorf("not being sent: %w", ErrNotFound)
		}
	}
	if err != nil {
		return fmt.Errorf("record notification %d: %w", id, db.busy(err))
	}
	return nil
}

// NotificationByKey returns the record of k, or ErrNotFound when it has
// never been claimed.
func (db *DB) NotificationByKey(ctx context.Context, k NotificationKey) (Notification, error) {
	n, err := notificationByKey(ctx, db.read, k)
	if errors.Is(err, sql.ErrNoRows) {
		err = ErrNotFound
	}
	if err != nil {
		return Notification{}, fmt.Errorf("notification %s: %w", k, err)
	}
	return n, nil
}

// Notifications returns the latest notifications, newest claim first.
func (db *DB) Notifications(ctx context.Context, limit int) ([]Notification, error) {
	rows, err := db.read.QueryContext(ctx, notificationSelect+` ORDER BY claimed_at DESC, id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("list notifications: %w", err)
	}
	defer rows.Close()
	var ns []Notification
	for rows.Next() {
		n, err := scanNotification(rows)
		if err != nil {
			return nil, fmt.Errorf("list notifications: %w", err)
		}
		ns = append(ns, n)
	}
	return ns, rows.Err()
}

const notificationSelect = `SELECT id, kind, plan, quarter, recipient, deadline, ref, subject, status, claimed_at, sent_at, attempts, last_error, retry_at FROM notifications`

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func notificationByKey(ctx context.Context, q querier, k NotificationKey) (Notification, error) {
	return scanNotification(q.QueryRowContext(ctx, notificationSelect+` WHERE kind = ? AND plan = ? AND quarter = ? AND recipient = ? AND deadline = ? AND ref = ?`,
		k.Kind, k.Plan, k.Quarter, k.Recipient, k.Deadline, k.Ref))
}

func scanNotification(row scanner) (Notification, error) {
	var n Notification
	var claimed string
	var sent, retry sql.NullString
	err := row.Scan(&n.ID, &n.Key.Kind, &n.Key.Plan, &n.Key.Quarter, &n.Key.Recipient, &n.Key.Deadline, &n.Key.Ref,
		&n.Subject, &n.Status, &claimed, &sent, &n.Attempts, &n.LastError, &retry)
	if err != nil {
		return n, err
	}
	if n.ClaimedAt, err = parseTime(claimed); err != nil {
		return n, err
	}
	if n.SentAt, err = nullTime(sent); err != nil {
		return n, err
	}
	n.RetryAt, err = nullTime(retry)
	return n, err
}
