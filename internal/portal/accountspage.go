package portal

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"papers/internal/plan"
	"papers/internal/store"
)

// The clerk's Accounts pages: every account with its role, lead owners,
// last sign-in and state; each account's own page, where the clerk changes
// it; and the lead owners of the latest statements with no account, each
// with a form to invite them. Every change is a POST that redirects, and
// is made by the functions papers users calls, with the same audit lines.

// accountRow is an account as the Accounts pages show it.
type accountRow struct {
	User     store.User
	Owners   []string
	Failures int  // failed sign-ins in the throttling window
	Locked   bool // as many as lock the account from a failing address
	Self     bool // the clerk looking at it
	// NoPasswords: people sign in only with the identity provider, so a
	// one-time password means nothing and none is made or shown.
	NoPasswords bool
}

// StateLabel and StateClass are the account's state as a tag shows it.
func (a accountRow) StateLabel() string {
	switch {
	case a.User.Disabled:
		return "Disabled"
	case a.Locked:
		return "Locked"
	case a.User.MustChangePassword && !a.NoPasswords:
		return "One-time password"
	}
	return "Active"
}

func (a accountRow) StateClass() string {
	return map[string]string{"Disabled": "tag-grey", "Locked": "tag-red", "One-time password": "tag-yellow", "Active": "tag-green"}[a.StateLabel()]
}

type accountsData struct {
	Accounts []accountRow
	Unlisted []inviteRow
	// Checked are the statements whose lead owners were looked at; none
	// when no plan has a statement yet.
	Checked []store.StatementRecord
	Window  int // the throttling window, in minutes
}

// inviteRow is a lead owner with no account, and the form to invite them.
type inviteRow struct {
	N     int // numbers the form's field ids
	Owner LeadOwner
	Name  string
	Email string
	Open  bool // the form was sent with a mistake: show it open
}

type accountData struct {
	accountRow
	OwnersText string   // the lead-owners field, one a line
	ownersSent bool     // OwnersText is as the clerk sent it, with a mistake
	Unknown    []string // lead owners no action in the latest statements has
	Role       string   // the role field
	// Password is a one-time password to show now, once; Gone says one
	// was made but has been shown (or forgotten) already.
	Password string
	Gone     bool
	SignIn   string
	Window   int
}

// accountNotices are the messages a redirect after a change asks for.
var accountNotices = map[string]string{
	"invited":        "The account is made. Pass on the one-time password below.",
	"invitedsso":     "The account is made. They sign in with the council's identity provider, using this email address: no password is needed.",
	"invitedssosent": "The account is made, and an email with the portal's address is on its way to them. They sign in with the council's identity provider: no password is needed.",
	"invitesent":     "The account is made, and an email with a one-time password and the portal's address is on its way to them.",
	"reset":          "The password is reset and they are signed out everywhere. Pass on the one-time password below.",
	"resetsent":      "The password is reset and they are signed out everywhere. An email with a one-time password is on its way to them.",
	"disabled":       "The account is disabled: it cannot sign in, and its sessions have ended.",
	"enabled":        "The account is enabled: it can sign in again.",
	"role":           "The role is changed.",
	"owners":         "The lead owners are saved.",
	"unlocked":       "The failed sign-ins are forgotten: they can sign in now.",
	"removed":        "The account is removed. The audit log keeps what it did, under its email address.",
	"unchanged":      "Nothing changed: the account was like that already.",
}

// mailFailed is the warning when the mailer could not send a one-time password.
const mailFailed = "The email could not be sent, so the one-time password is shown below instead: pass it on yourself."

func (s *Server) accountsPage(w http.ResponseWriter, r *http.Request, v *visitor) {
	notice := accountNotices[r.URL.Query().Get("done")]
	s.renderAccounts(w, r, v, http.StatusOK, nil, notice)
}

