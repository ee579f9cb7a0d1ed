package portal

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"papers/internal/compare"
	"papers/internal/export"
	"papers/internal/pipeline"
	"papers/internal/plan"
	"papers/internal/quarter"
	"papers/internal/store"
)

// reportJob names the portal's report builds in the store's runs.
const reportJob = "portal-report"

// clerkData is the clerk's start page.
type clerkData struct {
	Quarters  []Quarter
	Plans     []store.Plan
	Quarter   quarterForm
	Statement statementForm
	Uploaded  *uploadedStatement // the statement just uploaded, if any
}

// quarterForm and statementForm are the clerk's two forms. Each page
// carries the other form's values in hidden fields (keep_...), so that a
// mistake in one form does not empty the other; sent marks the form that
// was sent, which gets no defaults.
type quarterForm struct {
	Plan, Quarter, Deadline string
	sent                    bool
}

type statementForm struct {
	Plan, Quarter, Kind string
	sent                bool
}

// keptQuarterForm is the open-a-quarter form as the page showed it when
// the other form was sent.
func keptQuarterForm(r *http.Request) quarterForm {
	return quarterForm{Plan: r.PostFormValue("keep_plan"), Quarter: r.PostFormValue("keep_quarter"), Deadline: r.PostFormValue("keep_deadline")}
}

// keptStatementForm is the add-a-statement form as the page showed it
// when the other form was sent.
func keptStatementForm(r *http.Request) statementForm {
	return statementForm{Plan: r.PostFormValue("keep_statement_plan"), Quarter: r.PostFormValue("keep_statement_quarter"), Kind: r.PostFormValue("keep_kind")}
}

type uploadedStatement struct {
	Record    store.StatementRecord
	Duplicate bool
	Problems  []plan.Problem
}

// notices are the messages a redirect after a clerk's action asks for.
var notices = map[string]string{
	"opened":    "The quarter is open: officers can now download and upload their returns.",
	"accepted":  "The quarter's statement is accepted and kept in the history.",
	"same":      "The quarter's statement was already accepted with these returns: nothing changed.",
	"built":     "The report is built: download it below.",
	"chosen":    "Your choice is kept: accepting the statement will use it.",
	"withdrawn": "The statement is withdrawn: it is kept for the record, marked withdrawn, and no longer counts. The audit log says who withdrew it and why.",
}

func (s *Server) clerkHome(w http.ResponseWriter, r *http.Request, v *visitor) {
	s.renderClerkHome(w, r, v, http.StatusOK, clerkData{Statement: statementForm{Kind: string(store.KindStatement)}}, nil, "")
}

func (s *Server) renderClerkHome(w http.ResponseWriter, r *http.Request, v *visitor, status int, d clerkData, errs []fieldError, notice string) {
	ctx := r.Context()
	qs, err := s.quarters.all(ctx)
	if err == nil {
		qs, err = s.withStatus(ctx, qs)
	}
	if err == nil {
		d.Plans, err = s.db.Plans(ctx)
	}
	if err != nil {
		s.serverError(w, r, v, err)
		return
	}
	d.Quarters = qs
	// Offer the plan's name: the configured one, else the only one kept.
	def := s.cfg.PlanName
	if len(d.Plans) == 1 {
		def = d.Plans[0].Name
	}
	if d.Quarter.Plan == "" && !d.Quarter.sent {
		d.Quarter.Plan = def
	}
	if d.Statement.Plan == "" && !d.Statement.sent {
		d.Statement.Plan = def
	}
	if d.Statement.Kind == "" && !d.Statement.sent {
		d.Statement.Kind = string(store.KindStatement)
	}
	s.render(w, r, v, status, "clerk", page{Title: "Quarters", Errors: errs, Notice: notice, Data: d})
}

