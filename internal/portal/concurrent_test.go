package portal

import (
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"papers/internal/store"
)

// TestConcurrentUploads has 20 officers, each leading one action, upload
// and submit their returns at once: every return is stored once.
func TestConcurrentUploads(t *testing.T) {
	const n = 20
	h := newHarness(t)
	var rows []row
	for i := range n {
		rows = append(rows, row{fmt.Sprintf("3.%d", i+1), "Recommendation Three: Assurance", fmt.Sprintf("Assurance task number %d for the service", i+1),
			fmt.Sprintf("Owner %02d", i+1), "31/03/2021", "", "Not started"})
	}
	h.addStatement("2020-Q4", rows) // version 2 of 2020-Q4: the latest
	clients := make([]*client, n)
	for i := range n {
		email := fmt.Sprintf("owner%02d@example.gov.uk", i+1)
		h.addUser(email, fmt.Sprintf("Officer %02d", i+1), store.RoleOfficer, rows[i].Owner)
		clients[i] = h.signedIn(email)
	}
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			r := rows[i]
			r.Update, r.Completed = fmt.Sprintf("Finished by officer %02d", i+1), "08/01/2021"
			b := xlsx("Return", []row{r})
			form := url.Values{"owner": {r.Owner}, csrfField: {clients[i].csrf}}
			body, ctype := multipartBody(t, form, "return.xlsx", b)
			res, err := clients[i].c.Post(h.ts.URL+h.qpath("/officer", "/upload"), ctype, strings.NewReader(string(body)))
			if err != nil {
				errs <- err
				return
			}
			page, _ := io.ReadAll(res.Body)
			res.Body.Close()
			m := checkLocation.FindStringSubmatch(res.Header.Get("Location"))
			if res.StatusCode != http.StatusSeeOther || m == nil {
				errs <- fmt.Errorf("%s: upload %d\n%.2000s", r.Owner, res.StatusCode, page)
				return
			}
			sub := url.Values{"pending": {m[1]}, csrfField: {clients[i].csrf}}
			res, err = clients[i].c.PostForm(h.ts.URL+h.qpath("/officer", "/submit"), sub)
			if err != nil {
				errs <- err
				return
			}
			res.Body.Close()
			if res.StatusCode != http.StatusSeeOther {
				errs <- fmt.Errorf("%s: submit %d", r.Owner, res.StatusCode)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	rs := h.returns()
	owners := map[string]int{}
	for _, r := range rs {
		owners[r.Owner]++
		if r.Version != 1 || r.Actions != 1 {
			t.Errorf("%s: version %d, %d actions", r.Owner, r.Version, r.Actions)
		}
	}
	if len(rs) != n || len(owners) != n {
		t.Errorf("%d returns for %d owners, want %d each", len(rs), len(owners), n)
	}
	if ev := h.events("return.submit"); len(ev) != n {
		t.Errorf("%d submissions audited, want %d", len(ev), n)
	}
}

// TestOneOfficerConcurrentUploads: one officer checks twenty returns at once
// (twenty tabs, or a script), then submits them all at once: every one is
// kept until submitted and stored once, as versions 1 to 20; none is told
// to upload again.
func TestOneOfficerConcurrentUploads(t *testing.T) {
	const n = 20
	h := newHarness(t)
	robert := h.signedIn("robert@example.gov.uk")
	ids := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			b := returnFor("Robert Henderson", func(r *row) { r.Update = fmt.Sprintf("Update number %d", i+1) })
			body, ctype := multipartBody(t, url.Values{"owner": {"Robert Henderson"}, csrfField: {robert.csrf}}, "return.xlsx", b)
			res, err := robert.c.Post(h.ts.URL+h.qpath("/officer", "/upload"), ctype, strings.NewReader(string(body)))
			if err != nil {
				t.Error(err)
				return
			}
			page, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if m := checkLocation.FindStringSubmatch(res.Header.Get("Location")); res.StatusCode == http.StatusSeeOther && m != nil {
				ids[i] = m[1]
			} else {
				t.Errorf("upload %d: %d\n%.2000s", i+1, res.StatusCode, page)
			}
		})
	}
	wg.Wait()
	statuses := make([]int, n)
	for i := range n {
		wg.Go(func() {
			res, err := robert.c.PostForm(h.ts.URL+h.qpath("/officer", "/submit"), url.Values{"pending": {ids[i]}, csrfField: {robert.csrf}})
			if err != nil {
				t.Error(err)
				return
			}
			res.Body.Close()
			statuses[i] = res.StatusCode
		})
	}
	wg.Wait()
	for i, status := range statuses {
		if status != http.StatusSeeOther {
			t.Errorf("submit %d: %d, want 303", i+1, status)
		}
	}
	rs := h.returns()
	if len(rs) != n || rs[n-1].Version != n {
		t.Errorf("%d returns stored, want versions 1 to %d", len(rs), n)
	}
	if ev := h.events("return.submit"); len(ev) != n {
		t.Errorf("%d submissions audited, want %d", len(ev), n)
	}
}