// renderAccounts shows the Accounts page; sent is the invitation form that
// was sent with a mistake, if any, keyed by lead owner.
func (s *Server) renderAccounts(w http.ResponseWriter, r *http.Request, v *visitor, status int, sent *inviteRow, notice string, errs ...fieldError) {
	ctx := r.Context()
	users, err := s.db.Users(ctx)
	if err != nil {
		s.serverError(w, r, v, err)
		return
	}
	d := accountsData{Window: int(s.cfg.SignInWindow.Minutes())}
	for _, u := range users {
		row, err := s.accountRow(ctx, u, v)
		if err != nil {
			s.serverError(w, r, v, err)
			return
		}
		d.Accounts = append(d.Accounts, row)
	}
	owners, checked, err := OwnersWithoutAccount(ctx, s.db)
	if err != nil {
		s.serverError(w, r, v, err)
		return
	}
	d.Checked = checked
	for i, o := range owners {
		row := inviteRow{N: i + 1, Owner: o, Name: o.Name}
		if sent != nil && plan.SameOwner(sent.Owner.Name, o.Name) {
			row.Name, row.Email, row.Open = sent.Name, sent.Email, true
			// The form's fields are numbered as the page now numbers them.
			for j := range errs {
				errs[j].Field = strings.Replace(errs[j].Field, "-"+strconv.Itoa(sent.N), "-"+strconv.Itoa(row.N), 1)
			}
		}
		d.Unlisted = append(d.Unlisted, row)
	}
	if sent != nil && !slices.ContainsFunc(d.Unlisted, func(row inviteRow) bool { return row.Open }) {
		// The lead owner is no longer listed (invited meanwhile, from
		// another page or by a form sent twice): no field to point at.
		for j := range errs {
			errs[j].Field = ""
		}
	}
	s.render(w, r, v, status, "accounts", page{Title: "Accounts", Errors: errs, Notice: notice, Data: d})
}

// accountRow gathers what the pages show of u.
func (s *Server) accountRow(ctx context.Context, u store.User, v *visitor) (accountRow, error) {
	owners, err := s.db.OwnersOf(ctx, u.ID)
	if err != nil {
		return accountRow{}, err
	}
	fails, err := s.db.SignInFailures(ctx, accountKey(u.Email), "", s.now().Add(-s.cfg.SignInWindow), s.cfg.SignInLimit)
	if err != nil {
		return accountRow{}, err
	}
	return accountRow{User: u, Owners: owners, Failures: len(fails), Locked: len(fails) >= s.cfg.SignInLimit, Self: u.ID == v.User.ID, NoPasswords: !s.cfg.Passwords()}, nil
}

// accountOf finds the account the request's path names; false when it has
// sent a page (404 for no such account).
func (s *Server) accountOf(w http.ResponseWriter, r *http.Request, v *visitor) (store.User, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	var u store.User
	if err == nil {
		u, err = s.db.UserByID(r.Context(), id)
	}
	switch {
	case err == nil:
		return u, true
	case isNotFound(err) || errors.Is(err, strconv.ErrSyntax) || errors.Is(err, strconv.ErrRange):
		s.errorPage(w, r, v, http.StatusNotFound, "There is no such account",
			"It may have been removed. The Accounts page lists every account.")
	default:
		s.serverError(w, r, v, err)
	}
	return store.User{}, false
}

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request, v *visitor) {
	u, ok := s.accountOf(w, r, v)
	if !ok {
		return
	}
	q := r.URL.Query()
	d := accountData{}
	if key := q.Get("shown"); key != "" {
		d.Password = s.oneTime.take(key, v.Session.TokenHash, u.ID, s.now())
		d.Gone = d.Password == ""
	}
	done := q.Get("done")
	var warnings []string
	if q.Get("mail") == "failed" {
		warnings = append(warnings, mailFailed)
	}
	s.renderAccount(w, r, v, http.StatusOK, u, d, accountNotices[done], warnings)
}