func (s *Server) createQuarter(w http.ResponseWriter, r *http.Request, v *visitor) {
	f := quarterForm{
		Plan:     strings.Join(strings.Fields(r.PostFormValue("plan")), " "),
		Quarter:  strings.ToUpper(strings.TrimSpace(r.PostFormValue("quarter"))),
		Deadline: strings.TrimSpace(r.PostFormValue("deadline")),
		sent:     true,
	}
	var errs []fieldError
	if f.Plan == "" || len(f.Plan) > 200 {
		errs = append(errs, fieldError{"plan", "Enter the plan's name (at most 200 characters)"})
	}
	if !quarterLabel.MatchString(f.Quarter) {
		errs = append(errs, fieldError{"quarter", "Enter the quarter as a year and quarter number, like 2021-Q1"})
	}
	deadline, err := parseFormDate(f.Deadline)
	if err != nil {
		errs = append(errs, fieldError{"deadline", "Enter the deadline as a real date, like 15/01/2021"})
	}
	if len(errs) > 0 {
		s.renderClerkHome(w, r, v, http.StatusBadRequest, clerkData{Quarter: f, Statement: keptStatementForm(r)}, errs, "")
		return
	}
	p, err := s.db.EnsurePlan(r.Context(), f.Plan)
	if err == nil {
		err = s.openQuarter(r.Context(), v.User.Email, p, f.Quarter, deadline)
	}
	if err != nil {
		s.serverError(w, r, v, err)
		return
	}
	done := "opened"
	if deadline.Before(s.today()) {
		// Allowed, as the clerk may be recording an earlier quarter, but
		// said, in case the date is a slip.
		done = "opened-past"
	}
	http.Redirect(w, r, fmt.Sprintf("/clerk/quarters/%d/%s?done=%s", p.ID, f.Quarter, done), http.StatusSeeOther)
}

// uploadStatement keeps a workbook the clerk uploads as a plan's baseline
// or a quarter's statement: how a plan's history starts.
func (s *Server) uploadStatement(w http.ResponseWriter, r *http.Request, v *visitor) {
	f := statementForm{
		Plan:    strings.Join(strings.Fields(r.PostFormValue("plan")), " "),
		Quarter: strings.ToUpper(strings.TrimSpace(r.PostFormValue("quarter"))),
		Kind:    r.PostFormValue("kind"),
		sent:    true,
	}
	var errs []fieldError
	if f.Plan == "" || len(f.Plan) > 200 {
		errs = append(errs, fieldError{"statement-plan", "Enter the plan's name (at most 200 characters)"})
	}
	if !quarterLabel.MatchString(f.Quarter) {
		errs = append(errs, fieldError{"statement-quarter", "Enter the quarter the statement is for, like 2020-Q4"})
	}
	kind := store.Kind(f.Kind)
	if kind != store.KindBaseline && kind != store.KindStatement {
		errs = append(errs, fieldError{"kind", "Choose whether the workbook is the plan as agreed or a position statement"})
	}
	if kind == store.KindStatement && len(errs) == 0 {
		// An open quarter's statement is made by accepting its returns: one
		// uploaded here would silently become the quarter's statement.
		q, open, err := s.openQuarterNamed(r.Context(), f.Plan, f.Quarter)
		if err != nil {
			s.serverError(w, r, v, err)
			return
		}
		if open {
			errs = append(errs, fieldError{"statement-quarter", fmt.Sprintf(
				"%s is open for returns here: its statement is made by accepting the returns on the quarter's page, not by uploading one. To record a statement kept outside the portal, choose a quarter that is not open.", q.Label)})
		}
	}
	u, err := formFile(r, "file", s.cfg.UploadLimit)
	var uerr *errUpload
	switch {
	case errors.Is(err, errTooLarge):
		s.tooLarge(w, r, v)
		return
	case errors.As(err, &uerr):
		errs = append(errs, fieldError{"statement-file", uerr.msg})
	case err != nil:
		s.serverError(w, r, v, err)
		return
	}
	var st *plan.Statement
	if err == nil {
		st, err = s.readWorkbook(u)
		switch {
		case errors.As(err, &uerr):
			errs = append(errs, fieldError{"statement-file", uerr.msg})
		case err != nil:
			s.serverError(w, r, v, err)
			return
		}
	}
	if len(errs) > 0 {
		s.renderClerkHome(w, r, v, http.StatusBadRequest, clerkData{Statement: f, Quarter: keptQuarterForm(r)}, errs, "")
		return
	}
	rec, err := s.db.AddStatementAudited(r.Context(), store.StatementInput{
		Plan: f.Plan, Quarter: f.Quarter, Kind: kind, FileName: u.Name, Bytes: u.Bytes,
		SubmittedBy: v.User.Email, SubmittedAt: s.now(), Statement: st,
	}, store.Event{At: s.now(), Actor: v.User.Email, Action: string(kind) + ".upload",
		Detail: fmt.Sprintf("%s %s: %s version %s, %d actions, file %q", f.Plan, f.Quarter, kind, store.VersionMark, len(st.Actions), u.Name)})
	dup := errors.Is(err, store.ErrDuplicate)
	if err != nil && !dup {
		s.serverError(w, r, v, err)
		return
	}
	notice := fmt.Sprintf("%s is kept as the %s for %s, version %d.", rec.FileName, kindName(kind), rec.Quarter, rec.Version)
	if dup {
		notice = fmt.Sprintf("%s was already kept (version %d): nothing changed.", rec.FileName, rec.Version)
	}
	s.renderClerkHome(w, r, v, http.StatusOK, clerkData{
		Quarter:   quarterForm{Plan: rec.Plan},
		Statement: statementForm{Plan: rec.Plan, Kind: string(store.KindStatement)},
		Uploaded:  &uploadedStatement{Record: rec, Duplicate: dup, Problems: st.Problems},
	}, nil, notice)
}

