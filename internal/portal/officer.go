package portal

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"papers/internal/compare"
	"papers/internal/plan"
	"papers/internal/quarter"
	"papers/internal/returns"
	"papers/internal/store"
)

// officerQuarter is one open quarter on an officer's page.
type officerQuarter struct {
	Quarter
	NoStatement bool // the plan has no statement yet: nothing to return
	Owners      []ownerStatus
	Actions     []plan.Action // the officer's actions in the latest statement
}

// ownerStatus is a lead owner's return for a quarter.
type ownerStatus struct {
	Name    string
	Leads   int                 // actions in the latest statement, complete or not
	Actions int                 // open actions: complete ones need no return
	Latest  *store.ReturnRecord // nil when none has been submitted
	Late    bool
}

func (s *Server) officerHome(w http.ResponseWriter, r *http.Request, v *visitor) {
	ctx := r.Context()
	qs, err := s.quarters.all(ctx)
	if err == nil {
		qs, err = s.withStatus(ctx, qs)
	}
	if err != nil {
		s.serverError(w, r, v, err)
		return
	}
	var open []officerQuarter
	for _, q := range qs {
		if q.Accepted {
			continue
		}
		oq, err := s.officerQuarter(ctx, v, q)
		if err != nil {
			s.serverError(w, r, v, err)
			return
		}
		open = append(open, oq)
	}
	s.render(w, r, v, http.StatusOK, "officer", page{Title: "Your returns", Data: open})
}

func (s *Server) officerQuarter(ctx context.Context, v *visitor, q Quarter) (officerQuarter, error) {
	oq := officerQuarter{Quarter: q}
	latest, _, err := s.latest(ctx, q)
	if isNotFound(err) {
		oq.NoStatement = true
		return oq, nil
	}
	if err != nil {
		return oq, err
	}
	received, err := s.latestReturns(ctx, q)
	if err != nil {
		return oq, err
	}
	for _, a := range latest.Actions {
		for _, o := range a.Owners {
			if v.answersFor(o) {
				oq.Actions = append(oq.Actions, a)
				break
			}
		}
	}
	for _, name := range v.Owners {
		st := ownerStatus{Name: name}
		for _, a := range actionsOf(latest, name) {
			st.Leads++
			if !a.IsComplete() {
				st.Actions++
			}
		}
		if rec, ok := received[plan.OwnerKey(name)]; ok {
			st.Latest = &rec
			st.Late = lateReturn(q, rec)
		}
		oq.Owners = append(oq.Owners, st)
	}
	return oq, nil
}

// latest returns the statement a quarter's returns update, which is the
// one its statement is compared with (quarter.ComparedWith): the plan's
// latest statement before the quarter, else its baseline.
func (s *Server) latest(ctx context.Context, q Quarter) (*plan.Statement, store.StatementRecord, error) {
	rec, st, err := quarter.ComparedWith(ctx, s.db, q.Plan, q.Label)
	return st, rec, err
}

// latestReturns returns each owner's latest return for a quarter, by
// plan.OwnerKey of the owner.
func (s *Server) latestReturns(ctx context.Context, q Quarter) (map[string]store.ReturnRecord, error) {
	recs, err := s.db.ReturnsFor(ctx, q.Plan, q.Label)
	if err != nil && !isNotFound(err) {
		return nil, err
	}
	m := map[string]store.ReturnRecord{}
	for _, r := range recs { // by owner, then version: the last wins
		m[plan.OwnerKey(r.Owner)] = r
	}
	return m, nil
}

// lateReturn reports whether a return came after the quarter's deadline day.
func lateReturn(q Quarter, r store.ReturnRecord) bool {
	t := r.SubmittedAt.In(london)
	return plan.Day(t.Date()).After(q.Deadline)
}

// actionsOf returns the actions a lead owner leads in st.
func actionsOf(st *plan.Statement, owner string) []plan.Action {
	var as []plan.Action
	for _, a := range st.Actions {
		for _, o := range a.Owners {
			if plan.SameOwner(o, owner) {
				as = append(as, a)
				break
			}
		}
	}
	return as
}

