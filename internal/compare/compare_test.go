package compare

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"papers/internal/plan"
)

var update = flag.Bool("update", false, "rewrite golden files")

// asOf is the report date of the hand-made quarter: 28 January 2021.
var asOf = plan.Day(2021, 1, 28)

func day(y, m, d int) plan.TargetDate {
	return plan.TargetDate{Date: plan.Day(y, time.Month(m), d), Precision: plan.PrecisionDay, Text: fmt.Sprintf("%02d/%02d/%d", d, m, y)}
}

// act is an action row. owner is split on "/" as the workbook reader does.
type act struct {
	ref, rec, text, owner string
	target                plan.TargetDate
	targetText            string
	update                string
	completed             plan.TargetDate
	rag                   plan.RAG
	refGiven              bool
}

func (a act) action() plan.Action {
	var owners []string
	for o := range strings.SplitSeq(a.owner, "/") {
		if o = strings.TrimSpace(o); o != "" {
			owners = append(owners, o)
		}
	}
	text := a.targetText
	if text == "" && !a.target.IsZero() {
		text = "By " + a.target.Display()
	}
	return plan.Action{Ref: a.ref, RefGiven: a.refGiven, Recommendation: a.rec, Text: a.text, RawText: a.text,
		Owner: a.owner, Owners: owners, Schedule: plan.Schedule{Target: a.target, Text: text},
		Update: a.update, Completed: a.completed, RAG: a.rag}
}

func statement(file, title string, rows ...act) *plan.Statement {
	s := &plan.Statement{File: file, Title: title, Recommendations: []plan.Recommendation{
		{Ref: "1", Title: "Recommendation One", Text: "Develop across the council a compelling and ambitious vision."},
		{Ref: "2", Title: "Recommendation Two", Text: "Promote an inclusive culture."},
		{Ref: "3", Title: "Recommendation Three", Text: "Invest in managers and staff."},
		{Ref: "4", Title: "Recommendation Four", Text: "Introduce a compelling workforce strategy."},
	}}
	for _, r := range rows {
		s.Actions = append(s.Actions, r.action())
	}
	return s
}

// The texts of the hand-made statements, from the October 2020 sample.
const (
	tVision     = "Develop an ambitious vision for children and young people in Southampton which mobilises all council services and partner agencies to improve outcomes for all children in the City;"
	tEmbed      = "Embed outcomes to improve services for children and young people into all SCC departmental business plans;"
	tCodesign   = "Co-design an effective communication strategy with managers, front line staff and partners which incorporates both internal and external communication;"
	tVisit      = "Monthly safeguarding assurance visit to one service by Executive Director for Children & Learning Services and the Lead Councillor to review performance and listen to the experiences of front-line staff;"
	tRep        = "A representative of the Practitioner's Improvement Board to be included as a member of the Children's Services Improvement Board;"
	tRelaunch   = "Relaunch regular staff conference to be co-designed and co-ordinated between managers and front-line practitioners;"
	tRelaunch2  = "Relaunch the regular staff conference, co-designed and co-ordinated by managers and front-line practitioners together;"
	tOffer      = "Review the service offer and approach provided by all council support functions to ensure that they are responsive and supportive, minimising the administrative burden on managers and officers;"
	tOffer2     = "Review the service offer and approach provided by all council support functions so that they are responsive and supportive, minimising the administrative burden on managers and front-line officers;"
	tLearning   = "Review the learning and development offer for managers and front-line officers to ensure that it meets their development needs including leadership development;"
	tAppraisal  = "Ensure regular appraisals are undertaken and that development needs are identified and met;"
	tSupervise  = "Review current supervision arrangements to ensure that they are high quality, supportive, challenging and monitored;"
	tAccom      = "Review accommodation requirements for all services to ensure that all officers have appropriate accommodation to meet the needs of their service and young people."
	tQA         = "Progress the revision of the quality assurance framework and systems following the recent independent review;"
	tQA2        = "Publish the quality assurance framework and systems to staff and partners;"
	tPractice   = "Publish the practice framework and hold workshops with every team;"
	tWorkforce  = "Develop a workforce strategy for Southampton's Children & Learning service that is ambitious in its offer to attract and retain good social workers;"
	tICT        = "To review the ICT equipment currently available to all officers in the service and prioritise the service in the roll out of new technology:"
	tPSW        = "Appoint a Principal Social Worker to lead the new Workforce Academy;"
	updVision   = "Vision statements have been drafted and consultation with staff reference group underway."
	updEmbed    = "Ongoing work in progress – will be enshrined by Child friendly city."
	updWorkf    = "Strategy agreed by DMT in December 2020."
	rh, sh, jh  = "Robert Henderson", "Sandy Hopkins", "John Harrison"
	rhmh        = "Robert Henderson / Mike Harris"
	rhPaffey    = "Robert Henderson / Cllr Paffey"
	paffeyRhRaw = "Cllr Paffey/Robert Henderson"
)

// quarters returns the August 2020 plan as agreed, the October 2020 position
// statement and the hand-made January 2021 one, with one action of each
// change class.
func quarters() (baseline, previous, current *plan.Statement) {
	baseline = statement("2020-08 draft action plan.xlsx", "Learning Report: Draft Action Plan",
		act{ref: "1.1", rec: "1", text: tVision, owner: rh, target: day(2020, 11, 30)},
		act{ref: "1.2", rec: "1", text: tEmbed, owner: sh, target: day(2022, 3, 31)},
		act{ref: "2.1", rec: "2", text: tCodesign, owner: rh, target: day(2021, 3, 31)},
		act{ref: "2.2", rec: "2", text: "• " + tVisit, owner: rhPaffey, target: day(2020, 9, 30)},
		act{ref: "2.3", rec: "2", text: tRep, owner: jh, target: day(2020, 10, 31)},
		act{ref: "2.4", rec: "2", text: tRelaunch, owner: rh, target: day(2020, 12, 30)},
		act{ref: "2.5", rec: "2", text: tOffer, owner: rhmh, target: day(2021, 3, 31)},
		act{ref: "3.1", rec: "3", text: tLearning, owner: rh, target: day(2020, 12, 31)},
		act{ref: "3.2", rec: "3", text: tAppraisal, owner: rh, target: day(2021, 3, 31)},
		act{ref: "3.3", rec: "3", text: tSupervise, owner: rh, target: day(2021, 3, 31)},
		act{ref: "3.4", rec: "3", text: tAccom, owner: rhmh, target: day(2020, 12, 31)},
		act{ref: "3.5", rec: "3", text: tQA, owner: rh, target: day(2020, 11, 30)},
		act{ref: "4.1", rec: "4", text: tWorkforce, owner: rh, target: day(2020, 12, 31)},
		act{ref: "4.2", rec: "4", text: tICT, owner: rhmh, target: day(2020, 12, 31)},
	)
	previous = statement("2020-10 position statement.xlsx", "Position Statement: October 2020",
		act{ref: "1.1", rec: "1", text: tVision, owner: rh, target: day(2020, 12, 31), update: updVision},
		act{ref: "1.2", rec: "1", text: tEmbed, owner: sh, target: plan.TargetDate{Date: plan.Day(2022, 3, 31), Precision: plan.PrecisionFinancialYear}, targetText: "Build into 21/22 business planning cycle", update: updEmbed},
		act{ref: "2.1", rec: "2", text: tCodesign, owner: rh, target: day(2021, 3, 31), update: "Communications lead named."},
		act{ref: "2.2", rec: "2", text: tVisit, owner: rhPaffey, target: day(2020, 9, 30), update: "Visits are set."},
		act{ref: "2.3", rec: "2", text: tRep, owner: jh, target: day(2020, 10, 31), update: "Board being reconstituted."},
		act{ref: "2.4", rec: "2", text: tRelaunch, owner: rh, target: day(2021, 2, 15), update: "Conferences ran virtually."},
		act{ref: "2.5", rec: "2", text: tOffer, owner: rhmh, target: day(2021, 3, 31), update: "Factored into design document."},
		act{ref: "3.1", rec: "3", text: tLearning, owner: "Robert Henderson / Janet King", target: day(2020, 12, 31), update: "Workforce Academy planned."},
		act{ref: "3.2", rec: "3", text: tAppraisal, owner: rh, target: day(2021, 3, 31), update: "Review of appraisal completion."},
		act{ref: "3.3", rec: "3", text: tSupervise, owner: rh, target: day(2021, 3, 31), update: "Guidance reviewed."},
		act{ref: "3.4", rec: "3", text: tAccom, owner: rhmh, target: day(2020, 12, 31), update: "Factored into design document."},
		act{ref: "3.5", rec: "3", text: tQA, owner: rh, target: day(2020, 11, 30), update: "Framework updated after review."},
		act{ref: "4.1", rec: "4", text: tWorkforce, owner: rh, target: day(2020, 12, 31), completed: day(2020, 12, 1), update: updWorkf},
		act{ref: "4.2", rec: "4", text: tICT, owner: rhmh, target: day(2020, 12, 31), update: "Remote access tripled."},
	)
	current = statement("2021-01 position statement.xlsx", "Position Statement: January 2021",
		// slipped: 31 Dec 20 → 31 Mar 21 (+90), +121 against the plan's 30 Nov 20, moved twice
		act{ref: "1.1", rec: "1", text: tVision, owner: rh, target: day(2021, 3, 31), update: "Vision agreed by DMT; consultation extended."},
		// identical, update copied forward (only spacing differs)
		act{ref: "1.2", rec: "1", text: tEmbed, owner: sh, target: plan.TargetDate{Date: plan.Day(2022, 3, 31), Precision: plan.PrecisionFinancialYear}, targetText: "Build into 21/22 business planning cycle", update: "  Ongoing work in progress –\nwill be enshrined by Child friendly city. "},
		// bullet added, owners swapped and respaced, overdue, officer's own RAG Green
		act{ref: "2.1", rec: "2", text: "• " + tVisit, owner: paffeyRhRaw, target: day(2020, 9, 30), update: "Visits continue.", rag: plan.RAGGreen},
		// reordered: was 2.1
		act{ref: "2.2", rec: "2", text: tCodesign, owner: rh, target: day(2021, 3, 31), update: "Strategy drafted."},
		// owner changed; completed 8 days late
		act{ref: "2.3", rec: "2", text: tRep, owner: rh, target: day(2020, 10, 31), completed: day(2020, 11, 8), update: "Representatives joined the Board."},
		// reworded; due soon
		act{ref: "2.4", rec: "2", text: tRelaunch2, owner: rh, target: day(2021, 2, 15), update: "Next conference planned."},
		// completed on time
		act{ref: "3.1", rec: "3", text: tLearning, owner: "Robert Henderson / Janet King", target: day(2020, 12, 31), completed: day(2020, 12, 20), update: "Workforce Academy launched."},
		// target brought forward a month: -31 days
		act{ref: "3.2", rec: "3", text: tAppraisal, owner: rh, target: day(2021, 2, 28), update: "Appraisals under way."},
		// no date
		act{ref: "3.3", rec: "3", text: tSupervise, owner: rh, targetText: "Ongoing", update: "Training continues."},
		// below the match threshold: a possible match for 3.5, reported as new
		act{ref: "3.4", rec: "3", text: tQA2, owner: rh, target: day(2021, 6, 30)},
		// new
		act{ref: "3.5", rec: "3", text: tPractice, owner: rh, target: day(2021, 6, 30)},
		// complete since October: not completed this period, not "copied"
		act{ref: "4.1", rec: "4", text: tWorkforce, owner: rh, target: day(2020, 12, 31), completed: day(2020, 12, 1), update: updWorkf},
		// overdue 28 days
		act{ref: "4.2", rec: "4", text: tICT, owner: rhmh, target: day(2020, 12, 31), update: "New laptops ordered."},
		// moved from recommendation 2 and reworded a little
		act{ref: "4.3", rec: "4", text: tOffer2, owner: rhmh, target: day(2021, 3, 31), update: "Part of the design document."},
		// new and already complete, with no target
		act{ref: "4.4", rec: "4", text: tPSW, owner: sh, completed: day(2021, 1, 10), update: "Appointed."},
	)
	return baseline, previous, current
}

