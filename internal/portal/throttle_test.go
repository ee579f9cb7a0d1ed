package portal

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"testing"
	"time"
)

// behindProxy is a portal that trusts the test's loopback address as its
// proxy, so each client's X-Forwarded-For is where it signs in from.
func behindProxy(c *Config) {
	c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
}

func (h *harness) clientFrom(addr string) *client {
	c := h.client()
	c.from = addr
	return c
}

// TestLockoutIsNotAWeapon is the probe's attack: someone else's wrong
// passwords, and a stream of made-up accounts, must not keep a person out
// of their own account from where they are.
func TestLockoutIsNotAWeapon(t *testing.T) {
	h := newHarness(t, behindProxy)
	attacker := h.clientFrom("203.0.113.66")
	for i := range DefaultSignInLimit {
		if res := attacker.signIn("clerk@example.gov.uk", "guess"+strconv.Itoa(i)); res.status != http.StatusBadRequest {
			t.Fatalf("guess %d: %d", i+1, res.status)
		}
	}
	for i := range DefaultSignInIPLimit {
		attacker.signIn("made-up-"+strconv.Itoa(i)+"@example.gov.uk", "guess")
	}
	// The attacker is held up, even with the right password.
	if res := attacker.signIn("clerk@example.gov.uk", testPassword); res.status != http.StatusTooManyRequests {
		t.Errorf("the failing address, right password: %d", res.status)
	}
	// The clerk, and an officer, from their own desks are not.
	for _, who := range []struct{ email, from string }{
		{"clerk@example.gov.uk", "198.51.100.10"},
		{"robert@example.gov.uk", "198.51.100.11"},
		{"jane@example.gov.uk", "2001:db8:1:2::7"},
	} {
		if res := h.clientFrom(who.from).signIn(who.email, testPassword); res.status != http.StatusSeeOther {
			t.Errorf("%s from %s, right password: %d", who.email, who.from, res.status)
		}
	}
}

// TestThrottleByAccountAndAddress: each rule on its own.
func TestThrottleByAccountAndAddress(t *testing.T) {
	t.Run("one address, one account", func(t *testing.T) {
		h := newHarness(t, behindProxy)
		a := h.clientFrom("203.0.113.1")
		for range DefaultSignInLimit {
			a.signIn("robert@example.gov.uk", "guess")
		}
		if res := a.signIn("robert@example.gov.uk", testPassword); res.status != http.StatusTooManyRequests {
			t.Errorf("after %d failures: %d", DefaultSignInLimit, res.status)
		}
		// The same address may still sign in to another account: it has not
		// reached the address limit.
		if res := a.signIn("jane@example.gov.uk", testPassword); res.status != http.StatusSeeOther {
			t.Errorf("another account from the same address: %d", res.status)
		}
	})
	t.Run("guesses spread across addresses", func(t *testing.T) {
		h := newHarness(t, behindProxy)
		for i := range DefaultSignInLimit {
			h.clientFrom("203.0.113."+strconv.Itoa(10+i)).signIn("robert@example.gov.uk", "guess")
		}
		// An address that has been failing (here at another account) is
		// refused for the account under attack...
		b := h.clientFrom("203.0.113.99")
		b.signIn("nobody@example.gov.uk", "guess")
		if res := b.signIn("robert@example.gov.uk", testPassword); res.status != http.StatusTooManyRequests {
			t.Errorf("a failing address, account attacked from elsewhere: %d", res.status)
		}
		// ...and one that has not is let in.
		if res := h.clientFrom("198.51.100.5").signIn("robert@example.gov.uk", testPassword); res.status != http.StatusSeeOther {
			t.Errorf("a clean address: %d", res.status)
		}
	})
	t.Run("an IPv6 client counts as its /64", func(t *testing.T) {
		h := newHarness(t, behindProxy)
		for i := range DefaultSignInLimit {
			h.clientFrom("2001:db8:5:6::"+strconv.Itoa(i+1)).signIn("robert@example.gov.uk", "guess")
		}
		if res := h.clientFrom("2001:db8:5:6::ff").signIn("robert@example.gov.uk", testPassword); res.status != http.StatusTooManyRequests {
			t.Errorf("same /64: %d", res.status)
		}
		if res := h.clientFrom("2001:db8:5:7::1").signIn("robert@example.gov.uk", testPassword); res.status != http.StatusSeeOther {
			t.Errorf("another /64: %d", res.status)
		}
	})
	t.Run("a correct password forgets only its own failures", func(t *testing.T) {
		h := newHarness(t, behindProxy)
		a := h.clientFrom("203.0.113.7")
		for range DefaultSignInLimit - 1 {
			a.signIn("robert@example.gov.uk", "guess")
		}
		if res := a.signIn("robert@example.gov.uk", testPassword); res.status != http.StatusSeeOther {
			t.Fatalf("right password before the limit: %d", res.status)
		}
		a = h.clientFrom("203.0.113.7") // signed out
		for range DefaultSignInLimit - 1 {
			a.signIn("robert@example.gov.uk", "guess")
		}
		if res := h.clientFrom("203.0.113.7").signIn("robert@example.gov.uk", testPassword); res.status != http.StatusSeeOther {
			t.Errorf("the count started again after a sign-in: %d", res.status)
		}
	})
}