// renderAccount shows one account's page; d holds the forms as sent, if
// one was sent with a mistake.
func (s *Server) renderAccount(w http.ResponseWriter, r *http.Request, v *visitor, status int, u store.User, d accountData, notice string, warnings []string, errs ...fieldError) {
	ctx := r.Context()
	row, err := s.accountRow(ctx, u, v)
	if err != nil {
		s.serverError(w, r, v, err)
		return
	}
	d.accountRow = row
	if !d.ownersSent {
		d.OwnersText = strings.Join(row.Owners, "\n")
	}
	if d.Role == "" {
		d.Role = string(u.Role)
	}
	if u.Role == store.RoleOfficer && len(row.Owners) > 0 {
		unknown, _, err := UnknownOwners(ctx, s.db, row.Owners)
		if err != nil {
			s.serverError(w, r, v, err)
			return
		}
		d.Unknown = unknown
	}
	d.SignIn = s.signInURL(r)
	d.Window = int(s.cfg.SignInWindow.Minutes())
	s.render(w, r, v, status, "account", page{Title: u.Name, Errors: errs, Notice: notice, Warnings: warnings, Data: d})
}

// signInURL is the portal's sign-in page as the clerk reached the portal.
func (s *Server) signInURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || s.cfg.SecureCookies {
		scheme = "https"
	}
	return scheme + "://" + r.Host + "/signin"
}

// refuseSelf refuses a change the clerk would make to their own account
// (disable, remove, role, reset): it would sign them out or lock them out
// of this page. Another clerk, or papers users, can make it.
func (s *Server) refuseSelf(w http.ResponseWriter, r *http.Request, v *visitor, u store.User, doing string) bool {
	if u.ID != v.User.ID {
		return false
	}
	msg := fmt.Sprintf("You cannot %s your own account here: you would be signed out, or shut out of this page. Another clerk can do it.", doing)
	if doing == "reset the password of" {
		msg = "You cannot reset your own password here. To choose a new one, use Change password at the top of the page."
	}
	s.renderAccount(w, r, v, http.StatusConflict, u, accountData{}, "", nil, fieldError{Message: msg})
	return true
}

// lastClerkError is the page for store.ErrLastClerk.
func (s *Server) lastClerkError(w http.ResponseWriter, r *http.Request, v *visitor, u store.User, doing string) {
	s.renderAccount(w, r, v, http.StatusConflict, u, accountData{}, "", nil, fieldError{Message: fmt.Sprintf(
		"You cannot %s %s: it is the portal's last enabled clerk account, and the portal needs one to open quarters and accept statements. Make or enable another clerk first.", doing, u.Email)})
}

// changed redirects to the account's page with a notice.
func changed(w http.ResponseWriter, r *http.Request, u store.User, done string) {
	http.Redirect(w, r, fmt.Sprintf("/clerk/accounts/%d?done=%s", u.ID, done), http.StatusSeeOther)
}

func (s *Server) disableAccount(w http.ResponseWriter, r *http.Request, v *visitor) {
	s.setDisabled(w, r, v, true)
}

func (s *Server) enableAccount(w http.ResponseWriter, r *http.Request, v *visitor) {
	s.setDisabled(w, r, v, false)
}

func (s *Server) setDisabled(w http.ResponseWriter, r *http.Request, v *visitor, disabled bool) {
	u, ok := s.accountOf(w, r, v)
	if !ok {
		return
	}
	verb, done := "enable", "enabled"
	if disabled {
		verb, done = "disable", "disabled"
		if s.refuseSelf(w, r, v, u, verb) {
			return
		}
	}
	did, err := SetAccountDisabled(r.Context(), s.db, u, disabled, v.User.Email, s.now())
	switch {
	case errors.Is(err, store.ErrLastClerk):
		s.lastClerkError(w, r, v, u, verb)
		return
	case err != nil:
		s.serverError(w, r, v, err)
		return
	case !did:
		done = "unchanged"
	}
	changed(w, r, u, done)
}

func (s *Server) removeAccount(w http.ResponseWriter, r *http.Request, v *visitor) {
	u, ok := s.accountOf(w, r, v)
	if !ok || s.refuseSelf(w, r, v, u, "remove") {
		return
	}
	if r.PostFormValue("confirm") != "yes" {
		s.renderAccount(w, r, v, http.StatusBadRequest, u, accountData{}, "", nil,
			fieldError{Field: "confirm", Message: "Tick the box to confirm that the account is to be removed"})
		return
	}
	err := RemoveAccount(r.Context(), s.db, u, v.User.Email, s.now())
	switch {
	case errors.Is(err, store.ErrLastClerk):
		s.lastClerkError(w, r, v, u, "remove")
		return
	case err != nil:
		s.serverError(w, r, v, err)
		return
	}
	http.Redirect(w, r, "/clerk/accounts?done=removed", http.StatusSeeOther)
}

