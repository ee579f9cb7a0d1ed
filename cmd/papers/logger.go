package main

import (
	"io"
	"log/slog"
	"os"
)

// newLogger is the log of a long-running command (serve, run-scheduled):
// text a person can read on a terminal, JSON lines a log collector can
// parse anywhere else (journald, a container platform, a file).
func newLogger(w io.Writer) *slog.Logger {
	if onTerminal(w) {
		return slog.New(slog.NewTextHandler(w, nil))
	}
	return slog.New(slog.NewJSONHandler(w, nil))
}

// onTerminal reports whether w is a terminal.
func onTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
