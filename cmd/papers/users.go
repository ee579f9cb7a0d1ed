package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/user"
	"strings"
	"text/tabwriter"
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
			o := usersAddOptions{Database: cfg.resolveDatabase(pc.Database), Name: args[0], Stdout: cmd.OutOrStdout(), Stderr: cmd.ErrOrStderr()}
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
	cmd.AddCommand(
		usersCommand(usersCmdSpec{
			use:   "list",
			short: "List the portal's accounts with their role, lead owners and last sign-in",
			args:  cobra.NoArgs,
			run:   runUsersList,
		}),
		usersCommand(usersCmdSpec{
			use:   "disable EMAIL",
			short: "Stop an account signing in, and end its sessions",
			long: `Disable an account: it can no longer sign in (the portal says only that the
email address or password is wrong), and whoever is signed in with it is
signed out. The account, its role and lead owners are kept: "papers users
enable" lets it sign in again. The last enabled clerk cannot be disabled.`,
			args: cobra.ExactArgs(1),
			run:  runUsersDisable,
		}),
		usersCommand(usersCmdSpec{
			use:   "enable EMAIL",
			short: "Let a disabled account sign in again",
			args:  cobra.ExactArgs(1),
			run:   runUsersEnable,
		}),
		usersCommand(usersCmdSpec{
			use:   "remove EMAIL",
			short: "Remove an account",
			long: `Remove an account with its lead owners and sessions. The audit log keeps what
it did, under its email address. The last enabled clerk cannot be removed.
To stop someone signing in for a while, use "papers users disable".`,
			args: cobra.ExactArgs(1),
			run:  runUsersRemove,
		}),
		usersCommand(usersCmdSpec{
			use:   "role EMAIL officer|clerk",
			short: "Make an account an officer's or a clerk's",
			long: `Change an account's role. A clerk answers for no lead owners, so an officer
made clerk loses theirs; a clerk made officer needs them ("papers users
owners"). The last enabled clerk cannot be made an officer.`,
			example: `  papers users role robert.henderson@council.gov.uk clerk`,
			args:    cobra.ExactArgs(2),
			run:     runUsersRole,
		}),
		usersCommand(usersCmdSpec{
			use:   "owners EMAIL \"LEAD OWNER\" [\"LEAD OWNER\" ...]",
			short: "Replace the lead owners an officer answers for",
			long: `Replace the lead owners an officer answers for, named as the plan names them.
The officer can then download and upload returns for those lead owners'
actions only. A name that no action in the latest statement has is kept,
with a warning.`,
			example: `  papers users owners robert.henderson@council.gov.uk "Robert Henderson" "Cllr Paffey"`,
			args:    cobra.MinimumNArgs(2),
			run:     runUsersOwners,
		}),
		usersCommand(usersCmdSpec{
			use:   "reset EMAIL",
			short: "Give an account a new one-time password, printed once",
			long: `Reset a forgotten password: print a new random password for the account,
once, and sign it out everywhere. The password works once: the portal then
asks for their own, as for a new account. Give it to them by phone or in
person. Only a hash of it is kept.`,
			args: cobra.ExactArgs(1),
			run:  runUsersReset,
		}),
		usersCommand(usersCmdSpec{
			use:   "unlock EMAIL",
			short: "Forget an account's failed sign-ins",
			long: `Forget every failed sign-in for an account, from every address, so that
someone kept waiting after too many wrong passwords can sign in at once
(they would be let in again by themselves within 15 minutes).`,
			args: cobra.ExactArgs(1),
			run:  runUsersUnlock,
		}),
	)
	return cmd
}

// usersOptions are the options of the users subcommands that list and
// change accounts. Args are the command's arguments: the email address
// first, then the role or the lead owners.
type usersOptions struct {
	Database string
	Args     []string
	Actor    string           // who the audit log says made the change
	Now      func() time.Time // nil: time.Now
	Stdout   io.Writer
	Stderr   io.Writer // warnings
}

func (o usersOptions) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

type usersCmdSpec struct {
	use, short, long, example string
	args                      cobra.PositionalArgs
	run                       func(context.Context, usersOptions) error
}

// usersCommand is a users subcommand on the portal's database.
func usersCommand(spec usersCmdSpec) *cobra.Command {
	c := &cobra.Command{
		Use:     spec.use,
		Short:   spec.short,
		Long:    spec.long,
		Example: spec.example,
		Args:    spec.args,
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := usersDatabase(cmd)
			if err != nil {
				return err
			}
			return spec.run(cmd.Context(), usersOptions{Database: db, Args: args, Actor: commandLineActor(),
				Stdout: cmd.OutOrStdout(), Stderr: cmd.ErrOrStderr()})
		},
	}
	c.Flags().String("db", "", "the history database (default: portal.database in config, else data/papers.db)")
	return c
}

