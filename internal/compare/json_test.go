package compare

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"papers/internal/plan"
)

// The reference: the whole document marshalled at once with encoding/json,
// independently of WriteJSON's types and its action-by-action encoding.
// The JSON is a released interface, so the writer must give exactly its
// bytes, whatever the comparison holds.

type refComparison struct {
	AsOf     string        `json:"as_of"`
	Previous refStatement  `json:"previous"`
	Current  refStatement  `json:"current"`
	Baseline *refStatement `json:"baseline"`
	Summary  refSummary    `json:"summary"`
	Actions  []refAction   `json:"actions"`
}

type refStatement struct {
	File  string `json:"file"`
	Title string `json:"title"`
}

type refSummary struct {
	Total               int     `json:"total"`
	ByStatus            refInts `json:"by_status"`
	ByChange            refInts `json:"by_change"`
	CompletedThisPeriod int     `json:"completed_this_period"`
	Slipped             int     `json:"slipped"`
	UpdateCopied        int     `json:"update_copied"`
	OwnerChanged        int     `json:"owner_changed"`
	PossibleMatches     int     `json:"possible_matches"`
}

type refAction struct {
	Ref                 string            `json:"ref"`
	Recommendation      string            `json:"recommendation"`
	Action              string            `json:"action"`
	Owner               string            `json:"owner"`
	Owners              []string          `json:"owners"`
	Target              *string           `json:"target"`
	TargetText          string            `json:"target_text"`
	PreviousTarget      *string           `json:"previous_target"`
	BaselineTarget      *string           `json:"baseline_target"`
	SlipDays            *int              `json:"slip_days"`
	BaselineSlipDays    *int              `json:"baseline_slip_days"`
	TimesMoved          int               `json:"times_moved"`
	Status              string            `json:"status"`
	OverdueDays         int               `json:"overdue_days"`
	Completed           *string           `json:"completed"`
	CompletedLateDays   int               `json:"completed_late_days"`
	Change              string            `json:"change"`
	CompletedThisPeriod bool              `json:"completed_this_period"`
	UpdateChanged       bool              `json:"update_changed"`
	UpdateCopied        bool              `json:"update_copied"`
	OwnerChanged        bool              `json:"owner_changed"`
	RAG                 string            `json:"rag"`
	ReportedRAG         string            `json:"reported_rag"`
	Update              string            `json:"update"`
	UpdateSays          refUpdateSays     `json:"update_says"`
	Match               *refMatch         `json:"match"`
	PossibleMatch       *refPossibleMatch `json:"possible_match"`
}

type refUpdateSays struct {
	State string  `json:"state"`
	Date  *string `json:"date"`
	Quote string  `json:"quote"`
}

type refMatch struct {
	PreviousRef string  `json:"previous_ref"`
	Score       float64 `json:"score"`
	Reason      string  `json:"reason"`
}

type refPossibleMatch struct {
	PreviousRef string  `json:"previous_ref"`
	CurrentRef  string  `json:"current_ref"`
	Score       float64 `json:"score"`
}

type refInts []struct {
	key string
	n   int
}

func (o refInts) MarshalJSON() ([]byte, error) {
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

func (o *refInts) add(key string, n int) {
	*o = append(*o, struct {
		key string
		n   int
	}{key, n})
}

func writeJSONReference(w io.Writer, c *plan.Comparison) error {
	out := refComparison{
		AsOf:     c.AsOf.Format("2006-01-02"),
		Previous: refStatement{File: c.Previous.File, Title: c.Previous.Title},
		Current:  refStatement{File: c.Current.File, Title: c.Current.Title},
		Summary: refSummary{
			Total:               c.Summary.Total,
			CompletedThisPeriod: c.Summary.CompletedThisPeriod,
			Slipped:             c.Summary.Slipped,
			UpdateCopied:        c.Summary.UpdateCopied,
			OwnerChanged:        c.Summary.OwnerChanged,
			PossibleMatches:     c.Summary.PossibleMatches,
		},
		Actions: make([]refAction, len(c.Actions)),
	}
	if c.Baseline != nil {
		out.Baseline = &refStatement{File: c.Baseline.File, Title: c.Baseline.Title}
	}
	for _, st := range plan.Statuses {
		out.Summary.ByStatus.add(string(st), c.Summary.ByStatus[st])
	}
	for _, ch := range changes {
		out.Summary.ByChange.add(string(ch), c.Summary.ByChange[ch])
	}
	iso := func(d plan.TargetDate) *string {
		if d.IsZero() {
			return nil
		}
		s := d.ISO()
		return &s
	}
	for i := range c.Actions {
		ch := &c.Actions[i]
		a := &ch.Action
		owners := a.Owners
		if owners == nil {
			owners = []string{}
		}
		j := refAction{
			Ref: a.Ref, Recommendation: a.Recommendation, Action: a.Text, Owner: a.Owner, Owners: owners,
			Target: iso(a.Target()), TargetText: a.Schedule.Text, SlipDays: ch.SlipDays, BaselineSlipDays: ch.BaselineSlipDays,
			TimesMoved: ch.TimesMoved, Status: string(ch.Status), OverdueDays: ch.OverdueDays, Completed: iso(a.Completed),
			CompletedLateDays: ch.CompletedLateDays, Change: string(ch.Change), CompletedThisPeriod: ch.CompletedThisPeriod,
			UpdateChanged: ch.UpdateChanged, UpdateCopied: ch.UpdateCopied, OwnerChanged: ch.OwnerChanged,
			RAG: string(ch.RAG), ReportedRAG: string(ch.ReportedRAG), Update: a.Update,
		}
		j.UpdateSays = refUpdateSays{State: string(ch.UpdateSays.State), Date: iso(ch.UpdateSays.Date), Quote: ch.UpdateSays.Quote}
		if j.UpdateSays.State == "" {
			j.UpdateSays.State = string(plan.UpdateNone)
		}
		if ch.Previous != nil {
			j.PreviousTarget = iso(ch.Previous.Target())
		}
		if ch.Baseline != nil {
			j.BaselineTarget = iso(ch.Baseline.Target())
		}
		if m := ch.Match; m != nil {
			j.Match = &refMatch{PreviousRef: m.PreviousRef, Score: round3(m.Score), Reason: m.Reason}
		}
		if p := ch.PossibleMatch; p != nil {
			j.PossibleMatch = &refPossibleMatch{PreviousRef: p.PreviousRef, CurrentRef: p.CurrentRef, Score: round3(p.Score)}
		}
		out.Actions[i] = j
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

// trickyStrings are texts whose escaping encoding/json handles specially.
var trickyStrings = []string{
	"",
	"plain text",
	allASCII(),
	"<b>Tom & Jerry's</b> > \"quoted\" \\ back\\slash /",
	"line\nbreak\r\nand\ttab\b\f\v\x00\x1f\x7f",
	"separators \u2028 and \u2029, next line \u0085, BOM \ufeff, \ufffd \ufffe \uffff",
	"invalid \xff\xfe UTF-8 \xc3 cut \xe2\x80 short \xed\xa0\x80 surrogate \xc0\xaf overlong",
	"\xe2\x80", // ends in a cut rune
	"accents é ü, emoji 😀, CJK 漢字, combining e\u0301",
	strings.Repeat("long \"text\" ", 10000),
}

func allASCII() string {
	b := make([]byte, 128)
	for i := range b {
		b[i] = byte(i)
	}
	return string(b)
}

// trickyComparison is a comparison with s in every text, its owners nil
// or empty or both, zero and odd dates, and scores at every edge of the
// float format.
func trickyComparison(s string) *plan.Comparison {
	scores := []float64{0, 1, 0.5, 0.6666666, 0.0004, 0.0005, -0.0001, -0.25, 1e-7, 123456.0004, 1e21, 1e22, -3e25, math.MaxFloat64 / 1e4}
	d := plan.TargetDate{Date: plan.Day(2021, 3, 31), Precision: plan.PrecisionDay, Text: s}
	odd := plan.TargetDate{Date: time.Date(12345, 1, 2, 0, 0, 0, 0, time.UTC), Precision: plan.PrecisionMonth}
	prev := &plan.Action{Ref: s, Schedule: plan.Schedule{Target: odd}}
	c := &plan.Comparison{
		AsOf:     time.Time{},
		Previous: &plan.Statement{File: s, Title: s},
		Current:  &plan.Statement{File: s + "2", Title: ""},
		Summary:  plan.Summary{Total: -1, ByStatus: map[plan.Status]int{plan.StatusOverdue: 3, "unlisted": 9}},
	}
	for i, sc := range scores {
		a := plan.Action{Ref: s, Recommendation: s, Text: s, Owner: s, Schedule: plan.Schedule{Target: d, Text: s}, Update: s}
		switch i % 3 {
		case 0:
			a.Owners = []string{s, s, ""}
		case 1:
			a.Owners = []string{}
		}
		if i%2 == 0 {
			a.Completed = d
		}
		ch := plan.ActionChange{Action: a, Change: plan.Change(s), Status: plan.Status(s), RAG: plan.RAG(s), ReportedRAG: plan.RAGAmber,
			OverdueDays: -i, CompletedLateDays: math.MaxInt, TimesMoved: math.MinInt, CompletedThisPeriod: i%2 == 0, UpdateCopied: true}
		if i%2 == 1 {
			ch.UpdateSays = plan.UpdateSays{State: plan.UpdateState(s), Quote: s}
			if i%4 == 1 {
				ch.UpdateSays.Date = d
			}
		}
		switch i % 4 {
		case 0:
			ch.Match = &plan.Match{PreviousRef: s, Score: sc, Reason: s}
			ch.Previous, ch.Baseline = prev, &plan.Action{}
			ch.SlipDays, ch.BaselineSlipDays = ip(-i), ip(0)
		case 1:
			ch.PossibleMatch = &plan.PossibleMatch{PreviousRef: s, CurrentRef: s, Score: sc}
		case 2:
			ch.Match = &plan.Match{Score: sc}
			ch.PossibleMatch = &plan.PossibleMatch{Score: -sc}
			ch.Baseline = prev
		}
		c.Actions = append(c.Actions, ch)
	}
	return c
}

// assertSameJSON writes c with WriteJSON, into a bytes.Buffer and into a
// plain writer, and with the reference; all three must be the same bytes.
func assertSameJSON(t *testing.T, c *plan.Comparison) {
	t.Helper()
	var want, got bytes.Buffer
	if err := writeJSONReference(&want, c); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(&got, c); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Fatalf("WriteJSON differs from encoding/json:\n%s", firstDiff(want.String(), got.String()))
	}
	var plain strings.Builder // no Grow through io.Writer: written in chunks
	if err := WriteJSON(struct{ io.Writer }{&plain}, c); err != nil {
		t.Fatal(err)
	}
	if plain.String() != want.String() {
		t.Fatalf("WriteJSON to a plain writer differs from encoding/json:\n%s", firstDiff(want.String(), plain.String()))
	}
}

func TestJSONSameAsEncodingJSON(t *testing.T) {
	baseline, previous, current := quarters()
	cases := []struct {
		name string
		make func() (*plan.Comparison, error)
	}{
		{"hand-made quarter", func() (*plan.Comparison, error) {
			return Compare(plan.Inputs{Previous: previous, Current: current, Baseline: baseline}, DefaultOptions(asOf))
		}},
		{"no baseline", func() (*plan.Comparison, error) {
			return Compare(plan.Inputs{Previous: previous, Current: current}, DefaultOptions(asOf))
		}},
		{"no actions, nil maps, zero date", func() (*plan.Comparison, error) {
			return &plan.Comparison{Previous: &plan.Statement{}, Current: &plan.Statement{}}, nil
		}},
		{"empty statements compared", func() (*plan.Comparison, error) {
			return Compare(plan.Inputs{Previous: &plan.Statement{}, Current: &plan.Statement{}, Baseline: &plan.Statement{}}, DefaultOptions(asOf))
		}},
		{"generated 3000, heavy churn", func() (*plan.Comparison, error) {
			prev, cur, _ := generated(3000, 60, 11)
			g := newGenerator(12)
			base, _ := g.nextQuarter(prev, 30)
			return Compare(plan.Inputs{Previous: prev, Current: cur, Baseline: base}, DefaultOptions(asOf))
		}},
	}
	for _, s := range trickyStrings {
		cases = append(cases, struct {
			name string
			make func() (*plan.Comparison, error)
		}{"tricky " + strconv.QuoteToASCII(s[:min(len(s), 24)]), func() (*plan.Comparison, error) { return trickyComparison(s), nil }})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := tc.make()
			if err != nil {
				t.Fatal(err)
			}
			assertSameJSON(t, c)
		})
	}
}

