package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/spf13/viper"

	"papers/internal/mail"
	"papers/internal/notify"
	"papers/internal/portal"
	"papers/internal/store"
)

// mailConfig is the mail: section of config.yaml: the SMTP server the
// portal's email goes through, and when reminders go.
type mailConfig struct {
	Host         string `mapstructure:"host"`
	Port         int    `mapstructure:"port"`
	Username     string `mapstructure:"username"`
	Password     string `mapstructure:"password"`
	PasswordFile string `mapstructure:"password_file"`
	PasswordEnv  string `mapstructure:"password_env"`
	From         string `mapstructure:"from"`
	TLS          string `mapstructure:"tls"`
	CAFile       string `mapstructure:"ca_file"`
	TimeoutSecs  int    `mapstructure:"timeout_seconds"`
	PortalURL    string `mapstructure:"portal_url"`
	ReminderDays *int   `mapstructure:"reminder_days"` // nil: the default; 0: no reminders
	EveryMinutes int    `mapstructure:"every_minutes"`
}

// mailSetup is the mail: section, read and checked.
type mailSetup struct {
	Mail     *mail.Config // nil: no SMTP server configured, email is off
	Settings notify.Settings
	Every    time.Duration
}

// loadMailConfig reads and checks the mail: section. With no mail.host,
// email is off and Mail is nil; the settings still shape a dry run's
// messages.
func loadMailConfig(cfg *config) (mailSetup, error) {
	var mc mailConfig
	if cfg.path != "" {
		v := viper.New()
		v.SetConfigFile(cfg.path)
		v.SetConfigType("yaml")
		if err := v.ReadInConfig(); err != nil {
			return mailSetup{}, fmt.Errorf("config %s: %v", cfg.name(), err)
		}
		if err := v.UnmarshalKey("mail", &mc); err != nil {
			return mailSetup{}, fmt.Errorf("config %s: mail: %v", cfg.name(), err)
		}
	}
	where := "config " + cfg.name() + ": mail"
	ms := mailSetup{
		Settings: notify.Settings{Council: cfg.Council, PortalURL: strings.TrimRight(strings.TrimSpace(mc.PortalURL), "/")},
		Every:    notify.DefaultEvery,
	}
	if cfg.Council == defaultCouncil {
		ms.Settings.Council = ""
	}
	if ms.Settings.PortalURL != "" {
		u, err := url.Parse(ms.Settings.PortalURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return ms, fmt.Errorf("%s.portal_url %q: write the portal's address as people open it, e.g. https://papers.council.gov.uk", where, mc.PortalURL)
		}
	}
	switch {
	case mc.ReminderDays == nil:
	case *mc.ReminderDays < 0 || *mc.ReminderDays > 60:
		return ms, fmt.Errorf("%s.reminder_days %d: give a number of days from 0 (no reminders) to 60", where, *mc.ReminderDays)
	case *mc.ReminderDays == 0:
		ms.Settings.ReminderDays = -1
	default:
		ms.Settings.ReminderDays = *mc.ReminderDays
	}
	if mc.EveryMinutes < 0 || mc.EveryMinutes > 24*60 {
		return ms, fmt.Errorf("%s.every_minutes %d: give minutes from 1 to 1440", where, mc.EveryMinutes)
	} else if mc.EveryMinutes > 0 {
		ms.Every = time.Duration(mc.EveryMinutes) * time.Minute
	}
	if strings.TrimSpace(mc.Host) == "" {
		return ms, nil
	}
	mc.PasswordFile = cfg.resolve(mc.PasswordFile)
	password, err := mailPassword(mc, where)
	if err != nil {
		return ms, err
	}
	mcfg := mail.Config{Host: strings.TrimSpace(mc.Host), Port: mc.Port, Username: mc.Username, Password: password,
		From: mc.From, TLS: mail.TLS(strings.ToLower(strings.TrimSpace(mc.TLS))), Timeout: time.Duration(mc.TimeoutSecs) * time.Second}
	if mc.CAFile != "" {
		if mcfg.RootCAs, err = mail.LoadCAs(cfg.resolve(mc.CAFile)); err != nil {
			return ms, fmt.Errorf("config %s: %v", cfg.name(), err)
		}
	}
	if _, err := mail.New(mcfg); err != nil {
		return ms, fmt.Errorf("config %s: %v", cfg.name(), err)
	}
	ms.Mail = &mcfg
	return ms, nil
}

// mailPassword is the SMTP password: from a file (best: readable by the
// service's user only), an environment variable, or the config itself.
func mailPassword(mc mailConfig, where string) (string, error) {
	given := 0
	for _, s := range []string{mc.Password, mc.PasswordFile, mc.PasswordEnv} {
		if s != "" {
			given++
		}
	}
	switch {
	case given > 1:
		return "", fmt.Errorf("%s: give one of password, password_file and password_env, not several", where)
	case mc.Username == "" && given > 0:
		return "", fmt.Errorf("%s: a password is given but no username", where)
	case mc.Username == "":
		return "", nil
	case mc.PasswordFile != "":
		b, err := os.ReadFile(mc.PasswordFile)
		if err != nil {
			return "", fmt.Errorf("%s.password_file: cannot read %s: %s", where, mc.PasswordFile, pathReason(err))
		}
		p := strings.TrimRight(string(b), "\r\n")
		if p == "" {
			return "", fmt.Errorf("%s.password_file %s is empty", where, mc.PasswordFile)
		}
		return p, nil
	case mc.PasswordEnv != "":
		p, ok := os.LookupEnv(mc.PasswordEnv)
		if !ok || p == "" {
			return "", fmt.Errorf("%s.password_env: the environment variable %s is not set", where, mc.PasswordEnv)
		}
		return p, nil
	case mc.Password != "":
		return mc.Password, nil
	}
	return "", fmt.Errorf("%s.username %s has no password: set mail.password_file or mail.password_env", where, mc.Username)
}

// newNotifier is the scheduler's email over db; sender may be nil for a
// dry run.
func newNotifier(db *store.DB, ms mailSetup, sender notify.Sender, now func() time.Time, log *slog.Logger) *notify.Notifier {
	return &notify.Notifier{
		History:   db,
		Sender:    sender,
		Standings: func(ctx context.Context) ([]portal.Standing, error) { return portal.Standings(ctx, db) },
		Settings:  ms.Settings,
		Now:       now,
		Log:       log,
	}
}

// serveNotifier is the scheduler's email inside "papers serve", or nil when
// email is off.
func serveNotifier(ms mailSetup, db *store.DB, log *slog.Logger) *notify.Notifier {
	if ms.Mail == nil {
		log.Info("email is off: set mail.host in config to send reminders, chases and receipts")
		return nil
	}
	sender, err := mail.New(*ms.Mail)
	if err != nil { // checked when the config was read
		log.Error("email is off", "err", err)
		return nil
	}
	log.Info("email on", "server", ms.Mail.Host, "every", ms.Every.String())
	return newNotifier(db, ms, sender, time.Now, log)
}

// startNotify sends the email that is due every ms.Every, and when woken,
// in the background until ctx ends. The returned channel closes when it
// has stopped.
func startNotify(ctx context.Context, n *notify.Notifier, every time.Duration) <-chan struct{} {
	done := make(chan struct{})
	if n == nil {
		close(done)
		return done
	}
	go func() {
		defer close(done)
		n.Loop(ctx, every, time.After)
	}()
	return done
}
