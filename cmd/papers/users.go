package main

import (
	"context"
	"fmt"
	"io"
	"os/user"
	"time"

	"github.com/spf13/cobra"

	"papers/internal/portal"
	"papers/internal/store"
)

type usersAddOptions struct {
	Database string
	Name     string
	Email    string
	Role     string
	Owners   []string
	Stdout   io.Writer
}

func newUsersCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "users",
		Short: "Manage the portal's accounts",
	}
	add := &cobra.Command{
		Use:   "add NAME --email EMAIL --role officer|clerk [--owner \"LEAD OWNER\" ...]",
		Short: "Add a portal account and print its one-time password",
		Long: `Add an account to the portal and print a new random password for it, once.
Give it to the person by phone or in person, not in the same email as the
portal's address. Only a hash of it is kept.

An officer answers for one or more lead owners, named as the plan names them
(--owner "Robert Henderson"): they can download and upload returns for those
lead owners' actions only. A clerk opens quarters, accepts statements and
builds reports.`,
		Example: `  papers users add "Clara Clerk" --email clara.clerk@council.gov.uk --role clerk
  papers users add "Robert Henderson" --email robert.henderson@council.gov.uk --role officer --owner "Robert Henderson"`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(cmd, true)
			if err != nil {
				return err
			}
			pc, err := loadPortalConfig(cfg)
			if err != nil {
				return err
			}
			f := cmd.Flags()
			o := usersAddOptions{Database: cfg.resolve(pc.Database), Name: args[0], Stdout: cmd.OutOrStdout()}
			o.Email, _ = f.GetString("email")
			o.Role, _ = f.GetString("role")
			o.Owners, _ = f.GetStringArray("owner")
			if f.Changed("db") {
				o.Database, _ = f.GetString("db")
			}
			return runUsersAdd(cmd.Context(), o)
		},
	}
	add.Flags().String("email", "", "the email address they sign in with (required)")
	add.Flags().String("role", "", "officer or clerk (required)")
	add.Flags().StringArray("owner", nil, "a lead owner an officer answers for, as the plan names them (repeatable)")
	add.Flags().String("db", "", "the history database (default: portal.database in config, else data/papers.db)")
	add.MarkFlagRequired("email")
	add.MarkFlagRequired("role")
	cmd.AddCommand(add)
	return cmd
}

// runUsersAdd adds the account and prints its password.
func runUsersAdd(ctx context.Context, o usersAddOptions) error {
	db, err := store.Open(ctx, o.Database)
	if err != nil {
		return err
	}
	defer db.Close()
	actor := "command line"
	if u, err := user.Current(); err == nil {
		actor += " (" + u.Username + ")"
	}
	acct := portal.Account{Name: o.Name, Email: o.Email, Role: store.Role(o.Role), Owners: o.Owners}
	u, password, err := portal.AddAccount(ctx, db, acct, actor, time.Now(), 0)
	if err != nil {
		return err
	}
	fmt.Fprintf(o.Stdout, "Added %s account for %s <%s>", u.Role, u.Name, u.Email)
	if len(o.Owners) > 0 {
		fmt.Fprintf(o.Stdout, ", answering for %s", joinAnd(o.Owners))
	}
	fmt.Fprintf(o.Stdout, ".\n\nPassword (shown only now):\n\n    %s\n\n", password)
	fmt.Fprintln(o.Stdout, "Give it to them by phone or in person. They sign in with their email address and this password,")
	fmt.Fprintln(o.Stdout, "which works once: the portal then asks them to choose their own.")
	return nil
}

func joinAnd(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	out := ""
	for i, n := range names {
		switch {
		case i == 0:
			out = n
		case i == len(names)-1:
			out += " and " + n
		default:
			out += ", " + n
		}
	}
	return out
}
