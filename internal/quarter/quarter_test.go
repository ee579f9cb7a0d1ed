package quarter

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"papers/internal/compare"
	"papers/internal/document"
	"papers/internal/pipeline"
	"papers/internal/plan"
	"papers/internal/report"
	"papers/internal/store"
	"papers/internal/workbook"
)

// The sample's workbooks: the plan as agreed and two quarters' statements.
var (
	baselineFile = filepath.Join("..", "..", "data", "2020-08 draft action plan.xlsx")
	octoberFile  = filepath.Join("..", "..", "data", "2020-10 position statement.xlsx")
	januaryFile  = filepath.Join("..", "..", "cmd", "papers", "testdata", "2021-01 position statement.xlsx")
)

const planName = "Learning report"

var t0 = time.Date(2021, 1, 20, 9, 0, 0, 0, time.UTC)

// history is a real store in a temporary folder.
type history struct {
	t  *testing.T
	db *store.DB
}

func newHistory(t *testing.T) *history {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "papers.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return &history{t, db}
}

// add keeps a workbook in the history and returns its record.
func (h *history) add(path, quarter string, kind store.Kind) store.StatementRecord {
	h.t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		h.t.Fatal(err)
	}
	s, err := workbook.ReadFile(path, workbook.DefaultOptions())
	if err != nil {
		h.t.Fatal(err)
	}
	rec, err := h.db.AddStatement(context.Background(), store.StatementInput{Plan: planName, Quarter: quarter, Kind: kind,
		FileName: filepath.Base(path), Bytes: b, SubmittedBy: "clerk@example.gov.uk", SubmittedAt: t0, Statement: s})
	if err != nil {
		h.t.Fatal(err)
	}
	return rec
}

// addAs keeps other bytes as a new version of a quarter's statement.
func (h *history) addAs(path, quarter, name string) store.StatementRecord {
	h.t.Helper()
	s, err := workbook.ReadFile(path, workbook.DefaultOptions())
	if err != nil {
		h.t.Fatal(err)
	}
	rec, err := h.db.AddStatement(context.Background(), store.StatementInput{Plan: planName, Quarter: quarter, Kind: store.KindStatement,
		FileName: name, Bytes: []byte("PK\x03\x04 " + name), SubmittedBy: "clerk@example.gov.uk", SubmittedAt: t0, Statement: s})
	if err != nil {
		h.t.Fatal(err)
	}
	return rec
}

func (h *history) withdraw(rec store.StatementRecord) {
	h.t.Helper()
	w := store.Withdrawal{By: "clerk@example.gov.uk", At: t0.Add(time.Hour), Reason: "accepted too early"}
	if _, err := h.db.WithdrawStatement(context.Background(), rec.ID, w, store.Event{At: w.At, Actor: w.By, Action: "statement.withdraw", Detail: w.Reason}); err != nil {
		h.t.Fatal(err)
	}
}

func refs(recs ...store.StatementRecord) []store.FileRef {
	out := make([]store.FileRef, len(recs))
	for i, r := range recs {
		out[i] = store.FileRef{Name: r.FileName, SHA256: r.SHA256}
	}
	return out
}

// file is a statement's workbook name, or "none".
func file(s *plan.Statement) string {
	if s == nil {
		return "none"
	}
	return s.File
}