func ip(n int) *int { return &n }

// want is what one action's line should say; match and possible are
// "previous ref / reason" and "previous ref / current ref".
type want struct {
	change                              plan.Change
	status                              plan.Status
	overdue, late                       int
	completedNow, updChanged, updCopied bool
	ownerChanged                        bool
	slip, baseSlip                      *int
	moved                               int
	rag, reported                       plan.RAG
	match                               string // "2.1 identical"
	possible                            string // "3.5 → 3.4"
}

func TestCompareQuarter(t *testing.T) {
	baseline, previous, current := quarters()
	c, err := Compare(plan.Inputs{Previous: previous, Current: current, Baseline: baseline}, DefaultOptions(asOf))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		ref  string // the current ref, or "removed 3.4" for a removed action's previous ref
		want want
	}{
		{"target slipped +90 days, +121 against the plan, moved twice", "1.1", want{change: "carried", status: "on_track", updChanged: true,
			slip: ip(90), baseSlip: ip(121), moved: 2, rag: plan.RAGAmber, match: "1.1 identical"}},
		{"identical, update copied forward", "1.2", want{change: "carried", status: "on_track", updCopied: true,
			slip: ip(0), baseSlip: ip(0), rag: plan.RAGGreen, match: "1.2 identical"}},
		{"bullet added, owner order swapped, overdue 120 days", "2.1", want{change: "carried", status: "overdue", overdue: 120, updChanged: true,
			slip: ip(0), baseSlip: ip(0), rag: plan.RAGRed, reported: plan.RAGGreen, match: "2.2 normalised"}},
		{"reordered row", "2.2", want{change: "carried", status: "on_track", updChanged: true,
			slip: ip(0), baseSlip: ip(0), rag: plan.RAGGreen, match: "2.1 identical"}},
		{"owner changed, completed 8 days late", "2.3", want{change: "carried", status: "complete_late", late: 8, completedNow: true, updChanged: true,
			ownerChanged: true, slip: ip(0), baseSlip: ip(0), rag: plan.RAGGreen, match: "2.3 identical"}},
		{"reworded, due soon", "2.4", want{change: "carried", status: "due_soon", updChanged: true,
			slip: ip(0), baseSlip: ip(47), moved: 1, rag: plan.RAGAmber, match: "2.4 similar (same recommendation)"}},
		{"completed this period on time", "3.1", want{change: "carried", status: "complete", completedNow: true, updChanged: true,
			slip: ip(0), baseSlip: ip(0), rag: plan.RAGGreen, match: "3.1 identical"}},
		{"target brought forward", "3.2", want{change: "carried", status: "on_track", updChanged: true,
			slip: ip(-31), baseSlip: ip(-31), moved: 1, rag: plan.RAGGreen, match: "3.2 identical"}},
		{"no date", "3.3", want{change: "carried", status: "no_date", updChanged: true,
			rag: plan.RAGAmber, match: "3.3 identical"}},
		{"below the match threshold: new, with a possible match", "3.4", want{change: "new", status: "on_track",
			rag: plan.RAGGreen, possible: "3.5 → 3.4"}},
		{"new", "3.5", want{change: "new", status: "on_track", rag: plan.RAGGreen}},
		{"complete since last quarter: not completed now, update not copied", "4.1", want{change: "carried", status: "complete",
			slip: ip(0), baseSlip: ip(0), rag: plan.RAGGreen, match: "4.1 identical"}},
		{"overdue 28 days", "4.2", want{change: "carried", status: "overdue", overdue: 28, updChanged: true,
			slip: ip(0), baseSlip: ip(0), rag: plan.RAGRed, match: "4.2 identical"}},
		{"moved to another recommendation and reworded", "4.3", want{change: "carried", status: "on_track", updChanged: true,
			slip: ip(0), baseSlip: ip(0), rag: plan.RAGGreen, match: "2.5 similar (other recommendation)"}},
		{"new and already complete", "4.4", want{change: "new", status: "complete", completedNow: true, rag: plan.RAGGreen}},
		{"removed", "removed 3.4", want{change: "removed", status: "removed"}},
		{"removed, with a possible match", "removed 3.5", want{change: "removed", status: "removed", possible: "3.5 → 3.4"}},
	}
	seen := map[string]bool{}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := find(t, c, tc.ref)
			seen[tc.ref] = true
			w := tc.want
			got := want{change: a.Change, status: a.Status, overdue: a.OverdueDays, late: a.CompletedLateDays,
				completedNow: a.CompletedThisPeriod, updChanged: a.UpdateChanged, updCopied: a.UpdateCopied,
				ownerChanged: a.OwnerChanged, slip: a.SlipDays, baseSlip: a.BaselineSlipDays, moved: a.TimesMoved,
				rag: a.RAG, reported: a.ReportedRAG}
			if a.Match != nil {
				got.match = a.Match.PreviousRef + " " + a.Match.Reason
			}
			if a.PossibleMatch != nil {
				got.possible = a.PossibleMatch.PreviousRef + " → " + a.PossibleMatch.CurrentRef
			}
			if !reflect.DeepEqual(got, w) {
				t.Errorf("\n got %s\nwant %s", show(got), show(w))
			}
		})
	}
	for _, a := range c.Actions {
		if k := key(&a); !seen[k] {
			t.Errorf("action %s is not covered by a case", k)
		}
	}
}

