package portal

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// formOf returns what a browser would send from the page's form with the
// given action, before anyone types: its inputs' values (file inputs
// aside) and its checked radio buttons.
func formOf(t *testing.T, body, action string) url.Values {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	attr := func(n *html.Node, key string) (string, bool) {
		for _, a := range n.Attr {
			if a.Key == key {
				return a.Val, true
			}
		}
		return "", false
	}
	var form *html.Node
	var find func(n *html.Node)
	find = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "form" {
			if a, _ := attr(n, "action"); a == action {
				form = n
			}
		}
		for c := n.FirstChild; c != nil && form == nil; c = c.NextSibling {
			find(c)
		}
	}
	find(doc)
	if form == nil {
		t.Fatalf("no form for %s in the page:\n%s", action, body)
	}
	vals := url.Values{}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "input" {
			name, _ := attr(n, "name")
			typ, _ := attr(n, "type")
			value, _ := attr(n, "value")
			_, checked := attr(n, "checked")
			switch {
			case name == "" || typ == "file":
			case typ == "radio" || typ == "checkbox":
				if checked {
					vals.Add(name, value)
				}
			default:
				vals.Add(name, value)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(form)
	return vals
}

// TestClerkFormsKeepEachOther: the clerk's start page has two forms, to open
// a quarter and to add a statement. A mistake in one shows that form again
// as it was sent, and leaves the other as it was on the page, not empty.
func TestClerkFormsKeepEachOther(t *testing.T) {
	h := newHarness(t)
	clerk := h.signedIn("clerk@example.gov.uk")
	quarterForm := func(t *testing.T, body string) (plan, quarter, deadline string) {
		t.Helper()
		f := formOf(t, body, "/clerk/quarters")
		return f.Get("plan"), f.Get("quarter"), f.Get("deadline")
	}
	statementForm := func(t *testing.T, body string) (plan, quarter, kind string) {
		t.Helper()
		f := formOf(t, body, "/clerk/statements")
		return f.Get("plan"), f.Get("quarter"), f.Get("kind")
	}

	t.Run("a form sent without the other's values", func(t *testing.T) {
		// As a page from before this change would send it: the other form
		// gets its defaults.
		res := clerk.post("/clerk/quarters", url.Values{"plan": {testPlan}, "quarter": {"2021-Q2"}, "deadline": {"31/02/2021"}})
		if res.status != http.StatusBadRequest {
			t.Fatal(res.status)
		}
		if p, q, k := statementForm(t, res.body); p != testPlan || q != "" || k != "statement" {
			t.Errorf("add-a-statement form after a mistake in the other: %q, %q, %q", p, q, k)
		}
		res = clerk.upload("/clerk/statements", url.Values{"plan": {"Another Plan"}, "quarter": {"2020-Q3"}, "kind": {"baseline"}}, "", nil)
		if res.status != http.StatusBadRequest {
			t.Fatal(res.status)
		}
		if p, q, d := quarterForm(t, res.body); p != testPlan || q != "" || d != "" {
			t.Errorf("open-a-quarter form after a mistake in the other: %q, %q, %q", p, q, d)
		}
	})

	t.Run("mistakes in each form in turn", func(t *testing.T) {
		page := clerk.get("/clerk").body
		// The clerk forgets the workbook.
		f := formOf(t, page, "/clerk/statements")
		f.Set("plan", "Another Plan")
		f.Set("quarter", "2020-Q3")
		f.Set("kind", "baseline")
		res := clerk.upload("/clerk/statements", f, "", nil)
		if res.status != http.StatusBadRequest {
			t.Fatalf("%d\n%s", res.status, res.body)
		}
		mustContain(t, res.body, `<a href="#statement-file">Select a workbook`)
		if p, q, k := statementForm(t, res.body); p != "Another Plan" || q != "2020-Q3" || k != "baseline" {
			t.Errorf("add-a-statement form, sent with a mistake: %q, %q, %q", p, q, k)
		}
		if p, q, d := quarterForm(t, res.body); p != testPlan || q != "" || d != "" {
			t.Errorf("open-a-quarter form: %q, %q, %q", p, q, d)
		}

		// Then opens a quarter with an impossible deadline.
		f = formOf(t, res.body, "/clerk/quarters")
		f.Set("quarter", "2021-Q2")
		f.Set("deadline", "31/02/2021")
		res = clerk.post("/clerk/quarters", f)
		if res.status != http.StatusBadRequest {
			t.Fatalf("%d\n%s", res.status, res.body)
		}
		mustContain(t, res.body, `<a href="#deadline">Enter the deadline`)
		if p, q, d := quarterForm(t, res.body); p != testPlan || q != "2021-Q2" || d != "31/02/2021" {
			t.Errorf("open-a-quarter form, sent with a mistake: %q, %q, %q", p, q, d)
		}
		if p, q, k := statementForm(t, res.body); p != "Another Plan" || q != "2020-Q3" || k != "baseline" {
			t.Errorf("add-a-statement form after the other's mistake: %q, %q, %q, want it as it was", p, q, k)
		}

		// And the workbook again, now with an empty plan: the quarter form
		// keeps its mistake to put right.
		f = formOf(t, res.body, "/clerk/statements")
		f.Set("plan", "")
		res = clerk.upload("/clerk/statements", f, "agreed.xlsx", xlsx("Another plan", sampleRows))
		if res.status != http.StatusBadRequest {
			t.Fatalf("%d\n%s", res.status, res.body)
		}
		if p, q, k := statementForm(t, res.body); p != "" || q != "2020-Q3" || k != "baseline" {
			t.Errorf("add-a-statement form, sent with an empty plan: %q, %q, %q", p, q, k)
		}
		if p, q, d := quarterForm(t, res.body); p != testPlan || q != "2021-Q2" || d != "31/02/2021" {
			t.Errorf("open-a-quarter form after the other's mistake: %q, %q, %q, want it as it was", p, q, d)
		}
	})
}
