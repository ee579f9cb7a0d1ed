package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"papers/internal/schedule"
	"papers/internal/store"
)

// exitLocked is the exit status when the portal or a scheduled run holds
// what a command needs, as papers run-scheduled exits when another run
// holds its lock.
const exitLocked = 4

type restoreOptions struct {
	Database string // the history database to replace
	File     string // the backup to put in its place
	Lock     string // the scheduled runs' lock (schedule.lock)
	Now      time.Time
	Stdout   io.Writer
}

func newRestoreCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "restore FILE",
		Short: "Put a backup made by papers backup back as the history database",
		Long: `Restore replaces the history database with FILE, a copy "papers backup" made.

It checks first that FILE is a papers history database, undamaged, of a
version this program can open. It refuses while the portal is running on the
database or a scheduled run is in progress: stop the portal first. The
database it replaces is not deleted: it is kept beside it as
papers.db.before-restore-<time>.`,
		Example: `  papers restore backups/papers-2021-01-31.db
  papers restore --db /srv/papers/data/papers.db /backups/papers.db`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			db, err := databasePath(cfg, cmd)
			if err != nil {
				return err
			}
			return runRestore(cmd.Context(), restoreOptions{
				Database: db,
				File:     args[0],
				Lock:     cfg.resolve(or(cfg.Schedule.Lock, "data/papers.lock")),
				Now:      time.Now(),
				Stdout:   cmd.OutOrStdout(),
			})
		},
	}
	cmd.Flags().String("db", "", "the history database to replace (default: portal.database in config, else data/papers.db)")
	return cmd
}

// portalLock is the lock file the portal holds, shared, while it serves the
// database at db; restore takes it exclusively.
func portalLock(db string) string { return db + ".portal.lock" }

func runRestore(ctx context.Context, o restoreOptions) error {
	if store.IsPostgres(o.Database) {
		return fmt.Errorf("cannot restore %s: it is a %v", store.Describe(o.Database), store.ErrNotSQLite)
	}
	version, err := store.Inspect(ctx, o.File)
	switch {
	case errors.Is(err, store.ErrNotHistory):
		return fmt.Errorf("cannot restore from %v: name a file papers backup wrote", err)
	case err != nil:
		return fmt.Errorf("cannot restore: %v", err)
	}
	portal, err := schedule.Acquire(portalLock(o.Database))
	if errors.Is(err, schedule.ErrLocked) {
		return &exitError{exitLocked, fmt.Errorf("the portal is running on %s: stop it (Ctrl-C, or systemctl stop), then run papers restore again", o.Database)}
	}
	if err != nil {
		return err
	}
	defer portal.Release()
	run, err := schedule.Acquire(o.Lock)
	if errors.Is(err, schedule.ErrLocked) {
		return &exitError{exitLocked, fmt.Errorf("a scheduled run is in progress (%v): run papers restore again when it has finished", err)}
	}
	if err != nil {
		return err
	}
	defer run.Release()
	kept, err := store.Restore(ctx, o.Database, o.File, o.Now)
	if err != nil {
		return fmt.Errorf("restore %s from %s: %w", o.Database, o.File, err)
	}
	fmt.Fprintf(o.Stdout, "papers: restored %s from %s (schema version %d)\n", o.Database, o.File, version)
	if kept != "" {
		fmt.Fprintf(o.Stdout, "papers: the database it replaced is kept as %s\n", kept)
	}
	return nil
}
