package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestMain lets a test run this test binary as the papers program itself, in
// a process of its own: that is how the tests measure a run's peak memory,
// and send it signals, exactly as a shell would.
func TestMain(m *testing.M) {
	if os.Getenv(asPapers) == "1" {
		os.Args = append([]string{"papers"}, os.Args[1:]...)
		code := mainStatus()
		if path := os.Getenv(peakFile); path != "" {
			os.WriteFile(path, []byte(strconv.FormatInt(peakRSS(), 10)), 0o644)
		}
		os.Exit(code)
	}
	// papers pack keeps converted papers in the user's cache folder: the
	// tests', and the processes they start, go in one of their own.
	cache, err := os.MkdirTemp("", "papers-test-cache-*")
	if err == nil {
		os.Setenv("XDG_CACHE_HOME", cache)
	}
	code := m.Run()
	if cache != "" {
		os.RemoveAll(cache)
	}
	os.Exit(code)
}

const (
	asPapers = "PAPERS_TEST_AS_PROGRAM"
	peakFile = "PAPERS_TEST_PEAK_FILE" // where the process writes its peak RSS
)

// peakRSS is this process's peak resident memory in bytes (VmHWM), or -1.
// The rusage a parent gets from wait4 will not do: Go starts children with
// vfork, and Linux carries the parent's peak into the child's ru_maxrss at
// exec, so a small run would report the test process's own peak.
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err != nil {
				return -1
			}
			return kb << 10
		}
	}
	return -1
}

// procResult is how a papers process ended.
type procResult struct {
	Stdout, Stderr string
	Code           int           // exit status; -1 if killed by a signal
	Wall           time.Duration // elapsed time
	MaxRSS         int64         // peak resident memory (VmHWM), in bytes
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
	peak := filepath.Join(t.TempDir(), "peak")
	cmd.Env = append(cmd.Env, peakFile+"="+peak)
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
	r.MaxRSS = -1
	if b, err := os.ReadFile(peak); err == nil {
		r.MaxRSS, _ = strconv.ParseInt(string(b), 10, 64)
	}
	if r.MaxRSS <= 0 {
		t.Fatalf("papers %v did not report its peak memory", args)
	}
	return r
}
