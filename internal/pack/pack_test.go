package pack

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"papers/internal/meeting"
)

// firstWords is enough of a title to find its agenda row.
func firstWords(s string, n int) string {
	f := strings.Fields(s)
	if len(f) > n {
		f = f[:n]
	}
	return strings.Join(f, " ")
}

// agendaPages reads the page column of the printed agenda (pages 1–2) for
// each entry: the number at the end of the line on which its row starts.
func agendaPages(t *testing.T, p *Pack) map[int]string {
	t.Helper()
	text := pdfToText(t, p.PDF, 1, 2)
	got := map[int]string{}
	for _, e := range p.Entries {
		re := regexp.MustCompile(`(?m)^\s*` + strconv.Itoa(e.Number) + `\s+` + regexp.QuoteMeta(firstWords(e.Title, 3)) + `.*?\s(\d+|–)\s*$`)
		m := re.FindStringSubmatch(text)
		if m == nil {
			t.Errorf("%s: no agenda row for item %d %q in:\n%s", p.Name, e.Number, e.Title, text)
			continue
		}
		got[e.Number] = m[1]
	}
	return got
}

func TestPackPages(t *testing.T) {
	m, packs := fixturePacks(t)
	for _, p := range []*Pack{packs.Public, packs.Members} {
		t.Run(p.Audience.String(), func(t *testing.T) {
			n, err := api.PageCount(bytes.NewReader(p.PDF), pdfcpuConf())
			if err != nil {
				t.Fatal(err)
			}
			sum := 2 // front sheet, agenda
			for _, e := range p.Entries {
				sum += e.Pages
			}
			if n != p.Pages || n != sum {
				t.Errorf("%d pages in the file, Pages %d, front 2 + entries = %d", n, p.Pages, sum)
			}
			if len(p.Entries) != len(m.Items) {
				t.Errorf("%d agenda entries for %d items", len(p.Entries), len(m.Items))
			}
			if err := api.Validate(bytes.NewReader(p.PDF), pdfcpuConf()); err != nil {
				t.Errorf("relaxed validation: %v", err)
			}
		})
	}
	// The public pack has one notice page per exempt item; the members'
	// pack has the notice and the papers.
	pub, mem := packs.Public.Entries, packs.Members.Entries
	for i := range pub {
		switch {
		case pub[i].Exempt != nil && pub[i].Pages != 1:
			t.Errorf("public item %d: %d pages, want the notice only", pub[i].Number, pub[i].Pages)
		case pub[i].Exempt != nil && mem[i].Pages < 2:
			t.Errorf("members' item %d: %d pages", mem[i].Number, mem[i].Pages)
		case pub[i].Exempt == nil && pub[i].Pages != mem[i].Pages:
			t.Errorf("item %d: %d pages public, %d members'", pub[i].Number, pub[i].Pages, mem[i].Pages)
		}
	}
}

// The agenda's page numbers are where each item really starts.
func TestAgendaPageNumbers(t *testing.T) {
	_, packs := fixturePacks(t)
	markers := map[int]string{2: "MARK-MINUTES", 3: "MARK-REPORT", 4: "MARK-PERFORMANCE"}
	for _, p := range []*Pack{packs.Public, packs.Members} {
		t.Run(p.Audience.String(), func(t *testing.T) {
			printed := agendaPages(t, p)
			for _, e := range p.Entries {
				want := "–"
				if e.Page > 0 {
					want = strconv.Itoa(e.Page)
				}
				if printed[e.Number] != want {
					t.Errorf("item %d: the agenda prints page %q, the item starts on %q", e.Number, printed[e.Number], want)
				}
				if e.Page == 0 {
					continue
				}
				first := pdfToText(t, p.PDF, e.Page, e.Page)
				var want1 string
				switch {
				case e.Exempt != nil:
					// The notice: in both packs, first.
					want1 = meeting.ExemptNotice(e.Exempt)
				default:
					want1 = markers[e.Number]
				}
				if !contains(first, want1) {
					t.Errorf("item %d's first page (%d) lacks %q:\n%s", e.Number, e.Page, want1, first)
				}
				if e.Page > 1 {
					before := pdfToText(t, p.PDF, e.Page-1, e.Page-1)
					if want1 != "" && contains(before, want1) {
						t.Errorf("item %d's marker is already on page %d", e.Number, e.Page-1)
					}
				}
			}
		})
	}
	// In the members' pack the exempt papers follow their notice.
	for _, e := range packs.Members.Entries {
		if e.Number == 5 {
			if next := pdfToText(t, packs.Members.PDF, e.Page+1, e.Page+1); !contains(next, zebraText) {
				t.Errorf("members' item 5: page %d lacks the report:\n%s", e.Page+1, next)
			}
		}
	}
}

