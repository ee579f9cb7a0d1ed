package meeting

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var sample = filepath.Join("..", "..", "data", "meetings", "2020-11-26.yaml")

func TestLoadSample(t *testing.T) {
	m, err := Load(sample)
	if err != nil {
		t.Fatal(err)
	}
	if m.Committee != "Children and Families Scrutiny Panel" || LongDate(m.Date) != "Thursday 26 November 2020" || m.TimeText() != "5.30 pm" {
		t.Errorf("meeting %q %s %s", m.Committee, LongDate(m.Date), m.TimeText())
	}
	if len(m.Members) != 6 || m.Members[0].Role != "Chair" || m.Clerk.Email == "" {
		t.Errorf("members %v, clerk %v", m.Members, m.Clerk)
	}
	if len(m.Items) != 7 {
		t.Fatalf("%d items", len(m.Items))
	}
	for i, it := range m.Items {
		if it.Number != i+1 {
			t.Errorf("item %d numbered %d", i+1, it.Number)
		}
		if it.File != "" {
			if _, err := os.Stat(it.File); err != nil {
				t.Errorf("item %d: %v", it.Number, err)
			}
		}
	}
	if it := m.Items[3]; it.Report != "action-plan-progress" || it.HasPapers() != true || it.IsExempt() {
		t.Errorf("item 4: %+v", it)
	}
	// Each item knows where the meeting file names its papers, for errors.
	for i, line := range []int{27, 30, 35, 40, 44, 47} {
		if got := m.Items[i].Line; got != line {
			t.Errorf("item %d: line %d, want %d", i+1, got, line)
		}
	}
	if it := m.Items[0]; it.HasPapers() {
		t.Errorf("item 1 has papers: %+v", it)
	}
	ex := m.Items[6]
	if !ex.IsExempt() || ex.Exempt[0] != 3 || ex.PublicHeading() != "Residential placements framework (paragraph 3)" ||
		ex.MembersHeading() != "Residential placements framework: extension of the contract (exempt: paragraph 3)" {
		t.Errorf("item 7: %+v, %q, %q", ex, ex.PublicHeading(), ex.MembersHeading())
	}
}

