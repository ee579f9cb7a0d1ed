package portal

import (
	"context"
	"net/http"
	"time"
)

// Defaults for the zero fields of Config that bound reading uploads.
const (
	// DefaultParseLimit is how many uploaded workbooks are read at once.
	// Reading one costs up to about a hundred megabytes (workbook's text
	// bounds); the rest wait their turn.
	DefaultParseLimit = 2
	// DefaultParseWait is how long an upload waits for its turn before the
	// officer is told the portal is busy. A return takes well under a
	// second to read, so a wait this long means the portal is overloaded.
	DefaultParseWait = 30 * time.Second
)

// formMemory is the most of an upload's file held in memory while its
// form is read; the rest goes to a temporary file (with a random name,
// removed when the request ends) until the upload's turn to be read. So
// twenty uploads arriving at once hold twenty megabytes, not twenty times
// the upload limit. Most returns are smaller than this.
const formMemory = 1 << 20

// holdsUpload wraps a handler that holds an uploaded workbook in memory, to
// read it or to store it: it runs when fewer than ParseLimit others are
// running, after waiting up to ParseWait for its turn. A request that
// waits longer gets a 503 page that says the portal is busy; nothing is
// stored.
func (s *Server) holdsUpload(h handler) handler {
	return func(w http.ResponseWriter, r *http.Request, v *visitor) {
		ctx, cancel := context.WithTimeout(r.Context(), s.cfg.ParseWait)
		defer cancel()
		select {
		case s.parsing <- struct{}{}:
			defer func() { <-s.parsing }()
			h(w, r, v)
			return
		case <-ctx.Done():
		}
		if r.Context().Err() != nil {
			return // the browser has gone: there is no one to answer
		}
		s.log.WarnContext(r.Context(), "upload refused: the portal is busy", "path", r.URL.Path, "reading", cap(s.parsing), "waited", s.cfg.ParseWait)
		w.Header().Set("Retry-After", "60")
		s.errorPage(w, r, v, http.StatusServiceUnavailable, "The portal is busy",
			"The portal is busy, try again in a minute. Nothing was stored.")
	}
}
