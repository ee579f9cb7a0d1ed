package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// TestWithdrawStatement: an acceptance undone takes the statement out of
// the history and out of Latest, keeps it for the record, and audits it.
func TestWithdrawStatement(t *testing.T) { backends(t, testWithdrawStatement) }

func testWithdrawStatement(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	base, err := db.AddStatement(ctx, input("Plan", "2020-Q3", KindBaseline, "agreed"))
	if err != nil {
		t.Fatal(err)
	}
	v1, err := db.AddStatement(ctx, input("Plan", "2020-Q4", KindStatement, "first"))
	if err != nil {
		t.Fatal(err)
	}
	v2, err := db.AddStatement(ctx, input("Plan", "2020-Q4", KindStatement, "second"))
	if err != nil {
		t.Fatal(err)
	}
	at := t0.Add(time.Hour)
	w := Withdrawal{By: "clerk@example.gov.uk", At: at, Reason: "accepted before Jane's return arrived"}
	got, err := db.WithdrawStatement(ctx, v2.ID, w, Event{At: at, Actor: w.By, Action: "statement.withdraw", Detail: "version {version}: " + w.Reason})
	if err != nil {
		t.Fatal(err)
	}
	if got.Withdrawn == nil || *got.Withdrawn != (Withdrawal{By: w.By, At: at.UTC(), Reason: w.Reason}) {
		t.Errorf("withdrawn record: %+v", got.Withdrawn)
	}

	rec, _, err := db.Latest(ctx, "Plan", KindStatement, "")
	if err != nil || rec.ID != v1.ID {
		t.Errorf("latest after withdrawing version 2: %+v, %v (want version 1)", rec, err)
	}
	hist, err := db.History(ctx, "Plan")
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != 2 || hist[0].ID != base.ID || hist[1].ID != v1.ID {
		t.Errorf("history: %+v", hist)
	}
	all, err := db.HistoryWithWithdrawn(ctx, "Plan")
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 3 || all[2].ID != v2.ID || all[2].Withdrawn == nil || all[1].Withdrawn != nil {
		t.Errorf("history with withdrawn: %+v", all)
	}
	// Kept for the record.
	if r, st, b, err := db.Statement(ctx, v2.ID); err != nil || st == nil || Digest(b) != v2.SHA256 || r.Withdrawn == nil {
		t.Errorf("the withdrawn statement itself: %+v %v", r, err)
	}
	es, _ := db.AuditLog(ctx, 0, 100)
	if len(es) != 1 || es[0].Action != "statement.withdraw" || es[0].SHA256 != v2.SHA256 || !strings.HasPrefix(es[0].Detail, "version 2: ") {
		t.Errorf("audit: %+v", es)
	}

	if _, err := db.WithdrawStatement(ctx, v2.ID, w, Event{At: at, Actor: w.By, Action: "statement.withdraw"}); !errors.Is(err, ErrDuplicate) {
		t.Errorf("withdrawn twice: %v", err)
	}
	if _, err := db.WithdrawStatement(ctx, 999, w, Event{At: at, Actor: w.By, Action: "statement.withdraw"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("no such statement: %v", err)
	}
	if es, _ := db.AuditLog(ctx, 0, 100); len(es) != 1 {
		t.Errorf("a refused withdrawal was audited: %d events", len(es))
	}

	// The same bytes accepted again are a new version, not a duplicate of
	// the withdrawn one; the same bytes as the standing one are.
	v3, err := db.AddStatement(ctx, input("Plan", "2020-Q4", KindStatement, "second"))
	if err != nil || v3.Version != 3 {
		t.Errorf("re-accepted after withdrawal: version %d, %v", v3.Version, err)
	}
	if _, err := db.AddStatement(ctx, input("Plan", "2020-Q4", KindStatement, "second")); !errors.Is(err, ErrDuplicate) {
		t.Errorf("same bytes as the standing version: %v", err)
	}

	for _, sql := range []string{`DELETE FROM statement_withdrawals`, `UPDATE statement_withdrawals SET reason = 'x'`} {
		if _, err := db.write.ExecContext(ctx, sql); err == nil || !strings.Contains(err.Error(), "withdrawals are immutable") {
			t.Errorf("%s: %v", sql, err)
		}
	}
}
