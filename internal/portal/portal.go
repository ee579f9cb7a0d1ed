// Package portal is the web portal for a quarter's returns: officers sign in,
// download their pre-filled return, upload it completed, see what it changes
// and submit it; clerks open a quarter, chase outstanding returns, accept the
// quarter's statement, build the committee report and browse the history.
//
// Pages are rendered on the server with html/template and work without
// JavaScript. The portal keeps nothing of its own on disk besides the report
// files: users, sessions, returns, statements, quarters and the audit log
// are in the history database (package store). It is the only package that
// uses net/http.
package portal

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"papers/internal/pipeline"
	"papers/internal/store"
	"papers/internal/workbook"
)

// Defaults for the zero fields of Config.
const (
	DefaultUploadLimit   = 10 << 20 // bytes
	DefaultUnzipLimit    = 100 << 20
	DefaultSessionTTL    = 8 * time.Hour
	DefaultSignInLimit   = 5  // failed sign-ins per account per window
	DefaultSignInIPLimit = 20 // failed sign-ins per address per window
	DefaultSignInWindow  = 15 * time.Minute
	DefaultReportName    = "report"
)

// Config is what a portal needs. Store and Settings are required.
type Config struct {
	Store *store.DB
	// Maker writes officers' pre-filled returns and Merger applies returns
	// to the latest statement. Either may report ErrUnavailable: the pages
	// then say so and carry on without it.
	Maker  ReturnMaker
	Merger ReturnMerger
	// Settings gives the report's settings (comparison rules, meeting,
	// wording) for a status date and a meeting date.
	Settings func(asOf, meeting time.Time) (pipeline.Settings, error)
	// Ingest says how uploaded workbooks are read; a zero MaxUnzipSize
	// becomes DefaultUnzipLimit.
	Ingest workbook.Options
	// PlanName is the plan's usual name (report.plan_name in config), offered
	// in the clerk's forms so that the history and the scheduled run agree.
	PlanName string
	// OutputDir is where reports are written, as OutputDir/<meeting
	// date>/ReportName.pdf, .docx and .json.
	OutputDir  string
	ReportName string

	UploadLimit int64 // the largest upload accepted, in bytes
	// ParseLimit is how many uploaded workbooks are read at once, and
	// ParseWait how long an upload waits for its turn before the officer
	// is asked to try again.
	ParseLimit int
	ParseWait  time.Duration
	// SecureCookies marks cookies Secure even when the request did not come
	// over TLS (the portal sits behind a proxy that terminates TLS).
	SecureCookies bool
	SessionTTL    time.Duration
	SignInLimit   int
	SignInIPLimit int
	SignInWindow  time.Duration
	// TrustedProxies are the proxies in front of the portal whose
	// X-Forwarded-For is believed, for throttling sign-ins by the client's
	// own address. None by default: behind a proxy that is not listed,
	// every client has the proxy's address.
	TrustedProxies []netip.Prefix
	// OIDC is the council's identity provider, if people may sign in with
	// it; a zero Issuer means they may not.
	OIDC OIDC
	// PasswordsOff switches sign-in with a password off: people sign in
	// only with the identity provider, which OIDC must then give.
	PasswordsOff bool
	// Mailer sends new accounts' and reset one-time passwords by email;
	// nil: the Accounts page shows them once, for the clerk to pass on.
	Mailer Mailer

	// Submitted, if set, is called after a return is stored: the
	// scheduler's email uses it to send the receipt (and the clerk's note
	// when every return is in) now rather than at its next pass. It must
	// not block.
	Submitted func()

	// Now is the clock for sessions, rate limits and the audit log.
	Now    func() time.Time
	Logger *slog.Logger
}

// Passwords reports whether people may sign in with a password.
func (c Config) Passwords() bool { return !c.PasswordsOff }

// Server is the portal: an http.Handler.
type Server struct {
	cfg      Config
	db       *store.DB
	mux      *http.ServeMux
	pages    map[string]*template.Template
	limiter  *limiter
	quarters *quarterBook
	parsing  chan struct{} // a place for each upload being read or stored (holdsUpload)
	oneTime  shownOnce     // one-time passwords waiting to be shown to the clerk
	log      *slog.Logger
	idp      *identityProvider // nil without an identity provider
	// anonKey signs the sign-in form's CSRF token, which is bound to a
	// cookie set before sign-in, and seals a sign-in with the identity
	// provider while it is under way. It is kept in the history database,
	// so every portal process on it accepts what another served.
	anonKey []byte
}

