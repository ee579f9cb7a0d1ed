package compare

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"io"
	"math"

	"papers/internal/plan"
)

// WriteJSON writes the comparison as JSON: {as_of, previous, current,
// baseline, summary, actions}, indented two spaces, dates as YYYY-MM-DD or
// null, scores to three decimals, HTML characters not escaped.
//
// The JSON is an interface other programs read: its field names, their
// order, types and nulls are fixed (change them only additively). The
// actions are encoded one at a time, so a large comparison is never held
// as JSON whole.
func WriteJSON(w io.Writer, c *plan.Comparison) error {
	if c == nil || c.Previous == nil || c.Current == nil {
		return errors.New("compare: no comparison to write")
	}
	// A score JSON cannot hold fails the whole document before any of it
	// is written, with encoding/json's error.
	for i := range c.Actions {
		if s, ok := unwritableScore(&c.Actions[i]); ok {
			_, err := json.Marshal(s)
			return err
		}
	}

	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)

	// The document without its actions, then the actions written into its
	// last member one by one, each indented as an element of that array.
	enc.SetIndent("", "  ")
	if err := enc.Encode(newJSONHead(c)); err != nil {
		return err
	}
	buf.Truncate(buf.Len() - len("\n}\n"))
	buf.WriteString(",\n  \"actions\": [")
	enc.SetIndent("    ", "  ")
	for i := range c.Actions {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.WriteString("\n    ")
		if err := enc.Encode(newJSONAction(&c.Actions[i])); err != nil {
			return err
		}
		buf.Truncate(buf.Len() - 1) // Encode's newline
		if buf.Len() >= jsonChunk {
			if _, err := w.Write(buf.Bytes()); err != nil {
				return err
			}
			buf.Reset()
		}
	}
	if len(c.Actions) > 0 {
		buf.WriteString("\n  ")
	}
	buf.WriteString("]\n}\n")
	_, err := w.Write(buf.Bytes())
	return err
}

// jsonChunk is how much JSON is gathered before it is written.
const jsonChunk = 64 << 10

// jsonHead is the document but its actions, which WriteJSON appends.
type jsonHead struct {
	AsOf     string         `json:"as_of"`
	Previous jsonStatement  `json:"previous"`
	Current  jsonStatement  `json:"current"`
	Baseline *jsonStatement `json:"baseline"`
	Summary  jsonSummary    `json:"summary"`
}

type jsonStatement struct {
	File  string `json:"file"`
	Title string `json:"title"`
}

type jsonSummary struct {
	Total               int              `json:"total"`
	ByStatus            jsonStatusCounts `json:"by_status"`
	ByChange            jsonChangeCounts `json:"by_change"`
	CompletedThisPeriod int              `json:"completed_this_period"`
	Slipped             int              `json:"slipped"`
	UpdateCopied        int              `json:"update_copied"`
	OwnerChanged        int              `json:"owner_changed"`
	PossibleMatches     int              `json:"possible_matches"`
}

// jsonStatusCounts holds every status, in plan.Statuses order, whether
// counted or not; TestJSONCountsFollowStatuses holds it to that list.
type jsonStatusCounts struct {
	Overdue      int `json:"overdue"`
	DueSoon      int `json:"due_soon"`
	OnTrack      int `json:"on_track"`
	NoDate       int `json:"no_date"`
	CompleteLate int `json:"complete_late"`
	Complete     int `json:"complete"`
	Removed      int `json:"removed"`
}

// jsonChangeCounts holds every change, in changes order, whether counted
// or not; TestJSONCountsFollowStatuses holds it to that list.
type jsonChangeCounts struct {
	Carried int `json:"carried"`
	New     int `json:"new"`
	Removed int `json:"removed"`
}

type jsonAction struct {
	Ref                 string             `json:"ref"`
	Recommendation      string             `json:"recommendation"`
	Action              string             `json:"action"`
	Owner               string             `json:"owner"`
	Owners              []string           `json:"owners"` // [] when there are none, never null
	Target              *string            `json:"target"`
	TargetText          string             `json:"target_text"`
	PreviousTarget      *string            `json:"previous_target"`
	BaselineTarget      *string            `json:"baseline_target"`
	SlipDays            *int               `json:"slip_days"`
	BaselineSlipDays    *int               `json:"baseline_slip_days"`
	TimesMoved          int                `json:"times_moved"`
	Status              plan.Status        `json:"status"`
	OverdueDays         int                `json:"overdue_days"`
	Completed           *string            `json:"completed"`
	CompletedLateDays   int                `json:"completed_late_days"`
	Change              plan.Change        `json:"change"`
	CompletedThisPeriod bool               `json:"completed_this_period"`
	UpdateChanged       bool               `json:"update_changed"`
	UpdateCopied        bool               `json:"update_copied"`
	OwnerChanged        bool               `json:"owner_changed"`
	RAG                 plan.RAG           `json:"rag"`
	ReportedRAG         plan.RAG           `json:"reported_rag"`
	Update              string             `json:"update"`
	UpdateSays          jsonUpdateSays     `json:"update_says"`
	Match               *jsonMatch         `json:"match"`
	PossibleMatch       *jsonPossibleMatch `json:"possible_match"`
}

