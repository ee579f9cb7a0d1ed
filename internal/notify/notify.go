// Package notify decides which emails are due and sends each once: a
// reminder some days before a quarter's deadline to every officer whose
// lead owners have not returned, a chase the day after it, a receipt for
// each return submitted, and a note to the clerks when every return is in.
// Invitations and password resets are sent as they happen (Mailer).
//
// What is due is worked out from the quarters as they stand (portal's
// Standings, the chase list's rules) and the time now: the scheduler's
// clock, the one clock the product reads. Each message is claimed in the
// history before it is sent (store.ClaimNotification, keyed by kind,
// quarter, recipient and deadline), so two schedulers never both send it;
// one that fails is recorded and tried again later.
package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"papers/internal/mail"
	"papers/internal/portal"
	"papers/internal/store"
)

// Kinds of notification, as the history records them.
const (
	KindReminder = "reminder"
	KindChase    = "chase"
	KindReceipt  = "receipt"
	KindAllIn    = "all-in"
)

// Defaults for the zero fields of Settings.
const (
	DefaultReminderDays = 5
	// Window bounds how late an event is still worth an email: a chase
	// up to a week after the deadline, a receipt or the clerk's note up to a
	// week after the return. Without it, switching email on (or a portal
	// down for a month) would mail out every old quarter's events.
	DefaultWindow = 7 * 24 * time.Hour
	// Claims older than this are taken to belong to a process that ended
	// mid-send; well beyond any send's time limit.
	staleClaim = 15 * time.Minute
)

// Settings shape the messages and when they are due.
type Settings struct {
	Council   string // signs the messages
	PortalURL string // the portal's address, for links ("https://papers.council.gov.uk")
	// ReminderDays is how many days before the deadline the reminder goes;
	// 0 means DefaultReminderDays, a negative number no reminders.
	ReminderDays int
	Window       time.Duration  // 0: DefaultWindow
	Location     *time.Location // the council's days; nil: Europe/London
}

func (s Settings) location() *time.Location {
	if s.Location != nil {
		return s.Location
	}
	if l, err := time.LoadLocation("Europe/London"); err == nil {
		return l
	}
	return time.UTC
}

func (s Settings) window() time.Duration {
	if s.Window > 0 {
		return s.Window
	}
	return DefaultWindow
}

// Note is an email that is due: what the history keys it by and the message.
type Note struct {
	Key     store.NotificationKey
	Message mail.Message // without its Date, which is set when it is sent
}

// Due works out the notes due at now for the quarters as they stand, in a
// fixed order (quarter, kind, recipient). Warnings name lead owners who
// should be reminded or chased but have no account to write to.
func Due(sts []portal.Standing, now time.Time, s Settings) (notes []Note, warnings []string) {
	today := plainDay(now.In(s.location()))
	for _, st := range sts {
		q := st.Quarter
		deadline := q.Deadline.Format("2006-01-02")
		key := func(kind string, to portal.Contact, ref string) store.NotificationKey {
			return store.NotificationKey{Kind: kind, Plan: q.Plan, Quarter: q.Label, Recipient: strings.ToLower(to.Email), Deadline: deadline, Ref: ref}
		}
		var outstanding []portal.OwnerStanding
		for _, o := range st.Owners {
			if o.Return == nil {
				outstanding = append(outstanding, o)
			}
		}
		days := s.ReminderDays
		if days == 0 {
			days = DefaultReminderDays
		}
		if !q.Accepted {
			var kind string
			var build func(Settings, portal.Quarter, portal.Contact, []portal.OwnerStanding) mail.Message
			switch {
			case days > 0 && !today.Before(q.Deadline.AddDate(0, 0, -days)) && !today.After(q.Deadline):
				kind, build = KindReminder, reminder
			case today.After(q.Deadline) && !today.After(q.Deadline.Add(s.window())):
				kind, build = KindChase, chase
			}
			if kind != "" {
				for _, g := range byContact(outstanding) {
					notes = append(notes, Note{Key: key(kind, g.to, ""), Message: build(s, q, g.to, g.owners)})
				}
				for _, o := range outstanding {
					if len(o.Contacts) == 0 {
						warnings = append(warnings, fmt.Sprintf("%s %s: no %s for %s: no enabled account answers for them", q.Plan, q.Label, kind, o.Owner))
					}
				}
			}
		}
		for _, r := range st.Returns {
			if now.Sub(r.SubmittedAt) > s.window() || r.SubmittedAt.After(now) || !strings.Contains(r.SubmittedBy, "@") {
				continue
			}
			to, clerk := contactFor(st, r.SubmittedBy)
			notes = append(notes, Note{Key: key(KindReceipt, to, fmt.Sprintf("return %d", r.ID)), Message: receipt(s, q, to, r, clerk)})
		}
		if !q.Accepted && len(st.Owners) > 0 && len(outstanding) == 0 {
			var last time.Time
			for _, o := range st.Owners {
				if o.Return.SubmittedAt.After(last) {
					last = o.Return.SubmittedAt
				}
			}
			if now.Sub(last) <= s.window() {
				for _, c := range st.Clerks {
					notes = append(notes, Note{Key: key(KindAllIn, c, ""), Message: allIn(s, q, c, st.Owners)})
				}
			}
		}
	}
	return notes, warnings
}