// "Page N" is stamped on every page, N counting from the front sheet.
func TestPageStamps(t *testing.T) {
	_, packs := fixturePacks(t)
	for _, p := range []*Pack{packs.Public, packs.Members} {
		for n := 1; n <= p.Pages; n++ {
			text := pdfToText(t, p.PDF, n, n)
			// Alone on its line: not an item's own "Page 3 of 12".
			if !regexp.MustCompile(`(?m)^\s*Page ` + strconv.Itoa(n) + `\s*$`).MatchString(text) {
				t.Errorf("%s page %d: no \"Page %d\" stamp:\n%s", p.Name, n, n, text)
			}
		}
	}
}

func flatten(bms []pdfcpu.Bookmark, depth int, out *[]string) {
	for _, b := range bms {
		*out = append(*out, fmt.Sprintf("%s%s @%d", strings.Repeat("  ", depth), b.Title, b.PageFrom))
		flatten(b.Kids, depth+1, out)
	}
}

// Every item with papers has a bookmark at its first page; its own
// headings and appendices are nested under it.
func TestBookmarks(t *testing.T) {
	_, packs := fixturePacks(t)
	for _, p := range []*Pack{packs.Public, packs.Members} {
		t.Run(p.Audience.String(), func(t *testing.T) {
			bms, err := api.Bookmarks(bytes.NewReader(p.PDF), pdfcpuConf())
			if err != nil {
				t.Fatal(err)
			}
			var lines []string
			flatten(bms, 0, &lines)
			all := strings.Join(lines, "\n")
			want := []string{"Front sheet @1", "Agenda @2"}
			for _, e := range p.Entries {
				if e.Page > 0 {
					want = append(want, fmt.Sprintf("Item %d: %s @%d", e.Number, e.Title, e.Page))
				}
			}
			var top []string
			for _, b := range bms {
				top = append(top, fmt.Sprintf("%s @%d", b.Title, b.PageFrom))
			}
			if strings.Join(top, "\n") != strings.Join(want, "\n") {
				t.Errorf("top-level bookmarks:\n%s\nwant:\n%s", strings.Join(top, "\n"), strings.Join(want, "\n"))
			}
			// Item 3, the generated report (4 pages and a landscape
			// appendix), starts on page 6: its headings and appendix
			// keep their pages.
			for _, w := range []string{
				"  Progress against the action plan @6",
				"    1. Introduction @6",
				"    4. Section 4 @9",
				"  Appendix 1: Progress against the action plan data @10",
				"  Appendix 1: Quarterly performance data @14", // from the DOCX, via LibreOffice
			} {
				if !strings.Contains(all, w+"\n") {
					t.Errorf("no bookmark %q in:\n%s", w, all)
				}
			}
		})
	}
}

// Nothing of an exempt item is in the public pack: not its text, title,
// report-of, description, file name or metadata; not in the page text, the
// decompressed bytes, the outline or the document information. All of it
// is in the members' pack. The structure tree holds none of it either.
func TestPublicPackLeaksNothing(t *testing.T) {
	_, packs := fixturePacks(t)
	secrets := []string{
		zebraText, zebraTitle, zebraFile, "QUAGGA", "Quagga", zebraReportOf, "Approve the disposal",
		okapiText, okapiTitle, okapiFile, "TAPIR", "Tapir", "OKAPI", "Okapi",
		"OKAPI-AUTHOR", "OKAPI-SUBJECT", "OKAPI-KEYWORDS",
	}
	pub := packs.Public.PDF
	text := pdfToText(t, pub, 0, 0)
	info := pdfInfo(t, pub)
	bms, err := api.Bookmarks(bytes.NewReader(pub), pdfcpuConf())
	if err != nil {
		t.Fatal(err)
	}
	var outline []string
	flatten(bms, 0, &outline)
	for _, s := range secrets {
		if contains(text, s) {
			t.Errorf("public pack text has %q", s)
		}
		if rawContains(pub, s) {
			t.Errorf("public pack bytes have %q", s)
		}
		if contains(info, s) {
			t.Errorf("public pack metadata has %q:\n%s", s, info)
		}
		if contains(strings.Join(outline, "\n"), s) {
			t.Errorf("public pack bookmarks have %q", s)
		}
	}
	// The structure tree, its RoleMap, ClassMap, ParentTree and IDTree:
	// every string and name reachable from its root, decoded (UTF-16,
	// escapes), and every element's page one of the public pack's.
	tr := readTree(t, pub)
	for _, s := range secrets {
		for _, x := range tr.texts {
			if contains(x, s) {
				t.Errorf("public pack structure tree has %q in %q", s, x)
			}
		}
	}
	pages := map[int]bool{}
	for _, pg := range tr.pages {
		pages[pg] = true
	}
	for k := range tr.reached {
		if !pages[k[0]] {
			t.Errorf("the public pack's structure tree reaches marked content on object %d, not one of its pages", k[0])
		}
	}
	for _, part := range []string{"RoleMap", "ClassMap", "ParentTree"} {
		if o, ok := tr.root.Find(part); ok {
			if r, ok := o.(types.IndirectRef); ok && !tr.objects[r.ObjectNumber.Value()] {
				t.Errorf("the walk missed the %s", part)
			}
		}
	}
	for _, want := range []string{"Item 6: Staffing matter (paragraphs 1 and 2)", "Item 5: Exempt report (paragraph 3)"} {
		if !slices.Contains(tr.sects, want) {
			t.Errorf("the public pack's items are %q, not with %q", tr.sects, want)
		}
	}
	// The walk finds what it looks for: the members' pack's tree has the
	// exempt papers' text.
	memTree := readTree(t, packs.Members.PDF)
	if !slices.ContainsFunc(memTree.texts, func(x string) bool { return contains(x, zebraTitle) }) {
		t.Errorf("the members' pack's structure tree lacks %q", zebraTitle)
	}
	atts, err := api.Attachments(bytes.NewReader(pub), pdfcpuConf())
	if err != nil || len(atts) > 0 {
		t.Errorf("public pack attachments: %v, %v", atts, err)
	}
	// The checks can find what they look for: all of it is in the
	// members' pack.
	mem := packs.Members.PDF
	memText := pdfToText(t, mem, 0, 0)
	for _, s := range []string{zebraText, zebraTitle, zebraReportOf, okapiText, okapiTitle} {
		if !contains(memText, s) {
			t.Errorf("members' pack text lacks %q", s)
		}
	}
	memBms, _ := api.Bookmarks(bytes.NewReader(mem), pdfcpuConf())
	var memOutline []string
	flatten(memBms, 0, &memOutline)
	if !contains(strings.Join(memOutline, "\n"), zebraTitle) {
		t.Errorf("members' pack bookmarks lack the exempt title")
	}
	if !rawContains(mem, zebraTitle) {
		t.Errorf("rawContains cannot find the exempt title in the members' pack bytes")
	}
	// The public agenda shows only what the notice allows.
	agenda := pdfToText(t, pub, 1, 2)
	for _, want := range []string{"Exempt report (paragraph 3)", "Staffing matter (paragraphs 1 and 2)",
		"Not for publication by virtue of paragraph 3 of Part 1 of Schedule 12A to the Local Government Act 1972"} {
		if !contains(agenda, want) {
			t.Errorf("public agenda lacks %q:\n%s", want, agenda)
		}
	}
}