// openQuarterNamed finds a quarter opened in the portal by its plan's name
// (without regard to case) and label.
func (s *Server) openQuarterNamed(ctx context.Context, planName, label string) (Quarter, bool, error) {
	p, err := s.db.PlanNamed(ctx, planName)
	switch {
	case isNotFound(err):
		return Quarter{}, false, nil
	case err != nil:
		return Quarter{}, false, err
	}
	return s.quarters.find(ctx, p.ID, label)
}

// parseFormDate reads a date typed in a form: 15/01/2021 (day first, as
// people in the UK write it) or 2021-01-15.
func parseFormDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2/1/2006", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date", s)
}

func kindName(k store.Kind) string {
	if k == store.KindBaseline {
		return "plan as agreed"
	}
	return "position statement"
}

// quarterData is the clerk's page for a quarter.
type quarterData struct {
	Quarter     Quarter
	NoStatement bool
	Latest      store.StatementRecord
	Chase       []chaseRow
	Received    int
	Outstanding int
	Conflicts   []Conflict
	Resolved    []Conflict // conflicts the clerk chose a value for
	LeftOut     []leftOut  // returns the merger would not use
	NoMerger    bool
	Changes     *plan.Summary // what the returns change, merged
	Accepted    []store.StatementRecord
	Standing    *store.StatementRecord // the accepted version that stands, if any
	Report      *reportRun
	Meeting     string // the build form's meeting date
	AsOf        string
}

// chaseRow is a lead owner's line in the chase list.
type chaseRow struct {
	Owner   string
	Actions int // open actions
	Return  *store.ReturnRecord
	Late    bool
}

// reportRun is the latest report built for a quarter.
type reportRun struct {
	Run   store.Run
	Files []string // extensions of the files still as built: pdf, docx, html, json
	// Changed is set when a file built is missing or has other bytes now:
	// it is not offered, and the clerk is asked to build again.
	Changed bool
}

func (s *Server) quarterPage(w http.ResponseWriter, r *http.Request, v *visitor) {
	q, ok := s.quarterOf(w, r, v)
	if !ok {
		return
	}
	d, err := s.quarterData(r.Context(), q)
	if err != nil {
		s.serverError(w, r, v, err)
		return
	}
	p := page{Title: q.Plan + ", " + q.Label, Notice: notices[r.URL.Query().Get("done")], Data: d}
	if r.URL.Query().Get("done") == "opened-past" && q.Deadline.Before(s.today()) {
		p.Notice = notices["opened"]
		p.Warnings = []string{fmt.Sprintf("The deadline, %s, has already passed: every return sent from now on will be marked late. "+
			"If you are recording an earlier quarter, that is as it should be; if the date is wrong, open the quarter again with the right one.", q.Deadline.Format("2 January 2006"))}
	}
	s.render(w, r, v, http.StatusOK, "quarter", p)
}

