package pack

import (
	"bytes"
	"context"
	"regexp"
	"testing"
)

// The same meeting file, papers and configuration give the same packs,
// byte for byte: two builds, each converting the Word papers afresh
// (LibreOffice's own output differs every time in its dates and /ID).
func TestPacksAreReproducible(t *testing.T) {
	needTool(t, "soffice")
	m, opt := fixtureMeeting(t)
	first, err := Build(context.Background(), m, opt)
	if err != nil {
		t.Fatal(err)
	}
	second, err := Build(context.Background(), m, opt)
	if err != nil {
		t.Fatal(err)
	}
	for _, pair := range [][2]*Pack{{first.Public, second.Public}, {first.Members, second.Members}} {
		a, b := pair[0], pair[1]
		if !bytes.Equal(a.PDF, b.PDF) {
			t.Errorf("%s: two builds differ (%d and %d bytes)", a.Name, len(a.PDF), len(b.PDF))
		}
	}
	// The dates are the publication day's, not the clock's; the two packs'
	// IDs differ, since their contents do.
	info := pdfInfo(t, first.Public.PDF)
	for _, want := range []string{`CreationDate:\s+Wed Nov 18 00:00:00 2020 UTC`, `ModDate:\s+Wed Nov 18 00:00:00 2020 UTC`} {
		if !regexp.MustCompile(want).MatchString(info) {
			t.Errorf("public pack: no %q in\n%s", want, info)
		}
	}
	idRE := regexp.MustCompile(`/ID \[<([0-9a-f]{32})>`)
	pub, mem := idRE.FindSubmatch(first.Public.PDF), idRE.FindSubmatch(first.Members.PDF)
	if pub == nil || mem == nil || bytes.Equal(pub[1], mem[1]) {
		t.Errorf("file IDs: public %q, members %q", pub, mem)
	}
}