// writeMeeting writes a meeting file with a PDF and a DOCX beside it.
func writeMeeting(t *testing.T, yml string) string {
	t.Helper()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "minutes.pdf"), []byte("%PDF-1.4\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "report.docx"), []byte("PK\x03\x04"), 0o644)
	os.WriteFile(filepath.Join(dir, "fake.pdf"), []byte("<html>"), 0o644)
	os.WriteFile(filepath.Join(dir, "empty.pdf"), nil, 0o644)
	os.Mkdir(filepath.Join(dir, "folder.pdf"), 0o755)
	p := filepath.Join(dir, "2020-11-26.yaml")
	if err := os.WriteFile(p, []byte(yml), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const goodMeeting = `council: Test Council
committee: Test Panel
date: 2020-11-26
time: "17:30"
venue: Room 1
members:
  - name: Councillor One
    role: Chair
clerk:
  name: A Clerk
  email: clerk@example.gov.uk
items:
  - title: Apologies
  - title: Minutes
    file: minutes.pdf
  - title: Report
    file: report.docx
  - title: Contract
    file: report.docx
    exempt: 3
`

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name    string
		from    string // replaced in goodMeeting
		to      string
		want    string // in the error, with NAME for the file's path
		wantAll string // the whole error, when given
	}{
		{name: "paragraph out of range", from: "exempt: 3", to: "exempt: 9",
			wantAll: "NAME:20: items[3].exempt: paragraph 9 is not in Part 1 of Schedule 12A (1–7)"},
		{name: "paragraph zero in a list", from: "exempt: 3", to: "exempt: [1, 0]", want: "NAME:20: items[3].exempt: paragraph 0 is not in Part 1"},
		{name: "paragraph not a number", from: "exempt: 3", to: "exempt: three", want: `items[3].exempt: "three" is not a paragraph number`},
		{name: "paragraph twice", from: "exempt: 3", to: "exempt: [3, 3]", want: "paragraph 3 is given twice"},
		{name: "empty paragraph list", from: "exempt: 3", to: "exempt: []", want: "items[3].exempt: an empty list"},
		{name: "exempt as a map", from: "exempt: 3", to: "exempt: {p: 3}", want: "items[3].exempt: give a Schedule 12A paragraph number"},
		{name: "missing file", from: "file: minutes.pdf", to: "file: minutes-old.pdf", want: `NAME:15: items[1].file: cannot find "minutes-old.pdf" (looked for `},
		{name: "not a pdf", from: "file: minutes.pdf", to: "file: fake.pdf", want: `items[1].file: "fake.pdf" is not a PDF`},
		{name: "empty file", from: "file: minutes.pdf", to: "file: empty.pdf", want: `items[1].file: "empty.pdf" is empty`},
		{name: "folder", from: "file: minutes.pdf", to: "file: folder.pdf", want: `items[1].file: "folder.pdf" is a folder`},
		{name: "unknown kind", from: "file: minutes.pdf", to: "file: minutes.xlsx", want: `items[1].file: "minutes.xlsx" is not a PDF or a Word document`},
		{name: "bad date", from: "date: 2020-11-26", to: "date: 26/11/2020", wantAll: `NAME:3: date: "26/11/2020" is not a date: write it as YYYY-MM-DD`},
		{name: "impossible date", from: "date: 2020-11-26", to: "date: 2020-02-30", want: `date: "2020-02-30" is not a date`},
		{name: "no date", from: "date: 2020-11-26\n", to: "", want: "NAME: date: missing"},
		{name: "bad time", from: `time: "17:30"`, to: `time: "25:00"`, want: `NAME:4: time: "25:00" is not a time`},
		{name: "no venue", from: "venue: Room 1", to: "venue: ''", want: "NAME:5: venue: missing"},
		{name: "no title", from: "  - title: Apologies", to: "  - description: Apologies", want: "NAME:13: items[0].title: missing"},
		{name: "report and file", from: "    file: report.docx\n  - title: Contract", to: "    file: report.docx\n    report: progress\n  - title: Contract",
			want: "items[2].file: an item is either a report papers writes (report) or an existing file (file), not both"},
		{name: "public title of a public item", from: "  - title: Report\n", to: "  - title: Report\n    public_title: Secret\n", want: "items[2].public_title: only an exempt item has a public title"},
		{name: "no clerk contact", from: "  email: clerk@example.gov.uk\n", to: "", want: "NAME:9: clerk: give the clerk's tel or email"},
		{name: "no members", from: "members:\n  - name: Councillor One\n    role: Chair\n", to: "", want: "NAME: members: missing"},
		{name: "unknown field", from: "  - title: Apologies", to: "  - title: Apologies\n    exempted: 3", want: `NAME:14: unknown field "exempted" (the fields are title, report_of, description, report, file, exempt, public_title)`},
		{name: "unknown top-level field", from: "venue: Room 1", to: "venue: Room 1\nroom: 2", want: `NAME:6: unknown field "room" (the fields are council, committee`},
		{name: "wrong type", from: "members:\n  - name: Councillor One\n    role: Chair\n", to: "members: Councillor One\n", want: "NAME:6: cannot unmarshal str"},
		{name: "not yaml", from: "venue: Room 1", to: "venue: [Room 1", want: "NAME:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(goodMeeting, tt.from) {
				t.Fatalf("%q is not in the meeting", tt.from)
			}
			path := writeMeeting(t, strings.Replace(goodMeeting, tt.from, tt.to, 1))
			_, err := Load(path)
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("not ErrInvalid: %v", err)
			}
			got := err.Error()
			if tt.wantAll != "" && got != strings.ReplaceAll(tt.wantAll, "NAME", path) {
				t.Errorf("got  %s\nwant %s", got, strings.ReplaceAll(tt.wantAll, "NAME", path))
			}
			if tt.want != "" && !strings.Contains(got, strings.ReplaceAll(tt.want, "NAME", path)) {
				t.Errorf("got  %s\nwant %s", got, strings.ReplaceAll(tt.want, "NAME", path))
			}
		})
	}
	// A good file loads.
	if _, err := Load(writeMeeting(t, goodMeeting)); err != nil {
		t.Errorf("good meeting: %v", err)
	}
}

