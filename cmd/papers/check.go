package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"papers/internal/plan"
	"papers/internal/updates"
	"papers/internal/workbook"
)

type checkOptions struct {
	cfg     *config
	File    string
	Format  string // text or json
	Explain bool   // show the layout inferred, with its evidence
	// SaveLayout writes the layout into the config file (ingest.layouts).
	SaveLayout bool
	Stdout     io.Writer
	Stderr     io.Writer
}

func newCheckCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "check FILE",
		Short: "Show what papers reads in a workbook, and every problem",
		Long: `Check reads one workbook as the report would and shows what it found: the
plan's sheet and title, the recommendations, each action with its lead owners
and dates, and every problem with its cell:

  2021-01 position statement.xlsx: sheet "Position Statement", cell D14: cannot read date "By 32nd Dec 20"

Nothing typed is dropped: a value that cannot be understood is kept as text
and listed as a problem. The exit status is 0 when the workbook was read with
no errors (warnings allowed) and 1 otherwise.

Under each action is what its update reports, read from the officer's words
and quoted (done, booked, in progress, postponed): only a "Date completed"
makes an action complete.

--format json prints {file, sheet, title, recommendations, actions, problems}
with ISO 8601 dates, for other programs; each action's update_says is
{state, date, quote}.

--save-layout writes the layout read into config.yaml (ingest.layouts),
keyed by the header row's headings, where it can be corrected: a sheet with
those headings is then always read as saved.

--explain shows how papers understood the workbook, with its evidence: which
sheets hold the plan and why, each one's header row, what every column is
(column D "Who?" → lead owner) and what every row is (an action, a heading,
a step under an action, the key below the plan, a blank), so nothing an
officer typed is dropped unseen. With --format json it prints that layout.`,
		Example: `  papers check "data/2020-10 position statement.xlsx"
  papers check --explain plan.xlsx
  papers check --format json plan.xlsx | jq '.problems'`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			format, _ := cmd.Flags().GetString("format")
			explain, _ := cmd.Flags().GetBool("explain")
			save, _ := cmd.Flags().GetBool("save-layout")
			return runCheck(cmd.Context(), checkOptions{cfg: cfg, File: args[0], Format: format, Explain: explain,
				SaveLayout: save, Stdout: cmd.OutOrStdout(), Stderr: cmd.ErrOrStderr()})
		},
	}
	cmd.Flags().String("format", "text", "output format: text or json")
	cmd.Flags().Bool("explain", false, "show the layout papers inferred: sheets, header row, columns and every row, with the evidence")
	cmd.Flags().Bool("save-layout", false, "save the layout read into config.yaml (ingest.layouts), where it can be corrected; a saved layout wins over what papers infers")
	return cmd
}

func runCheck(ctx context.Context, o checkOptions) error {
	if o.Format != "text" && o.Format != "json" {
		return fmt.Errorf("--format %q: use text or json", o.Format)
	}
	if o.SaveLayout {
		if o.cfg.path == "" {
			return fmt.Errorf("there is no config.yaml here to save the layout in: run papers in the council's folder, or give --config FILE")
		}
		_, lay, err := workbook.ReadFileLayout(o.File, o.cfg.ingestOptions())
		if err != nil {
			return err
		}
		n, err := saveLayouts(ctx, o.cfg.path, lay)
		if err != nil {
			return err
		}
		fmt.Fprintf(o.Stderr, "papers: saved the layout of %d %s of %s in %s (ingest.layouts); correct it there if it is wrong\n",
			n, pick(n, "sheet", "sheets"), o.File, o.cfg.name())
	}
	if o.Explain {
		return runExplain(o)
	}
	s, err := workbook.ReadFile(o.File, o.cfg.ingestOptions())
	if err != nil {
		return err
	}
	if o.Format == "json" {
		if err := writeCheckJSON(o.Stdout, s); err != nil {
			return err
		}
	} else {
		writeCheckText(o.Stdout, s)
	}
	errs := 0
	for _, p := range s.Problems {
		if p.Severity == plan.SeverityError {
			errs++
		}
	}
	if errs > 0 {
		return fmt.Errorf("%s: %d %s to correct (listed above)", o.File, errs, pick(errs, "problem", "problems"))
	}
	return nil
}

