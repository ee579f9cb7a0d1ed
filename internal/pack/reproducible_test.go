package pack

import (
	"bytes"
	"context"
	"regexp"
	"testing"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
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

// Without LibreOffice too, and with a paper that papers must decrypt first
// (pdfcpu writes the decrypted copy with the clock's dates and its own ID):
// still the same bytes, and every object the pack refers to is in it.
func TestPDFOnlyPacksAreReproducible(t *testing.T) {
	m, opt := pdfOnlyMeeting(t)
	encryptFile(t, m.Items[0].File, "", "owner-secret")
	var packs []*Packs
	for range 2 {
		p, err := Build(context.Background(), m, opt)
		if err != nil {
			t.Fatal(err)
		}
		packs = append(packs, p)
		time.Sleep(1100 * time.Millisecond) // a clock in the bytes would show
	}
	if !bytes.Equal(packs[0].Public.PDF, packs[1].Public.PDF) || !bytes.Equal(packs[0].Members.PDF, packs[1].Members.PDF) {
		t.Error("two builds differ")
	}
	if err := api.Validate(bytes.NewReader(packs[0].Members.PDF), pdfcpuConf()); err != nil {
		t.Errorf("the members' pack does not validate: %v", err)
	}
}
