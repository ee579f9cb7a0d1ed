package portal

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"papers/internal/plan"
	"papers/internal/store"
)

// enterEvent is the audit log's record of a return a clerk entered for a
// lead owner who sent it another way (by phone, by email): the line names
// the clerk as the actor and the lead owner it is for, as the return's own
// record does (SubmittedBy, Owner).
const enterEvent = "return.enter"

// enterReturn keeps a return the clerk uploads on a lead owner's behalf.
// It is checked as an officer's upload is; one with problems is refused
// with the problems beside the form, and nothing is stored.
func (s *Server) enterReturn(w http.ResponseWriter, r *http.Request, v *visitor) {
	q, ok := s.quarterOf(w, r, v)
	if !ok {
		return
	}
	ctx := r.Context()
	if q.Accepted {
		s.quarterError(w, r, v, q, http.StatusConflict, "enter-owner", "The quarter's statement is accepted: undo the acceptance before entering a return")
		return
	}
	latest, _, err := s.latest(ctx, q)
	if isNotFound(err) {
		s.errorPage(w, r, v, http.StatusConflict, "There is nothing to return", "The plan has no statement yet. Upload the plan as agreed first.")
		return
	}
	if err != nil {
		s.serverError(w, r, v, err)
		return
	}
	rows, err := s.chaseList(ctx, q, latest)
	if err != nil {
		s.serverError(w, r, v, err)
		return
	}
	name := strings.TrimSpace(r.PostFormValue("owner"))
	owner := ""
	for _, c := range rows {
		if plan.SameOwner(c.Owner, name) {
			owner = c.Owner
		}
	}
	if owner == "" {
		s.quarterError(w, r, v, q, http.StatusBadRequest, "enter-owner", "Choose the lead owner the return is for")
		return
	}
	u, err := formFile(r, "file", s.cfg.UploadLimit)
	var uerr *errUpload
	switch {
	case errors.Is(err, errTooLarge):
		s.tooLarge(w, r, v)
		return
	case errors.As(err, &uerr):
		s.quarterError(w, r, v, q, http.StatusBadRequest, "enter-file", uerr.msg)
		return
	case err != nil:
		s.serverError(w, r, v, err)
		return
	}
	if err := sniffXLSX(u.Bytes); errors.As(err, &uerr) {
		s.quarterError(w, r, v, q, http.StatusBadRequest, "enter-file", uerr.msg)
		return
	}
	m, err := s.cfg.Merger.Merge(latest, q.Label, []ReturnFile{{Owner: owner, Name: u.Name, Bytes: u.Bytes}}, nil)
	switch {
	case errors.Is(err, ErrUnavailable):
		s.errorPage(w, r, v, http.StatusServiceUnavailable, "Checking returns is not available yet", "This portal cannot read returns yet, so nothing was stored.")
		return
	case err != nil:
		s.serverError(w, r, v, fmt.Errorf("merge a return for %s: %w", owner, err))
		return
	case len(m.Returns) != 1 || m.Statement == nil:
		s.serverError(w, r, v, fmt.Errorf("the merger gave %d results for 1 return", len(m.Returns)))
		return
	}
	if msg := returnFault(latest, owner, m); msg != "" {
		s.quarterError(w, r, v, q, http.StatusUnprocessableEntity, "enter-file", msg)
		return
	}
	mine := subset(m.Statement, owner)
	now := s.now()
	rec, err := s.db.AddReturnAudited(ctx, store.ReturnInput{
		Plan: q.Plan, Quarter: q.Label, Owner: owner, FileName: u.Name, Bytes: u.Bytes,
		SubmittedBy: v.User.Email, SubmittedAt: now, Statement: mine,
	}, store.Event{At: now, Actor: v.User.Email, Action: enterEvent,
		Detail: fmt.Sprintf("%s %s: return for %s, version %s, entered by %s for %s, %d actions, file %q",
			q.Plan, q.Label, owner, store.VersionMark, v.User.Email, owner, len(mine.Actions), u.Name)})
	done := "entered"
	switch {
	case errors.Is(err, store.ErrDuplicate):
		done = "entered-same"
	case err != nil:
		s.serverError(w, r, v, err)
		return
	}
	if done == "entered" && s.cfg.Submitted != nil {
		s.cfg.Submitted() // a receipt for the lead owner, as for their own
	}
	http.Redirect(w, r, fmt.Sprintf("/clerk/quarters%s/returns/%d?done=%s", q.Path(), rec.ID, done), http.StatusSeeOther)
}

// returnFault says why a return checked for owner cannot be kept, or "".
func returnFault(latest *plan.Statement, owner string, m Merged) string {
	rr := m.Returns[0]
	var faults []string
	if rr.Rejected != "" {
		faults = append(faults, rr.Rejected)
	}
	if rr.Rejected == "" && len(rr.Refs) == 0 {
		faults = append(faults, "The workbook has no actions in it")
	}
	if others := foreignActions(latest, rr.Refs, owner); len(others) > 0 {
		faults = append(faults, fmt.Sprintf("The return includes %s led by others: %s", plural(len(others), "action", "actions"), refs(others)))
	}
	for _, p := range rr.Problems {
		if p.Severity == plan.SeverityError {
			faults = append(faults, fmt.Sprintf("Cell %s: %s", p.Cell, p.Message))
		}
	}
	for _, c := range m.Conflicts {
		faults = append(faults, fmt.Sprintf("%s: the return gives two values for the %s", c.Ref, c.FieldName()))
	}
	if len(faults) == 0 {
		return ""
	}
	return "This return cannot be kept: " + strings.Join(faults, "; ") + ". Nothing was stored."
}