// 20,000 actions, as the scale benchmarks: the same bytes.
func TestJSONLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("20,000 actions: not in -short")
	}
	prev, cur, _ := generated(20000, 10, 3)
	c, err := Compare(plan.Inputs{Previous: prev, Current: cur, Baseline: prev}, DefaultOptions(asOf))
	if err != nil {
		t.Fatal(err)
	}
	assertSameJSON(t, c)
}

// by_status and by_change name every status and change, in the order
// plan.Statuses and changes list them.
func TestJSONCountsFollowStatuses(t *testing.T) {
	c := &plan.Comparison{Previous: &plan.Statement{}, Current: &plan.Statement{}, Summary: plan.Summary{
		ByStatus: map[plan.Status]int{}, ByChange: map[plan.Change]int{},
	}}
	var wantStatus, wantChange []string
	for i, st := range plan.Statuses {
		c.Summary.ByStatus[st] = i + 1
		wantStatus = append(wantStatus, fmt.Sprintf("%s=%d", st, i+1))
	}
	for i, ch := range changes {
		c.Summary.ByChange[ch] = i + 1
		wantChange = append(wantChange, fmt.Sprintf("%s=%d", ch, i+1))
	}
	var b bytes.Buffer
	if err := WriteJSON(&b, c); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Summary struct {
			ByStatus json.RawMessage `json:"by_status"`
			ByChange json.RawMessage `json:"by_change"`
		} `json:"summary"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		raw  json.RawMessage
		want []string
	}{{"by_status", doc.Summary.ByStatus, wantStatus}, {"by_change", doc.Summary.ByChange, wantChange}} {
		if got := orderedMembers(t, tc.raw); !slices.Equal(got, tc.want) {
			t.Errorf("%s = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// orderedMembers lists an object's members as name=value in their order.
func orderedMembers(t *testing.T, raw json.RawMessage) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	var out []string
	if _, err := dec.Token(); err != nil { // {
		t.Fatal(err)
	}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		var n int
		if err := dec.Decode(&n); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s=%d", k, n))
	}
	return out
}

// A score JSON cannot hold is an error, encoding/json's, and nothing is
// written.
func TestJSONUnwritableScore(t *testing.T) {
	for _, s := range []float64{math.NaN(), math.Inf(1), math.Inf(-1), math.MaxFloat64} {
		for _, possible := range []bool{false, true} {
			c := trickyComparison("x")
			if possible {
				c.Actions[len(c.Actions)-1].PossibleMatch = &plan.PossibleMatch{Score: s}
			} else {
				c.Actions[len(c.Actions)-1].Match = &plan.Match{Score: s}
			}
			var want, got bytes.Buffer
			werr := writeJSONReference(&want, c)
			err := WriteJSON(&got, c)
			if werr == nil || err == nil || err.Error() != werr.Error() {
				t.Errorf("score %v: error %v, want %v", s, err, werr)
			}
			if got.Len() != 0 {
				t.Errorf("score %v: wrote %d bytes before failing", s, got.Len())
			}
		}
	}
}

type failingWriter struct{ n int }

var errDiskFull = errors.New("disk full")

func (w *failingWriter) Write(p []byte) (int, error) {
	w.n++
	return 0, errDiskFull
}

// The first write error is returned, and nothing more is written after it.
func TestJSONWriteError(t *testing.T) {
	prev, cur, _ := generated(500, 10, 5)
	c, err := Compare(plan.Inputs{Previous: prev, Current: cur, Baseline: prev}, DefaultOptions(asOf))
	if err != nil {
		t.Fatal(err)
	}
	w := &failingWriter{}
	if err := WriteJSON(w, c); !errors.Is(err, errDiskFull) {
		t.Errorf("error %v, want %v", err, errDiskFull)
	}
	if w.n != 1 {
		t.Errorf("%d writes after the first failed", w.n-1)
	}
}
