package portal

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"papers/internal/plan"
	"papers/internal/store"
)

const (
	sessionCookie = "papers_session"
	// signInCookie is set before sign-in and binds the sign-in form's CSRF
	// token to this browser. It is never a session: signing in always
	// issues a new session token.
	signInCookie = "papers_signin"
	csrfField    = "csrf_token"
	formLimit    = 64 << 10 // bytes of a form without a file
)

// visitor is a signed-in user.
type visitor struct {
	User    store.User
	Owners  []string // the lead owners an officer answers for
	Session store.Session
}

// answersFor reports whether the visitor answers for the lead owner called name.
func (v *visitor) answersFor(name string) bool {
	for _, o := range v.Owners {
		if plan.SameOwner(o, name) {
			return true
		}
	}
	return false
}

// handler is a page for a signed-in visitor.
type handler func(w http.ResponseWriter, r *http.Request, v *visitor)

// signedIn lets any signed-in user through.
func (s *Server) signedIn(h handler) http.Handler { return s.guard("", h) }

// officer lets officers through; clerks get 403.
func (s *Server) officer(h handler) http.Handler { return s.guard(store.RoleOfficer, h) }

// clerk lets clerks through; officers get 403.
func (s *Server) clerk(h handler) http.Handler { return s.guard(store.RoleClerk, h) }

// guard sends a visitor who is not signed in to the sign-in page, refuses
// one without the role, and for a POST reads the form (within the upload
// limit) and checks its CSRF token before calling h.
func (s *Server) guard(role store.Role, h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, err := s.visitorOf(r)
		if err != nil {
			s.serverError(w, r, nil, err)
			return
		}
		if v == nil {
			next := "/"
			if r.Method == http.MethodGet {
				next = r.URL.RequestURI()
			}
			http.Redirect(w, r, "/signin?next="+url.QueryEscape(next), http.StatusSeeOther)
			return
		}
		// A one-time password must be replaced before anything else.
		if v.User.MustChangePassword && s.cfg.Passwords() && r.URL.Path != "/password" && r.URL.Path != "/signout" {
			http.Redirect(w, r, "/password", http.StatusSeeOther)
			return
		}
		if role != "" && v.User.Role != role {
			s.errorPage(w, r, v, http.StatusForbidden, "You cannot use this page",
				fmt.Sprintf("This page is for %ss. You are signed in as %s (%s). Accounts and their roles are set up by the clerks: ask one if you need this page.", role, v.User.Email, v.User.Role))
			return
		}
		if r.Method == http.MethodPost {
			if !s.readForm(w, r, v) {
				return
			}
			if r.MultipartForm != nil {
				defer r.MultipartForm.RemoveAll()
			}
			if !hmac.Equal([]byte(r.PostFormValue(csrfField)), []byte(s.csrfToken(v))) {
				s.errorPage(w, r, v, http.StatusForbidden, "This form has expired",
					"The form was not sent from this session, or it has expired. Go back, reload the page and try again. Nothing was changed.")
				return
			}
		}
		h(w, r, v)
	})
}

// readForm reads a POST's form: a multipart form (an upload) up to the
// upload limit, anything else up to formLimit. A body too large gets the
// 413 page and false.
func (s *Server) readForm(w http.ResponseWriter, r *http.Request, v *visitor) bool {
	var err error
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		limit := s.cfg.UploadLimit + formLimit
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		err = readUploadForm(r, formMemory, formLimit)
	} else {
		r.Body = http.MaxBytesReader(w, r.Body, formLimit)
		err = r.ParseForm()
	}
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		s.tooLarge(w, r, v)
		return false
	case err != nil:
		s.errorPage(w, r, v, http.StatusBadRequest, "The form could not be read",
			"The form arrived incomplete. Go back and try again. Nothing was changed.")
		return false
	}
	return true
}

func (s *Server) tooLarge(w http.ResponseWriter, r *http.Request, v *visitor) {
	s.errorPage(w, r, v, http.StatusRequestEntityTooLarge, "The file is too large",
		fmt.Sprintf("The file must be smaller than %s. A return is usually well under 1 MB: check you chose the right file, or remove pictures from it and save it again. Nothing was changed.", megabytes(s.cfg.UploadLimit)))
}

