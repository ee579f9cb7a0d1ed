package portal

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"papers/internal/store"
)

// Quarter is a plan's quarter that a clerk has opened for returns.
type Quarter struct {
	PlanID   int64
	Plan     string
	Label    string    // "2021-Q1"
	Deadline time.Time // the day returns are due
	OpenedBy string
	OpenedAt time.Time
	Accepted bool // the quarter has a statement in the store
}

// Path is the quarter's part of a URL: "/1/2021-Q1".
func (q Quarter) Path() string { return fmt.Sprintf("/%d/%s", q.PlanID, q.Label) }

// quarterEvent is the audit log's record of opening a quarter (or changing
// its deadline): the store has no table of quarters, and the audit log is
// where a clerk's decisions are kept, so the quarters are read back from it.
const quarterEvent = "quarter.open"

type quarterDetail struct {
	PlanID   int64  `json:"plan_id"`
	Plan     string `json:"plan"`
	Quarter  string `json:"quarter"`
	Deadline string `json:"deadline"` // YYYY-MM-DD
}

var quarterLabel = regexp.MustCompile(`^[0-9]{4}-Q[1-4]$`)

// chooseEvent is the audit log's record of a clerk choosing one of the
// values of a conflict between returns; like quarters, choices are read
// back from the log. The latest choice for a conflict stands.
const chooseEvent = "quarter.choose"

type chooseDetail struct {
	PlanID  int64    `json:"plan_id"`
	Plan    string   `json:"plan"`
	Quarter string   `json:"quarter"`
	Key     string   `json:"key"`  // the conflict's key: "2.2:update"
	Text    string   `json:"text"` // the value chosen
	From    []string `json:"from"` // who gave it, when chosen
}

// quarterBook reads the quarters and the clerk's choices from the audit
// log, reading on from where it last stopped.
type quarterBook struct {
	db *store.DB

	mu      sync.Mutex
	lastID  int64
	byKey   map[string]*Quarter          // plan ID/label
	choices map[string]map[string]string // plan ID/label → conflict key → text chosen
}

// chosen returns the clerk's choices for a quarter: conflict key → the text
// of the value chosen.
func (b *quarterBook) chosen(ctx context.Context, planID int64, label string) (map[string]string, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.refresh(ctx); err != nil {
		return nil, err
	}
	out := map[string]string{}
	for k, v := range b.choices[fmt.Sprintf("%d/%s", planID, label)] {
		out[k] = v
	}
	return out, nil
}

// all returns every quarter opened, newest label first.
func (b *quarterBook) all(ctx context.Context) ([]Quarter, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.refresh(ctx); err != nil {
		return nil, err
	}
	qs := make([]Quarter, 0, len(b.byKey))
	for _, q := range b.byKey {
		qs = append(qs, *q)
	}
	slices.SortFunc(qs, func(a, b Quarter) int {
		if c := strings.Compare(b.Label, a.Label); c != 0 {
			return c
		}
		return strings.Compare(a.Plan, b.Plan)
	})
	return qs, nil
}

// find returns the quarter of the plan with the given ID, if it is open.
func (b *quarterBook) find(ctx context.Context, planID int64, label string) (Quarter, bool, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.refresh(ctx); err != nil {
		return Quarter{}, false, err
	}
	q, ok := b.byKey[fmt.Sprintf("%d/%s", planID, label)]
	if !ok {
		return Quarter{}, false, nil
	}
	return *q, true, nil
}

func (b *quarterBook) refresh(ctx context.Context) error {
	if b.byKey == nil {
		b.byKey = map[string]*Quarter{}
		b.choices = map[string]map[string]string{}
	}
	const page = 500
	for {
		es, err := b.db.AuditLog(ctx, b.lastID, page)
		if err != nil {
			return err
		}
		for _, e := range es {
			b.lastID = e.ID
			if e.Action == chooseEvent {
				var d chooseDetail
				if err := json.Unmarshal([]byte(e.Detail), &d); err != nil {
					return fmt.Errorf("audit event %d (%s): %w", e.ID, e.Action, err)
				}
				key := fmt.Sprintf("%d/%s", d.PlanID, d.Quarter)
				if b.choices[key] == nil {
					b.choices[key] = map[string]string{}
				}
				b.choices[key][d.Key] = d.Text
				continue
			}
			if e.Action != quarterEvent {
				continue
			}
			var d quarterDetail
			if err := json.Unmarshal([]byte(e.Detail), &d); err != nil {
				return fmt.Errorf("audit event %d (%s): %w", e.ID, e.Action, err)
			}
			deadline, err := time.Parse("2006-01-02", d.Deadline)
			if err != nil {
				return fmt.Errorf("audit event %d (%s): %w", e.ID, e.Action, err)
			}
			key := fmt.Sprintf("%d/%s", d.PlanID, d.Quarter)
			q := b.byKey[key]
			if q == nil {
				q = &Quarter{PlanID: d.PlanID, Plan: d.Plan, Label: d.Quarter, OpenedBy: e.Actor, OpenedAt: e.At}
				b.byKey[key] = q
			}
			q.Deadline = deadline
		}
		if len(es) < page {
			return nil
		}
	}
}

// openQuarter records a quarter (or a new deadline for one) in the audit log.
func (s *Server) openQuarter(ctx context.Context, actor string, p store.Plan, label string, deadline time.Time) error {
	d, err := json.Marshal(quarterDetail{PlanID: p.ID, Plan: p.Name, Quarter: label, Deadline: deadline.Format("2006-01-02")})
	if err != nil {
		return err
	}
	_, err = s.db.Audit(ctx, store.Event{At: s.now(), Actor: actor, Action: quarterEvent, Detail: string(d)})
	return err
}

// recordChoice records in the audit log the clerk's choice of a value for
// a conflict.
func (s *Server) recordChoice(ctx context.Context, actor string, q Quarter, c Conflict, v ConflictValue) error {
	d, err := json.Marshal(chooseDetail{PlanID: q.PlanID, Plan: q.Plan, Quarter: q.Label, Key: c.Key, Text: v.Text, From: v.From})
	if err != nil {
		return err
	}
	_, err = s.db.Audit(ctx, store.Event{At: s.now(), Actor: actor, Action: chooseEvent, Detail: string(d)})
	return err
}

// withStatus marks the quarters whose statement has been accepted.
func (s *Server) withStatus(ctx context.Context, qs []Quarter) ([]Quarter, error) {
	accepted := map[string]bool{}
	seen := map[int64]bool{}
	for _, q := range qs {
		if seen[q.PlanID] {
			continue
		}
		seen[q.PlanID] = true
		hist, err := s.db.History(ctx, q.Plan)
		if err != nil && !isNotFound(err) {
			return nil, err
		}
		for _, h := range hist {
			if h.Kind == store.KindStatement {
				accepted[fmt.Sprintf("%d/%s", q.PlanID, h.Quarter)] = true
			}
		}
	}
	for i := range qs {
		qs[i].Accepted = accepted[fmt.Sprintf("%d/%s", qs[i].PlanID, qs[i].Label)]
	}
	return qs, nil
}
