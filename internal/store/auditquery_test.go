package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"
)

func TestAuditEvents(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	at := time.Date(2021, 1, 10, 9, 0, 0, 0, time.UTC)
	add := func(actor, action, detail string) {
		t.Helper()
		if _, err := db.Audit(ctx, Event{At: at, Actor: actor, Action: action, Detail: detail}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 7 {
		add("Robert@example.gov.uk", "return.submit", fmt.Sprintf("Plan 2021-Q1: return %d", i))
	}
	add("jane@example.gov.uk", "return.submit", "Plan 2021-Q2: return")
	add("clerk@example.gov.uk", "statement.accept", "Plan 2021-Q1: accepted")

	for _, tc := range []struct {
		name  string
		q     AuditQuery
		total int
		want  []string // details, newest first
	}{
		{"everything, one page", AuditQuery{Limit: 2}, 9, []string{"Plan 2021-Q1: accepted", "Plan 2021-Q2: return"}},
		{"a quarter", AuditQuery{Quarter: "2021-Q2", Limit: 10}, 1, []string{"Plan 2021-Q2: return"}},
		{"a person, any case", AuditQuery{Actor: "robert@EXAMPLE.gov.uk", Limit: 3, Offset: 5}, 7, []string{"Plan 2021-Q1: return 1", "Plan 2021-Q1: return 0"}},
		{"an action and a quarter", AuditQuery{Quarter: "2021-Q1", Action: "statement.accept", Limit: 10}, 1, []string{"Plan 2021-Q1: accepted"}},
		{"count only", AuditQuery{Action: "return.submit"}, 8, nil},
		{"nothing", AuditQuery{Action: "user.remove", Limit: 10}, 0, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			es, total, err := db.AuditEvents(ctx, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range es {
				got = append(got, e.Detail)
			}
			if total != tc.total || !slices.Equal(got, tc.want) {
				t.Errorf("%d %q, want %d %q", total, got, tc.total, tc.want)
			}
		})
	}
	if _, _, err := db.AuditEvents(ctx, AuditQuery{Quarter: "2021-Q5' OR 1=1", Limit: 1}); !errors.Is(err, ErrInvalid) {
		t.Errorf("a quarter that is no quarter: %v", err)
	}
	actors, actions, err := db.AuditNames(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(actors, []string{"clerk@example.gov.uk", "jane@example.gov.uk", "Robert@example.gov.uk"}) ||
		!slices.Equal(actions, []string{"return.submit", "statement.accept"}) {
		t.Errorf("names: %q %q", actors, actions)
	}
}
