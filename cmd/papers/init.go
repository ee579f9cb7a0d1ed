package main

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"papers/internal/report"
)

// skeleton is the working folder papers init writes: config.yaml with every
// key described, a README of what to do next, the templates folder's
// README, and the repository's sample workbooks and meeting (copies of
// data/, kept identical by TestInitSkeletonMatchesData).
//
//go:embed skeleton
var skeleton embed.FS

// skeletonNames are the files whose real names Go cannot embed (an
// apostrophe), by their name in skeleton/.
var skeletonNames = map[string]string{
	"data/meetings/2020-11-26/Childrens services performance Q2.docx": "data/meetings/2020-11-26/Children's services performance Q2.docx",
}

type initOptions struct {
	Dir    string
	Force  bool // write into a folder that is not empty, replacing papers' own files
	Stdout io.Writer
}

func newInitCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "init DIR",
		Short: "Write a working folder for a council: config.yaml, templates and a sample quarter",
		Long: `Init writes a working folder in DIR (made if need be):

  config.yaml   every key papers reads, described, set for the sample meeting
  README.md     what to do next
  templates/    cover-report.md, the cover report's wording to edit, and
                where the council's Word house template goes
  data/         the sample workbooks (the plan as agreed, a position
                statement) and a sample meeting for papers pack

so that, in DIR, papers report writes the sample report at once. DIR must be
empty or absent; --force writes into a folder that is not, replacing only
the files init writes.`,
		Example: `  papers init council
  cd council && papers report`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			force, _ := cmd.Flags().GetBool("force")
			return runInit(cmd.Context(), initOptions{Dir: args[0], Force: force, Stdout: cmd.OutOrStdout()})
		},
	}
	cmd.Flags().Bool("force", false, "write into a folder that is not empty, replacing the files init writes and leaving the rest")
	return cmd
}

func runInit(ctx context.Context, o initOptions) error {
	entries, err := os.ReadDir(o.Dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return fmt.Errorf("cannot read %s: %s", o.Dir, pathReason(err))
	case len(entries) > 0 && !o.Force:
		return fmt.Errorf("%s is not empty: papers init writes a new working folder; name an empty or new folder, or use --force to write into this one (replacing config.yaml, README.md, templates/cover-report.md and the sample files)", o.Dir)
	}
	files := map[string][]byte{
		path.Join("templates", report.CoverTemplateName): []byte(report.DefaultTemplate().Text),
	}
	err = fs.WalkDir(skeleton, "skeleton", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := skeleton.ReadFile(p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "skeleton/")
		if real, ok := skeletonNames[name]; ok {
			name = real
		}
		files[name] = b
		return nil
	})
	if err != nil {
		return fmt.Errorf("read the built-in working folder: %w", err) // a bug: it is embedded
	}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		if err := ctx.Err(); err != nil {
			return err
		}
		p := filepath.Join(o.Dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return fmt.Errorf("cannot make the folder %s: %s", filepath.Dir(p), pathReason(err))
		}
		if err := os.WriteFile(p, files[name], 0o644); err != nil {
			return fmt.Errorf("cannot write %s: %s", p, pathReason(err))
		}
	}
	fmt.Fprintf(o.Stdout, "papers: wrote a working folder in %s: config.yaml, README.md, templates/ and a sample quarter in data/\nNext: cd %s && papers report   (then see README.md there)\n", o.Dir, o.Dir)
	return nil
}