// TestThrottleSurvivesRestart: the failures are in the database, so a new
// server on it (a restart, or a second portal) still refuses.
func TestThrottleSurvivesRestart(t *testing.T) {
	h := newHarness(t)
	c := h.client()
	for range DefaultSignInLimit {
		c.signIn("robert@example.gov.uk", "guess")
	}
	srv, err := New(h.cfg)
	if err != nil {
		t.Fatal(err)
	}
	h.ts.Close()
	h.ts = httptest.NewServer(srv)
	t.Cleanup(h.ts.Close)
	if res := h.client().signIn("robert@example.gov.uk", testPassword); res.status != http.StatusTooManyRequests {
		t.Errorf("after a restart: %d", res.status)
	}
	h.clock.advance(DefaultSignInWindow + time.Second)
	if res := h.client().signIn("robert@example.gov.uk", testPassword); res.status != http.StatusSeeOther {
		t.Errorf("after the window: %d", res.status)
	}
}

// TestForwardedFor: X-Forwarded-For is believed only from a configured
// proxy, and only up to the first address that is not one.
func TestForwardedFor(t *testing.T) {
	cases := []struct {
		name    string
		trusted []string
		remote  string
		xff     []string
		want    string
	}{
		{"no proxy configured: the header is ignored", nil, "192.0.2.1:5000", []string{"203.0.113.9"}, "192.0.2.1"},
		{"an untrusted peer cannot name itself", []string{"10.0.0.0/8"}, "192.0.2.1:5000", []string{"203.0.113.9"}, "192.0.2.1"},
		{"a trusted proxy names the client", []string{"10.0.0.0/8"}, "10.1.2.3:5000", []string{"203.0.113.9"}, "203.0.113.9"},
		{"a spoofed first hop is ignored", []string{"10.0.0.0/8"}, "10.1.2.3:5000", []string{"1.2.3.4, 203.0.113.9"}, "203.0.113.9"},
		{"two proxies", []string{"10.0.0.0/8"}, "10.1.2.3:5000", []string{"1.2.3.4, 203.0.113.9, 10.9.9.9"}, "203.0.113.9"},
		{"several headers", []string{"10.0.0.0/8"}, "10.1.2.3:5000", []string{"1.2.3.4", "203.0.113.9"}, "203.0.113.9"},
		{"garbage stops the walk", []string{"10.0.0.0/8"}, "10.1.2.3:5000", []string{"203.0.113.9, not-an-address"}, "10.1.2.3"},
		{"an IPv6 client is its /64", []string{"10.0.0.0/8"}, "10.1.2.3:5000", []string{"2001:db8:a:b:c:d:e:f"}, "2001:db8:a:b::/64"},
		{"a mapped IPv4 peer", nil, "[::ffff:192.0.2.1]:5000", nil, "192.0.2.1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := &Server{}
			for _, p := range c.trusted {
				s.cfg.TrustedProxies = append(s.cfg.TrustedProxies, netip.MustParsePrefix(p))
			}
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.RemoteAddr = c.remote
			for _, v := range c.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := s.clientAddress(r); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}
