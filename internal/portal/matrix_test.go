package portal

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
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
	h := newHarness(t)
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
		{"GET /static/style.css", func() request { return request{"GET", "/static/style.css", nil, nil} }, [4]int{200, 200, 200, 200}},
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
		// Last: it ends the sessions.
		{"POST /signout", func() request { return request{"POST", "/signout", nil, nil} }, [4]int{signIn, 303, 303, 303}},
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
