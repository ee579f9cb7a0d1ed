package pipeline

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"papers/internal/compare"
	"papers/internal/plan"
	"papers/internal/report"
)

// bigStatement is a statement of n actions, ten to a recommendation.
func bigStatement(n int) *plan.Statement {
	s := &plan.Statement{File: "big.xlsx", Sheet: "Position Statement", Title: "Generated position statement"}
	for i := range n {
		rec := fmt.Sprint(i/10 + 1)
		if i%10 == 0 {
			s.Recommendations = append(s.Recommendations, plan.Recommendation{Ref: rec, Title: "Recommendation " + rec, Text: "Improve practice across the council."})
		}
		s.Actions = append(s.Actions, plan.Action{
			Ref: fmt.Sprintf("%s.%d", rec, i%10+1), Recommendation: rec,
			Text:     fmt.Sprintf("Review the supervision framework for front-line staff and report to the board (item %d)", i),
			Owner:    fmt.Sprintf("Officer %d", i%23),
			Owners:   []string{fmt.Sprintf("Officer %d", i%23)},
			Schedule: plan.Schedule{Target: plan.TargetDate{Date: plan.Day(2021, time.Month(i%12+1), 28), Precision: plan.PrecisionDay}},
			Update:   fmt.Sprintf("Progressing; next review in month %d.", i%12+1),
			Cell:     fmt.Sprintf("B%d", i+4), Row: i + 4,
		})
	}
	return s
}

func settings() Settings {
	asOf := plan.Day(2021, 6, 30)
	return Settings{
		Compare: compare.DefaultOptions(asOf),
		Meta:    report.Meta{Committee: "Panel", MeetingDate: asOf, DecisionMaker: "Panel", Subject: "Progress", PlanName: "plan"},
	}
}

// Ctrl-C while a large report renders: Build returns at once, not when
// the PDF is done (a 20,000-action report takes seconds).
func TestBuildStopsMidRender(t *testing.T) {
	big := bigStatement(20000)
	stopMidRender(t, "Build", func(ctx context.Context, progress func(string)) error {
		_, err := Build(ctx, plan.Inputs{Previous: big, Current: big}, settings(), progress)
		return err
	})
}

// stopMidRender runs a large report with run, ends its context once it is
// rendering, and checks that run says ErrStopped within a second.
func stopMidRender(t *testing.T, what string, run func(ctx context.Context, progress func(stage string)) error) {
	t.Helper()
	if testing.Short() {
		t.Skip("renders a large report")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rendering := make(chan struct{})
	var once sync.Once
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, func(stage string) {
			if strings.HasPrefix(stage, "writing") {
				once.Do(func() { close(rendering) })
			}
		})
	}()
	select {
	case <-rendering:
	case err := <-done:
		t.Fatalf("%s ended before rendering: %v", what, err)
	case <-time.After(time.Minute):
		t.Fatalf("%s did not reach the rendering stage in a minute", what)
	}
	time.Sleep(100 * time.Millisecond)
	cancel()
	stopped := time.Now()
	select {
	case err := <-done:
		if !errors.Is(err, ErrStopped) {
			t.Errorf("error %v, want ErrStopped", err)
		}
		if d := time.Since(stopped); d > time.Second {
			t.Errorf("%s returned %v after the context ended", what, d)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("%s went on rendering after the context ended", what)
	}
}

func TestBuildStoppedBeforeStart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s := bigStatement(10)
	if _, err := Build(ctx, plan.Inputs{Previous: s, Current: s}, settings(), nil); !errors.Is(err, ErrStopped) {
		t.Errorf("error %v, want ErrStopped", err)
	}
}

// Save after the context ends writes nothing and says ErrStopped; the
// previous outputs stay.
func TestSaveStopped(t *testing.T) {
	dir := t.TempDir()
	files := []File{{".pdf", []byte("old")}, {".json", []byte("old")}}
	if _, err := Save(context.Background(), dir, "r", files); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Save(ctx, dir, "r", []File{{".pdf", []byte("new")}, {".json", []byte("new")}}); !errors.Is(err, ErrStopped) {
		t.Fatalf("error %v, want ErrStopped", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("left: %v", entries)
	}
	for _, ext := range []string{".pdf", ".json"} {
		if b, _ := os.ReadFile(filepath.Join(dir, "r"+ext)); string(b) != "old" {
			t.Errorf("r%s changed: %q", ext, b)
		}
	}
}

// Two writers failing at once still make one line, for the CLI.
func TestJoinLine(t *testing.T) {
	font := errors.New("writing the PDF: pdf: cannot load font")
	tpl := errors.New("writing the DOCX: docx: house.docx: not a .docx (zip) file")
	for _, tc := range []struct {
		name string
		errs []error
		want string
	}{
		{"none", []error{nil, nil}, ""},
		{"one", []error{nil, tpl}, tpl.Error()},
		{"two", []error{font, tpl, nil}, font.Error() + "; " + tpl.Error()},
	} {
		err := joinLine(tc.errs)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
		if tc.name == "two" && !errors.Is(err, font) {
			t.Errorf("%s: the first error is not wrapped", tc.name)
		}
	}
	// A house template that is not a Word file: one line naming it.
	house := filepath.Join(t.TempDir(), "house.docx")
	os.WriteFile(house, []byte("not a zip"), 0o644)
	s := settings()
	s.HouseTemplate = house
	small := bigStatement(10)
	_, err := Build(context.Background(), plan.Inputs{Previous: small, Current: small}, s, nil)
	if err == nil || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), house) {
		t.Errorf("error %v, want one line naming %s", err, house)
	}
}

// oldOutputs puts a previous run's four files in dir and returns a check
// that they are still there, unchanged, with nothing beside them.
func oldOutputs(t *testing.T, dir string) func() {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, ext := range extensions {
		if err := os.WriteFile(filepath.Join(dir, "r"+ext), []byte("old"+ext), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return func() {
		t.Helper()
		entries, _ := os.ReadDir(dir)
		if len(entries) != len(extensions) {
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			t.Errorf("in %s: %v, want only the previous four files", dir, names)
		}
		for _, ext := range extensions {
			if b, _ := os.ReadFile(filepath.Join(dir, "r"+ext)); string(b) != "old"+ext {
				t.Errorf("r%s changed: %.40q", ext, b)
			}
		}
	}
}

// Write streams the same four files Build makes, with their digests.
func TestWrite(t *testing.T) {
	dir := t.TempDir()
	oldOutputs(t, dir)
	s := bigStatement(50)
	built, err := Build(context.Background(), plan.Inputs{Previous: s, Current: s}, settings(), nil)
	if err != nil {
		t.Fatal(err)
	}
	w, err := Write(context.Background(), plan.Inputs{Previous: s, Current: s}, settings(), Target{Dir: dir, Name: "r", Digest: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range [][]byte{built.PDF, built.DOCX, built.HTML, built.JSON} {
		f := w.Files[i]
		if f.Path != filepath.Join(dir, "r"+extensions[i]) {
			t.Errorf("file %d is %s", i, f.Path)
		}
		got, err := os.ReadFile(f.Path)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: %d bytes (%v), want Build's %d", f.Path, len(got), err, len(want))
		}
		if sum := sha256.Sum256(got); f.SHA256 != hex.EncodeToString(sum[:]) {
			t.Errorf("%s: digest %s, want %x", f.Path, f.SHA256, sum)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != len(extensions) {
		t.Errorf("%d entries in %s, want the four files", len(entries), dir)
	}
}

// A writer that fails (the council's Word template is missing) leaves the
// previous files as they were and no temporary ones; a folder Write made
// goes again.
func TestWriteFails(t *testing.T) {
	dir := t.TempDir()
	unchanged := oldOutputs(t, dir)
	s := bigStatement(50)
	set := settings()
	set.HouseTemplate = filepath.Join(dir, "missing.docx")
	if _, err := Write(context.Background(), plan.Inputs{Previous: s, Current: s}, set, Target{Dir: dir, Name: "r"}, nil); err == nil || !strings.Contains(err.Error(), "writing the DOCX") {
		t.Fatalf("error %v, want the DOCX writer's", err)
	}
	unchanged()
	fresh := filepath.Join(t.TempDir(), "output", "2021-06-30")
	if _, err := Write(context.Background(), plan.Inputs{Previous: s, Current: s}, set, Target{Dir: fresh, Name: "r"}, nil); err == nil {
		t.Fatal("no error")
	}
	if _, err := os.Stat(filepath.Dir(fresh)); !os.IsNotExist(err) {
		t.Errorf("the folders Write made are still there: %v", err)
	}
}

// Ctrl-C while a large report is being written: Write returns at once, the
// files half written are gone by then, and the previous ones stay.
func TestWriteStopsMidRender(t *testing.T) {
	dir := t.TempDir()
	unchanged := oldOutputs(t, dir)
	big := bigStatement(20000)
	stopMidRender(t, "Write", func(ctx context.Context, progress func(string)) error {
		_, err := Write(ctx, plan.Inputs{Previous: big, Current: big}, settings(), Target{Dir: dir, Name: "r"}, progress)
		return err
	})
	unchanged()
}

// A report that fails before its writers start (the cover's wording does
// not parse) leaves no file open: the portal runs for months.
func TestWriteClosesFiles(t *testing.T) {
	openFiles := func() int {
		entries, err := os.ReadDir("/proc/self/fd")
		if err != nil {
			t.Skip("no /proc/self/fd")
		}
		return len(entries)
	}
	dir := t.TempDir()
	s := bigStatement(10)
	set := settings()
	set.Template = report.Template{Name: "cover-report.md", Text: "{{.Unclosed"}
	before := openFiles()
	for range 5 {
		if _, err := Write(context.Background(), plan.Inputs{Previous: s, Current: s}, set, Target{Dir: dir, Name: "r"}, nil); err == nil {
			t.Fatal("no error from a cover that does not parse")
		}
	}
	if after := openFiles(); after > before {
		t.Errorf("%d files open after five failed reports, %d before", after, before)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("left in the folder: %v", entries)
	}
}

// A pack needs the report's PDF alone: BuildPDF renders that and nothing
// else (no DOCX, HTML or JSON writer is started), and its PDF is Build's.
func TestBuildPDFRendersOnlyThePDF(t *testing.T) {
	var started []string
	rendering = func(ext string) { started = append(started, ext) }
	t.Cleanup(func() { rendering = nil })
	s := bigStatement(50)
	var stages []string
	only, err := BuildPDF(context.Background(), plan.Inputs{Previous: s, Current: s}, settings(), func(stage string) { stages = append(stages, stage) })
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(started, " ") != ".pdf" {
		t.Errorf("BuildPDF started writers %v, want the PDF's alone", started)
	}
	if only.DOCX != nil || only.HTML != nil || only.JSON != nil || only.Comparison == nil || only.Doc == nil {
		t.Errorf("BuildPDF's outputs: DOCX %d, HTML %d, JSON %d bytes, comparison %v", len(only.DOCX), len(only.HTML), len(only.JSON), only.Comparison != nil)
	}
	if got := strings.Join(stages, "; "); got != "comparing; writing the PDF" {
		t.Errorf("stages %q", got)
	}
	started = nil
	all, err := Build(context.Background(), plan.Inputs{Previous: s, Current: s}, settings(), nil)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(started)
	if strings.Join(started, " ") != ".docx .html .json .pdf" {
		t.Errorf("Build started writers %v, want all four", started)
	}
	if !bytes.Equal(only.PDF, all.PDF) {
		t.Errorf("BuildPDF's PDF is %d bytes, Build's %d", len(only.PDF), len(all.PDF))
	}
}
