package pack

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"papers/internal/meeting"
)

// The pack's page tree must be balanced, and its page stamps must not pile
// names into one resource dictionary shared by every page: that made
// validating a 1,000-page pack take time quadratic in its pages (a minute
// for 2,000 actions). Each page's fonts are its own few and the stamps'.
func TestStampsDoNotShareResources(t *testing.T) {
	const pages = 60
	m := &meeting.Meeting{Council: "Council", Committee: "Panel", Date: time.Date(2021, 6, 30, 0, 0, 0, 0, time.UTC),
		Time: "17:30", Venue: "Civic Centre", Clerk: meeting.Contact{Name: "Clerk"},
		Items: []meeting.Item{
			{Number: 1, Title: "Progress", Report: "progress"},
			{Number: 2, Title: "Progress in detail", Report: "progress", Exempt: []int{1}},
		}}
	packs, err := Build(context.Background(), m, Options{
		Reports:   map[string][]byte{"progress": pdfBytes(t, paper("Progress", "Marker", pages))},
		Published: time.Date(2021, 6, 18, 0, 0, 0, 0, time.UTC),
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []*Pack{packs.Public, packs.Members} {
		conf := pdfcpuConf()
		conf.Optimize = false // optimising would rebuild the dictionaries
		ctx, err := api.ReadAndValidate(bytes.NewReader(p.PDF), conf)
		if err != nil {
			t.Fatal(err)
		}
		if ctx.PageCount < pages {
			t.Fatalf("%s: %d pages read", p.Name, ctx.PageCount)
		}
		// The page tree is balanced: pdfcpu walks it from the root to find
		// each page, so a flat list of pages makes stamping quadratic.
		root, err := ctx.Pages()
		if err != nil {
			t.Fatal(err)
		}
		var walk func(ref types.IndirectRef, depth int) int
		walk = func(ref types.IndirectRef, depth int) int {
			d, err := ctx.DereferenceDict(ref)
			if err != nil {
				t.Fatal(err)
			}
			if typ := d.Type(); typ == nil || *typ != "Pages" {
				return 1
			}
			kids := d.ArrayEntry("Kids")
			if len(kids) > pageFanout {
				t.Errorf("%s: a page tree node at depth %d has %d kids", p.Name, depth, len(kids))
			}
			n := 0
			for _, k := range kids {
				n += walk(k.(types.IndirectRef), depth+1)
			}
			if c := d.IntEntry("Count"); c == nil || *c != n {
				t.Errorf("%s: a node's Count is %v, but it has %d pages", p.Name, c, n)
			}
			return n
		}
		if n := walk(*root, 0); n != ctx.PageCount {
			t.Errorf("%s: the tree has %d pages, the pack %d", p.Name, n, ctx.PageCount)
		}
		for pg := 1; pg <= ctx.PageCount; pg++ {
			_, _, attrs, err := ctx.PageDict(pg, false)
			if err != nil {
				t.Fatal(err)
			}
			o, ok := attrs.Resources.Find("Font")
			if !ok {
				t.Fatalf("%s page %d: no fonts: the stamps are missing", p.Name, pg)
			}
			fonts, err := ctx.DereferenceDict(o)
			if err != nil {
				t.Fatal(err)
			}
			// The page's own (two at most here) and the stamps' font.
			if len(fonts) > 3 {
				t.Fatalf("%s page %d: the font dictionary has %d names: one shared across pages is growing", p.Name, pg, len(fonts))
			}
			if name, ok := fonts["PapersMark"]; !ok {
				t.Errorf("%s page %d: no stamp font in %v", p.Name, pg, fonts)
			} else if f, err := ctx.DereferenceDict(name); err != nil || f.NameEntry("BaseFont") == nil || !strings.HasSuffix(*f.NameEntry("BaseFont"), "+LiberationSans") {
				t.Errorf("%s page %d: the stamp font is %v (%v)", p.Name, pg, f, err)
			}
		}
	}
}
