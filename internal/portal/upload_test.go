package portal

import (
	"archive/zip"
	"bytes"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestUploadRefused(t *testing.T) {
	docx := func() []byte {
		var b bytes.Buffer
		z := zip.NewWriter(&b)
		w, _ := z.Create("[Content_Types].xml")
		w.Write([]byte(`<Types><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`))
		z.Close()
		return b.Bytes()
	}()
	for _, tc := range []struct {
		name   string
		file   []byte
		status int
		want   string
	}{
		{"text named .xlsx", []byte("Ref,Action,Owner\n1.1,Do it,Robert Henderson\n"), http.StatusBadRequest, "is not an Excel workbook (.xlsx), whatever its name says"},
		{"Word document named .xlsx", docx, http.StatusBadRequest, "it may be a Word document or another zip file"},
		{"old .xls", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 600)...), http.StatusBadRequest, "old Excel 97-2003 workbook (.xls)"},
		{"empty", []byte{}, http.StatusBadRequest, "The selected file is empty"},
		{"truncated zip", xlsx("x", sampleRows)[:300], http.StatusBadRequest, "damaged or incomplete"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			robert := h.signedIn("robert@example.gov.uk")
			res, id := robert.uploadReturn("Robert Henderson", tc.file)
			if res.status != tc.status || id != "" {
				t.Fatalf("%d (pending %q)\n%s", res.status, id, res.body)
			}
			mustContain(t, res.body, "There is a problem", tc.want, `href="#file"`, `id="file"`)
			if len(h.returns()) != 0 {
				t.Error("a refused upload was stored")
			}
		})
	}
}

func TestUploadTooLarge(t *testing.T) {
	for _, tc := range []struct {
		name  string
		limit int64
		size  int
	}{
		{"default limit", 0, DefaultUploadLimit + 1},
		{"configured limit", 64 << 10, 200 << 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, func(c *Config) { c.UploadLimit = tc.limit })
			robert := h.signedIn("robert@example.gov.uk")
			big := append(xlsx("big", sampleRows), make([]byte, tc.size)...)
			res, _ := robert.uploadReturn("Robert Henderson", big)
			if res.status != http.StatusRequestEntityTooLarge {
				t.Fatalf("%d\n%.500s", res.status, res.body)
			}
			mustContain(t, res.body, "The file is too large", "must be smaller than", "Nothing was changed")
			if len(h.returns()) != 0 {
				t.Error("stored")
			}
			// The file alone over the limit, the body within it plus form slack.
			if tc.limit > 0 {
				res, _ := robert.uploadReturn("Robert Henderson", make([]byte, tc.limit+10))
				if res.status != http.StatusRequestEntityTooLarge {
					t.Errorf("file just over the limit: %d", res.status)
				}
			}
		})
	}
}

func TestUploadFileNameIsNotAPath(t *testing.T) {
	h := newHarness(t)
	robert := h.signedIn("robert@example.gov.uk")
	cwd, _ := os.Getwd()
	before, _ := os.ReadDir(cwd)
	for i, name := range []string{"../../etc/passwd.xlsx", `..\..\Windows\win.ini.xlsx`, "/tmp/../../x\ty.xlsx"} {
		ret := returnFor("Robert Henderson", func(r *row) { r.Update += strings.Repeat(" and more", i+1) })
		res := robert.upload(h.qpath("/officer", "/upload"), url.Values{"owner": {"Robert Henderson"}}, name, ret).follow(robert)
		m := pendingInput.FindStringSubmatch(res.body)
		if res.status != http.StatusOK || m == nil {
			t.Fatalf("%s: %d\n%s", name, res.status, res.body)
		}
		if res := robert.post(h.qpath("/officer", "/submit"), url.Values{"pending": {m[1]}}); res.status != http.StatusSeeOther {
			t.Fatalf("%s: submit %d", name, res.status)
		}
	}
	var names []string
	for _, r := range h.returns() {
		names = append(names, r.FileName)
	}
	if got, want := strings.Join(names, "|"), "passwd.xlsx|win.ini.xlsx|xy.xlsx"; got != want {
		t.Errorf("stored names %q, want %q", got, want)
	}
	after, _ := os.ReadDir(cwd)
	if len(after) != len(before) {
		t.Errorf("files appeared in %s", cwd)
	}
	for _, p := range []string{"/etc/passwd.xlsx", filepath.Join(filepath.Dir(h.out), "passwd.xlsx")} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s was written", p)
		}
	}
}

