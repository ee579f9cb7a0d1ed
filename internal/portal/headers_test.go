package portal

import (
	"net/http"
	"strings"
	"testing"
)

// TestStaticServesOnlyFiles: /static/ serves the style sheet, and the
// portal's 404 page for its folder or anything not there: no listing.
func TestStaticServesOnlyFiles(t *testing.T) {
	h := newHarness(t)
	c := h.client()
	if res := c.get("/static/style.css"); res.status != http.StatusOK || !strings.Contains(res.body, "font-family") {
		t.Errorf("style sheet: %d", res.status)
	}
	for _, path := range []string{"/static/", "/static/nothing.css", "/static/style.css/"} {
		res := c.get(path)
		if res.status != http.StatusNotFound || strings.Contains(res.body, `href="style.css"`) {
			t.Errorf("%s: %d\n%s", path, res.status, res.body)
		}
		mustContain(t, res.body, "Page not found")
	}
}