// quarterOf finds the quarter a URL names, writing a 404 page if there is
// no such quarter.
func (s *Server) quarterOf(w http.ResponseWriter, r *http.Request, v *visitor) (Quarter, bool) {
	id, err := strconv.ParseInt(r.PathValue("plan"), 10, 64)
	label := r.PathValue("quarter")
	if err != nil || !quarterLabel.MatchString(label) {
		s.errorPage(w, r, v, http.StatusNotFound, "Page not found", "There is no such quarter.")
		return Quarter{}, false
	}
	q, ok, err := s.quarters.find(r.Context(), id, label)
	if err != nil {
		s.serverError(w, r, v, err)
		return Quarter{}, false
	}
	if !ok {
		s.errorPage(w, r, v, http.StatusNotFound, "Page not found", "There is no such quarter: the clerk has not opened it.")
		return Quarter{}, false
	}
	qs, err := s.withStatus(r.Context(), []Quarter{q})
	if err != nil {
		s.serverError(w, r, v, err)
		return Quarter{}, false
	}
	return qs[0], true
}

// ownerOf is the lead owner a request is for: the form's or query's
// "owner", or the officer's only one. It writes a 403 page and returns
// false when the officer does not answer for that owner.
func (s *Server) ownerOf(w http.ResponseWriter, r *http.Request, v *visitor) (string, bool) {
	name := strings.TrimSpace(r.FormValue("owner"))
	if name == "" && len(v.Owners) == 1 {
		name = v.Owners[0]
	}
	for _, o := range v.Owners {
		if plan.SameOwner(o, name) {
			return o, true
		}
	}
	s.errorPage(w, r, v, http.StatusForbidden, "You cannot act for this lead owner",
		fmt.Sprintf("Your account answers for %s, not %q. A clerk can change which lead owners an account answers for: ask one if this is wrong.", orNone(v.Owners), name))
	return "", false
}

func orNone(names []string) string {
	if len(names) == 0 {
		return "no lead owners"
	}
	return strings.Join(names, ", ")
}

func (s *Server) downloadReturn(w http.ResponseWriter, r *http.Request, v *visitor) {
	q, ok := s.quarterOf(w, r, v)
	if !ok {
		return
	}
	owner, ok := s.ownerOf(w, r, v)
	if !ok {
		return
	}
	latest, _, err := s.latest(r.Context(), q)
	if isNotFound(err) {
		s.errorPage(w, r, v, http.StatusNotFound, "There is no return yet", "The plan has no statement yet, so there is nothing to return. The clerk will tell you when there is.")
		return
	}
	if err != nil {
		s.serverError(w, r, v, err)
		return
	}
	b, err := s.cfg.Maker.ReturnWorkbook(r.Context(), latest, owner, q.Label, q.Deadline)
	if errors.Is(err, ErrNothingToReturn) {
		s.errorPage(w, r, v, http.StatusNotFound, "There is nothing to return",
			fmt.Sprintf("Every action %s leads is complete in the last statement, so there is no return to fill in this quarter.", owner))
		return
	}
	if errors.Is(err, ErrUnavailable) {
		s.errorPage(w, r, v, http.StatusServiceUnavailable, "Pre-filled returns are not available yet",
			"This portal cannot make pre-filled returns yet. Ask the clerk for your return workbook, fill it in and upload it here.")
		return
	}
	if err != nil {
		s.serverError(w, r, v, fmt.Errorf("return for %s, %s: %w", owner, q.Label, err))
		return
	}
	s.audit(r.Context(), v.User.Email, "return.download", store.Digest(b), fmt.Sprintf("%s %s: return for %s", q.Plan, q.Label, owner))
	name := fmt.Sprintf("%s return - %s.xlsx", q.Label, owner)
	sendFile(w, name, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b)
}

// sendFile sends b as a download called name.
func sendFile(w http.ResponseWriter, name, contentType string, b []byte) {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\"`, r) || r < ' ' {
			return '_'
		}
		return r
	}, name)
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.Write(b)
}

// uploadResult is the page shown after an officer uploads a return.
type uploadResult struct {
	Quarter   Quarter
	Owner     string
	Owners    []string // for the form to upload again
	File      upload
	Size      string
	Actions   int
	Rejected  string // why the return cannot be used, if it cannot
	Problems  []plan.Problem
	Others    []foreignAction // actions in the return that other lead owners lead
	Conflicts []Conflict
	Changes   []changeRow
	Unchanged int
	Blank     []string // refs of the actions the return leaves empty
	PendingID string
	Errors    int // problems that stop the return being submitted
}

// foreignAction is an action in a return that the return's owner does not lead.
type foreignAction struct {
	Ref    string
	Action string
	Owners string
}

// changeRow is what a return changes in one action.
type changeRow struct {
	Ref    string
	Action string
	Status string
	Notes  []string
	Update string // the new update, when it changed
	Warn   bool   // the update was copied forward unchanged
}

