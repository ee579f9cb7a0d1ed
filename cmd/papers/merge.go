package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"papers/internal/pipeline"
	"papers/internal/returns"
	"papers/internal/workbook"
)

type mergeOptions struct {
	cfg       *config
	Returns   []string // return workbooks
	Statement string   // the statement the returns were made from
	Quarter   string   // "" takes the returns'
	Out       string   // the merged statement's path; "" for the default
	Format    string   // text or json
	Choose    map[string]string
	// AllowConflicts writes the statement even with rejected returns or
	// unresolved conflicts.
	AllowConflicts bool
	Stdout, Stderr io.Writer
}

func newMergeCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "merge RETURN.xlsx...",
		Short: "Merge the lead owners' returns into the next position statement",
		Long: `Merge reads the returns lead owners sent back (made by papers returns) and
merges them into the quarter's position statement: the statement they were
made from (--statement, default inputs.current in config) with each action's
update, status, date completed and target replaced from the returns. It
writes the statement as a workbook in the council's layout, which
papers report --current reads, and prints:

  - rejected returns: locked cells changed (each named with its cell, the
    old and new text), an unknown Ref, or another quarter;
  - conflicts: a joint action whose owners' returns differ. The previous
    value is kept until you choose one with --choose REF:FIELD=WHO, where WHO
    is the lead owner's name (or the file, or the value's number);
  - warnings: a revised target date without a reason, Complete without a
    date completed, a date that cannot be read;
  - the chase list: for each lead owner, the actions nobody returned. These
    are carried forward with the update "No update received. Previous
    update: …".

Returns are matched to the statement's actions by Ref only. With rejected
returns or unresolved conflicts, nothing is written and the exit status is 1,
unless --allow-conflicts is given (the rejected returns are then left out and
the conflicts keep the previous value).

--format json prints {quarter, statement, merged, returned, outstanding,
rejected, conflicts, warnings, chase}.`,
		Example: `  papers merge output/returns/2021-Q1/*.xlsx
  papers merge --statement "data/2020-10 position statement.xlsx" --choose "2.2:update=Cllr Paffey" returns/*.xlsx
  papers merge --format json --out "data/2021-01 position statement.xlsx" returns/*.xlsx`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			o := mergeOptions{cfg: cfg, Returns: args, Statement: cfg.resolve(cfg.Inputs.Current),
				Stdout: cmd.OutOrStdout(), Stderr: cmd.ErrOrStderr()}
			flags := cmd.Flags()
			if flags.Changed("statement") {
				o.Statement, _ = flags.GetString("statement")
			}
			if o.Statement == "" {
				return fmt.Errorf("give --statement FILE: the position statement the returns were made from")
			}
			o.Quarter, _ = flags.GetString("quarter")
			o.Out, _ = flags.GetString("out")
			o.Format, _ = flags.GetString("format")
			o.AllowConflicts, _ = flags.GetBool("allow-conflicts")
			choices, _ := flags.GetStringArray("choose")
			o.Choose = map[string]string{}
			for _, c := range choices {
				key, who, ok := strings.Cut(c, "=")
				if !ok || strings.TrimSpace(key) == "" || strings.TrimSpace(who) == "" {
					return fmt.Errorf("--choose %q: write REF:FIELD=WHO, e.g. --choose \"2.2:update=Cllr Paffey\"", c)
				}
				o.Choose[strings.TrimSpace(key)] = strings.TrimSpace(who)
			}
			return runMerge(cmd.Context(), o)
		},
	}
	f := cmd.Flags()
	f.String("statement", "", "the position statement the returns were made from (default: inputs.current in config)")
	f.String("quarter", "", "the quarter being merged, e.g. 2021-Q1 (default: the returns')")
	f.String("out", "", "the merged statement workbook (default: output/returns/<quarter>/<quarter> position statement.xlsx)")
	f.String("format", "text", "output format: text or json")
	f.StringArray("choose", nil, "resolve a conflict: REF:FIELD=WHO (repeatable), e.g. \"2.2:update=Cllr Paffey\"")
	f.Bool("allow-conflicts", false, "write the statement even with rejected returns or unresolved conflicts")
	return cmd
}

