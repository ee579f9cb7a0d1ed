package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"papers/internal/document"
)

// papers runs the program in-process, as a user would from the shell.
func papers(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return out.String(), errb.String(), code
}

// sampleConfig is the repository's config.yaml, used from the repo root.
var sampleConfig = filepath.Join("..", "..", "config.yaml")

// needTool skips when a Debian program is absent, unless CI says it must be there.
func needTool(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		if os.Getenv("PAPERS_REQUIRE_TOOLS") != "" {
			t.Fatalf("%s is not installed, and PAPERS_REQUIRE_TOOLS is set (CI must install it)", name)
		}
		t.Skipf("%s is not installed: skipping (apt-get install poppler-utils libreoffice-writer-nogui)", name)
	}
}

func TestReportOnSamples(t *testing.T) {
	out := t.TempDir()
	stdout, stderr, code := papers(t, "report", "--config", sampleConfig, "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, ext := range []string{".pdf", ".docx", ".json"} {
		p := filepath.Join(out, "action-plan-progress"+ext)
		if !strings.Contains(stdout, p) {
			t.Errorf("stdout does not name %s:\n%s", p, stdout)
		}
		st, err := os.Stat(p)
		if err != nil || st.Size() < 1000 {
			t.Fatalf("%s: %v", p, err)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(out, ".*tmp")); len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}

	// The comparison: October's statement against August's plan, as at the meeting.
	var cmp struct {
		AsOf    string `json:"as_of"`
		Summary struct {
			Total    int            `json:"total"`
			ByChange map[string]int `json:"by_change"`
			ByStatus map[string]int `json:"by_status"`
		} `json:"summary"`
		Actions []map[string]any `json:"actions"`
	}
	b, _ := os.ReadFile(filepath.Join(out, "action-plan-progress.json"))
	if err := json.Unmarshal(b, &cmp); err != nil {
		t.Fatal(err)
	}
	if cmp.AsOf != "2020-11-26" || cmp.Summary.Total != 32 || cmp.Summary.ByChange["carried"] != 32 {
		t.Errorf("as_of %s, total %d, carried %d: want 2020-11-26, 32, 32", cmp.AsOf, cmp.Summary.Total, cmp.Summary.ByChange["carried"])
	}

	// Same inputs and config: same bytes.
	out2 := t.TempDir()
	if _, stderr, code := papers(t, "report", "--config", sampleConfig, "--out", out2); code != 0 {
		t.Fatalf("second run: exit %d: %s", code, stderr)
	}
	for _, ext := range []string{".pdf", ".docx", ".json"} {
		a, _ := os.ReadFile(filepath.Join(out, "action-plan-progress"+ext))
		b, _ := os.ReadFile(filepath.Join(out2, "action-plan-progress"+ext))
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between two runs on the same inputs", ext)
		}
	}

	t.Run("pdf text", func(t *testing.T) {
		needTool(t, "pdftotext")
		text := pdfText(t, filepath.Join(out, "action-plan-progress.pdf"))
		for _, want := range []string{
			"DECISION MAKER:", "CHILDREN AND FAMILIES SCRUTINY PANEL", "26 NOVEMBER 2020",
			"BRIEF SUMMARY", "RECOMMENDATIONS", "DETAIL", "SUPPORTING DOCUMENTATION",
			"Appendix 1: Position statement", "Appendix 2: Changes since the previous statement",
			"Appendix 3: Slippage and overdue exceptions", "Appendix 4: Lead owners and roles",
			"Monthly safeguarding assurance visit", "Executive Director Finance",
			"Page 1 of",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("PDF text lacks %q", want)
			}
		}
	})
	t.Run("docx opens in LibreOffice", func(t *testing.T) {
		needTool(t, "soffice")
		pdf := sofficeToPDF(t, filepath.Join(out, "action-plan-progress.docx"))
		needTool(t, "pdftotext")
		text := pdfText(t, pdf)
		for _, want := range []string{"DECISION MAKER:", "Appendix 1: Position statement", "Monthly safeguarding assurance visit"} {
			if !strings.Contains(text, want) {
				t.Errorf("DOCX as converted by LibreOffice lacks %q", want)
			}
		}
	})
}