func TestFromHistory(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(h *history) (Query, []store.StatementRecord) // the query, and the records it should name
		// The statements picked, by file, and the quarter.
		current, previous, baseline, quarter string
		firstQuarter                         bool
	}{
		{
			name: "first quarter: no previous statement, compared with the plan as agreed",
			setup: func(h *history) (Query, []store.StatementRecord) {
				base := h.add(baselineFile, "2020-Q3", store.KindBaseline)
				oct := h.add(octoberFile, "2020-Q4", store.KindStatement)
				return Query{Plan: planName}, []store.StatementRecord{oct, base}
			},
			current: "2020-10 position statement.xlsx", previous: "none", baseline: "2020-08 draft action plan.xlsx",
			quarter: "2020-Q4", firstQuarter: true,
		},
		{
			name: "a normal quarter: the latest statement, the one before it and the baseline",
			setup: func(h *history) (Query, []store.StatementRecord) {
				base := h.add(baselineFile, "2020-Q3", store.KindBaseline)
				oct := h.add(octoberFile, "2020-Q4", store.KindStatement)
				jan := h.add(januaryFile, "2021-Q1", store.KindStatement)
				return Query{Plan: planName}, []store.StatementRecord{jan, oct, base}
			},
			current: "2021-01 position statement.xlsx", previous: "2020-10 position statement.xlsx", baseline: "2020-08 draft action plan.xlsx",
			quarter: "2021-Q1",
		},
		{
			name: "the latest quarter's statement withdrawn: the quarter before is the latest",
			setup: func(h *history) (Query, []store.StatementRecord) {
				base := h.add(baselineFile, "2020-Q3", store.KindBaseline)
				oct := h.add(octoberFile, "2020-Q4", store.KindStatement)
				h.withdraw(h.add(januaryFile, "2021-Q1", store.KindStatement))
				return Query{Plan: planName}, []store.StatementRecord{oct, base}
			},
			current: "2020-10 position statement.xlsx", previous: "none", baseline: "2020-08 draft action plan.xlsx",
			quarter: "2020-Q4", firstQuarter: true,
		},
		{
			name: "a quarter's latest version withdrawn: the version before stands",
			setup: func(h *history) (Query, []store.StatementRecord) {
				base := h.add(baselineFile, "2020-Q3", store.KindBaseline)
				oct := h.add(octoberFile, "2020-Q4", store.KindStatement)
				v1 := h.add(januaryFile, "2021-Q1", store.KindStatement)
				h.withdraw(h.addAs(januaryFile, "2021-Q1", "2021-01 corrected.xlsx"))
				return Query{Plan: planName, Quarter: "2021-Q1"}, []store.StatementRecord{v1, oct, base}
			},
			current: "2021-01 position statement.xlsx", previous: "2020-10 position statement.xlsx", baseline: "2020-08 draft action plan.xlsx",
			quarter: "2021-Q1",
		},
		{
			name: "an earlier quarter asked for: compared with the quarter before it, not a later one",
			setup: func(h *history) (Query, []store.StatementRecord) {
				base := h.add(baselineFile, "2020-Q3", store.KindBaseline)
				oct := h.add(octoberFile, "2020-Q4", store.KindStatement)
				h.add(januaryFile, "2021-Q1", store.KindStatement)
				return Query{Plan: planName, Quarter: "2020-Q4"}, []store.StatementRecord{oct, base}
			},
			current: "2020-10 position statement.xlsx", previous: "none", baseline: "2020-08 draft action plan.xlsx",
			quarter: "2020-Q4", firstQuarter: true,
		},
		{
			name: "no baseline: the previous statement alone",
			setup: func(h *history) (Query, []store.StatementRecord) {
				oct := h.add(octoberFile, "2020-Q4", store.KindStatement)
				jan := h.add(januaryFile, "2021-Q1", store.KindStatement)
				return Query{Plan: planName}, []store.StatementRecord{jan, oct}
			},
			current: "2021-01 position statement.xlsx", previous: "2020-10 position statement.xlsx", baseline: "none",
			quarter: "2021-Q1",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHistory(t)
			q, want := tc.setup(h)
			in, err := FromHistory(context.Background(), h.db, q)
			if err != nil {
				t.Fatal(err)
			}
			if file(in.Current) != tc.current || file(in.Previous) != tc.previous || file(in.Baseline) != tc.baseline {
				t.Errorf("picked current %s, previous %s, baseline %s; want %s, %s, %s",
					file(in.Current), file(in.Previous), file(in.Baseline), tc.current, tc.previous, tc.baseline)
			}
			if in.Quarter != tc.quarter || in.Plan != planName {
				t.Errorf("plan %q quarter %q, want %q %q", in.Plan, in.Quarter, planName, tc.quarter)
			}
			if in.FirstQuarter() != tc.firstQuarter {
				t.Errorf("first quarter: %v, want %v", in.FirstQuarter(), tc.firstQuarter)
			}
			wantWith := in.Previous
			if tc.firstQuarter {
				wantWith = in.Baseline
			}
			if in.ComparedWith() != wantWith || in.ComparedWith() == nil {
				t.Errorf("compared with %s, want %s", file(in.ComparedWith()), file(wantWith))
			}
			if got, want := refs2(in.Files), refs2(refs(want...)); got != want {
				t.Errorf("files for the run record:\n%s\nwant\n%s", got, want)
			}
		})
	}
}

