package portal

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode"
)

// TestLocalPath: known ways of smuggling another site into a "next" path,
// each given as the portal receives it (the query already decoded once).
func TestLocalPath(t *testing.T) {
	refused := []string{
		"",
		"/\t/evil.example/", // the probe's %2F%09%2Fevil.example%2F
		"/\n/evil.example/",
		"/\r/evil.example/",
		"/ /evil.example/",
		"/\u3000/evil.example/", // ideographic space
		"/\u200b/evil.example/", // zero-width space
		"/\x00/evil.example/",
		"/\x7f/evil.example/",
		"//evil.example",
		"///evil.example",
		"/\\evil.example",
		"\\\\evil.example",
		"/\\/evil.example",
		"/%2F/evil.example", // "//" once decoded
		"/%2f%2fevil.example",
		"/%5Cevil.example",  // a backslash once decoded
		"/%09/evil.example", // a tab once decoded
		"/%0a/evil.example",
		"/%zz",               // not decodable
		"%2F%2Fevil.example", // still encoded: not a path
		"%2F%09%2Fevil.example%2F",
		"https://evil.example/",
		"http:/evil.example",
		"//evil.example/%2F..",
		"javascript:alert(1)",
		"evil.example",
		" /clerk",
		"/clerk\x00",
		"/" + strings.Repeat("a", 3000),
	}
	for _, p := range refused {
		if got := localPath(p); got != "/" {
			t.Errorf("localPath(%q) = %q, want /", p, got)
		}
	}
	kept := []string{
		"/",
		"/clerk",
		"/officer",
		"/clerk/quarters/1/2021-Q1",
		"/clerk/quarters/1/2021-Q1?done=opened",
		"/clerk/plans/1/history#statements",
		"/signin?next=%2Fclerk",
	}
	for _, p := range kept {
		if got := localPath(p); got != p {
			t.Errorf("localPath(%q) = %q, want it kept", p, got)
		}
	}
}

// TestSignInNeverRedirectsAway: the probe's request, signed in and not, and
// the sign-in form's hidden next, never give a Location a browser could
// read as another site.
func TestSignInNeverRedirectsAway(t *testing.T) {
	h := newHarness(t)
	bad := []string{"%2F%09%2Fevil.example%2F", "%2F%5Cevil.example", "%2F%2Fevil.example", "https%3A%2F%2Fevil.example"}
	check := func(what string, res result) {
		t.Helper()
		loc := res.header.Get("Location")
		if loc == "" {
			t.Fatalf("%s: no redirect (%d)", what, res.status)
		}
		if !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") || strings.ContainsAny(loc, "\\") ||
			strings.IndexFunc(loc, unicode.IsControl) >= 0 || strings.Contains(loc, "evil") {
			t.Errorf("%s: Location %q", what, loc)
		}
	}
	c := h.signedIn("clerk@example.gov.uk")
	for _, next := range bad {
		check("signed in, GET /signin?next="+next, c.get("/signin?next="+next))
	}
	for _, next := range bad {
		n, _ := url.QueryUnescape(next)
		o := h.client()
		page := o.get("/signin?next=" + next)
		if strings.Contains(page.body, "evil") {
			t.Errorf("sign-in form keeps next=%q", n)
		}
		res := o.post("/signin", url.Values{"email": {"robert@example.gov.uk"}, "password": {testPassword},
			"next": {n}, csrfField: {csrfOf(t, page.body)}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("sign in with next=%q: %d", n, res.status)
		}
		check("POST /signin next="+n, res)
	}
}
