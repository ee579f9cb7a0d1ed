package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// meetingOn rewrites quickMeeting's meeting file for another date.
func meetingOn(t *testing.T, publishDate, date string) (cfg, meetingFile string) {
	t.Helper()
	cfg, meetingFile = quickMeeting(t, publishDate)
	yml, err := os.ReadFile(meetingFile)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(meetingFile, []byte(strings.Replace(string(yml), "date: 2020-11-26", "date: "+date, 1)), 0o644)
	return cfg, meetingFile
}

// --when exits 3 when the publication date is late, as pack does, and 0
// with --late-ok or in time.
func TestPackWhenLateExits3(t *testing.T) {
	cfg, _ := quickMeeting(t, "2020-11-18")
	tests := []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"in time", nil, 0, "5 clear working days before the meeting, in time"},
		{"late", []string{"--publish-date", "2020-11-20"}, exitLate, "3 clear working days before the meeting, LATE"},
		{"late, agreed by the chair", []string{"--publish-date", "2020-11-20", "--late-ok"}, 0, "LATE"},
		{"after the meeting", []string{"--publish-date", "2020-11-27"}, exitLate, "Published Friday 27 November 2020 (--publish-date): after the meeting, LATE"},
		{"on the day", []string{"--publish-date", "2020-11-26"}, exitLate, "on the day of the meeting, LATE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, code := papers(t, append([]string{"pack", "--config", cfg, "--when"}, tt.args...)...)
			if code != tt.code || !strings.Contains(stdout, tt.out) {
				t.Errorf("exit %d (want %d)\nstdout: %s\nstderr: %s", code, tt.code, stdout, stderr)
			}
			if code == exitLate && !strings.Contains(stderr, "--late-ok") {
				t.Errorf("no way out named: %s", stderr)
			}
		})
	}
}

// Dates that are allowed but probably wrong are warned of, plainly, with
// the line of the meeting file's date where that is the doubt.
func TestPackClockWarnings(t *testing.T) {
	tests := []struct {
		name        string
		publishDate string // in config
		date        string // of the meeting
		args        []string
		want        string // "" for no warning
	}{
		{"an ordinary Thursday", "2020-11-18", "2020-11-26", nil, ""},
		{"a Saturday", "2020-11-18", "2020-11-28", nil, `meeting.yaml:3: date: the meeting is on Saturday 28 November 2020, which is not a working day (Saturday); check the date`},
		{"a bank holiday", "2020-12-16", "2020-12-28", nil, `the meeting is on Monday 28 December 2020, which is not a working day (Boxing Day (substitute day), a bank holiday)`},
		{"published after the meeting", "2020-11-18", "2020-11-26", []string{"--publish-date", "2020-11-30"},
			"the publication date, Monday 30 November 2020 (--publish-date), is after the meeting on Thursday 26 November 2020: papers cannot be published for a meeting that has taken place"},
		{"config's publish_date left over", "2020-11-18", "2022-06-09", nil,
			"is 568 days before the meeting on Thursday 9 June 2022: is it left over from another meeting? Remove meeting.publish_date"},
		{"60 days before", "2022-04-10", "2022-06-09", nil, ""},
		{"61 days before, given on the command line", "", "2022-06-09", []string{"--publish-date", "2022-04-09"},
			"the publication date, Saturday 9 April 2022 (--publish-date), is 61 days before the meeting on Thursday 9 June 2022: check the date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, _ := meetingOn(t, tt.publishDate, tt.date)
			_, stderr, _ := papers(t, append([]string{"pack", "--config", cfg, "--when"}, tt.args...)...)
			switch {
			case tt.want == "" && strings.Contains(stderr, "warning"):
				t.Errorf("warned: %s", stderr)
			case tt.want != "" && !strings.Contains(stderr, "papers: warning: ") || !strings.Contains(stderr, tt.want):
				t.Errorf("stderr lacks %q:\n%s", tt.want, stderr)
			}
		})
	}
}

// The conversion cache is where --cache says, else meeting.cache (from
// config's folder), else in the user's cache folder; --no-cache keeps none.
func TestPackCacheFlags(t *testing.T) {
	cfg, _ := quickMeeting(t, "2020-11-18")
	pc := &packConfig{}
	c, err := readConfig(cfg, false)
	if err != nil {
		t.Fatal(err)
	}
	if got := conversionCache(c, pc, "", true); got != "" {
		t.Errorf("--no-cache: %q", got)
	}
	if got := conversionCache(c, pc, "/tmp/x", false); got != "/tmp/x" {
		t.Errorf("--cache: %q", got)
	}
	pc.Meeting.Cache = "cache"
	if got := conversionCache(c, pc, "", false); got != filepath.Join(filepath.Dir(cfg), "cache") {
		t.Errorf("meeting.cache: %q", got)
	}
	pc.Meeting.Cache = ""
	if got := conversionCache(c, pc, "", false); !strings.HasSuffix(got, filepath.Join("papers", "conversions")) {
		t.Errorf("default: %q", got)
	}
}
