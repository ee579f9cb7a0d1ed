package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"papers/internal/meeting"
	"papers/internal/pack"
	"papers/internal/pipeline"
	"papers/internal/quarter"
	"papers/internal/schedule"
	"papers/internal/store"
)

type scheduledOptions struct {
	cfg      *config
	Database string
	Lock     string
	Out      string // the meeting's output folder
	Name     string
	PlanName string
	AsOf     time.Time
	Meeting  time.Time
	Now      func() time.Time // run records only
	Stdout   io.Writer
	Stderr   io.Writer
}

func newRunScheduledCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "run-scheduled",
		Short: "Do the quarterly run once: the report from the latest accepted statement",
		Long: `Run-scheduled does one quarterly run, for hosts that prefer cron or a systemd
timer to "papers serve" (which runs it on schedule.cron from config.yaml):

  - it takes the latest accepted statement in the history, the one before it
    and the baseline plan;
  - if they are the inputs of the last successful run, it does nothing and
    says so;
  - otherwise it builds the report into a temporary folder beside
    output/scheduled/<meeting date> and swaps it into place only when all of
    it is ready, so a failed run leaves the previous outputs as they were;
  - it records the run (start, end, input hashes, outputs, warnings or the
    error) in the history.

Two runs never overlap: a lock file (schedule.lock) is held for the run and
released by the system if the process dies. Exit status: 0 built or nothing
new, 1 failed, 4 another run holds the lock, 143 stopped by SIGTERM (130 by
Ctrl-C; the run is recorded as failed and the previous outputs stay).`,
		Example: `  papers run-scheduled
  # crontab: 06:00 on the first days of each quarter
  0 6 1-3 1,4,7,10 *  cd /srv/papers && papers run-scheduled`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			cfg.sayDefaults(cmd.ErrOrStderr())
			db, err := databasePath(cfg, cmd)
			if err != nil {
				return err
			}
			o, err := scheduledOptionsFrom(cfg, db, cmd.OutOrStdout(), cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			return runScheduled(cmd.Context(), o)
		},
	}
	cmd.Flags().String("db", "", "the history database (default: portal.database in config)")
	return cmd
}

func scheduledOptionsFrom(cfg *config, database string, stdout, stderr io.Writer) (scheduledOptions, error) {
	o := scheduledOptions{cfg: cfg, Database: database, Name: or(cfg.Report.Name, "report"), PlanName: or(cfg.Report.PlanName, "action plan"),
		Now: time.Now, Stdout: stdout, Stderr: stderr}
	var err error
	o.Lock = cfg.resolve(or(cfg.Schedule.Lock, "data/papers.lock"))
	if o.Meeting, err = parseDay("config "+cfg.name()+": meeting.date", cfg.Meeting.Date); err != nil {
		return o, err
	}
	if o.AsOf, err = parseDay("config "+cfg.name()+": report.as_of", or(cfg.Report.AsOf, cfg.Meeting.Date)); err != nil {
		return o, err
	}
	// The meeting file, when config names one, says which meeting the run is for.
	if pc, err := readPackConfig(cfg); err != nil {
		return o, err
	} else if pc.Meeting.File != "" {
		m, err := meeting.Load(cfg.resolve(pc.Meeting.File))
		if err != nil {
			return o, err
		}
		if o.Meeting != m.Date && cfg.Report.AsOf == "" {
			o.AsOf = m.Date
		}
		o.Meeting = m.Date
	}
	// The scheduler owns its folder: a run replaces it whole, so nothing a
	// clerk or the portal wrote elsewhere under output/ is touched.
	o.Out = filepath.Join(cfg.resolve("output"), "scheduled", o.Meeting.Format("2006-01-02"))
	return o, nil
}

// scheduledRunner is the quarterly job over the history in db: the quarter
// use case on the latest accepted statement, built into the runner's
// folder with the meeting's packs, and recorded by the runner.
func scheduledRunner(o scheduledOptions, db *store.DB) *schedule.Runner {
	// The statements the run's inputs name are the ones it builds from.
	var in quarter.Picked
	return &schedule.Runner{
		Job: "quarterly", Lock: o.Lock, Out: o.Out, Record: db, Now: o.Now,
		Inputs: func(ctx context.Context) (schedule.Inputs, error) {
			var err error
			if in, err = quarter.FromHistory(ctx, db, quarter.Query{Plan: o.PlanName}); err != nil {
				return schedule.Inputs{}, err
			}
			return schedule.Inputs{Plan: in.Plan, Quarter: in.Quarter, Files: in.Files}, nil
		},
		Build: func(ctx context.Context, _ schedule.Inputs, dir string) (schedule.Result, error) {
			settings, err := o.cfg.pipelineSettings(o.AsOf, o.Meeting)
			if err != nil {
				return schedule.Result{}, err
			}
			// Not recorded here: the runner records the whole run, packs
			// and all, the same way (quarter.Record).
			w, _, err := quarter.Write(ctx, quarter.Job{}, in, settings, pipeline.Target{Dir: dir, Name: o.Name, Digest: true}, nil)
			if err != nil {
				return schedule.Result{}, err
			}
			var res schedule.Result
			for _, f := range w.Files {
				// dir is swapped into place: the record names each file in it.
				res.Outputs = append(res.Outputs, store.FileRef{Name: filepath.Base(f.Path), SHA256: f.SHA256})
			}
			// The packs are made from the report as written.
			reportPDF, err := os.ReadFile(w.Files[0].Path)
			if err != nil {
				return schedule.Result{}, fmt.Errorf("cannot read the report just written: %w", err)
			}
			if err := o.buildPacks(ctx, reportPDF, dir, &res); err != nil {
				return schedule.Result{}, err
			}
			for _, p := range in.Current.Problems {
				res.Warnings = append(res.Warnings, fmt.Sprintf("%s: %s", in.Current.WhereIn(p.Sheet, p.Cell), p.Message))
			}
			return res, nil
		},
	}
}