// TestCompareScores checks the scores and reasons of the harder pairings.
func TestCompareScores(t *testing.T) {
	baseline, previous, current := quarters()
	c, err := Compare(plan.Inputs{Previous: previous, Current: current, Baseline: baseline}, DefaultOptions(asOf))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name     string
		ref      string
		min, max float64 // inclusive
	}{
		{"identical text scores 1", "1.2", 1, 1},
		{"normalised text scores 1", "2.1", 1, 1},
		{"reworded scores below 1, above the threshold", "2.4", 0.6, 0.999},
		{"moved and reworded", "4.3", 0.6, 0.999},
		{"possible match between the thresholds", "3.4", 0.35, 0.5999},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := find(t, c, tc.ref)
			var s float64
			switch {
			case a.Match != nil:
				s = a.Match.Score
			case a.PossibleMatch != nil:
				s = a.PossibleMatch.Score
			default:
				t.Fatalf("%s has neither a match nor a possible match", tc.ref)
			}
			if s < tc.min || s > tc.max {
				t.Errorf("score %.3f, want %.3f..%.3f", s, tc.min, tc.max)
			}
		})
	}
}

func TestCompareSummaryAndOrder(t *testing.T) {
	baseline, previous, current := quarters()
	c, err := Compare(plan.Inputs{Previous: previous, Current: current, Baseline: baseline}, DefaultOptions(asOf))
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, a := range c.Actions {
		order = append(order, key(&a))
	}
	wantOrder := []string{"1.1", "1.2", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "3.3", "removed 3.4", "removed 3.5", "3.4", "3.5", "4.1", "4.2", "4.3", "4.4"}
	if !slices.Equal(order, wantOrder) {
		t.Errorf("order\n got %v\nwant %v", order, wantOrder)
	}
	want := plan.Summary{
		Total: 15,
		ByStatus: map[plan.Status]int{"overdue": 2, "due_soon": 1, "on_track": 7, "no_date": 1,
			"complete_late": 1, "complete": 3, "removed": 2},
		ByChange:            map[plan.Change]int{"carried": 12, "new": 3, "removed": 2},
		CompletedThisPeriod: 3, Slipped: 1, UpdateCopied: 1, OwnerChanged: 1, PossibleMatches: 1,
	}
	if !reflect.DeepEqual(c.Summary, want) {
		t.Errorf("summary\n got %+v\nwant %+v", c.Summary, want)
	}
	if !c.AsOf.Equal(asOf) || c.Previous != previous || c.Current != current || c.Baseline != baseline {
		t.Errorf("comparison does not name its statements and date")
	}
	// A removed action carries the previous action; a carried one points at it.
	r := find(t, c, "removed 3.4")
	if r.Action.Text != tAccom || r.Previous != nil || r.Baseline == nil || r.Baseline.Text != tAccom {
		t.Errorf("removed 3.4: action %q, previous %v, baseline %v", r.Action.Text, r.Previous, r.Baseline)
	}
	if a := find(t, c, "2.2"); a.Previous != &previous.Actions[2] || a.Baseline != &baseline.Actions[2] {
		t.Errorf("2.2: previous %p (want %p), baseline %p (want %p)", a.Previous, &previous.Actions[2], a.Baseline, &baseline.Actions[2])
	}
}

