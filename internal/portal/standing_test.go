package portal

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"papers/internal/store"
)

// The chase list names the accounts that answer for each lead owner, by
// email: two for Jane Smith, none for Cllr Paffey, and not a disabled one.
func TestChaseListEmails(t *testing.T) {
	h := newHarness(t)
	h.addUser("jane.deputy@example.gov.uk", "Jo Deputy", store.RoleOfficer, "jane smith")
	gone := h.addUser("old@example.gov.uk", "Old Account", store.RoleOfficer, "Jane Smith")
	if err := h.db.SetDisabled(context.Background(), gone.ID, true, store.Event{At: h.clock.Now(), Actor: "seed", Action: "user.disable", Detail: "x"}); err != nil {
		t.Fatal(err)
	}
	clerk := h.signedIn("clerk@example.gov.uk")
	recs, err := csv.NewReader(strings.NewReader(clerk.get(h.qpath("/clerk", "/chase.csv")).body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range recs[1:] {
		got[r[0]] = r[len(r)-1]
	}
	want := map[string]string{
		"Jane Smith":       "jane.deputy@example.gov.uk; jane@example.gov.uk",
		"Robert Henderson": "robert@example.gov.uk",
		"Cllr Paffey":      "",
	}
	if recs[0][len(recs[0])-1] != "Email" || !reflect.DeepEqual(got, want) {
		t.Errorf("emails in the chase list: header %q, %v; want %v", recs[0], got, want)
	}
}

func TestStandings(t *testing.T) {
	h := newHarness(t)
	h.addStoredReturn("Robert Henderson")
	sts, err := Standings(context.Background(), h.db)
	if err != nil {
		t.Fatal(err)
	}
	if len(sts) != 1 {
		t.Fatalf("%d standings, want 1", len(sts))
	}
	st := sts[0]
	if st.Quarter.Label != testQuarter || st.Quarter.Plan != testPlan || st.Quarter.Deadline.Format("2006-01-02") != "2021-01-15" || st.Quarter.Accepted {
		t.Errorf("quarter %+v", st.Quarter)
	}
	var lines []string
	for _, o := range st.Owners {
		l := o.Owner + ":"
		if o.Return != nil {
			l += "received"
		}
		for _, c := range o.Contacts {
			l += " " + c.Email
		}
		lines = append(lines, l)
	}
	want := []string{"Cllr Paffey:", "Jane Smith: jane@example.gov.uk", "Robert Henderson:received robert@example.gov.uk"}
	if !reflect.DeepEqual(lines, want) {
		t.Errorf("owners %q, want %q", lines, want)
	}
	if len(st.Returns) != 1 || st.Returns[0].Owner != "Robert Henderson" {
		t.Errorf("returns %+v", st.Returns)
	}
	if len(st.Clerks) != 1 || st.Clerks[0] != (Contact{"Clara Clerk", "clerk@example.gov.uk"}) {
		t.Errorf("clerks %+v", st.Clerks)
	}
}

// Submitting a return wakes the scheduler's email (for its receipt); the
// same file submitted again stores nothing and wakes nothing.
func TestSubmitWakesEmail(t *testing.T) {
	var wakes atomic.Int32
	h := newHarness(t, func(c *Config) { c.Submitted = func() { wakes.Add(1) } })
	robert := h.signedIn("robert@example.gov.uk")
	b := returnFor("Robert Henderson", func(r *row) { r.Update = "Done: " + r.Update })
	for i := range 2 {
		_, id := robert.uploadReturn("Robert Henderson", b)
		if res := robert.post(h.qpath("/officer", "/submit"), url.Values{"pending": {id}}); res.status != http.StatusSeeOther {
			t.Fatalf("submit %d: %d", i+1, res.status)
		}
	}
	if n := len(h.returns()); n != 1 {
		t.Fatalf("%d returns stored", n)
	}
	if n := wakes.Load(); n != 1 {
		t.Errorf("email woken %d times, want once", n)
	}
	// A return the clerk enters for a lead owner wakes it too.
	clerk := h.signedIn("clerk@example.gov.uk")
	jane := returnFor("Jane Smith", func(r *row) { r.Update = "Phoned in: " + r.Update })
	if res := clerk.upload(h.qpath("/clerk", "/returns"), url.Values{"owner": {"Jane Smith"}}, "return.xlsx", jane); res.status != http.StatusSeeOther {
		t.Fatalf("enter a return: %d\n%.2000s", res.status, res.body)
	}
	if n := wakes.Load(); n != 2 {
		t.Errorf("email woken %d times after the clerk entered a return, want twice", n)
	}
}