// contactGroup is one recipient and the lead owners they are written to about.
type contactGroup struct {
	to     portal.Contact
	owners []portal.OwnerStanding
}

// byContact groups owners by the accounts that answer for them, so an
// officer who answers for two owners gets one message naming both; by email.
func byContact(owners []portal.OwnerStanding) []contactGroup {
	var gs []contactGroup
	index := map[string]int{}
	for _, o := range owners {
		for _, c := range o.Contacts {
			k := strings.ToLower(c.Email)
			i, ok := index[k]
			if !ok {
				i = len(gs)
				index[k] = i
				gs = append(gs, contactGroup{to: c})
			}
			gs[i].owners = append(gs[i].owners, o)
		}
	}
	slices.SortFunc(gs, func(a, b contactGroup) int {
		return strings.Compare(strings.ToLower(a.to.Email), strings.ToLower(b.to.Email))
	})
	return gs
}

// contactFor names the account with this email, if the quarter knows it,
// and says whether it is a clerk's.
func contactFor(st portal.Standing, email string) (c portal.Contact, clerk bool) {
	for _, c := range st.Clerks {
		if strings.EqualFold(c.Email, email) {
			return c, true
		}
	}
	for _, o := range st.Owners {
		for _, c := range o.Contacts {
			if strings.EqualFold(c.Email, email) {
				return c, false
			}
		}
	}
	return portal.Contact{Email: email}, false
}

// History is where notifications are claimed and recorded: the store.
type History interface {
	ClaimNotification(ctx context.Context, k store.NotificationKey, subject string, now, staleBefore time.Time) (store.Notification, bool, error)
	NotificationSent(ctx context.Context, id int64, at time.Time) error
	NotificationFailed(ctx context.Context, id int64, reason string, retryAt time.Time) error
	NotificationByKey(ctx context.Context, k store.NotificationKey) (store.Notification, error)
}

// Sender sends one message: a *mail.Sender.
type Sender interface {
	Send(ctx context.Context, m mail.Message) error
}

// Notifier sends what is due.
type Notifier struct {
	History   History
	Sender    Sender
	Standings func(ctx context.Context) ([]portal.Standing, error)
	Settings  Settings
	Now       func() time.Time
	Log       *slog.Logger

	wakeOnce sync.Once
	wake     chan struct{}
}

func (n *Notifier) wakeup() chan struct{} {
	n.wakeOnce.Do(func() { n.wake = make(chan struct{}, 1) })
	return n.wake
}

// Wake asks Loop for a pass now, as when a return has just been submitted
// and its receipt is due. It never blocks: wakes while a pass is due
// already make one pass.
func (n *Notifier) Wake() {
	select {
	case n.wakeup() <- struct{}{}:
	default:
	}
}

// Pending is what would be sent now: the notes due that have not been sent.
// It reads the history and changes nothing.
func (n *Notifier) Pending(ctx context.Context) ([]Note, []string, error) {
	sts, err := n.Standings(ctx)
	if err != nil {
		return nil, nil, err
	}
	due, warnings := Due(sts, n.Now(), n.Settings)
	var out []Note
	for _, d := range due {
		rec, err := n.History.NotificationByKey(ctx, d.Key)
		switch {
		case errors.Is(err, store.ErrNotFound):
		case err != nil:
			return nil, nil, err
		case rec.Status == store.NotificationSent:
			continue
		}
		out = append(out, d)
	}
	return out, warnings, nil
}