// Different inputs and options, one behaviour each.
func TestCompareCases(t *testing.T) {
	type check func(t *testing.T, c *plan.Comparison)
	expect := func(ref string, w func(a *plan.ActionChange) string) check {
		return func(t *testing.T, c *plan.Comparison) {
			t.Helper()
			if msg := w(find(t, c, ref)); msg != "" {
				t.Errorf("%s: %s", ref, msg)
			}
		}
	}
	matched := func(prevRef, reason string) func(a *plan.ActionChange) string {
		return func(a *plan.ActionChange) string {
			if a.Match == nil || a.Match.PreviousRef != prevRef || a.Match.Reason != reason {
				return fmt.Sprintf("match %+v, want %s %s", a.Match, prevRef, reason)
			}
			return ""
		}
	}
	isNew := func(a *plan.ActionChange) string {
		if a.Change != plan.ChangeNew {
			return fmt.Sprintf("change %s, want new", a.Change)
		}
		return ""
	}
	refd := func(ref, text string) act {
		return act{ref: ref, refGiven: true, rec: "1", text: text, owner: rh, target: day(2021, 3, 31)}
	}
	base, prev, cur := quarters()

	cases := []struct {
		name                string
		previous, current   *plan.Statement
		baseline            *plan.Statement
		opt                 func(*Options)
		checks              []check
		wantErr             string
		baselineIsPrevious  bool
		wantCarried, wantNR int // carried, and new+removed; -1: not checked
	}{
		{
			name:     "given refs on both sides match by ref even when the text changed",
			previous: statement("p", "p", refd("A1", tVision), refd("A2", tEmbed), refd("A3", tAppraisal)),
			current:  statement("c", "c", refd("a3.", tAppraisal), refd("A2", "Complete a full overhaul of business planning in every directorate."), refd("A1", tVision), refd("A4", tEmbed)),
			checks: []check{
				expect("A2", matched("A2", ReasonRef)),
				expect("a3.", matched("A3", ReasonRef)),
				expect("A1", matched("A1", ReasonRef)),
				expect("A4", isNew), // its text is A2's, but A2 went by ref
			},
			wantCarried: 3, wantNR: 1,
		},
		{
			name:     "a ref given on one side only falls back to the text",
			previous: statement("p", "p", refd("A1", tVision)),
			current:  statement("c", "c", act{ref: "1.1", rec: "1", text: tVision, owner: rh}),
			checks:   []check{expect("1.1", matched("A1", ReasonIdentical))},
		},
		{
			name: "duplicated identical texts pair in order, same recommendation first",
			previous: statement("p", "p",
				act{ref: "1.1", rec: "1", text: "Report progress to the Improvement Board;"},
				act{ref: "2.1", rec: "2", text: "Report progress to the Improvement Board;"},
				act{ref: "2.2", rec: "2", text: "Report progress to the Improvement Board;"}),
			current: statement("c", "c",
				act{ref: "2.1", rec: "2", text: "Report progress to the Improvement Board;"},
				act{ref: "2.2", rec: "2", text: "Report progress to the Improvement Board;"},
				act{ref: "3.1", rec: "3", text: "Report progress to the Improvement Board;"}),
			checks: []check{
				expect("2.1", matched("2.1", ReasonIdentical)),
				expect("2.2", matched("2.2", ReasonIdentical)),
				expect("3.1", matched("1.1", ReasonIdentical)),
			},
		},
		{
			name: "similar within the recommendation wins over a better match elsewhere",
			previous: statement("p", "p",
				act{ref: "2.1", rec: "2", text: tOffer},
				act{ref: "3.1", rec: "3", text: tOffer2 + " and partners"}),
			current: statement("c", "c", act{ref: "2.1", rec: "2", text: tOffer2}),
			checks:  []check{expect("2.1", matched("2.1", ReasonSimilarSame))},
		},
		{
			name:     "typographic quotes, & and case are normalised",
			previous: statement("p", "p", act{ref: "1.1", rec: "1", text: `Establish a Practitioners' Improvement Board to provide a front-line "sense check" on Children & Learning;`}),
			current:  statement("c", "c", act{ref: "1.1", rec: "1", text: "ESTABLISH a Practitioners’ Improvement Board to provide a front-line “sense check” on children and learning"}),
			checks:   []check{expect("1.1", matched("1.1", ReasonNormalised))},
		},
		{
			name:        "a higher match threshold turns a reworded action into removed + new with a possible match",
			previous:    prev,
			current:     cur,
			baseline:    base,
			opt:         func(o *Options) { o.MatchThreshold = 0.99 },
			wantCarried: 10, wantNR: 9,
			checks: []check{expect("2.4", func(a *plan.ActionChange) string {
				if a.Change != plan.ChangeNew || a.PossibleMatch == nil || a.PossibleMatch.PreviousRef != "2.4" {
					return fmt.Sprintf("change %s, possible %+v", a.Change, a.PossibleMatch)
				}
				return ""
			})},
		},
		{
			name:               "previous is the baseline",
			previous:           prev,
			current:            cur,
			baseline:           prev,
			baselineIsPrevious: true,
			checks: []check{expect("1.1", func(a *plan.ActionChange) string {
				if a.Baseline != a.Previous || *a.BaselineSlipDays != 90 || a.TimesMoved != 1 {
					return fmt.Sprintf("baseline %p previous %p, baseline slip %v, moved %d", a.Baseline, a.Previous, *a.BaselineSlipDays, a.TimesMoved)
				}
				return ""
			})},
		},
		{
			name:     "no baseline",
			previous: prev,
			current:  cur,
			checks: []check{expect("1.1", func(a *plan.ActionChange) string {
				if a.Baseline != nil || a.BaselineSlipDays != nil || a.TimesMoved != 1 {
					return fmt.Sprintf("baseline %v, baseline slip %v, moved %d", a.Baseline, a.BaselineSlipDays, a.TimesMoved)
				}
				return ""
			})},
		},
		{
			name:     "RAG rules from options; slipped only when worse",
			previous: prev, current: cur, baseline: base,
			opt: func(o *Options) {
				o.RAG.ByStatus[plan.StatusOnTrack] = plan.RAGRed
				o.RAG.ByStatus[plan.StatusComplete] = plan.RAGBlue
			},
			checks: []check{
				expect("1.1", func(a *plan.ActionChange) string { return ragIs(a, plan.RAGRed) }), // slipped, but Red is worse than Amber
				expect("4.1", func(a *plan.ActionChange) string { return ragIs(a, plan.RAGBlue) }),
			},
		},
		{
			name:     "due-soon window from options",
			previous: prev, current: cur, baseline: base,
			opt: func(o *Options) { o.DueSoonDays = 62 },
			checks: []check{expect("1.1", func(a *plan.ActionChange) string {
				if a.Status != plan.StatusDueSoon {
					return fmt.Sprintf("status %s, want due_soon (62 days off)", a.Status)
				}
				return ""
			})},
		},
		{
			name:     "the officer's status text says complete",
			previous: statement("p", "p", act{ref: "1.1", rec: "1", text: tVision, target: day(2020, 12, 31)}),
			current: func() *plan.Statement {
				s := statement("c", "c", act{ref: "1.1", rec: "1", text: tVision, target: day(2020, 12, 31)})
				s.Actions[0].Status = "Completed"
				return s
			}(),
			checks: []check{expect("1.1", func(a *plan.ActionChange) string {
				if a.Status != plan.StatusComplete || !a.CompletedThisPeriod {
					return fmt.Sprintf("status %s, completed this period %v", a.Status, a.CompletedThisPeriod)
				}
				return ""
			})},
		},
		{
			name: "a recommendation dropped entirely: its removed actions stay where they were",
			previous: statement("p", "p", act{ref: "1.1", rec: "1", text: tVision}, act{ref: "2.1", rec: "2", text: tRep},
				act{ref: "3.1", rec: "3", text: tAppraisal}),
			current: statement("c", "c", act{ref: "1.1", rec: "1", text: tVision}, act{ref: "3.1", rec: "3", text: tAppraisal}),
			checks: []check{func(t *testing.T, c *plan.Comparison) {
				var got []string
				for _, a := range c.Actions {
					got = append(got, key(&a))
				}
				if want := []string{"1.1", "removed 2.1", "3.1"}; !slices.Equal(got, want) {
					t.Errorf("order %v, want %v", got, want)
				}
			}},
		},
		{name: "no as-of date", previous: prev, current: cur, opt: func(o *Options) { o.AsOf = time.Time{} }, wantErr: "as-of"},
		{name: "thresholds the wrong way round", previous: prev, current: cur, opt: func(o *Options) { o.PossibleThreshold = 0.9 }, wantErr: "possible-match threshold"},
		{name: "no previous statement", current: cur, wantErr: "previous"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			opt := DefaultOptions(asOf)
			if tc.opt != nil {
				tc.opt(&opt)
			}
			c, err := Compare(plan.Inputs{Previous: tc.previous, Current: tc.current, Baseline: tc.baseline}, opt)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one mentioning %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tc.wantCarried > 0 || tc.wantNR > 0 {
				if got := c.Summary.ByChange[plan.ChangeCarried]; got != tc.wantCarried {
					t.Errorf("carried %d, want %d", got, tc.wantCarried)
				}
				if got := c.Summary.ByChange[plan.ChangeNew] + c.Summary.ByChange[plan.ChangeRemoved]; got != tc.wantNR {
					t.Errorf("new + removed %d, want %d", got, tc.wantNR)
				}
			}
			for _, ch := range tc.checks {
				ch(t, c)
			}
		})
	}
}

