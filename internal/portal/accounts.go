package portal

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/mail"
	"slices"
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

// ErrAccount is what the account functions' errors about their input are
// (errors.Is); each is an *AccountError, which says which field is wrong.
var ErrAccount = errors.New("invalid account")

// AccountError is a mistake in what was given for an account: Field is
// "name", "email", "role" or "owners", and Msg says what is wrong in words
// a person can act on.
type AccountError struct {
	Field string
	Msg   string
}

func (e *AccountError) Error() string        { return ErrAccount.Error() + ": " + e.Msg }
func (e *AccountError) Is(target error) bool { return target == ErrAccount }

func invalid(field, format string, a ...any) error {
	return &AccountError{Field: field, Msg: fmt.Sprintf(format, a...)}
}

// maxEmailLength is the longest email address an account may have (RFC
// 5321's limit on a path).
const maxEmailLength = 254

// AddAccount adds an account with a new random password, links an officer
// to the lead owners they answer for, records it in the audit log as done
// by actor (all three in one transaction), and returns the user and the
// password (to be shown once). The
// password is one-time: the portal asks for a new one at the first sign-in.
func AddAccount(ctx context.Context, db *store.DB, a Account, actor string, now time.Time, cost int) (store.User, string, error) {
	a.Email = strings.TrimSpace(a.Email)
	if addr, err := mail.ParseAddress(a.Email); err != nil || addr.Address != a.Email {
		return store.User{}, "", invalid("email", "%q is not an email address", a.Email)
	}
	switch {
	case len(a.Email) > maxEmailLength:
		return store.User{}, "", invalid("email", "an email address has at most %d characters", maxEmailLength)
	case strings.TrimSpace(a.Name) == "":
		return store.User{}, "", invalid("name", "no name given")
	case len([]rune(a.Name)) > MaxNameLength:
		return store.User{}, "", invalid("name", "the name is longer than %d characters", MaxNameLength)
	case a.Role != store.RoleOfficer && a.Role != store.RoleClerk:
		return store.User{}, "", invalid("role", "role %q: use officer or clerk", a.Role)
	case a.Role == store.RoleOfficer && len(a.Owners) == 0:
		return store.User{}, "", invalid("owners", "an officer needs at least one --owner (the lead owner's name as the plan gives it)")
	case a.Role == store.RoleClerk && len(a.Owners) > 0:
		return store.User{}, "", invalid("owners", "a clerk answers for no lead owners: leave out --owner")
	}
	if a.Role == store.RoleOfficer {
		owners, err := CleanOwners(a.Owners)
		if err != nil {
			return store.User{}, "", err
		}
		a.Owners = owners
	}
	password := NewPassword()
	hash, err := HashPassword(password, cost)
	if err != nil {
		return store.User{}, "", err
	}
	audit := func(u store.User) store.Event {
		detail := fmt.Sprintf("added %s account %d for %s", u.Role, u.ID, u.Email)
		if len(a.Owners) > 0 {
			detail += "; lead owners: " + strings.Join(a.Owners, "; ")
		}
		return store.Event{At: now, Actor: actor, Action: "user.add", Detail: detail}
	}
	u, err := db.AddUserAudited(ctx, store.User{Name: a.Name, Email: a.Email, Role: a.Role, PasswordHash: hash, CreatedAt: now, MustChangePassword: true}, a.Owners, audit)
	if errors.Is(err, store.ErrDuplicate) {
		return store.User{}, "", invalid("email", "there is already an account for %s", a.Email)
	}
	if err != nil {
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
	latest, err := latestStatements(ctx, db)
	if err != nil || len(latest) == 0 {
		return nil, nil, err
	}
	known := map[string]bool{}
	var checked []store.StatementRecord
	for _, l := range latest {
		checked = append(checked, l.rec)
		for _, a := range l.st.Actions {
			for _, o := range a.Owners {
				known[plan.OwnerKey(o)] = true
			}
		}
	}
	var unknown []string
	for _, o := range owners {
		if !known[plan.OwnerKey(o)] {
			unknown = append(unknown, o)
		}
	}
	return unknown, checked, nil
}

// latest is a plan's latest statement.
type latest struct {
	rec store.StatementRecord
	st  *plan.Statement
}

// latestStatements returns each plan's latest statement: its latest
// position statement, else the plan as agreed. Plans with neither are left
// out.
func latestStatements(ctx context.Context, db *store.DB) ([]latest, error) {
	plans, err := db.Plans(ctx)
	if err != nil {
		return nil, err
	}
	var out []latest
	for _, p := range plans {
		rec, st, err := db.Latest(ctx, p.Name, store.KindStatement, "")
		if errors.Is(err, store.ErrNotFound) {
			rec, st, err = db.Latest(ctx, p.Name, store.KindBaseline, "")
		}
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, latest{rec, st})
	}
	return out, nil
}

