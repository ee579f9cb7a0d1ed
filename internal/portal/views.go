package portal

import (
	"encoding/csv"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"papers/internal/export"
	"papers/internal/plan"
	"papers/internal/store"
)

// What the clerk can open and download: every version of every return, the
// statement an acceptance would store, every statement in the history, and
// the audit log. Every file is sent with its own Content-Type, as an
// attachment with a safe name (sendFile), and, like every response but the
// style sheet, never stored by the browser (ServeHTTP's no-store).

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// returnView is a stored return's page.
type returnView struct {
	Quarter  Quarter
	Record   store.ReturnRecord
	Actions  []plan.Action
	Versions []store.ReturnRecord // every version of the owner's return, oldest first
	// Entered is set when the return was entered by someone other than an
	// account answering for its owner: a clerk, for an owner who phoned in.
	Entered bool
	// Clerk is set on the clerk's page (links to the clerk's views); an
	// officer sees their own return read-only.
	Clerk  bool
	Notice string
}

// returnOf finds the stored return version the URL names, of the quarter
// it names. It writes a 404 page and returns false when there is none.
func (s *Server) returnOf(w http.ResponseWriter, r *http.Request, v *visitor) (Quarter, store.ReturnRecord, *plan.Statement, []byte, bool) {
	q, ok := s.quarterOf(w, r, v)
	if !ok {
		return q, store.ReturnRecord{}, nil, nil, false
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	var (
		rec store.ReturnRecord
		st  *plan.Statement
		b   []byte
	)
	if err == nil {
		rec, st, b, err = s.db.Return(r.Context(), id)
	}
	switch {
	case err == nil && strings.EqualFold(rec.Plan, q.Plan) && rec.Quarter == q.Label:
		return q, rec, st, b, true
	case err == nil, isNotFound(err), errors.Is(err, strconv.ErrSyntax), errors.Is(err, strconv.ErrRange):
		s.errorPage(w, r, v, http.StatusNotFound, "There is no such return", "It is not one of this quarter's returns. Go back to the quarter's page.")
	default:
		s.serverError(w, r, v, err)
	}
	return q, store.ReturnRecord{}, nil, nil, false
}

// returnViewOf is the page of a stored return.
func (s *Server) returnViewOf(r *http.Request, q Quarter, rec store.ReturnRecord, st *plan.Statement) (returnView, error) {
	d := returnView{Quarter: q, Record: rec, Actions: st.Actions}
	all, err := s.db.ReturnsFor(r.Context(), q.Plan, q.Label)
	if err != nil && !isNotFound(err) {
		return d, err
	}
	for _, o := range all {
		if plan.SameOwner(o.Owner, rec.Owner) {
			d.Versions = append(d.Versions, o)
		}
	}
	d.Entered = s.enteredByClerk(r, rec)
	return d, nil
}

// enteredByClerk reports whether a return was entered by a clerk for its
// owner: the audit line of its storing says so.
func (s *Server) enteredByClerk(r *http.Request, rec store.ReturnRecord) bool {
	es, _, err := s.db.AuditEvents(r.Context(), store.AuditQuery{Quarter: rec.Quarter, Actor: rec.SubmittedBy, Action: enterEvent, Limit: 1000})
	if err != nil {
		return false
	}
	return slices.ContainsFunc(es, func(e store.Event) bool { return e.SHA256 == rec.SHA256 })
}

// clerkReturn is the clerk's page of one version of a return.
func (s *Server) clerkReturn(w http.ResponseWriter, r *http.Request, v *visitor) {
	q, rec, st, _, ok := s.returnOf(w, r, v)
	if !ok {
		return
	}
	d, err := s.returnViewOf(r, q, rec, st)
	if err != nil {
		s.serverError(w, r, v, err)
		return
	}
	d.Clerk = true
	s.render(w, r, v, http.StatusOK, "return", page{Title: fmt.Sprintf("Return for %s, version %d", rec.Owner, rec.Version),
		Notice: notices[r.URL.Query().Get("done")], Data: d})
}

// returnFile sends a stored return as it was uploaded.
func (s *Server) returnFile(w http.ResponseWriter, r *http.Request, v *visitor) {
	q, rec, _, b, ok := s.returnOf(w, r, v)
	if !ok {
		return
	}
	sendFile(w, fmt.Sprintf("%s return - %s - version %d.xlsx", q.Label, rec.Owner, rec.Version), xlsxType, b)
}

// mergedFile sends the workbook that accepting the quarter would store now:
// the latest statement with every owner's latest return applied and the
// clerk's choices taken. While an acceptance would be refused (a conflict
// to resolve, a return that cannot be merged) there is no such workbook.
func (s *Server) mergedFile(w http.ResponseWriter, r *http.Request, v *visitor) {
	q, ok := s.quarterOf(w, r, v)
	if !ok {
		return
	}
	ctx := r.Context()
	latest, _, err := s.latest(ctx, q)
	if isNotFound(err) {
		s.errorPage(w, r, v, http.StatusNotFound, "There is no statement to merge into", "The plan has no statement yet. Upload the plan as agreed first.")
		return
	}
	if err != nil {
		s.serverError(w, r, v, err)
		return
	}
	m, used, err := s.mergeQuarter(ctx, q, latest)
	switch {
	case errors.Is(err, errNoReturns):
		s.errorPage(w, r, v, http.StatusNotFound, "No returns have been received yet", "There is nothing to merge yet.")
		return
	case errors.Is(err, ErrUnavailable):
		s.errorPage(w, r, v, http.StatusServiceUnavailable, "Merging returns is not available yet", "This portal cannot merge returns into a statement yet.")
		return
	case err != nil:
		s.serverError(w, r, v, err)
		return
	case len(m.Conflicts) > 0 || len(leftOutOf(m, used)) > 0:
		s.errorPage(w, r, v, http.StatusConflict, "The returns cannot be merged yet",
			"Resolve the conflicts on the quarter's page, or ask for corrected returns, first: until then accepting would store nothing.")
		return
	case len(m.Workbook) == 0:
		s.serverError(w, r, v, errors.New("the merger gave no workbook"))
		return
	}
	sendFile(w, fmt.Sprintf("%s %s position statement (not yet accepted).xlsx", q.Label, q.Plan), xlsxType, m.Workbook)
}

// statementFile sends a statement (or plan as agreed) kept in the history,
// withdrawn ones included: they are kept for the record.
func (s *Server) statementFile(w http.ResponseWriter, r *http.Request, v *visitor) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.errorPage(w, r, v, http.StatusNotFound, "There is no such statement", "Go back to the plan's history.")
		return
	}
	rec, _, b, err := s.db.Statement(r.Context(), id)
	if isNotFound(err) {
		s.errorPage(w, r, v, http.StatusNotFound, "There is no such statement", "Go back to the plan's history.")
		return
	}
	if err != nil {
		s.serverError(w, r, v, err)
		return
	}
	kind := "position statement"
	if rec.Kind == store.KindBaseline {
		kind = "plan as agreed"
	}
	sendFile(w, fmt.Sprintf("%s %s %s version %d.xlsx", rec.Quarter, rec.Plan, kind, rec.Version), xlsxType, b)
}