func ragIs(a *plan.ActionChange, r plan.RAG) string {
	if a.RAG != r {
		return fmt.Sprintf("RAG %q, want %q", a.RAG, r)
	}
	return ""
}

func TestNormalise(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"bullet and trailing semicolon", "• Monthly safeguarding visit;", "monthly safeguarding visit"},
		{"ampersand", "Children & Learning &amp; Skills", "children and learning and skills"},
		{"typographic quotes and apostrophes", "Practitioners’ “sense check” isn't", "practitioners sense check isnt"},
		{"hyphens and dashes", "front-line – staff", "front line staff"},
		{"whitespace", "  many\t\n spaces\u00a0here  ", "many spaces here"},
		{"accents kept", "Café RÉSUMÉ", "café résumé"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := normalise(tc.in); got != tc.want {
				t.Errorf("normalise(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestOwnersAndUpdates(t *testing.T) {
	owners := []struct {
		name string
		a, b plan.Action
		same bool
	}{
		{"order swapped", plan.Action{Owner: "A Smith / B Jones", Owners: []string{"A Smith", "B Jones"}}, plan.Action{Owner: "B Jones/A Smith", Owners: []string{"B Jones", "A Smith"}}, true},
		{"split from the text when Owners is empty", plan.Action{Owner: "A Smith / B Jones"}, plan.Action{Owner: "B Jones, a smith"}, true},
		{"Cllr and Councillor", plan.Action{Owners: []string{"Cllr Paffey"}}, plan.Action{Owners: []string{"Councillor Paffey"}}, true},
		{"changed", plan.Action{Owners: []string{"John Harrison"}}, plan.Action{Owners: []string{"Robert Henderson"}}, false},
		{"one added", plan.Action{Owners: []string{"A Smith"}}, plan.Action{Owners: []string{"A Smith", "B Jones"}}, false},
	}
	for _, tc := range owners {
		t.Run("owners "+tc.name, func(t *testing.T) {
			if got := sameOwners(&tc.a, &tc.b); got != tc.same {
				t.Errorf("sameOwners = %v, want %v", got, tc.same)
			}
		})
	}
	updates := []struct {
		name, a, b string
		same       bool
	}{
		{"identical", "Visits set.", "Visits set.", true},
		{"spacing", " Visits\n set. ", "Visits set.", true},
		{"one word", "Visits set.", "Visits booked.", false},
		{"prefix", "Visits set", "Visits set and done", false},
		{"both empty", "", "  ", true},
	}
	for _, tc := range updates {
		t.Run("update "+tc.name, func(t *testing.T) {
			if got := sameUpdate(tc.a, tc.b); got != tc.same {
				t.Errorf("sameUpdate(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.same)
			}
		})
	}
}

func TestJSONGolden(t *testing.T) {
	baseline, previous, current := quarters()
	c, err := Compare(plan.Inputs{Previous: previous, Current: current, Baseline: baseline}, DefaultOptions(asOf))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteJSON(&b, c); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "compare.golden.json")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/compare -update to create it)", err)
	}
	if got := b.String(); got != string(want) {
		t.Errorf("JSON differs from %s (run with -update if the change is intended):\n%s", golden, firstDiff(string(want), got))
	}
}