// runMerge reads the returns, merges them and writes the statement.
func runMerge(ctx context.Context, o mergeOptions) error {
	if o.Format != "text" && o.Format != "json" {
		return fmt.Errorf("--format %q: use text or json", o.Format)
	}
	if o.Quarter != "" {
		q, err := returns.ParseQuarter(o.Quarter)
		if err != nil {
			return err
		}
		o.Quarter = q.String()
	}
	opt := o.cfg.ingestOptions()
	base, err := workbook.ReadFile(o.Statement, opt)
	if err != nil {
		return err
	}
	warnProblems(o.Stderr, base)
	var (
		rets       []*returns.Return
		unreadable []returns.Rejection
	)
	for _, path := range o.Returns {
		r, err := workbook.ReadReturnFile(path, opt)
		if err != nil {
			unreadable = append(unreadable, returns.Rejection{File: filepath.Base(path), Reason: readFailure(err, path)})
			continue
		}
		rets = append(rets, r)
	}
	if err := ctx.Err(); err != nil {
		return pipeline.ErrStopped
	}
	res := returns.Merge(base, rets, returns.Options{Quarter: o.Quarter, Choose: o.Choose})
	merged := len(rets) - len(res.Rejected)
	res.Rejected = append(unreadable, res.Rejected...)
	if res.Quarter == "" {
		return &exitError{1, fmt.Errorf("no return could be read: nothing to merge (give --quarter to write the statement with every action chased)")}
	}

	unresolved := len(res.Unresolved())
	blocked := (len(res.Rejected) > 0 || unresolved > 0) && !o.AllowConflicts
	written := ""
	if !blocked {
		out := o.Out
		if out == "" {
			out = filepath.Join(o.cfg.resolve("output"), "returns", res.Quarter, res.Quarter+" position statement.xlsx")
		}
		q, _ := returns.ParseQuarter(res.Quarter)
		res.Statement.File = filepath.Base(out)
		var b bytes.Buffer
		if err := workbook.WriteStatement(&b, res.Statement, workbook.WriteOptions{Created: q.Start()}); err != nil {
			return fmt.Errorf("write the merged statement: %w", err)
		}
		name := strings.TrimSuffix(filepath.Base(out), filepath.Ext(out))
		paths, err := pipeline.Save(ctx, filepath.Dir(out), name, []pipeline.File{{Ext: filepath.Ext(out), Data: b.Bytes()}})
		if err != nil {
			return err
		}
		written = paths[0]
	}

	if o.Format == "json" {
		if err := writeMergeJSON(o.Stdout, res, merged, written); err != nil {
			return err
		}
	} else {
		writeMergeText(o.Stdout, res, merged, written)
	}
	if blocked {
		var why []string
		if n := len(res.Rejected); n > 0 {
			why = append(why, fmt.Sprintf("%d %s rejected", n, pick(n, "return", "returns")))
		}
		if unresolved > 0 {
			why = append(why, fmt.Sprintf("%d %s unresolved", unresolved, pick(unresolved, "conflict", "conflicts")))
		}
		return &exitError{1, fmt.Errorf("nothing written: %s (listed above). Send the officers new returns or choose with --choose REF:FIELD=WHO; --allow-conflicts writes the statement without them",
			strings.Join(why, " and "))}
	}
	return nil
}

// readFailure is why a return could not be read, naming the file once.
func readFailure(err error, path string) string {
	return strings.TrimPrefix(err.Error(), path+": ")
}

// writeMergeText prints what the merge did; merged counts the returns
// merged.
func writeMergeText(w io.Writer, res *returns.Result, merged int, written string) {
	p := func(format string, a ...any) { fmt.Fprintf(w, format, a...) }
	p("Merged %d %s for %s into %d actions: %d updated, %d with no update received.\n", merged,
		pick(merged, "return", "returns"), res.Quarter, len(res.Statement.Actions), res.Returned, res.Outstanding)
	if n := len(res.Rejected); n > 0 {
		p("\nRejected returns (%d), not merged:\n", n)
		for _, r := range res.Rejected {
			if len(r.Change) == 0 {
				p("  %s: %s\n", r.File, r.Reason)
				continue
			}
			for _, line := range strings.Split(r.Error(), "\n") {
				p("  %s\n", line)
			}
		}
	}
	if n := len(res.Conflicts); n > 0 {
		p("\nConflicts (%d, %d unresolved):\n", n, len(res.Unresolved()))
		for _, c := range res.Conflicts {
			p("  %s: the returns give different %ss:\n", c.Ref, c.Field)
			for i, v := range c.Values {
				var from []string
				for _, o := range v.From {
					from = append(from, fmt.Sprintf("%s (%s, cell %s)", o.Name(), o.File, o.Cell))
				}
				mark := " "
				if c.Chosen == i {
					mark = "*"
				}
				p("   %s%d. %s: %q\n", mark, i+1, strings.Join(from, ", "), v.Text)
			}
			if c.Resolved() {
				p("    resolved: took %d.\n", c.Chosen+1)
			} else {
				p("    unresolved: the previous value is kept. Choose with --choose %q\n", c.Key()+"="+c.Values[0].From[0].Name())
			}
		}
	}
	if n := len(res.Warnings); n > 0 {
		p("\nWarnings (%d):\n", n)
		for _, wr := range res.Warnings {
			p("  %s\n", wr)
		}
	}
	if len(res.Chase) > 0 {
		p("\nChase list: actions with no update received (carried forward as \"%s Previous update: …\"):\n", returns.NoUpdate)
		for _, c := range res.Chase {
			state := "sent no return"
			if c.Returned {
				state = "returned, left blank"
			}
			p("  %s (%s): %s\n", c.Owner, state, strings.Join(c.Refs, ", "))
		}
	}
	if written != "" {
		p("\nWrote %s\n", written)
	}
}

