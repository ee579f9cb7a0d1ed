package portal

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"papers/internal/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticRoot embed.FS

var staticFS, _ = fs.Sub(staticRoot, "static")

// staticFiles serves the files of static, and the 404 page for anything
// else: a folder is never listed.
func (s *Server) staticFiles() http.Handler {
	files := http.FileServerFS(staticFS)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if fi, err := fs.Stat(staticFS, r.URL.Path); err != nil || fi.IsDir() {
			s.notFound(w, r)
			return
		}
		files.ServeHTTP(w, r)
	})
}

// page is what every template gets.
type page struct {
	Title  string
	V      *visitor // nil when signed out
	CSRF   string
	Errors []fieldError
	Notice string
	// Warnings are for the visitor to check: what they did was done, but
	// may not be what they meant.
	Warnings []string
	Data     any
	// NoPasswords: people sign in only with the identity provider, so
	// there is no password to change.
	NoPasswords bool
}

// fieldError is a problem to list in the page's error summary; Field is
// the id of the input it is about, if any.
type fieldError struct {
	Field   string
	Message string
}

var funcs = template.FuncMap{
	"day": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format("2 January 2006")
	},
	"iso": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format("2006-01-02")
	},
	"when": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(london).Format("2 Jan 2006 15:04")
	},
	"short": func(s string) string { return shorten(s, 140) },
	"fileKind": func(ext string) string {
		switch ext {
		case "pdf":
			return "PDF"
		case "docx":
			return "Word (DOCX)"
		case "html":
			return "web page (HTML)"
		case "json":
			return "data (JSON)"
		}
		return strings.ToUpper(ext)
	},
	"join":   strings.Join,
	"plural": plural,
	"add":    func(a, b int) int { return a + b },
}

// london is the time zone people read times in; UTC if the system has no
// zone database.
var london = func() *time.Location {
	if l, err := time.LoadLocation("Europe/London"); err == nil {
		return l
	}
	return time.UTC
}()

func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return strings.TrimSpace(string(r[:n-1])) + "…"
	}
	return s
}

// parsePages parses each page template with the layout.
func parsePages() (map[string]*template.Template, error) {
	layout, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		base := path.Base(n)
		if base == "layout.html" {
			continue
		}
		t, err := template.Must(layout.Clone()).ParseFS(templateFS, n)
		if err != nil {
			return nil, err
		}
		pages[strings.TrimSuffix(base, ".html")] = t
	}
	return pages, nil
}

// render writes a page with status. The page is rendered in full before
// anything is sent, so a template error gives a clean 500.
func (s *Server) render(w http.ResponseWriter, r *http.Request, v *visitor, status int, name string, p page) {
	p.V = v
	p.CSRF = s.csrfToken(v)
	p.NoPasswords = !s.cfg.Passwords()
	t := s.pages[name]
	if t == nil {
		s.serverError(w, r, v, fmt.Errorf("no template %q", name))
		return
	}
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, "layout.html", p); err != nil {
		s.serverError(w, r, v, fmt.Errorf("render %s: %w", name, err))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b.Bytes())
}

type errorData struct {
	Status  int
	Message string
	// Reference is the request's ID, for a person to quote when they
	// report the problem.
	Reference string
}

// administrator is who to ask about the service itself: whoever runs papers
// for the council.
const administrator = "the administrator who runs this portal"

// accountKeeper is who to ask about accounts: a clerk, who sets them up,
// resets passwords, unlocks accounts and sets the lead owners an officer
// answers for on the Accounts page.
const accountKeeper = "a clerk"

// errorPage shows a message a person can act on, with status.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, v *visitor, status int, title, message string) {
	s.render(w, r, v, status, "error", page{Title: title, Data: errorData{Status: status, Message: message, Reference: requestID(r.Context())}})
}

// serverError is our fault, not the user's: it is logged in full, and the
// page says only that something went wrong.
func (s *Server) serverError(w http.ResponseWriter, r *http.Request, v *visitor, err error) {
	s.log.ErrorContext(r.Context(), "portal error", "method", r.Method, "path", r.URL.Path, "err", err)
	t := s.pages["error"]
	var b bytes.Buffer
	p := page{Title: "Sorry, there is a problem with the service", V: v, CSRF: s.csrfToken(v), Data: errorData{
		Status:    http.StatusInternalServerError,
		Message:   "Something went wrong on our side. Nothing you sent was lost or half-saved: try again later, and tell " + administrator + " if it keeps happening.",
		Reference: requestID(r.Context()),
	}}
	if t == nil || t.ExecuteTemplate(&b, "layout.html", p) != nil {
		http.Error(w, "Sorry, there is a problem with the service.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	w.Write(b.Bytes())
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	v, _ := s.visitorOf(r)
	s.errorPage(w, r, v, http.StatusNotFound, "Page not found", "If you typed the web address, check it is correct. Otherwise go back to the start page.")
}

func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }
