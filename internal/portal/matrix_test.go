package portal

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"papers/internal/store"
)

// Outcomes in the authorisation matrix.
const (
	signIn = -1 // redirected to the sign-in page
	denied = http.StatusForbidden
)

// TestAuthorisation tries every route as each kind of visitor: someone
// signed out, the officer who leads the action (Robert Henderson), another
// officer (Jane Smith) and the clerk. Rows run in order, as the quarter
// would: Robert submits before the clerk accepts and builds.
func TestAuthorisation(t *testing.T) {
	p := newProvider(t, nil)
	h := newHarness(t, withProvider(p))
	useProvider(t, h, p)
	robert := h.signedIn("robert@example.gov.uk")
	jane := h.signedIn("jane@example.gov.uk")
	clerk := h.signedIn("clerk@example.gov.uk")
	visitors := []struct {
		name string
		c    *client
	}{{"anonymous", h.client()}, {"other officer", jane}, {"officer of the action", robert}, {"clerk", clerk}}

	ret := returnFor("Robert Henderson", func(r *row) { r.Update = "Done: " + r.Update })
	// pending returns a fresh upload of Robert's, for the submit row.
	pending := func() string {
		res, id := robert.uploadReturn("Robert Henderson", ret)
		if id == "" {
			t.Fatalf("upload for the submit row: %d", res.status)
		}
		return id
	}
	// spare adds an account for a row on accounts to change, a new one
	// for each visitor, and returns its page's path.
	spares := 0
	spare := func() string {
		spares++
		u := h.addUser(fmt.Sprintf("spare%d@example.gov.uk", spares), "Spare Officer", store.RoleOfficer, "Spare Owner")
		return fmt.Sprintf("/clerk/accounts/%d", u.ID)
	}
	type request struct {
		method, path string
		form         url.Values
		file         []byte
	}
	rows := []struct {
		route string
		req   func() request
		want  [4]int // anonymous, other officer, officer of the action, clerk
	}{
		{"GET /", func() request { return request{"GET", "/", nil, nil} }, [4]int{303, 303, 303, 303}},
		{"GET /signin", func() request { return request{"GET", "/signin", nil, nil} }, [4]int{200, 303, 303, 303}},
		// Public: the button sends anyone not signed in to the provider and
		// anyone signed in home; a callback without this browser's sign-in
		// cookie is refused the same way for everyone.
		{"GET /signin/oidc", func() request { return request{"GET", "/signin/oidc", nil, nil} }, [4]int{303, 303, 303, 303}},
		{"GET /signin/oidc/callback", func() request {
			return request{"GET", "/signin/oidc/callback?code=c&state=s", nil, nil}
		}, [4]int{400, 400, 400, 400}},
		{"GET /healthz", func() request { return request{"GET", "/healthz", nil, nil} }, [4]int{200, 200, 200, 200}},
		{"GET /static/style.css", func() request { return request{"GET", "/static/style.css", nil, nil} }, [4]int{200, 200, 200, 200}},
		{"GET /static/ (the folder)", func() request { return request{"GET", "/static/", nil, nil} }, [4]int{404, 404, 404, 404}},
		{"GET /officer", func() request { return request{"GET", "/officer", nil, nil} }, [4]int{signIn, 200, 200, denied}},
		{"GET return", func() request {
			return request{"GET", h.qpath("/officer", "/return?owner=Robert+Henderson"), nil, nil}
		}, [4]int{signIn, denied, 200, denied}},
		{"POST upload", func() request {
			return request{"POST", h.qpath("/officer", "/upload"), url.Values{"owner": {"Robert Henderson"}}, ret}
		}, [4]int{signIn, denied, 200, denied}},
		{"POST submit", func() request {
			return request{"POST", h.qpath("/officer", "/submit"), url.Values{"pending": {pending()}}, nil}
		}, [4]int{signIn, denied, 200, denied}},
		{"GET /clerk", func() request { return request{"GET", "/clerk", nil, nil} }, [4]int{signIn, denied, denied, 200}},
		{"POST /clerk/quarters", func() request {
			return request{"POST", "/clerk/quarters", url.Values{"plan": {testPlan}, "quarter": {"2021-Q2"}, "deadline": {"2021-04-15"}}, nil}
		}, [4]int{signIn, denied, denied, 303}},
		{"POST /clerk/statements", func() request {
			return request{"POST", "/clerk/statements", url.Values{"plan": {"Other Plan"}, "quarter": {"2020-Q4"}, "kind": {"baseline"}}, xlsx("Other", sampleRows)}
		}, [4]int{signIn, denied, denied, 200}},
		{"GET quarter", func() request { return request{"GET", h.qpath("/clerk", ""), nil, nil} }, [4]int{signIn, denied, denied, 200}},
		{"GET chase.csv", func() request { return request{"GET", h.qpath("/clerk", "/chase.csv"), nil, nil} }, [4]int{signIn, denied, denied, 200}},
		{"POST accept", func() request { return request{"POST", h.qpath("/clerk", "/accept"), nil, nil} }, [4]int{signIn, denied, denied, 303}},
		{"POST report", func() request {
			return request{"POST", h.qpath("/clerk", "/report"), url.Values{"meeting": {"2021-01-28"}}, nil}
		}, [4]int{signIn, denied, denied, 303}},
		{"GET report/pdf", func() request { return request{"GET", h.qpath("/clerk", "/report/pdf"), nil, nil} }, [4]int{signIn, denied, denied, 200}},
		{"GET report/docx", func() request { return request{"GET", h.qpath("/clerk", "/report/docx"), nil, nil} }, [4]int{signIn, denied, denied, 200}},
		{"GET report/json", func() request { return request{"GET", h.qpath("/clerk", "/report/json"), nil, nil} }, [4]int{signIn, denied, denied, 200}},
		{"GET history", func() request { return request{"GET", fmt.Sprintf("/clerk/plans/%d/history", h.planID), nil, nil} }, [4]int{signIn, denied, denied, 200}},
		{"POST withdraw", func() request {
			// The plan as agreed that the "POST /clerk/statements" row kept.
			recs, err := h.db.History(context.Background(), "Other Plan")
			if err != nil || len(recs) == 0 {
				t.Fatalf("no statement to withdraw: %v", err)
			}
			return request{"POST", fmt.Sprintf("/clerk/statements/%d/withdraw", recs[0].ID), url.Values{"reason": {"uploaded by mistake"}}, nil}
		}, [4]int{signIn, denied, denied, 303}},
		{"GET /clerk/accounts", func() request { return request{"GET", "/clerk/accounts", nil, nil} }, [4]int{signIn, denied, denied, 200}},
		{"GET account", func() request { return request{"GET", spare(), nil, nil} }, [4]int{signIn, denied, denied, 200}},
		{"POST invite", func() request {
			spares++
			return request{"POST", "/clerk/accounts/invite", url.Values{"owner": {"Cllr Paffey"}, "name": {"Pat Paffey"}, "email": {fmt.Sprintf("pat%d@example.gov.uk", spares)}}, nil}
		}, [4]int{signIn, denied, denied, 303}},
		{"POST account disable", func() request { return request{"POST", spare() + "/disable", nil, nil} }, [4]int{signIn, denied, denied, 303}},
		{"POST account enable", func() request { return request{"POST", spare() + "/enable", nil, nil} }, [4]int{signIn, denied, denied, 303}},
		{"POST account remove", func() request {
			return request{"POST", spare() + "/remove", url.Values{"confirm": {"yes"}}, nil}
		}, [4]int{signIn, denied, denied, 303}},
		{"POST account role", func() request {
			return request{"POST", spare() + "/role", url.Values{"role": {"clerk"}}, nil}
		}, [4]int{signIn, denied, denied, 303}},
		{"POST account owners", func() request {
			return request{"POST", spare() + "/owners", url.Values{"owners": {"Jane Smith"}}, nil}
		}, [4]int{signIn, denied, denied, 303}},
		{"POST account reset", func() request { return request{"POST", spare() + "/reset", nil, nil} }, [4]int{signIn, denied, denied, 303}},
		{"POST account unlock", func() request { return request{"POST", spare() + "/unlock", nil, nil} }, [4]int{signIn, denied, denied, 303}},
		{"GET /password", func() request { return request{"GET", "/password", nil, nil} }, [4]int{signIn, 200, 200, 200}},
		{"POST /password", func() request {
			return request{"POST", "/password", url.Values{"current": {"not the password"}, "password": {"a much longer password"}, "confirm": {"a much longer password"}}, nil}
		}, [4]int{signIn, 400, 400, 400}},
		{"POST choose", func() request {
			return request{"POST", h.qpath("/clerk", "/choose"), url.Values{"key": {"2.1:update"}, "choice": {"1"}}, nil}
		}, [4]int{signIn, denied, denied, http.StatusConflict}},
		// A page with a button to sign out; the sign-out itself is the POST.
		{"GET /signout", func() request { return request{"GET", "/signout", nil, nil} }, [4]int{303, 200, 200, 200}},
		// Last: it ends the sessions.
		{"POST /signout", func() request { return request{"POST", "/signout", nil, nil} }, [4]int{signIn, 303, 303, 303}},
	}
	// Every route the portal serves has a row here, or a test of its own.
	routes := map[string]string{
		"GET /static/": "GET /static/style.css", "GET /{$}": "GET /", "GET /signin": "GET /signin",
		"GET /healthz":              "GET /healthz", // and TestHealthz
		"POST /signin":              "",             // TestCSRF, TestBruteForce, TestSessionFixation
		"GET /signout":              "GET /signout",
		"GET /signin/oidc":          "GET /signin/oidc",          // and TestOIDCSignIn
		"GET /signin/oidc/callback": "GET /signin/oidc/callback", // and TestOIDCRefused
		"POST /signout":             "POST /signout",
		"GET /password":             "GET /password",
		"POST /password":            "POST /password",
		"GET /officer":              "GET /officer",
		"GET /officer/quarters/{plan}/{quarter}/return":  "GET return",
		"POST /officer/quarters/{plan}/{quarter}/upload": "POST upload",
		"POST /officer/quarters/{plan}/{quarter}/submit": "POST submit",
		"GET /clerk":                                         "GET /clerk",
		"POST /clerk/quarters":                               "POST /clerk/quarters",
		"POST /clerk/statements":                             "POST /clerk/statements",
		"POST /clerk/statements/{id}/withdraw":               "POST withdraw",
		"GET /clerk/quarters/{plan}/{quarter}":               "GET quarter",
		"GET /clerk/quarters/{plan}/{quarter}/chase.csv":     "GET chase.csv",
		"POST /clerk/quarters/{plan}/{quarter}/choose":       "POST choose",
		"POST /clerk/quarters/{plan}/{quarter}/accept":       "POST accept",
		"POST /clerk/quarters/{plan}/{quarter}/report":       "POST report",
		"GET /clerk/quarters/{plan}/{quarter}/report/{file}": "GET report/pdf",
		"GET /clerk/plans/{plan}/history":                    "GET history",
		"GET /clerk/accounts":                                "GET /clerk/accounts",
		"POST /clerk/accounts/invite":                        "POST invite",
		"GET /clerk/accounts/{id}":                           "GET account",
		"POST /clerk/accounts/{id}/disable":                  "POST account disable",
		"POST /clerk/accounts/{id}/enable":                   "POST account enable",
		"POST /clerk/accounts/{id}/remove":                   "POST account remove",
		"POST /clerk/accounts/{id}/role":                     "POST account role",
		"POST /clerk/accounts/{id}/owners":                   "POST account owners",
		"POST /clerk/accounts/{id}/reset":                    "POST account reset",
		"POST /clerk/accounts/{id}/unlock":                   "POST account unlock",
		"/":                                                  "", // TestErrorPages
	}
	src, err := os.ReadFile("portal.go")
	if err != nil {
		t.Fatal(err)
	}
	served := regexp.MustCompile(`m\.Handle(?:Func)?\("([^"]+)"`).FindAllStringSubmatch(string(src), -1)
	if len(served) < 10 {
		t.Fatalf("found only %d routes in portal.go", len(served))
	}
	names := map[string]bool{}
	for _, row := range rows {
		names[row.route] = true
	}
	for _, m := range served {
		name, ok := routes[m[1]]
		if !ok || (name != "" && !names[name]) {
			t.Errorf("route %q has no row in the authorisation matrix", m[1])
		}
	}

	for _, row := range rows {
		for i, v := range visitors {
			t.Run(row.route+"/"+v.name, func(t *testing.T) {
				req := row.req()
				var res result
				switch {
				case req.method == "GET":
					res = v.c.get(req.path)
				case req.file != nil:
					res = v.c.upload(req.path, req.form, "return.xlsx", req.file)
				default:
					res = v.c.post(req.path, req.form)
				}
				want := row.want[i]
				if want == signIn {
					if loc := res.header.Get("Location"); res.status != http.StatusSeeOther || !strings.HasPrefix(loc, "/signin?next=") {
						t.Errorf("%d → %q, want a redirect to sign in", res.status, loc)
					}
					return
				}
				if res.status != want {
					t.Errorf("%d, want %d\n%.3000s", res.status, want, res.body)
				}
			})
		}
	}
}