// spy records which items a pack asks for.
type spy struct {
	l     loader
	asked []int
}

func (s *spy) load(it meeting.Item) (*source, error) {
	s.asked = append(s.asked, it.Number)
	return s.l.load(it)
}

// The public pack is built without asking for an exempt item's papers at
// all; and its guard refuses if anything ever did.
func TestPublicPackNeverReadsExempt(t *testing.T) {
	m, opt := pdfOnlyMeeting(t)
	srcs, err := loadSources(context.Background(), m, opt)
	if err != nil {
		t.Fatal(err)
	}
	s := &spy{l: srcs}
	tm := Timing{Published: opt.Published}
	if _, err := build(context.Background(), m, Public, tm, publicOnly{s}); err != nil {
		t.Fatal(err)
	}
	for _, n := range s.asked {
		if m.Items[n-1].IsExempt() {
			t.Errorf("the public pack asked for exempt item %d", n)
		}
	}
	if len(s.asked) == 0 {
		t.Error("the public pack asked for nothing")
	}
	if _, err := (publicOnly{srcs}).load(m.Items[2]); err == nil || !m.Items[2].IsExempt() {
		t.Errorf("publicOnly gave exempt item 3: %v", err)
	}
}

// pdfOnlyMeeting is a small meeting that needs no LibreOffice: minutes,
// the report, an exempt PDF.
func pdfOnlyMeeting(t *testing.T) (*meeting.Meeting, Options) {
	t.Helper()
	dir := t.TempDir()
	writePDF(t, filepath.Join(dir, "minutes.pdf"), paper("Minutes", "MARK-MINUTES", 1))
	writePDF(t, filepath.Join(dir, okapiFile), paper(okapiTitle, okapiText, 1))
	yml := `council: Test Council
committee: Test Panel
date: 2020-11-26
time: 10am
venue: Room 1
members: [{name: Councillor One, role: Chair}]
clerk: {name: Clerk, email: clerk@example.gov.uk}
items:
  - {title: Minutes, file: minutes.pdf}
  - {title: Progress report, report: progress}
  - {title: ` + okapiTitle + `, file: ` + okapiFile + `, exempt: 1}
`
	path := filepath.Join(dir, "m.yaml")
	if err := os.WriteFile(path, []byte(yml), 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := meeting.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return m, Options{
		Reports:   map[string][]byte{"progress": pdfBytes(t, paper("Progress report", "MARK-REPORT", 2))},
		Published: time.Date(2020, 11, 18, 0, 0, 0, 0, time.UTC),
		Soffice:   "/nonexistent/soffice", // never needed
	}
}

// Published with fewer than five clear working days: the warning is on
// both front sheets, and Timing says so.
func TestLatePack(t *testing.T) {
	tests := []struct {
		published string
		late      bool
		clear     int
	}{
		{"2020-11-18", false, 5},
		{"2020-11-19", true, 4},
		{"2020-11-23", true, 2},
		{"2020-11-27", true, 0}, // after the meeting
	}
	for _, tt := range tests {
		t.Run(tt.published, func(t *testing.T) {
			m, opt := pdfOnlyMeeting(t)
			opt.Published, _ = time.Parse("2006-01-02", tt.published)
			p, err := Build(context.Background(), m, opt)
			if err != nil {
				t.Fatal(err)
			}
			if p.Timing.Late != tt.late || p.Timing.Clear != tt.clear || !p.Timing.PublishBy.Equal(time.Date(2020, 11, 18, 0, 0, 0, 0, time.UTC)) {
				t.Errorf("timing %+v", p.Timing)
			}
			for _, pk := range []*Pack{p.Public, p.Members} {
				front := pdfToText(t, pk.PDF, 1, 1)
				if contains(front, LateWarning) != tt.late {
					t.Errorf("%s: warning shown %v, late %v:\n%s", pk.Name, !tt.late, tt.late, front)
				}
				if !contains(front, "Date of publication "+meeting.LongDate(opt.Published)) {
					t.Errorf("%s: no publication date on the front sheet:\n%s", pk.Name, front)
				}
			}
		})
	}
}

func TestNoPublicationDate(t *testing.T) {
	m, opt := pdfOnlyMeeting(t)
	opt.Published = time.Time{}
	if _, err := Build(context.Background(), m, opt); err == nil {
		t.Error("built without a publication date")
	}
}

// A long agenda pushes the items back a page; the page numbers follow.
func TestLongAgenda(t *testing.T) {
	m, opt := pdfOnlyMeeting(t)
	var items []meeting.Item
	for i := range 45 {
		items = append(items, meeting.Item{Title: fmt.Sprintf("Item without papers number %d", i+1),
			Description: "A description long enough to take a second line in the agenda's subject column, so that the agenda runs over a page."})
	}
	m.Items = append(items, m.Items...)
	for i := range m.Items {
		m.Items[i].Number = i + 1
	}
	p, err := Build(context.Background(), m, opt)
	if err != nil {
		t.Fatal(err)
	}
	last := p.Public.Entries[len(p.Public.Entries)-1]
	if p.Public.Entries[45].Page < 4 {
		t.Fatalf("the agenda did not run over: the first item with papers is on page %d", p.Public.Entries[45].Page)
	}
	if last.Page+last.Pages-1 != p.Public.Pages {
		t.Errorf("last item ends on %d of %d pages", last.Page+last.Pages-1, p.Public.Pages)
	}
	first := pdfToText(t, p.Public.PDF, p.Public.Entries[45].Page, p.Public.Entries[45].Page)
	if !contains(first, "MARK-MINUTES") {
		t.Errorf("item 46 is not on page %d", p.Public.Entries[45].Page)
	}
	bms, err := api.Bookmarks(bytes.NewReader(p.Public.PDF), pdfcpuConf())
	if err != nil || bms[1].Title != "Agenda" || bms[1].PageFrom != 2 {
		t.Errorf("agenda bookmark: %v %v", bms, err)
	}
}

func TestSave(t *testing.T) {
	m, opt := pdfOnlyMeeting(t)
	p, err := Build(context.Background(), m, opt)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "out", "2020-11-26")
	paths, err := p.Save(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, "Test Panel agenda pack.pdf"), filepath.Join(dir, "Test Panel members pack.pdf")}
	if strings.Join(paths, "|") != strings.Join(want, "|") {
		t.Errorf("paths %v", paths)
	}
	for i, path := range paths {
		b, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(b, []*Pack{p.Public, p.Members}[i].PDF) {
			t.Errorf("%s: %v", path, err)
		}
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".*"))
	if len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
	// A folder that cannot be made: an error, and nothing written.
	blocker := filepath.Join(t.TempDir(), "file")
	os.WriteFile(blocker, nil, 0o644)
	if _, err := p.Save(context.Background(), filepath.Join(blocker, "out")); err == nil {
		t.Error("saved under a file")
	}
}