// Result says what Run did.
type Result struct {
	Sent   []Note
	Failed []Failure
	// Warnings name owners with no account to write to.
	Warnings []string
}

// Failure is a note that could not be sent; it will be tried again.
type Failure struct {
	Note    Note
	Err     error
	RetryAt time.Time
}

// Run sends every note due now that nobody has sent or is sending, each
// claimed in the history first. A failed send is recorded with a time to
// try again and logged; Run carries on with the rest.
func (n *Notifier) Run(ctx context.Context) (Result, error) {
	log := n.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	sts, err := n.Standings(ctx)
	if err != nil {
		return Result{}, err
	}
	now := n.Now()
	due, warnings := Due(sts, now, n.Settings)
	res := Result{Warnings: warnings}
	for _, w := range warnings {
		log.Warn("email not sent", "reason", w)
	}
	for _, d := range due {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		rec, claimed, err := n.History.ClaimNotification(ctx, d.Key, d.Message.Subject, now, now.Add(-staleClaim))
		if err != nil {
			return res, err
		}
		if !claimed {
			continue
		}
		m := d.Message
		m.Date = now
		m.ID = fmt.Sprintf("%s/%s/%s/%s/%s/%s", d.Key.Kind, d.Key.Plan, d.Key.Quarter, d.Key.Recipient, d.Key.Deadline, d.Key.Ref)
		// The outcome is recorded even when ctx ends mid-send (SIGTERM): the
		// claim must not be left to go stale.
		if serr := n.Sender.Send(ctx, m); serr != nil {
			retry := now.Add(retryDelay(rec.Attempts))
			if err := n.History.NotificationFailed(context.WithoutCancel(ctx), rec.ID, serr.Error(), retry); err != nil {
				return res, err
			}
			log.Error("email failed; it will be tried again", "kind", d.Key.Kind, "to", d.Key.Recipient, "quarter", d.Key.Quarter,
				"attempt", rec.Attempts, "retry_at", retry.Format(time.RFC3339), "err", serr)
			res.Failed = append(res.Failed, Failure{Note: d, Err: serr, RetryAt: retry})
			continue
		}
		if err := n.History.NotificationSent(context.WithoutCancel(ctx), rec.ID, n.Now()); err != nil {
			return res, err
		}
		log.Info("email sent", "kind", d.Key.Kind, "to", d.Key.Recipient, "quarter", d.Key.Quarter, "subject", d.Message.Subject)
		res.Sent = append(res.Sent, d)
	}
	return res, nil
}

// retryDelay is how long to wait after a failed attempt: longer after each,
// up to an hour, so a server that is down is not hammered.
func retryDelay(attempts int) time.Duration {
	return min(time.Duration(attempts)*5*time.Minute, time.Hour)
}

// DefaultEvery is how often the scheduler in "papers serve" looks for
// email to send.
const DefaultEvery = 5 * time.Minute

// Loop runs n every interval, and when woken (Wake), until ctx ends,
// starting at once. after is the clock's timer (time.After; a fake in
// tests). Errors are logged and the next pass tries again.
func (n *Notifier) Loop(ctx context.Context, every time.Duration, after func(time.Duration) <-chan time.Time) {
	log := n.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	for {
		if _, err := n.Run(ctx); err != nil && ctx.Err() == nil {
			log.Error("email: looking for what is due failed; trying again later", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-after(every):
		case <-n.wakeup():
		}
	}
}

// Mailer sends one-time passwords as the clerk makes them: the portal's
// Mailer, for new accounts and password resets.
type Mailer struct {
	Sender   Sender
	Settings Settings
	Now      func() time.Time
}

var _ portal.Mailer = (*Mailer)(nil)

// SendInvitation emails inv's one-time password and how to sign in.
func (m *Mailer) SendInvitation(ctx context.Context, inv portal.Invitation) error {
	msg := InvitationMessage(m.Settings, inv)
	msg.Date = m.Now()
	return m.Sender.Send(ctx, msg)
}