func (s *Server) uploadReturn(w http.ResponseWriter, r *http.Request, v *visitor) {
	q, ok := s.quarterOf(w, r, v)
	if !ok {
		return
	}
	owner, ok := s.ownerOf(w, r, v)
	if !ok {
		return
	}
	if q.Accepted {
		s.errorPage(w, r, v, http.StatusConflict, "This quarter is closed",
			"The clerk has already accepted this quarter's statement. Send any changes to the clerk.")
		return
	}
	res := uploadResult{Quarter: q, Owner: owner, Owners: v.Owners}
	fail := func(status int, msg string) {
		s.render(w, r, v, status, "upload", page{Title: "Your return has a problem", Errors: []fieldError{{Field: "file", Message: msg}}, Data: res})
	}
	u, err := formFile(r, "file", s.cfg.UploadLimit)
	var uerr *errUpload
	switch {
	case errors.Is(err, errTooLarge):
		s.tooLarge(w, r, v)
		return
	case errors.As(err, &uerr):
		fail(http.StatusBadRequest, uerr.msg)
		return
	case err != nil:
		s.serverError(w, r, v, err)
		return
	}
	res.File, res.Size = u, size(len(u.Bytes))
	if err := sniffXLSX(u.Bytes); errors.As(err, &uerr) {
		fail(http.StatusBadRequest, uerr.msg)
		return
	}
	latest, _, err := s.latest(r.Context(), q)
	if err != nil {
		s.serverError(w, r, v, err) // the officer page offers no upload without a statement
		return
	}
	m, err := s.cfg.Merger.Merge(latest, q.Label, []ReturnFile{{Owner: owner, Name: u.Name, Bytes: u.Bytes}}, nil)
	switch {
	case errors.Is(err, ErrUnavailable):
		s.errorPage(w, r, v, http.StatusServiceUnavailable, "Checking returns is not available yet",
			"This portal cannot read returns yet, so nothing was stored. Send your completed return to the clerk.")
		return
	case err != nil:
		s.serverError(w, r, v, fmt.Errorf("merge a return for %s: %w", owner, err))
		return
	case len(m.Returns) != 1 || m.Statement == nil:
		s.serverError(w, r, v, fmt.Errorf("the merger gave %d results for 1 return", len(m.Returns)))
		return
	}
	rr := m.Returns[0]
	res.Actions, res.Rejected, res.Problems, res.Conflicts = len(rr.Refs), rr.Rejected, rr.Problems, m.Conflicts
	res.Others = foreignActions(latest, rr.Refs, owner)
	for _, p := range rr.Problems {
		if p.Severity == plan.SeverityError {
			res.Errors++
		}
	}
	if rr.Rejected == "" && len(rr.Refs) == 0 {
		fail(http.StatusUnprocessableEntity, "The workbook has no actions in it. Upload the return you downloaded from this page, filled in.")
		return
	}
	var errs []fieldError
	if rr.Rejected != "" {
		errs = append(errs, fieldError{Field: "rejected", Message: rr.Rejected})
	}
	if len(res.Others) > 0 {
		errs = append(errs, fieldError{Field: "others", Message: fmt.Sprintf("The return includes %s led by others: %s", plural(len(res.Others), "action", "actions"), refs(res.Others))})
	}
	if res.Errors > 0 && rr.Rejected == "" {
		errs = append(errs, fieldError{Field: "problems", Message: fmt.Sprintf("%s in the workbook must be corrected", plural(res.Errors, "problem", "problems"))})
	}
	if len(res.Conflicts) > 0 {
		errs = append(errs, fieldError{Field: "conflicts", Message: "The return contradicts itself: see the actions listed"})
	}
	if len(errs) > 0 {
		res.Errors = len(errs)
		s.render(w, r, v, http.StatusUnprocessableEntity, "upload", page{Title: "Your return cannot be submitted yet", Errors: errs, Data: res})
		return
	}
	mine := subset(m.Statement, owner)
	settings, err := s.cfg.Settings(s.today(), s.today())
	if err != nil {
		s.serverError(w, r, v, err)
		return
	}
	c, err := compare.Compare(plan.Inputs{Previous: subset(latest, owner), Current: mine}, settings.Compare)
	if err != nil {
		s.serverError(w, r, v, err)
		return
	}
	res.Changes, res.Unchanged = changeRows(c, rr.Problems)
	// Lines left empty are listed once, not as changes one by one.
	res.Blank = rr.Blank
	res.Changes = slices.DeleteFunc(res.Changes, func(row changeRow) bool { return slices.Contains(rr.Blank, row.Ref) })
	res.PendingID, err = s.keepPending(r.Context(), store.PendingUpload{
		UserID: v.User.ID, PlanID: q.PlanID, Quarter: q.Label, Owner: owner,
		FileName: u.Name, Bytes: u.Bytes, Statement: mine,
	})
	if err != nil {
		s.serverError(w, r, v, err)
		return
	}
	s.render(w, r, v, http.StatusOK, "upload", page{Title: "Check your return", Data: res})
}