// Every problem is reported, not just the first.
func TestLoadReportsEveryProblem(t *testing.T) {
	yml := strings.NewReplacer("exempt: 3", "exempt: 8", "file: minutes.pdf", "file: gone.pdf", "venue: Room 1", "venue: ''").Replace(goodMeeting)
	_, err := Load(writeMeeting(t, yml))
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{"items[3].exempt", "items[1].file", "venue: missing"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %s:\n%v", want, err)
		}
	}
	if n := len(strings.Split(err.Error(), "\n")); n != 3 {
		t.Errorf("%d lines:\n%v", n, err)
	}
}

// A wrong paragraph is reported once, not again as "public_title without exempt".
func TestLoadNoCascade(t *testing.T) {
	yml := strings.Replace(goodMeeting, "exempt: 3", "exempt: 9\n    public_title: Contract matter", 1)
	_, err := Load(writeMeeting(t, yml))
	if err == nil || strings.Contains(err.Error(), "public_title") || !strings.Contains(err.Error(), "paragraph 9") {
		t.Errorf("got %v", err)
	}
}

func TestLoadUnreadable(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "missing.yaml"))
	if err == nil || errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "cannot read meeting file") {
		t.Errorf("missing file: %v", err)
	}
	_, err = Load(writeMeeting(t, ""))
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "the file is empty") {
		t.Errorf("empty file: %v", err)
	}
}

func TestTimeText(t *testing.T) {
	for in, want := range map[string]string{
		"17:30": "5.30 pm", "17.30": "5.30 pm", "5.30pm": "5.30 pm", "5:30 PM": "5.30 pm", "10am": "10 am",
		"12:00": "12 pm", "00:15": "12.15 am", "12.15am": "12.15 am", "9:05": "9.05 am",
		"noon": "noon", "25:00": "25:00", "5.3pm": "5.3pm", "13pm": "13pm",
	} {
		m := Meeting{Time: in}
		if got := m.TimeText(); got != want {
			t.Errorf("TimeText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParagraphs(t *testing.T) {
	for _, tt := range []struct {
		ps   []int
		want string
	}{
		{[]int{3}, "paragraph 3"},
		{[]int{3, 1}, "paragraphs 1 and 3"},
		{[]int{1, 2, 3}, "paragraphs 1, 2 and 3"},
		{nil, ""},
	} {
		if got := Paragraphs(tt.ps); got != tt.want {
			t.Errorf("Paragraphs(%v) = %q", tt.ps, got)
		}
	}
	if got := ExemptNotice([]int{3}); got != "Not for publication by virtue of paragraph 3 of Part 1 of Schedule 12A to the Local Government Act 1972" {
		t.Errorf("ExemptNotice = %q", got)
	}
	it := Item{Title: "Secret title", Exempt: []int{1, 2}}
	if it.PublicHeading() != "Exempt report (paragraphs 1 and 2)" {
		t.Errorf("PublicHeading = %q", it.PublicHeading())
	}
	for p := 1; p <= 7; p++ {
		if Schedule12A[p] == "" {
			t.Errorf("no description of paragraph %d", p)
		}
	}
}

func FuzzParse(f *testing.F) {
	if b, err := os.ReadFile(sample); err == nil {
		f.Add(b)
	}
	f.Add([]byte(goodMeeting))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Parse("fuzz.yaml", strings.NewReader(string(b)), dir)
		if err == nil && (m == nil || m.Date.IsZero() || len(m.Items) == 0) {
			t.Errorf("accepted an incomplete meeting: %+v", m)
		}
	})
}
