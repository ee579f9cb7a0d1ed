package schedule

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"papers/internal/store"
)

func at(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		panic(err)
	}
	return t
}

// holidays for the tests, England and Wales.
var holidays = map[string]bool{"2021-01-01": true, "2021-04-02": true, "2021-04-05": true, "2020-12-25": true, "2020-12-28": true, "2022-01-03": true}

func working(d time.Time) bool {
	return d.Weekday() != time.Saturday && d.Weekday() != time.Sunday && !holidays[d.Format("2006-01-02")]
}

func TestNext(t *testing.T) {
	for _, tc := range []struct {
		name, spec, after, want string
		cal                     func(time.Time) bool
	}{
		// 1 Jan 2021 is a Friday and New Year's Day: the first working day is Monday 4 January.
		{"quarterly skips New Year's Day and the weekend", DefaultSpec, "2020-12-15 00:00", "2021-01-04 06:00", working},
		{"quarterly without a holiday calendar", DefaultSpec, "2020-12-15 00:00", "2021-01-01 06:00", nil},
		// 1 Apr 2021 is a Thursday, a working day (Good Friday is the 2nd).
		{"April quarter", DefaultSpec, "2021-01-04 06:00", "2021-04-01 06:00", working},
		// 1 Jan 2022 is a Saturday; Monday 3 January is the substitute holiday: Tuesday 4th.
		{"substitute holiday", DefaultSpec, "2021-10-02 00:00", "2022-01-04 06:00", working},
		{"just after a run, the next quarter", DefaultSpec, "2021-04-01 06:00", "2021-07-01 06:00", working},
		{"every 15 minutes", "*/15 * * * *", "2021-03-03 10:07", "2021-03-03 10:15", nil},
		{"weekdays at 9", "0 9 * * 1-5", "2021-03-05 09:00", "2021-03-08 09:00", nil},
		{"day of month or Monday", "30 8 15 * 1", "2021-03-10 00:00", "2021-03-15 08:30", nil},
		{"sunday as 7", "0 0 * * 7", "2021-03-01 00:00", "2021-03-07 00:00", nil},
		{"weekend as 6-7", "0 0 * * 6-7", "2021-03-06 00:00", "2021-03-07 00:00", nil},
		{"every other day to 7", "0 0 * * 1-7/2", "2021-03-06 00:00", "2021-03-07 00:00", nil},
		{"step short of 7", "0 0 * * 2-7/2", "2021-03-06 00:00", "2021-03-09 00:00", nil},
		// 1 May 2021 is a Saturday and Monday 3rd the Early May bank holiday: Tuesday 4th.
		{"1W over a weekend and a bank holiday", "0 6 1W * *", "2021-04-20 00:00", "2021-05-04 06:00", func(d time.Time) bool {
			return working(d) && d.Format("2006-01-02") != "2021-05-03"
		}},
		{"2W", "0 6 2W * *", "2020-12-15 00:00", "2021-01-05 06:00", working},
		{"1W on a Monday only", "0 6 1W * 1", "2021-01-05 00:00", "2021-02-01 06:00", working},
		{"1W every 15 minutes", "*/15 9 1W * *", "2021-01-04 09:50", "2021-02-01 09:00", working},
		{"1W never on a Sunday", "0 6 1W * 0", "2021-01-05 00:00", "0001-01-01 00:00", working},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Parse(tc.spec)
			if err != nil {
				t.Fatal(err)
			}
			if got := s.Next(at(tc.after), tc.cal); !got.Equal(at(tc.want)) {
				t.Errorf("Next(%s) = %s, want %s", tc.after, got.Format("2006-01-02 15:04 Mon"), tc.want)
			}
		})
	}
}

