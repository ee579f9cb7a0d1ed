package export

import (
	"bytes"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

const meetingURL = "https://democracy.example.gov.uk/oparl/meeting/2020-11-26-cfsp"

func meeting() Meeting {
	london := time.FixedZone("GMT", 0)
	docx := []byte("PK\x03\x04 the report as Word")
	pdf := []byte("%PDF-1.7 the report")
	report := "https://democracy.example.gov.uk/documents/2020-11-26/"
	return Meeting{
		ID:       meetingURL + "/",
		Name:     "Children and Families Scrutiny Panel",
		Start:    time.Date(2020, 11, 26, 17, 30, 0, 0, london),
		Location: "Virtual meeting",
		Modified: time.Date(2020, 11, 18, 9, 0, 0, 0, london),
		Items: []Item{
			{Number: "1", Title: "Apologies and changes in membership", Public: true},
			{Number: "5", Title: "Progress against the action plan & what's overdue", Public: true, Files: []File{
				NewFile("Progress against the action plan", "action-plan-progress.docx", report+"action-plan-progress.docx", docx),
				NewFile("Progress against the action plan", "action-plan-progress.pdf", report+"action-plan-progress.pdf", pdf),
				NewFile("Appendix 1: Position statement", "appendix-1.pdf", report+"appendix-1.pdf", []byte("%PDF appendix")),
			}},
			{Number: "6", Title: "Child Q: placement review", Public: false, NoticeTitle: "Confidential item: exempt under paragraph 2 (information likely to reveal the identity of an individual)",
				Files: []File{NewFile("Child Q", "child-q.pdf", report+"child-q.pdf", []byte("%PDF secret"))}},
			{Number: "7", Title: "Exempt minutes", Public: false},
		},
	}
}

func TestWriteOParlGolden(t *testing.T) {
	var b bytes.Buffer
	if err := WriteOParl(&b, meeting()); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "meeting.golden.json")
	if *update {
		if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (go test -update writes it)", err)
	}
	if !bytes.Equal(b.Bytes(), want) {
		t.Errorf("OParl JSON differs from %s (go test -update rewrites it if the change is meant):\n%s", golden, b.String())
	}
	var again bytes.Buffer
	if err := WriteOParl(&again, meeting()); err != nil || !bytes.Equal(again.Bytes(), b.Bytes()) {
		t.Error("two exports of the same meeting differ")
	}
}

