package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A new user's first run: no config.yaml anywhere near, every input on the
// command line. The report is written with the built-in defaults, and stderr
// says once which.
func TestReportWithoutConfig(t *testing.T) {
	data, err := filepath.Abs(filepath.Join("..", "..", "data"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	r := papersProcess(t, dir, 2*time.Minute, "report",
		"--previous", filepath.Join(data, "2020-08 draft action plan.xlsx"),
		"--current", filepath.Join(data, "2020-10 position statement.xlsx"),
		"--meeting", "2020-11-26")
	if r.Code != 0 {
		t.Fatalf("exit %d: %s", r.Code, r.Stderr)
	}
	if n := strings.Count(r.Stderr, "built-in defaults"); n != 1 {
		t.Errorf("stderr names the defaults %d times, want once:\n%s", n, r.Stderr)
	}
	for _, ext := range []string{".pdf", ".docx", ".html", ".json"} {
		if _, err := os.Stat(filepath.Join(dir, "output", "2020-11-26", "report"+ext)); err != nil {
			t.Errorf("report%s: %v", ext, err)
		}
	}
}

// A config file the user named must be there: papers does not guess.
func TestNamedConfigMissing(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "council.yaml")
	_, stderr, code := papers(t, "report", "--config", missing, "--meeting", "2020-11-26")
	if code == 0 || !strings.Contains(stderr, "cannot read config "+missing+": no such file or directory") {
		t.Errorf("exit %d, stderr %q: want the missing file named", code, stderr)
	}
}

func TestConfigKeys(t *testing.T) {
	for _, tc := range []struct {
		name, yaml string
		want       []string // in the error, in order; none: no error
	}{
		{"the sample config", "", nil},
		{"misspelt top-level key", "council: X\ncouncel: Y\n", []string{`:2: unknown key "councel": did you mean "council"?`}},
		{"misspelt nested key", "compare:\n  due_son_days: 14\n", []string{`:2: unknown key "compare.due_son_days": did you mean "compare.due_soon_days"?`}},
		{"unknown key, nothing close", "meeting:\n  date: 2021-02-04\n  zebra: 1\n", []string{`:3: unknown key "meeting.zebra": papers reads only`, "under meeting:"}},
		{"every problem at once", "portal:\n  adress: x\nschedule:\n  crn: y\n", []string{`:2: unknown key "portal.adress": did you mean "portal.address"?`, `:4: unknown key "schedule.crn": did you mean "schedule.cron"?`}},
		{"keys of other commands' sections", "meeting:\n  publish_url: x\n  file: m.yaml\nreturns:\n  password: p\nportal:\n  tls:\n    cert: c\n    key: k\n", nil},
		{"free keys under a map", "ingest:\n  columns:\n    anything: [A]\n  layouts:\n    - headings: [A]\n      columns: {A: ref}\n", nil},
		{"misspelt key in a list's item", "ingest:\n  layouts:\n    - headngs: [A]\n", []string{`:3: unknown key "ingest.layouts.headngs": did you mean "ingest.layouts.headings"?`}},
		{"keys in any case, as viper reads them", "Council: X\n", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := sampleConfig
			if tc.yaml != "" {
				path = filepath.Join(t.TempDir(), "config.yaml")
				os.WriteFile(path, []byte(tc.yaml), 0o644)
			}
			_, err := readConfig(path, false)
			if tc.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want %q", tc.want)
			}
			msg, at := err.Error(), 0
			for _, w := range tc.want {
				i := strings.Index(msg[at:], w)
				if i < 0 {
					t.Fatalf("error %q does not say %q (after position %d)", msg, w, at)
				}
				at += i + len(w)
			}
			if !strings.Contains(msg, "config "+path+":") {
				t.Errorf("error %q does not name the file", msg)
			}
		})
	}
}

// due_soon_days: 0 means no window beyond the as-of day, not the default;
// left out, it is the default 28.
func TestDueSoonDaysZero(t *testing.T) {
	asOf := time.Date(2020, 11, 26, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		yaml string
		want int
	}{
		{"compare:\n  due_soon_days: 0\n", 0},
		{"compare:\n  due_soon_days: 7\n", 7},
		{"compare:\n  match_threshold: 0.6\n", 28},
	} {
		path := filepath.Join(t.TempDir(), "config.yaml")
		os.WriteFile(path, []byte(tc.yaml), 0o644)
		cfg, err := readConfig(path, false)
		if err != nil {
			t.Fatal(err)
		}
		opt, err := cfg.compareOptions(asOf)
		if err != nil {
			t.Fatal(err)
		}
		if opt.DueSoonDays != tc.want {
			t.Errorf("%q: due-soon days %d, want %d", tc.yaml, opt.DueSoonDays, tc.want)
		}
	}

	// End to end: with 0, the report counts nothing due soon in the
	// sample, and the cover says so.
	dir := t.TempDir()
	data, _ := filepath.Abs(filepath.Join("..", "..", "data"))
	cfgPath := filepath.Join(dir, "config.yaml")
	os.WriteFile(cfgPath, []byte("compare:\n  due_soon_days: 0\ninputs:\n  previous: "+filepath.Join(data, "2020-08 draft action plan.xlsx")+"\n  current: "+filepath.Join(data, "2020-10 position statement.xlsx")+"\n"), 0o644)
	out := t.TempDir()
	if _, stderr, code := papers(t, "report", "--config", cfgPath, "--meeting", "2020-11-26", "--out", out); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var cmp struct {
		Summary struct {
			ByStatus map[string]int `json:"by_status"`
		} `json:"summary"`
	}
	b, _ := os.ReadFile(filepath.Join(out, "report.json"))
	if err := json.Unmarshal(b, &cmp); err != nil {
		t.Fatal(err)
	}
	if n := cmp.Summary.ByStatus["due_soon"]; n != 0 {
		t.Errorf("%d actions due soon with due_soon_days: 0", n)
	}
}