func pdfText(t *testing.T, path string) string {
	t.Helper()
	b, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	// Collapse layout spacing so phrases can be found across columns.
	return strings.Join(strings.Fields(string(b)), " ")
}

func sofficeToPDF(t *testing.T, docx string) string {
	t.Helper()
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "soffice", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--headless", "--convert-to", "pdf", "--outdir", dir, docx)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	pdf := filepath.Join(dir, strings.TrimSuffix(filepath.Base(docx), ".docx")+".pdf")
	if _, err := os.Stat(pdf); err != nil {
		t.Fatalf("LibreOffice did not convert %s: %v", docx, err)
	}
	return pdf
}

// The hand-made January 2021 statement has one action of every change class.
func TestCompareNextQuarter(t *testing.T) {
	oct := filepath.Join("..", "..", "data", "2020-10 position statement.xlsx")
	aug := filepath.Join("..", "..", "data", "2020-08 draft action plan.xlsx")
	stdout, stderr, code := papers(t, "compare", oct, januaryStatement, "--baseline", aug, "--as-of", "2021-01-28", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, `sheet "Position Statement", cell D33: `) || !strings.Contains(stderr, "32nd Dec 20") {
		t.Errorf("the unreadable date in D33 should be warned about with its cell; stderr:\n%s", stderr)
	}
	var c struct {
		Summary struct {
			ByChange map[string]int `json:"by_change"`
		} `json:"summary"`
		Actions []struct {
			Ref                 string  `json:"ref"`
			Action              string  `json:"action"`
			Change              string  `json:"change"`
			Status              string  `json:"status"`
			Target              *string `json:"target"`
			PreviousTarget      *string `json:"previous_target"`
			BaselineTarget      *string `json:"baseline_target"`
			SlipDays            *int    `json:"slip_days"`
			BaselineSlipDays    *int    `json:"baseline_slip_days"`
			TimesMoved          int     `json:"times_moved"`
			OverdueDays         int     `json:"overdue_days"`
			Completed           *string `json:"completed"`
			CompletedLateDays   int     `json:"completed_late_days"`
			CompletedThisPeriod bool    `json:"completed_this_period"`
			UpdateChanged       bool    `json:"update_changed"`
			UpdateCopied        bool    `json:"update_copied"`
			OwnerChanged        bool    `json:"owner_changed"`
			RAG                 string  `json:"rag"`
			Match               *struct {
				PreviousRef string  `json:"previous_ref"`
				Score       float64 `json:"score"`
				Reason      string  `json:"reason"`
			} `json:"match"`
		} `json:"actions"`
	}
	if err := json.Unmarshal([]byte(stdout), &c); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	by := map[string]int{}
	find := func(prefix string) int {
		for i, a := range c.Actions {
			if strings.HasPrefix(a.Action, prefix) {
				return i
			}
		}
		t.Fatalf("no action starting %q", prefix)
		return -1
	}
	for _, a := range c.Actions {
		by[a.Change]++
	}
	if by["new"] != 1 || by["removed"] != 1 || by["carried"] != 31 {
		t.Errorf("changes %v: want 1 new, 1 removed, 31 carried", by)
	}
	str := func(p *string) string {
		if p == nil {
			return "null"
		}
		return *p
	}
	num := func(p *int) int {
		if p == nil {
			return -999
		}
		return *p
	}
	vision := c.Actions[find("Develop an ambitious vision")]
	if str(vision.Target) != "2021-03-31" || str(vision.PreviousTarget) != "2020-12-31" || num(vision.SlipDays) != 90 || num(vision.BaselineSlipDays) != 90 || vision.TimesMoved != 1 {
		t.Errorf("1.1 slipped: %+v", vision)
	}
	if a := c.Actions[find("Embed outcomes")]; !a.UpdateCopied || a.UpdateChanged {
		t.Errorf("1.2 update copied forward: %+v", a)
	}
	if a := c.Actions[find("A representative of the Practitioner")]; !a.OwnerChanged {
		t.Errorf("2.5 owner changed: %+v", a)
	}
	if a := c.Actions[find("To review the improvement plan")]; a.Status != "complete_late" || a.CompletedLateDays != 8 || !a.CompletedThisPeriod || str(a.Completed) != "2020-10-08" {
		t.Errorf("2.6 complete 8 days late: %+v", a)
	}
	if a := c.Actions[find("Progress the revision of the quality")]; a.Status != "complete" || !a.CompletedThisPeriod {
		t.Errorf("3.6 complete on time: %+v", a)
	}
	if a := c.Actions[find("Ensure regular appraisals")]; a.Change != "carried" || a.Match == nil || a.Match.Score != 1 {
		t.Errorf("3.2 moved up a row should still match exactly: %+v", a)
	}
	if a := c.Actions[find("Publish the practice framework")]; a.Change != "new" || a.Status != "on_track" {
		t.Errorf("3.8 new: %+v", a)
	}
	if a := c.Actions[find("To review the ICT equipment")]; a.Change != "carried" || a.Match == nil || a.Match.Score >= 1 || a.Match.Score < 0.6 {
		t.Errorf("4.4 reworded should match as similar: %+v", a)
	}
	if a := c.Actions[find("Review accommodation requirements")]; a.Change != "removed" {
		t.Errorf("4.7 removed: %+v", a)
	}
	if a := c.Actions[find("To undertake broad engagement")]; a.Status != "no_date" || a.Target != nil {
		t.Errorf("5.3 unreadable date gives no date: %+v", a)
	}
	if a := c.Actions[find("Advance plans to expand")]; a.Status != "overdue" || a.OverdueDays != 120 || a.RAG != "Red" {
		t.Errorf("5.1 overdue since 30 Sep 2020 (120 days at 28 Jan 2021): %+v", a)
	}
}

