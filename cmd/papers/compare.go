package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"papers/internal/compare"
	"papers/internal/plan"
	"papers/internal/workbook"
)

type compareOptions struct {
	cfg      *config
	Previous string
	Current  string
	Baseline string
	AsOf     time.Time
	Format   string
	Stdout   io.Writer
	Stderr   io.Writer
}

func newCompareCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "compare PREVIOUS.xlsx CURRENT.xlsx",
		Short: "Show what changed between two position statements",
		Long: `Compare matches each action in CURRENT with one in PREVIOUS — by Ref when
both sheets have one, otherwise by its text, even when rows were reordered or
reworded — and reports what is new, removed, completed this period, overdue,
due soon, slipped (by how many days) and whose update was copied forward.
With --baseline it also measures slippage against the plan as agreed.

Statuses are worked out as at --as-of (default: report.as_of in config, else
the meeting date). Matches below the threshold are never merged: they are
shown as removed and new, with a "possible match" for the clerk to judge.

--format json prints the comparison for other programs: {as_of, previous,
current, baseline, summary, actions}; these field names are kept stable.`,
		Example: `  papers compare "data/2020-08 draft action plan.xlsx" "data/2020-10 position statement.xlsx" --as-of 2020-11-26
  papers compare old.xlsx new.xlsx --baseline plan.xlsx --format json`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			o := compareOptions{cfg: cfg, Previous: args[0], Current: args[1], Stdout: cmd.OutOrStdout(), Stderr: cmd.ErrOrStderr()}
			o.Baseline, _ = cmd.Flags().GetString("baseline")
			o.Format, _ = cmd.Flags().GetString("format")
			asOf, _ := cmd.Flags().GetString("as-of")
			if asOf == "" {
				asOf = or(cfg.Report.AsOf, cfg.Meeting.Date)
			}
			if asOf == "" {
				return fmt.Errorf("give --as-of YYYY-MM-DD: statuses are worked out as at a date, never today's clock")
			}
			if o.AsOf, err = parseDay("--as-of", asOf); err != nil {
				return err
			}
			return runCompare(cmd.Context(), o)
		},
	}
	f := cmd.Flags()
	f.String("baseline", "", "the plan as agreed, for slippage against it")
	f.String("as-of", "", "the date statuses are worked out at, YYYY-MM-DD")
	f.String("format", "text", "output format: text or json")
	return cmd
}

func runCompare(ctx context.Context, o compareOptions) error {
	if o.Format != "text" && o.Format != "json" {
		return fmt.Errorf("--format %q: use text or json", o.Format)
	}
	c, err := compareFiles(ctx, o.cfg, o.Previous, o.Current, o.Baseline, o.AsOf, o.Stderr)
	if err != nil {
		return err
	}
	if o.Format == "json" {
		return compare.WriteJSON(o.Stdout, c)
	}
	return compare.WriteText(o.Stdout, c)
}

// compareFiles reads the workbooks (baseline may be "") and compares them as
// at asOf, listing each workbook's problems on stderr.
func compareFiles(ctx context.Context, cfg *config, previous, current, baseline string, asOf time.Time, stderr io.Writer) (*plan.Comparison, error) {
	opt := cfg.ingestOptions()
	read := func(path string) (*plan.Statement, error) {
		if path == "" {
			return nil, nil
		}
		s, err := workbook.ReadFile(path, opt)
		if err != nil {
			return nil, err
		}
		warnProblems(stderr, s)
		return s, ctx.Err()
	}
	prev, err := read(previous)
	if err != nil {
		return nil, err
	}
	cur, err := read(current)
	if err != nil {
		return nil, err
	}
	base, err := read(baseline)
	if err != nil {
		return nil, err
	}
	copt, err := cfg.compareOptions(asOf)
	if err != nil {
		return nil, err
	}
	return compare.Compare(plan.Inputs{Previous: prev, Current: cur, Baseline: base}, copt)
}