// TestGracefulShutdown stops the server while an upload is arriving: the
// upload finishes and is stored, and Serve returns cleanly.
func TestGracefulShutdown(t *testing.T) {
	h := newHarness(t)
	robert := h.signedIn("robert@example.gov.uk")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- h.srv.Serve(ctx, ln, "", "", 10*time.Second) }()
	base := "http://" + ln.Addr().String()
	// The session cookie belongs to the httptest server's host: copy it.
	u, _ := url.Parse(h.ts.URL)
	lu, _ := url.Parse(base)
	robert.c.Jar.SetCookies(lu, robert.c.Jar.Cookies(u))

	// The body is known in full (browsers send a Content-Length) but
	// arrives in two halves, with the shutdown between them.
	b := returnFor("Robert Henderson", func(r *row) { r.Update = "Sent during shutdown" })
	body, ctype := multipartBody(t, url.Values{csrfField: {robert.csrf}, "owner": {"Robert Henderson"}}, "return.xlsx", b)
	pr, pw := io.Pipe()
	req, _ := http.NewRequest(http.MethodPost, base+h.qpath("/officer", "/upload"), pr)
	req.ContentLength = int64(len(body))
	req.Header.Set("Content-Type", ctype)
	done := make(chan result, 1)
	go func() {
		res, err := robert.c.Do(req)
		if err != nil {
			done <- result{status: -1, body: err.Error()}
			return
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		done <- result{status: res.StatusCode, header: res.Header, body: string(b)}
	}()
	pw.Write(body[:len(body)/2])
	time.Sleep(50 * time.Millisecond) // the server is reading the body

	stop() // SIGTERM arrives mid-upload
	time.Sleep(100 * time.Millisecond)
	if _, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second); err == nil {
		t.Error("still accepting connections after shutdown began")
	}
	pw.Write(body[len(body)/2:])
	pw.Close()
	res := <-done
	if res.status != http.StatusSeeOther || !checkLocation.MatchString(res.header.Get("Location")) {
		t.Fatalf("in-flight upload: %d %.2000s", res.status, res.body)
	}
	if err := <-served; err != nil {
		t.Fatalf("Serve: %v", err)
	}
}