func refs2(rs []store.FileRef) string {
	var b strings.Builder
	for _, r := range rs {
		b.WriteString(r.Name + " " + r.SHA256[:12] + "\n")
	}
	return b.String()
}

func TestFromHistoryMissing(t *testing.T) {
	ctx := context.Background()
	h := newHistory(t)
	if _, err := FromHistory(ctx, h.db, Query{Plan: planName}); !errors.Is(err, ErrNoStatement) || !errors.Is(err, store.ErrNotFound) {
		t.Errorf("an empty history: %v, want ErrNoStatement and store.ErrNotFound", err)
	}
	h.add(januaryFile, "2021-Q1", store.KindStatement)
	_, err := FromHistory(ctx, h.db, Query{Plan: planName})
	if !errors.Is(err, ErrNothingToCompare) || !errors.Is(err, store.ErrNotFound) || errors.Is(err, ErrNoStatement) {
		t.Errorf("a statement and nothing before it: %v, want ErrNothingToCompare", err)
	}
	if want := `history: no statement before 2021-Q1 for "Learning report" to compare with`; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("message %q, want it to start %q", err, want)
	}
	if _, err := FromHistory(ctx, h.db, Query{Plan: planName, Quarter: "2020-Q4"}); !errors.Is(err, ErrNoStatement) {
		t.Errorf("a quarter with no statement: %v, want ErrNoStatement", err)
	}
	// A stop is a stop, not missing history.
	stopped, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := FromHistory(stopped, h.db, Query{Plan: planName}); !errors.Is(err, pipeline.ErrStopped) {
		t.Errorf("stopped: %v, want ErrStopped", err)
	}
}

// A current statement read from a workbook already in the history is
// compared with the quarter before its own, never with itself.
func TestFromHistoryCurrentFile(t *testing.T) {
	ctx := context.Background()
	h := newHistory(t)
	h.add(baselineFile, "2020-Q3", store.KindBaseline)
	oct := h.add(octoberFile, "2020-Q4", store.KindStatement)
	h.add(januaryFile, "2021-Q1", store.KindStatement)
	b, err := os.ReadFile(januaryFile)
	if err != nil {
		t.Fatal(err)
	}
	q, err := QuarterOf(ctx, h.db, planName, b)
	if err != nil || q != "2021-Q1" {
		t.Fatalf("QuarterOf: %q, %v; want 2021-Q1", q, err)
	}
	cur, _ := workbook.ReadFile(januaryFile, workbook.DefaultOptions())
	in, err := FromHistory(ctx, h.db, Query{Plan: planName, Quarter: q, Current: cur})
	if err != nil {
		t.Fatal(err)
	}
	if in.Current != cur || file(in.Previous) != "2020-10 position statement.xlsx" || in.Files[0] != refs(oct)[0] {
		t.Errorf("picked %s against %s, files %v", file(in.Current), file(in.Previous), in.Files)
	}
	if q, err := QuarterOf(ctx, h.db, planName, []byte("not kept")); err != nil || q != "" {
		t.Errorf("QuarterOf a file not kept: %q, %v", q, err)
	}
}

