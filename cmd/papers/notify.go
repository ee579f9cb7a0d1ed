package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"papers/internal/mail"
	"papers/internal/notify"
)

type notifyOptions struct {
	Database string
	DryRun   bool
	Mail     mailSetup
	Now      func() time.Time // the scheduler's clock: what is due depends on it
	Stdout   io.Writer
	Stderr   io.Writer
}

func newNotifyCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "notify",
		Short: "Send the email that is due now: reminders, chases, receipts, the clerk's note",
		Long: `Notify sends the portal's email that is due now, as "papers serve" does every
few minutes (mail.every_minutes), each message once:

  - a reminder, mail.reminder_days days before a quarter's deadline (5 unless
    set; 0 for none), to each officer whose lead owners have not returned;
  - a chase the day after the deadline, to those who still have not;
  - a receipt for each return submitted, with the file's SHA-256;
  - a note to the clerks when every lead owner's return is in.

Each is recorded in the history before it is sent, so two portals, or a
portal and this command, never both send it; one that fails is tried again
at a later run. Events more than a week old are not written about.

--dry-run prints each message that would be sent now (recipient, subject and
text) and sends and records nothing; it works before mail.host is set.

The SMTP server and the portal's address for links are in the mail: section
of config.yaml. Exit status: 0 all sent (or nothing due), 1 a message failed
(it will be tried again) or email is not configured.`,
		Example: `  papers notify --dry-run
  papers notify
  # hosts that do not run papers serve: every 15 minutes from cron
  */15 * * * *  cd /srv/papers && papers notify`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			db, err := databasePath(cfg, cmd)
			if err != nil {
				return err
			}
			ms, err := loadMailConfig(cfg)
			if err != nil {
				return err
			}
			o := notifyOptions{Database: db, Mail: ms, Now: time.Now, Stdout: cmd.OutOrStdout(), Stderr: cmd.ErrOrStderr()}
			o.DryRun, _ = cmd.Flags().GetBool("dry-run")
			return runNotify(cmd.Context(), o)
		},
	}
	cmd.Flags().Bool("dry-run", false, "print what would be sent now; send and record nothing")
	cmd.Flags().String("db", "", "the history database (default: portal.database in config)")
	return cmd
}

func runNotify(ctx context.Context, o notifyOptions) error {
	var sender *mail.Sender
	if !o.DryRun {
		if o.Mail.Mail == nil {
			return fmt.Errorf("email is not configured: set mail.host and mail.from in config.yaml (papers notify --dry-run shows what would be sent)")
		}
		var err error
		if sender, err = mail.New(*o.Mail.Mail); err != nil {
			return err
		}
	}
	db, err := openExisting(ctx, o.Database)
	if err != nil {
		return err
	}
	defer db.Close()
	log := slog.New(slog.DiscardHandler)
	if o.DryRun {
		n := newNotifier(db, o.Mail, nil, o.Now, log)
		notes, warnings, err := n.Pending(ctx)
		if err != nil {
			return err
		}
		for _, w := range warnings {
			fmt.Fprintf(o.Stderr, "papers: warning: %s\n", w)
		}
		if len(notes) == 0 {
			fmt.Fprintln(o.Stdout, "papers: no email is due now")
			return nil
		}
		for i, d := range notes {
			if i > 0 {
				fmt.Fprintln(o.Stdout)
			}
			fmt.Fprintf(o.Stdout, "--- %d of %d: %s\nTo: %s\nSubject: %s\n\n%s", i+1, len(notes), d.Key.Kind, d.Message.To, d.Message.Subject, d.Message.Text)
		}
		fmt.Fprintf(o.Stdout, "\npapers: dry run: %s would be sent; nothing was sent or recorded\n", pick(len(notes), "1 email", fmt.Sprintf("%d emails", len(notes))))
		return nil
	}
	res, err := newNotifier(db, o.Mail, sender, o.Now, log).Run(ctx)
	for _, w := range res.Warnings {
		fmt.Fprintf(o.Stderr, "papers: warning: %s\n", w)
	}
	for _, d := range res.Sent {
		fmt.Fprintf(o.Stdout, "sent %s to %s: %s\n", d.Key.Kind, d.Key.Recipient, d.Message.Subject)
	}
	var failed []string
	for _, f := range res.Failed {
		fmt.Fprintf(o.Stderr, "papers: not sent: %s to %s: %v (tried again after %s)\n", f.Note.Key.Kind, f.Note.Key.Recipient, f.Err, f.RetryAt.UTC().Format("15:04 MST"))
		failed = append(failed, f.Note.Key.Recipient)
	}
	if err != nil {
		return err
	}
	if len(failed) > 0 {
		return fmt.Errorf("%d of %d emails could not be sent (to %s); they are kept and tried again at the next run", len(failed), len(failed)+len(res.Sent), strings.Join(failed, ", "))
	}
	if len(res.Sent) == 0 {
		fmt.Fprintln(o.Stdout, "papers: no email is due now")
	}
	return nil
}

var _ notify.Sender = (*mail.Sender)(nil) // the scheduler sends through the SMTP client
