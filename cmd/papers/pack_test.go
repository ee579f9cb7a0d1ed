package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"papers/internal/pack"
)

var sampleMeetingFile = filepath.Join("..", "..", "data", "meetings", "2020-11-26.yaml")

func TestPackWhen(t *testing.T) {
	stdout, stderr, code := papers(t, "pack", "--config", sampleConfig, "--when")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	first := strings.SplitN(stdout, "\n", 2)[0]
	if first != "Publish by Wednesday 18 November 2020 for the meeting on Thursday 26 November 2020" {
		t.Errorf("--when: %q", stdout)
	}
	if !strings.Contains(stdout, "Published Wednesday 18 November 2020 (meeting.publish_date in") || !strings.Contains(stdout, "5 clear working days before the meeting, in time") {
		t.Errorf("--when with the config's publication date: %q", stdout)
	}
	// Across Christmas 2020, naming the days not counted.
	dir := t.TempDir()
	yml, _ := os.ReadFile(sampleMeetingFile)
	m := filepath.Join(dir, "2021-01-07.yaml")
	os.WriteFile(m, []byte(strings.Replace(string(yml), "date: 2020-11-26", "date: 2021-01-07", 1)), 0o644)
	os.Symlink(filepath.Join(mustAbs(t, filepath.Dir(sampleMeetingFile)), "2020-11-26"), filepath.Join(dir, "2020-11-26"))
	stdout, stderr, code = papers(t, "pack", "--config", sampleConfig, "--when", m, "--publish-date", "2020-12-30")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"Publish by Tuesday 29 December 2020 for the meeting on Thursday 7 January 2021",
		"Not working days: New Year's Day (Friday 1 January 2021)",
		"Published Wednesday 30 December 2020 (--publish-date): 4 clear working days before the meeting, LATE",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("--when lacks %q:\n%s", want, stdout)
		}
	}
}

