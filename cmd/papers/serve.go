package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"papers/internal/notify"
	"papers/internal/pipeline"
	"papers/internal/plan"
	"papers/internal/portal"
	"papers/internal/returns"
	"papers/internal/schedule"
	"papers/internal/store"
	"papers/internal/workbook"
)

// portalConfig is the portal: section of config.yaml.
type portalConfig struct {
	Address        string `mapstructure:"address"`
	Database       string `mapstructure:"database"`
	UploadLimitMiB int64  `mapstructure:"upload_limit_mib"`
	UnzipLimitMiB  int64  `mapstructure:"unzip_limit_mib"`
	SessionHours   int    `mapstructure:"session_hours"`
	ShutdownSecs   int    `mapstructure:"shutdown_seconds"`
	Cookie         struct {
		Secure bool `mapstructure:"secure"`
	} `mapstructure:"cookie"`
	TLS struct {
		Cert string `mapstructure:"cert"`
		Key  string `mapstructure:"key"`
	} `mapstructure:"tls"`
	// TrustedProxies are addresses or CIDR ranges of the proxies in front
	// of the portal, whose X-Forwarded-For names the client.
	TrustedProxies []string       `mapstructure:"trusted_proxies"`
	proxies        []netip.Prefix // TrustedProxies, read
	// BaseURL is the portal's address as people's browsers reach it
	// (https://papers.example.gov.uk): the identity provider sends them
	// back to it.
	BaseURL string `mapstructure:"base_url"`
	// Passwords: people may sign in with a password. Off, only with the
	// identity provider.
	Passwords bool       `mapstructure:"passwords"`
	OIDC      oidcConfig `mapstructure:"oidc"`
}

// oidcConfig is portal.oidc: the council's identity provider.
type oidcConfig struct {
	Issuer           string   `mapstructure:"issuer"`
	ClientID         string   `mapstructure:"client_id"`
	ClientSecretFile string   `mapstructure:"client_secret_file"`
	RedirectURL      string   `mapstructure:"redirect_url"`
	Scopes           []string `mapstructure:"scopes"`
	Label            string   `mapstructure:"label"`
}

// oidcSecretEnv is the environment variable that may hold the identity
// provider's client secret instead of portal.oidc.client_secret_file.
const oidcSecretEnv = "PAPERS_OIDC_CLIENT_SECRET"

// oidcSettings reads portal.oidc into the portal's settings, with the
// client secret from its file or the environment; a zero OIDC when there
// is no issuer.
func (pc portalConfig) oidcSettings(cfg *config, getenv func(string) string) (portal.OIDC, error) {
	o := pc.OIDC
	if o.Issuer == "" {
		if !pc.Passwords {
			return portal.OIDC{}, fmt.Errorf("config %s: portal.passwords is false but portal.oidc.issuer is empty: nobody could sign in (set up portal.oidc, or set portal.passwords to true)", cfg.name())
		}
		return portal.OIDC{}, nil
	}
	where := fmt.Sprintf("config %s: portal.oidc", cfg.name())
	secret := getenv(oidcSecretEnv)
	if o.ClientSecretFile != "" {
		path := cfg.resolve(o.ClientSecretFile)
		b, err := readSmallFile(path, 4096)
		if err != nil {
			return portal.OIDC{}, fmt.Errorf("%s.client_secret_file: %v", where, err)
		}
		secret = strings.TrimSpace(string(b))
		if secret == "" {
			return portal.OIDC{}, fmt.Errorf("%s.client_secret_file: %s is empty", where, path)
		}
	}
	if secret == "" {
		return portal.OIDC{}, fmt.Errorf("%s: no client secret: put it in a file named by client_secret_file (readable only by the portal's user), or in the environment variable %s", where, oidcSecretEnv)
	}
	redirect := o.RedirectURL
	if redirect == "" {
		if pc.BaseURL == "" {
			return portal.OIDC{}, fmt.Errorf("%s: set portal.base_url (the portal's address, e.g. https://papers.example.gov.uk) or portal.oidc.redirect_url", where)
		}
		redirect = strings.TrimSuffix(pc.BaseURL, "/") + portal.OIDCCallbackPath
	}
	out := portal.OIDC{Issuer: o.Issuer, ClientID: o.ClientID, ClientSecret: secret, RedirectURL: redirect, Scopes: o.Scopes, Label: o.Label}
	if err := portal.ValidateOIDC(out); err != nil {
		return portal.OIDC{}, fmt.Errorf("%s: %v", where, err)
	}
	return out, nil
}

