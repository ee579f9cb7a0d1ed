package portal

import (
	"context"
	"slices"
	"strings"

	"papers/internal/plan"
	"papers/internal/store"
)

// Standing is a quarter as it stands: who has returned and who has not,
// and how to reach them. The scheduler's email (package notify) is made
// from it, by the same rules as the clerk's chase list.
type Standing struct {
	Quarter Quarter
	// Owners is every lead owner with open actions in the latest
	// statement: outstanding first, then by name, as in the chase list.
	Owners []OwnerStanding
	// Returns is every version of every return received for the quarter.
	Returns []store.ReturnRecord
	// Clerks are the enabled clerk accounts.
	Clerks []Contact
}

// OwnerStanding is a lead owner's line in the chase list, with the
// accounts that answer for them.
type OwnerStanding struct {
	Owner    string
	Actions  int                 // open actions
	Return   *store.ReturnRecord // the latest return, nil when outstanding
	Late     bool
	Contacts []Contact // enabled officer accounts that answer for the owner, by email
}

// Contact is an account's name and email.
type Contact struct {
	Name, Email string
}

// Standings returns every quarter opened that has a statement to make
// returns from, newest first.
func Standings(ctx context.Context, db *store.DB) ([]Standing, error) {
	// The portal's own readers of quarters and returns: only the history is
	// needed for them.
	s := &Server{db: db, quarters: &quarterBook{db: db}}
	qs, err := s.quarters.all(ctx)
	if err != nil {
		return nil, err
	}
	if qs, err = s.withStatus(ctx, qs); err != nil {
		return nil, err
	}
	officers, clerks, err := contacts(ctx, db)
	if err != nil {
		return nil, err
	}
	var out []Standing
	for _, q := range qs {
		latest, _, err := s.latest(ctx, q)
		if isNotFound(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		rows, err := s.chaseList(ctx, q, latest)
		if err != nil {
			return nil, err
		}
		st := Standing{Quarter: q, Clerks: clerks}
		for _, r := range rows {
			st.Owners = append(st.Owners, OwnerStanding{Owner: r.Owner, Actions: r.Actions, Return: r.Return, Late: r.Late,
				Contacts: officers.of(r.Owner)})
		}
		if st.Returns, err = db.ReturnsFor(ctx, q.Plan, q.Label); err != nil && !isNotFound(err) {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

// ownerContacts are the enabled officers' accounts by the lead owners they
// answer for.
type ownerContacts map[string][]Contact // nameKey → contacts

func (oc ownerContacts) of(owner string) []Contact { return oc[plan.OwnerKey(owner)] }

// contacts reads the enabled accounts: officers by lead owner, and clerks.
func contacts(ctx context.Context, db *store.DB) (ownerContacts, []Contact, error) {
	users, err := db.Users(ctx) // by email
	if err != nil {
		return nil, nil, err
	}
	officers := ownerContacts{}
	var clerks []Contact
	for _, u := range users {
		if u.Disabled {
			continue
		}
		c := Contact{Name: u.Name, Email: u.Email}
		if u.Role == store.RoleClerk {
			clerks = append(clerks, c)
			continue
		}
		owners, err := db.OwnersOf(ctx, u.ID)
		if err != nil {
			return nil, nil, err
		}
		for _, o := range owners {
			k := plan.OwnerKey(o)
			if !slices.Contains(officers[k], c) {
				officers[k] = append(officers[k], c)
			}
		}
	}
	return officers, clerks, nil
}

// emails is the contacts' addresses, as one CSV cell.
func emails(cs []Contact) string {
	var es []string
	for _, c := range cs {
		es = append(es, c.Email)
	}
	return strings.Join(es, "; ")
}
