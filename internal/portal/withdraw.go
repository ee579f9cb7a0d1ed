package portal

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"papers/internal/store"
)

// withdrawStatement takes a statement out of the history: a quarter's
// acceptance undone, or a workbook the clerk uploaded by mistake. The
// statement is kept for the record, marked withdrawn, with an audit line
// saying who, when and why; the quarter is open for returns again.
func (s *Server) withdrawStatement(w http.ResponseWriter, r *http.Request, v *visitor) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return
	}
	ctx := r.Context()
	rec, _, _, err := s.db.Statement(ctx, id)
	if isNotFound(err) {
		s.errorPage(w, r, v, http.StatusNotFound, "There is no such statement", "It may have been removed from the history already. Nothing was changed.")
		return
	}
	if err != nil {
		s.serverError(w, r, v, err)
		return
	}
	back := s.statementPage(r, rec)
	reason := strings.Join(strings.Fields(r.PostFormValue("reason")), " ")
	switch {
	case rec.Withdrawn != nil:
		http.Redirect(w, r, back+"?done=withdrawn", http.StatusSeeOther)
		return
	case reason == "" || utf8.RuneCountInString(reason) > 500:
		s.errorPage(w, r, v, http.StatusBadRequest, "Say why",
			"Say in a few words (at most 500 characters) why the statement is being withdrawn: it is kept in the audit log. Go back and try again. Nothing was changed.")
		return
	}
	now := s.now()
	_, err = s.db.WithdrawStatement(ctx, id, store.Withdrawal{By: v.User.Email, At: now, Reason: reason},
		store.Event{At: now, Actor: v.User.Email, Action: "statement.withdraw",
			Detail: fmt.Sprintf("%s %s: %s version %s withdrawn (file %q): %s", rec.Plan, rec.Quarter, rec.Kind, store.VersionMark, rec.FileName, reason)})
	switch {
	case errors.Is(err, store.ErrDuplicate):
	case err != nil:
		s.serverError(w, r, v, err)
		return
	}
	http.Redirect(w, r, back+"?done=withdrawn", http.StatusSeeOther)
}

// statementPage is where a statement's withdrawal returns the clerk to: its
// quarter's page when the quarter is open in the portal, else the plan's
// history.
func (s *Server) statementPage(r *http.Request, rec store.StatementRecord) string {
	q, open, err := s.openQuarterNamed(r.Context(), rec.Plan, rec.Quarter)
	if err == nil && open && rec.Kind == store.KindStatement {
		return "/clerk/quarters" + q.Path()
	}
	if p, err := s.db.PlanNamed(r.Context(), rec.Plan); err == nil {
		return fmt.Sprintf("/clerk/plans/%d/history", p.ID)
	}
	return "/clerk"
}
