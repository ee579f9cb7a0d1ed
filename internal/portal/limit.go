package portal

import (
	"context"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"papers/internal/store"
)

// limiter throttles password guessing. Failed sign-ins are kept in the
// history database, so a restart does not reset them and every portal on
// one database shares them. A sign-in is refused, even with the right
// password, when in the window:
//   - this address has failed perAccount times for this account;
//   - this address has failed perAddress times, for any accounts (someone
//     trying one password against many accounts);
//   - the account has failed perAccount times from anywhere, and this
//     address has itself been failing (someone spreading guesses across
//     addresses).
//
// An address that has not been failing is never refused: wrong guesses by
// someone else cannot lock a person out of their own account.
type limiter struct {
	db                     *store.DB
	perAccount, perAddress int
	window                 time.Duration
}

// blocked reports whether a sign-in to account from address is refused now,
// and if so until when.
func (l *limiter) blocked(ctx context.Context, account, address string, now time.Time) (bool, time.Time, error) {
	account = accountKey(account)
	since := now.Add(-l.window)
	fromHere, err := l.db.SignInFailures(ctx, "", address, since, l.perAddress)
	if err != nil || len(fromHere) == 0 {
		return false, time.Time{}, err
	}
	var until time.Time
	later := func(ts []time.Time, limit int) {
		if len(ts) >= limit {
			until = maxTime(until, ts[limit-1].Add(l.window))
		}
	}
	later(fromHere, l.perAddress)
	pair, err := l.db.SignInFailures(ctx, account, address, since, l.perAccount)
	if err != nil {
		return false, time.Time{}, err
	}
	later(pair, l.perAccount)
	anywhere, err := l.db.SignInFailures(ctx, account, "", since, l.perAccount)
	if err != nil {
		return false, time.Time{}, err
	}
	if len(anywhere) >= l.perAccount {
		// Lifted when the account's failures age out, or this address's.
		until = maxTime(until, minTime(anywhere[l.perAccount-1].Add(l.window), fromHere[0].Add(l.window)))
	}
	return !until.IsZero(), until, nil
}

// fail records a failed sign-in.
func (l *limiter) fail(ctx context.Context, account, address string, now time.Time) error {
	return l.db.AddSignInFailure(ctx, store.SignInFailure{At: now, Account: accountKey(account), Address: address}, now.Add(-l.window))
}

// succeed forgets the failures for account from address after a correct
// password. The account's failures from elsewhere, and the address's for
// other accounts, stand.
func (l *limiter) succeed(ctx context.Context, account, address string) error {
	return l.db.ClearSignInFailures(ctx, accountKey(account), address)
}

func accountKey(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// clientAddress is the address a request came from, as throttling counts
// it. X-Forwarded-For is believed only when the request came from one of
// the configured proxies, and then only as far back as the first address
// that is not one of them: anything further left is whatever the client
// chose to send. An IPv6 client counts as its /64, which one household or
// office usually holds whole.
func (s *Server) clientAddress(r *http.Request) string {
	peer, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	addr := peer.Addr().Unmap()
	if s.trustedProxy(addr) {
		hops := r.Header.Values("X-Forwarded-For")
		var all []string
		for _, h := range hops {
			all = append(all, strings.Split(h, ",")...)
		}
		for i := len(all) - 1; i >= 0; i-- {
			hop, ok := parseHop(all[i])
			if !ok {
				break
			}
			addr = hop
			if !s.trustedProxy(hop) {
				break
			}
		}
	}
	if addr.Is6() {
		p, _ := addr.Prefix(64)
		return p.String()
	}
	return addr.String()
}

// parseHop reads one address of X-Forwarded-For, with or without a port.
func parseHop(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap(), true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap(), true
	}
	return netip.Addr{}, false
}

func (s *Server) trustedProxy(a netip.Addr) bool {
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
