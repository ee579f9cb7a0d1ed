package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// TestLoggerJSONOffTerminal: a service's log (a pipe, a file, journald)
// is JSON lines a collector can parse.
func TestLoggerJSONOffTerminal(t *testing.T) {
	var b bytes.Buffer
	newLogger(&b).Info("portal started", "address", "127.0.0.1:8080")
	var m map[string]any
	if err := json.Unmarshal(b.Bytes(), &m); err != nil {
		t.Fatalf("log line %q is not JSON: %v", b.String(), err)
	}
	if m["msg"] != "portal started" || m["address"] != "127.0.0.1:8080" || m["level"] != "INFO" {
		t.Errorf("log record %v", m)
	}
	f, err := os.Create(filepath.Join(t.TempDir(), "log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if onTerminal(f) {
		t.Error("a regular file taken for a terminal")
	}
	if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
		defer tty.Close()
		if !onTerminal(tty) {
			t.Error("/dev/tty not taken for a terminal")
		}
	}
}