// plural is "1 action", "2 actions".
func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

func refs(fs []foreignAction) string {
	var b []string
	for _, f := range fs {
		b = append(b, fmt.Sprintf("%s (%s)", f.Ref, f.Owners))
	}
	return strings.Join(b, ", ")
}

func size(n int) string {
	if n < 1<<20 {
		return fmt.Sprintf("%d KB", max(1, (n+512)>>10))
	}
	return megabytes(int64(n))
}

// foreignActions lists the actions of a return that owner does not lead,
// by the latest statement's lead owners (not the return's, which could
// have been edited), and any the latest statement does not have.
func foreignActions(latest *plan.Statement, refs []string, owner string) []foreignAction {
	byRef := map[string]*plan.Action{}
	for i := range latest.Actions {
		byRef[latest.Actions[i].Ref] = &latest.Actions[i]
	}
	var out []foreignAction
	for _, ref := range refs {
		a, ok := byRef[ref]
		if !ok {
			out = append(out, foreignAction{Ref: ref, Owners: "not in the last statement"})
			continue
		}
		mine := false
		for _, o := range a.Owners {
			mine = mine || plan.SameOwner(o, owner)
		}
		if !mine {
			who := strings.Join(a.Owners, " / ")
			if who == "" {
				who = "no lead owner"
			}
			out = append(out, foreignAction{Ref: ref, Action: shorten(a.Text, 100), Owners: who})
		}
	}
	return out
}

// subset is st with only owner's actions (and the recommendations they
// belong to).
func subset(st *plan.Statement, owner string) *plan.Statement {
	out := *st
	out.Actions = actionsOf(st, owner)
	out.Recommendations = nil
	for _, rec := range st.Recommendations {
		for _, a := range out.Actions {
			if a.Recommendation == rec.Ref {
				out.Recommendations = append(out.Recommendations, rec)
				break
			}
		}
	}
	return &out
}

// changeRows describes each changed action of a comparison and counts the
// unchanged ones. A change the return's problems already explain points to
// the problem's cell rather than saying it again.
func changeRows(c *plan.Comparison, problems []plan.Problem) (rows []changeRow, unchanged int) {
	for _, ch := range c.Actions {
		a := ch.Action
		row := changeRow{Ref: a.Ref, Action: shorten(a.Text, 160), Status: ch.Status.Label()}
		switch ch.Change {
		case plan.ChangeNew:
			row.Notes = append(row.Notes, "New action: not in the last statement")
		case plan.ChangeRemoved:
			row.Notes = append(row.Notes, "Left out: it stays as in the last statement")
		}
		if ch.Change == plan.ChangeCarried {
			prev := ch.Previous
			switch {
			case ch.CompletedThisPeriod && a.Completed.IsZero():
				// Complete by its status alone.
				row.Notes = append(row.Notes, "Marked complete, with no date completed")
			case ch.CompletedThisPeriod:
				note := "Completed on " + a.Completed.Display()
				if prev != nil && a.Completed.Date.Equal(returns.Suggest(prev).Date.Date) {
					note += ": the date filled in from your last update, which you left in (clear it in the return if it is not right)"
				}
				row.Notes = append(row.Notes, note)
			case !a.Completed.IsZero() && prev != nil && a.Completed.Date != prev.Completed.Date:
				row.Notes = append(row.Notes, "Completion date changed to "+a.Completed.Display())
			}
			switch {
			case ch.Slipped():
				row.Notes = append(row.Notes, fmt.Sprintf("Target moved from %s to %s (%s later)", prev.Target().Display(), a.Target().Display(), plural(*ch.SlipDays, "day", "days")))
			case ch.BroughtForward():
				row.Notes = append(row.Notes, fmt.Sprintf("Target brought forward from %s to %s", prev.Target().Display(), a.Target().Display()))
			case prev != nil && prev.Target().IsZero() && !a.Target().IsZero():
				row.Notes = append(row.Notes, "New target date: "+a.Target().Display())
			case prev != nil && !prev.Target().IsZero() && a.Target().IsZero():
				if cell := problemCell(problems, a.Schedule.Text); cell != "" {
					row.Notes = append(row.Notes, fmt.Sprintf("Target date %s removed: see cell %s under Problems in the workbook", prev.Target().Display(), cell))
				} else {
					row.Notes = append(row.Notes, fmt.Sprintf("Target date %s removed (%q cannot be read as a date)", prev.Target().Display(), a.Schedule.Text))
				}
			}
			if a.Status != "" && prev != nil && !strings.EqualFold(a.Status, prev.Status) {
				row.Notes = append(row.Notes, "Status given: "+a.Status)
			}
			for _, f := range a.Extra {
				if f.Value != "" && prev != nil && extra(prev, f.Name) != f.Value {
					row.Notes = append(row.Notes, f.Name+": "+f.Value)
				}
			}
			if ch.UpdateChanged {
				row.Notes = append(row.Notes, "Update changed")
				row.Update = a.Update
			}
			if ch.UpdateCopied && !ch.UpdateChanged {
				row.Notes = append(row.Notes, "Update is word for word last quarter's: is there nothing new?")
				row.Warn = true
			}
		}
		if len(row.Notes) == 0 || (row.Warn && len(row.Notes) == 1) {
			unchanged++
			if !row.Warn {
				continue
			}
		}
		rows = append(rows, row)
	}
	return rows, unchanged
}

