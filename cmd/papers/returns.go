package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"papers/internal/pipeline"
	"papers/internal/returns"
	"papers/internal/workbook"
)

type returnsOptions struct {
	cfg       *config
	Statement string          // the latest position statement
	Quarter   returns.Quarter // the quarter the returns are for
	Deadline  time.Time       // when they are due back
	Out       string          // output folder
	Password  string          // sheet protection; "" for workbook.DefaultPassword
	Stdout    io.Writer
	Stderr    io.Writer
}

func newReturnsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "returns",
		Short: "Write each lead owner's return workbook for the next quarter",
		Long: `Returns writes, for the next quarter, one workbook for each lead owner (a joint
action goes to each of its owners) and one combined workbook with every
action, pre-filled from the latest position statement (--statement, default
inputs.current in config):

  <out>/<quarter> return - <lead owner>.xlsx
  <out>/<quarter> return - all lead owners.xlsx

Each lists the owner's actions with their stable Ref, recommendation, action,
lead owner(s), current target and previous update, all locked; the officer
fills in Update, Status (a drop-down), Date completed, Revised target date and
Reason for change. The sheets are protected against accidental changes with
the password returns.password in config (default "papers"). An Instructions
sheet names the owner, the quarter and the deadline.

Actions already complete are left out. Merge the returns that come back with
papers merge, giving it the same statement.

The quarter defaults to the one after the statement's (from a file name
starting YYYY-MM, else the meeting date in config); the deadline to the 15th
of the quarter's first month. The same inputs always give the same bytes.`,
		Example: `  papers returns
  papers returns --statement "data/2020-10 position statement.xlsx" --quarter 2021-Q1 --deadline 2021-01-15 --out /tmp/returns`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			o := returnsOptions{cfg: cfg, Statement: cfg.resolve(cfg.Inputs.Current), Stdout: cmd.OutOrStdout(), Stderr: cmd.ErrOrStderr()}
			flags := cmd.Flags()
			if flags.Changed("statement") {
				o.Statement, _ = flags.GetString("statement")
			}
			if o.Statement == "" {
				return fmt.Errorf("give --statement FILE: the latest position statement, which the returns are made from")
			}
			if o.Password, err = returnsPassword(cfg); err != nil {
				return err
			}
			quarter, _ := flags.GetString("quarter")
			if o.Quarter, err = nextQuarter(cfg, quarter, o.Statement); err != nil {
				return err
			}
			o.Deadline = o.Quarter.Start().AddDate(0, 0, 14)
			if d, _ := flags.GetString("deadline"); d != "" {
				if o.Deadline, err = parseDay("--deadline", d); err != nil {
					return err
				}
			}
			o.Out, _ = flags.GetString("out")
			if o.Out == "" {
				o.Out = filepath.Join(cfg.resolve("output"), "returns", o.Quarter.String())
			}
			return runReturns(cmd.Context(), o)
		},
	}
	f := cmd.Flags()
	f.String("statement", "", "the latest position statement (default: inputs.current in config)")
	f.String("quarter", "", "the quarter the returns are for, e.g. 2021-Q1 (January to March 2021); default: the one after the statement's")
	f.String("deadline", "", "when the returns are due back, YYYY-MM-DD (default: the 15th of the quarter's first month)")
	f.String("out", "", "the output folder (default: output/returns/<quarter>)")
	return cmd
}

// runReturns writes the returns, all or none.
func runReturns(ctx context.Context, o returnsOptions) error {
	s, err := workbook.ReadFile(o.Statement, o.cfg.ingestOptions())
	if err != nil {
		return err
	}
	warnProblems(o.Stderr, s)
	rs := returns.Blank(s, o.Quarter, o.Deadline)
	var files []pipeline.File
	for _, r := range rs {
		if err := ctx.Err(); err != nil {
			return pipeline.ErrStopped
		}
		var b bytes.Buffer
		if err := workbook.WriteReturn(&b, r, workbook.WriteOptions{Password: o.Password}); err != nil {
			return fmt.Errorf("write the return for %s: %w", ownerName(r.Owner), err)
		}
		// Save writes dir/name+Ext: here the whole file name is the "Ext".
		files = append(files, pipeline.File{Ext: returnFileName(r), Data: b.Bytes()})
	}
	paths, err := pipeline.Save(ctx, o.Out, "", files)
	if err != nil {
		return err
	}
	fmt.Fprintf(o.Stdout, "Returns for %s (%s), due back by %s, from %s:\n", o.Quarter, o.Quarter.Label(),
		o.Deadline.Format("Monday 2 January 2006"), filepath.Base(o.Statement))
	for i, p := range paths {
		fmt.Fprintf(o.Stdout, "  %-20s %3d %s  %s\n", ownerName(rs[i].Owner), len(rs[i].Lines), pick(len(rs[i].Lines), "action ", "actions"), p)
	}
	// The combined return, last, lists every action once.
	var filled []string
	for _, l := range rs[len(rs)-1].Lines {
		if !l.Suggested.IsZero() {
			filled = append(filled, l.Ref)
		}
	}
	if len(filled) > 0 {
		fmt.Fprintf(o.Stdout, "Date completed filled in from the last update, for the lead owner to keep or clear: %s.\n", strings.Join(filled, ", "))
	}
	return nil
}

// ownerName names a return's owner; "" is the combined return.
func ownerName(owner string) string {
	if owner == "" {
		return "all lead owners"
	}
	return owner
}

var unsafeName = regexp.MustCompile(`[^\p{L}\p{N} .'()-]+`)

// returnFileName is "2021-Q1 return - Robert Henderson.xlsx".
func returnFileName(r *returns.Return) string {
	name := strings.TrimSpace(unsafeName.ReplaceAllString(ownerName(r.Owner), "-"))
	return r.Quarter + " return - " + name + ".xlsx"
}

var leadingMonth = regexp.MustCompile(`^(\d{4})-(\d{2})\b`)

// nextQuarter is the quarter given, else the one after the statement's: the
// month its file name starts with ("2020-10 position statement.xlsx"),
// else the meeting date in config.
func nextQuarter(cfg *config, given, statement string) (returns.Quarter, error) {
	if given != "" {
		return returns.ParseQuarter(given)
	}
	if m := leadingMonth.FindStringSubmatch(filepath.Base(statement)); m != nil {
		if t, err := time.Parse("2006-01", m[1]+"-"+m[2]); err == nil {
			return returns.QuarterOf(t).Next(), nil
		}
	}
	if cfg.Meeting.Date != "" {
		if t, err := parseDay("config "+cfg.name()+": meeting.date", cfg.Meeting.Date); err == nil {
			return returns.QuarterOf(t).Next(), nil
		}
	}
	return returns.Quarter{}, fmt.Errorf("give --quarter, e.g. 2021-Q1: the statement's file name does not start with its month (YYYY-MM) and config has no meeting date")
}

// returnsPassword is returns.password in config, if any: the password that
// protects the return workbooks' sheets against accidental changes.
func returnsPassword(cfg *config) (string, error) {
	if cfg.path == "" {
		return "", nil
	}
	v := viper.New()
	v.SetConfigFile(cfg.path)
	v.SetConfigType("yaml")
	if err := v.ReadInConfig(); err != nil {
		return "", fmt.Errorf("config %s: %v", cfg.name(), err)
	}
	return v.GetString("returns.password"), nil
}