func TestFilename(t *testing.T) {
	for in, want := range map[string]string{
		"Children and Families Scrutiny Panel": "Children and Families Scrutiny Panel agenda pack.pdf",
		"Audit/Governance: Committee":          "Audit-Governance- Committee agenda pack.pdf",
		"  ":                                   "Committee agenda pack.pdf",
		"../..":                                "- agenda pack.pdf",
	} {
		if got := Filename(in, Public); got != want {
			t.Errorf("Filename(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Filename("Panel", Members); got != "Panel members pack.pdf" {
		t.Errorf("members: %q", got)
	}
}

func TestConvertErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "damaged report.docx")
	os.WriteFile(bad, []byte("PK\x03\x04 this is not really a zip"), 0o644)
	_, err := converter{soffice: "/nonexistent/soffice"}.convert(context.Background(), []string{bad})
	if !errors.Is(err, ErrNoLibreOffice) {
		t.Errorf("no soffice: %v", err)
	}
	needTool(t, "soffice")
	_, err = converter{}.convert(context.Background(), []string{bad})
	if err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("damaged docx: %v", err)
	}
	// A conversion that takes too long is stopped, LibreOffice and all.
	good := filepath.Join(dir, "good.docx")
	writeDOCX(t, good, paper("Good", "MARK", 1))
	_, err = converter{timeout: 300 * time.Millisecond}.convert(context.Background(), []string{good})
	if err == nil || !strings.Contains(err.Error(), "did not finish converting") {
		t.Errorf("timeout: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	time.Sleep(2 * time.Millisecond)
	if _, err := (converter{}).convert(ctx, []string{bad}); err == nil {
		t.Error("converted after the context ended")
	}
}

// The item's report is missing, or a PDF is damaged: an error naming it.
func TestSourceErrors(t *testing.T) {
	m, opt := pdfOnlyMeeting(t)
	opt.Reports = nil
	if _, err := Build(context.Background(), m, opt); err == nil || !strings.Contains(err.Error(), `no report named "progress"`) {
		t.Errorf("missing report: %v", err)
	}
	m, opt = pdfOnlyMeeting(t)
	os.WriteFile(m.Items[0].File, []byte("%PDF-1.4\nnot really"), 0o644)
	if _, err := Build(context.Background(), m, opt); err == nil || !strings.Contains(err.Error(), m.Items[0].File) {
		t.Errorf("damaged PDF: %v", err)
	}
}

// How long a pack takes: the generated report and a 20-page DOCX.
func TestTwentyPageDocxTiming(t *testing.T) {
	if testing.Short() {
		t.Skip("timing")
	}
	needTool(t, "soffice")
	dir := t.TempDir()
	writeDOCX(t, filepath.Join(dir, "long.docx"), paper("A long report", "MARK-LONG", 20))
	m := &meeting.Meeting{Council: "C", Committee: "Panel", Date: time.Date(2020, 11, 26, 0, 0, 0, 0, time.UTC), Time: "10:00", Venue: "V",
		Members: []meeting.Member{{Name: "A"}}, Clerk: meeting.Contact{Name: "B", Email: "b@example.gov.uk"},
		Items: []meeting.Item{
			{Number: 1, Title: "Progress", Report: "progress"},
			{Number: 2, Title: "A long report", File: filepath.Join(dir, "long.docx")},
		}}
	report, err := os.ReadFile(filepath.Join("..", "..", "cmd", "papers", "testdata", "sample-report.pdf"))
	if err != nil {
		report = pdfBytes(t, paper("Progress", "MARK-REPORT", 12))
	}
	var stages []string
	last := time.Now()
	start := last
	p, err := Build(context.Background(), m, Options{
		Reports: map[string][]byte{"progress": report}, Published: time.Date(2020, 11, 18, 0, 0, 0, 0, time.UTC),
		Progress: func(s string) {
			stages = append(stages, fmt.Sprintf("%s (after %s)", s, time.Since(last).Round(time.Millisecond)))
			last = time.Now()
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d + %d pages in %s; stages: %s; last stage %s", p.Public.Entries[0].Pages, p.Public.Entries[1].Pages,
		time.Since(start).Round(time.Millisecond), strings.Join(stages, "; "), time.Since(last).Round(time.Millisecond))
	if p.Public.Entries[1].Pages < 20 {
		t.Errorf("the long report has %d pages", p.Public.Entries[1].Pages)
	}
}