func mustAbs(t *testing.T, p string) string {
	t.Helper()
	a, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestPackSample(t *testing.T) {
	needTool(t, "soffice")
	out := t.TempDir()
	stdout, stderr, code := papers(t, "pack", "--config", sampleConfig, "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, name := range []string{"Children and Families Scrutiny Panel agenda pack.pdf", "Children and Families Scrutiny Panel members pack.pdf"} {
		p := filepath.Join(out, name)
		if !strings.Contains(stdout, p) {
			t.Errorf("stdout does not name %s:\n%s", p, stdout)
		}
		if st, err := os.Stat(p); err != nil || st.Size() < 10000 {
			t.Errorf("%s: %v", p, err)
		}
	}
	if strings.Contains(stderr, "LATE") {
		t.Errorf("on time, but: %s", stderr)
	}
	left, _ := filepath.Glob(filepath.Join(out, ".*"))
	if len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
	// The generated report is item 4: its cover page follows the minutes.
	needTool(t, "pdftotext")
	text := pdfText(t, filepath.Join(out, "Children and Families Scrutiny Panel agenda pack.pdf"))
	for _, want := range []string{"Progress against the action plan", "DECISION MAKER", "Residential placements framework (paragraph 3)"} {
		if !strings.Contains(text, want) {
			t.Errorf("the public pack lacks %q", want)
		}
	}
	if strings.Contains(text, "Harbourside") {
		t.Error("the public pack has the exempt report's text")
	}

	// The meeting as OParl JSON: public items with their papers, the exempt
	// one under its public title with none.
	b, err := os.ReadFile(filepath.Join(out, "Children and Families Scrutiny Panel meeting.oparl.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Type       string `json:"type"`
		Start      string `json:"start"`
		AgendaItem []struct {
			Name          string           `json:"name"`
			Public        bool             `json:"public"`
			AuxiliaryFile []map[string]any `json:"auxiliaryFile"`
		} `json:"agendaItem"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(m.Type, "/Meeting") || !strings.HasPrefix(m.Start, "2020-11-26T17:30:00") {
		t.Errorf("meeting %s starting %s", m.Type, m.Start)
	}
	var public, withFiles int
	for _, it := range m.AgendaItem {
		if it.Public {
			public++
		} else if len(it.AuxiliaryFile) > 0 || strings.Contains(it.Name, "Residential placements framework") && !strings.Contains(it.Name, "paragraph") {
			t.Errorf("exempt item published with its papers or title: %+v", it)
		}
		if len(it.AuxiliaryFile) > 0 {
			withFiles++
		}
	}
	if public == 0 || withFiles < 2 || strings.Contains(string(b), "Harbourside") {
		t.Errorf("OParl: %d public items, %d with files", public, withFiles)
	}
}

// quickMeeting is a meeting file with the generated report and a PDF
// (no LibreOffice needed), and a config naming it with absolute paths.
func quickMeeting(t *testing.T, publishDate string) (cfgPath, meetingPath string) {
	t.Helper()
	dir := t.TempDir()
	data := mustAbs(t, filepath.Join("..", "..", "data"))
	yml := `council: Southampton City Council
committee: Children and Families Scrutiny Panel
date: 2020-11-26
time: "17:30"
venue: Virtual meeting
members: [{name: Councillor Ashworth, role: Chair}]
clerk: {name: A Clerk, email: clerk@example.gov.uk}
items:
  - {title: Minutes, file: "` + filepath.Join(data, "meetings", "2020-11-26", "2020-10-22 minutes.pdf") + `"}
  - {title: Progress against the action plan, report: action-plan-progress}
`
	meetingPath = filepath.Join(dir, "meeting.yaml")
	os.WriteFile(meetingPath, []byte(yml), 0o644)
	cfg := `council: Southampton City Council
meeting:
  committee: Children and Families Scrutiny Panel
  date: 2020-11-26
  file: meeting.yaml
  publish_date: "` + publishDate + `"
  publish_url: https://democracy.example.gov.uk/papers
report:
  name: action-plan-progress
inputs:
  baseline: "` + filepath.Join(data, "2020-08 draft action plan.xlsx") + `"
  previous: "` + filepath.Join(data, "2020-08 draft action plan.xlsx") + `"
  current: "` + filepath.Join(data, "2020-10 position statement.xlsx") + `"
`
	cfgPath = filepath.Join(dir, "config.yaml")
	os.WriteFile(cfgPath, []byte(cfg), 0o644)
	return cfgPath, meetingPath
}

func TestPackLate(t *testing.T) {
	cfg, _ := quickMeeting(t, "2020-11-18")
	out := t.TempDir()
	// Two working days late: exit 3, the packs written with the warning.
	stdout, stderr, code := papers(t, "pack", "--config", cfg, "--out", out, "--publish-date", "2020-11-20")
	if code != exitLate {
		t.Fatalf("exit %d, want %d: %s", code, exitLate, stderr)
	}
	for _, want := range []string{pack.LateWarning, "published Friday 20 November 2020 (--publish-date), 3 clear working days", "--late-ok"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if !strings.Contains(stdout, "agenda pack.pdf") {
		t.Errorf("packs not written: %s", stdout)
	}
	needTool(t, "pdftotext")
	if text := pdfText(t, filepath.Join(out, "Children and Families Scrutiny Panel agenda pack.pdf")); !strings.Contains(text, pack.LateWarning) {
		t.Error("no warning on the front sheet")
	}
	// --late-ok: the chair agreed; exit 0, still warned.
	_, stderr, code = papers(t, "pack", "--config", cfg, "--out", out, "--publish-date", "2020-11-20", "--late-ok")
	if code != 0 || !strings.Contains(stderr, pack.LateWarning) {
		t.Errorf("--late-ok: exit %d: %s", code, stderr)
	}
	// In time per the config's publication date.
	_, stderr, code = papers(t, "pack", "--config", cfg, "--out", out)
	if code != 0 || stderr != "" {
		t.Errorf("in time: exit %d: %s", code, stderr)
	}
}

// A paper that is not tagged (a scan): the packs are written, and papers
// says which item keeps them from being fully accessible.
func TestPackUntaggedWarning(t *testing.T) {
	cfg, m := quickMeeting(t, "2020-11-18")
	yml, _ := os.ReadFile(m)
	scan := mustAbs(t, filepath.Join("..", "..", "internal", "pack", "testdata", "untagged minutes.pdf"))
	minutes := mustAbs(t, filepath.Join("..", "..", "data", "meetings", "2020-11-26", "2020-10-22 minutes.pdf"))
	os.WriteFile(m, []byte(strings.Replace(string(yml), minutes, scan, 1)), 0o644)
	stdout, stderr, code := papers(t, "pack", "--config", cfg, "--out", t.TempDir())
	if code != 0 || !strings.Contains(stdout, "agenda pack.pdf") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	const want = "papers: warning: item 1 (Minutes) is not tagged: the pack cannot be fully accessible\n"
	if strings.Count(stderr, want) != 1 {
		t.Errorf("stderr does not say once that item 1 is not tagged:\n%s", stderr)
	}
}

// With no publication date given, today's date is used: the one place the
// clock is read.
func TestPackToday(t *testing.T) {
	cfg, _ := quickMeeting(t, "")
	defer func(f func() time.Time) { now = f }(now)
	now = func() time.Time { return time.Date(2020, 11, 24, 23, 30, 0, 0, time.UTC) } // 24 November in London too
	_, stderr, code := papers(t, "pack", "--config", cfg, "--out", t.TempDir())
	if code != exitLate || !strings.Contains(stderr, "published Tuesday 24 November 2020 (today's date), 1 clear working day") {
		t.Errorf("exit %d: %s", code, stderr)
	}
	now = func() time.Time { return time.Date(2020, 11, 17, 9, 0, 0, 0, time.UTC) }
	if _, stderr, code := papers(t, "pack", "--config", cfg, "--out", t.TempDir()); code != 0 {
		t.Errorf("early: exit %d: %s", code, stderr)
	}
}

func TestPackErrors(t *testing.T) {
	cfg, m := quickMeeting(t, "2020-11-18")
	yml, _ := os.ReadFile(m)
	bad := filepath.Join(filepath.Dir(m), "bad.yaml")
	os.WriteFile(bad, []byte(strings.Replace(string(yml), "report: action-plan-progress}", "report: action-plan-progress, exempt: 9}", 1)), 0o644)
	_, stderr, code := papers(t, "pack", "--config", cfg, bad)
	if code != 1 || !strings.Contains(stderr, bad+":10: items[1].exempt: paragraph 9 is not in Part 1 of Schedule 12A (1–7)") {
		t.Errorf("bad paragraph: exit %d: %s", code, stderr)
	}
	os.WriteFile(bad, []byte(strings.Replace(string(yml), "report: action-plan-progress", "report: budget", 1)), 0o644)
	_, stderr, code = papers(t, "pack", "--config", cfg, bad)
	if code != 1 || !strings.Contains(stderr, `report "budget": papers writes one report, "action-plan-progress"`) {
		t.Errorf("unknown report: exit %d: %s", code, stderr)
	}
	_, stderr, code = papers(t, "pack", "--config", cfg, filepath.Join(t.TempDir(), "none.yaml"))
	if code != 1 || !strings.Contains(stderr, "cannot read meeting file") {
		t.Errorf("missing meeting file: exit %d: %s", code, stderr)
	}
	_, stderr, code = papers(t, "pack", "--config", cfg, "--publish-date", "18/11/2020")
	if code != 1 || !strings.Contains(stderr, "YYYY-MM-DD") {
		t.Errorf("bad --publish-date: exit %d: %s", code, stderr)
	}
}

func TestPackHelp(t *testing.T) {
	stdout, _, code := papers(t, "pack", "--help")
	for _, want := range []string{"agenda pack.pdf", "--when", "--publish-date", "--late-ok", "only", "Schedule 12A"} {
		if code != 0 || !strings.Contains(stdout, want) {
			t.Errorf("pack --help lacks %q", want)
		}
	}
}
