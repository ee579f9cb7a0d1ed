package portal

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"papers/internal/store"
	"papers/internal/store/pgtest"
)

// twin starts a second portal, with its own connection to h's database, as
// a second papers serve process behind one load balancer would be. Its
// harness shares h's clock and records; a client is sent to it by setting
// its h.
func (h *harness) twin() *harness {
	h.t.Helper()
	db, err := store.Open(context.Background(), h.database)
	if err != nil {
		h.t.Fatal(err)
	}
	h.t.Cleanup(func() { db.Close() })
	cfg := h.cfg
	cfg.Store = db
	srv, err := New(cfg)
	if err != nil {
		h.t.Fatal(err)
	}
	t := *h
	t.db, t.srv, t.cfg = db, srv, cfg
	t.ts = httptest.NewServer(srv)
	h.t.Cleanup(t.ts.Close)
	return &t
}

// TestTwoPortalsBehaveAsOne: two portals on one database, with a client
// sent to either at each request as a load balancer would, behave as one
// portal. Both share the client's cookies (a cookie jar does not tell
// ports apart). On PostgreSQL (PAPERS_TEST_POSTGRES) and on one SQLite file.
func TestTwoPortalsBehaveAsOne(t *testing.T) {
	for _, backend := range []string{"postgres", "sqlite"} {
		t.Run(backend, func(t *testing.T) {
			database := ""
			if backend == "postgres" {
				database = pgtest.NewDatabase(t)
			}
			a := newBareHarnessOn(t, database, behindProxy)
			a.openQuarter(testQuarter, "2021-01-15")
			b := a.twin()

			t.Run("a sign-in on one is honoured by the other", func(t *testing.T) {
				c := a.signedIn("robert@example.gov.uk")
				c.h = b
				res := c.get("/officer")
				if res.status != http.StatusOK {
					t.Fatalf("the other portal: %d, want 200 (signed in)", res.status)
				}
				mustContain(t, res.body, "Robert Henderson")
				// Signing out on the other ends the session on both.
				if res := c.post("/signout", nil); res.status != http.StatusSeeOther {
					t.Fatalf("sign out: %d", res.status)
				}
				c.h = a
				if res := c.get("/officer"); res.status != http.StatusSeeOther {
					t.Errorf("signed out on one portal, the other still serves the session: %d", res.status)
				}
			})

			t.Run("a sign-in form served by one is accepted by the other", func(t *testing.T) {
				c := a.client()
				page := c.get("/signin")
				c.h = b
				res := c.post("/signin", url.Values{"email": {"robert@example.gov.uk"}, "password": {testPassword}, csrfField: {csrfOf(t, page.body)}})
				if res.status != http.StatusSeeOther {
					t.Fatalf("sign-in form from the first portal, sent to the second: %d\n%s", res.status, res.body)
				}
				c.h = a
				if res := c.get("/officer"); res.status != http.StatusOK {
					t.Errorf("signed in on the second portal, the first: %d", res.status)
				}
			})

			t.Run("throttling is shared", func(t *testing.T) {
				from := "203.0.113.40"
				for i := range DefaultSignInLimit {
					h := a
					if i%2 == 1 {
						h = b
					}
					if res := h.clientFrom(from).signIn("jane@example.gov.uk", "guess"); res.status != http.StatusBadRequest {
						t.Fatalf("guess %d: %d", i+1, res.status)
					}
				}
				for name, h := range map[string]*harness{"first": a, "second": b} {
					if res := h.clientFrom(from).signIn("jane@example.gov.uk", testPassword); res.status != http.StatusTooManyRequests {
						t.Errorf("%s portal, after %d failures spread over both: %d, want 429", name, DefaultSignInLimit, res.status)
					}
				}
			})

			t.Run("an upload started on one is submitted on the other", func(t *testing.T) {
				c := a.signedIn("robert@example.gov.uk")
				res, id := c.uploadReturn("Robert Henderson", returnFor("Robert Henderson", func(r *row) { r.Update = "Done on two portals" }))
				if id == "" {
					t.Fatalf("upload on the first portal: %d, no pending upload\n%s", res.status, res.body)
				}
				c.h = b
				if res := c.post(b.qpath("/officer", "/submit"), url.Values{"pending": {id}}); res.status != http.StatusSeeOther {
					t.Fatalf("submit on the second portal: %d\n%s", res.status, res.body)
				}
				rs := a.returns()
				if len(rs) != 1 || rs[0].Owner != "Robert Henderson" {
					t.Fatalf("returns stored: %+v, want Robert Henderson's", rs)
				}
				// Submitted once: the first portal no longer has it.
				c.h = a
				if res := c.post(a.qpath("/officer", "/submit"), url.Values{"pending": {id}}); res.status == http.StatusOK {
					t.Errorf("the same upload submitted again on the first portal")
				}
				if n := len(b.returns()); n != 1 {
					t.Errorf("%d returns after the second submission, want 1", n)
				}
			})
		})
	}
}