// The audit log page's bounds: lines per page, the furthest page, and the
// most lines one CSV download holds.
const (
	auditPageSize = 50
	auditMaxPage  = 10000
	auditCSVLimit = 100000
)

// auditData is the clerk's audit log page.
type auditData struct {
	Filter           auditFilter
	Quarters         []string // the quarters to choose from
	Actors, Actions  []string
	Events           []store.Event
	Total            int
	Page, Pages      int
	PrevURL, NextURL string
	CSVURL           string
}

// auditFilter is what the audit log page's form asks for.
type auditFilter struct {
	Quarter, Actor, Action string
	Page                   int
}

func (f auditFilter) query(page int) url.Values {
	q := url.Values{}
	for k, v := range map[string]string{"quarter": f.Quarter, "person": f.Actor, "action": f.Action} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if page > 1 {
		q.Set("page", strconv.Itoa(page))
	}
	return q
}

// auditFilterOf reads and checks the audit log page's query: a quarter
// label, a person and an action the log has, a page number in range. Each
// value is bounded before it is looked at.
func (s *Server) auditFilterOf(r *http.Request, d *auditData) []fieldError {
	q := r.URL.Query()
	f := auditFilter{Page: 1}
	var errs []fieldError
	get := func(key string) string {
		v := q.Get(key)
		if len(v) > 320 {
			v = v[:320]
		}
		return strings.TrimSpace(v)
	}
	f.Quarter = strings.ToUpper(get("quarter"))
	if f.Quarter != "" && !quarterLabel.MatchString(f.Quarter) {
		errs = append(errs, fieldError{"audit-quarter", "Choose a quarter from the list, like 2021-Q1"})
	}
	f.Actor = get("person")
	if f.Actor != "" && !slices.ContainsFunc(d.Actors, func(a string) bool { return strings.EqualFold(a, f.Actor) }) {
		errs = append(errs, fieldError{"audit-person", "Choose a person from the list: nobody of that name is in the audit log"})
	}
	f.Action = get("action")
	if f.Action != "" && !slices.Contains(d.Actions, f.Action) {
		errs = append(errs, fieldError{"audit-action", "Choose an action from the list"})
	}
	if p := get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > auditMaxPage {
			errs = append(errs, fieldError{"audit-quarter", fmt.Sprintf("The page number must be between 1 and %d", auditMaxPage)})
		} else {
			f.Page = n
		}
	}
	d.Filter = f
	return errs
}

