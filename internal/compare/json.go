package compare

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"strconv"

	"papers/internal/plan"
)

// The JSON other programs read. These structs, not plan's json tags, fix its
// field names and order; change them only additively.

type jsonComparison struct {
	AsOf     string         `json:"as_of"`
	Previous jsonStatement  `json:"previous"`
	Current  jsonStatement  `json:"current"`
	Baseline *jsonStatement `json:"baseline"`
	Summary  jsonSummary    `json:"summary"`
	Actions  []jsonAction   `json:"actions"`
}

type jsonStatement struct {
	File  string `json:"file"`
	Title string `json:"title"`
}

type jsonSummary struct {
	Total               int         `json:"total"`
	ByStatus            orderedInts `json:"by_status"`
	ByChange            orderedInts `json:"by_change"`
	CompletedThisPeriod int         `json:"completed_this_period"`
	Slipped             int         `json:"slipped"`
	UpdateCopied        int         `json:"update_copied"`
	OwnerChanged        int         `json:"owner_changed"`
	PossibleMatches     int         `json:"possible_matches"`
}

type jsonAction struct {
	Ref                 string             `json:"ref"`
	Recommendation      string             `json:"recommendation"`
	Action              string             `json:"action"`
	Owner               string             `json:"owner"`
	Owners              []string           `json:"owners"`
	Target              *string            `json:"target"`
	TargetText          string             `json:"target_text"`
	PreviousTarget      *string            `json:"previous_target"`
	BaselineTarget      *string            `json:"baseline_target"`
	SlipDays            *int               `json:"slip_days"`
	BaselineSlipDays    *int               `json:"baseline_slip_days"`
	TimesMoved          int                `json:"times_moved"`
	Status              string             `json:"status"`
	OverdueDays         int                `json:"overdue_days"`
	Completed           *string            `json:"completed"`
	CompletedLateDays   int                `json:"completed_late_days"`
	Change              string             `json:"change"`
	CompletedThisPeriod bool               `json:"completed_this_period"`
	UpdateChanged       bool               `json:"update_changed"`
	UpdateCopied        bool               `json:"update_copied"`
	OwnerChanged        bool               `json:"owner_changed"`
	RAG                 string             `json:"rag"`
	ReportedRAG         string             `json:"reported_rag"`
	Update              string             `json:"update"`
	Match               *jsonMatch         `json:"match"`
	PossibleMatch       *jsonPossibleMatch `json:"possible_match"`
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

// orderedInts is a JSON object of counts with its keys in a fixed order.
type orderedInts []struct {
	key string
	n   int
}

func (o orderedInts) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, kv := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Quote(kv.key))
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(kv.n))
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func (o *orderedInts) add(key string, n int) {
	*o = append(*o, struct {
		key string
		n   int
	}{key, n})
}

// WriteJSON writes the comparison as JSON: {as_of, previous, current,
// baseline, summary, actions}, indented two spaces, dates as YYYY-MM-DD or
// null, scores to three decimals.
func WriteJSON(w io.Writer, c *plan.Comparison) error {
	if c == nil || c.Previous == nil || c.Current == nil {
		return errors.New("compare: no comparison to write")
	}
	out := jsonComparison{
		AsOf:     c.AsOf.Format("2006-01-02"),
		Previous: jsonStatement{File: c.Previous.File, Title: c.Previous.Title},
		Current:  jsonStatement{File: c.Current.File, Title: c.Current.Title},
		Summary: jsonSummary{
			Total:               c.Summary.Total,
			CompletedThisPeriod: c.Summary.CompletedThisPeriod,
			Slipped:             c.Summary.Slipped,
			UpdateCopied:        c.Summary.UpdateCopied,
			OwnerChanged:        c.Summary.OwnerChanged,
			PossibleMatches:     c.Summary.PossibleMatches,
		},
		Actions: make([]jsonAction, len(c.Actions)),
	}
	if c.Baseline != nil {
		out.Baseline = &jsonStatement{File: c.Baseline.File, Title: c.Baseline.Title}
	}
	for _, st := range plan.Statuses {
		out.Summary.ByStatus.add(string(st), c.Summary.ByStatus[st])
	}
	for _, ch := range changes {
		out.Summary.ByChange.add(string(ch), c.Summary.ByChange[ch])
	}
	for i := range c.Actions {
		out.Actions[i] = actionJSON(&c.Actions[i])
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

func actionJSON(ch *plan.ActionChange) jsonAction {
	a := &ch.Action
	owners := a.Owners
	if owners == nil {
		owners = []string{}
	}
	j := jsonAction{
		Ref:                 a.Ref,
		Recommendation:      a.Recommendation,
		Action:              a.Text,
		Owner:               a.Owner,
		Owners:              owners,
		Target:              isoDate(a.Target()),
		TargetText:          a.Schedule.Text,
		SlipDays:            ch.SlipDays,
		BaselineSlipDays:    ch.BaselineSlipDays,
		TimesMoved:          ch.TimesMoved,
		Status:              string(ch.Status),
		OverdueDays:         ch.OverdueDays,
		Completed:           isoDate(a.Completed),
		CompletedLateDays:   ch.CompletedLateDays,
		Change:              string(ch.Change),
		CompletedThisPeriod: ch.CompletedThisPeriod,
		UpdateChanged:       ch.UpdateChanged,
		UpdateCopied:        ch.UpdateCopied,
		OwnerChanged:        ch.OwnerChanged,
		RAG:                 string(ch.RAG),
		ReportedRAG:         string(ch.ReportedRAG),
		Update:              a.Update,
	}
	if ch.Previous != nil {
		j.PreviousTarget = isoDate(ch.Previous.Target())
	}
	if ch.Baseline != nil {
		j.BaselineTarget = isoDate(ch.Baseline.Target())
	}
	if m := ch.Match; m != nil {
		j.Match = &jsonMatch{PreviousRef: m.PreviousRef, Score: round3(m.Score), Reason: m.Reason}
	}
	if p := ch.PossibleMatch; p != nil {
		j.PossibleMatch = &jsonPossibleMatch{PreviousRef: p.PreviousRef, CurrentRef: p.CurrentRef, Score: round3(p.Score)}
	}
	return j
}

func isoDate(d plan.TargetDate) *string {
	if d.IsZero() {
		return nil
	}
	s := d.ISO()
	return &s
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }
