package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"papers/internal/export"
)

func newExportCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write results in formats other systems read",
		Long: `Export writes papers' results in standard formats for other systems.

  papers export tdiff PREVIOUS.xlsx CURRENT.xlsx
      the comparison as a tabular diff (the daff / Frictionless Tabular
      Diff Format): a CSV that daff, diff viewers and spreadsheets read`,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(newExportTDiffCmd())
	return cmd
}

type exportTDiffOptions struct {
	cfg      *config
	Previous string
	Current  string
	AsOf     time.Time
	Stdout   io.Writer
	Stderr   io.Writer
}

func newExportTDiffCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "tdiff PREVIOUS.xlsx CURRENT.xlsx",
		Short: "Print what changed between two statements as a tabular diff (CSV)",
		Long: `tdiff compares two position statements as "papers compare" does and prints
the result as a tabular diff: a CSV whose first column tags each row.

  @@        the header: Ref, Recommendation, Action, Lead owner(s), Target,
            Status, Update
  +++       an action new in CURRENT
  ---       an action removed since PREVIOUS
  ->        an action that changed; each changed cell reads "old->new" (a
            row whose text contains "->" uses a longer arrow, "-->", in its
            tag and its cells)
  (empty)   an action that did not change

Target is the target date as YYYY-MM-DD, or the officer's words when no date
could be read. Status is worked out as at --as-of (default: report.as_of in
config, else the meeting date) and is never shown as a change.`,
		Example: `  papers export tdiff "data/2020-08 draft action plan.xlsx" "data/2020-10 position statement.xlsx" --as-of 2020-11-26 > changes.csv`,
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			o := exportTDiffOptions{cfg: cfg, Previous: args[0], Current: args[1], Stdout: cmd.OutOrStdout(), Stderr: cmd.ErrOrStderr()}
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
			return runExportTDiff(cmd.Context(), o)
		},
	}
	cmd.Flags().String("as-of", "", "the date statuses are worked out at, YYYY-MM-DD")
	return cmd
}

// runExportTDiff reads and compares the two statements and prints the
// comparison as a tabular diff.
func runExportTDiff(ctx context.Context, o exportTDiffOptions) error {
	c, err := compareFiles(ctx, o.cfg, o.Previous, o.Current, "", o.AsOf, o.Stderr)
	if err != nil {
		return err
	}
	return export.WriteTDiff(o.Stdout, c)
}
