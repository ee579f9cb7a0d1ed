package portal

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"papers/internal/plan"
)

// heldMerger is fakeMerger that waits in Merge until released (or for 5
// s), counting how many are inside at once.
type heldMerger struct {
	fakeMerger
	entered chan struct{}
	release chan struct{}

	mu       sync.Mutex
	in, most int
}

func newHeldMerger() *heldMerger {
	return &heldMerger{entered: make(chan struct{}, 100), release: make(chan struct{})}
}

func (m *heldMerger) Merge(latest *plan.Statement, quarter string, files []ReturnFile, choose map[string]string) (Merged, error) {
	m.mu.Lock()
	m.in++
	m.most = max(m.most, m.in)
	m.mu.Unlock()
	m.entered <- struct{}{}
	select {
	case <-m.release:
	case <-time.After(5 * time.Second): // a test gone wrong fails rather than hangs
	}
	m.mu.Lock()
	m.in--
	m.mu.Unlock()
	return m.fakeMerger.Merge(latest, quarter, files, choose)
}

// TestUploadsAreReadTwoAtATime: of five uploads sent at once, two are read
// while the others wait their turn; then all are read.
func TestUploadsAreReadTwoAtATime(t *testing.T) {
	held := newHeldMerger()
	h := newHarness(t, func(c *Config) { c.Merger = held })
	robert := h.signedIn("robert@example.gov.uk")
	const n = 5
	statuses := make(chan int, n)
	for i := range n {
		go func() {
			b := returnFor("Robert Henderson", func(r *row) { r.Update += strings.Repeat(" again", i+1) })
			body, ctype := multipartBody(t, url.Values{"owner": {"Robert Henderson"}, csrfField: {robert.csrf}}, "return.xlsx", b)
			res, err := robert.c.Post(h.ts.URL+h.qpath("/officer", "/upload"), ctype, bytes.NewReader(body))
			if err != nil {
				statuses <- -1
				return
			}
			res.Body.Close()
			statuses <- res.StatusCode
		}()
	}
	for range DefaultParseLimit {
		select {
		case <-held.entered:
		case <-time.After(10 * time.Second):
			t.Fatal("no upload was read")
		}
	}
	select {
	case <-held.entered:
		t.Errorf("a third upload was read while %d were being read", DefaultParseLimit)
	case <-time.After(300 * time.Millisecond):
	}
	close(held.release)
	for range n {
		if status := <-statuses; status != http.StatusSeeOther {
			t.Errorf("upload: %d", status)
		}
	}
	if held.most != DefaultParseLimit {
		t.Errorf("%d uploads read at once, want %d", held.most, DefaultParseLimit)
	}
}

// TestBusyPortal: an upload that waits too long for its turn, an officer's
// return or the clerk's statement, is told plainly to try again in a
// minute, and nothing is stored.
func TestBusyPortal(t *testing.T) {
	held := newHeldMerger()
	h := newHarness(t, func(c *Config) {
		c.Merger, c.ParseLimit, c.ParseWait = held, 1, 200*time.Millisecond
	})
	robert := h.signedIn("robert@example.gov.uk")
	first := make(chan result, 1)
	go func() {
		res, _ := robert.uploadReturn("Robert Henderson", returnFor("Robert Henderson", nil))
		first <- res
	}()
	<-held.entered // Robert's return is being read

	jane := h.signedIn("jane@example.gov.uk")
	res, id := jane.uploadReturn("Jane Smith", returnFor("Jane Smith", nil))
	if res.status != http.StatusServiceUnavailable || id != "" || res.header.Get("Retry-After") != "60" {
		t.Errorf("officer's upload while busy: %d, Retry-After %q, pending %q", res.status, res.header.Get("Retry-After"), id)
	}
	mustContain(t, res.body, "The portal is busy, try again in a minute")
	clerk := h.signedIn("clerk@example.gov.uk")
	res = clerk.upload("/clerk/statements", url.Values{"plan": {testPlan}, "quarter": {"2021-Q1"}, "kind": {"statement"}}, "statement.xlsx", xlsx("Statement", sampleRows))
	if res.status != http.StatusServiceUnavailable {
		t.Errorf("clerk's statement while busy: %d", res.status)
	}
	mustContain(t, res.body, "The portal is busy, try again in a minute")

	close(held.release)
	if res := <-first; res.status != http.StatusOK {
		t.Errorf("the upload being read: %d", res.status)
	}
	if n := len(h.statements()); n != 1 {
		t.Errorf("%d statements, want the 1 seeded", n)
	}
	if res, id := jane.uploadReturn("Jane Smith", returnFor("Jane Smith", nil)); res.status != http.StatusOK || id == "" {
		t.Errorf("Jane's upload once the portal is free: %d", res.status)
	}
}

// TestLargeUploadWaitsOnDisk: while an upload's form is read, before its
// turn to be read as a workbook, no more than formMemory of it is held in
// memory; the rest is in a temporary file, removed after the request.
func TestLargeUploadWaitsOnDisk(t *testing.T) {
	h := newHarness(t)
	for _, c := range []struct {
		size   int
		onDisk bool
	}{{formMemory / 2, false}, {3 * formMemory, true}, {int(DefaultUploadLimit) - 4096, true}} {
		body, ctype := multipartBody(t, url.Values{csrfField: {"x"}}, "return.xlsx", bytes.Repeat([]byte("x"), c.size))
		r := httptest.NewRequest(http.MethodPost, "/officer/quarters/1/2021-Q1/upload", bytes.NewReader(body))
		r.Header.Set("Content-Type", ctype)
		w := httptest.NewRecorder()
		if !h.srv.readForm(w, r, nil) {
			t.Fatalf("%d bytes: %d %s", c.size, w.Code, w.Body)
		}
		f, err := r.MultipartForm.File["file"][0].Open()
		if err != nil {
			t.Fatal(err)
		}
		file, onDisk := f.(*os.File)
		if onDisk != c.onDisk {
			t.Errorf("%d bytes: on disk %v, want %v", c.size, onDisk, c.onDisk)
		}
		f.Close()
		r.MultipartForm.RemoveAll()
		if onDisk {
			if _, err := os.Stat(file.Name()); err == nil {
				t.Errorf("%s is left behind", file.Name())
			}
		}
	}
}
