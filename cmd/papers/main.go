// Command papers turns an improvement action plan's quarterly workbook into
// the scrutiny panel's report: it reads the officers' workbook, compares it
// with the previous position statement and the baseline plan, and writes the
// council's cover report with its appendices as PDF, DOCX and JSON.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // UK times (the schedule, the meeting) on hosts without a time zone database

	"github.com/spf13/cobra"

	"papers/internal/pipeline"
)

// exitError carries an exit status other than 1 for a user-facing error.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// Exit statuses after a signal, as shells report a process the signal
// killed: 128 + the signal's number.
const (
	exitInterrupt = 130 // SIGINT, Ctrl-C
	exitTerminate = 143 // SIGTERM, e.g. systemctl stop or a timeout
)

func main() {
	os.Exit(mainStatus())
}

// mainStatus runs the command line with signal handling and returns the
// exit status.
func mainStatus() int {
	ctx, cancel := context.WithCancelCause(context.Background())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		s := <-sigs
		// The first signal stops the run tidily; a second one gets the
		// system's default and ends the process at once.
		signal.Reset(os.Interrupt, syscall.SIGTERM)
		cancel(&stopSignal{s})
	}()
	return run(ctx, os.Args[1:], os.Stdout, os.Stderr)
}

// stopSignal is the cause of ctx's end when a signal stopped the program.
type stopSignal struct{ sig os.Signal }

func (s *stopSignal) Error() string { return "stopped by " + s.name() }

func (s *stopSignal) name() string {
	switch s.sig {
	case os.Interrupt:
		return "SIGINT (Ctrl-C)"
	case syscall.SIGTERM:
		return "SIGTERM"
	}
	return s.sig.String()
}

func (s *stopSignal) code() int {
	if s.sig == syscall.SIGTERM {
		return exitTerminate
	}
	return exitInterrupt
}

// run executes the command line and returns the exit status. Errors are
// printed as one plain line; an internal failure (a bug) is reported as such,
// without a stack trace. A command a signal stopped exits 130 (SIGINT) or
// 143 (SIGTERM); a command that finished before the signal mattered exits
// as usual.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "papers: internal error: %v\nThis is a bug in papers, not in your files: please report it with the command you ran.\n", r)
			code = 2
		}
	}()
	root := newRootCmd(stdout, stderr)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	var sig *stopSignal
	if errors.As(context.Cause(ctx), &sig) {
		if errors.Is(err, pipeline.ErrStopped) || errors.Is(err, context.Canceled) {
			// Every output is written all or none, and renamed into
			// place only while the context is live.
			fmt.Fprintf(stderr, "papers: %v before it finished: nothing was written, and the previous outputs are as they were\n", sig)
		} else {
			fmt.Fprintf(stderr, "papers: %v: %v\n", sig, err)
		}
		return sig.code()
	}
	fmt.Fprintf(stderr, "papers: %v\n", err)
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return 1
}

func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "papers",
		Short: "Committee papers from an improvement action plan's workbook",
		Long: `papers turns the officers' action-plan workbook into the scrutiny panel's papers.

Each quarter officers update the plan's spreadsheet. papers reads it as it
comes (title rows, merged cells, repeated headers, renamed columns, Excel or
text dates), compares it with the previous position statement and the plan as
agreed (what is new, removed, completed, overdue, slipped and by how many days,
whose update was copied forward), and writes the council's cover report with
its appendices as PDF, DOCX and HTML, plus the comparison as JSON.

Start with:
  papers report            the report for the meeting in config.yaml
  papers check FILE        what papers reads in a workbook, and every problem
  papers compare OLD NEW   what changed between two statements`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.PersistentFlags().String("config", "config.yaml", "the configuration file (meeting, report wording, inputs)")
	root.AddCommand(newReportCmd(), newCheckCmd(), newCompareCmd(), newReturnsCmd(), newMergeCmd(), newExportCmd())
	root.AddCommand(newHistoryCmd(), newRunScheduledCmd())
	root.AddCommand(newServeCmd(), newUsersCmd(), newNotifyCmd(), newBackupCmd(), newRestoreCmd())
	root.AddCommand(newPackCmd(), newInitCmd(), newVersionCmd())
	root.AddCommand(newAccessibilityCmd())
	return root
}
