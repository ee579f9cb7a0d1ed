package main

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// unitKeys reads a systemd unit file's keys as section.Key → value.
func unitKeys(t *testing.T, name string) map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "deploy", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	keys, section := map[string]string{}, ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || line[0] == '#' || line[0] == ';':
		case line[0] == '[':
			section = strings.Trim(line, "[]")
		default:
			k, v, ok := strings.Cut(line, "=")
			if !ok {
				t.Fatalf("%s: not a key=value line: %q", name, line)
			}
			keys[section+"."+k] = v
		}
	}
	return keys
}

// The units in deploy/ run the right commands, hardened. (systemd-analyze
// verify checks their syntax; this keeps the hardening from being dropped.)
func TestDeployUnits(t *testing.T) {
	hardening := map[string]string{
		"Service.User": "papers", "Service.ProtectSystem": "strict", "Service.ProtectHome": "true",
		"Service.PrivateTmp": "true", "Service.NoNewPrivileges": "true",
		"Service.ReadWritePaths": "/srv/papers/data /srv/papers/output", "Service.WorkingDirectory": "/srv/papers",
	}
	for name, exec := range map[string]string{"papers.service": "/usr/local/bin/papers serve", "papers-run-scheduled.service": "/usr/local/bin/papers run-scheduled",
		"papers-notify.service": "/usr/local/bin/papers notify"} {
		keys := unitKeys(t, name)
		if keys["Service.ExecStart"] != exec {
			t.Errorf("%s: ExecStart %q, want %q", name, keys["Service.ExecStart"], exec)
		}
		for k, want := range hardening {
			if keys[k] != want {
				t.Errorf("%s: %s=%q, want %q", name, k, keys[k], want)
			}
		}
	}
	timer := unitKeys(t, "papers-run-scheduled.timer")
	if want := "Mon..Fri *-01,04,07,10-01..07 06:00 Europe/London"; timer["Timer.OnCalendar"] != want {
		t.Errorf("timer: OnCalendar %q, want %q", timer["Timer.OnCalendar"], want)
	}
	if timer["Timer.Unit"] != "papers-run-scheduled.service" || timer["Timer.Persistent"] != "true" {
		t.Errorf("timer: Unit %q, Persistent %q", timer["Timer.Unit"], timer["Timer.Persistent"])
	}
	notify := unitKeys(t, "papers-notify.timer")
	if notify["Timer.OnCalendar"] != "*:0/15" || notify["Timer.Unit"] != "papers-notify.service" {
		t.Errorf("email timer: OnCalendar %q, Unit %q", notify["Timer.OnCalendar"], notify["Timer.Unit"])
	}
}