func runScheduled(ctx context.Context, o scheduledOptions) error {
	db, err := openExisting(ctx, o.Database)
	if err != nil {
		return err
	}
	defer db.Close()
	outcome, err := scheduledRunner(o, db).RunOnce(ctx)
	switch {
	case errors.Is(err, schedule.ErrLocked):
		return &exitError{code: exitLocked, err: fmt.Errorf("quarterly run not started: %w", err)}
	case err != nil:
		return fmt.Errorf("quarterly run failed; the previous outputs in %s are unchanged: %w", o.Out, err)
	case outcome == schedule.NothingNew:
		fmt.Fprintf(o.Stdout, "papers: nothing new since the last run: the outputs in %s are up to date\n", o.Out)
	default:
		fmt.Fprintf(o.Stdout, "papers: quarterly run done: %s\n", o.Out)
	}
	return nil
}

// cronSpec is schedule.cron from config: the default quarterly spec when
// unset, nil when set to "off".
func cronSpec(cfg *config) (*schedule.Spec, error) {
	expr := strings.TrimSpace(cfg.Schedule.Cron)
	switch expr {
	case "off", "none":
		return nil, nil
	case "":
		expr = schedule.DefaultSpec
	}
	spec, err := schedule.Parse(expr)
	if err != nil {
		return nil, fmt.Errorf("config %s: schedule.cron: %v", cfg.name(), err)
	}
	return spec, nil
}

// startSchedule runs the quarterly job on spec in the background until ctx
// ends, logging each run: the scheduler inside "papers serve".
// The returned channel closes when the scheduler has stopped (after ctx
// ends and any run in progress has been recorded).
func startSchedule(ctx context.Context, spec *schedule.Spec, o scheduledOptions, db *store.DB, log *slog.Logger) <-chan struct{} {
	clock := meeting.NewClock()
	log.Info("quarterly run scheduled", "cron", spec.String(), "next", spec.Next(ukNow(), clock.WorkingDay).Format(time.RFC3339))
	// The last run's start, so a run missed while the server was down is made up.
	var last time.Time
	if runs, err := db.Runs(ctx, 50); err == nil {
		for _, r := range runs {
			if r.Job == "quarterly" {
				last = r.StartedAt
				break
			}
		}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		schedule.Loop(ctx, spec, clock.WorkingDay, ukNow, time.After, last, func(ctx context.Context, due time.Time) {
			outcome, err := scheduledRunner(o, db).RunOnce(ctx)
			switch {
			case err != nil:
				log.Error("quarterly run failed; previous outputs unchanged", "due", due.Format(time.RFC3339), "err", err)
			case outcome == schedule.NothingNew:
				log.Info("quarterly run: nothing new", "due", due.Format(time.RFC3339))
			default:
				log.Info("quarterly run done", "due", due.Format(time.RFC3339), "out", o.Out)
			}
			log.Info("next quarterly run", "at", spec.Next(ukNow(), clock.WorkingDay).Format(time.RFC3339))
		})
	}()
	return done
}

// buildPacks builds the agenda packs for the meeting file in config
// (meeting.file), if there is one, into dir. Packs published after the
// statutory deadline are built with the warning on their front sheets and
// the run records it as a warning.
func (o scheduledOptions) buildPacks(ctx context.Context, reportPDF []byte, dir string, res *schedule.Result) error {
	pc, err := readPackConfig(o.cfg)
	if err != nil || pc.Meeting.File == "" {
		return err
	}
	m, err := meeting.Load(o.cfg.resolve(pc.Meeting.File))
	if err != nil {
		return err
	}
	var closures []time.Time
	for i, s := range pc.Meeting.Closures {
		d, err := parseDay(fmt.Sprintf("config %s: meeting.closures[%d]", o.cfg.name(), i), s)
		if err != nil {
			return err
		}
		closures = append(closures, d)
	}
	now := o.Now()
	published := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	packs, err := pack.Build(ctx, m, pack.Options{Reports: map[string][]byte{o.Name: reportPDF}, Published: published, Clock: meeting.NewClock(closures...)})
	if err != nil {
		return err
	}
	paths, err := packs.Save(ctx, dir)
	if err != nil {
		return err
	}
	for i, p := range paths {
		res.Outputs = append(res.Outputs, store.FileRef{Name: filepath.Base(p), SHA256: store.Digest([]*pack.Pack{packs.Public, packs.Members}[i].PDF)})
	}
	if t := packs.Timing; t.Late {
		res.Warnings = append(res.Warnings, fmt.Sprintf("%s: built %s, %d clear working days before the meeting on %s; the last day for five was %s",
			pack.LateWarning, meeting.LongDate(t.Published), t.Clear, meeting.LongDate(m.Date), meeting.LongDate(t.PublishBy)))
	}
	return nil
}

// ukNow is the time in the UK: the schedule's times are council office
// hours (06:00 means 06:00 in summer too), whatever zone the host is in.
func ukNow() time.Time {
	if london, err := time.LoadLocation("Europe/London"); err == nil {
		return time.Now().In(london)
	}
	return time.Now()
}