// readSmallFile reads a file of at most limit bytes.
func readSmallFile(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s is longer than %d bytes: it should hold only the client secret", path, limit)
	}
	return b, nil
}

func defaultPortalConfig() portalConfig {
	return portalConfig{Address: "127.0.0.1:8080", Database: "data/papers.db", UploadLimitMiB: 10, UnzipLimitMiB: 100, SessionHours: 8, ShutdownSecs: 30, Passwords: true}
}

// loadPortalConfig reads the portal: section of the config file, over the
// defaults.
func loadPortalConfig(cfg *config) (portalConfig, error) {
	pc := defaultPortalConfig()
	if cfg.path == "" {
		return pc, nil
	}
	v := viper.New()
	v.SetConfigFile(cfg.path)
	v.SetConfigType("yaml")
	if err := v.ReadInConfig(); err != nil {
		return pc, fmt.Errorf("config %s: %v", cfg.name(), err)
	}
	if err := v.UnmarshalKey("portal", &pc); err != nil {
		return pc, fmt.Errorf("config %s: portal: %v", cfg.name(), err)
	}
	if (pc.TLS.Cert == "") != (pc.TLS.Key == "") {
		return pc, fmt.Errorf("config %s: portal.tls: give both cert and key, or neither", cfg.name())
	}
	var err error
	if pc.proxies, err = parseProxies(pc.TrustedProxies); err != nil {
		return pc, fmt.Errorf("config %s: portal.trusted_proxies: %v", cfg.name(), err)
	}
	return pc, nil
}