func (s *Server) auditPage(w http.ResponseWriter, r *http.Request, v *visitor) {
	ctx := r.Context()
	var d auditData
	var err error
	if d.Actors, d.Actions, err = s.db.AuditNames(ctx); err != nil {
		s.serverError(w, r, v, err)
		return
	}
	qs, err := s.quarters.all(ctx)
	if err != nil {
		s.serverError(w, r, v, err)
		return
	}
	for _, q := range qs {
		if !slices.Contains(d.Quarters, q.Label) {
			d.Quarters = append(d.Quarters, q.Label)
		}
	}
	if errs := s.auditFilterOf(r, &d); len(errs) > 0 {
		s.render(w, r, v, http.StatusBadRequest, "audit", page{Title: "Audit log", Errors: errs, Data: d})
		return
	}
	f := d.Filter
	d.Events, d.Total, err = s.db.AuditEvents(ctx, store.AuditQuery{Quarter: f.Quarter, Actor: f.Actor, Action: f.Action,
		Offset: (f.Page - 1) * auditPageSize, Limit: auditPageSize})
	if err != nil {
		s.serverError(w, r, v, err)
		return
	}
	d.Page, d.Pages = f.Page, max(1, (d.Total+auditPageSize-1)/auditPageSize)
	if d.Page > 1 {
		d.PrevURL = "/clerk/audit?" + f.query(min(d.Page-1, d.Pages)).Encode()
	}
	if d.Page < d.Pages {
		d.NextURL = "/clerk/audit?" + f.query(d.Page+1).Encode()
	}
	d.CSVURL = "/clerk/audit.csv?" + f.query(1).Encode()
	s.render(w, r, v, http.StatusOK, "audit", page{Title: "Audit log", Data: d})
}

// auditCSV sends the lines of the audit log the filter selects, newest
// first, at most auditCSVLimit of them, each cell safe to open in a
// spreadsheet (export.CSVSafe).
func (s *Server) auditCSV(w http.ResponseWriter, r *http.Request, v *visitor) {
	ctx := r.Context()
	var d auditData
	var err error
	if d.Actors, d.Actions, err = s.db.AuditNames(ctx); err != nil {
		s.serverError(w, r, v, err)
		return
	}
	if errs := s.auditFilterOf(r, &d); len(errs) > 0 {
		s.errorPage(w, r, v, http.StatusBadRequest, "The audit log cannot be filtered like that", errs[0].Message+". Go back to the audit log and choose again.")
		return
	}
	f := d.Filter
	es, total, err := s.db.AuditEvents(ctx, store.AuditQuery{Quarter: f.Quarter, Actor: f.Actor, Action: f.Action, Limit: auditCSVLimit})
	if err != nil {
		s.serverError(w, r, v, err)
		return
	}
	var b strings.Builder
	cw := csv.NewWriter(&b)
	cw.Write([]string{"Number", "Time (UK)", "Who", "Action", "SHA-256", "Detail"})
	for _, e := range es {
		rec := []string{strconv.FormatInt(e.ID, 10), e.At.In(london).Format("2006-01-02 15:04:05"), e.Actor, e.Action, e.SHA256, e.Detail}
		for i := range rec {
			rec[i] = export.CSVSafe(rec[i])
		}
		cw.Write(rec)
	}
	if total > len(es) {
		cw.Write([]string{"", "", "", "", "", fmt.Sprintf("Only the newest %d of %d lines: filter the log to download the rest.", len(es), total)})
	}
	cw.Flush()
	name := "audit log"
	for _, part := range []string{f.Quarter, f.Actor, f.Action} {
		if part != "" {
			name += " " + part
		}
	}
	sendFile(w, name+".csv", "text/csv; charset=utf-8", []byte(b.String()))
}