func TestCheckJSON(t *testing.T) {
	stdout, stderr, code := papers(t, "check", "--format", "json", filepath.Join("..", "..", "data", "2020-10 position statement.xlsx"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got struct {
		File            string           `json:"file"`
		Sheet           string           `json:"sheet"`
		Title           string           `json:"title"`
		Recommendations []map[string]any `json:"recommendations"`
		Actions         []map[string]any `json:"actions"`
		Problems        []map[string]any `json:"problems"`
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatal(err)
	}
	if got.Sheet != "Position Statement" || len(got.Recommendations) != 5 || len(got.Actions) != 32 {
		t.Fatalf("sheet %q, %d recommendations, %d actions", got.Sheet, len(got.Recommendations), len(got.Actions))
	}
	a := got.Actions[0]
	for _, k := range []string{"ref", "recommendation", "action", "owner", "owners", "start", "target", "target_text", "update", "completed", "rag", "extra", "cell"} {
		if _, ok := a[k]; !ok {
			t.Errorf("action lacks field %q", k)
		}
	}
	if a["start"] != "2020-09-01" || a["target"] != "2020-12-31" || a["target_text"] != "Start: Sept 20 Completed by: December 20" || a["cell"] != "B4" {
		t.Errorf("first action: %v", a)
	}
	// What the updates say: 2.6 reports the plan submitted on 8 October.
	for _, a := range got.Actions {
		says, ok := a["update_says"].(map[string]any)
		if !ok || len(says) != 3 {
			t.Fatalf("%v: update_says %v", a["ref"], a["update_says"])
		}
		if a["ref"] == "2.6" && (says["state"] != "done" || says["date"] != "2020-10-08" ||
			says["quote"] != "Improvement plan was reviewed by EDCS and submitted to Ofsted on 8th October 2020.") {
			t.Errorf("2.6: update_says %v", says)
		}
	}
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	cases := map[string][]byte{
		"notes.xlsx":     []byte("Recommendation,Action\n1,Do it\n"),
		"empty.xlsx":     {},
		"legacy.xlsx":    append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 600)...),
		"truncated.xlsx": truncated(t),
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name)
			os.WriteFile(path, body, 0o644)
			out := filepath.Join(dir, "out-"+name)
			_, stderr, code := papers(t, "report", "--config", sampleConfig, "--current", path, "--out", out)
			if code != 1 {
				t.Errorf("exit %d, want 1", code)
			}
			lines := strings.Split(strings.TrimSpace(stderr), "\n")
			if len(lines) != 1 || !strings.Contains(lines[0], name) {
				t.Errorf("want one line naming %s, got:\n%s", name, stderr)
			}
			if strings.Contains(stderr, "goroutine") || strings.Contains(stderr, "panic") {
				t.Errorf("stack trace shown:\n%s", stderr)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("output folder %s was created for a failed run", out)
			}
			_, stderr, code = papers(t, "check", path)
			if code != 1 || !strings.Contains(stderr, name) {
				t.Errorf("check: exit %d, stderr %q", code, stderr)
			}
		})
	}
}