// usersDatabase is the database a users subcommand works on: --db, else
// the portal's.
func usersDatabase(cmd *cobra.Command) (string, error) {
	if cmd.Flags().Changed("db") {
		return cmd.Flags().GetString("db")
	}
	cfg, err := loadConfig(cmd)
	if err != nil {
		return "", err
	}
	pc, err := loadPortalConfig(cfg)
	if err != nil {
		return "", err
	}
	return cfg.resolveDatabase(pc.Database), nil
}

// commandLineActor is who the audit log says changed an account from the
// command line.
func commandLineActor() string {
	actor := "command line"
	if u, err := user.Current(); err == nil {
		actor += " (" + u.Username + ")"
	}
	return actor
}

// runUsersAdd adds the account and prints its password.
func runUsersAdd(ctx context.Context, o usersAddOptions) error {
	db, err := store.Open(ctx, o.Database)
	if err != nil {
		return err
	}
	defer db.Close()
	acct := portal.Account{Name: o.Name, Email: o.Email, Role: store.Role(o.Role), Owners: o.Owners}
	u, password, err := portal.AddAccount(ctx, db, acct, commandLineActor(), time.Now(), 0)
	if err != nil {
		return err
	}
	fmt.Fprintf(o.Stdout, "Added %s account for %s <%s>", u.Role, u.Name, u.Email)
	if len(o.Owners) > 0 {
		fmt.Fprintf(o.Stdout, ", answering for %s", joinAnd(o.Owners))
	}
	fmt.Fprint(o.Stdout, ".\n\n")
	printOneTimePassword(o.Stdout, password)
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

// printOneTimePassword shows a new account's or a reset password, once.
func printOneTimePassword(w io.Writer, password string) {
	fmt.Fprintf(w, "Password (shown only now):\n\n    %s\n\n", password)
	fmt.Fprintln(w, "Give it to them by phone or in person. They sign in with their email address and this password,")
	fmt.Fprintln(w, "which works once, within 7 days: the portal then asks them to choose their own.")
}

// openAccount opens the database and finds the account for email.
func openAccount(ctx context.Context, database, email string) (*store.DB, store.User, error) {
	db, err := store.Open(ctx, database)
	if err != nil {
		return nil, store.User{}, err
	}
	u, err := db.UserByEmail(ctx, email)
	if errors.Is(err, store.ErrNotFound) {
		db.Close()
		return nil, store.User{}, fmt.Errorf("there is no account for %s in %s: papers users list shows them", strings.TrimSpace(email), database)
	}
	if err != nil {
		db.Close()
		return nil, store.User{}, err
	}
	return db, u, nil
}

// lastClerk turns store.ErrLastClerk into what to do about it.
func lastClerk(err error, doing string, u store.User) error {
	if errors.Is(err, store.ErrLastClerk) {
		return fmt.Errorf("cannot %s %s: it is the portal's last enabled clerk account, and the portal needs one; add or enable another clerk first (papers users add NAME --email EMAIL --role clerk)", doing, u.Email)
	}
	return err
}

// runUsersList prints every account.
func runUsersList(ctx context.Context, o usersOptions) error {
	db, err := store.Open(ctx, o.Database)
	if err != nil {
		return err
	}
	defer db.Close()
	us, err := db.Users(ctx)
	if err != nil {
		return err
	}
	if len(us) == 0 {
		fmt.Fprintf(o.Stdout, "There are no accounts in %s yet: add one with papers users add.\n", store.Describe(o.Database))
		return nil
	}
	tw := tabwriter.NewWriter(o.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "EMAIL\tNAME\tROLE\tLEAD OWNERS\tSTATE\tLAST SIGN-IN")
	for _, u := range us {
		owners, err := db.OwnersOf(ctx, u.ID)
		if err != nil {
			return err
		}
		state := "enabled"
		switch {
		case u.Disabled:
			state = "disabled"
		case u.MustChangePassword:
			state = "one-time password"
		}
		last := "never"
		if !u.LastSignIn.IsZero() {
			last = u.LastSignIn.Local().Format("2006-01-02 15:04 MST")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", u.Email, u.Name, u.Role, orDash(strings.Join(owners, "; ")), state, last)
	}
	return tw.Flush()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func runUsersDisable(ctx context.Context, o usersOptions) error { return setDisabled(ctx, o, true) }
func runUsersEnable(ctx context.Context, o usersOptions) error  { return setDisabled(ctx, o, false) }

func setDisabled(ctx context.Context, o usersOptions, disabled bool) error {
	db, u, err := openAccount(ctx, o.Database, o.Args[0])
	if err != nil {
		return err
	}
	defer db.Close()
	verb := "enable"
	if disabled {
		verb = "disable"
	}
	changed, err := portal.SetAccountDisabled(ctx, db, u, disabled, o.Actor, o.now())
	switch {
	case err != nil:
		return lastClerk(err, verb, u)
	case !changed:
		fmt.Fprintf(o.Stdout, "The account of %s <%s> is already %sd: nothing changed.\n", u.Name, u.Email, verb)
	case disabled:
		fmt.Fprintf(o.Stdout, "Disabled the account of %s <%s>: it cannot sign in, and its sessions have ended.\nTo let it sign in again: papers users enable %s\n", u.Name, u.Email, u.Email)
	default:
		fmt.Fprintf(o.Stdout, "Enabled the account of %s <%s>: it can sign in again.\n", u.Name, u.Email)
	}
	return nil
}

func runUsersRemove(ctx context.Context, o usersOptions) error {
	db, u, err := openAccount(ctx, o.Database, o.Args[0])
	if err != nil {
		return err
	}
	defer db.Close()
	if err := portal.RemoveAccount(ctx, db, u, o.Actor, o.now()); err != nil {
		return lastClerk(err, "remove", u)
	}
	fmt.Fprintf(o.Stdout, "Removed the %s account of %s <%s>. The audit log keeps what it did, under its email address.\n", u.Role, u.Name, u.Email)
	return nil
}

func runUsersRole(ctx context.Context, o usersOptions) error {
	role := store.Role(o.Args[1])
	if role != store.RoleOfficer && role != store.RoleClerk {
		return fmt.Errorf("role %q: use officer or clerk", o.Args[1])
	}
	db, u, err := openAccount(ctx, o.Database, o.Args[0])
	if err != nil {
		return err
	}
	defer db.Close()
	changed, dropped, err := portal.SetAccountRole(ctx, db, u, role, o.Actor, o.now())
	if err != nil {
		return lastClerk(err, "make an officer of", u)
	}
	if !changed {
		fmt.Fprintf(o.Stdout, "%s <%s> is already %s: nothing changed.\n", u.Name, u.Email, aRole(role))
		return nil
	}
	fmt.Fprintf(o.Stdout, "%s <%s> is now %s", u.Name, u.Email, aRole(role))
	switch {
	case len(dropped) > 0:
		fmt.Fprintf(o.Stdout, "; a clerk answers for no lead owners, so they no longer answer for %s.\n", joinAnd(dropped))
	case role == store.RoleOfficer:
		fmt.Fprintf(o.Stdout, ".\nThey answer for no lead owners yet, so they have no returns to make: papers users owners %s \"LEAD OWNER\" sets them.\n", u.Email)
	default:
		fmt.Fprintln(o.Stdout, ".")
	}
	return nil
}

// aRole is "an officer" or "a clerk".
func aRole(r store.Role) string {
	if r == store.RoleOfficer {
		return "an officer"
	}
	return "a " + string(r)
}

func runUsersOwners(ctx context.Context, o usersOptions) error {
	names, err := portal.CleanOwners(o.Args[1:])
	if err != nil {
		return userError(err)
	}
	db, u, err := openAccount(ctx, o.Database, o.Args[0])
	if err != nil {
		return err
	}
	defer db.Close()
	if u.Role != store.RoleOfficer {
		return fmt.Errorf("%s is %s, who answers for no lead owners: make them an officer first (papers users role %s officer)", u.Email, aRole(u.Role), u.Email)
	}
	if err := portal.SetAccountOwners(ctx, db, u, names, o.Actor, o.now()); err != nil {
		return err
	}
	fmt.Fprintf(o.Stdout, "%s <%s> now answers for %s.\n", u.Name, u.Email, joinAnd(names))
	warnUnknownOwners(ctx, db, names, o.Stderr)
	return nil
}

// userError is an account's mistake as the person wrote it, without the
// "invalid account: " of portal.AccountError.
func userError(err error) error {
	var ae *portal.AccountError
	if errors.As(err, &ae) {
		return errors.New(ae.Msg)
	}
	return err
}

func runUsersReset(ctx context.Context, o usersOptions) error {
	db, u, err := openAccount(ctx, o.Database, o.Args[0])
	if err != nil {
		return err
	}
	defer db.Close()
	password, err := portal.ResetPassword(ctx, db, u, o.Actor, o.now(), 0)
	if err != nil {
		return err
	}
	fmt.Fprintf(o.Stdout, "Reset the password of %s <%s>, and signed them out everywhere.\n\n", u.Name, u.Email)
	printOneTimePassword(o.Stdout, password)
	if u.Disabled {
		fmt.Fprintf(o.Stdout, "\nThe account is disabled: it cannot sign in until papers users enable %s.\n", u.Email)
	}
	return nil
}

func runUsersUnlock(ctx context.Context, o usersOptions) error {
	db, u, err := openAccount(ctx, o.Database, o.Args[0])
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := portal.UnlockAccount(ctx, db, u, o.Actor, o.now())
	if err != nil {
		return err
	}
	fmt.Fprintf(o.Stdout, "Forgot %d %s for %s <%s>: they can sign in now.\n", n, pick(int(n), "failed sign-in", "failed sign-ins"), u.Name, u.Email)
	return nil
}
