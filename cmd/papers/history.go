package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"papers/internal/plan"
	"papers/internal/store"
	"papers/internal/workbook"
)

type historyOptions struct {
	cfg      *config
	Database string
	Plan     string
	Stdout   io.Writer
}

func newHistoryCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "history",
		Short: "List the statements kept in the history, or add one",
		Long: `History lists every statement the history database keeps — the plan as
agreed (baseline) and each quarter's accepted position statement, with every
version, who submitted it, when and its SHA-256. Accepted statements never
change: a correction is a new version.

"papers history add" puts a workbook into the history from the command line
(the portal does the same when a clerk accepts a quarter). "papers report
--history" then takes the previous statement and the baseline from here.`,
		Example: `  papers history
  papers history add "data/2020-08 draft action plan.xlsx" --quarter 2020-Q3 --kind baseline --by "Democratic Services"
  papers history add "data/2020-10 position statement.xlsx" --quarter 2020-Q4 --by "Democratic Services"`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			o, err := historyOptionsFrom(cmd)
			if err != nil {
				return err
			}
			return runHistory(cmd.Context(), o)
		},
	}
	cmd.PersistentFlags().String("db", "", "the history database (default: portal.database in config, else data/papers.db)")
	cmd.PersistentFlags().String("plan", "", "the plan's name (default: report.plan_name in config)")
	add := &cobra.Command{
		Use:   "add FILE",
		Short: "Add an accepted statement or the baseline plan to the history",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o, err := historyOptionsFrom(cmd)
			if err != nil {
				return err
			}
			quarter, _ := cmd.Flags().GetString("quarter")
			kind, _ := cmd.Flags().GetString("kind")
			by, _ := cmd.Flags().GetString("by")
			return runHistoryAdd(cmd.Context(), o, args[0], quarter, store.Kind(kind), by, time.Now())
		},
	}
	add.Flags().String("quarter", "", "the quarter it is for, YYYY-Qn (required)")
	add.Flags().String("kind", "statement", "statement or baseline")
	add.Flags().String("by", "", "who submits it (required)")
	add.MarkFlagRequired("quarter")
	add.MarkFlagRequired("by")
	cmd.AddCommand(add)
	return cmd
}

func historyOptionsFrom(cmd *cobra.Command) (historyOptions, error) {
	cfg, err := loadConfig(cmd)
	if err != nil {
		return historyOptions{}, err
	}
	o := historyOptions{cfg: cfg, Stdout: cmd.OutOrStdout(), Plan: or(cfg.Report.PlanName, "action plan")}
	if o.Database, err = databasePath(cfg, cmd); err != nil {
		return o, err
	}
	if p, _ := cmd.Flags().GetString("plan"); p != "" {
		o.Plan = p
	}
	return o, nil
}

// databasePath is --db, else portal.database in config, else data/papers.db.
func databasePath(cfg *config, cmd *cobra.Command) (string, error) {
	if db, _ := cmd.Flags().GetString("db"); db != "" {
		return db, nil
	}
	pc, err := loadPortalConfig(cfg)
	if err != nil {
		return "", err
	}
	return cfg.resolveDatabase(pc.Database), nil
}

func runHistory(ctx context.Context, o historyOptions) error {
	db, err := openExisting(ctx, o.Database)
	if err != nil {
		return err
	}
	defer db.Close()
	plans, err := db.Plans(ctx)
	if err != nil {
		return err
	}
	if len(plans) == 0 {
		fmt.Fprintf(o.Stdout, "%s holds no statements yet: add one with papers history add, or accept a quarter in the portal.\n", store.Describe(o.Database))
		return nil
	}
	tw := tabwriter.NewWriter(o.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PLAN\tQUARTER\tKIND\tVERSION\tFILE\tACTIONS\tSUBMITTED BY\tSUBMITTED AT\tSHA-256")
	for _, p := range plans {
		recs, err := db.History(ctx, p.Name)
		if err != nil {
			return err
		}
		for _, r := range recs {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%d\t%s\t%s\t%s\n", r.Plan, r.Quarter, r.Kind, r.Version, r.FileName,
				r.Actions, r.SubmittedBy, r.SubmittedAt.Format("2006-01-02 15:04"), r.SHA256[:12])
		}
	}
	return tw.Flush()
}

func runHistoryAdd(ctx context.Context, o historyOptions, path, quarter string, kind store.Kind, by string, now time.Time) error {
	if kind != store.KindStatement && kind != store.KindBaseline {
		return fmt.Errorf("--kind %q: use statement or baseline", kind)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("cannot read %s: %v", path, errors.Unwrap(err))
	}
	s, err := workbook.ReadFile(path, o.cfg.ingestOptions())
	if err != nil {
		return err
	}
	if n := errorCount(s); n > 0 {
		return fmt.Errorf("%s: %d %s to correct first (papers check %q lists them)", path, n, pick(n, "problem", "problems"), path)
	}
	db, err := store.Open(ctx, o.Database)
	if err != nil {
		return err
	}
	defer db.Close()
	rec, err := db.AddStatement(ctx, store.StatementInput{Plan: o.Plan, Quarter: quarter, Kind: kind, FileName: filepath.Base(path),
		Bytes: b, SubmittedBy: by, SubmittedAt: now.UTC(), Statement: s})
	switch {
	case errors.Is(err, store.ErrDuplicate):
		fmt.Fprintf(o.Stdout, "already in the history: %s %s version %d has the same contents\n", rec.Quarter, rec.Kind, rec.Version)
		return nil
	case err != nil:
		return err
	}
	if _, err := db.Audit(ctx, store.Event{At: now.UTC(), Actor: by, Action: "accept " + string(kind) + " (command line)", SHA256: rec.SHA256,
		Detail: fmt.Sprintf("%s %s version %d: %s", rec.Plan, rec.Quarter, rec.Version, rec.FileName)}); err != nil {
		return err
	}
	fmt.Fprintf(o.Stdout, "added %s %s %s version %d (%d actions, sha-256 %s)\n", rec.Plan, rec.Quarter, rec.Kind, rec.Version, rec.Actions, rec.SHA256[:12])
	return nil
}

func errorCount(s *plan.Statement) int {
	n := 0
	for _, p := range s.Problems {
		if p.Severity == plan.SeverityError {
			n++
		}
	}
	return n
}

// openExisting opens the history database, which must already exist.
func openExisting(ctx context.Context, path string) (*store.DB, error) {
	if !store.IsPostgres(path) && !fileExists(path) {
		return nil, fmt.Errorf("no history database at %s: add a statement with papers history add, or give --db", path)
	}
	return store.Open(ctx, path)
}