func (s *Server) quarterData(ctx context.Context, q Quarter) (quarterData, error) {
	d := quarterData{Quarter: q}
	latest, rec, err := s.latest(ctx, q)
	if isNotFound(err) {
		d.NoStatement = true
		return d, nil
	}
	if err != nil {
		return d, err
	}
	d.Latest = rec
	if d.Chase, err = s.chaseList(ctx, q, latest); err != nil {
		return d, err
	}
	for _, c := range d.Chase {
		if c.Return != nil {
			d.Received++
		} else {
			d.Outstanding++
		}
	}
	m, used, err := s.mergeQuarter(ctx, q, latest)
	switch {
	case errors.Is(err, ErrUnavailable):
		d.NoMerger = true
	case errors.Is(err, errNoReturns):
	case err != nil:
		return d, err
	default:
		d.Conflicts, d.Resolved, d.LeftOut = m.Conflicts, m.Resolved, leftOutOf(m, used)
		settings, err := s.cfg.Settings(s.today(), s.today())
		if err != nil {
			return d, err
		}
		c, err := compareStatements(latest, m.Statement, settings)
		if err != nil {
			return d, err
		}
		d.Changes = &c.Summary
	}
	hist, err := s.db.History(ctx, q.Plan)
	if err != nil && !isNotFound(err) {
		return d, err
	}
	for _, h := range hist {
		if h.Kind == store.KindStatement && h.Quarter == q.Label {
			d.Accepted = append(d.Accepted, h)
		}
	}
	if n := len(d.Accepted); n > 0 {
		d.Standing = &d.Accepted[n-1]
	}
	d.Report, err = s.lastReport(ctx, q)
	return d, err
}

