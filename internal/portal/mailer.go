package portal

import (
	"context"
	"sync"
	"time"
)

// Mailer sends a person what the clerk would otherwise pass on by hand: a
// new account's or a reset one-time password, with the portal's address.
// Config.Mailer is nil when no mail is configured; the Accounts page then
// shows the password once, for the clerk to pass on. SendInvitation's
// error is logged and the password then shown instead: the error must not
// quote the password.
type Mailer interface {
	SendInvitation(ctx context.Context, inv Invitation) error
}

// Invitation is an email to send: to Name at Email, saying how to sign in
// at URL with the one-time Password. Reset says the account was there
// already and its password has been reset; otherwise it is new.
type Invitation struct {
	Email    string
	Name     string
	URL      string // the portal's sign-in page
	Password string // "" when people sign in with the identity provider
	Reset    bool
	// Provider names the identity provider's button ("Sign in with
	// Microsoft") when passwords are switched off.
	Provider string
}

// mailWait bounds how long the clerk's page waits for the mailer: past it,
// the password is shown on the page instead.
const mailWait = 30 * time.Second

// shownOnce holds one-time passwords between the clerk's POST that made one
// and the page it redirects to, which shows it and forgets it: in memory
// only, never stored or logged, each for the session that made it and for
// a few minutes at most. A password not seen by then (the page was never
// opened, or the portal restarted) is gone: the clerk resets it again.
type shownOnce struct {
	mu      sync.Mutex
	entries map[string]oneTime
}

// oneTime is a one-time password waiting to be shown.
type oneTime struct {
	Session  string // the token hash of the clerk's session
	UserID   int64
	Password string
	Expires  time.Time
}

const (
	shownOnceTTL = 10 * time.Minute
	shownOnceMax = 256 // passwords waiting at once, for all clerks together
)

// put keeps a password for session's next page about the user, and
// returns the key its redirect carries.
func (o *shownOnce) put(session string, userID int64, password string, now time.Time) string {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.entries == nil {
		o.entries = map[string]oneTime{}
	}
	for k, e := range o.entries {
		if !now.Before(e.Expires) {
			delete(o.entries, k)
		}
	}
	// Full: the oldest goes. Its clerk will be told to reset it again.
	for len(o.entries) >= shownOnceMax {
		var oldest string
		for k, e := range o.entries {
			if oldest == "" || e.Expires.Before(o.entries[oldest].Expires) {
				oldest = k
			}
		}
		delete(o.entries, oldest)
	}
	key := randomToken()
	o.entries[key] = oneTime{Session: session, UserID: userID, Password: password, Expires: now.Add(shownOnceTTL)}
	return key
}

// take returns the password kept under key for session and the user, and
// forgets it; "" when there is none (any more).
func (o *shownOnce) take(key, session string, userID int64, now time.Time) string {
	o.mu.Lock()
	defer o.mu.Unlock()
	e, ok := o.entries[key]
	if !ok || e.Session != session || e.UserID != userID {
		return ""
	}
	delete(o.entries, key)
	if !now.Before(e.Expires) {
		return ""
	}
	return e.Password
}

// providerLabel is the identity provider's button, "" without one.
func (s *Server) providerLabel() string {
	if s.idp == nil {
		return ""
	}
	return s.idp.cfg.Label
}