// problemCell is the cell of the first problem that quotes text, or "".
func problemCell(problems []plan.Problem, text string) string {
	if strings.TrimSpace(text) == "" {
		return ""
	}
	for _, p := range problems {
		if strings.Contains(p.Message, text) {
			return p.Cell
		}
	}
	return ""
}

// extra is the value of an action's extra column called name, or "".
func extra(a *plan.Action, name string) string {
	for _, f := range a.Extra {
		if f.Name == name {
			return f.Value
		}
	}
	return ""
}

// today is the date now, in London, as midnight UTC (how plan dates are kept).
func (s *Server) today() time.Time {
	t := s.now().In(london)
	return plan.Day(t.Date())
}

func (s *Server) submitReturn(w http.ResponseWriter, r *http.Request, v *visitor) {
	q, ok := s.quarterOf(w, r, v)
	if !ok {
		return
	}
	gone := func() {
		s.errorPage(w, r, v, http.StatusGone, "Upload your return again",
			"This upload has expired or has already been submitted. Check your returns page: if it is not listed there, upload the file again.")
	}
	p, err := s.db.PendingUploadByIDHash(r.Context(), tokenHash(r.PostFormValue("pending")), s.now())
	switch {
	case isNotFound(err):
		gone()
		return
	case err != nil:
		s.serverError(w, r, v, err)
		return
	case p.UserID != v.User.ID:
		s.errorPage(w, r, v, http.StatusForbidden, "This is not your upload", "You can submit only returns you uploaded yourself.")
		return
	case p.PlanID != q.PlanID || p.Quarter != q.Label:
		s.errorPage(w, r, v, http.StatusBadRequest, "The upload is for another quarter", "Go back to your returns page and submit it from there.")
		return
	case !v.answersFor(p.Owner):
		s.errorPage(w, r, v, http.StatusForbidden, "You cannot act for this lead owner", fmt.Sprintf("Your account no longer answers for %s.", p.Owner))
		return
	}
	if q.Accepted {
		s.errorPage(w, r, v, http.StatusConflict, "This quarter is closed", "The clerk accepted this quarter's statement while you were checking your return. Send your changes to the clerk.")
		return
	}
	// The return and its audit line are kept together or not at all, and
	// the pending upload is deleted with them: it is submitted once, and
	// stays if the submission fails.
	rec, err := s.db.AddReturnAudited(r.Context(), store.ReturnInput{
		Plan: p.Plan, Quarter: p.Quarter, Owner: p.Owner, FileName: p.FileName, Bytes: p.Bytes,
		SubmittedBy: v.User.Email, SubmittedAt: s.now(), Statement: p.Statement, PendingIDHash: p.IDHash,
	}, store.Event{At: s.now(), Actor: v.User.Email, Action: "return.submit",
		Detail: fmt.Sprintf("%s %s: return for %s, version %s, %d actions, file %q", p.Plan, p.Quarter, p.Owner, store.VersionMark, len(p.Statement.Actions), p.FileName)})
	dup := errors.Is(err, store.ErrDuplicate)
	switch {
	case isNotFound(err): // submitted meanwhile, from another tab
		gone()
		return
	case err != nil && !dup:
		s.serverError(w, r, v, err)
		return
	}
	if !dup && s.cfg.Submitted != nil {
		s.cfg.Submitted()
	}
	s.render(w, r, v, http.StatusOK, "submitted", page{Title: "Return received", Data: struct {
		Quarter   Quarter
		Record    store.ReturnRecord
		Duplicate bool
		Late      bool
	}{q, rec, dup, lateReturn(q, rec)}})
}