// The quarterly spec in Europe/London: 06:00 local time whether the clocks
// are on GMT or BST, across both changes.
func TestNextLondon(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	in := func(s string) time.Time {
		t.Helper()
		d, err := time.ParseInLocation("2006-01-02 15:04", s, london)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	spec, err := Parse(DefaultSpec)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, after, want, wantUTC string }{
		{"GMT to BST (clocks forward 28 March 2021)", "2021-01-04 06:00", "2021-04-01 06:00", "2021-04-01 05:00"},
		{"BST to BST", "2021-04-01 06:00", "2021-07-01 06:00", "2021-07-01 05:00"},
		{"BST to BST across Saturday 1 October 2022", "2022-07-01 06:00", "2022-10-03 06:00", "2022-10-03 05:00"},
		{"BST to GMT (clocks back 31 October 2021), over the New Year holiday", "2021-10-01 06:00", "2022-01-04 06:00", "2022-01-04 06:00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := spec.Next(in(tc.after), working)
			if !got.Equal(in(tc.want)) || got.Location() != london {
				t.Errorf("Next(%s) = %s, want %s London time", tc.after, got.Format("2006-01-02 15:04 MST"), tc.want)
			}
			if u := got.UTC().Format("2006-01-02 15:04"); u != tc.wantUTC {
				t.Errorf("Next(%s) = %s UTC, want %s", tc.after, u, tc.wantUTC)
			}
		})
	}
	// Hourly across the night the clocks go back: 01:00 comes twice, an hour apart.
	hourly, _ := Parse("0 * * * *")
	first := hourly.Next(in("2021-10-31 00:30"), nil)
	second := hourly.Next(first, nil)
	if first.Format("15:04 MST") != "01:00 BST" || second.Sub(first) != time.Hour {
		t.Errorf("hourly after 00:30 on 31 October 2021: %s then %s", first.Format("15:04 MST"), second.Format("15:04 MST"))
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ expr, says string }{
		{"", "want five fields"},
		{"0 6 1 1", "want five fields"},
		{"TZ=UTC 0 6 1 1 *", "want five fields"},
		{"@daily", "want five fields"},
		{"61 * * * *", "61"},
		{"0 25 * * *", "25"},
		{"0 6 0W * *", "day of month \"0W\""},
		{"0 6 24W * *", "day of month \"24W\""},
		{"0 6 1-x * *", "1-x"},
		{"0 6 * 13 *", "13"},
		{"*/0 * * * *", "step"},
		{"0 6 * * 8", "8"},
	} {
		_, err := Parse(tc.expr)
		if err == nil {
			t.Errorf("Parse(%q) accepted", tc.expr)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, tc.says) || !strings.HasPrefix(msg, fmt.Sprintf("schedule %q: ", tc.expr)) {
			t.Errorf("Parse(%q): %v: should name the expression and say %q", tc.expr, err, tc.says)
		}
	}
}

func TestLock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "run.lock")
	l, err := Acquire(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Acquire(path); !errors.Is(err, ErrLocked) {
		t.Fatalf("second Acquire: %v, want ErrLocked", err)
	}
	l.Release()
	l2, err := Acquire(path)
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	l2.Release()
}

// A process that dies holding the lock does not block the next run.
func TestLockSurvivesCrash(t *testing.T) {
	if os.Getenv("SCHEDULE_HOLD_LOCK") != "" {
		if _, err := Acquire(os.Getenv("SCHEDULE_HOLD_LOCK")); err != nil {
			os.Exit(2)
		}
		os.Stdout.WriteString("held\n")
		time.Sleep(time.Minute)
		return
	}
	path := filepath.Join(t.TempDir(), "run.lock")
	cmd := exec.Command(os.Args[0], "-test.run=^TestLockSurvivesCrash$")
	cmd.Env = append(os.Environ(), "SCHEDULE_HOLD_LOCK="+path)
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 5)
	out.Read(buf)
	if _, err := Acquire(path); !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "process") {
		t.Fatalf("while the child holds it: %v", err)
	}
	cmd.Process.Kill()
	cmd.Wait()
	l, err := Acquire(path)
	if err != nil {
		t.Fatalf("after the holder was killed: %v", err)
	}
	l.Release()
}

