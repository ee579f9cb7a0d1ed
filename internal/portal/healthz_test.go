package portal

import (
	"net/http"
	"testing"
)

func TestHealthz(t *testing.T) {
	t.Run("database answers: 200 ok, no session, not cached", func(t *testing.T) {
		h := newBareHarness(t)
		res := h.client().get("/healthz")
		if res.status != http.StatusOK || res.body != "ok\n" {
			t.Errorf("%d %q, want 200 \"ok\\n\"", res.status, res.body)
		}
		if cc := res.header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control %q, want no-store", cc)
		}
		if sc := res.header.Values("Set-Cookie"); len(sc) > 0 {
			t.Errorf("a health check set cookies: %q", sc)
		}
	})
	t.Run("database closed: 503", func(t *testing.T) {
		h := newBareHarness(t)
		h.db.Close()
		res := h.client().get("/healthz")
		if res.status != http.StatusServiceUnavailable {
			t.Errorf("%d %q, want 503", res.status, res.body)
		}
		if res.body == "ok\n" {
			t.Errorf("a closed database reported ok")
		}
		if cc := res.header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control %q, want no-store", cc)
		}
	})
}