// TestShutdownCutsOffStalledUpload: an upload that does not finish within
// the grace period is cut off, and nothing is stored.
func TestShutdownCutsOffStalledUpload(t *testing.T) {
	h := newHarness(t)
	robert := h.signedIn("robert@example.gov.uk")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- h.srv.Serve(ctx, ln, "", "", 200*time.Millisecond) }()
	base := "http://" + ln.Addr().String()
	u, _ := url.Parse(h.ts.URL)
	lu, _ := url.Parse(base)
	robert.c.Jar.SetCookies(lu, robert.c.Jar.Cookies(u))

	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	req, _ := http.NewRequest(http.MethodPost, base+h.qpath("/officer", "/upload"), pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	done := make(chan error, 1)
	go func() {
		res, err := robert.c.Do(req)
		if err == nil {
			res.Body.Close()
		}
		done <- err
	}()
	mw.WriteField(csrfField, robert.csrf)
	fw, _ := mw.CreateFormFile("file", "return.xlsx")
	fw.Write([]byte("PK\x03\x04 only the start"))
	time.Sleep(50 * time.Millisecond)
	stop()
	if err := <-served; err == nil || !strings.Contains(err.Error(), "cut off") {
		t.Errorf("Serve: %v, want requests cut off", err)
	}
	// The client's writer blocks on its own body until it gives up.
	pw.CloseWithError(io.ErrUnexpectedEOF)
	if err := <-done; err == nil {
		t.Error("the stalled upload got a response")
	}
	if len(h.returns()) != 0 {
		t.Error("a cut-off upload was stored")
	}
}

// TestRestartDuringUpload: the portal is stopped (SIGTERM, a deploy) while
// an officer is uploading — one upload's body half sent, and a checked
// upload not yet submitted — and started again on the same history. Nothing
// half-done is stored; the officer, still signed in, submits the upload
// checked before the restart (it is kept in the history database), and
// uploads the interrupted one again.
func TestRestartDuringUpload(t *testing.T) {
	h := newHarness(t)
	robert := h.signedIn("robert@example.gov.uk")
	res, pendingID := robert.uploadReturn("Robert Henderson", returnFor("Robert Henderson", nil))
	if pendingID == "" {
		t.Fatalf("upload to check: %d %.2000s", res.status, res.body)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- h.srv.Serve(ctx, ln, "", "", 200*time.Millisecond) }()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	req, _ := http.NewRequest(http.MethodPost, "http://"+ln.Addr().String()+h.qpath("/officer", "/upload"), pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	done := make(chan error, 1)
	go func() {
		res, err := robert.c.Do(req) // the cookie jar ignores the port
		if err == nil {
			res.Body.Close()
		}
		done <- err
	}()
	mw.WriteField(csrfField, robert.csrf)
	mw.WriteField("owner", "Robert Henderson")
	fw, _ := mw.CreateFormFile("file", "return.xlsx")
	b := returnFor("Robert Henderson", func(r *row) { r.Update = "Sent as the server stopped" })
	fw.Write(b[:len(b)/2])
	time.Sleep(50 * time.Millisecond)
	stop()
	if err := <-served; err == nil || !strings.Contains(err.Error(), "cut off") {
		t.Errorf("Serve: %v, want the upload cut off", err)
	}
	pw.CloseWithError(io.ErrUnexpectedEOF)
	if err := <-done; err == nil {
		t.Error("the cut-off upload got a response")
	}
	if len(h.returns()) != 0 {
		t.Fatal("an upload the stop interrupted was stored")
	}

	// The process starts again: a new server on the same database.
	srv, err := New(h.cfg)
	if err != nil {
		t.Fatal(err)
	}
	h.srv, h.ts = srv, httptest.NewServer(srv)
	t.Cleanup(h.ts.Close)
	res = robert.post(h.qpath("/officer", "/submit"), url.Values{"pending": {pendingID}}).follow(robert)
	if res.status != http.StatusOK || !strings.Contains(res.body, "Return received") {
		t.Errorf("submitting an upload checked before the restart: %d %.2000s", res.status, res.body)
	}
	res, id := robert.uploadReturn("Robert Henderson", b)
	if id == "" || !strings.Contains(res.body, "Check your return") {
		t.Fatalf("upload after the restart: %d %.2000s", res.status, res.body)
	}
	if res := robert.post(h.qpath("/officer", "/submit"), url.Values{"pending": {id}}); res.status != http.StatusSeeOther {
		t.Fatalf("submit after the restart: %d %.2000s", res.status, res.body)
	}
	if rs := h.returns(); len(rs) != 2 || rs[0].Owner != "Robert Henderson" || rs[1].Version != 2 {
		t.Errorf("returns after the restart: %+v", rs)
	}
}
