package main

import (
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersionText(t *testing.T) {
	platform := runtime.GOOS + "/" + runtime.GOARCH
	for _, tc := range []struct {
		name string
		bi   *debug.BuildInfo
		ok   bool
		want string
	}{
		{"a release, with its commit and time", &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Path: "papers", Version: "v1.2.0"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "6fb48dc0a1"}, {Key: "vcs.time", Value: "2026-01-05T09:00:00Z"}, {Key: "vcs.modified", Value: "false"}}},
			true, "papers v1.2.0 (commit 6fb48dc0a1, 2026-01-05T09:00:00Z)\ngo1.26.0 " + platform + "\n"},
		{"a working copy with changes", &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Path: "papers", Version: "(devel)"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "abc"}, {Key: "vcs.modified", Value: "true"}}},
			true, "papers (devel) (commit abc, modified)\ngo1.26.0 " + platform + "\n"},
		{"no version, no vcs", &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Path: "papers"}},
			true, "papers (devel)\ngo1.26.0 " + platform + "\n"},
		{"no build information", nil, false, "papers (devel)\n" + runtime.Version() + " " + platform + "\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := versionText(tc.bi, tc.ok); got != tc.want {
				t.Errorf("got\n%q\nwant\n%q", got, tc.want)
			}
		})
	}
}

// The command itself: this test binary's own build information.
func TestVersionCommand(t *testing.T) {
	stdout, stderr, code := papers(t, "version")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "papers ") || !strings.HasPrefix(lines[1], "go") {
		t.Errorf("stdout %q: want \"papers VERSION …\" and the Go version", stdout)
	}
	if stderr != "" {
		t.Errorf("stderr: %q", stderr)
	}
}