// New returns a portal for cfg.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil {
		return nil, errors.New("portal: no store")
	}
	if cfg.Settings == nil {
		return nil, errors.New("portal: no report settings")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Maker == nil || cfg.Merger == nil {
		return nil, errors.New("portal: no return maker or merger (use one that reports ErrUnavailable)")
	}
	setDefault(&cfg.UploadLimit, DefaultUploadLimit)
	setDefault(&cfg.ParseLimit, DefaultParseLimit)
	setDefault(&cfg.ParseWait, DefaultParseWait)
	setDefault(&cfg.Ingest.MaxUnzipSize, DefaultUnzipLimit)
	setDefault(&cfg.SessionTTL, DefaultSessionTTL)
	setDefault(&cfg.SignInLimit, DefaultSignInLimit)
	setDefault(&cfg.SignInIPLimit, DefaultSignInIPLimit)
	setDefault(&cfg.SignInWindow, DefaultSignInWindow)
	if cfg.ReportName == "" {
		cfg.ReportName = DefaultReportName
	}
	if cfg.OutputDir == "" {
		cfg.OutputDir = "output"
	}
	pages, err := parsePages()
	if err != nil {
		return nil, fmt.Errorf("portal: %w", err)
	}
	s := &Server{
		cfg:      cfg,
		db:       cfg.Store,
		pages:    pages,
		limiter:  &limiter{db: cfg.Store, perAccount: cfg.SignInLimit, perAddress: cfg.SignInIPLimit, window: cfg.SignInWindow},
		quarters: &quarterBook{db: cfg.Store},
		parsing:  make(chan struct{}, cfg.ParseLimit),
		log:      slog.New(contextHandler{cfg.Logger.Handler()}),
	}
	kctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	s.anonKey, err = cfg.Store.PortalKey(kctx, "signin")
	cancel()
	if err != nil {
		return nil, fmt.Errorf("portal: %w", err)
	}
	if cfg.OIDC.Issuer != "" {
		if err := ValidateOIDC(cfg.OIDC); err != nil {
			return nil, fmt.Errorf("portal: identity provider: %w", err)
		}
		s.idp = newIdentityProvider(cfg.OIDC, s.now)
		// Discovered now, so that a mistake shows at start-up; a provider
		// that cannot be reached must not stop password sign-in, so it is
		// asked again when someone next signs in with it.
		if _, _, err := s.idp.discover(context.Background()); err != nil {
			s.log.Warn("the identity provider cannot be reached: sign-in with it will be tried again when someone uses it", "issuer", cfg.OIDC.Issuer, "err", err, "passwords", cfg.Passwords())
		} else {
			s.log.Info("sign-in with the identity provider is on", "issuer", cfg.OIDC.Issuer, "passwords", cfg.Passwords())
		}
	} else if cfg.PasswordsOff {
		return nil, errors.New("portal: passwords are switched off but there is no identity provider: nobody could sign in")
	}
	s.routes()
	return s, nil
}

func setDefault[T int | int64 | time.Duration](v *T, def T) {
	if *v <= 0 {
		*v = def
	}
}