// chaseList is every lead owner with open actions in the latest statement,
// with their return if any: outstanding first, then by name.
func (s *Server) chaseList(ctx context.Context, q Quarter, latest *plan.Statement) ([]chaseRow, error) {
	received, err := s.latestReturns(ctx, q)
	if err != nil {
		return nil, err
	}
	var rows []chaseRow
	index := map[string]int{}
	for _, a := range latest.Actions {
		if a.IsComplete() {
			continue // nothing to return for it
		}
		for _, o := range a.Owners {
			key := plan.OwnerKey(o)
			if key == "" {
				continue
			}
			i, ok := index[key]
			if !ok {
				i = len(rows)
				index[key] = i
				rows = append(rows, chaseRow{Owner: o})
				if rec, ok := received[key]; ok {
					rows[i].Return = &rec
					rows[i].Late = lateReturn(q, rec)
				}
			}
			rows[i].Actions++
		}
	}
	slices.SortStableFunc(rows, func(a, b chaseRow) int {
		if (a.Return == nil) != (b.Return == nil) {
			if a.Return == nil {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Owner, b.Owner)
	})
	return rows, nil
}

var errNoReturns = errors.New("no returns received")

// mergeQuarter merges each owner's latest return into the latest statement.
func (s *Server) mergeQuarter(ctx context.Context, q Quarter, latest *plan.Statement) (Merged, []store.ReturnRecord, error) {
	recs, err := s.latestReturns(ctx, q)
	if err != nil {
		return Merged{}, nil, err
	}
	if len(recs) == 0 {
		return Merged{}, nil, errNoReturns
	}
	var (
		files []ReturnFile
		used  []store.ReturnRecord
	)
	for _, rec := range recs {
		used = append(used, rec)
	}
	slices.SortFunc(used, func(a, b store.ReturnRecord) int { return strings.Compare(a.Owner, b.Owner) })
	for _, rec := range used {
		_, _, b, err := s.db.Return(ctx, rec.ID)
		if err != nil {
			return Merged{}, nil, err
		}
		files = append(files, ReturnFile{Owner: rec.Owner, Name: rec.FileName, Bytes: b})
	}
	m, err := s.cfg.Merger.Merge(latest, q.Label, files, nil)
	if err != nil {
		return Merged{}, nil, fmt.Errorf("merge returns for %s %s: %w", q.Plan, q.Label, err)
	}
	// The clerk's choices are kept by the text chosen, and apply while a
	// conflict still offers that text: a corrected return that changes the
	// values asks the clerk again rather than taking whatever value now
	// has the chosen number.
	if len(m.Conflicts) > 0 {
		chosen, err := s.quarters.chosen(ctx, q.PlanID, q.Label)
		if err != nil {
			return Merged{}, nil, err
		}
		choose := map[string]string{}
		for _, c := range m.Conflicts {
			text, ok := chosen[c.Key]
			if !ok {
				continue
			}
			for i, v := range c.Values {
				if v.Text == text {
					choose[c.Key] = strconv.Itoa(i + 1)
					break
				}
			}
		}
		if len(choose) > 0 {
			if m, err = s.cfg.Merger.Merge(latest, q.Label, files, choose); err != nil {
				return Merged{}, nil, fmt.Errorf("merge returns for %s %s: %w", q.Plan, q.Label, err)
			}
		}
	}
	if len(m.Returns) != len(files) || m.Statement == nil {
		return Merged{}, nil, fmt.Errorf("merge returns for %s %s: %d results for %d returns", q.Plan, q.Label, len(m.Returns), len(files))
	}
	return m, used, nil
}

// leftOut is a stored return the merger would not use.
type leftOut struct {
	Owner, File, Reason string
}

func leftOutOf(m Merged, used []store.ReturnRecord) []leftOut {
	var out []leftOut
	for i, rr := range m.Returns {
		if rr.Rejected != "" {
			out = append(out, leftOut{used[i].Owner, used[i].FileName, rr.Rejected})
		}
	}
	return out
}

func compareStatements(prev, cur *plan.Statement, settings pipeline.Settings) (*plan.Comparison, error) {
	return compare.Compare(plan.Inputs{Previous: prev, Current: cur}, settings.Compare)
}

func (s *Server) chaseCSV(w http.ResponseWriter, r *http.Request, v *visitor) {
	q, ok := s.quarterOf(w, r, v)
	if !ok {
		return
	}
	latest, _, err := s.latest(r.Context(), q)
	var rows []chaseRow
	if err == nil {
		rows, err = s.chaseList(r.Context(), q, latest)
	}
	if err != nil && !isNotFound(err) {
		s.serverError(w, r, v, err)
		return
	}
	officers, _, err := contacts(r.Context(), s.db)
	if err != nil {
		s.serverError(w, r, v, err)
		return
	}
	var b strings.Builder
	cw := csv.NewWriter(&b)
	cw.Write([]string{"Lead owner", "Open actions", "Return", "Version", "Submitted by", "Submitted at", "Late", "Deadline", "Email"})
	for _, c := range rows {
		rec := []string{c.Owner, strconv.Itoa(c.Actions), "outstanding", "", "", "", "", q.Deadline.Format("2006-01-02"), emails(officers.of(c.Owner))}
		if c.Return != nil {
			rec[2], rec[3], rec[4] = "received", strconv.Itoa(c.Return.Version), c.Return.SubmittedBy
			rec[5] = c.Return.SubmittedAt.In(london).Format("2006-01-02 15:04")
			if c.Late {
				rec[6] = "late"
			}
		}
		for i := range rec {
			rec[i] = export.CSVSafe(rec[i])
		}
		cw.Write(rec)
	}
	cw.Flush()
	name := fmt.Sprintf("%s %s chase list.csv", q.Plan, q.Label)
	sendFile(w, name, "text/csv; charset=utf-8", []byte(b.String()))
}

func (s *Server) acceptQuarter(w http.ResponseWriter, r *http.Request, v *visitor) {
	q, ok := s.quarterOf(w, r, v)
	if !ok {
		return
	}
	ctx := r.Context()
	latest, _, err := s.latest(ctx, q)
	if isNotFound(err) {
		s.errorPage(w, r, v, http.StatusConflict, "There is nothing to accept", "The plan has no statement yet. Upload the plan as agreed first.")
		return
	}
	if err != nil {
		s.serverError(w, r, v, err)
		return
	}
	m, used, err := s.mergeQuarter(ctx, q, latest)
	switch {
	case errors.Is(err, errNoReturns):
		s.quarterError(w, r, v, q, http.StatusConflict, "accept", "No returns have been received yet: there is nothing to accept")
		return
	case errors.Is(err, ErrUnavailable):
		s.errorPage(w, r, v, http.StatusServiceUnavailable, "Merging returns is not available yet",
			"This portal cannot merge returns into a statement yet. Nothing was changed.")
		return
	case err != nil:
		s.serverError(w, r, v, err)
		return
	case len(m.Conflicts) > 0:
		s.quarterError(w, r, v, q, http.StatusConflict, "conflicts", fmt.Sprintf("Resolve the %s before accepting: choose a value, or ask the lead owners to agree and upload corrected returns", plural(len(m.Conflicts), "conflict", "conflicts")))
		return
	case len(leftOutOf(m, used)) > 0:
		s.quarterError(w, r, v, q, http.StatusConflict, "conflicts", "Some returns cannot be merged: ask their lead owners to upload new ones")
		return
	case m.Statement == nil || len(m.Workbook) == 0:
		s.serverError(w, r, v, errors.New("the merger gave no statement or no workbook"))
		return
	}
	var from []string
	for _, rr := range used {
		from = append(from, fmt.Sprintf("%s v%d %.12s", rr.Owner, rr.Version, rr.SHA256))
	}
	slices.Sort(from)
	detail := fmt.Sprintf("%s %s: statement version %s, %d actions, from returns: %s", q.Plan, q.Label, store.VersionMark, len(m.Statement.Actions), strings.Join(from, "; "))
	for _, c := range m.Resolved {
		detail += fmt.Sprintf("; for %s chose %q from %s", c.Key, c.Values[c.Chosen].Text, strings.Join(c.Values[c.Chosen].From, ", "))
	}
	// The statement and its audit line are kept together or not at all.
	_, err = s.db.AddStatementAudited(ctx, store.StatementInput{
		Plan: q.Plan, Quarter: q.Label, Kind: store.KindStatement,
		FileName: fmt.Sprintf("%s %s position statement.xlsx", q.Label, q.Plan), Bytes: m.Workbook,
		SubmittedBy: v.User.Email, SubmittedAt: s.now(), Statement: m.Statement,
	}, store.Event{At: s.now(), Actor: v.User.Email, Action: "statement.accept",
		Detail: detail})
	if errors.Is(err, store.ErrDuplicate) {
		http.Redirect(w, r, "/clerk/quarters"+q.Path()+"?done=same", http.StatusSeeOther)
		return
	}
	if err != nil {
		s.serverError(w, r, v, err)
		return
	}
	http.Redirect(w, r, "/clerk/quarters"+q.Path()+"?done=accepted", http.StatusSeeOther)
}

// chooseValue records the clerk's choice of a value for a conflict between
// returns.
func (s *Server) chooseValue(w http.ResponseWriter, r *http.Request, v *visitor) {
	q, ok := s.quarterOf(w, r, v)
	if !ok {
		return
	}
	ctx := r.Context()
	latest, _, err := s.latest(ctx, q)
	if isNotFound(err) {
		s.errorPage(w, r, v, http.StatusConflict, "There is nothing to choose", "The plan has no statement yet.")
		return
	}
	if err != nil {
		s.serverError(w, r, v, err)
		return
	}
	m, _, err := s.mergeQuarter(ctx, q, latest)
	switch {
	case errors.Is(err, errNoReturns), errors.Is(err, ErrUnavailable):
		s.errorPage(w, r, v, http.StatusConflict, "There is nothing to choose", "There are no conflicts between returns to resolve. Nothing was changed.")
		return
	case err != nil:
		s.serverError(w, r, v, err)
		return
	}
	key := r.PostFormValue("key")
	for i, c := range append(m.Conflicts, m.Resolved...) {
		if c.Key != key {
			continue
		}
		n, err := strconv.Atoi(r.PostFormValue("choice"))
		if err != nil || n < 1 || n > len(c.Values) {
			field := ""
			if i < len(m.Conflicts) {
				field = fmt.Sprintf("choice-%d-1", i)
			}
			s.quarterError(w, r, v, q, http.StatusBadRequest, field, fmt.Sprintf("Choose which value to use for %s", c.Ref))
			return
		}
		if err := s.recordChoice(ctx, v.User.Email, q, c, c.Values[n-1]); err != nil {
			s.serverError(w, r, v, err)
			return
		}
		http.Redirect(w, r, "/clerk/quarters"+q.Path()+"?done=chosen#conflicts", http.StatusSeeOther)
		return
	}
	s.quarterError(w, r, v, q, http.StatusConflict, "conflicts", "That conflict is no longer there: a lead owner may have sent a corrected return. Check the conflicts below.")
}

// quarterError shows the quarter page with a problem in its error summary.
func (s *Server) quarterError(w http.ResponseWriter, r *http.Request, v *visitor, q Quarter, status int, field, msg string) {
	d, err := s.quarterData(r.Context(), q)
	if err != nil {
		s.serverError(w, r, v, err)
		return
	}
	if m := r.PostFormValue("meeting"); m != "" {
		d.Meeting, d.AsOf = m, r.PostFormValue("as_of")
	}
	s.render(w, r, v, status, "quarter", page{Title: q.Plan + ", " + q.Label, Errors: []fieldError{{field, msg}}, Data: d})
}

// accepted returns the quarter's accepted statement, latest version.
func (s *Server) accepted(ctx context.Context, q Quarter) (*plan.Statement, store.StatementRecord, error) {
	rec, st, err := quarter.Accepted(ctx, s.db, q.Plan, q.Label)
	return st, rec, err
}

func (s *Server) buildReport(w http.ResponseWriter, r *http.Request, v *visitor) {
	q, ok := s.quarterOf(w, r, v)
	if !ok {
		return
	}
	ctx := r.Context()
	meeting, err := parseFormDate(r.PostFormValue("meeting"))
	if err != nil {
		s.quarterError(w, r, v, q, http.StatusBadRequest, "meeting", "Enter the meeting date as a real date, like 28/01/2021")
		return
	}
	asOf := meeting
	if a := strings.TrimSpace(r.PostFormValue("as_of")); a != "" {
		if asOf, err = parseFormDate(a); err != nil {
			s.quarterError(w, r, v, q, http.StatusBadRequest, "as_of", "Enter the status date as a real date, like 28/01/2021, or leave it empty")
			return
		}
	}
	in, err := quarter.FromHistory(ctx, s.db, quarter.Query{Plan: q.Plan, Quarter: q.Label})
	switch {
	case errors.Is(err, quarter.ErrNoStatement):
		s.quarterError(w, r, v, q, http.StatusConflict, "accept", "Accept the quarter's statement before building the report")
		return
	case errors.Is(err, quarter.ErrNothingToCompare):
		s.quarterError(w, r, v, q, http.StatusConflict, "accept", "There is no earlier statement or plan as agreed to compare with: upload one first")
		return
	case err != nil:
		s.serverError(w, r, v, err)
		return
	}
	settings, err := s.cfg.Settings(asOf, meeting)
	if err != nil {
		s.serverError(w, r, v, err)
		return
	}
	// The report goes in a folder of the quarter's own (reportFolder).
	t := pipeline.Target{Dir: filepath.Join(s.cfg.OutputDir, reportFolder(q, meeting)), Name: s.cfg.ReportName, Digest: true}
	out, run, err := quarter.Write(ctx, quarter.Job{Name: reportJob, Record: s.db, Now: s.now}, in, settings, t, nil)
	if err != nil {
		s.serverError(w, r, v, err)
		return
	}
	var names []string
	for _, f := range out.Files {
		names = append(names, f.Path)
	}
	s.audit(ctx, v.User.Email, "report.build", store.Digest([]byte(strings.Join(names, "\n"))),
		fmt.Sprintf("%s %s: meeting %s, as of %s, run %d: %s", q.Plan, q.Label, meeting.Format("2006-01-02"), asOf.Format("2006-01-02"), run.ID, strings.Join(names, ", ")))
	http.Redirect(w, r, "/clerk/quarters"+q.Path()+"?done=built", http.StatusSeeOther)
}

// reportFolder names the folder of a quarter's report for a meeting so a
// person can tell the folders apart, and so no other quarter's or plan's
// report is written over it: "2021-01-28 Learning Report Action Plan
// 2021-Q1". Characters a file system may refuse become "-".
func reportFolder(q Quarter, meeting time.Time) string {
	name := strings.Map(func(r rune) rune {
		switch {
		case unicode.IsLetter(r), unicode.IsDigit(r), strings.ContainsRune(" -_.,'()&", r):
			return r
		}
		return '-'
	}, q.Plan)
	if r := []rune(name); len(r) > 80 {
		name = string(r[:80])
	}
	name = strings.Trim(strings.Join(strings.Fields(name), " "), ". -")
	if name == "" {
		name = fmt.Sprintf("plan %d", q.PlanID)
	}
	return fmt.Sprintf("%s %s %s", meeting.Format("2006-01-02"), name, q.Label)
}

// lastReport is the latest report built for a quarter from the statement
// that stands for it now, or nil. A report built from a statement since
// withdrawn or replaced is not offered; nor is a file whose bytes are no
// longer those built (Changed).
func (s *Server) lastReport(ctx context.Context, q Quarter) (*reportRun, error) {
	_, standing, err := s.accepted(ctx, q)
	if isNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	runs, err := s.db.Runs(ctx, 500)
	if err != nil {
		return nil, err
	}
	for _, run := range runs {
		if run.Job != reportJob || run.Plan != q.Plan || run.Quarter != q.Label || run.Status != store.RunOK {
			continue
		}
		if len(run.Inputs) == 0 || run.Inputs[0].SHA256 != standing.SHA256 {
			return nil, nil
		}
		rr := &reportRun{Run: run}
		for _, o := range run.Outputs {
			ext := strings.TrimPrefix(filepath.Ext(o.Name), ".")
			if reportTypes[ext] == "" {
				continue
			}
			if b, err := os.ReadFile(o.Name); err != nil || store.Digest(b) != o.SHA256 {
				rr.Changed = true
				continue
			}
			rr.Files = append(rr.Files, ext)
		}
		return rr, nil
	}
	return nil, nil
}

// reportTypes are the report files a clerk may download, by extension.
var reportTypes = map[string]string{
	"pdf":  "application/pdf",
	"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	"html": "text/html; charset=utf-8",
	"json": "application/json",
}

// downloadReport sends a file of the quarter's latest report. The path
// comes from the store's record of the build, never from the request, and
// the file must still have the bytes that were built.
func (s *Server) downloadReport(w http.ResponseWriter, r *http.Request, v *visitor) {
	q, ok := s.quarterOf(w, r, v)
	if !ok {
		return
	}
	ext := r.PathValue("file")
	ctype, known := reportTypes[ext]
	rr, err := s.lastReport(r.Context(), q)
	if err != nil {
		s.serverError(w, r, v, err)
		return
	}
	if !known || rr == nil {
		s.errorPage(w, r, v, http.StatusNotFound, "There is no such report", "Build the report on the quarter's page first.")
		return
	}
	for _, o := range rr.Run.Outputs {
		if filepath.Ext(o.Name) != "."+ext {
			continue
		}
		b, err := os.ReadFile(o.Name)
		if err != nil || store.Digest(b) != o.SHA256 {
			s.errorPage(w, r, v, http.StatusGone, "The report file has changed",
				"The file on the server is missing or is not the one that was built. Build the report again.")
			return
		}
		sendFile(w, filepath.Base(o.Name), ctype, b)
		return
	}
	s.errorPage(w, r, v, http.StatusNotFound, "There is no such report", "Build the report on the quarter's page first.")
}

// historyData is a plan's history page.
type historyData struct {
	Plan       store.Plan
	Statements []store.StatementRecord
	Quarters   []Quarter
}

func (s *Server) history(w http.ResponseWriter, r *http.Request, v *visitor) {
	id, err := strconv.ParseInt(r.PathValue("plan"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return
	}
	plans, err := s.db.Plans(r.Context())
	if err != nil {
		s.serverError(w, r, v, err)
		return
	}
	i := slices.IndexFunc(plans, func(p store.Plan) bool { return p.ID == id })
	if i < 0 {
		s.errorPage(w, r, v, http.StatusNotFound, "Page not found", "There is no such plan.")
		return
	}
	d := historyData{Plan: plans[i]}
	d.Statements, err = s.db.HistoryWithWithdrawn(r.Context(), d.Plan.Name)
	if err != nil && !isNotFound(err) {
		s.serverError(w, r, v, err)
		return
	}
	qs, err := s.quarters.all(r.Context())
	if err == nil {
		qs, err = s.withStatus(r.Context(), qs)
	}
	if err != nil {
		s.serverError(w, r, v, err)
		return
	}
	for _, q := range qs {
		if q.PlanID == id {
			d.Quarters = append(d.Quarters, q)
		}
	}
	s.render(w, r, v, http.StatusOK, "history", page{Title: "History of " + d.Plan.Name, Notice: notices[r.URL.Query().Get("done")], Data: d})
}
