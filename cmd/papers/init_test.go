package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"papers/internal/report"
)

// papers init, then in the folder it wrote: papers report writes the sample
// report, and papers check reads a sample workbook.
func TestInit(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "council")
	if _, stderr, code := papers(t, "init", dir); code != 0 {
		t.Fatalf("init: exit %d: %s", code, stderr)
	}
	for _, name := range []string{"config.yaml", "README.md", "templates/README.md", "templates/cover-report.md",
		"data/2020-08 draft action plan.xlsx", "data/2020-10 position statement.xlsx", "data/meetings/2020-11-26.yaml",
		"data/meetings/2020-11-26/Children's services performance Q2.docx"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("init did not write %s: %v", name, err)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "templates", "cover-report.md")); string(b) != report.DefaultTemplate().Text {
		t.Errorf("templates/cover-report.md is not the built-in wording")
	}

	r := papersProcess(t, dir, 2*time.Minute, "report")
	if r.Code != 0 {
		t.Fatalf("report in the new folder: exit %d: %s", r.Code, r.Stderr)
	}
	if strings.Contains(r.Stderr, "built-in defaults") {
		t.Errorf("report did not read the folder's config.yaml:\n%s", r.Stderr)
	}
	for _, ext := range []string{".pdf", ".docx", ".html", ".json"} {
		if st, err := os.Stat(filepath.Join(dir, "output", "2020-11-26", "action-plan-progress"+ext)); err != nil || st.Size() < 1000 {
			t.Errorf("action-plan-progress%s: %v", ext, err)
		}
	}

	r = papersProcess(t, dir, time.Minute, "check", filepath.Join("data", "2020-10 position statement.xlsx"))
	if r.Code != 0 || !strings.Contains(r.Stdout, "Robert Henderson") {
		t.Errorf("check in the new folder: exit %d\n%s\n%s", r.Code, r.Stdout, r.Stderr)
	}
}

func TestInitRefusesAFolderInUse(t *testing.T) {
	dir := t.TempDir()
	own := filepath.Join(dir, "notes.txt")
	os.WriteFile(own, []byte("the clerk's"), 0o644)
	_, stderr, code := papers(t, "init", dir)
	if code != 1 || !strings.Contains(stderr, "is not empty") || !strings.Contains(stderr, "--force") {
		t.Errorf("exit %d, stderr %q: want a refusal naming --force", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "config.yaml")); err == nil {
		t.Errorf("a refused init wrote config.yaml")
	}
	if _, stderr, code := papers(t, "init", "--force", dir); code != 0 {
		t.Fatalf("init --force: exit %d: %s", code, stderr)
	}
	if b, _ := os.ReadFile(own); string(b) != "the clerk's" {
		t.Errorf("init --force changed a file of its own: %q", b)
	}
	if _, err := os.Stat(filepath.Join(dir, "config.yaml")); err != nil {
		t.Errorf("init --force: %v", err)
	}
}

// The config.yaml init writes stays true to the config: it loads with no
// unknown key, and names every top-level key papers reads.
func TestInitConfigKnowsEveryKey(t *testing.T) {
	b, err := skeleton.ReadFile("skeleton/config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "config.yaml")
	os.WriteFile(path, b, 0o644)
	if _, err := readConfig(path, false); err != nil {
		t.Fatalf("the config init writes does not load: %v", err)
	}
	var top map[string]any
	if err := yaml.Unmarshal(b, &top); err != nil {
		t.Fatal(err)
	}
	for key := range configSchema.fields {
		if _, ok := top[key]; !ok {
			t.Errorf("the config init writes lacks the top-level key %q", key)
		}
	}
	// Every key is described: each section's keys too, one level down.
	for key, s := range configSchema.fields {
		sec, _ := top[key].(map[string]any)
		for sub := range s.fields {
			if _, ok := sec[sub]; !ok {
				t.Errorf("the config init writes lacks %s.%s", key, sub)
			}
		}
	}
}

// The sample files init writes are the repository's data/, byte for byte.
func TestInitSkeletonMatchesData(t *testing.T) {
	repo := filepath.Join("..", "..")
	err := fs.WalkDir(skeleton, "skeleton/data", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		name := strings.TrimPrefix(p, "skeleton/")
		if real, ok := skeletonNames[name]; ok {
			name = real
		}
		want, err := os.ReadFile(filepath.Join(repo, filepath.FromSlash(name)))
		if err != nil {
			t.Errorf("%s: not in the repository's data/: %v", p, err)
			return nil
		}
		if got, _ := skeleton.ReadFile(p); !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s: copy it again", p, name)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"data/2020-08 draft action plan.xlsx", "data/2020-10 position statement.xlsx", "data/meetings/2020-11-26.yaml"} {
		if _, err := fs.Stat(skeleton, "skeleton/"+name); err != nil {
			t.Errorf("skeleton lacks %s", name)
		}
	}
}
