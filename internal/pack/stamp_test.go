package pack

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"

	"papers/internal/meeting"
)

// A word as pdftotext -bbox gives it: in the page as a reader sees it
// (rotation applied), y measured down from the top.
type bboxWord struct {
	text                   string
	xMin, yMin, xMax, yMax float64
}

type bboxPage struct {
	width, height float64
	words         []bboxWord
}

var (
	bboxPageRE = regexp.MustCompile(`<page width="([0-9.]+)" height="([0-9.]+)">`)
	bboxWordRE = regexp.MustCompile(`<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>`)
)

func bboxPages(t *testing.T, b []byte) []bboxPage {
	t.Helper()
	needTool(t, "pdftotext")
	cmd := exec.Command("pdftotext", "-bbox", "-", "-")
	cmd.Stdin = bytes.NewReader(b)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext -bbox: %v", err)
	}
	f := func(s string) float64 {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	var pages []bboxPage
	for line := range strings.Lines(string(out)) {
		if m := bboxPageRE.FindStringSubmatch(line); m != nil {
			pages = append(pages, bboxPage{width: f(m[1]), height: f(m[2])})
		} else if m := bboxWordRE.FindStringSubmatch(line); m != nil && len(pages) > 0 {
			p := &pages[len(pages)-1]
			p.words = append(p.words, bboxWord{m[5], f(m[1]), f(m[2]), f(m[3]), f(m[4])})
		}
	}
	return pages
}

// line finds the words of text, one after another on the page, and
// returns the box around them: the lowest on the page, where there are
// several (a paper's own footer may say "Page 2 of 3").
func (p bboxPage) line(text string) (bboxWord, bool) {
	want := strings.Fields(text)
	var found bboxWord
	for i := 0; i+len(want) <= len(p.words); i++ {
		box := p.words[i]
		ok := true
		for j, w := range want {
			got := p.words[i+j]
			if got.text != w {
				ok = false
				break
			}
			box.xMin, box.xMax = math.Min(box.xMin, got.xMin), math.Max(box.xMax, got.xMax)
			box.yMin, box.yMax = math.Min(box.yMin, got.yMin), math.Max(box.yMax, got.yMax)
		}
		if ok && box.yMax > found.yMax {
			box.text = text
			found = box
		}
	}
	return found, found.text != ""
}

