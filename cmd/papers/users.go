package main

import (
	"context"
	"fmt"
	"io"
	"os/user"
	"strings"
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
	Stderr   io.Writer // warnings
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
			cfg, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			pc, err := loadPortalConfig(cfg)
			if err != nil {
				return err
			}
			f := cmd.Flags()
			o := usersAddOptions{Database: cfg.resolve(pc.Database), Name: args[0], Stdout: cmd.OutOrStdout(), Stderr: cmd.ErrOrStderr()}
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
	warnUnknownOwners(ctx, db, o.Owners, o.Stderr)
	return nil
}

// warnUnknownOwners says which of an officer's lead owners no action in the
// latest statements has: a name spelt otherwise than the plan spells it
// would leave the officer with nothing to return. The account stands: the
// next statement may name them.
func warnUnknownOwners(ctx context.Context, db *store.DB, owners []string, w io.Writer) {
	if len(owners) == 0 || w == nil {
		return
	}
	unknown, checked, err := portal.UnknownOwners(ctx, db, owners)
	switch {
	case err != nil:
		fmt.Fprintf(w, "warning: cannot check the lead owners against the plan: %v\n", err)
		return
	case len(checked) == 0:
		fmt.Fprintln(w, "note: the history holds no statement yet, so the lead owners' names were not checked against the plan.")
		return
	case len(unknown) == 0:
		return
	}
	var in []string
	for _, s := range checked {
		in = append(in, fmt.Sprintf("%s (%s %s, version %d)", s.Plan, s.Quarter, s.Kind, s.Version))
	}
	quoted := make([]string, len(unknown))
	for i, u := range unknown {
		quoted[i] = fmt.Sprintf("%q", u)
	}
	fmt.Fprintf(w, "warning: no action in the latest statement of %s has %s as its lead owner: check %s against the plan's Lead Owner column (case and spacing aside). Until a statement names them, the officer has nothing to return for %s.\n",
		joinAnd(in), joinOr(quoted), pick(len(unknown), "the name", "the names"), pick(len(unknown), "it", "them"))
}

// joinOr is "a", "a or b", "a, b or c".
func joinOr(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
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
