package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"
)

// TestMain lets a test run this test binary as the papers program itself, in
// a process of its own: that is how the tests measure a run's peak memory,
// and send it signals, exactly as a shell would.
func TestMain(m *testing.M) {
	if os.Getenv(asPapers) == "1" {
		os.Args = append([]string{"papers"}, os.Args[1:]...)
		main()
		return
	}
	os.Exit(m.Run())
}

const asPapers = "PAPERS_TEST_AS_PROGRAM"

// procResult is how a papers process ended.
type procResult struct {
	Stdout, Stderr string
	Code           int           // exit status; -1 if killed by a signal
	Wall           time.Duration // elapsed time
	MaxRSS         int64         // peak resident memory, in bytes
}

// papersCommand returns papers as a separate process, not yet started.
func papersCommand(ctx context.Context, dir string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, os.Args[0], args...)
	cmd.Env = append(os.Environ(), asPapers+"=1")
	cmd.Dir = dir
	return cmd
}

// papersProcess runs papers in a process of its own (in dir, "" for the
// test's own) and reports its exit, time and peak memory. A run longer than
// limit is killed and fails the test.
func papersProcess(t *testing.T, dir string, limit time.Duration, args ...string) procResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := papersCommand(ctx, dir, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err := cmd.Run()
	r := procResult{Stdout: out.String(), Stderr: errb.String(), Wall: time.Since(start)}
	if ctx.Err() != nil {
		t.Fatalf("papers %v ran longer than %v and was killed", args, limit)
	}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
	default:
		t.Fatalf("papers %v: %v", args, err)
	}
	r.Code = cmd.ProcessState.ExitCode()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.MaxRSS = ru.Maxrss * 1024 // Linux reports kilobytes
	}
	return r
}
