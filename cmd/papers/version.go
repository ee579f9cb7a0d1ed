package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

type versionOptions struct {
	// BuildInfo reads how the program was built: debug.ReadBuildInfo, or a
	// test's stand-in.
	BuildInfo func() (*debug.BuildInfo, bool)
	Stdout    io.Writer
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Show which papers this is: its version, commit and Go version",
		Long: `Version prints the module version papers was built as ("(devel)" for a
build from a working copy), the commit and its time when the build
recorded them (with "modified" when the working copy had changes), and the
Go version and platform it was built with: what to quote in a bug report.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runVersion(cmd.Context(), versionOptions{BuildInfo: debug.ReadBuildInfo, Stdout: cmd.OutOrStdout()})
		},
	}
}

func runVersion(ctx context.Context, o versionOptions) error {
	bi, ok := o.BuildInfo()
	_, err := io.WriteString(o.Stdout, versionText(bi, ok))
	return err
}

// versionText is what papers version prints for the build bi (ok false:
// the binary carries no build information).
func versionText(bi *debug.BuildInfo, ok bool) string {
	version, goVersion := "(devel)", runtime.Version()
	var vcs []string
	if ok && bi != nil {
		if v := bi.Main.Version; v != "" {
			version = v
		}
		if bi.GoVersion != "" {
			goVersion = bi.GoVersion
		}
		settings := map[string]string{}
		for _, s := range bi.Settings {
			settings[s.Key] = s.Value
		}
		if r := settings["vcs.revision"]; r != "" {
			vcs = append(vcs, "commit "+r)
		}
		if t := settings["vcs.time"]; t != "" {
			vcs = append(vcs, t)
		}
		if settings["vcs.modified"] == "true" {
			vcs = append(vcs, "modified")
		}
	}
	line := "papers " + version
	if len(vcs) > 0 {
		line += " (" + strings.Join(vcs, ", ") + ")"
	}
	return fmt.Sprintf("%s\n%s %s/%s\n", line, goVersion, runtime.GOOS, runtime.GOARCH)
}
