package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// pdfuaFixture is a fixture of the checker's package.
func pdfuaFixture(name string) string {
	return filepath.Join("..", "..", "internal", "pdfua", "testdata", name)
}

func TestAccessibilityCommand(t *testing.T) {
	notPDF := filepath.Join(t.TempDir(), "minutes.pdf")
	if err := os.WriteFile(notPDF, []byte("these minutes were saved as text"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		args       []string
		code       int
		stdout     []string // each must appear
		stderr     string
		wantNoPage bool
	}{
		{"a tagged file that meets every rule", []string{"accessibility", pdfuaFixture("tagged.pdf")}, 0,
			[]string{"tagged.pdf: tagged, and meets every rule papers checks\n"}, "", false},
		{"LibreOffice's PDF/UA export", []string{"accessibility", pdfuaFixture("libreoffice.pdf")}, 0,
			[]string{"libreoffice.pdf: tagged, and meets every rule"}, "", false},
		{"one untagged line of text", []string{"accessibility", pdfuaFixture("untagged.pdf")}, 1,
			[]string{"untagged.pdf: not tagged, 8 problems:", "  page 1: untagged-text: 1 text-showing operator outside marked content",
				"  page 1: font-not-embedded: font Helvetica is not embedded", "  not-marked: "},
			"untagged.pdf: 8 accessibility problems (listed above)", false},
		{"a skipped heading", []string{"accessibility", pdfuaFixture("heading-skip.pdf")}, 1,
			[]string{"heading-skip.pdf: tagged, 1 problem:", "  page 1: heading-skip: H3 follows H1: level 2 is skipped"},
			"heading-skip.pdf: 1 accessibility problem (listed above)", false},
		{"no such file", []string{"accessibility", "nowhere.pdf"}, 1, nil, "papers: cannot open nowhere.pdf: open nowhere.pdf: no such file or directory\n", true},
		{"not a PDF", []string{"accessibility", notPDF}, 1, nil, "minutes.pdf: cannot read this PDF", true},
		{"a bad format", []string{"accessibility", "--format", "xml", pdfuaFixture("tagged.pdf")}, 1, nil, `--format "xml": use text or json`, true},
		{"no file", []string{"accessibility"}, 1, nil, "accepts 1 arg(s), received 0", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, code := papers(t, tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, stdout, stderr)
			}
			for _, w := range tt.stdout {
				if !strings.Contains(stdout, w) {
					t.Errorf("stdout does not contain %q:\n%s", w, stdout)
				}
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr = %q, want it to contain %q", stderr, tt.stderr)
			}
			if tt.wantNoPage && stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
			if strings.Contains(stderr, "goroutine") || strings.Count(stderr, "\n") > 1 {
				t.Errorf("stderr is not one plain line: %q", stderr)
			}
		})
	}
}

func TestAccessibilityJSON(t *testing.T) {
	stdout, stderr, code := papers(t, "accessibility", "--format", "json", pdfuaFixture("untagged.pdf"))
	if code != 1 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got accessibilityJSON
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("%v:\n%s", err, stdout)
	}
	if got.Tagged || got.File != pdfuaFixture("untagged.pdf") {
		t.Errorf("file %q tagged %v", got.File, got.Tagged)
	}
	var rules []string
	for _, p := range got.Problems {
		rules = append(rules, p.Rule)
		if p.Rule == "untagged-text" && p.Page != 1 {
			t.Errorf("untagged-text on page %d, want 1", p.Page)
		}
	}
	for _, want := range []string{"untagged-text", "not-marked", "no-structtree", "font-not-embedded", "no-lang", "no-displaydoctitle", "no-pdfua-id"} {
		if !slices.Contains(rules, want) {
			t.Errorf("rule %s missing from %v", want, rules)
		}
	}

	// A clean file: problems is an empty list, not null, and exit 0.
	stdout, stderr, code = papers(t, "accessibility", "--format", "json", pdfuaFixture("tagged.pdf"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, `"problems": []`) || !strings.Contains(stdout, `"tagged": true`) {
		t.Errorf("stdout:\n%s", stdout)
	}
}