// mergeJSON is the merge for other programs. Its field names are kept stable.
type mergeJSON struct {
	Quarter     string          `json:"quarter"`
	Statement   *string         `json:"statement"` // the file written, or null
	Merged      int             `json:"merged"`    // returns merged
	Returned    int             `json:"returned"`
	Outstanding int             `json:"outstanding"`
	Rejected    []rejectionJSON `json:"rejected"`
	Conflicts   []conflictJSON  `json:"conflicts"`
	Warnings    []warningJSON   `json:"warnings"`
	Chase       []chaseJSON     `json:"chase"`
}

type rejectionJSON struct {
	File    string       `json:"file"`
	Owner   string       `json:"owner"`
	Reason  string       `json:"reason,omitempty"`
	Changes []changeJSON `json:"changes"`
}

type changeJSON struct {
	Sheet string `json:"sheet"`
	Cell  string `json:"cell"`
	Ref   string `json:"ref"`
	Field string `json:"field"`
	Old   string `json:"old"`
	New   string `json:"new"`
}

type conflictJSON struct {
	Key      string      `json:"key"`
	Ref      string      `json:"ref"`
	Field    string      `json:"field"`
	Resolved bool        `json:"resolved"`
	Chosen   *int        `json:"chosen"` // 1-based, or null
	Values   []valueJSON `json:"values"`
}

type valueJSON struct {
	Text string       `json:"text"`
	From []originJSON `json:"from"`
}

type originJSON struct {
	Owner string `json:"owner"`
	File  string `json:"file"`
	Sheet string `json:"sheet"`
	Cell  string `json:"cell"`
}

type warningJSON struct {
	File    string `json:"file"`
	Sheet   string `json:"sheet"`
	Cell    string `json:"cell"`
	Ref     string `json:"ref"`
	Message string `json:"message"`
}

type chaseJSON struct {
	Owner    string   `json:"owner"`
	Refs     []string `json:"refs"`
	Returned bool     `json:"returned"`
}

func writeMergeJSON(w io.Writer, res *returns.Result, merged int, written string) error {
	j := mergeJSON{Quarter: res.Quarter, Merged: merged, Returned: res.Returned, Outstanding: res.Outstanding,
		Rejected: []rejectionJSON{}, Conflicts: []conflictJSON{}, Warnings: []warningJSON{}, Chase: []chaseJSON{}}
	if written != "" {
		j.Statement = &written
	}
	for _, r := range res.Rejected {
		rj := rejectionJSON{File: r.File, Owner: r.Owner, Reason: r.Reason, Changes: []changeJSON{}}
		for _, c := range r.Change {
			rj.Changes = append(rj.Changes, changeJSON{c.Sheet, c.Cell, c.Ref, c.Field.String(), c.Old, c.New})
		}
		j.Rejected = append(j.Rejected, rj)
	}
	for _, c := range res.Conflicts {
		cj := conflictJSON{Key: c.Key(), Ref: c.Ref, Field: c.Field.String(), Resolved: c.Resolved()}
		if c.Resolved() {
			n := c.Chosen + 1
			cj.Chosen = &n
		}
		for _, v := range c.Values {
			vj := valueJSON{Text: v.Text}
			for _, o := range v.From {
				vj.From = append(vj.From, originJSON(o))
			}
			cj.Values = append(cj.Values, vj)
		}
		j.Conflicts = append(j.Conflicts, cj)
	}
	for _, wr := range res.Warnings {
		j.Warnings = append(j.Warnings, warningJSON{wr.File, wr.Sheet, wr.Cell, wr.Ref, wr.Message})
	}
	for _, c := range res.Chase {
		j.Chase = append(j.Chase, chaseJSON(c))
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(j)
}
