package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"papers/internal/pipeline"
	"papers/internal/plan"
	"papers/internal/quarter"
	"papers/internal/workbook"
)

type reportOptions struct {
	cfg      *config
	Previous string // workbook paths
	Current  string
	Baseline string
	AsOf     time.Time
	Meeting  time.Time
	Out      string // output folder
	Name     string // output file name without extension
	// History, when set, is the history database: the previous statement
	// and the baseline come from it, and the current one too unless Current
	// names a file.
	History  string
	PlanName string

	Stdout, Stderr io.Writer
	Progress       bool // show progress (stderr is a terminal)
}

func newReportCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Write the panel's report as PDF, DOCX, HTML and JSON",
		Long: `Write the scrutiny panel's report on the action plan.

With no flags, report uses config.yaml: the meeting, the report's wording and
the three workbooks it names (the baseline plan as agreed, the previous
position statement and the current one). It writes

  output/<meeting date>/<name>.pdf    the cover report and its appendices
  output/<meeting date>/<name>.docx   the same, for Word
  output/<meeting date>/<name>.html   the same, as an accessible web page
  output/<meeting date>/<name>.json   the comparison (as "papers compare --format json")

All four are written together or not at all. Problems found in a workbook
are listed on stderr with their cell; what could not be read is kept as text.`,
		Example: `  papers report
  papers report --current "data/2021-01 position statement.xlsx" --previous "data/2020-10 position statement.xlsx"
  papers report --as-of 2020-11-20 --out /tmp/papers`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			cfg.sayDefaults(cmd.ErrOrStderr())
			opts := reportOptions{
				cfg:      cfg,
				Previous: cfg.resolve(cfg.Inputs.Previous),
				Current:  cfg.resolve(cfg.Inputs.Current),
				Baseline: cfg.resolve(cfg.Inputs.Baseline),
				Name:     or(cfg.Report.Name, "report"),
				Stdout:   cmd.OutOrStdout(),
				Stderr:   cmd.ErrOrStderr(),
				Progress: isTerminal(cmd.ErrOrStderr()),
			}
			flags := cmd.Flags()
			if on, _ := flags.GetBool("progress"); on {
				opts.Progress = true
			}
			for flag, dst := range map[string]*string{"previous": &opts.Previous, "current": &opts.Current, "baseline": &opts.Baseline, "out": &opts.Out} {
				if flags.Changed(flag) {
					*dst, _ = flags.GetString(flag)
				}
			}
			opts.PlanName = or(cfg.Report.PlanName, "action plan")
			if h, _ := flags.GetBool("history"); h {
				if opts.History, err = databasePath(cfg, cmd); err != nil {
					return err
				}
				if !flags.Changed("current") {
					opts.Current = ""
				}
			}
			meetingDate := cfg.Meeting.Date
			if flags.Changed("meeting") {
				meetingDate, _ = flags.GetString("meeting")
			}
			if opts.Meeting, err = parseDay("the meeting date (meeting.date in "+cfg.name()+", or --meeting)", meetingDate); err != nil {
				return err
			}
			asOf := or(cfg.Report.AsOf, cfg.Meeting.Date)
			if flags.Changed("meeting") {
				asOf = meetingDate
			}
			if flags.Changed("as-of") {
				asOf, _ = flags.GetString("as-of")
			}
			if opts.AsOf, err = parseDay("--as-of", asOf); err != nil {
				return err
			}
			if opts.Out == "" {
				opts.Out = filepath.Join(cfg.resolve("output"), opts.Meeting.Format("2006-01-02"))
			}
			return runReport(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.String("previous", "", "the previous position statement (default: inputs.previous in config); none in a plan's first quarter, which is compared with --baseline")
	f.String("current", "", "the current position statement (default: inputs.current in config)")
	f.String("baseline", "", "the plan as agreed, for slippage against it (default: inputs.baseline in config)")
	f.String("meeting", "", "the meeting's date, YYYY-MM-DD (default: meeting.date in config); also the default --as-of and output folder")
	f.String("as-of", "", "the date statuses are worked out at, YYYY-MM-DD (default: report.as_of, else the meeting date)")
	f.String("out", "", "the output folder (default: output/<meeting date>)")
	f.Bool("history", false, "take the previous statement and the baseline (and the current one, unless --current is given) from the history database")
	f.String("db", "", "the history database for --history (default: portal.database in config)")
	f.Bool("progress", false, "show each stage on stderr even when it is not a terminal (as it is shown when it is), for a log")
	return cmd
}