// The portal's returns start from what the quarter is compared with.
func TestComparedWith(t *testing.T) {
	ctx := context.Background()
	h := newHistory(t)
	if _, _, err := ComparedWith(ctx, h.db, planName, "2020-Q4"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("nothing kept: %v, want not found", err)
	}
	base := h.add(baselineFile, "2020-Q3", store.KindBaseline)
	oct := h.add(octoberFile, "2020-Q4", store.KindStatement)
	for _, tc := range []struct {
		quarter string
		want    store.StatementRecord
	}{{"2020-Q4", base}, {"2021-Q1", oct}} {
		rec, st, err := ComparedWith(ctx, h.db, planName, tc.quarter)
		if err != nil || rec.ID != tc.want.ID || st == nil {
			t.Errorf("%s compared with %s (%v), want %s", tc.quarter, rec.FileName, err, tc.want.FileName)
		}
	}
}

func TestFromFiles(t *testing.T) {
	var (
		mu    sync.Mutex
		reads []string
	)
	read := func(role, path string) (*plan.Statement, error) {
		mu.Lock()
		reads = append(reads, role)
		mu.Unlock()
		return workbook.ReadFile(path, workbook.DefaultOptions())
	}
	var checked []string
	in, err := FromFiles(context.Background(), Files{Previous: baselineFile, Current: octoberFile, Baseline: baselineFile, Read: read,
		Checked: func(s *plan.Statement) { checked = append(checked, s.File) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(reads) != 2 || in.Baseline != in.Previous || in.FirstQuarter() {
		t.Errorf("a baseline that is the previous file: read %v, baseline %p previous %p", reads, in.Baseline, in.Previous)
	}
	if strings.Join(checked, "|") != "2020-10 position statement.xlsx|2020-08 draft action plan.xlsx" {
		t.Errorf("checked in the order %v, want current then previous", checked)
	}
	// The first quarter from files: no previous statement.
	in, err = FromFiles(context.Background(), Files{Current: octoberFile, Baseline: baselineFile, Read: read})
	if err != nil {
		t.Fatal(err)
	}
	if in.Previous != nil || !in.FirstQuarter() || in.ComparedWith() != in.Baseline {
		t.Errorf("first quarter from files: previous %s, compared with %s", file(in.Previous), file(in.ComparedWith()))
	}
	// A workbook that cannot be read fails the pick.
	if _, err := FromFiles(context.Background(), Files{Previous: "nowhere.xlsx", Current: octoberFile, Read: read}); err == nil {
		t.Error("a missing workbook was not an error")
	}
}

func settings() pipeline.Settings {
	day := plan.Day(2021, 1, 28)
	return pipeline.Settings{
		Compare: compare.DefaultOptions(day),
		Meta: report.Meta{Council: "Southampton City Council", Committee: "Children and Families Scrutiny Panel", MeetingDate: day,
			DecisionMaker: "Children and Families Scrutiny Panel", Subject: "Progress against the action plan", PlanName: "learning report action plan"},
	}
}

// clock is a fake clock for run records: each reading a minute on.
func clock() func() time.Time {
	now := t0
	return func() time.Time { now = now.Add(time.Minute); return now }
}

func runsOf(t *testing.T, db *store.DB, job string) []store.Run {
	t.Helper()
	all, err := db.Runs(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	var runs []store.Run
	for _, r := range all {
		if r.Job == job {
			runs = append(runs, r)
		}
	}
	return runs
}

// A first quarter's report says it compared with the plan as agreed, and
// its build is recorded once, with its inputs and outputs.
func TestWriteRecordsOnce(t *testing.T) {
	ctx := context.Background()
	h := newHistory(t)
	h.add(baselineFile, "2020-Q3", store.KindBaseline)
	h.add(octoberFile, "2020-Q4", store.KindStatement)
	in, err := FromHistory(ctx, h.db, Query{Plan: planName})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "out")
	job := Job{Name: "test-report", Record: h.db, Now: clock()}
	w, run, err := Write(ctx, job, in, settings(), pipeline.Target{Dir: dir, Name: "report", Digest: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !w.Comparison.ComparedWithBaseline() {
		t.Error("the first quarter's comparison does not say it is against the plan as agreed")
	}
	var text bytes.Buffer
	if err := document.WriteText(&text, w.Doc); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "with the plan as agreed (") || strings.Contains(text.String(), "with the previous position statement") {
		t.Errorf("the cover does not say the report compared with the plan as agreed:\n%.1500s", text.String())
	}
	runs := runsOf(t, h.db, job.Name)
	if len(runs) != 1 || runs[0].ID != run.ID {
		t.Fatalf("%d runs recorded (%+v), want the one Write returned", len(runs), runs)
	}
	r := runs[0]
	if r.Status != store.RunOK || r.Plan != planName || r.Quarter != "2020-Q4" || !r.FinishedAt.After(r.StartedAt) {
		t.Errorf("run: %+v", r)
	}
	if refs2(r.Inputs) != refs2(in.Files) {
		t.Errorf("run inputs %v, want %v", r.Inputs, in.Files)
	}
	if len(r.Outputs) != 4 {
		t.Fatalf("run outputs %v, want the four files", r.Outputs)
	}
	for _, o := range r.Outputs {
		b, err := os.ReadFile(o.Name)
		if err != nil || store.Digest(b) != o.SHA256 {
			t.Errorf("output %s: %v, or not the bytes recorded", o.Name, err)
		}
	}
	// The zero Job records nothing.
	if _, run, err := Write(ctx, Job{}, in, settings(), pipeline.Target{Dir: dir, Name: "report"}, nil); err != nil || run.ID != 0 {
		t.Errorf("unrecorded write: run %d, %v", run.ID, err)
	}
	if n := len(runsOf(t, h.db, job.Name)); n != 1 {
		t.Errorf("%d runs after an unrecorded write, want 1", n)
	}
}

// A build that fails while its files are being written (the DOCX writer
// fails on the council's Word template while the PDF and JSON are being
// written) leaves the previous report whole, and is recorded once as a
// failed run with its error and no outputs.
func TestWriteFailsMidWrite(t *testing.T) {
	ctx := context.Background()
	h := newHistory(t)
	h.add(baselineFile, "2020-Q3", store.KindBaseline)
	h.add(octoberFile, "2020-Q4", store.KindStatement)
	h.add(januaryFile, "2021-Q1", store.KindStatement)
	in, err := FromHistory(ctx, h.db, Query{Plan: planName})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "out")
	job := Job{Name: "test-report", Record: h.db, Now: clock()}
	if _, _, err := Write(ctx, job, in, settings(), pipeline.Target{Dir: dir, Name: "report", Digest: true}, nil); err != nil {
		t.Fatal(err)
	}
	before := map[string][]byte{}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		before[e.Name()], _ = os.ReadFile(filepath.Join(dir, e.Name()))
	}
	if len(before) != 4 {
		t.Fatalf("first build wrote %d files, want 4", len(before))
	}

	house := filepath.Join(t.TempDir(), "house.docx")
	if err := os.WriteFile(house, []byte("not a Word file"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := settings()
	s.HouseTemplate = house
	s.Meta.MeetingDate = plan.Day(2021, 2, 25) // other outputs, were they written
	_, run, err := Write(ctx, job, in, s, pipeline.Target{Dir: dir, Name: "report", Digest: true}, nil)
	if err == nil || !strings.Contains(err.Error(), "writing the DOCX") {
		t.Fatalf("error %v, want the DOCX writer's", err)
	}
	entries, _ = os.ReadDir(dir)
	if len(entries) != len(before) {
		t.Errorf("%d entries in the folder after the failure, want the previous %d", len(entries), len(before))
	}
	for name, b := range before {
		if now, err := os.ReadFile(filepath.Join(dir, name)); err != nil || !bytes.Equal(now, b) {
			t.Errorf("%s changed by the failed build (%v)", name, err)
		}
	}
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(dir), ".*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
	runs := runsOf(t, h.db, job.Name)
	if len(runs) != 2 {
		t.Fatalf("%d runs recorded, want 2 (one good, one failed)", len(runs))
	}
	r := runs[0] // newest first
	if r.ID != run.ID || r.Status != store.RunFailed || !strings.Contains(r.Error, "writing the DOCX") || len(r.Outputs) != 0 || r.FinishedAt.IsZero() {
		t.Errorf("failed run recorded as %+v", r)
	}
	if runs[1].Status != store.RunOK {
		t.Errorf("the good run is recorded as %s", runs[1].Status)
	}
}

// recorder is a Recorder whose calls are counted, and whose FinishRun can
// fail.
type recorder struct {
	*store.DB
	starts, finishes int
	finishErr        error
}

func (r *recorder) StartRun(ctx context.Context, s store.RunStart) (store.Run, error) {
	r.starts++
	return r.DB.StartRun(ctx, s)
}

func (r *recorder) FinishRun(ctx context.Context, id int64, res store.RunResult) (store.Run, error) {
	r.finishes++
	if r.finishErr != nil {
		return store.Run{}, r.finishErr
	}
	return r.DB.FinishRun(ctx, id, res)
}

func TestRecord(t *testing.T) {
	h := newHistory(t)
	rec := &recorder{DB: h.db}
	start := store.RunStart{Job: "quarterly", Plan: planName, Quarter: "2021-Q1"}
	work := func(res Result, err error) func(context.Context) (Result, error) {
		return func(context.Context) (Result, error) { return res, err }
	}
	out := []store.FileRef{{Name: "report.pdf", SHA256: "ab"}}
	for _, tc := range []struct {
		name    string
		res     Result
		err     error
		status  store.RunStatus
		outputs int
	}{
		{"ok", Result{Outputs: out}, nil, store.RunOK, 1},
		{"with warnings", Result{Outputs: out, Warnings: []string{"D33: cannot read date"}}, nil, store.RunWarnings, 1},
		{"failed: no outputs", Result{Outputs: out}, errors.New("disk full"), store.RunFailed, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec.starts, rec.finishes = 0, 0
			run, _, err := Record(context.Background(), rec, start, clock(), work(tc.res, tc.err))
			if !errors.Is(err, tc.err) {
				t.Errorf("error %v, want %v", err, tc.err)
			}
			if rec.starts != 1 || rec.finishes != 1 {
				t.Errorf("%d starts and %d finishes recorded, want one of each", rec.starts, rec.finishes)
			}
			if run.Status != tc.status || len(run.Outputs) != tc.outputs || (tc.err != nil && run.Error != tc.err.Error()) {
				t.Errorf("run recorded as %+v", run)
			}
		})
	}
	// A stop (SIGTERM) during the work still records the end.
	ctx, cancel := context.WithCancel(context.Background())
	run, _, err := Record(ctx, rec, start, clock(), func(context.Context) (Result, error) {
		cancel()
		return Result{}, pipeline.ErrStopped
	})
	if !errors.Is(err, pipeline.ErrStopped) || run.Status != store.RunFailed || run.FinishedAt.IsZero() {
		t.Errorf("cancelled: %+v, %v", run, err)
	}
	// The end cannot be recorded: said, when the work itself succeeded.
	rec.finishErr = errors.New("database busy")
	if _, _, err := Record(context.Background(), rec, start, clock(), work(Result{}, nil)); err == nil || !strings.Contains(err.Error(), "quarterly: recording the run's end") {
		t.Errorf("finish failed: %v", err)
	}
}
