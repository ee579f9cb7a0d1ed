package portal

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"net/netip"
	"time"
)

// requestIDKey holds a request's ID in its context.
type requestIDKey struct{}

// requestID is the ID given to the request ctx belongs to, "" outside one.
func requestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// newRequestID gives a request its ID: the one a configured proxy has
// already given it (X-Request-ID), so the proxy's log and ours can be
// matched, or else 16 random hex digits. An ID from anyone else is not
// believed: it would let a client write what it liked into the log.
func (s *Server) newRequestID(r *http.Request) string {
	if peer, err := netip.ParseAddrPort(r.RemoteAddr); err == nil && s.trustedProxy(peer.Addr().Unmap()) {
		if id := r.Header.Get("X-Request-ID"); validRequestID(id) {
			return id
		}
	}
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// validRequestID accepts up to 64 letters, digits, '-', '_' and '.'.
func validRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range []byte(id) {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_', c == '.':
		default:
			return false
		}
	}
	return true
}

// contextHandler adds the request ID of the context a record is logged
// with, so every line a request causes can be found by its ID.
type contextHandler struct{ slog.Handler }

func (h contextHandler) Handle(ctx context.Context, rec slog.Record) error {
	if id := requestID(ctx); id != "" {
		rec.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, rec)
}

func (h contextHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return contextHandler{h.Handler.WithAttrs(as)}
}

func (h contextHandler) WithGroup(name string) slog.Handler {
	return contextHandler{h.Handler.WithGroup(name)}
}

// statusWriter remembers the status and size of a response for the log.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequest writes one line for a finished request: its ID, method, path
// (never the query, which may hold a sign-in's next page), status, size,
// time taken and where it came from. Health checks, which a load balancer
// makes every few seconds, are logged only at debug level.
func (s *Server) logRequest(r *http.Request, w *statusWriter, start time.Time) {
	level := slog.LevelInfo
	if r.URL.Path == "/healthz" && w.status < 500 {
		level = slog.LevelDebug
	}
	status := w.status
	if status == 0 {
		status = http.StatusOK
	}
	s.log.LogAttrs(r.Context(), level, "request",
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.Int("status", status),
		slog.Int64("bytes", w.bytes),
		slog.Duration("took", s.cfg.Now().Sub(start)),
		slog.String("address", s.clientAddress(r)),
	)
}