// The JSON is an interface: its field names, order and types are fixed.
func TestJSONFields(t *testing.T) {
	baseline, previous, current := quarters()
	c, err := Compare(plan.Inputs{Previous: previous, Current: current, Baseline: baseline}, DefaultOptions(asOf))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteJSON(&b, c); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.HasSuffix(out, "}\n") || !strings.HasPrefix(out, "{\n  \"as_of\": \"2021-01-28\",\n  \"previous\": {") {
		t.Errorf("not indented two spaces with a trailing newline:\n%.80s", out)
	}

	var top map[string]any
	if err := json.Unmarshal(b.Bytes(), &top); err != nil {
		t.Fatal(err)
	}
	const (
		str  = "string"
		num  = "number"
		boo  = "bool"
		obj  = "object"
		arr  = "array"
		null = "null"
		date = "date" // YYYY-MM-DD
	)
	kind := func(v any) string {
		switch v := v.(type) {
		case nil:
			return null
		case string:
			if _, err := time.Parse("2006-01-02", v); err == nil {
				return date
			}
			return str
		case float64:
			return num
		case bool:
			return boo
		case map[string]any:
			return obj
		case []any:
			return arr
		}
		return fmt.Sprintf("%T", v)
	}
	keys := func(v any) []string {
		m, _ := v.(map[string]any)
		var k []string
		for key := range m {
			k = append(k, key)
		}
		slices.Sort(k)
		return k
	}
	sorted := func(k ...string) []string { slices.Sort(k); return k }
	has := func(where string, v any, fields map[string][]string) {
		t.Helper()
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("%s is %s, want an object", where, kind(v))
		}
		var names []string
		for name := range fields {
			names = append(names, name)
		}
		if got, want := keys(m), sorted(names...); !slices.Equal(got, want) {
			t.Errorf("%s has fields %v, want %v", where, got, want)
		}
		for name, kinds := range fields {
			if k := kind(m[name]); !slices.Contains(kinds, k) && !(k == date && slices.Contains(kinds, str)) {
				t.Errorf("%s.%s is %s (%v), want %v", where, name, k, m[name], kinds)
			}
		}
	}
	ref := map[string][]string{"file": {str}, "title": {str}}
	has("comparison", top, map[string][]string{"as_of": {date}, "previous": {obj}, "current": {obj}, "baseline": {obj, null},
		"summary": {obj}, "actions": {arr}})
	has("previous", top["previous"], ref)
	has("current", top["current"], ref)
	has("baseline", top["baseline"], ref)
	has("summary", top["summary"], map[string][]string{"total": {num}, "by_status": {obj}, "by_change": {obj},
		"completed_this_period": {num}, "slipped": {num}, "update_copied": {num}, "owner_changed": {num}, "possible_matches": {num}})
	statuses := map[string][]string{}
	for _, s := range plan.Statuses {
		statuses[string(s)] = []string{num}
	}
	summary := top["summary"].(map[string]any)
	has("summary.by_status", summary["by_status"], statuses)
	has("summary.by_change", summary["by_change"], map[string][]string{"new": {num}, "removed": {num}, "carried": {num}})
	if !strings.Contains(out, `"by_status": {
      "overdue": 2,
      "due_soon": 1,`) {
		t.Errorf("by_status is not in report order")
	}

	actionFields := map[string][]string{
		"ref": {str}, "recommendation": {str}, "action": {str}, "owner": {str}, "owners": {arr},
		"target": {date, null}, "target_text": {str}, "previous_target": {date, null}, "baseline_target": {date, null},
		"slip_days": {num, null}, "baseline_slip_days": {num, null}, "times_moved": {num},
		"status": {str}, "overdue_days": {num}, "completed": {date, null}, "completed_late_days": {num},
		"change": {str}, "completed_this_period": {boo}, "update_changed": {boo}, "update_copied": {boo},
		"owner_changed": {boo}, "rag": {str}, "reported_rag": {str}, "update": {str}, "update_says": {obj},
		"match": {obj, null}, "possible_match": {obj, null},
	}
	saysDates := map[string]bool{}
	actions := top["actions"].([]any)
	if len(actions) != len(c.Actions) {
		t.Fatalf("%d actions in JSON, %d in the comparison", len(actions), len(c.Actions))
	}
	kinds := map[string]map[string]bool{} // field → kinds seen across actions
	for i, a := range actions {
		where := fmt.Sprintf("actions[%d]", i)
		has(where, a, actionFields)
		m := a.(map[string]any)
		for name, v := range m {
			if kinds[name] == nil {
				kinds[name] = map[string]bool{}
			}
			kinds[name][kind(v)] = true
		}
		if m["match"] != nil {
			has(where+".match", m["match"], map[string][]string{"previous_ref": {str}, "score": {num}, "reason": {str}})
		}
		if m["possible_match"] != nil {
			has(where+".possible_match", m["possible_match"], map[string][]string{"previous_ref": {str}, "current_ref": {str}, "score": {num}})
		}
		has(where+".update_says", m["update_says"], map[string][]string{"state": {str}, "date": {date, null}, "quote": {str}})
		says := m["update_says"].(map[string]any)
		saysDates[kind(says["date"])] = true
		if st := says["state"]; !slices.Contains([]any{"done", "booked", "in_progress", "postponed", "none"}, st) {
			t.Errorf("%s.update_says.state is %v", where, st)
		}
	}
	if !saysDates[date] || !saysDates[null] {
		t.Errorf("update_says.date: the fixture should have both a date and null, has %v", saysDates)
	}
	// The fixture exercises both forms of every nullable field.
	for name, want := range actionFields {
		for _, k := range want {
			if !kinds[name][k] {
				t.Errorf("no action has %s as %s", name, k)
			}
		}
	}
	// Scores to three decimals.
	for _, a := range actions {
		for _, f := range []string{"match", "possible_match"} {
			if m, ok := a.(map[string]any)[f].(map[string]any); ok {
				s := m["score"].(float64)
				if r := fmt.Sprintf("%.3f", s); strings.TrimRight(strings.TrimRight(r, "0"), ".") != fmt.Sprint(s) {
					t.Errorf("%s score %v is not rounded to three decimals", f, s)
				}
			}
		}
	}

	// No baseline: null.
	c, _ = Compare(plan.Inputs{Previous: previous, Current: current}, DefaultOptions(asOf))
	b.Reset()
	WriteJSON(&b, c)
	if !strings.Contains(b.String(), `"baseline": null,`) {
		t.Errorf("without a baseline, baseline should be null")
	}
}

func TestWriteText(t *testing.T) {
	baseline, previous, current := quarters()
	c, err := Compare(plan.Inputs{Previous: previous, Current: current, Baseline: baseline}, DefaultOptions(asOf))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteText(&b, c); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"Current:  Position Statement: January 2021 (2021-01 position statement.xlsx)",
		"Status as at 28 January 2021.",
		"15 actions in the current statement: 12 carried, 3 new; 2 removed since the previous statement.",
		"  Overdue                   2\n",
		"\nOverdue\n  2.1    • Monthly safeguarding assurance visit to one service by",
		"target 30 Sep 2020, 120 days overdue",
		"\nTarget moved later\n  1.1 ",
		"31 Dec 2020 → 31 Mar 2021, 90 days later (+121 days against the plan as agreed)",
		"\nTarget brought forward\n  3.2 ",
		"completed 8 Nov 2020, 8 days after its target",
		"\nNew\n  3.4 ",
		"\nRemoved (refs as in the previous statement)\n  3.4 ",
		"was John Harrison",
		"was 2.5, similar (other recommendation)",
		"may be 3.5 in the previous statement (similarity",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log("\n" + out)
	}
}

