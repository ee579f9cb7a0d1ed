package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"papers/internal/pipeline"
	"papers/internal/quarter"
	"papers/internal/store"
)

// Faults outside papers' control — a full disk, a missing template, the
// history busy with another process, a signal mid-run — each end with one
// clear line, the previous outputs and the history intact, and the next
// run working.

// snapshot is the files in dir (not in sub-folders), by name.
func snapshot(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, e := range entries {
		if e.IsDir() {
			files[e.Name()+"/"] = nil
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = b
	}
	return files
}

// sameFiles reports how dir differs from an earlier snapshot: a file
// changed, gone or added (a temporary file left behind, say).
func sameFiles(t *testing.T, dir string, before map[string][]byte) {
	t.Helper()
	after := snapshot(t, dir)
	for _, name := range slices.Sorted(maps.Keys(before)) {
		if b, ok := after[name]; !ok {
			t.Errorf("%s: gone", name)
		} else if !bytes.Equal(b, before[name]) {
			t.Errorf("%s: changed", name)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(after)) {
		if _, ok := before[name]; !ok {
			t.Errorf("%s: left behind in %s", name, dir)
		}
	}
}

// oneLine checks stderr is a single line holding each of wants.
func oneLine(t *testing.T, stderr string, wants ...string) {
	t.Helper()
	if n := strings.Count(strings.TrimSpace(stderr), "\n"); n > 0 || stderr == "" {
		t.Errorf("want one line on stderr, got:\n%s", stderr)
	}
	for _, w := range wants {
		if !strings.Contains(stderr, w) {
			t.Errorf("stderr lacks %q:\n%s", w, stderr)
		}
	}
}

// mountTmpfs mounts a tmpfs of the given size on a new temporary folder:
// a disk that really fills up. It needs root on Linux (CI has both).
func mountTmpfs(t *testing.T, size string) string {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("a small tmpfs to fill needs Linux")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "papers-test", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a small tmpfs to fill (it needs root): %v %s", err, bytes.TrimSpace(out))
	}
	t.Cleanup(func() { exec.Command("umount", dir).Run() }) // before TempDir's removal
	return dir
}

// A real full disk: a tmpfs with room for one report but not for the next
// one's temporary files beside it.
func TestReportDiskFull(t *testing.T) {
	disk := mountTmpfs(t, "400k") // the sample report's four files take 256 kB
	out := filepath.Join(disk, "2020-11-26")
	if _, stderr, code := papers(t, "report", "--config", sampleConfig, "--out", out); code != 0 {
		t.Fatalf("first report (fits): exit %d: %s", code, stderr)
	}
	before := snapshot(t, out)

	_, stderr, code := papers(t, "report", "--config", sampleConfig, "--out", out)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	oneLine(t, stderr, "output folder "+out, "the disk is full", "nothing was written", "free some space")
	sameFiles(t, out, before)

	if b, err := exec.Command("mount", "-o", "remount,size=2m", disk).CombinedOutput(); err != nil {
		t.Fatalf("remount: %v %s", err, b)
	}
	if _, stderr, code := papers(t, "report", "--config", sampleConfig, "--out", out); code != 0 {
		t.Errorf("with space again: exit %d: %s", code, stderr)
	}
}

// templateConfig is a config naming a templates folder in dir.
func templateConfig(t *testing.T, dir string) string {
	t.Helper()
	data := mustAbs(t, filepath.Join("..", "..", "data"))
	cfg := filepath.Join(dir, "config.yaml")
	os.WriteFile(cfg, []byte(`meeting:
  committee: Children and Families Scrutiny Panel
  date: 2020-11-26
report:
  name: progress
  templates: templates
inputs:
  baseline: "`+filepath.Join(data, "2020-08 draft action plan.xlsx")+`"
  previous: "`+filepath.Join(data, "2020-08 draft action plan.xlsx")+`"
  current: "`+filepath.Join(data, "2020-10 position statement.xlsx")+`"
`), 0o644)
	return cfg
}

// A templates folder config names, its wording or its Word house template
// missing or unreadable: one line naming the path and what to do, exit 1,
// nothing written.
func TestTemplateFaults(t *testing.T) {
	shipped, err := os.ReadFile(filepath.Join("..", "..", "templates", "cover-report.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		setup func(templates string)
		want  string // %s is the templates folder
	}{
		{"folder missing", func(string) {}, "the templates folder %s (report.templates in "},
		{"wording missing", func(d string) { os.Mkdir(d, 0o755) }, "the report's wording %s/cover-report.md is missing"},
		{"wording unreadable", func(d string) { os.MkdirAll(filepath.Join(d, "cover-report.md"), 0o755) },
			"cannot read the report's wording %s/cover-report.md: is a directory"},
		{"house template missing", func(d string) {
			os.Mkdir(d, 0o755)
			os.WriteFile(filepath.Join(d, "cover-report.md"), shipped, 0o644)
			os.Symlink(filepath.Join(d, "moved away.docx"), filepath.Join(d, "house.docx"))
		}, "cannot read the Word house template %s/house.docx: no such file or directory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			cfg := templateConfig(t, dir)
			templates := filepath.Join(dir, "templates")
			tc.setup(templates)
			out := filepath.Join(dir, "out")
			_, stderr, code := papers(t, "report", "--config", cfg, "--out", out)
			if code != 1 {
				t.Errorf("exit %d, want 1", code)
			}
			oneLine(t, stderr, strings.ReplaceAll(tc.want, "%s", templates))
			if _, err := os.Stat(out); err == nil {
				t.Error("the output folder was made")
			}
		})
	}
	// papers serve will not start without them.
	b, _ := os.ReadFile(sampleConfig)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.yaml")
	os.WriteFile(cfg, b, 0o644)
	_, stderr, code := papers(t, "serve", "--config", cfg, "--addr", "127.0.0.1:0")
	if code != 1 {
		t.Errorf("serve: exit %d, want 1", code)
	}
	oneLine(t, stderr, "the templates folder "+filepath.Join(dir, "templates")+" (report.templates in "+cfg+") does not exist")
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("serve left %v", entries)
	}

	// The same folder, put right, works.
	dir = t.TempDir()
	cfg = templateConfig(t, dir)
	os.Mkdir(filepath.Join(dir, "templates"), 0o755)
	os.WriteFile(filepath.Join(dir, "templates", "cover-report.md"), shipped, 0o644)
	if _, stderr, code := papers(t, "report", "--config", cfg, "--out", filepath.Join(dir, "out")); code != 0 {
		t.Errorf("with the templates in place: exit %d: %s", code, stderr)
	}
}

// historyConfig is a config for the history and the scheduled run in dir.
func historyConfig(t *testing.T, dir, extra string) string {
	t.Helper()
	cfg := filepath.Join(dir, "config.yaml")
	os.WriteFile(cfg, []byte(extra+`meeting:
  committee: Children and Families Scrutiny Panel
  date: 2021-02-04
report:
  name: progress
  plan_name: Learning report
  as_of: 2021-01-28
portal:
  database: papers.db
schedule:
  lock: papers.lock
`), 0o644)
	return cfg
}

// Another process holds the history's write lock for longer than a write
// waits (5 s): papers history add and papers run-scheduled each say so in
// one line and exit 1; the history and the outputs are as they were; once
// the lock goes, both work.
func TestHistoryBusy(t *testing.T) {
	if testing.Short() {
		t.Skip("waits out the 5 s busy timeout")
	}
	dir := t.TempDir()
	cfg := historyConfig(t, dir, "")
	db := filepath.Join(dir, "papers.db")
	addSampleQuarters(t, cfg)
	runAll(t, cfg,
		[]string{"run-scheduled"},
		[]string{"history", "add", januaryStatement, "--quarter", "2021-Q1", "--by", "Clerk"},
	)
	history, _, _ := papers(t, "history", "--config", cfg)
	outputs := filepath.Join(dir, "output", "scheduled", "2021-02-04")
	before := snapshot(t, outputs)

	// Another process in the middle of a long write.
	other, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(context.Background(), "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	busy := "the history database " + db + " is busy: another papers process"
	aug := filepath.Join("..", "..", "data", "2020-08 draft action plan.xlsx")
	var wg sync.WaitGroup
	wg.Go(func() {
		_, stderr, code := papers(t, "history", "add", aug, "--quarter", "2021-Q1", "--kind", "baseline", "--by", "Clerk", "--config", cfg)
		if code != 1 {
			t.Errorf("history add: exit %d, want 1", code)
		}
		oneLine(t, stderr, busy, "try again")
	})
	wg.Go(func() {
		_, stderr, code := papers(t, "run-scheduled", "--config", cfg)
		if code != 1 {
			t.Errorf("run-scheduled: exit %d, want 1", code)
		}
		oneLine(t, stderr, busy, "try again", "the previous outputs in "+outputs+" are unchanged")
	})
	wg.Wait()
	conn.ExecContext(context.Background(), "ROLLBACK")
	conn.Close()

	if now, _, _ := papers(t, "history", "--config", cfg); now != history {
		t.Errorf("the history changed:\n%s\nwas:\n%s", now, history)
	}
	sameFiles(t, outputs, before)
	if _, stderr, code := papers(t, "history", "add", aug, "--quarter", "2021-Q1", "--kind", "baseline", "--by", "Clerk", "--config", cfg); code != 0 {
		t.Errorf("history add afterwards: exit %d: %s", code, stderr)
	}
	if out, stderr, code := papers(t, "run-scheduled", "--config", cfg); code != 0 || !strings.Contains(out, "quarterly run done") {
		t.Errorf("run-scheduled afterwards: exit %d: %s %s", code, out, stderr)
	}
}

// bigPlans lets config read the generated plans, larger than the usual limit.
const bigPlans = "ingest:\n  max_rows: 25000\n"

// signals are the two a run may be stopped by, and the exit status for each.
var signals = []struct {
	sig  syscall.Signal
	name string
	code int
}{
	{syscall.SIGINT, "SIGINT", exitInterrupt},
	{syscall.SIGTERM, "SIGTERM", exitTerminate},
}

// stopped starts cmd, calls ready with its stderr so far until it says the
// process is where the test wants it, sends sig, and returns its stderr,
// exit status and how long it took to end after the signal.
func stopped(t *testing.T, cmd *exec.Cmd, sig syscall.Signal, ready func(stderr string) bool) (stderr string, code int, took time.Duration) {
	t.Helper()
	var errb lockedBuffer
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	for deadline := time.Now().Add(2 * time.Minute); !ready(errb.String()); time.Sleep(5 * time.Millisecond) {
		select {
		case <-exited:
			t.Fatalf("papers ended before the test could stop it: exit %d: %s", cmd.ProcessState.ExitCode(), errb.String())
		default:
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("papers never got to the point to stop it at")
		}
	}
	select {
	case <-exited:
		t.Fatalf("papers ended before the signal: exit %d: %s", cmd.ProcessState.ExitCode(), errb.String())
	default:
	}
	start := time.Now()
	cmd.Process.Signal(sig)
	select {
	case <-exited:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		<-exited
		t.Errorf("papers was still running 30 s after %v", sig)
	}
	return errb.String(), cmd.ProcessState.ExitCode(), time.Since(start)
}

// lockedBuffer is a bytes.Buffer that a process writes while the test
// reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Ctrl-C or SIGTERM while a large report is being made: papers ends within
// a moment, says so, leaves the previous report as it was and nothing
// beside it; the next run works.
func TestReportStoppedBySignal(t *testing.T) {
	if testing.Short() {
		t.Skip("makes a large report")
	}
	dir := t.TempDir()
	prev, cur := filepath.Join(dir, "prev.xlsx"), filepath.Join(dir, "cur.xlsx")
	writePlan(t, prev, 20000, 0) // about 5 s to read, compare and render
	writePlan(t, cur, 20000, 1)
	cfg := filepath.Join(dir, "config.yaml")
	os.WriteFile(cfg, []byte(bigPlans+`meeting:
  committee: Children and Families Scrutiny Panel
  date: 2020-11-26
report:
  name: progress
`), 0o644)
	data := mustAbs(t, filepath.Join("..", "..", "data"))
	aug, oct := filepath.Join(data, "2020-08 draft action plan.xlsx"), filepath.Join(data, "2020-10 position statement.xlsx")
	for i, s := range signals {
		t.Run(s.name, func(t *testing.T) {
			out := filepath.Join(dir, "out-"+s.name)
			os.Mkdir(out, 0o755)
			for _, ext := range []string{".pdf", ".docx", ".html", ".json"} {
				os.WriteFile(filepath.Join(out, "progress"+ext), []byte("the previous report's "+ext), 0o644)
			}
			before := snapshot(t, out)
			cmd := papersCommand(context.Background(), "", "report", "--config", cfg, "--progress",
				"--current", cur, "--previous", prev, "--baseline", prev, "--out", out)
			// Stop one run while it reads the workbooks, the other while it
			// renders, as its progress lines say.
			stage := []string{"… reading the", "… writing the PDF"}[i]
			stderr, code, took := stopped(t, cmd, s.sig, func(stderr string) bool { return strings.Contains(stderr, stage) })
			t.Logf("%s: ended %v after the signal", s.name, took.Round(time.Millisecond))
			if code != s.code {
				t.Errorf("exit %d, want %d", code, s.code)
			}
			if took > 3*time.Second {
				t.Errorf("took %v to stop after %s", took, s.name)
			}
			if !strings.Contains(stderr, stage) {
				t.Errorf("stderr lacks the progress line %q", stage)
			}
			var last string // the progress lines come first
			for _, l := range strings.Split(strings.TrimSpace(stderr), "\n") {
				if !strings.HasPrefix(l, "… ") {
					last += l + "\n"
				}
			}
			oneLine(t, last, "papers: stopped by "+s.name, "nothing was written", "previous outputs are as they were")
			sameFiles(t, out, before)

			if _, stderr, code := papers(t, "report", "--config", cfg, "--current", oct, "--previous", aug, "--baseline", aug, "--out", out); code != 0 {
				t.Errorf("the next run: exit %d: %s", code, stderr)
			}
		})
	}
}

// runAll runs papers with each command line and the configuration, in
// order, failing the test at the first that does not succeed.
func runAll(t *testing.T, cfg string, commands ...[]string) {
	t.Helper()
	for _, args := range commands {
		if _, stderr, code := papers(t, append(args, "--config", cfg)...); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
	}
}

// addSampleQuarters adds the samples to the history: the August 2020 plan
// as the baseline (2020-Q3) and the October position statement (2020-Q4).
func addSampleQuarters(t *testing.T, cfg string) {
	t.Helper()
	aug := filepath.Join("..", "..", "data", "2020-08 draft action plan.xlsx")
	oct := filepath.Join("..", "..", "data", "2020-10 position statement.xlsx")
	runAll(t, cfg,
		[]string{"history", "add", aug, "--quarter", "2020-Q3", "--kind", "baseline", "--by", "Clerk"},
		[]string{"history", "add", oct, "--quarter", "2020-Q4", "--by", "Clerk"},
	)
}

// processesMentioning lists the processes whose command line holds s.
func processesMentioning(s string) []string {
	var found []string
	cmdlines, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, c := range cmdlines {
		b, err := os.ReadFile(c)
		if err == nil && bytes.Contains(b, []byte(s)) {
			found = append(found, filepath.Base(filepath.Dir(c))+": "+string(bytes.ReplaceAll(b, []byte{0}, []byte{' '})))
		}
	}
	return found
}

// Ctrl-C or SIGTERM while LibreOffice converts an item: papers ends within a
// moment, LibreOffice with it (no soffice left running, no profile or
// temporary files left), the previous packs as they were; the next run works.
func TestPackStoppedBySignal(t *testing.T) {
	if testing.Short() {
		t.Skip("runs LibreOffice three times")
	}
	needTool(t, "soffice")
	if runtime.GOOS != "linux" {
		t.Skip("looks for LibreOffice processes in /proc")
	}
	cfg, meetingFile := quickMeeting(t, "2020-11-18")
	docx := mustAbs(t, filepath.Join("..", "..", "data", "meetings", "2020-11-26", "Children's services performance Q2.docx"))
	f, _ := os.OpenFile(meetingFile, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`  - {title: "Children's services performance", file: "` + docx + `"}` + "\n")
	f.Close()
	out := t.TempDir()
	packs := []string{"Children and Families Scrutiny Panel agenda pack.pdf", "Children and Families Scrutiny Panel members pack.pdf",
		"Children and Families Scrutiny Panel meeting.oparl.json"}
	for _, name := range packs {
		os.WriteFile(filepath.Join(out, name), []byte("the previous "+name), 0o644)
	}
	before := snapshot(t, out)
	for _, s := range signals {
		t.Run(s.name, func(t *testing.T) {
			tmp := t.TempDir() // LibreOffice's profile and files go in here
			cmd := papersCommand(context.Background(), "", "pack", "--config", cfg, "--out", out)
			cmd.Env = append(cmd.Env, "TMPDIR="+tmp)
			converting := func() bool { return len(processesMentioning(tmp)) > 0 }
			var since time.Time
			stderr, code, took := stopped(t, cmd, s.sig, func(string) bool {
				if since.IsZero() && converting() {
					since = time.Now()
				}
				return !since.IsZero() && time.Since(since) > 500*time.Millisecond // LibreOffice under way
			})
			t.Logf("%s: ended %v after the signal", s.name, took.Round(time.Millisecond))
			if code != s.code {
				t.Errorf("exit %d, want %d", code, s.code)
			}
			if took > 3*time.Second {
				t.Errorf("took %v to stop after %s", took, s.name)
			}
			oneLine(t, stderr, "papers: stopped by "+s.name, "nothing was written")
			var left []string
			for end := time.Now().Add(3 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
				if left = processesMentioning(tmp); len(left) == 0 {
					break
				}
			}
			if len(left) > 0 {
				t.Errorf("LibreOffice still running after papers ended: %v", left)
			}
			if entries, _ := os.ReadDir(tmp); len(entries) > 0 {
				t.Errorf("left in the temporary folder: %v", entries)
			}
			sameFiles(t, out, before)
		})
	}
	if stdout, stderr, code := papers(t, "pack", "--config", cfg, "--out", out); code != 0 || !strings.Contains(stdout, "members pack.pdf\t") {
		t.Fatalf("the next run: exit %d: %s %s", code, stdout, stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(out, packs[0])); !bytes.HasPrefix(b, []byte("%PDF")) {
		t.Error("the next run did not replace the packs")
	}
}

// SIGTERM (systemctl stop, a timer's timeout) while the scheduled run builds:
// the run is recorded as failed, the previous outputs stay, and the next
// run works.
func TestRunScheduledStoppedBySignal(t *testing.T) {
	if testing.Short() {
		t.Skip("makes a large report")
	}
	dir := t.TempDir()
	cfg := historyConfig(t, dir, bigPlans)
	big := filepath.Join(dir, "2021-01 big.xlsx")
	writePlan(t, big, 20000, 1)
	addSampleQuarters(t, cfg)
	runAll(t, cfg,
		[]string{"run-scheduled"},
		[]string{"history", "add", big, "--quarter", "2021-Q1", "--by", "Clerk"},
	)
	outputs := filepath.Join(dir, "output", "scheduled", "2021-02-04")
	before := snapshot(t, outputs)
	db, err := store.Open(context.Background(), filepath.Join(dir, "papers.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	lastRun := func() store.Run {
		runs, err := db.Runs(context.Background(), 1)
		if err != nil || len(runs) == 0 {
			t.Fatalf("runs: %v %v", runs, err)
		}
		return runs[0]
	}

	cmd := papersCommand(context.Background(), "", "run-scheduled", "--config", cfg)
	var building time.Time
	stderr, code, took := stopped(t, cmd, syscall.SIGTERM, func(string) bool {
		if building.IsZero() && lastRun().Status == store.RunRunning {
			building = time.Now()
		}
		// The build of 20,000 actions takes over a second from here.
		return !building.IsZero() && time.Since(building) > 200*time.Millisecond
	})
	t.Logf("SIGTERM: ended %v after the signal", took.Round(time.Millisecond))
	if code != exitTerminate {
		t.Errorf("exit %d, want %d", code, exitTerminate)
	}
	if took > 3*time.Second {
		t.Errorf("took %v to stop after SIGTERM", took)
	}
	oneLine(t, stderr, "papers: stopped by SIGTERM", "nothing was written")
	if r := lastRun(); r.Status != store.RunFailed || !strings.Contains(r.Error, "stopped") || r.FinishedAt.IsZero() {
		t.Errorf("the stopped run is recorded as %s, %q", r.Status, r.Error)
	}
	sameFiles(t, outputs, before)
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(outputs), ".*")); len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}

	// The clerk replaces the quarter's statement; the next run works.
	if _, stderr, code := papers(t, "history", "add", januaryStatement, "--quarter", "2021-Q1", "--by", "Clerk", "--config", cfg); code != 0 {
		t.Fatalf("history add: exit %d: %s", code, stderr)
	}
	if out, stderr, code := papers(t, "run-scheduled", "--config", cfg); code != 0 || !strings.Contains(out, "quarterly run done") {
		t.Errorf("the next run: exit %d: %s %s", code, out, stderr)
	}
	if r := lastRun(); r.Status != store.RunOK && r.Status != store.RunWarnings {
		t.Errorf("the next run is recorded as %s, %q", r.Status, r.Error)
	}
}

// A history query cut short by a signal is a stop, recorded as one, not
// "no statement before …" (which would send the clerk looking for a
// missing quarter).
func TestHistoryReadStopped(t *testing.T) {
	dir := t.TempDir()
	cfg := historyConfig(t, dir, "")
	addSampleQuarters(t, cfg)
	db, err := store.Open(context.Background(), filepath.Join(dir, "papers.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := quarter.FromHistory(context.Background(), db, quarter.Query{Plan: "Learning report"}); err != nil {
		t.Fatalf("not stopped: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = quarter.FromHistory(ctx, db, quarter.Query{Plan: "Learning report"})
	if !errors.Is(err, pipeline.ErrStopped) || strings.Contains(err.Error(), "no ") {
		t.Errorf("stopped: %v, want %v", err, pipeline.ErrStopped)
	}
}