func megabytes(n int64) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
}

// visitorOf returns the signed-in user of r, or nil.
func (s *Server) visitorOf(r *http.Request) (*visitor, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil, nil
	}
	sess, err := s.db.SessionByTokenHash(r.Context(), tokenHash(c.Value), s.now())
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	u, err := s.db.UserByID(r.Context(), sess.UserID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	// Disabling deletes an account's sessions; this covers a session
	// started in the moment between.
	if err == nil && u.Disabled {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	owners, err := s.db.OwnersOf(r.Context(), u.ID)
	if err != nil {
		return nil, err
	}
	return &visitor{User: u, Owners: owners, Session: sess}, nil
}

// tokenHash is what the store keeps of a session token.
func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func randomToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func mac(key []byte, msg string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// csrfToken is the token every form of v's session carries: an HMAC under
// the session's own secret.
func (s *Server) csrfToken(v *visitor) string {
	if v == nil {
		return ""
	}
	return mac([]byte(v.Session.CSRFSecret), "papers form")
}

// cookie returns a cookie with the portal's flags.
func (s *Server) cookie(r *http.Request, name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{
		Name:     name,
		Value:    value,
		Path:     "/",
		MaxAge:   maxAge,
		HttpOnly: true,
		Secure:   r.TLS != nil || s.cfg.SecureCookies,
		SameSite: http.SameSiteLaxMode,
	}
}

// home sends each visitor to their own start page.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	v, err := s.visitorOf(r)
	switch {
	case err != nil:
		s.serverError(w, r, nil, err)
	case v == nil:
		http.Redirect(w, r, "/signin", http.StatusSeeOther)
	case v.User.Role == store.RoleClerk:
		http.Redirect(w, r, "/clerk", http.StatusSeeOther)
	default:
		http.Redirect(w, r, "/officer", http.StatusSeeOther)
	}
}

type signInForm struct {
	Email string
	Next  string
	Token string // the form's CSRF token, bound to the sign-in cookie
	// Passwords is whether the password form is shown, and Provider the
	// identity provider's button label, if there is one.
	Passwords bool
	Provider  string
}

func (s *Server) signInPage(w http.ResponseWriter, r *http.Request) {
	v, err := s.visitorOf(r)
	if err != nil {
		s.serverError(w, r, nil, err)
		return
	}
	if v != nil {
		http.Redirect(w, r, localPath(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	s.renderSignIn(w, r, http.StatusOK, signInForm{Next: r.URL.Query().Get("next")}, nil)
}

// renderSignIn shows the sign-in form, setting the sign-in cookie if the
// browser has none.
func (s *Server) renderSignIn(w http.ResponseWriter, r *http.Request, status int, f signInForm, errs []fieldError) {
	c, err := r.Cookie(signInCookie)
	value := ""
	if err == nil && len(c.Value) == 43 {
		value = c.Value
	} else {
		value = randomToken()
		http.SetCookie(w, s.cookie(r, signInCookie, value, 3600))
	}
	f.Token = mac(s.anonKey, value)
	f.Next = localPath(f.Next)
	f.Passwords = s.cfg.Passwords()
	if s.idp != nil {
		f.Provider = s.idp.cfg.Label
	}
	s.render(w, r, nil, status, "signin", page{Title: "Sign in", Errors: errs, Data: f})
}

// badSignIn is the one message for a wrong email or password: which of the
// two was wrong is not said.
const badSignIn = "Enter a correct email address and password"

func (s *Server) signIn(w http.ResponseWriter, r *http.Request) {
	if !s.cfg.Passwords() {
		s.log.WarnContext(r.Context(), "password sign-in refused: passwords are switched off", "address", s.clientAddress(r))
		s.errorPage(w, r, nil, http.StatusForbidden, "Sign in with your organisation's account",
			"This portal does not take passwords. Go to the sign-in page and use the button there to sign in with your organisation's account.")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, formLimit)
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, nil, http.StatusBadRequest, "The form could not be read", "Go back and try again.")
		return
	}
	f := signInForm{Email: strings.TrimSpace(r.PostFormValue("email")), Next: r.PostFormValue("next")}
	password := r.PostFormValue("password")
	c, err := r.Cookie(signInCookie)
	if err != nil || !hmac.Equal([]byte(r.PostFormValue(csrfField)), []byte(mac(s.anonKey, c.Value))) {
		s.renderSignIn(w, r, http.StatusForbidden, f, []fieldError{{Message: "The sign-in page had expired. Enter your email address and password again."}})
		return
	}
	var errs []fieldError
	if f.Email == "" {
		errs = append(errs, fieldError{Field: "email", Message: "Enter your email address"})
	}
	if password == "" {
		errs = append(errs, fieldError{Field: "password", Message: "Enter your password"})
	}
	if len(errs) > 0 {
		s.renderSignIn(w, r, http.StatusBadRequest, f, errs)
		return
	}
	now := s.now()
	ip := s.clientAddress(r)
	blocked, until, err := s.limiter.blocked(r.Context(), f.Email, ip, now)
	if err != nil {
		s.serverError(w, r, nil, err)
		return
	}
	if blocked {
		s.log.WarnContext(r.Context(), "sign-in refused: too many attempts", "email", f.Email, "address", ip)
		wait := max(1, int(until.Sub(now).Round(time.Minute).Minutes()))
		s.errorPage(w, r, nil, http.StatusTooManyRequests, "Too many attempts to sign in",
			fmt.Sprintf("There have been too many wrong attempts to sign in to this account, or from this computer. Wait %s and try again: signing in works again by itself then. If you have forgotten your password, ask %s to reset it.", plural(wait, "minute", "minutes"), accountKeeper))
		return
	}
	u, err := s.db.UserByEmail(r.Context(), f.Email)
	switch {
	case errors.Is(err, store.ErrNotFound):
		// Take as long as a real check, so timing does not tell which
		// email addresses have accounts.
		bcrypt.CompareHashAndPassword(dummyHash(), []byte(password))
	case err != nil:
		s.serverError(w, r, nil, err)
		return
	}
	wrong := err != nil || bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(password)) != nil
	// A disabled account is refused as a wrong password is, after the same
	// bcrypt check: neither the message nor the time says it exists.
	if wrong || u.Disabled {
		if ferr := s.limiter.fail(r.Context(), f.Email, ip, now); ferr != nil {
			s.serverError(w, r, nil, ferr)
			return
		}
		switch {
		case err != nil:
		case wrong:
			s.audit(r.Context(), u.Email, "user.signin.failed", "", "wrong password from "+ip)
		default:
			s.audit(r.Context(), u.Email, "user.signin.failed", "", "account disabled; sign-in from "+ip)
		}
		s.renderSignIn(w, r, http.StatusBadRequest, f, []fieldError{{Field: "email", Message: badSignIn}})
		return
	}
	// A one-time password left unused expires: an invitation or a reset
	// that went astray does not stay a way in.
	if u.MustChangePassword && now.Sub(u.OneTimePasswordSince()) > OneTimePasswordLife {
		s.audit(r.Context(), u.Email, "user.signin.failed", "", "one-time password expired; sign-in from "+ip)
		s.renderSignIn(w, r, http.StatusBadRequest, f, []fieldError{{Field: "password", Message: fmt.Sprintf(
			"This one-time password has expired: one-time passwords work for %d days. Ask %s for a new one", int(OneTimePasswordLife.Hours()/24), accountKeeper)}})
		return
	}
	if err := s.limiter.succeed(r.Context(), f.Email, ip); err != nil {
		s.serverError(w, r, nil, err)
		return
	}

	if err := s.signInAs(w, r, u, now, "signed in from "+ip); err != nil {
		s.serverError(w, r, nil, err)
		return
	}
	http.SetCookie(w, s.cookie(r, signInCookie, "", -1))
	next := localPath(f.Next)
	if next == "/" {
		next = homeOf(u.Role)
	}
	if u.MustChangePassword {
		next = "/password"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// OneTimePasswordLife is how long a one-time password (a new account's, or
// a reset's) works before it is used; then the clerk gives a new one.
const OneTimePasswordLife = 7 * 24 * time.Hour

// signInAs starts a new session for u, whichever way they proved who they
// are, and records it: the time of the sign-in, and detail in the audit log.
func (s *Server) signInAs(w http.ResponseWriter, r *http.Request, u store.User, now time.Time, detail string) error {
	// A new session every time: whatever session cookie the browser
	// brought (one planted by someone else, or its own) is dropped.
	if old, err := r.Cookie(sessionCookie); err == nil {
		if err := s.db.DeleteSession(r.Context(), tokenHash(old.Value)); err != nil {
			return err
		}
	}
	if err := s.startSession(w, r, u.ID, now); err != nil {
		return err
	}
	if err := s.db.RecordSignIn(r.Context(), u.ID, now); err != nil {
		s.log.WarnContext(r.Context(), "cannot record the time of a sign-in", "email", u.Email, "err", err)
	}
	if _, err := s.db.DeleteExpiredSessions(r.Context(), now); err != nil {
		s.log.WarnContext(r.Context(), "cannot remove expired sessions", "err", err)
	}
	s.audit(r.Context(), u.Email, "user.signin", "", detail)
	return nil
}

// startSession creates a new session for the user with a new random token
// and CSRF secret, and sets its cookie.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, userID int64, now time.Time) error {
	token := randomToken()
	secret := make([]byte, 32)
	rand.Read(secret)
	sess := store.Session{TokenHash: tokenHash(token), UserID: userID, CreatedAt: now, ExpiresAt: now.Add(s.cfg.SessionTTL), CSRFSecret: hex.EncodeToString(secret)}
	if err := s.db.CreateSession(r.Context(), sess); err != nil {
		return err
	}
	// A browser-session cookie (no Max-Age or Expires): it goes when the
	// browser closes, and the session itself ends at ExpiresAt whatever
	// the browser keeps.
	http.SetCookie(w, s.cookie(r, sessionCookie, token, 0))
	return nil
}

// dummyHash is a bcrypt hash of nothing anyone types, for timing.
var dummyHash = sync.OnceValue(func() []byte {
	h, _ := bcrypt.GenerateFromPassword([]byte("no such account"), bcrypt.DefaultCost)
	return h
})

func homeOf(role store.Role) string {
	if role == store.RoleClerk {
		return "/clerk"
	}
	return "/officer"
}

func (s *Server) signOut(w http.ResponseWriter, r *http.Request, v *visitor) {
	if err := s.db.DeleteSession(r.Context(), v.Session.TokenHash); err != nil {
		s.serverError(w, r, v, err)
		return
	}
	s.audit(r.Context(), v.User.Email, "user.signout", "", "")
	http.SetCookie(w, s.cookie(r, sessionCookie, "", -1))
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
}

// localPath returns p if it is a path on this site, else "/": a sign-in
// never sends anyone elsewhere. A browser reads a Location header loosely
// (it drops tabs and newlines, turns backslashes into slashes, and takes
// "//host" or "/\\host" as another site), so p must start with one "/"
// and have no "//", backslash, control character, space or scheme, both as
// given and decoded once more.
func localPath(p string) string {
	if p == "" || len(p) > 2048 || !isLocalPath(p) {
		return "/"
	}
	dec, err := url.PathUnescape(p)
	if err != nil || !isLocalPath(dec) {
		return "/"
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Opaque != "" || u.User != nil {
		return "/"
	}
	return p
}

func isLocalPath(p string) bool {
	if !strings.HasPrefix(p, "/") || strings.Contains(p, "//") || strings.ContainsRune(p, '\\') {
		return false
	}
	for _, r := range p {
		if unicode.IsControl(r) || unicode.IsSpace(r) || r == utf8.RuneError || unicode.Is(unicode.Cf, r) {
			return false
		}
	}
	return true
}

// audit records an event; a failure is logged, as the action itself is done.
func (s *Server) audit(ctx context.Context, actor, action, sha, detail string) {
	_, err := s.db.Audit(ctx, store.Event{At: s.now(), Actor: actor, Action: action, SHA256: sha, Detail: detail})
	if err != nil {
		s.log.ErrorContext(ctx, "cannot write the audit log", "action", action, "actor", actor, "err", err)
	}
}