// parseProxies reads portal.trusted_proxies: addresses ("10.0.0.5") or
// ranges ("10.0.0.0/24").
func parseProxies(list []string) ([]netip.Prefix, error) {
	var ps []netip.Prefix
	for _, s := range list {
		s = strings.TrimSpace(s)
		if p, err := netip.ParsePrefix(s); err == nil {
			ps = append(ps, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(s)
		if err != nil {
			return nil, fmt.Errorf("%q is neither an address (10.0.0.5) nor a range (10.0.0.0/24)", s)
		}
		ps = append(ps, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return ps, nil
}

type serveOptions struct {
	cfg            *config
	Address        string
	Database       string
	TLSCert        string
	TLSKey         string
	SecureCookies  bool
	TrustedProxies []netip.Prefix
	UploadLimit    int64
	UnzipLimit     int64
	OIDC           portal.OIDC
	PasswordsOff   bool
	SessionTTL     time.Duration
	ShutdownGrace  time.Duration
	OutputDir      string
	ReportName     string
	ReturnPassword string // protects the returns' sheets (returns.password in config)
	Mail           mailSetup

	Stdout, Stderr io.Writer
	// Listening, if set, is told the address once the portal listens.
	Listening func(addr string)
}

func newServeCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the web portal for officers' returns and the clerk's quarter",
		Long: `Serve runs the portal: officers sign in, download their pre-filled return,
upload it completed, check what it changes and submit it; the clerk opens a
quarter, chases outstanding returns (the chase list as CSV), accepts the
quarter's statement, builds the report and downloads its PDF, DOCX and JSON.

The address, the history database and the cookie and upload settings are in
the portal: section of config.yaml. Create the first clerk account with
"papers users add". People may also sign in with the council's identity
provider (OpenID Connect: portal.oidc), and passwords can be switched off
(portal.passwords: false). Stop the portal with Ctrl-C (or SIGTERM): uploads in
progress are finished first, for up to portal.shutdown_seconds.

With the mail: section filled in, the portal also sends the email that is
due (see papers notify): reminders before the deadline, chases after it,
receipts for returns, the clerks' note when all are in, and one-time
passwords for accounts the clerk invites or resets.`,
		Example: `  papers serve
  papers serve --addr 127.0.0.1:8443 --db /srv/papers/papers.db`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			cfg.sayDefaults(cmd.ErrOrStderr())
			pc, err := loadPortalConfig(cfg)
			if err != nil {
				return err
			}
			password, err := returnsPassword(cfg)
			if err != nil {
				return err
			}
			idp, err := pc.oidcSettings(cfg, os.Getenv)
			if err != nil {
				return err
			}
			ms, err := loadMailConfig(cfg)
			if err != nil {
				return err
			}
			opts := serveOptions{
				Mail:           ms,
				cfg:            cfg,
				Address:        pc.Address,
				Database:       cfg.resolveDatabase(pc.Database),
				TLSCert:        cfg.resolve(pc.TLS.Cert),
				TLSKey:         cfg.resolve(pc.TLS.Key),
				SecureCookies:  pc.Cookie.Secure,
				TrustedProxies: pc.proxies,
				UploadLimit:    pc.UploadLimitMiB << 20,
				UnzipLimit:     pc.UnzipLimitMiB << 20,
				SessionTTL:     time.Duration(pc.SessionHours) * time.Hour,
				ShutdownGrace:  time.Duration(pc.ShutdownSecs) * time.Second,
				OutputDir:      cfg.resolve("output"),
				ReportName:     or(cfg.Report.Name, "report"),
				ReturnPassword: password,
				OIDC:           idp,
				PasswordsOff:   !pc.Passwords,
				Stdout:         cmd.OutOrStdout(),
				Stderr:         cmd.ErrOrStderr(),
			}
			flags := cmd.Flags()
			if flags.Changed("addr") {
				opts.Address, _ = flags.GetString("addr")
			}
			if flags.Changed("db") {
				opts.Database, _ = flags.GetString("db")
			}
			return runServe(cmd.Context(), opts)
		},
	}
	cmd.Flags().String("addr", "", "the address to listen on (default: portal.address in config, else 127.0.0.1:8080)")
	cmd.Flags().String("db", "", "the history database (default: portal.database in config, else data/papers.db)")
	return cmd
}

// runServe serves the portal until ctx ends (Ctrl-C, SIGTERM).
func runServe(ctx context.Context, o serveOptions) error {
	// A missing or unreadable template is the clerk's to put right before
	// the portal starts, not an error page for each officer's upload.
	if _, err := o.cfg.pipelineSettings(today(), today()); err != nil {
		return err
	}
	// Held while the portal serves, so that papers restore cannot swap the
	// database from under it. PostgreSQL is restored with pg_restore, which
	// papers knows nothing of.
	if !store.IsPostgres(o.Database) {
		lock, err := schedule.AcquireShared(portalLock(o.Database))
		if errors.Is(err, schedule.ErrLocked) {
			return fmt.Errorf("the history database %s is being restored (papers restore): start the portal when it has finished", o.Database)
		}
		if err != nil {
			return err
		}
		defer lock.Release()
	}
	db, err := store.Open(ctx, o.Database)
	if err != nil {
		return err
	}
	defer db.Close()
	logger := newLogger(o.Stderr)
	notifier := serveNotifier(o.Mail, db, logger)
	var (
		submitted func()
		mailer    portal.Mailer // nil: one-time passwords are shown to the clerk
	)
	if notifier != nil {
		submitted = notifier.Wake
		mailer = &notify.Mailer{Sender: notifier.Sender, Settings: o.Mail.Settings, Now: time.Now}
	}
	ingest := o.cfg.ingestOptions()
	ingest.MaxUnzipSize = o.UnzipLimit
	adapter := returnsAdapter{ingest: ingest, password: o.ReturnPassword}
	srv, err := portal.New(portal.Config{
		Store:  db,
		Maker:  adapter,
		Merger: adapter,
		Settings: func(asOf, meeting time.Time) (pipeline.Settings, error) {
			return o.cfg.pipelineSettings(asOf, meeting)
		},
		Ingest:         ingest,
		PlanName:       o.cfg.Report.PlanName,
		OutputDir:      o.OutputDir,
		ReportName:     o.ReportName,
		UploadLimit:    o.UploadLimit,
		SecureCookies:  o.SecureCookies,
		SessionTTL:     o.SessionTTL,
		TrustedProxies: o.TrustedProxies,
		OIDC:           o.OIDC,
		PasswordsOff:   o.PasswordsOff,
		Submitted:      submitted,
		Mailer:         mailer,
		Logger:         logger,
	})
	if err != nil {
		return err
	}
	spec, err := cronSpec(o.cfg)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.Address)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %v (is another program using it? set portal.address in config or give --addr)", o.Address, err)
	}
	scheme := "http"
	if o.TLSCert != "" {
		scheme = "https"
	}
	fmt.Fprintf(o.Stdout, "papers: portal at %s://%s (history %s); Ctrl-C stops it\n", scheme, ln.Addr(), store.Describe(o.Database))
	if o.Listening != nil {
		o.Listening(ln.Addr().String())
	}
	// The quarterly job runs beside the portal, once it is listening; on
	// shutdown a run in progress is stopped and recorded before the history
	// closes.
	stopped := make(chan struct{})
	close(stopped)
	var scheduled <-chan struct{} = stopped
	if spec != nil {
		if so, err := scheduledOptionsFrom(o.cfg, o.Database, io.Discard, o.Stderr); err != nil {
			logger.Warn("scheduled runs are off", "reason", err)
		} else {
			scheduled = startSchedule(ctx, spec, so, db, logger)
		}
	}
	// Email that is due (reminders, chases, receipts) is sent beside it.
	notifying := startNotify(ctx, notifier, o.Mail.Every)
	err = srv.Serve(ctx, ln, o.TLSCert, o.TLSKey, o.ShutdownGrace)
	<-scheduled
	<-notifying
	if err != nil {
		return err
	}
	fmt.Fprintln(o.Stdout, "papers: portal stopped")
	return nil
}

// returnsAdapter gives the portal package returns' returns: the portal
// declares what it needs (portal.ReturnMaker, portal.ReturnMerger), and
// this puts returns.Blank, returns.Merge and the workbook package's return
// reader and writers behind it.
type returnsAdapter struct {
	ingest   workbook.Options
	password string
}

// ReturnWorkbook writes owner's return for a quarter, made from latest.
func (a returnsAdapter) ReturnWorkbook(ctx context.Context, latest *plan.Statement, owner, quarter string, deadline time.Time) ([]byte, error) {
	q, err := returns.ParseQuarter(quarter)
	if err != nil {
		return nil, err
	}
	for _, r := range returns.Blank(latest, q, deadline) {
		if r.Owner == "" || !plan.SameOwner(r.Owner, owner) {
			continue
		}
		var b bytes.Buffer
		if err := workbook.WriteReturn(&b, r, workbook.WriteOptions{Password: a.password}); err != nil {
			return nil, fmt.Errorf("write the return for %s: %w", owner, err)
		}
		return b.Bytes(), ctx.Err()
	}
	return nil, portal.ErrNothingToReturn
}

// Merge reads each return and merges those that can be into latest.
func (a returnsAdapter) Merge(latest *plan.Statement, quarter string, files []portal.ReturnFile, choose map[string]string) (portal.Merged, error) {
	q, err := returns.ParseQuarter(quarter)
	if err != nil {
		return portal.Merged{}, err
	}
	results := make([]portal.ReturnResult, len(files))
	byName := map[string]int{} // the name each return is read under → its index
	var rets []*returns.Return
	for i, f := range files {
		name := f.Name
		if _, dup := byName[name]; dup {
			name = fmt.Sprintf("%s (%s)", f.Name, f.Owner)
		}
		byName[name] = i
		r, err := workbook.ReadReturn(bytes.NewReader(f.Bytes), name, a.ingest)
		var werr *workbook.Error
		switch {
		case errors.As(err, &werr):
			results[i].Rejected = forOfficer(werr)
			continue
		case err != nil:
			return portal.Merged{}, err
		case r.Owner != "" && !plan.SameOwner(r.Owner, f.Owner):
			results[i].Rejected = fmt.Sprintf("This is the return for %s, not for %s.", r.Owner, f.Owner)
			continue
		}
		for _, l := range r.Lines {
			ref := strings.TrimSpace(l.Ref)
			results[i].Refs = append(results[i].Refs, ref)
			if !l.Filled() {
				results[i].Blank = append(results[i].Blank, ref)
			}
		}
		rets = append(rets, r)
	}
	res := returns.Merge(latest, rets, returns.Options{Quarter: q.String(), Choose: choose})
	for _, rej := range res.Rejected {
		i, ok := byName[rej.File]
		if !ok {
			continue
		}
		rr := &results[i]
		if rej.Reason != "" {
			rr.Rejected = "The workbook " + rej.Reason + "."
			continue
		}
		rr.Rejected = fmt.Sprintf("%d locked %s changed: the grey cells must stay as they were.", len(rej.Change), pick(len(rej.Change), "cell was", "cells were"))
		for _, c := range rej.Change {
			msg := fmt.Sprintf("the %s of %s was changed from %q to %q", c.Field, c.Ref, c.Old, c.New)
			if c.Field == returns.FieldRef {
				msg = fmt.Sprintf("the ref %q is not an action of the statement, or was changed", c.New)
			}
			rr.Problems = append(rr.Problems, plan.Problem{Cell: c.Cell, Severity: plan.SeverityError, Message: msg})
		}
	}
	for _, w := range res.Warnings {
		if i, ok := byName[w.File]; ok {
			msg := w.Message
			if w.Ref != "" {
				msg = w.Ref + ": " + msg
			}
			results[i].Problems = append(results[i].Problems, plan.Problem{Cell: w.Cell, Severity: plan.SeverityWarning, Message: msg})
		}
	}
	var conflicts, resolved []portal.Conflict
	for _, c := range res.Conflicts {
		pc := portal.Conflict{Key: c.Key(), Ref: c.Ref, Field: c.Field.String(), Message: c.String(), Chosen: c.Chosen}
		for _, v := range c.Values {
			pv := portal.ConflictValue{Text: v.Text}
			for _, o := range v.From {
				pc.Owners = appendNew(pc.Owners, o.Name())
				pv.From = appendNew(pv.From, o.Name())
			}
			pc.Values = append(pc.Values, pv)
		}
		if c.Resolved() {
			resolved = append(resolved, pc)
		} else {
			conflicts = append(conflicts, pc)
		}
	}
	res.Statement.File = q.String() + " position statement.xlsx"
	var b bytes.Buffer
	if err := workbook.WriteStatement(&b, res.Statement, workbook.WriteOptions{Created: q.Start()}); err != nil {
		return portal.Merged{}, fmt.Errorf("write the merged statement: %w", err)
	}
	return portal.Merged{Statement: res.Statement, Workbook: b.Bytes(), Returns: results, Conflicts: conflicts, Resolved: resolved}, nil
}

// forOfficer says why a workbook uploaded as a return cannot be read, in an
// officer's words: the reader's hints may name papers' commands, which
// officers never see.
func forOfficer(err *workbook.Error) string {
	if errors.Is(err, workbook.ErrNotReturn) {
		return "This workbook is not a return: none of its sheets has a return's columns (Ref, Action, Update, Previous update and the rest). " +
			"It may be the position statement, or another workbook."
	}
	return err.Error()
}