func TestUploadOthersActions(t *testing.T) {
	h := newHarness(t)
	robert := h.signedIn("robert@example.gov.uk")
	// Robert's return with Jane's 1.2 and Cllr Paffey's 2.2 added, and
	// 1.2's owner cell changed to Robert to slip it through.
	rows := append(ownerRows(sampleRows, "Robert Henderson"), sampleRows[1], sampleRows[3])
	rows[2].Owner = "Robert Henderson"
	res, id := robert.uploadReturn("Robert Henderson", xlsx("Return", rows))
	if res.status != http.StatusUnprocessableEntity || id != "" {
		t.Fatalf("%d\n%s", res.status, res.body)
	}
	mustContain(t, res.body, "The return includes 2 actions led by others: 1.2 (Jane Smith), 2.2 (Cllr Paffey)",
		"Actions led by others", "Publish the revised whistleblowing policy", "Upload a corrected return")
	if len(h.returns()) != 0 {
		t.Error("stored")
	}
	// Joint action 2.1 is in both Robert's and Jane's returns.
	jane := h.signedIn("jane@example.gov.uk")
	if res, id := jane.uploadReturn("Jane Smith", returnFor("Jane Smith", nil)); res.status != http.StatusOK || id == "" {
		t.Errorf("Jane's own return: %d", res.status)
	}
	// An officer cannot upload for an owner they do not answer for.
	if res, _ := jane.uploadReturn("Robert Henderson", returnFor("Robert Henderson", nil)); res.status != http.StatusForbidden {
		t.Errorf("Jane uploading for Robert: %d", res.status)
	}
}

func TestUploadProblemsByCell(t *testing.T) {
	h := newHarness(t)
	robert := h.signedIn("robert@example.gov.uk")
	res, id := robert.uploadReturn("Robert Henderson", returnFor("Robert Henderson", func(r *row) {
		if r.Ref == "2.1" {
			r.Target = "By 32nd Dec 20"
		}
	}))
	// A date that cannot be read is a warning: kept as text, shown by
	// its cell and in the preview, once: the change it makes points to
	// the warning rather than repeating it.
	if res.status != http.StatusOK || id == "" {
		t.Fatalf("%d\n%s", res.status, res.body)
	}
	mustContain(t, res.body, "Problems in the workbook", `<td class="mono" data-label="Cell">E4</td>`, "Warning", "By 32nd Dec 20",
		"Target date 31 Mar 2021 removed: see cell E4 under Problems in the workbook")
	if n := strings.Count(res.body, "By 32nd Dec 20"); n != 1 {
		t.Errorf("the unreadable date is shown %d times, want once:\n%s", n, res.body)
	}
}

func TestUploadXSS(t *testing.T) {
	h := newHarness(t)
	robert := h.signedIn("robert@example.gov.uk")
	payload := `<script>alert("x")</script><img src=x onerror=alert(1)>`
	res, id := robert.uploadReturn("Robert Henderson", returnFor("Robert Henderson", func(r *row) { r.Update = payload + " " + r.Update }))
	if res.status != http.StatusOK || id == "" {
		t.Fatalf("%d\n%s", res.status, res.body)
	}
	if strings.Contains(res.body, "<script>") || strings.Contains(res.body, "<img src=x") {
		t.Fatalf("officer text rendered as HTML:\n%s", res.body)
	}
	mustContain(t, res.body, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;")

	// Once accepted, the text is the next quarter's "last update".
	if res := robert.post(h.qpath("/officer", "/submit"), url.Values{"pending": {id}}); res.status != http.StatusSeeOther {
		t.Fatal(res.status)
	}
	clerk := h.signedIn("clerk@example.gov.uk")
	if res := clerk.post(h.qpath("/clerk", "/accept"), nil); res.status != http.StatusSeeOther {
		t.Fatal(res.status)
	}
	clerk.post("/clerk/quarters", url.Values{"plan": {testPlan}, "quarter": {"2021-Q2"}, "deadline": {"2021-04-15"}})
	page := robert.get("/officer")
	mustContain(t, page.body, "2021-Q2", "&lt;script&gt;")
	if strings.Contains(page.body, "<script>") {
		t.Fatal("officer text rendered as HTML on the officer page")
	}
}

func TestUnavailableMakerAndMerger(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.Maker, c.Merger = unavailable{}, unavailable{} })
	robert := h.signedIn("robert@example.gov.uk")
	res := robert.get(h.qpath("/officer", "/return?owner=Robert+Henderson"))
	if res.status != http.StatusServiceUnavailable {
		t.Fatal(res.status)
	}
	mustContain(t, res.body, "Pre-filled returns are not available yet", "Ask the clerk for your return workbook")
	up, id := robert.uploadReturn("Robert Henderson", returnFor("Robert Henderson", nil))
	if up.status != http.StatusServiceUnavailable || id != "" || len(h.returns()) != 0 {
		t.Fatalf("upload without a merger: %d\n%s", up.status, up.body)
	}
	mustContain(t, up.body, "Checking returns is not available yet", "nothing was stored")
	h.addStoredReturn("Robert Henderson")
	clerk := h.signedIn("clerk@example.gov.uk")
	mustContain(t, clerk.get(h.qpath("/clerk", "")).body, "The portal cannot merge returns yet")
	if res := clerk.post(h.qpath("/clerk", "/accept"), nil); res.status != http.StatusServiceUnavailable || len(h.statements()) != 1 {
		t.Errorf("accept without a merger: %d, %d statements", res.status, len(h.statements()))
	}
}

