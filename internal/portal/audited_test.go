package portal

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"papers/internal/store"
)

// TestStoredWithAudit checks that each return and accepted statement is in
// the audit log with its own SHA-256 and version (they are written in one
// transaction: see store.TestAudited for a failing audit write).
func TestStoredWithAudit(t *testing.T) {
	h := newHarness(t)
	robert := h.signedIn("robert@example.gov.uk")
	for i, update := range []string{"First go", "Second go"} {
		_, id := robert.uploadReturn("Robert Henderson", returnFor("Robert Henderson", func(r *row) { r.Update = update }))
		if res := robert.post(h.qpath("/officer", "/submit"), url.Values{"pending": {id}}); res.status != http.StatusSeeOther {
			t.Fatalf("submit %d: %d", i+1, res.status)
		}
	}
	rets := h.returns()
	evs := h.events("return.submit")
	if len(rets) != 2 || len(evs) != 2 {
		t.Fatalf("%d returns, %d audit events; want 2 and 2", len(rets), len(evs))
	}
	for i, rec := range rets {
		if evs[i].SHA256 != rec.SHA256 || !strings.Contains(evs[i].Detail, "Robert Henderson, version "+string(rune('1'+i))+",") ||
			strings.Contains(evs[i].Detail, store.VersionMark) {
			t.Errorf("return version %d (sha-256 %s): audit %+v", rec.Version, rec.SHA256, evs[i])
		}
	}

	clerk := h.signedIn("clerk@example.gov.uk")
	if res := clerk.post(h.qpath("/clerk", "/accept"), nil); res.status != http.StatusSeeOther {
		t.Fatalf("accept: %d\n%s", res.status, res.body)
	}
	var accepted store.StatementRecord
	for _, st := range h.statements() {
		if st.Quarter == testQuarter {
			accepted = st
		}
	}
	evs = h.events("statement.accept")
	if len(evs) != 1 || accepted.ID == 0 || evs[0].SHA256 != accepted.SHA256 ||
		!strings.Contains(evs[0].Detail, "statement version 1,") || !strings.Contains(evs[0].Detail, "Robert Henderson v2") {
		t.Errorf("accepted %+v: audit %+v", accepted, evs)
	}
}
