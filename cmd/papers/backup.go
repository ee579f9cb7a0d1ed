package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"

	"github.com/spf13/cobra"

	"papers/internal/store"
)

type backupOptions struct {
	Database string // the history database
	File     string // the copy to write
	Force    bool   // replace File if it exists
	Stdout   io.Writer
}

func newBackupCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "backup FILE",
		Short: "Copy the history database to FILE, consistently, even while the portal runs",
		Long: `Backup writes a consistent copy of the history database (accounts, returns,
statements, the audit log and the records of scheduled runs) to FILE. It may
run while the portal is serving and officers are submitting: the copy holds
every submission acknowledged before the backup began.

FILE is written under a temporary name beside it and renamed into place, so
it is either the whole copy or absent. An existing FILE is left alone unless
--force is given. Put the copy back with "papers restore FILE".`,
		Example: `  papers backup backups/papers-$(date +%F).db
  papers backup --db /srv/papers/data/papers.db /backups/papers.db --force`,
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
			force, _ := cmd.Flags().GetBool("force")
			return runBackup(cmd.Context(), backupOptions{Database: db, File: args[0], Force: force, Stdout: cmd.OutOrStdout()})
		},
	}
	cmd.Flags().String("db", "", "the history database (default: portal.database in config, else data/papers.db)")
	cmd.Flags().Bool("force", false, "replace FILE if it exists")
	return cmd
}

func runBackup(ctx context.Context, o backupOptions) error {
	if store.IsPostgres(o.Database) {
		return fmt.Errorf("cannot back up %s: it is a %v", store.Describe(o.Database), store.ErrNotSQLite)
	}
	db, err := openExisting(ctx, o.Database)
	if err != nil {
		return err
	}
	defer db.Close()
	err = db.Backup(ctx, o.File, o.Force)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s already exists: name another file, or give --force to replace it", o.File)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(o.Stdout, "papers: backed up %s to %s\n", o.Database, o.File)
	return nil
}