func (s *Server) changeRole(w http.ResponseWriter, r *http.Request, v *visitor) {
	u, ok := s.accountOf(w, r, v)
	if !ok || s.refuseSelf(w, r, v, u, "change the role of") {
		return
	}
	role := store.Role(r.PostFormValue("role"))
	if role != store.RoleOfficer && role != store.RoleClerk {
		s.renderAccount(w, r, v, http.StatusBadRequest, u, accountData{}, "", nil,
			fieldError{Field: "role-officer", Message: "Choose officer or clerk"})
		return
	}
	did, _, err := SetAccountRole(r.Context(), s.db, u, role, v.User.Email, s.now())
	switch {
	case errors.Is(err, store.ErrLastClerk):
		s.lastClerkError(w, r, v, u, "make an officer of")
		return
	case err != nil:
		s.serverError(w, r, v, err)
		return
	case !did:
		changed(w, r, u, "unchanged")
		return
	}
	changed(w, r, u, "role")
}

func (s *Server) changeOwners(w http.ResponseWriter, r *http.Request, v *visitor) {
	u, ok := s.accountOf(w, r, v)
	if !ok {
		return
	}
	text := r.PostFormValue("owners")
	fail := func(msg string) {
		s.renderAccount(w, r, v, http.StatusBadRequest, u, accountData{OwnersText: text, ownersSent: true}, "", nil, fieldError{Field: "owners", Message: msg})
	}
	if u.Role != store.RoleOfficer {
		// The page has no lead-owners field for a clerk: the summary says it.
		s.renderAccount(w, r, v, http.StatusBadRequest, u, accountData{}, "", nil,
			fieldError{Message: "A clerk answers for no lead owners: make the account an officer's first"})
		return
	}
	if strings.TrimSpace(text) == "" {
		fail("Enter at least one lead owner, as the plan names them, one a line")
		return
	}
	names, err := CleanOwners(strings.Split(text, "\n"))
	var ae *AccountError
	switch {
	case errors.As(err, &ae):
		fail(sentence(ae.Msg))
		return
	case err != nil:
		s.serverError(w, r, v, err)
		return
	}
	if err := SetAccountOwners(r.Context(), s.db, u, names, v.User.Email, s.now()); err != nil {
		s.serverError(w, r, v, err)
		return
	}
	changed(w, r, u, "owners")
}

func (s *Server) unlockAccount(w http.ResponseWriter, r *http.Request, v *visitor) {
	u, ok := s.accountOf(w, r, v)
	if !ok {
		return
	}
	if _, err := UnlockAccount(r.Context(), s.db, u, v.User.Email, s.now()); err != nil {
		s.serverError(w, r, v, err)
		return
	}
	changed(w, r, u, "unlocked")
}

func (s *Server) resetAccount(w http.ResponseWriter, r *http.Request, v *visitor) {
	u, ok := s.accountOf(w, r, v)
	if !ok || s.refuseSelf(w, r, v, u, "reset the password of") {
		return
	}
	if !s.cfg.Passwords() {
		s.errorPage(w, r, v, http.StatusConflict, "Passwords are switched off",
			"People sign in to this portal with the council's identity provider, so there is no password to reset. If "+u.Name+" cannot sign in, their account with the identity provider needs looking at. Nothing was changed.")
		return
	}
	password, err := ResetPassword(r.Context(), s.db, u, v.User.Email, s.now(), 0)
	if err != nil {
		s.serverError(w, r, v, err)
		return
	}
	s.passOn(w, r, v, u, password, true)
}

