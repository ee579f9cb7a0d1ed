package portal

import (
	"fmt"
	"net/http"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"
)

// MinPasswordLength is the fewest characters a chosen password may have.
const MinPasswordLength = 12

type passwordData struct {
	// OneTime: the visitor signed in with a one-time password and must
	// choose their own before doing anything else; the current password
	// is not asked for again.
	OneTime bool
	Min     int
}

func (s *Server) passwordPage(w http.ResponseWriter, r *http.Request, v *visitor) {
	s.renderPassword(w, r, v, http.StatusOK, nil)
}

func (s *Server) renderPassword(w http.ResponseWriter, r *http.Request, v *visitor, status int, errs []fieldError) {
	title := "Change your password"
	if v.User.MustChangePassword {
		title = "Choose a new password"
	}
	s.render(w, r, v, status, "password", page{Title: title, Errors: errs,
		Data: passwordData{OneTime: v.User.MustChangePassword, Min: MinPasswordLength}})
}

// changePassword sets the visitor's password to one they chose. The session
// is replaced by a new one and their other sessions end.
func (s *Server) changePassword(w http.ResponseWriter, r *http.Request, v *visitor) {
	current := r.PostFormValue("current")
	password := r.PostFormValue("password")
	confirm := r.PostFormValue("confirm")
	oldHash := []byte(v.User.PasswordHash)
	var errs []fieldError
	if !v.User.MustChangePassword {
		// Guesses at the current password count with wrong sign-ins, so
		// someone who finds a signed-in browser cannot try passwords here
		// without limit and then lock the officer out.
		now, ip := s.now(), s.clientAddress(r)
		blocked, until, err := s.limiter.blocked(r.Context(), v.User.Email, ip, now)
		if err != nil {
			s.serverError(w, r, v, err)
			return
		}
		if blocked {
			s.log.WarnContext(r.Context(), "password change refused: too many attempts", "email", v.User.Email, "address", ip)
			wait := max(1, int(until.Sub(now).Round(time.Minute).Minutes()))
			s.errorPage(w, r, v, http.StatusTooManyRequests, "Too many attempts",
				fmt.Sprintf("There have been too many wrong passwords for this account. Wait %s and try again. Your password has not been changed.", plural(wait, "minute", "minutes")))
			return
		}
		switch {
		case current == "":
			errs = append(errs, fieldError{Field: "current", Message: "Enter your current password"})
		case bcrypt.CompareHashAndPassword(oldHash, []byte(current)) != nil:
			if err := s.limiter.fail(r.Context(), v.User.Email, ip, now); err != nil {
				s.serverError(w, r, v, err)
				return
			}
			s.audit(r.Context(), v.User.Email, "user.password.failed", "", "wrong current password from "+ip)
			errs = append(errs, fieldError{Field: "current", Message: "Your current password is not correct"})
		}
	}
	switch {
	case password == "":
		errs = append(errs, fieldError{Field: "password", Message: "Enter a new password"})
	case utf8.RuneCountInString(password) < MinPasswordLength:
		errs = append(errs, fieldError{Field: "password", Message: fmt.Sprintf("Your new password must be at least %d characters long", MinPasswordLength)})
	case len(password) > 72: // bcrypt reads no further
		errs = append(errs, fieldError{Field: "password", Message: "Your new password must be 72 characters or fewer"})
	case bcrypt.CompareHashAndPassword(oldHash, []byte(password)) == nil:
		msg := "Your new password must be different from your current one"
		if v.User.MustChangePassword {
			msg = "Your new password must be different from the one you were given"
		}
		errs = append(errs, fieldError{Field: "password", Message: msg})
	case confirm != password:
		errs = append(errs, fieldError{Field: "confirm", Message: "The passwords do not match: type the new password again"})
	}
	if len(errs) > 0 {
		s.renderPassword(w, r, v, http.StatusBadRequest, errs)
		return
	}
	hash, err := HashPassword(password, 0)
	if err != nil {
		s.serverError(w, r, v, err)
		return
	}
	ctx := r.Context()
	if err := s.db.SetPasswordHash(ctx, v.User.ID, hash, false); err != nil {
		s.serverError(w, r, v, err)
		return
	}
	// Every session of the account ends, this one included; this browser
	// gets a new one.
	if err := s.db.DeleteSessionsOf(ctx, v.User.ID); err != nil {
		s.serverError(w, r, v, err)
		return
	}
	if err := s.startSession(w, r, v.User.ID, s.now()); err != nil {
		s.serverError(w, r, nil, err)
		return
	}
	detail := "changed their password"
	if v.User.MustChangePassword {
		detail = "replaced their one-time password"
	}
	s.audit(ctx, v.User.Email, "user.password", "", detail)
	http.Redirect(w, r, homeOf(v.User.Role), http.StatusSeeOther)
}