func TestReturnRejected(t *testing.T) {
	h := newHarness(t)
	robert := h.signedIn("robert@example.gov.uk")
	b := xlsx("WRONG QUARTER return", ownerRows(sampleRows, "Robert Henderson"))
	res, id := robert.uploadReturn("Robert Henderson", b)
	if res.status != http.StatusUnprocessableEntity || id != "" {
		t.Fatalf("%d\n%s", res.status, res.body)
	}
	mustContain(t, res.body, "This return cannot be used", `href="#rejected"`, "This return is for another quarter, not 2021-Q1")
	if len(h.returns()) != 0 {
		t.Error("stored")
	}
	// A return the merger no longer takes (say the statement changed
	// since) is shown to the clerk and stops acceptance.
	h.addStoredReturnBytes("Robert Henderson", b)
	clerk := h.signedIn("clerk@example.gov.uk")
	mustContain(t, clerk.get(h.qpath("/clerk", "")).body, "These returns cannot be merged", "This return is for another quarter")
	if res := clerk.post(h.qpath("/clerk", "/accept"), nil); res.status != http.StatusConflict || len(h.statements()) != 1 {
		t.Errorf("accept with a return left out: %d", res.status)
	}
}

func TestConflicts(t *testing.T) {
	h := newHarness(t)
	robert := h.signedIn("robert@example.gov.uk")
	jane := h.signedIn("jane@example.gov.uk")
	for _, who := range []struct {
		c     *client
		owner string
	}{{robert, "Robert Henderson"}, {jane, "Jane Smith"}} {
		_, id := who.c.uploadReturn(who.owner, returnFor(who.owner, func(r *row) { r.Update = "Update from " + who.owner }))
		if res := who.c.post(h.qpath("/officer", "/submit"), url.Values{"pending": {id}}); res.status != http.StatusSeeOther {
			t.Fatal(res.status)
		}
	}
	clerk := h.signedIn("clerk@example.gov.uk")
	mustContain(t, clerk.get(h.qpath("/clerk", "")).body, "Conflicts to resolve", "2.1: Jane Smith and Robert Henderson give different values")
	res := clerk.post(h.qpath("/clerk", "/accept"), nil)
	if res.status != http.StatusConflict {
		t.Fatal(res.status)
	}
	mustContain(t, res.body, "Resolve the 1 conflict before accepting")
	if len(h.statements()) != 1 {
		t.Error("a statement was accepted with conflicts")
	}
	// Jane uploads a corrected return agreeing with Robert on 2.1.
	_, id := jane.uploadReturn("Jane Smith", returnFor("Jane Smith", func(r *row) {
		r.Update = "Update from Jane Smith"
		if r.Ref == "2.1" {
			r.Update = "Update from Robert Henderson"
		}
	}))
	jane.post(h.qpath("/officer", "/submit"), url.Values{"pending": {id}})
	if res := clerk.post(h.qpath("/clerk", "/accept"), nil); res.status != http.StatusSeeOther {
		t.Fatalf("accept after resolving: %d", res.status)
	}
	if ev := h.events("statement.accept"); len(ev) != 1 || !strings.Contains(ev[0].Detail, "Jane Smith v2") {
		t.Errorf("audit %+v", ev)
	}
	// Accepting again with the same returns stores nothing new.
	res = clerk.post(h.qpath("/clerk", "/accept"), nil)
	if res.header.Get("Location") != h.qpath("/clerk", "?done=same") || len(h.events("statement.accept")) != 1 {
		t.Errorf("second accept: %s", res.header.Get("Location"))
	}
}

func TestUploadBlankLines(t *testing.T) {
	h := newHarness(t)
	robert := h.signedIn("robert@example.gov.uk")
	res, id := robert.uploadReturn("Robert Henderson", returnFor("Robert Henderson", func(r *row) {
		if r.Ref == "2.1" {
			r.Update = ""
		} else {
			r.Update = "Briefings booked for February"
		}
	}))
	if res.status != http.StatusOK || id == "" {
		t.Fatalf("%d\n%s", res.status, res.body)
	}
	mustContain(t, res.body, "You left 1 action empty: 2.1.", "Briefings booked for February")
	if strings.Contains(res.body, "Review supervision records") {
		t.Error("the empty line is listed as a change")
	}
}
