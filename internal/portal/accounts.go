package portal

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"

	"papers/internal/plan"
	"papers/internal/store"
)

// passwordAlphabet leaves out letters and digits that are easily confused
// (0 O o, 1 l I), so a password read aloud or copied by hand survives.
const passwordAlphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// NewPassword returns a random password of four groups of five characters
// ("k7Qmx-Hq2vd-..."), about 116 bits
// from crypto/rand.
func NewPassword() string {
	var b strings.Builder
	for i := range 20 {
		if i > 0 && i%5 == 0 {
			b.WriteByte('-')
		}
		b.WriteByte(passwordAlphabet[randIndex(len(passwordAlphabet))])
	}
	return b.String()
}

// randIndex returns a uniformly random index below n, from crypto/rand.
func randIndex(n int) int {
	var b [1]byte
	limit := 256 - 256%n
	for {
		rand.Read(b[:])
		if int(b[0]) < limit {
			return int(b[0]) % n
		}
	}
}

// HashPassword hashes a password with bcrypt at cost (bcrypt.DefaultCost
// when cost is 0).
func HashPassword(password string, cost int) (string, error) {
	if cost == 0 {
		cost = bcrypt.DefaultCost
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), cost)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return string(h), nil
}

// Account is a portal account to add.
type Account struct {
	Name   string
	Email  string
	Role   store.Role
	Owners []string // the lead owners an officer answers for, as the plan names them
}

// ErrAccount is wrapped by AddAccount's errors about its input.
var ErrAccount = errors.New("invalid account")

// AddAccount adds an account with a new random password, links an officer
// to the lead owners they answer for, records it in the audit log as done
// by actor, and returns the user and the password (to be shown once). The
// password is one-time: the portal asks for a new one at the first sign-in.
func AddAccount(ctx context.Context, db *store.DB, a Account, actor string, now time.Time, cost int) (store.User, string, error) {
	a.Email = strings.TrimSpace(a.Email)
	if addr, err := mail.ParseAddress(a.Email); err != nil || addr.Address != a.Email {
		return store.User{}, "", fmt.Errorf("%w: %q is not an email address", ErrAccount, a.Email)
	}
	switch {
	case strings.TrimSpace(a.Name) == "":
		return store.User{}, "", fmt.Errorf("%w: no name given", ErrAccount)
	case a.Role != store.RoleOfficer && a.Role != store.RoleClerk:
		return store.User{}, "", fmt.Errorf("%w: role %q: use officer or clerk", ErrAccount, a.Role)
	case a.Role == store.RoleOfficer && len(a.Owners) == 0:
		return store.User{}, "", fmt.Errorf("%w: an officer needs at least one --owner (the lead owner's name as the plan gives it)", ErrAccount)
	case a.Role == store.RoleClerk && len(a.Owners) > 0:
		return store.User{}, "", fmt.Errorf("%w: a clerk answers for no lead owners: leave out --owner", ErrAccount)
	}
	password := NewPassword()
	hash, err := HashPassword(password, cost)
	if err != nil {
		return store.User{}, "", err
	}
	u, err := db.AddUser(ctx, store.User{Name: a.Name, Email: a.Email, Role: a.Role, PasswordHash: hash, CreatedAt: now, MustChangePassword: true})
	if errors.Is(err, store.ErrDuplicate) {
		return store.User{}, "", fmt.Errorf("%w: there is already an account for %s", ErrAccount, a.Email)
	}
	if err != nil {
		return store.User{}, "", err
	}
	if len(a.Owners) > 0 {
		if err := db.SetOwners(ctx, u.ID, a.Owners); err != nil {
			return store.User{}, "", err
		}
	}
	detail := fmt.Sprintf("added %s account %d for %s", u.Role, u.ID, u.Email)
	if len(a.Owners) > 0 {
		detail += "; lead owners: " + strings.Join(a.Owners, "; ")
	}
	if _, err := db.Audit(ctx, store.Event{At: now, Actor: actor, Action: "user.add", Detail: detail}); err != nil {
		return store.User{}, "", err
	}
	return u, password, nil
}

// UnknownOwners returns the names among owners that lead no action in any
// plan's latest statement (its latest position statement, else the plan as
// agreed), compared as the portal compares them, case and spacing aside; and
// the statements it looked in, none when no plan has one yet. An officer
// answering for such a name has no return to fill in until a statement
// names them.
func UnknownOwners(ctx context.Context, db *store.DB, owners []string) ([]string, []store.StatementRecord, error) {
	plans, err := db.Plans(ctx)
	if err != nil {
		return nil, nil, err
	}
	known := map[string]bool{}
	var checked []store.StatementRecord
	for _, p := range plans {
		rec, st, err := db.Latest(ctx, p.Name, store.KindStatement, "")
		if errors.Is(err, store.ErrNotFound) {
			rec, st, err = db.Latest(ctx, p.Name, store.KindBaseline, "")
		}
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		checked = append(checked, rec)
		for _, a := range st.Actions {
			for _, o := range a.Owners {
				known[plan.OwnerKey(o)] = true
			}
		}
	}
	if len(checked) == 0 {
		return nil, nil, nil
	}
	var unknown []string
	for _, o := range owners {
		if !known[plan.OwnerKey(o)] {
			unknown = append(unknown, o)
		}
	}
	return unknown, checked, nil
}

// ResetPassword gives the account a new random one-time password, signs it
// out everywhere, records it in the audit log as done by actor, and returns
// the password (to be shown once). The portal asks for a new one at the
// next sign-in, as for a new account.
func ResetPassword(ctx context.Context, db *store.DB, u store.User, actor string, now time.Time, cost int) (string, error) {
	password := NewPassword()
	hash, err := HashPassword(password, cost)
	if err != nil {
		return "", err
	}
	e := store.Event{At: now, Actor: actor, Action: "user.reset", Detail: fmt.Sprintf("reset the password of %s account %d for %s to a one-time password", u.Role, u.ID, u.Email)}
	if err := db.ResetPassword(ctx, u.ID, hash, e); err != nil {
		return "", err
	}
	return password, nil
}
