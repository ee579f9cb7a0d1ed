package main

import (
	"strings"
	"testing"
)

// schedule.cron: the default when unset, nothing when off, and an error that
// names the config file and key when it cannot be read.
func TestCronSpec(t *testing.T) {
	for _, tc := range []struct {
		name, cron, want, err string
	}{
		{"unset: quarterly", "", "0 6 1W 1,4,7,10 *", ""},
		{"off", "off", "", ""},
		{"none", " none ", "", ""},
		{"weekly", "0 7 * * 1", "0 7 * * 1", ""},
		{"bad hour", "0 25 * * *", "", `config papers.yaml: schedule.cron: schedule "0 25 * * *": `},
		{"bad working day", "0 6 0W * *", "", `config papers.yaml: schedule.cron: schedule "0 6 0W * *": day of month "0W"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := &config{path: "papers.yaml"}
			cfg.Schedule.Cron = tc.cron
			spec, err := cronSpec(cfg)
			switch {
			case tc.err != "":
				if err == nil || !strings.HasPrefix(err.Error(), tc.err) {
					t.Errorf("error %v, want one starting %q", err, tc.err)
				}
			case err != nil:
				t.Fatal(err)
			case tc.want == "" && spec != nil:
				t.Errorf("spec %s, want none", spec)
			case tc.want != "" && (spec == nil || spec.String() != tc.want):
				t.Errorf("spec %v, want %s", spec, tc.want)
			}
		})
	}
}