// The stamps sit where a reader of the page sees them, upright: "Page N"
// centred at the foot of every page and, in the members' pack, the exempt
// banner centred at the head of each page of an exempt paper. The papers
// here are portrait and landscape, and turned by their /Rotate 90, 180 and
// 270 degrees, as a scanned paper may be; the last two are exempt.
func TestStampPlacement(t *testing.T) {
	base := pdfBytes(t, paper("Turned paper", "MARK-TURNED", 1)) // a portrait page and a landscape one
	reports := map[string][]byte{"r0": base}
	for _, r := range []int{90, 180, 270} {
		var out bytes.Buffer
		if err := api.Rotate(bytes.NewReader(base), &out, r, nil, pdfcpuConf()); err != nil {
			t.Fatal(err)
		}
		reports[fmt.Sprint("r", r)] = out.Bytes()
	}
	m := &meeting.Meeting{Council: "Council", Committee: "Panel", Date: time.Date(2021, 6, 30, 0, 0, 0, 0, time.UTC),
		Time: "17:30", Venue: "Civic Centre", Clerk: meeting.Contact{Name: "Clerk"}}
	for i, r := range []int{0, 90, 180, 270} {
		it := meeting.Item{Number: i + 1, Title: fmt.Sprintf("Turned %d degrees", r), Report: fmt.Sprint("r", r)}
		if r >= 180 {
			it.Exempt = []int{3}
		}
		m.Items = append(m.Items, it)
	}
	packs, err := Build(context.Background(), m, Options{Reports: reports, Published: time.Date(2021, 6, 18, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	exempt := map[int]bool{}
	for _, e := range packs.Members.Entries {
		if e.Exempt != nil {
			for pg := e.Page + 1; pg < e.Page+e.Pages; pg++ { // after the notice
				exempt[pg] = true
			}
		}
	}
	if len(exempt) != 4 {
		t.Fatalf("%d exempt pages, want the 2 exempt papers' 2 each: %v", len(exempt), packs.Members.Entries)
	}
	centred := func(name string, n int, p bboxPage, box bboxWord) {
		t.Helper()
		if mid := (box.xMin + box.xMax) / 2; math.Abs(mid-p.width/2) > 1.5 {
			t.Errorf("%s page %d (%.0f × %.0f): %q is centred at %.1f, not %.1f", name, n, p.width, p.height, box.text, mid, p.width/2)
		}
		if box.xMax-box.xMin < 2*(box.yMax-box.yMin) {
			t.Errorf("%s page %d: %q is not upright: %+v", name, n, box.text, box)
		}
	}
	for _, pk := range []*Pack{packs.Public, packs.Members} {
		pages := bboxPages(t, pk.PDF)
		if len(pages) != pk.Pages {
			t.Fatalf("%s: pdftotext read %d pages of %d", pk.Name, len(pages), pk.Pages)
		}
		// pdftotext gives each page's size unturned, its words as shown.
		turned := 0
		for _, r := range pageRotations(t, pk.PDF) {
			if r.rot == 90 || r.rot == 270 {
				p := &pages[r.page-1]
				p.width, p.height = p.height, p.width
				turned++
			}
		}
		// The 90° paper's two pages in both packs; the 270° one's in the
		// members' pack only, as it is exempt.
		if want := map[*Pack]int{packs.Public: 2, packs.Members: 4}[pk]; turned != want {
			t.Errorf("%s: %d pages turned a quarter, want %d", pk.Name, turned, want)
		}
		shapes := map[string]bool{}
		for i, p := range pages {
			n := i + 1
			shapes[fmt.Sprintf("%.0fx%.0f", p.width, p.height)] = true
			foot, ok := p.line(fmt.Sprintf(pageStamp, n))
			if !ok {
				t.Errorf("%s page %d: no %q", pk.Name, n, fmt.Sprintf(pageStamp, n))
				continue
			}
			centred(pk.Name, n, p, foot)
			// The baseline 13 pt above the foot.
			if foot.yMax > p.height-8 || foot.yMin < p.height-24 {
				t.Errorf("%s page %d: %q is at %.1f–%.1f from the top of %.1f, not at the foot", pk.Name, n, foot.text, foot.yMin, foot.yMax, p.height)
			}
			head, ok := p.line(exemptStamp)
			if want := pk == packs.Members && exempt[n]; ok != want {
				t.Errorf("%s page %d: exempt banner %v, want %v", pk.Name, n, ok, want)
			}
			if ok {
				centred(pk.Name, n, p, head)
				if head.yMin < 10 || head.yMax > 25 {
					t.Errorf("%s page %d: the banner is at %.1f–%.1f from the top, not at the head", pk.Name, n, head.yMin, head.yMax)
				}
			}
		}
		// Portrait and landscape as shown: the turned papers give both.
		if !shapes["595x842"] || !shapes["842x595"] {
			t.Errorf("%s: page shapes %v, want portrait and landscape", pk.Name, shapes)
		}
	}
}

// The marks' embedded font has Helvetica's widths (Adobe's figures: "Page
// 1" at 9 pt is 28.521 pt wide), so the marks sit where they did when they
// were set in Helvetica.
func TestStampWidths(t *testing.T) {
	face, err := stampFace()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		s    string
		want float64
	}{
		{"Page 1", 3169},
		{"Page 2090", 667 + 556 + 556 + 556 + 278 + 556*4},
		{exemptStamp, 20893}, // 167.144 pt at 8 pt, as pdfcpu had it
	} {
		if got := textWidth(face, tc.s); got != tc.want {
			t.Errorf("textWidth(%q) = %v, want %v", tc.s, got, tc.want)
		}
	}
	for _, r := range stampChars {
		if face.Glyphs[r] == 0 && r != ' ' {
			t.Errorf("the marks' font has no glyph for %q", r)
		}
	}
}

type pageRotation struct{ page, rot int }

var pdfinfoRotRE = regexp.MustCompile(`(?m)^Page +(\d+) rot: +(\d+)`)

// pageRotations are the pages' /Rotate, as pdfinfo reads them.
func pageRotations(t *testing.T, b []byte) []pageRotation {
	t.Helper()
	needTool(t, "pdfinfo")
	cmd := exec.Command("pdfinfo", "-f", "1", "-l", "100000", "-")
	cmd.Stdin = bytes.NewReader(b)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	var rs []pageRotation
	for _, m := range pdfinfoRotRE.FindAllStringSubmatch(string(out), -1) {
		n, _ := strconv.Atoi(m[1])
		r, _ := strconv.Atoi(m[2])
		rs = append(rs, pageRotation{n, r})
	}
	if len(rs) == 0 {
		t.Fatalf("pdfinfo gave no page rotations:\n%s", out)
	}
	return rs
}