// LeadOwner is a lead owner named in the plans' latest statements.
type LeadOwner struct {
	Name    string   // as the statement first spells it
	Actions int      // how many actions they lead, alone or jointly
	Plans   []string // the plans those actions are in
}

// OwnersWithoutAccount returns the lead owners of the plans' latest
// statements whom no account answers for (by the plan's rule: Cllr =
// Councillor, case and spacing aside), sorted by name, and the statements
// it looked in: none when no plan has one yet. A disabled account still
// answers for its lead owners: it is there to be enabled, not replaced.
func OwnersWithoutAccount(ctx context.Context, db *store.DB) ([]LeadOwner, []store.StatementRecord, error) {
	latest, err := latestStatements(ctx, db)
	if err != nil || len(latest) == 0 {
		return nil, nil, err
	}
	users, err := db.Users(ctx)
	if err != nil {
		return nil, nil, err
	}
	covered := map[string]bool{}
	for _, u := range users {
		owners, err := db.OwnersOf(ctx, u.ID)
		if err != nil {
			return nil, nil, err
		}
		for _, o := range owners {
			covered[plan.OwnerKey(o)] = true
		}
	}
	byKey := map[string]*LeadOwner{}
	var out []*LeadOwner
	var checked []store.StatementRecord
	for _, l := range latest {
		checked = append(checked, l.rec)
		for _, a := range l.st.Actions {
			for _, o := range a.Owners {
				k := plan.OwnerKey(o)
				if k == "" || covered[k] {
					continue
				}
				lo := byKey[k]
				if lo == nil {
					lo = &LeadOwner{Name: strings.Join(strings.Fields(o), " ")}
					byKey[k] = lo
					out = append(out, lo)
				}
				lo.Actions++
				if !slices.Contains(lo.Plans, l.rec.Plan) {
					lo.Plans = append(lo.Plans, l.rec.Plan)
				}
			}
		}
	}
	slices.SortFunc(out, func(a, b *LeadOwner) int { return strings.Compare(plan.OwnerKey(a.Name), plan.OwnerKey(b.Name)) })
	owners := make([]LeadOwner, len(out))
	for i, lo := range out {
		owners[i] = *lo
	}
	return owners, checked, nil
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
	e := store.Event{At: now, Actor: actor, Action: "user.reset", Detail: "reset the password of " + Describe(u) + " to a one-time password"}
	if err := db.ResetPassword(ctx, u.ID, hash, e); err != nil {
		return "", err
	}
	return password, nil
}

// The account changes below are the one implementation of each, for the
// portal's Accounts page and papers users alike: each checks the same rules
// (the store keeps an enabled clerk; a clerk answers for no lead owners)
// and writes the same audit line, naming actor as who made the change.

// Describe names an account in the audit log: "officer account 3 for
// robert@example.gov.uk".
func Describe(u store.User) string {
	return fmt.Sprintf("%s account %d for %s", u.Role, u.ID, u.Email)
}

// SetAccountDisabled disables or enables u's account, reporting false when
// it already was. Disabling signs them out everywhere; disabling the last
// enabled clerk fails with store.ErrLastClerk.
func SetAccountDisabled(ctx context.Context, db *store.DB, u store.User, disabled bool, actor string, now time.Time) (bool, error) {
	if u.Disabled == disabled {
		return false, nil
	}
	verb, action := "enable", "user.enable"
	if disabled {
		verb, action = "disable", "user.disable"
	}
	e := store.Event{At: now, Actor: actor, Action: action, Detail: verb + "d " + Describe(u)}
	if err := db.SetDisabled(ctx, u.ID, disabled, e); err != nil {
		return false, err
	}
	return true, nil
}

