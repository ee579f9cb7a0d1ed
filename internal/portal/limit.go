package portal

import (
	"strings"
	"sync"
	"time"
)

// limiter counts failed sign-ins per account and per address over a
// sliding window. When either has reached its limit, sign-in is refused
// (even with the right password) until the oldest failure leaves the window.
type limiter struct {
	perAccount, perAddress int
	window                 time.Duration

	mu       sync.Mutex
	failures map[string][]time.Time // "a:" + email, "i:" + address
	writes   int
}

func newLimiter(perAccount, perAddress int, window time.Duration) *limiter {
	return &limiter{perAccount: perAccount, perAddress: perAddress, window: window, failures: map[string][]time.Time{}}
}

// blocked reports whether a sign-in to account from address is refused now,
// and if so until when.
func (l *limiter) blocked(account, address string, now time.Time) (bool, time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var until time.Time
	for _, c := range []struct {
		key   string
		limit int
	}{{accountKey(account), l.perAccount}, {"i:" + address, l.perAddress}} {
		ts := l.recent(c.key, now)
		if len(ts) >= c.limit {
			if t := ts[len(ts)-c.limit].Add(l.window); t.After(until) {
				until = t
			}
		}
	}
	return !until.IsZero(), until
}

// fail records a failed sign-in.
func (l *limiter) fail(account, address string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, key := range []string{accountKey(account), "i:" + address} {
		l.failures[key] = append(l.recent(key, now), now)
	}
	// Forget keys whose failures have all left the window, now and then,
	// so a stream of made-up accounts cannot grow the map without end.
	if l.writes++; l.writes%256 == 0 {
		for key := range l.failures {
			if len(l.recent(key, now)) == 0 {
				delete(l.failures, key)
			}
		}
	}
}

// succeed forgets an account's failures after a correct password. The
// address's failures stand.
func (l *limiter) succeed(account string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.failures, accountKey(account))
}

// recent returns key's failures within the window, dropping older ones.
func (l *limiter) recent(key string, now time.Time) []time.Time {
	ts := l.failures[key]
	i := 0
	for i < len(ts) && !ts[i].After(now.Add(-l.window)) {
		i++
	}
	ts = ts[i:]
	if len(ts) == 0 {
		delete(l.failures, key)
		return nil
	}
	l.failures[key] = ts
	return ts
}

func accountKey(email string) string { return "a:" + strings.ToLower(strings.TrimSpace(email)) }