// passOn sends a one-time password by email when the portal has a mailer,
// else (or when sending fails) keeps it for the account's page to show
// once, and redirects there.
func (s *Server) passOn(w http.ResponseWriter, r *http.Request, v *visitor, u store.User, password string, reset bool) {
	if !s.cfg.Passwords() && !reset {
		// Sign-in is with the identity provider: the account's password
		// (random, and never shown) can never be used, so nothing is
		// passed on but the portal's address.
		if s.cfg.Mailer != nil {
			ctx, cancel := context.WithTimeout(r.Context(), mailWait)
			err := s.cfg.Mailer.SendInvitation(ctx, Invitation{Email: u.Email, Name: u.Name, URL: s.signInURL(r), Provider: s.providerLabel()})
			cancel()
			if err == nil {
				changed(w, r, u, "invitedssosent")
				return
			}
			s.log.WarnContext(r.Context(), "cannot email an invitation", "to", u.Email, "err", err)
		}
		changed(w, r, u, "invitedsso")
		return
	}
	done := "invited"
	if reset {
		done = "reset"
	}
	extra := ""
	if s.cfg.Mailer != nil {
		ctx, cancel := context.WithTimeout(r.Context(), mailWait)
		err := s.cfg.Mailer.SendInvitation(ctx, Invitation{Email: u.Email, Name: u.Name, URL: s.signInURL(r), Password: password, Reset: reset})
		cancel()
		if err == nil {
			sent := "invitesent"
			if reset {
				sent = "resetsent"
			}
			changed(w, r, u, sent)
			return
		}
		s.log.Warn("cannot email a one-time password: showing it to the clerk instead", "to", u.Email, "err", err)
		extra = "&mail=failed"
	}
	key := s.oneTime.put(v.Session.TokenHash, u.ID, password, s.now())
	http.Redirect(w, r, fmt.Sprintf("/clerk/accounts/%d?done=%s&shown=%s%s", u.ID, done, key, extra), http.StatusSeeOther)
}

func (s *Server) inviteOwner(w http.ResponseWriter, r *http.Request, v *visitor) {
	n, _ := strconv.Atoi(r.PostFormValue("n"))
	f := inviteRow{
		N:     n,
		Owner: LeadOwner{Name: strings.Join(strings.Fields(r.PostFormValue("owner")), " ")},
		Name:  strings.Join(strings.Fields(r.PostFormValue("name")), " "),
		Email: strings.TrimSpace(r.PostFormValue("email")),
	}
	nameID, emailID := fmt.Sprintf("invite-name-%d", n), fmt.Sprintf("invite-email-%d", n)
	var errs []fieldError
	if f.Owner.Name == "" || utf8.RuneCountInString(f.Owner.Name) > MaxNameLength {
		s.errorPage(w, r, v, http.StatusBadRequest, "The form could not be read",
			"It named no lead owner. Go back, reload the Accounts page and try again. Nothing was changed.")
		return
	}
	if f.Name == "" {
		errs = append(errs, fieldError{nameID, "Enter the name of the person who answers for " + f.Owner.Name})
	}
	if f.Email == "" {
		errs = append(errs, fieldError{emailID, "Enter the email address they will sign in with"})
	}
	if len(errs) == 0 {
		u, password, err := AddAccount(r.Context(), s.db, Account{Name: f.Name, Email: f.Email, Role: store.RoleOfficer, Owners: []string{f.Owner.Name}}, v.User.Email, s.now(), 0)
		var ae *AccountError
		switch {
		case errors.As(err, &ae):
			field := emailID
			if ae.Field == "name" {
				field = nameID
			}
			errs = append(errs, fieldError{field, sentence(ae.Msg)})
		case err != nil:
			s.serverError(w, r, v, err)
			return
		default:
			s.passOn(w, r, v, u, password, false)
			return
		}
	}
	s.renderAccounts(w, r, v, http.StatusBadRequest, &f, "", errs...)
}

// sentence starts s with a capital letter.
func sentence(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// FieldError is the message of the page's error for the field with id, if
// any, to show beside the field as well as in the summary.
func (p page) FieldError(id string) string {
	for _, e := range p.Errors {
		if e.Field == id {
			return e.Message
		}
	}
	return ""
}