// Same inputs, same bytes: whatever order maps are built or walked in.
func TestDeterminism(t *testing.T) {
	render := func(c *plan.Comparison) string {
		var b bytes.Buffer
		if err := WriteJSON(&b, c); err != nil {
			t.Fatal(err)
		}
		if err := WriteText(&b, c); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	cases := []struct {
		name string
		make func() (base, prev, cur *plan.Statement)
	}{
		{"hand-made quarter", quarters},
		{"generated 3000 with heavy churn", func() (base, prev, cur *plan.Statement) {
			prev, cur, _ = generated(3000, 60, 11)
			return prev, prev, cur
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			base, prev, cur := tc.make()
			first := ""
			for run := range 5 {
				// The RAG rules built in a different order each run.
				opt := DefaultOptions(asOf)
				rules := opt.RAG.ByStatus
				opt.RAG.ByStatus = map[plan.Status]plan.RAG{}
				statuses := slices.Clone(plan.Statuses)
				rand.New(rand.NewPCG(uint64(run), 1)).Shuffle(len(statuses), func(i, j int) { statuses[i], statuses[j] = statuses[j], statuses[i] })
				for _, s := range statuses {
					if r, ok := rules[s]; ok {
						opt.RAG.ByStatus[s] = r
					}
				}
				c, err := Compare(plan.Inputs{Previous: prev, Current: cur, Baseline: base}, opt)
				if err != nil {
					t.Fatal(err)
				}
				got := render(c)
				if run == 0 {
					first = got
				} else if got != first {
					t.Fatalf("run %d differs from run 0:\n%s", run, firstDiff(first, got))
				}
			}
		})
	}
}

// 5,000 actions against 5,000, about 10% changed: every carried, new and
// removed action is found.
func TestScale(t *testing.T) {
	cases := []struct {
		name        string
		n, level    int
		seed        uint64
		maxPossible int
	}{
		{"5000, 10% changed", 5000, 10, 7, 50},
		{"5000, 10% changed, another seed", 5000, 10, 8, 50},
		{"5000, 20% changed", 5000, 20, 9, 100},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			prev, cur, want := generated(tc.n, tc.level, tc.seed)
			c, err := Compare(plan.Inputs{Previous: prev, Current: cur, Baseline: prev}, DefaultOptions(asOf))
			if err != nil {
				t.Fatal(err)
			}
			got := changeCounts{c.Summary.ByChange[plan.ChangeCarried], c.Summary.ByChange[plan.ChangeNew], c.Summary.ByChange[plan.ChangeRemoved]}
			if got != want {
				t.Errorf("carried/new/removed %+v, want %+v", got, want)
			}
			if c.Summary.PossibleMatches > tc.maxPossible {
				t.Errorf("%d possible matches: too many for random new and removed actions", c.Summary.PossibleMatches)
			}
			// Every action is matched to the one it came from, or to none.
			for _, a := range c.Actions {
				switch {
				case a.Change == plan.ChangeCarried && a.Previous.Cell != a.Action.Cell:
					t.Errorf("%s (%s) matched %s (%s), %+v", a.Action.Ref, a.Action.Cell, a.Match.PreviousRef, a.Previous.Cell, *a.Match)
				case a.Change == plan.ChangeNew && !strings.HasPrefix(a.Action.Cell, "new"):
					t.Errorf("%s (%s) reported new", a.Action.Ref, a.Action.Cell)
				}
			}
			if len(c.Actions) != len(cur.Actions)+want.removed {
				t.Errorf("%d lines, want %d", len(c.Actions), len(cur.Actions)+want.removed)
			}
		})
	}
}

// find returns the action with the given current ref, or "removed R" for a
// removed action with previous ref R.
func find(t *testing.T, c *plan.Comparison, ref string) *plan.ActionChange {
	t.Helper()
	for i := range c.Actions {
		if key(&c.Actions[i]) == ref {
			return &c.Actions[i]
		}
	}
	t.Fatalf("no action %s", ref)
	return nil
}

func key(a *plan.ActionChange) string {
	if a.Change == plan.ChangeRemoved {
		return "removed " + a.Action.Ref
	}
	return a.Action.Ref
}

func show(w want) string {
	p := func(n *int) string {
		if n == nil {
			return "nil"
		}
		return fmt.Sprint(*n)
	}
	return fmt.Sprintf("{change:%s status:%s overdue:%d late:%d completedNow:%v updChanged:%v updCopied:%v ownerChanged:%v slip:%s baseSlip:%s moved:%d rag:%q reported:%q match:%q possible:%q}",
		w.change, w.status, w.overdue, w.late, w.completedNow, w.updChanged, w.updCopied, w.ownerChanged, p(w.slip), p(w.baseSlip), w.moved, w.rag, w.reported, w.match, w.possible)
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return fmt.Sprintf("line %d:\n want: %s\n  got: %s", i+1, x, y)
		}
	}
	return ""
}

// A large plan's changes are worked out in parts side by side; the result
// is the one worked out in one piece, with a baseline and removed, new and
// reworded actions among them.
func TestCompareInParts(t *testing.T) {
	prev, cur, _ := generated(3*minPart, 100, 7)
	opt := DefaultOptions(plan.Day(2021, 6, 30))
	old := runtime.GOMAXPROCS(1)
	one, err := Compare(plan.Inputs{Previous: prev, Current: cur, Baseline: prev}, opt)
	runtime.GOMAXPROCS(max(old, 3))
	defer runtime.GOMAXPROCS(old)
	if err != nil {
		t.Fatal(err)
	}
	parts, err := Compare(plan.Inputs{Previous: prev, Current: cur, Baseline: prev}, opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(parts.Actions) < 2*minPart || parts.Summary.ByChange[plan.ChangeRemoved] == 0 || parts.Summary.ByChange[plan.ChangeNew] == 0 {
		t.Fatalf("%d changes, %v: not a large, changed plan", len(parts.Actions), parts.Summary.ByChange)
	}
	if !reflect.DeepEqual(one, parts) {
		for k := range one.Actions {
			if !reflect.DeepEqual(one.Actions[k], parts.Actions[k]) {
				t.Fatalf("change %d: %+v in parts, %+v in one piece", k, parts.Actions[k], one.Actions[k])
			}
		}
		t.Fatal("comparisons differ")
	}
}