func TestWriteOParlFields(t *testing.T) {
	var b bytes.Buffer
	if err := WriteOParl(&b, meeting()); err != nil {
		t.Fatal(err)
	}
	var m struct {
		ID, Type, Name, Start, Created, Modified string
		Location                                 struct{ ID, Type, Description string }
		AgendaItem                               []struct {
			ID, Type, Number, Name string
			Public                 *bool
			AuxiliaryFile          []struct {
				ID, Type, Name, FileName, MimeType, AccessURL string
				Size                                          int64
				SHA512Checksum                                string
				SHA1Checksum                                  string
				MasterFile                                    string
				DerivativeFile                                []string
				Created, Modified                             string
			}
		}
	}
	if err := json.Unmarshal(b.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	if m.ID != meetingURL || m.Type != "https://schema.oparl.org/1.1/Meeting" || m.Name != "Children and Families Scrutiny Panel" {
		t.Errorf("meeting: %q %q %q", m.ID, m.Type, m.Name)
	}
	if m.Start != "2020-11-26T17:30:00+00:00" || m.Created != "2020-11-18T09:00:00+00:00" || m.Modified != m.Created {
		t.Errorf("times: start %q created %q modified %q", m.Start, m.Created, m.Modified)
	}
	if m.Location.Description != "Virtual meeting" || m.Location.Type != "https://schema.oparl.org/1.1/Location" {
		t.Errorf("location: %+v", m.Location)
	}
	if len(m.AgendaItem) != 4 {
		t.Fatalf("%d agenda items, want 4", len(m.AgendaItem))
	}
	for i, it := range m.AgendaItem {
		if it.Type != "https://schema.oparl.org/1.1/AgendaItem" || it.Public == nil || !strings.HasPrefix(it.ID, meetingURL+"/agendaitem/") {
			t.Errorf("item %d: %+v", i, it)
		}
	}

	report := m.AgendaItem[1]
	if report.Name != "Progress against the action plan & what's overdue" || !*report.Public || report.Number != "5" {
		t.Errorf("public item: %+v", report)
	}
	if len(report.AuxiliaryFile) != 3 {
		t.Fatalf("%d files, want 3", len(report.AuxiliaryFile))
	}
	docx, pdf, appendix := report.AuxiliaryFile[0], report.AuxiliaryFile[1], report.AuxiliaryFile[2]
	sum := sha512.Sum512([]byte("%PDF-1.7 the report"))
	if pdf.SHA512Checksum != hex.EncodeToString(sum[:]) || pdf.Size != int64(len("%PDF-1.7 the report")) || pdf.SHA1Checksum != "" {
		t.Errorf("pdf checksum %q size %d sha1 %q", pdf.SHA512Checksum, pdf.Size, pdf.SHA1Checksum)
	}
	if pdf.MimeType != "application/pdf" || docx.MimeType != "application/vnd.openxmlformats-officedocument.wordprocessingml.document" {
		t.Errorf("mime types %q, %q", pdf.MimeType, docx.MimeType)
	}
	if pdf.MasterFile != docx.ID || len(docx.DerivativeFile) != 1 || docx.DerivativeFile[0] != pdf.ID {
		t.Errorf("DOCX %s -> PDF %s not linked: master %q, derivatives %q", docx.ID, pdf.ID, pdf.MasterFile, docx.DerivativeFile)
	}
	if appendix.MasterFile != "" || len(appendix.DerivativeFile) != 0 {
		t.Errorf("an appendix with no master is linked: %+v", appendix)
	}
	for _, f := range report.AuxiliaryFile {
		if f.Type != "https://schema.oparl.org/1.1/File" || f.AccessURL == "" || f.Created == "" || f.Modified == "" {
			t.Errorf("file %+v", f)
		}
	}

	for i, want := range []string{"Confidential item: exempt under paragraph 2 (information likely to reveal the identity of an individual)", "Exempt item"} {
		it := m.AgendaItem[2+i]
		if *it.Public || it.Name != want || len(it.AuxiliaryFile) != 0 {
			t.Errorf("exempt item: %+v", it)
		}
	}
	if strings.Contains(b.String(), "Child Q") || strings.Contains(b.String(), "child-q") {
		t.Error("an exempt item's title or file is in the export")
	}
}

func TestWriteOParlErrors(t *testing.T) {
	for name, tc := range map[string]struct {
		edit func(*Meeting)
		want string
	}{
		"no URL":           {func(m *Meeting) { m.ID = "" }, "no URL"},
		"no start":         {func(m *Meeting) { m.Start = time.Time{} }, "no start"},
		"unknown master":   {func(m *Meeting) { m.Items[1].Files[2].Master = "missing.docx" }, `"appendix-1.pdf" is made from "missing.docx"`},
		"no access URL":    {func(m *Meeting) { m.Items[1].Files[0].AccessURL = "" }, "no access URL"},
		"duplicate name":   {func(m *Meeting) { m.Items[1].Files[2].FileName = "action-plan-progress.pdf" }, "given twice"},
		"public, untitled": {func(m *Meeting) { m.Items[0].Title = "" }, "agenda item 1 (1) has no title"},
	} {
		t.Run(name, func(t *testing.T) {
			m := meeting()
			tc.edit(&m)
			err := WriteOParl(&bytes.Buffer{}, m)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one saying %q", err, tc.want)
			}
		})
	}
}