// RemoveAccount removes u's account with its lead owners, sessions and
// pending uploads; the audit log keeps what it did, under its email
// address. Removing the last enabled clerk fails with store.ErrLastClerk.
func RemoveAccount(ctx context.Context, db *store.DB, u store.User, actor string, now time.Time) error {
	owners, err := db.OwnersOf(ctx, u.ID)
	if err != nil {
		return err
	}
	detail := fmt.Sprintf("removed %s (%s)", Describe(u), u.Name)
	if len(owners) > 0 {
		detail += "; lead owners were: " + strings.Join(owners, "; ")
	}
	return db.RemoveUser(ctx, u.ID, store.Event{At: now, Actor: actor, Action: "user.remove", Detail: detail})
}

// SetAccountRole gives u's account role, reporting false when it already
// had it, and the lead owners it no longer answers for (a clerk answers for
// none). Making the last enabled clerk an officer fails with
// store.ErrLastClerk; a role other than officer or clerk with ErrAccount.
func SetAccountRole(ctx context.Context, db *store.DB, u store.User, role store.Role, actor string, now time.Time) (changed bool, dropped []string, err error) {
	if role != store.RoleOfficer && role != store.RoleClerk {
		return false, nil, invalid("role", "role %q: use officer or clerk", role)
	}
	if u.Role == role {
		return false, nil, nil
	}
	owners, err := db.OwnersOf(ctx, u.ID)
	if err != nil {
		return false, nil, err
	}
	detail := fmt.Sprintf("changed %s to %s", Describe(u), role)
	if role == store.RoleClerk && len(owners) > 0 {
		detail += "; lead owners were: " + strings.Join(owners, "; ")
		dropped = owners
	}
	if err := db.SetRole(ctx, u.ID, role, store.Event{At: now, Actor: actor, Action: "user.role", Detail: detail}); err != nil {
		return false, nil, err
	}
	return true, dropped, nil
}

// ErrNotOfficer: only an officer answers for lead owners.
var ErrNotOfficer = errors.New("only an officer answers for lead owners")

// MaxOwners is the most lead owners one account may answer for, and
// MaxNameLength the longest name (a person's or a lead owner's) in
// characters: bounds on what a form or command line may store.
const (
	MaxOwners     = 50
	MaxNameLength = 200
)

// CleanOwners returns the lead-owner names with spacing tidied, blanks
// dropped and each owner once (by the plan's rule: Cllr = Councillor, case
// aside), or ErrAccount when there are none, too many or one too long.
func CleanOwners(names []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, n := range names {
		n = strings.Join(strings.Fields(n), " ")
		if n == "" || seen[plan.OwnerKey(n)] {
			continue
		}
		if len([]rune(n)) > MaxNameLength {
			return nil, invalid("owners", "the lead owner %.40q… is longer than %d characters", n, MaxNameLength)
		}
		seen[plan.OwnerKey(n)] = true
		out = append(out, n)
	}
	switch {
	case len(out) == 0:
		return nil, invalid("owners", "no lead owner given: name at least one, as the plan names them")
	case len(out) > MaxOwners:
		return nil, invalid("owners", "%d lead owners: an account may answer for at most %d", len(out), MaxOwners)
	}
	return out, nil
}

// SetAccountOwners replaces the lead owners u's account answers for with
// names (already cleaned by CleanOwners). It fails with ErrNotOfficer for
// a clerk's account.
func SetAccountOwners(ctx context.Context, db *store.DB, u store.User, names []string, actor string, now time.Time) error {
	if u.Role != store.RoleOfficer {
		return fmt.Errorf("%s is a %s: %w", u.Email, u.Role, ErrNotOfficer)
	}
	was, err := db.OwnersOf(ctx, u.ID)
	if err != nil {
		return err
	}
	detail := fmt.Sprintf("lead owners of %s: %s (were: %s)", Describe(u), strings.Join(names, "; "), strings.Join(was, "; "))
	return db.ReplaceOwners(ctx, u.ID, names, store.Event{At: now, Actor: actor, Action: "user.owners", Detail: detail})
}

// UnlockAccount forgets every failed sign-in for u's account, from every
// address, so that they can sign in at once, and returns how many it forgot.
func UnlockAccount(ctx context.Context, db *store.DB, u store.User, actor string, now time.Time) (int64, error) {
	e := store.Event{At: now, Actor: actor, Action: "user.unlock", Detail: "forgot the failed sign-ins of " + Describe(u)}
	return db.UnlockAccount(ctx, u.Email, e)
}
