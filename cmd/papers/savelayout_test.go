package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSaveLayout: check --save-layout writes the layout into config.yaml,
// keeping the rest of it; a later run honours the saved layout over what
// it would infer, as the clerk corrected it; a broken one is refused
// plainly.
func TestSaveLayout(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.yaml")
	orig, err := os.ReadFile("../../config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(cfg, orig, 0o644)
	wb := "../../testdata/layouts/02-ofsted-ilacs/2016-12 improvement plan.xlsx"

	_, stderr, code := papers(t, "check", "--config", cfg, "--save-layout", wb)
	if code != 0 || !strings.Contains(stderr, "saved the layout of 1 sheet") {
		t.Fatalf("save (exit %d): %s", code, stderr)
	}
	saved, _ := os.ReadFile(cfg)
	for _, want := range []string{"layouts:", "- No.", "Ofsted Area for Improvement", "owner: D", "action: E", "target: F",
		"Saved from 2016-12 improvement plan.xlsx", "meeting:", "# Header texts that mean each column"} {
		if !strings.Contains(string(saved), want) {
			t.Errorf("config lacks %q:\n%s", want, saved)
		}
	}
	// Saving again replaces, not repeats.
	papers(t, "check", "--config", cfg, "--save-layout", wb)
	if again, _ := os.ReadFile(cfg); strings.Count(string(again), "Saved from") != 1 {
		t.Errorf("saved twice:\n%s", again)
	}

	// The clerk corrects it: the update is in column I, not G.
	corrected := strings.Replace(string(saved), "update: G", "update: I", 1)
	os.WriteFile(cfg, []byte(corrected), 0o644)
	out, stderr, code := papers(t, "check", "--config", cfg, "--format", "json", wb)
	if code != 0 {
		t.Fatalf("check with the saved layout (exit %d): %s", code, stderr)
	}
	var got checkJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil || len(got.Actions) != 8 {
		t.Fatalf("%v: %d actions", err, len(got.Actions))
	}
	if !strings.HasPrefix(got.Actions[0].Update, "Reported monthly") {
		t.Errorf("the saved layout was not honoured: update %q", got.Actions[0].Update)
	}
	out, _, _ = papers(t, "check", "--config", cfg, "--explain", wb)
	if !strings.Contains(out, "has the headings of a layout saved in config.yaml") || !strings.Contains(out, `column I "Monitoring and Evaluation" → progress update (as the layout saved in config.yaml says`) {
		t.Errorf("--explain does not say the layout is saved:\n%s", out)
	}

	// A layout that names a field that does not exist is refused plainly.
	os.WriteFile(cfg, []byte(strings.Replace(corrected, "update: I", "updates: I", 1)), 0o644)
	_, stderr, code = papers(t, "check", "--config", cfg, wb)
	if code != 1 || !strings.Contains(stderr, "saved layout 1 (ingest.layouts) cannot be used") || !strings.Contains(stderr, `"updates" is not a field`) {
		t.Errorf("a broken layout (exit %d): %s", code, stderr)
	}
}
