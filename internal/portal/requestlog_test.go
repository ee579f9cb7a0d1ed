package portal

import (
	"bufio"
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// logBuffer collects a portal's JSON log lines.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// lines returns the records logged so far, decoded.
func (l *logBuffer) lines(t *testing.T) []map[string]any {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(l.b.Bytes()))
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("log line is not JSON: %q", sc.Text())
		}
		out = append(out, m)
	}
	return out
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func loggingTo(l *logBuffer) option {
	return func(c *Config) { c.Logger = slog.New(slog.NewJSONHandler(l, nil)) }
}

var generatedID = regexp.MustCompile(`^[0-9a-f]{16}$`)

// TestRequestIDs: every response carries an ID of its own, every request
// is logged once with it, and the log never holds a query string.
func TestRequestIDs(t *testing.T) {
	var logs logBuffer
	h := newHarness(t, loggingTo(&logs))
	c := h.client()
	a := c.get("/signin?next=%2Fclerk%2Fsecret-looking-query")
	b := c.get("/signin")
	idA, idB := a.header.Get("X-Request-ID"), b.header.Get("X-Request-ID")
	if !generatedID.MatchString(idA) || !generatedID.MatchString(idB) || idA == idB {
		t.Fatalf("request IDs %q and %q: want two different 16-hex-digit IDs", idA, idB)
	}
	if strings.Contains(logs.String(), "secret-looking-query") {
		t.Errorf("the log holds a query string:\n%s", logs.String())
	}
	seen := map[string]int{}
	for _, l := range logs.lines(t) {
		if l["msg"] != "request" {
			continue
		}
		id, _ := l["request_id"].(string)
		seen[id]++
		if id == idA && (l["path"] != "/signin" || l["method"] != "GET" || l["status"] != float64(http.StatusOK)) {
			t.Errorf("request line %v: want GET /signin 200", l)
		}
	}
	if seen[idA] != 1 || seen[idB] != 1 {
		t.Errorf("request lines by ID %v: want one each for %s and %s", seen, idA, idB)
	}
}

// TestRequestIDFromProxy: a configured proxy's X-Request-ID is kept, so its
// log and the portal's can be matched; anyone else's, or a malformed one,
// is replaced, so a client cannot write what it likes into the log.
func TestRequestIDFromProxy(t *testing.T) {
	cases := []struct {
		name    string
		trusted bool
		sent    string
		kept    bool
	}{
		{"from the proxy", true, "lb-7f3a.0001_x", true},
		{"from the proxy, with spaces and quotes", true, `abc" injected="1`, false},
		{"from the proxy, too long", true, strings.Repeat("a", 65), false},
		{"from anyone else", false, "lb-7f3a.0001_x", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var opts []option
			if tc.trusted {
				opts = append(opts, behindProxy)
			}
			h := newHarness(t, opts...)
			req, _ := http.NewRequest(http.MethodGet, h.ts.URL+"/signin", nil)
			req.Header["X-Request-Id"] = []string{tc.sent}
			res := h.client().do(req)
			got := res.header.Get("X-Request-ID")
			if tc.kept && got != tc.sent {
				t.Errorf("X-Request-ID %q: want the proxy's %q", got, tc.sent)
			}
			if !tc.kept && !generatedID.MatchString(got) {
				t.Errorf("X-Request-ID %q: want a new one of our own", got)
			}
		})
	}
}

// TestErrorPageGivesReference: when the portal fails, the person sees a
// reference, and the log line with the failure carries the same one.
func TestErrorPageGivesReference(t *testing.T) {
	var logs logBuffer
	h := newHarness(t, loggingTo(&logs))
	c := h.signedIn("clerk@example.gov.uk")
	h.db.Close() // every query now fails
	res := c.get("/")
	if res.status != http.StatusInternalServerError {
		t.Fatalf("status %d, want 500", res.status)
	}
	id := res.header.Get("X-Request-ID")
	mustContain(t, res.body, "give them this reference: <strong>"+id+"</strong>")
	found := false
	for _, l := range logs.lines(t) {
		if l["msg"] == "portal error" && l["request_id"] == id && l["level"] == "ERROR" {
			found = true
		}
	}
	if !found {
		t.Errorf("no error line with request_id %s in the log:\n%s", id, logs.String())
	}
}