// Routes. Who may use each is in routes' wrappers: public, signedIn,
// officer, clerk.
func (s *Server) routes() {
	m := http.NewServeMux()
	m.Handle("GET /static/", http.StripPrefix("/static/", s.staticFiles()))
	m.HandleFunc("GET /{$}", s.home)
	m.HandleFunc("GET /healthz", s.healthz)
	m.HandleFunc("GET /signin", s.signInPage)
	m.HandleFunc("POST /signin", s.signIn)
	m.HandleFunc("GET /signin/oidc", s.oidcStart)
	m.HandleFunc("GET /signin/oidc/callback", s.oidcCallback) // OIDCCallbackPath
	m.HandleFunc("GET /signout", s.signOutPage)
	m.Handle("POST /signout", s.signedIn(s.signOut))
	m.Handle("GET /password", s.signedIn(s.passwordPage))
	m.Handle("POST /password", s.signedIn(s.changePassword))

	m.Handle("GET /officer", s.officer(s.officerHome))
	m.Handle("GET /officer/quarters/{plan}/{quarter}/return", s.officer(s.downloadReturn))
	m.Handle("POST /officer/quarters/{plan}/{quarter}/upload", s.officer(s.holdsUpload(s.uploadReturn)))
	m.Handle("GET /officer/quarters/{plan}/{quarter}/check/{id}", s.officer(s.holdsUpload(s.checkPage)))
	m.Handle("POST /officer/quarters/{plan}/{quarter}/submit", s.officer(s.holdsUpload(s.submitReturn)))
	m.Handle("GET /officer/quarters/{plan}/{quarter}/returns/{id}", s.officer(s.officerReturn))

	m.Handle("GET /clerk", s.clerk(s.clerkHome))
	m.Handle("POST /clerk/quarters", s.clerk(s.createQuarter))
	m.Handle("POST /clerk/statements", s.clerk(s.holdsUpload(s.uploadStatement)))
	m.Handle("POST /clerk/statements/{id}/withdraw", s.clerk(s.withdrawStatement))
	m.Handle("GET /clerk/quarters/{plan}/{quarter}", s.clerk(s.quarterPage))
	m.Handle("GET /clerk/quarters/{plan}/{quarter}/chase.csv", s.clerk(s.chaseCSV))
	m.Handle("POST /clerk/quarters/{plan}/{quarter}/choose", s.clerk(s.chooseValue))
	m.Handle("POST /clerk/quarters/{plan}/{quarter}/accept", s.clerk(s.acceptQuarter))
	m.Handle("POST /clerk/quarters/{plan}/{quarter}/report", s.clerk(s.buildReport))
	m.Handle("GET /clerk/quarters/{plan}/{quarter}/report/{file}", s.clerk(s.downloadReport))
	m.Handle("GET /clerk/quarters/{plan}/{quarter}/statement.xlsx", s.clerk(s.mergedFile))
	m.Handle("POST /clerk/quarters/{plan}/{quarter}/returns", s.clerk(s.holdsUpload(s.enterReturn)))
	m.Handle("GET /clerk/quarters/{plan}/{quarter}/returns/{id}", s.clerk(s.clerkReturn))
	m.Handle("GET /clerk/quarters/{plan}/{quarter}/returns/{id}/file", s.clerk(s.returnFile))
	m.Handle("GET /clerk/statements/{id}/file", s.clerk(s.statementFile))
	m.Handle("GET /clerk/plans/{plan}/history", s.clerk(s.history))
	m.Handle("GET /clerk/audit", s.clerk(s.auditPage))
	m.Handle("GET /clerk/audit.csv", s.clerk(s.auditCSV))
	m.Handle("GET /clerk/accounts", s.clerk(s.accountsPage))
	m.Handle("POST /clerk/accounts/invite", s.clerk(s.inviteOwner))
	m.Handle("GET /clerk/accounts/{id}", s.clerk(s.accountPage))
	m.Handle("POST /clerk/accounts/{id}/disable", s.clerk(s.disableAccount))
	m.Handle("POST /clerk/accounts/{id}/enable", s.clerk(s.enableAccount))
	m.Handle("POST /clerk/accounts/{id}/remove", s.clerk(s.removeAccount))
	m.Handle("POST /clerk/accounts/{id}/role", s.clerk(s.changeRole))
	m.Handle("POST /clerk/accounts/{id}/owners", s.clerk(s.changeOwners))
	m.Handle("POST /clerk/accounts/{id}/reset", s.clerk(s.resetAccount))
	m.Handle("POST /clerk/accounts/{id}/unlock", s.clerk(s.unlockAccount))
	m.HandleFunc("/", s.notFound)
	s.mux = m
}

// ServeHTTP serves the portal with its security headers on every response.
// Every request gets an ID, sent back as X-Request-ID, added to every log
// line it causes and shown on an error page, so a person reporting a
// problem can quote it and the administrator can find it.
func (s *Server) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	start := s.cfg.Now()
	id := s.newRequestID(r)
	r = r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id))
	w := &statusWriter{ResponseWriter: rw}
	defer s.logRequest(r, w, start)
	h := w.Header()
	h.Set("X-Request-ID", id)
	h.Set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	// Over HTTPS, browsers are told to use nothing else here for a year:
	// a later plain-HTTP link cannot expose a session. Not over plain HTTP,
	// where the header means nothing and a portal on the council's network
	// may have no certificate.
	if r.TLS != nil || s.cfg.SecureCookies {
		h.Set("Strict-Transport-Security", "max-age=31536000")
	}
	if r.URL.Path != "/static/style.css" {
		h.Set("Cache-Control", "no-store")
	}
	s.mux.ServeHTTP(w, r)
}

// healthz tells a monitor or load balancer whether the portal can serve:
// 200 "ok" when the history database answers a query, 503 when it does not.
// It is public and touches no session.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), healthzWait)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if _, err := s.db.SchemaVersion(ctx); err != nil {
		s.log.WarnContext(r.Context(), "health check: the history database does not answer", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, "the history database does not answer\n")
		return
	}
	io.WriteString(w, "ok\n")
}

// healthzWait is how long a health check waits for the history database.
const healthzWait = 5 * time.Second

func (s *Server) now() time.Time { return s.cfg.Now().UTC() }