// runReport reads, compares, builds and writes the report, each file
// streamed to disk as it is rendered: the quarter use case, unrecorded.
func runReport(ctx context.Context, o reportOptions) error {
	in, settings, err := o.inputs(ctx)
	if err != nil {
		return err
	}
	w, _, err := quarter.Write(ctx, quarter.Job{}, in, settings, pipeline.Target{Dir: o.Out, Name: o.Name}, o.stage)
	if err != nil {
		return err
	}
	for _, f := range w.Files {
		fmt.Fprintln(o.Stdout, f.Path)
	}
	return nil
}

func (o reportOptions) progress(format string, a ...any) {
	if o.Progress {
		fmt.Fprintf(o.Stderr, "… "+format+"\n", a...)
	}
}

func (o reportOptions) stage(stage string) { o.progress("%s", stage) }

// buildReport reads the statements and builds the report in memory.
func buildReport(ctx context.Context, o reportOptions) (*pipeline.Outputs, error) {
	in, settings, err := o.inputs(ctx)
	if err != nil {
		return nil, err
	}
	return pipeline.Build(ctx, in.Inputs, settings, o.stage)
}

// buildReportPDF reads the statements and builds the report's PDF alone,
// in memory: all an agenda pack needs.
func buildReportPDF(ctx context.Context, o reportOptions) (*pipeline.Outputs, error) {
	in, settings, err := o.inputs(ctx)
	if err != nil {
		return nil, err
	}
	return pipeline.BuildPDF(ctx, in.Inputs, settings, o.stage)
}

// inputs picks the statements and works out the pipeline's settings.
func (o reportOptions) inputs(ctx context.Context) (quarter.Picked, pipeline.Settings, error) {
	in, err := o.statements(ctx)
	if err != nil {
		return quarter.Picked{}, pipeline.Settings{}, err
	}
	settings, err := o.cfg.pipelineSettings(o.AsOf, o.Meeting)
	return in, settings, err
}

// statements reads the current, previous and baseline statements from their
// workbooks, or from the history.
func (o reportOptions) statements(ctx context.Context) (quarter.Picked, error) {
	ingest := o.cfg.ingestOptions()
	read := func(role, path string) (*plan.Statement, error) {
		o.progress("reading the %s: %s", role, path)
		s, err := workbook.ReadFile(path, ingest)
		if err != nil {
			return nil, err
		}
		return s, ctx.Err()
	}
	if o.History != "" {
		q := quarter.Query{Plan: o.PlanName}
		if o.Current != "" {
			cur, err := read("current statement", o.Current)
			if err != nil {
				return quarter.Picked{}, err
			}
			warnProblems(o.Stderr, cur)
			q.Current = cur
		}
		db, err := openExisting(ctx, o.History)
		if err != nil {
			return quarter.Picked{}, err
		}
		defer db.Close()
		if q.Current != nil {
			b, err := os.ReadFile(o.Current)
			if err != nil {
				return quarter.Picked{}, fmt.Errorf("cannot read %s: %v", o.Current, errors.Unwrap(err))
			}
			if q.Quarter, err = quarter.QuarterOf(ctx, db, o.PlanName, b); err != nil {
				return quarter.Picked{}, err
			}
		}
		return quarter.FromHistory(ctx, db, q)
	}
	// In a plan's first quarter the previous statement may be left out:
	// the current one is then compared with the baseline.
	if o.Current == "" || (o.Previous == "" && o.Baseline == "") {
		return quarter.Picked{}, fmt.Errorf("no workbooks to compare: set inputs.current and inputs.previous in %s or give --current and --previous (or --history)", o.cfg.name())
	}
	return quarter.FromFiles(ctx, quarter.Files{Previous: o.Previous, Current: o.Current, Baseline: o.Baseline, Read: read,
		Checked: func(s *plan.Statement) { warnProblems(o.Stderr, s) }})
}

// warnProblems lists a statement's problems on stderr, one line each.
func warnProblems(w io.Writer, s *plan.Statement) {
	if s == nil {
		return
	}
	for _, p := range s.Problems {
		fmt.Fprintf(w, "papers: %s: %s: %s\n", p.Severity, s.WhereIn(p.Sheet, p.Cell), p.Message)
	}
}

// isTerminal reports whether w is a terminal (not a pipe, file or scheduler log).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