func pick(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// checkJSON is the stable shape of `papers check --format json`.
type checkJSON struct {
	File            string                `json:"file"`
	Sheet           string                `json:"sheet"`
	Title           string                `json:"title"`
	Recommendations []checkRecommendation `json:"recommendations"`
	Actions         []checkAction         `json:"actions"`
	Problems        []checkProblem        `json:"problems"`
}

type checkRecommendation struct {
	Ref   string `json:"ref"`
	Title string `json:"title"`
	Text  string `json:"text"`
	Cell  string `json:"cell"`
}

type checkAction struct {
	Ref            string       `json:"ref"`
	Recommendation string       `json:"recommendation"`
	Action         string       `json:"action"`
	Owner          string       `json:"owner"`
	Owners         []string     `json:"owners"`
	Start          *string      `json:"start"`
	Target         *string      `json:"target"`
	TargetText     string       `json:"target_text"`
	Update         string       `json:"update"`
	UpdateSays     updateSays   `json:"update_says"`
	Completed      *string      `json:"completed"`
	RAG            string       `json:"rag"`
	Extra          []plan.Field `json:"extra"`
	Cell           string       `json:"cell"`
	// Complete is whether the action is complete, by any of the plan's
	// signals; Status is the officer's status as written; CompleteFrom
	// says where completion was read from.
	Complete     bool   `json:"complete"`
	Status       string `json:"status"`
	CompleteFrom string `json:"complete_from"`
	Sheet        string `json:"sheet"` // the sheet the action is on
}

// updateSays is what an action's update reports, as papers compare
// --format json writes it.
type updateSays struct {
	State string  `json:"state"`
	Date  *string `json:"date"`
	Quote string  `json:"quote"`
}

type checkProblem struct {
	Sheet    string `json:"sheet"`
	Cell     string `json:"cell"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
}

func isoOrNil(d plan.TargetDate) *string {
	if d.IsZero() {
		return nil
	}
	s := d.ISO()
	return &s
}

func writeCheckJSON(w io.Writer, s *plan.Statement) error {
	out := checkJSON{File: s.File, Sheet: s.Sheet, Title: s.Title,
		Recommendations: []checkRecommendation{}, Actions: []checkAction{}, Problems: []checkProblem{}}
	for _, r := range s.Recommendations {
		out.Recommendations = append(out.Recommendations, checkRecommendation{Ref: r.Ref, Title: r.Title, Text: r.Text, Cell: r.Cell})
	}
	for i := range s.Actions {
		a := &s.Actions[i]
		owners := a.Owners
		if owners == nil {
			owners = []string{}
		}
		extra := a.Extra
		if extra == nil {
			extra = []plan.Field{}
		}
		says := updates.Read(a)
		out.Actions = append(out.Actions, checkAction{
			Ref: a.Ref, Recommendation: a.Recommendation, Action: a.Text, Owner: a.Owner, Owners: owners,
			Start: isoOrNil(a.Schedule.Start), Target: isoOrNil(a.Schedule.Target), TargetText: a.Schedule.Text,
			Update:     a.Update,
			UpdateSays: updateSays{State: string(says.State), Date: isoOrNil(says.Date), Quote: says.Quote},
			Completed:  isoOrNil(a.Completed), RAG: string(a.RAG), Extra: extra, Cell: a.Cell,
			Complete: a.IsComplete(), Status: a.Status, CompleteFrom: a.CompleteFrom,
			Sheet: or(a.Sheet, s.Sheet),
		})
	}
	for _, p := range s.Problems {
		out.Problems = append(out.Problems, checkProblem{Sheet: or(p.Sheet, s.Sheet), Cell: p.Cell, Severity: string(p.Severity), Message: p.Message})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func writeCheckText(w io.Writer, s *plan.Statement) {
	fmt.Fprintf(w, "%s: sheet %q: %s\n", s.File, s.Sheet, s.Title)
	fmt.Fprintf(w, "%d recommendations, %d actions, %d problems\n", len(s.Recommendations), len(s.Actions), len(s.Problems))
	for _, r := range s.Recommendations {
		fmt.Fprintf(w, "\n%s\n", r.Label())
		for i := range s.Actions {
			a := &s.Actions[i]
			if a.Recommendation != r.Ref {
				continue
			}
			target := a.Schedule.Target.ISO()
			if target == "" {
				target = "no date"
			}
			fmt.Fprintf(w, "  %-6s %s\n         owner: %s; target: %s (%q)", a.Ref, a.Text, a.Owner, target, a.Schedule.Text)
			switch {
			case !a.Completed.IsZero():
				fmt.Fprintf(w, "; completed %s", a.Completed.ISO())
			case a.IsComplete():
				fmt.Fprintf(w, "; complete (%s)", a.CompleteFrom)
			}
			fmt.Fprintln(w)
			if u := updates.Read(a); u.State != plan.UpdateNone {
				fmt.Fprintf(w, "         the update says %s: “%s”\n", u.Phrase(time.Time{}), u.Quote)
			}
		}
	}
	if len(s.Problems) > 0 {
		fmt.Fprintln(w, "\nProblems:")
		for _, p := range s.Problems {
			fmt.Fprintf(w, "  %s: %s: %s\n", p.Severity, s.WhereIn(p.Sheet, p.Cell), p.Message)
		}
	}
}

// runExplain prints the layout inferred for a workbook, then its problems;
// a workbook refused still shows what was looked at.
func runExplain(o checkOptions) error {
	s, lay, err := workbook.ReadFileLayout(o.File, o.cfg.ingestOptions())
	if lay == nil || len(lay.Sheets) == 0 {
		return err
	}
	if o.Format == "json" {
		enc := json.NewEncoder(o.Stdout)
		enc.SetIndent("", "  ")
		if jerr := enc.Encode(lay); jerr != nil {
			return jerr
		}
		return err
	}
	w := o.Stdout
	fmt.Fprintln(w, lay.File)
	for _, sh := range lay.Sheets {
		if !sh.Read {
			fmt.Fprintf(w, "\nsheet %q: not read as the plan: %s\n", sh.Name, sh.Why)
			for _, r := range sh.Rows {
				fmt.Fprintf(w, "  row %-3d %s\n", r.Row, r.Why)
			}
			continue
		}
		fmt.Fprintf(w, "\nsheet %q: read as the plan: %s\n", sh.Name, sh.Why)
		fmt.Fprintf(w, "  header row %d; title %q\n  columns:\n", sh.HeaderRow, sh.Title)
		for _, c := range sh.Columns {
			fmt.Fprintf(w, "    column %s %q → %s (%s)\n", c.Column, c.Header, c.Role, c.Why)
		}
		fmt.Fprintln(w, "  rows:")
		for _, r := range sh.Rows {
			if r.Why == "" {
				fmt.Fprintf(w, "    row %-3d %s\n", r.Row, r.Kind)
			} else {
				fmt.Fprintf(w, "    row %-3d %s: %s\n", r.Row, r.Kind, r.Why)
			}
		}
	}
	if err != nil {
		return err
	}
	actions := 0
	if s != nil {
		actions = len(s.Actions)
		if len(s.Problems) > 0 {
			fmt.Fprintln(w, "\nProblems:")
			for _, p := range s.Problems {
				fmt.Fprintf(w, "  %s: %s: %s\n", p.Severity, s.WhereIn(p.Sheet, p.Cell), p.Message)
			}
		}
	}
	fmt.Fprintf(w, "\n%d actions read.\n", actions)
	return nil
}