// jsonUpdateSays is what the update reports.
type jsonUpdateSays struct {
	State plan.UpdateState `json:"state"`
	Date  *string          `json:"date"`
	Quote string           `json:"quote"`
}

type jsonMatch struct {
	PreviousRef string  `json:"previous_ref"`
	Score       float64 `json:"score"`
	Reason      string  `json:"reason"`
}

type jsonPossibleMatch struct {
	PreviousRef string  `json:"previous_ref"`
	CurrentRef  string  `json:"current_ref"`
	Score       float64 `json:"score"`
}

func newJSONHead(c *plan.Comparison) jsonHead {
	s := &c.Summary
	h := jsonHead{
		AsOf:     c.AsOf.Format("2006-01-02"),
		Previous: jsonStatement{File: c.Previous.File, Title: c.Previous.Title},
		Current:  jsonStatement{File: c.Current.File, Title: c.Current.Title},
		Summary: jsonSummary{
			Total: s.Total,
			ByStatus: jsonStatusCounts{
				Overdue:      s.ByStatus[plan.StatusOverdue],
				DueSoon:      s.ByStatus[plan.StatusDueSoon],
				OnTrack:      s.ByStatus[plan.StatusOnTrack],
				NoDate:       s.ByStatus[plan.StatusNoDate],
				CompleteLate: s.ByStatus[plan.StatusCompleteLate],
				Complete:     s.ByStatus[plan.StatusComplete],
				Removed:      s.ByStatus[plan.StatusRemoved],
			},
			ByChange: jsonChangeCounts{
				Carried: s.ByChange[plan.ChangeCarried],
				New:     s.ByChange[plan.ChangeNew],
				Removed: s.ByChange[plan.ChangeRemoved],
			},
			CompletedThisPeriod: s.CompletedThisPeriod,
			Slipped:             s.Slipped,
			UpdateCopied:        s.UpdateCopied,
			OwnerChanged:        s.OwnerChanged,
			PossibleMatches:     s.PossibleMatches,
		},
	}
	if c.Baseline != nil {
		h.Baseline = &jsonStatement{File: c.Baseline.File, Title: c.Baseline.Title}
	}
	return h
}

func newJSONAction(ch *plan.ActionChange) jsonAction {
	a := &ch.Action
	j := jsonAction{
		Ref:                 a.Ref,
		Recommendation:      a.Recommendation,
		Action:              a.Text,
		Owner:               a.Owner,
		Owners:              a.Owners,
		Target:              jsonDate(a.Target()),
		TargetText:          a.Schedule.Text,
		SlipDays:            ch.SlipDays,
		BaselineSlipDays:    ch.BaselineSlipDays,
		TimesMoved:          ch.TimesMoved,
		Status:              ch.Status,
		OverdueDays:         ch.OverdueDays,
		Completed:           jsonDate(a.Completed),
		CompletedLateDays:   ch.CompletedLateDays,
		Change:              ch.Change,
		CompletedThisPeriod: ch.CompletedThisPeriod,
		UpdateChanged:       ch.UpdateChanged,
		UpdateCopied:        ch.UpdateCopied,
		OwnerChanged:        ch.OwnerChanged,
		RAG:                 ch.RAG,
		ReportedRAG:         ch.ReportedRAG,
		Update:              a.Update,
		UpdateSays: jsonUpdateSays{
			// A reading never made (a comparison built by hand) is none.
			State: cmp.Or(ch.UpdateSays.State, plan.UpdateNone),
			Date:  jsonDate(ch.UpdateSays.Date),
			Quote: ch.UpdateSays.Quote,
		},
	}
	if j.Owners == nil {
		j.Owners = []string{}
	}
	if ch.Previous != nil {
		j.PreviousTarget = jsonDate(ch.Previous.Target())
	}
	if ch.Baseline != nil {
		j.BaselineTarget = jsonDate(ch.Baseline.Target())
	}
	if m := ch.Match; m != nil {
		j.Match = &jsonMatch{PreviousRef: m.PreviousRef, Score: round3(m.Score), Reason: m.Reason}
	}
	if p := ch.PossibleMatch; p != nil {
		j.PossibleMatch = &jsonPossibleMatch{PreviousRef: p.PreviousRef, CurrentRef: p.CurrentRef, Score: round3(p.Score)}
	}
	return j
}

// jsonDate is a date as "YYYY-MM-DD", or nil (null) when there is none.
func jsonDate(d plan.TargetDate) *string {
	if d.IsZero() {
		return nil
	}
	s := d.ISO()
	return &s
}

// unwritableScore returns an action's score that is NaN or infinite once
// rounded, if it has one.
func unwritableScore(ch *plan.ActionChange) (float64, bool) {
	bad := func(s float64) bool { return math.IsNaN(s) || math.IsInf(s, 0) }
	if m := ch.Match; m != nil && bad(round3(m.Score)) {
		return round3(m.Score), true
	}
	if p := ch.PossibleMatch; p != nil && bad(round3(p.Score)) {
		return round3(p.Score), true
	}
	return 0, false
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }
