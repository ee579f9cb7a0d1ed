package pack

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"

	"papers/internal/meeting"
)

// encryptFile encrypts the PDF at path in place with pdfcpu (AES-256): with
// only an owner password when user is "", else needing user to open.
func encryptFile(t *testing.T, path, user, owner string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	conf := model.NewAESConfiguration(user, owner, 256)
	if err := api.Encrypt(bytes.NewReader(b), &out, conf); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out.Bytes(), []byte("/Encrypt")) {
		t.Fatal("the fixture is not encrypted")
	}
	if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// A PDF with only an owner password opens in any reader without one: the
// pack takes it as it is, and the pack itself is not encrypted.
func TestOwnerPasswordOnlyPDFIsUsed(t *testing.T) {
	m, opt := pdfOnlyMeeting(t)
	encryptFile(t, m.Items[0].File, "", "owner-secret")
	p, err := Build(context.Background(), m, opt)
	if err != nil {
		t.Fatalf("refused: %v", err)
	}
	e := p.Public.Entries[0]
	if text := pdfToText(t, p.Public.PDF, e.Page, e.Page); !contains(text, "MARK-MINUTES") {
		t.Errorf("page %d lacks the minutes' text:\n%s", e.Page, text)
	}
	if info := pdfInfo(t, p.Public.PDF); !strings.Contains(info, "Encrypted:       no") {
		t.Errorf("the pack is encrypted:\n%s", info)
	}
}

// A PDF that needs a password to open: the clerk is told which item, where
// in the meeting file, and what to do.
func TestUserPasswordPDFIsExplained(t *testing.T) {
	m, opt := pdfOnlyMeeting(t)
	encryptFile(t, m.Items[0].File, "open-secret", "owner-secret")
	_, err := Build(context.Background(), m, opt)
	if !errors.Is(err, ErrNeedsPassword) {
		t.Fatalf("got %v, want ErrNeedsPassword", err)
	}
	msg := err.Error()
	t.Log(msg)
	for _, want := range []string{
		filepath.Join(filepath.Dir(m.Items[0].File), "m.yaml") + ":9: item 1 (Minutes): ",
		m.Items[0].File + " needs a password to open",
		"save or print a copy without one",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("no %q in %q", want, msg)
		}
	}
	for _, leak := range []string{"pdfcpu", "read context", "encryption status"} {
		if strings.Contains(msg, leak) {
			t.Errorf("%q in %q", leak, msg)
		}
	}
}

// A damaged PDF: named with its item and line, in the clerk's words.
func TestDamagedPDFIsExplained(t *testing.T) {
	m, opt := pdfOnlyMeeting(t)
	os.WriteFile(m.Items[2].File, []byte("%PDF-1.7\nthis is not a PDF\n"), 0o644)
	_, err := Build(context.Background(), m, opt)
	if !errors.Is(err, ErrUnreadable) || !strings.Contains(err.Error(), "m.yaml:11: item 3 ("+okapiTitle+"): ") ||
		!strings.Contains(err.Error(), "may be damaged") {
		t.Errorf("got %v", err)
	}
}

// A Word file LibreOffice cannot open: the item, its line, and what to do,
// without LibreOffice's temporary file names or filter.
func TestDamagedDocxIsExplained(t *testing.T) {
	needTool(t, "soffice")
	m, opt := pdfOnlyMeeting(t)
	dir := filepath.Dir(m.Items[0].File)
	bad := filepath.Join(dir, "damaged.docx")
	// A zip that is not a Word document (the meeting file's check passes: it starts PK).
	os.WriteFile(bad, []byte("PK\x03\x04\x14\x00\x00\x00\x08\x00 truncated and damaged"), 0o644)
	yml := `council: Test Council
committee: Test Panel
date: 2020-11-26
time: 10am
venue: Room 1
members: [{name: Councillor One, role: Chair}]
clerk: {name: Clerk, email: clerk@example.gov.uk}
items:
  - title: Minutes
    file: minutes.pdf
  - title: Budget monitoring
    report_of: Chief Finance Officer
    file: damaged.docx
`
	path := filepath.Join(dir, "damaged.yaml")
	os.WriteFile(path, []byte(yml), 0o644)
	m, err := meeting.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	opt.Soffice, opt.Cache = "", t.TempDir()
	_, err = Build(context.Background(), m, opt)
	if !errors.Is(err, ErrUnreadable) {
		t.Fatalf("got %v", err)
	}
	msg := err.Error()
	t.Log(msg)
	for _, want := range []string{path + ":13: item 2 (Budget monitoring): ", "LibreOffice cannot open " + bad, "save a new copy"} {
		if !strings.Contains(msg, want) {
			t.Errorf("no %q in %q", want, msg)
		}
	}
	for _, leak := range []string{"papers-soffice", "writer_pdf_Export", "item-00", os.TempDir() + "/papers"} {
		if strings.Contains(msg, leak) {
			t.Errorf("%q in %q", leak, msg)
		}
	}
}

// A Word paper that has gone since the meeting file was checked: named
// with its item and line, before LibreOffice is started.
func TestMissingDocxIsPlaced(t *testing.T) {
	m, opt := fixtureMeeting(t)
	os.Remove(m.Items[3].File)
	opt.Soffice = "/bin/false" // never started: the file is missing first
	_, err := Build(context.Background(), m, opt)
	if err == nil || !strings.Contains(err.Error(), m.Source+":19: item 4 (Quarterly performance): cannot read "+m.Items[3].File) {
		t.Errorf("got %v", err)
	}
}