type fixture struct {
	db     *store.DB
	dir    string
	out    string
	inputs Inputs
	clock  time.Time
	builds int
	fail   error
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	dir := t.TempDir()
	db, err := store.Open(context.Background(), filepath.Join(dir, "papers.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return &fixture{db: db, dir: dir, out: filepath.Join(dir, "output", "2021-01-28"), clock: at("2021-01-04 06:00"),
		inputs: Inputs{Plan: "Learning report", Quarter: "2020-Q4", Files: []store.FileRef{{Name: "statement.xlsx", SHA256: "aa"}}}}
}

func (f *fixture) runner() *Runner {
	return &Runner{
		Job: "quarterly", Lock: filepath.Join(f.dir, "run.lock"), Out: f.out, Record: f.db,
		Now:    func() time.Time { f.clock = f.clock.Add(time.Minute); return f.clock },
		Inputs: func(context.Context) (Inputs, error) { return f.inputs, nil },
		Build: func(ctx context.Context, in Inputs, dir string) (Result, error) {
			f.builds++
			if err := os.WriteFile(filepath.Join(dir, "report.pdf"), []byte("report from "+in.Files[0].SHA256), 0o644); err != nil {
				return Result{}, err
			}
			if f.fail != nil {
				return Result{}, f.fail
			}
			return Result{Outputs: []store.FileRef{{Name: "report.pdf", SHA256: "x"}}}, nil
		},
	}
}

func (f *fixture) report(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(f.out, "report.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestRunOnce(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	r := f.runner()

	if got, err := r.RunOnce(ctx); err != nil || got != Built {
		t.Fatalf("first run: %v, %v", got, err)
	}
	if f.report(t) != "report from aa" {
		t.Fatal("outputs not in place")
	}
	// Nothing new: nothing done.
	if got, err := r.RunOnce(ctx); err != nil || got != NothingNew || f.builds != 1 {
		t.Fatalf("second run with the same inputs: %v, %v, %d builds", got, err, f.builds)
	}
	// A failed build leaves the previous outputs and is recorded with its error.
	f.inputs.Files[0].SHA256 = "bb"
	f.fail = errors.New("template broken")
	if _, err := r.RunOnce(ctx); err == nil || !strings.Contains(err.Error(), "template broken") {
		t.Fatalf("failing run: %v", err)
	}
	if f.report(t) != "report from aa" {
		t.Error("a failed run changed the previous outputs")
	}
	runs, _ := f.db.Runs(ctx, 10)
	if runs[0].Status != store.RunFailed || runs[0].Error != "template broken" {
		t.Errorf("failed run recorded as %+v", runs[0])
	}
	// New inputs: built and swapped in.
	f.fail = nil
	if got, err := r.RunOnce(ctx); err != nil || got != Built || f.report(t) != "report from bb" {
		t.Fatalf("run with new inputs: %v %v", got, err)
	}
	runs, _ = f.db.Runs(ctx, 10)
	if len(runs) != 3 || runs[0].Status != store.RunOK || runs[0].Inputs[0].SHA256 != "bb" || runs[0].StartedAt.IsZero() || !runs[0].FinishedAt.After(runs[0].StartedAt) {
		t.Errorf("run records: %+v", runs)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(f.out), ".*building*")); len(left) > 0 {
		t.Errorf("temporary folders left: %v", left)
	}
}

func TestRunsNeverOverlap(t *testing.T) {
	f := newFixture(t)
	l, err := Acquire(filepath.Join(f.dir, "run.lock"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	if _, err := f.runner().RunOnce(context.Background()); !errors.Is(err, ErrLocked) {
		t.Fatalf("run while another holds the lock: %v", err)
	}
	if f.builds != 0 {
		t.Error("built while locked")
	}
}

// A run killed in the middle of its build leaves the previous outputs, and
// the next run closes its record and succeeds.
func TestCrashMidRun(t *testing.T) {
	if dir := os.Getenv("SCHEDULE_CRASH_DIR"); dir != "" {
		f := &fixture{dir: dir, out: filepath.Join(dir, "output", "2021-01-28"), clock: at("2021-02-01 06:00"),
			inputs: Inputs{Plan: "Learning report", Quarter: "2020-Q4", Files: []store.FileRef{{Name: "statement.xlsx", SHA256: "cc"}}}}
		db, err := store.Open(context.Background(), filepath.Join(dir, "papers.db"))
		if err != nil {
			os.Exit(2)
		}
		f.db = db
		r := f.runner()
		r.Build = func(ctx context.Context, in Inputs, dir string) (Result, error) {
			os.WriteFile(filepath.Join(dir, "report.pdf"), []byte("half"), 0o644)
			os.Stdout.WriteString("building\n")
			time.Sleep(time.Minute) // killed here
			return Result{}, nil
		}
		r.RunOnce(context.Background())
		return
	}
	ctx := context.Background()
	f := newFixture(t)
	if _, err := f.runner().RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	f.db.Close()

	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashMidRun$")
	cmd.Env = append(os.Environ(), "SCHEDULE_CRASH_DIR="+f.dir)
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 9)
	if _, err := out.Read(buf); err != nil || string(buf) != "building\n" {
		t.Fatalf("child did not start building: %q %v", buf, err)
	}
	cmd.Process.Kill()
	cmd.Wait()

	db, err := store.Open(ctx, filepath.Join(f.dir, "papers.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	f.db = db
	if f.report(t) != "report from aa" {
		t.Fatal("the crash changed the previous outputs")
	}
	f.inputs.Files[0].SHA256 = "cc"
	f.clock = at("2021-02-02 06:00") // the next day's run
	if got, err := f.runner().RunOnce(ctx); err != nil || got != Built || f.report(t) != "report from cc" {
		t.Fatalf("run after the crash: %v %v", got, err)
	}
	runs, _ := db.Runs(ctx, 10)
	if len(runs) != 3 || runs[1].Status != store.RunFailed || !strings.Contains(runs[1].Error, "interrupted") {
		t.Errorf("the crashed run should be closed as interrupted: %+v", runs)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(f.out), ".*building*")); len(left) > 0 {
		t.Errorf("the crashed run's temporary folder was not cleaned: %v", left)
	}
}

// The loop fires at each quarter's first working day, on a fake clock.
func TestLoop(t *testing.T) {
	spec, _ := Parse(DefaultSpec)
	clock := at("2020-12-20 12:00")
	var fired []string
	ctx, cancel := context.WithCancel(context.Background())
	after := func(d time.Duration) <-chan time.Time {
		clock = clock.Add(d) // the fake clock jumps to the due time
		ch := make(chan time.Time, 1)
		ch <- clock
		return ch
	}
	Loop(ctx, spec, working, func() time.Time { return clock }, after, at("2020-10-01 06:00"), func(ctx context.Context, due time.Time) {
		fired = append(fired, due.Format("2006-01-02 15:04"))
		if len(fired) == 4 {
			cancel()
		}
	})
	want := "2021-01-04 06:00 2021-04-01 06:00 2021-07-01 06:00 2021-10-01 06:00"
	if got := strings.Join(fired, " "); got != want {
		t.Errorf("fired at %s, want %s", got, want)
	}
}

// A server that was down when a run was due runs it as soon as it starts.
func TestLoopMakesUpAMissedRun(t *testing.T) {
	spec, _ := Parse(DefaultSpec)
	clock := at("2021-01-12 09:00") // down on 4 January
	var fired []string
	ctx, cancel := context.WithCancel(context.Background())
	after := func(d time.Duration) <-chan time.Time {
		if d > maxSleep {
			t.Fatalf("slept %s, more than %s", d, maxSleep)
		}
		clock = clock.Add(d)
		ch := make(chan time.Time, 1)
		ch <- clock
		return ch
	}
	run := func(ctx context.Context, due time.Time) {
		fired = append(fired, due.Format("2006-01-02 15:04")+"@"+clock.Format("01-02"))
		if len(fired) == 2 {
			cancel()
		}
	}
	Loop(ctx, spec, working, func() time.Time { return clock }, after, at("2020-10-01 06:00"), run)
	if got := strings.Join(fired, " "); got != "2021-01-04 06:00@01-12 2021-04-01 06:00@04-01" {
		t.Errorf("fired %s", got)
	}
	// Had the January run been done, nothing runs at start.
	fired, clock = nil, at("2021-01-12 09:00")
	ctx, cancel = context.WithCancel(context.Background())
	Loop(ctx, spec, working, func() time.Time { return clock }, after, at("2021-01-04 06:00"), func(ctx context.Context, due time.Time) {
		fired = append(fired, due.Format("2006-01-02"))
		cancel()
	})
	if len(fired) != 1 || fired[0] != "2021-04-01" {
		t.Errorf("fired %v, want only the April run", fired)
	}
}
