package portal

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"papers/internal/store"
)

func TestChooseConflict(t *testing.T) {
	h := newHarness(t)
	robert := h.signedIn("robert@example.gov.uk")
	jane := h.signedIn("jane@example.gov.uk")
	submit := func(c *client, owner, update21 string) {
		t.Helper()
		_, id := c.uploadReturn(owner, returnFor(owner, func(r *row) {
			r.Update = "Update from " + owner
			if r.Ref == "2.1" {
				r.Update = update21
			}
		}))
		if res := c.post(h.qpath("/officer", "/submit"), url.Values{"pending": {id}}); res.status != http.StatusSeeOther {
			t.Fatalf("submit for %s: %d", owner, res.status)
		}
	}
	submit(jane, "Jane Smith", "Records audited in half the teams")
	submit(robert, "Robert Henderson", "Records audited in every team")

	clerk := h.signedIn("clerk@example.gov.uk")
	page := clerk.get(h.qpath("/clerk", ""))
	mustContain(t, page.body, "Conflicts to resolve",
		`<input type="hidden" name="key" value="2.1:update">`,
		`<input class="radio-input" type="radio" id="choice-0-1" name="choice" value="1">`,
		`<label class="radio-label" for="choice-0-1">“Records audited in half the teams” from Jane Smith</label>`,
		`<label class="radio-label" for="choice-0-2">“Records audited in every team” from Robert Henderson</label>`,
		"Use this")
	choose := h.qpath("/clerk", "/choose")

	// Refused: nothing chosen, no CSRF token, an officer, anonymous, an unknown conflict.
	res := clerk.post(choose, url.Values{"key": {"2.1:update"}})
	if res.status != http.StatusBadRequest {
		t.Errorf("nothing chosen: %d", res.status)
	}
	mustContain(t, res.body, `<a href="#choice-0-1">Choose which value to use for 2.1</a>`)
	if res := clerk.post(choose, url.Values{"key": {"2.1:update"}, "choice": {"2"}, csrfField: {""}}); res.status != http.StatusForbidden {
		t.Errorf("no CSRF token: %d", res.status)
	}
	if res := robert.post(choose, url.Values{"key": {"2.1:update"}, "choice": {"2"}}); res.status != http.StatusForbidden {
		t.Errorf("an officer chooses: %d", res.status)
	}
	if res := h.client().post(choose, url.Values{"key": {"2.1:update"}, "choice": {"2"}}); res.status != http.StatusSeeOther ||
		!strings.HasPrefix(res.header.Get("Location"), "/signin") {
		t.Errorf("anonymous: %d to %q", res.status, res.header.Get("Location"))
	}
	if res := clerk.post(choose, url.Values{"key": {"1.1:update"}, "choice": {"1"}}); res.status != http.StatusConflict {
		t.Errorf("no such conflict: %d", res.status)
	}
	if es := h.events(chooseEvent); len(es) != 0 {
		t.Fatalf("choices recorded by refused requests: %+v", es)
	}

	// The clerk takes Robert's.
	res = clerk.post(choose, url.Values{"key": {"2.1:update"}, "choice": {"2"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("choose: %d\n%s", res.status, res.body)
	}
	page = res.follow(clerk)
	mustContain(t, page.body, notices["chosen"], "Values you chose", "<td>Records audited in every team</td>")
	if strings.Contains(page.body, `name="choice"`) {
		t.Error("the resolved conflict is still offered")
	}
	es := h.events(chooseEvent)
	var d chooseDetail
	if len(es) != 1 || es[0].Actor != "clerk@example.gov.uk" || json.Unmarshal([]byte(es[0].Detail), &d) != nil ||
		d.Key != "2.1:update" || d.Text != "Records audited in every team" || d.Quarter != testQuarter {
		t.Fatalf("audit: %+v", es)
	}

	// A corrected return changes the values: the choice no longer applies.
	submit(robert, "Robert Henderson", "Records audited in all teams but one")
	mustContain(t, clerk.get(h.qpath("/clerk", "")).body, `for="choice-0-2">“Records audited in all teams but one” from Robert Henderson`)
	if res := clerk.post(h.qpath("/clerk", "/accept"), nil); res.status != http.StatusConflict {
		t.Fatalf("accept with the choice out of date: %d", res.status)
	}
	clerk.post(choose, url.Values{"key": {"2.1:update"}, "choice": {"2"}})

	if res := clerk.post(h.qpath("/clerk", "/accept"), nil); res.status != http.StatusSeeOther {
		t.Fatalf("accept after choosing: %d\n%s", res.status, res.body)
	}
	_, st, err := h.db.Latest(t.Context(), testPlan, store.KindStatement, "")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, a := range st.Actions {
		got[a.Ref] = a.Update
	}
	if got["2.1"] != "Records audited in all teams but one" || got["1.2"] != "Update from Jane Smith" || got["1.1"] != "Update from Robert Henderson" {
		t.Errorf("stored statement's updates: %q", got)
	}
}
