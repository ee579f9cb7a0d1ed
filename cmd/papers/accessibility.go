package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"papers/internal/pdfua"
)

type accessibilityOptions struct {
	File   string
	Format string // text or json
	Stdout io.Writer
}

func newAccessibilityCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "accessibility FILE.pdf",
		Short: "Check a PDF is tagged for screen readers before publishing it",
		Long: `Accessibility checks one PDF against the rules of PDF/UA that a program
can decide, the ones papers keeps for its report and agenda packs: every
piece of text is tagged or marked as an artifact, every tag is reached once
from the structure tree and mapped back, headings never skip a level, every
table has header cells, every figure has alternative text, every font is
embedded with a Unicode mapping, the document has a language, shows its
title and says it is PDF/UA, and links are in the structure tree.

It prints every problem with its page and rule, and exits 1 when there is
any, 0 when there is none. It cannot judge whether alternative text is
good or the reading order is sensible: read the file with a screen reader
for that.

--format json prints {file, tagged, problems: [{page, rule, detail}]},
with page 0 for a problem of the whole document.`,
		Example: `  papers accessibility "out/action-plan-progress.pdf"
  papers accessibility --format json "2020-11-10 agenda pack.pdf" | jq '.problems[].rule'`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, _ := cmd.Flags().GetString("format")
			return runAccessibility(cmd.Context(), accessibilityOptions{File: args[0], Format: format, Stdout: cmd.OutOrStdout()})
		},
	}
	cmd.Flags().String("format", "text", "output format: text or json")
	return cmd
}

// accessibilityJSON is the stable shape of papers accessibility --format json.
type accessibilityJSON struct {
	File     string               `json:"file"`
	Tagged   bool                 `json:"tagged"`
	Problems []accessibilityIssue `json:"problems"`
}

type accessibilityIssue struct {
	Page   int    `json:"page"`
	Rule   string `json:"rule"`
	Detail string `json:"detail"`
}

func runAccessibility(ctx context.Context, o accessibilityOptions) error {
	if o.Format != "text" && o.Format != "json" {
		return fmt.Errorf("--format %q: use text or json", o.Format)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	f, err := os.Open(o.File)
	if err != nil {
		return fmt.Errorf("cannot open %s: %w", o.File, err)
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return fmt.Errorf("%s is a folder: give a PDF file", o.File)
	}
	rep, err := pdfua.Check(f)
	if err != nil {
		return fmt.Errorf("%s: %v (is it a PDF, and not protected by a password needed to open it?)", o.File, err)
	}
	if o.Format == "json" {
		out := accessibilityJSON{File: o.File, Tagged: rep.Tagged, Problems: []accessibilityIssue{}}
		for _, p := range rep.Problems {
			out.Problems = append(out.Problems, accessibilityIssue{Page: p.Page, Rule: p.Rule, Detail: p.Detail})
		}
		enc := json.NewEncoder(o.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return err
		}
	} else {
		tagged := "tagged"
		if !rep.Tagged {
			tagged = "not tagged"
		}
		n := len(rep.Problems)
		if n == 0 {
			fmt.Fprintf(o.Stdout, "%s: %s, and meets every rule papers checks\n", o.File, tagged)
		} else {
			fmt.Fprintf(o.Stdout, "%s: %s, %d %s:\n", o.File, tagged, n, pick(n, "problem", "problems"))
			for _, p := range rep.Problems {
				fmt.Fprintf(o.Stdout, "  %s\n", p)
			}
		}
	}
	if n := len(rep.Problems); n > 0 {
		return fmt.Errorf("%s: %d accessibility %s (listed above): it is not ready to publish as accessible",
			o.File, n, pick(n, "problem", "problems"))
	}
	return nil
}