func truncated(t *testing.T) []byte {
	b, err := os.ReadFile(filepath.Join("..", "..", "data", "2020-10 position statement.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	return b[:len(b)/2]
}

func TestReportKeepsPreviousOutputsOnFailure(t *testing.T) {
	out := t.TempDir()
	if _, stderr, code := papers(t, "report", "--config", sampleConfig, "--out", out); code != 0 {
		t.Fatal(stderr)
	}
	before, _ := os.ReadFile(filepath.Join(out, "action-plan-progress.pdf"))
	bad := filepath.Join(t.TempDir(), "bad.xlsx")
	os.WriteFile(bad, []byte("not a workbook"), 0o644)
	if _, _, code := papers(t, "report", "--config", sampleConfig, "--current", bad, "--out", out); code != 1 {
		t.Fatalf("exit %d", code)
	}
	after, _ := os.ReadFile(filepath.Join(out, "action-plan-progress.pdf"))
	if !bytes.Equal(before, after) {
		t.Error("a failed run changed the previous report")
	}
}

func TestUnwritableOutput(t *testing.T) {
	// A file where the output folder should be fails for every user, root included.
	blocker := filepath.Join(t.TempDir(), "file")
	os.WriteFile(blocker, []byte("x"), 0o644)
	_, stderr, code := papers(t, "report", "--config", sampleConfig, "--out", filepath.Join(blocker, "out"))
	if code != 1 {
		t.Errorf("exit %d", code)
	}
	oneLine(t, stderr, "cannot create output folder "+filepath.Join(blocker, "out")+": not a directory")
	if os.Geteuid() == 0 {
		return // root writes in read-only folders
	}
	ro := t.TempDir()
	os.Chmod(ro, 0o555)
	defer os.Chmod(ro, 0o755)
	_, stderr, code = papers(t, "report", "--config", sampleConfig, "--out", ro)
	if code != 1 {
		t.Errorf("read-only folder: exit %d", code)
	}
	oneLine(t, stderr, "cannot write to output folder "+ro+": permission denied")
}

func TestConfigErrors(t *testing.T) {
	_, stderr, code := papers(t, "report", "--config", filepath.Join(t.TempDir(), "missing.yaml"))
	if code != 1 || !strings.Contains(stderr, "missing.yaml") {
		t.Errorf("missing config: exit %d, %q", code, stderr)
	}
	_, stderr, code = papers(t, "report", "--config", sampleConfig, "--as-of", "31/12/2020")
	if code != 1 || !strings.Contains(stderr, "YYYY-MM-DD") {
		t.Errorf("bad --as-of: exit %d, %q", code, stderr)
	}
}

func TestHelpReadsLikeTheReadme(t *testing.T) {
	stdout, _, code := papers(t, "report", "--help")
	if code != 0 || !strings.Contains(stdout, "output/<meeting date>/<name>.pdf") || !strings.Contains(stdout, "--as-of") {
		t.Errorf("report --help:\n%s", stdout)
	}
}

// A DOCX is a zip whose parts a word processor needs.
func TestDocxParts(t *testing.T) {
	out := t.TempDir()
	if _, stderr, code := papers(t, "report", "--config", sampleConfig, "--out", out); code != 0 {
		t.Fatal(stderr)
	}
	zr, err := zip.OpenReader(filepath.Join(out, "action-plan-progress.docx"))
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	names := map[string]bool{}
	for _, f := range zr.File {
		names[f.Name] = true
	}
	for _, want := range []string{"[Content_Types].xml", "word/document.xml", "word/styles.xml", "docProps/core.xml"} {
		if !names[want] {
			t.Errorf("docx lacks %s", want)
		}
	}
}

// The sample report's content, as the document model rendered as text.
func TestSampleReportGolden(t *testing.T) {
	cfg, err := readConfig(sampleConfig, false)
	if err != nil {
		t.Fatal(err)
	}
	o := reportOptions{cfg: cfg, Previous: cfg.resolve(cfg.Inputs.Previous), Current: cfg.resolve(cfg.Inputs.Current),
		Baseline: cfg.resolve(cfg.Inputs.Baseline), AsOf: time.Date(2020, 11, 26, 0, 0, 0, 0, time.UTC),
		Meeting: time.Date(2020, 11, 26, 0, 0, 0, 0, time.UTC), Stdout: io.Discard, Stderr: io.Discard}
	out, err := buildReport(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := document.WriteText(&b, out.Doc); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "sample-report.golden.txt")
	if *updateFixtures {
		os.WriteFile(golden, b.Bytes(), 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v: run go test ./cmd/papers -run TestSampleReportGolden -update", err)
	}
	if !bytes.Equal(want, b.Bytes()) {
		t.Errorf("the sample report's text differs from %s; if intended, rerun with -update and review the diff", golden)
	}
}

func TestExportTDiff(t *testing.T) {
	oct := filepath.Join("..", "..", "data", "2020-10 position statement.xlsx")
	stdout, stderr, code := papers(t, "export", "tdiff", oct, januaryStatement, "--as-of", "2021-01-28")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(stdout, "\n")
	if !strings.HasPrefix(lines[0], "@@,") {
		t.Fatalf("first row %q, want the @@ header", lines[0])
	}
	for _, want := range []string{"\n+++,", "\n---,", "\n->,", "2020-12-31->2021-03-31"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("tdiff lacks %q", want)
		}
	}
}

// The sample's overdue actions (the plan as agreed → October 2020, as at
// 26 November 2020): the January 2021 statement later records nine of the
// ten complete, and their October updates say so in words, which papers
// reads as done or booked; 2.5's "is being reconstituted" is not. Their
// status stays overdue: the reading is never applied.
func TestSampleUpdatesSay(t *testing.T) {
	stdout, stderr, code := papers(t, "compare", filepath.Join("..", "..", "data", "2020-08 draft action plan.xlsx"),
		filepath.Join("..", "..", "data", "2020-10 position statement.xlsx"), "--as-of", "2020-11-26", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var c struct {
		Actions []struct {
			Ref        string `json:"ref"`
			Status     string `json:"status"`
			UpdateSays struct {
				State string  `json:"state"`
				Date  *string `json:"date"`
				Quote string  `json:"quote"`
			} `json:"update_says"`
		} `json:"actions"`
	}
	if err := json.Unmarshal([]byte(stdout), &c); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{ // ref → state and date
		"2.2": "booked", "2.3": "booked 2020-11-12", "2.4": "done 2020-10-31", "2.6": "done 2020-10-08",
		"2.8": "booked 2020-11-24", "2.9": "booked 2020-10-31", "5.1": "done", "5.2": "done 2020-10-08",
		"5.5": "done 2020-09-30", "2.5": "in_progress",
	}
	read := 0
	for _, a := range c.Actions {
		w, ok := want[a.Ref]
		if !ok {
			continue
		}
		if a.Status != "overdue" {
			t.Errorf("%s: status %s, want overdue: the update is never applied", a.Ref, a.Status)
		}
		got := a.UpdateSays.State
		if a.UpdateSays.Date != nil {
			got += " " + *a.UpdateSays.Date
		}
		if got != w {
			t.Errorf("%s: update says %s (%q), want %s", a.Ref, got, a.UpdateSays.Quote, w)
		}
		if a.Ref != "2.5" && (a.UpdateSays.State == "done" || a.UpdateSays.State == "booked") {
			read++
		}
	}
	if read < 8 {
		t.Errorf("%d of the 9 actions completed by January are read as done or booked: want at least 8", read)
	}
}
