package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"papers/internal/document"
	"papers/internal/plan"
)

var update = flag.Bool("update", false, "rewrite golden files")

func ip(n int) *int { return &n }

func td(y, m, d int) plan.TargetDate {
	return plan.TargetDate{Date: plan.Day(y, time.Month(m), d), Precision: plan.PrecisionDay}
}

func action(ref, rec, text, owner string, target plan.TargetDate) plan.Action {
	return plan.Action{Ref: ref, Recommendation: rec, Text: text, Owner: owner,
		Owners: strings.Split(owner, " / "), Schedule: plan.Schedule{Target: target, Text: "By " + target.Display()}}
}

// fixture is a comparison with one action of each kind the report words.
func fixture() *plan.Comparison {
	recs := []plan.Recommendation{
		{Ref: "1", Title: "Recommendation One", Text: "Develop a compelling vision."},
		{Ref: "2", Title: "Recommendation Two", Text: "Promote an inclusive culture."},
	}
	prev := &plan.Statement{File: "prev.xlsx", Title: "Position Statement: October 2020", Recommendations: recs,
		Owners: []plan.Owner{{Name: "Robert Henderson", Role: "Executive Director"}, {Name: "Councillor Paffey", Role: "Cabinet Member"}}}
	cur := &plan.Statement{File: "cur.xlsx", Title: "Position Statement: January 2021", Recommendations: recs, Owners: prev.Owners}
	base := &plan.Statement{File: "base.xlsx", Title: "Draft Action Plan", Recommendations: recs}

	done := action("1.1", "1", "Develop an ambitious vision for children and young people in Southampton which mobilises all council services", "Robert Henderson", td(2020, 12, 31))
	done.Completed = td(2021, 1, 10)
	done.Update = "Vision agreed **by** DMT."
	over := action("2.1", "2", "Monthly safeguarding assurance visit", "Robert Henderson / Cllr Paffey", td(2020, 9, 30))
	over.Update = "Visits set."
	slip := action("2.2", "2", "Relaunch regular staff conference", "Sandy Hopkins", td(2021, 3, 31))
	newA := action("2.3", "2", "Publish a staff charter", "Sandy Hopkins", td(2021, 6, 30))
	gone := action("2.4", "2", "Review the ICT equipment", "Mike Harris", td(2020, 12, 31))
	prevSlip := slip
	prevSlip.Schedule.Target = td(2020, 12, 31)
	baseSlip := slip
	baseSlip.Schedule.Target = td(2020, 11, 30)
	cur.Actions = []plan.Action{done, over, slip, newA}
	prev.Actions = []plan.Action{done, over, prevSlip, gone}
	prev.Actions[0].Completed = plan.TargetDate{}

	return &plan.Comparison{
		AsOf: plan.Day(2021, 1, 28), Previous: prev, Current: cur, Baseline: base,
		Actions: []plan.ActionChange{
			{Action: done, Previous: &prev.Actions[0], Change: plan.ChangeCarried, Status: plan.StatusCompleteLate, CompletedLateDays: 10, CompletedThisPeriod: true, UpdateChanged: true, SlipDays: ip(0), RAG: plan.RAGGreen, Match: &plan.Match{PreviousRef: "1.1", Score: 1, Reason: "identical"}},
			{Action: over, Previous: &prev.Actions[1], Change: plan.ChangeCarried, Status: plan.StatusOverdue, OverdueDays: 120, UpdateCopied: true, SlipDays: ip(0), RAG: plan.RAGRed, ReportedRAG: plan.RAGGreen, Match: &plan.Match{PreviousRef: "2.1", Score: 1, Reason: "identical"}},
			{Action: slip, Previous: &prev.Actions[2], Baseline: &baseSlip, Change: plan.ChangeCarried, Status: plan.StatusOnTrack, SlipDays: ip(90), BaselineSlipDays: ip(121), TimesMoved: 2, RAG: plan.RAGAmber, Match: &plan.Match{PreviousRef: "2.2", Score: 1, Reason: "identical"}},
			{Action: newA, Change: plan.ChangeNew, Status: plan.StatusOnTrack, RAG: plan.RAGGreen},
			{Action: gone, Change: plan.ChangeRemoved, Status: plan.StatusRemoved},
		},
	}
}

func meta() Meta {
	return Meta{Council: "Southampton City Council", Committee: "Children and Families Scrutiny Panel",
		MeetingDate: plan.Day(2021, 2, 4), DecisionMaker: "Children and Families Scrutiny Panel",
		Subject: "Progress against the action plan", ReportOf: "Chief Executive", PlanName: "Learning Report Action Plan",
		Contact:         Contact{Title: "Chief Executive", Name: "Sandy Hopkins", Tel: "023 8083 2966", Email: "sandy.hopkins@southampton.gov.uk"},
		Confidentiality: "None", KeyDecision: "No", Wards: "All Wards", DueSoonDays: 28}
}

func render(t *testing.T, d *document.Doc) string {
	t.Helper()
	var b bytes.Buffer
	if err := document.WriteText(&b, d); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestBuildGolden(t *testing.T) {
	d, err := Build(fixture(), meta(), DefaultTemplate())
	if err != nil {
		t.Fatal(err)
	}
	got := render(t, d)
	golden := filepath.Join("testdata", "report.golden.txt")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/report -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("report text differs from %s (run with -update if the change is intended):\n%s", golden, firstDiff(string(want), got))
	}
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
			return "line " + strconv.Itoa(i+1) + ":\n want: " + x + "\n  got: " + y
		}
	}
	return ""
}

// The wording the clerk reads must say what the comparison found.
func TestCoverWording(t *testing.T) {
	d, err := Build(fixture(), meta(), DefaultTemplate())
	if err != nil {
		t.Fatal(err)
	}
	text := render(t, d)
	for _, want := range []string{
		"| DECISION MAKER: | CHILDREN AND FAMILIES SCRUTINY PANEL |",
		"| DATE OF DECISION: | 4 FEBRUARY 2021 |",
		"Of the 4 actions in the plan, 1 is complete, 1 is past its target date",
		"1 target date has moved later since the last statement.",
		"2.1 Monthly safeguarding assurance visit (Robert Henderson / Councillor Paffey): target 30 Sep 2020, 120 days overdue.",
		"Overdue actions by lead owner: Councillor Paffey 1; Robert Henderson 1.",
		"2.2 Relaunch regular staff conference (Sandy Hopkins): from 31 Dec 2020 to 31 Mar 2021, 90 days later (121 days later than the plan as agreed).",
		"1.1 Develop an ambitious vision for children and young people in Southampton which mobilises all… (Robert Henderson), completed 10 days after its target date.",
		"2.3 Publish a staff charter (Sandy Hopkins).",
		"2.4 Review the ICT equipment (Mike Harris).",
		"For 1 action the update is word for word the same",
		"1. Position statement",
		"4. Lead owners and roles",
		"Chart: Status of actions by recommendation, as at 28 January 2021",
		"Recommendation Two: On track 2, Overdue (not reported done) 1",
		"the position statement gives no date completed for it. No lead owner's update reports it done:\n  • 2.1 Monthly",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	// One person, one name: the cover names owners as Appendix 4 does
	// (the Lead Owners sheet's "Councillor Paffey"), not as one action's
	// cell spells them ("Cllr Paffey").
	if cover, _, _ := strings.Cut(text, "# Appendix 1"); strings.Contains(cover, "Cllr Paffey") {
		t.Error("the cover names Councillor Paffey as the cell spells it, Cllr Paffey, unlike Appendix 4")
	}
	// Paragraph numbers run through the report: 1. 2. 3. … with no gap.
	n := 0
	for _, b := range d.Sections[0].Blocks {
		if p, ok := b.(document.Paragraph); ok && strings.HasSuffix(p.Label, ".") && p.Label[0] >= '0' && p.Label[0] <= '9' && p.Indent == 0 {
			if p.Label == "1." && n > 0 {
				break // the appendix list restarts
			}
			n++
			if want := strconv.Itoa(n) + "."; p.Label != want {
				t.Fatalf("paragraph numbered %q, want %q", p.Label, want)
			}
		}
	}
	if n < 8 {
		t.Errorf("only %d numbered paragraphs", n)
	}
}

// Overdue actions whose updates report them done or booked are listed
// apart, with the officer's words, and still counted as overdue.
func TestCoverOverdueReported(t *testing.T) {
	c := fixture()
	// 2.1's update reports the visits booked, which its target asks for;
	// a second overdue action's update reports work in progress.
	c.Actions[1].UpdateSays = plan.UpdateSays{State: plan.UpdateBooked, Date: td(2020, 11, 12), Quote: "Visits booked for 12/11/2020.", BookingTarget: true}
	late := action("2.5", "2", "A representative to be included as a member of the Board", "John Harrison", td(2020, 10, 31))
	late.Update = "Representative still to be nominated."
	c.Current.Actions = append(c.Current.Actions, late)
	c.Actions = append(c.Actions[:4:4], plan.ActionChange{Action: late, Change: plan.ChangeNew, Status: plan.StatusOverdue, OverdueDays: 89, RAG: plan.RAGRed,
		UpdateSays: plan.UpdateSays{State: plan.UpdateInProgress, Quote: "Representative still to be nominated."}}, c.Actions[4])
	d, err := Build(c, meta(), DefaultTemplate())
	if err != nil {
		t.Fatal(err)
	}
	text := render(t, d)
	for _, want := range []string{
		"2 are past their target date (1 of them reported done or booked in the lead owner's update, not yet confirmed)",
		"(iii) To ask the lead owner of the 1 overdue action reported done or booked in its update to confirm the date it was completed, and the lead owner of the other overdue action to confirm revised target dates, with reasons, for the next position statement.",
		"2 are overdue (1 reported done or booked, not yet confirmed)",
		"2 actions are past their target date and not recorded as complete: the position statement gives no date completed for them. The lead owners' updates report 1 of them done, or booked where the target is to diarise or book; 1 is not reported done.",
		"**Reported done, not yet confirmed.** For this action the lead owner's update reports the action done",
		"Until the lead owner gives the date it was completed, it is still counted as overdue:",
		"2.1 Monthly safeguarding assurance visit (Robert Henderson / Councillor Paffey): target 30 Sep 2020, 120 days overdue. The update reports it booked for 12 Nov 2020, a date now passed: “Visits booked for 12/11/2020.”",
		"**Not reported done.** This action is overdue and its update does not report it done:",
		"2.5 A representative to be included as a member of the Board (John Harrison): target 31 Oct 2020, 89 days overdue; the update reads as in progress: “Representative still to be nominated.”",
		"Recommendation Two: On track 2, Overdue (reported done or booked) 1, Overdue (not reported done) 1",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	exc := findTable(t, d.Sections[3])
	if got := exc.Rows[0].Cells[9].Text; got != "Booked for 12 Nov 2020, a date now passed: “Visits booked for 12/11/2020.”" {
		t.Errorf("appendix 3 beside 2.1's days: %q", got)
	}
	if got := exc.Rows[1].Cells[9].Text; got != "In progress: “Representative still to be nominated.”" {
		t.Errorf("appendix 3 beside 2.5's days: %q", got)
	}
	if t.Failed() {
		t.Log("\n" + text)
	}
}

func TestAppendices(t *testing.T) {
	d, err := Build(fixture(), meta(), DefaultTemplate())
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Sections) != 5 {
		t.Fatalf("%d sections, want cover + 4 appendices", len(d.Sections))
	}
	for i, want := range []document.Orientation{document.Portrait, document.Landscape, document.Landscape, document.Landscape, document.Portrait} {
		if d.Sections[i].Orientation != want {
			t.Errorf("section %d orientation %v, want %v", i+1, d.Sections[i].Orientation, want)
		}
	}
	pos := findTable(t, d.Sections[1])
	if len(pos.Rows) != 4 {
		t.Errorf("position statement has %d rows, want the 4 current actions", len(pos.Rows))
	}
	// The recommendation cell is merged down its actions.
	if pos.Rows[1].Cells[0].Merge != document.MergeStart || pos.Rows[2].Cells[0].Merge != document.MergeContinue {
		t.Errorf("recommendation two not merged down its actions: %+v", pos.Rows[1].Cells[0])
	}
	if got := pos.Rows[1].Cells[5].Text; !strings.Contains(got, "Overdue by 120 days") || !strings.Contains(got, "(officer: Green)") {
		t.Errorf("status cell %q lacks the days overdue or the officer's own RAG", got)
	}
	changes := render(t, &document.Doc{Sections: d.Sections[2:3]})
	for _, want := range []string{"| 2.3 | Publish a staff charter | Sandy Hopkins | New |", "| 2.4 | Review the ICT equipment | Mike Harris | Removed |",
		"| Completed | Completed 10 Jan 2021, 10 days after its target date. |", "| Target moved | From 31 Dec 2020 to 31 Mar 2021: 90 days later. |", "| Update unchanged |"} {
		if !strings.Contains(changes, want) {
			t.Errorf("appendix 2 lacks %q", want)
		}
	}
	exc := findTable(t, d.Sections[3])
	if len(exc.Rows) != 2 || exc.Rows[0].Cells[0].Text != "2.1" || exc.Rows[0].Cells[8].Text != "120" {
		t.Errorf("exceptions should list 2.1 (120 days overdue) first, then 2.2: %+v", exc.Rows)
	}
	if got := exc.Rows[1].Cells[6].Text + " " + exc.Rows[1].Cells[7].Text; got != "+90 +121" {
		t.Errorf("2.2 slip %q, want +90 +121", got)
	}
	owners := render(t, &document.Doc{Sections: d.Sections[4:5]})
	for _, want := range []string{"| Robert Henderson | Executive Director | 2 | 1 | 0 | 1 |", "| Councillor Paffey | Cabinet Member | 1 | 0 | 0 | 1 |", "| Sandy Hopkins | Role not given | 2 |"} {
		if !strings.Contains(owners, want) {
			t.Errorf("appendix 4 lacks %q:\n%s", want, owners)
		}
	}
}

func findTable(t *testing.T, s document.Section) document.Table {
	t.Helper()
	for _, b := range s.Blocks {
		if tb, ok := b.(document.Table); ok {
			return tb
		}
	}
	t.Fatal("no table in section")
	return document.Table{}
}

// Officers' text can hold the markup's own characters; it must come through
// unchanged and never break the template.
func TestOfficerTextIsEscaped(t *testing.T) {
	c := fixture()
	c.Actions[1].Action.Text = "Review **all** [[chart]] | costs \\ 50% * 2"
	d, err := Build(c, meta(), DefaultTemplate())
	if err != nil {
		t.Fatal(err)
	}
	if text := render(t, d); !strings.Contains(text, "2.1 Review **all** [[chart]] | costs \\ 50% * 2 (Robert Henderson") {
		t.Errorf("officer text altered:\n%s", text)
	}
}

func TestTemplateOverrideAndErrors(t *testing.T) {
	dir := t.TempDir()
	tpl, found, err := LoadTemplate(dir)
	if err != nil || found || tpl.Text != defaultCover {
		t.Fatalf("an empty templates folder should give the built-in wording: found=%v err=%v", found, err)
	}
	path := filepath.Join(dir, CoverTemplateName)
	os.WriteFile(path, []byte("## SUMMARY\n\n#. Our own words: {{.Count.overdue}} overdue.\n"), 0o644)
	tpl, found, err = LoadTemplate(dir)
	if err != nil || !found {
		t.Fatalf("found=%v err=%v", found, err)
	}
	d, err := Build(fixture(), meta(), tpl)
	if err != nil {
		t.Fatal(err)
	}
	if text := render(t, d); !strings.Contains(text, "1. Our own words: 1 overdue.") {
		t.Errorf("override not used:\n%s", text)
	}
	for name, bad := range map[string]string{
		"unknown field": "#. {{.Nonsense}}",
		"bad syntax":    "#. {{if}}",
		"open bold":     "\n\n#. some **bold",
		"bad kv row":    "| a | b | c |",
		"unknown mark":  "[[graph]]",
	} {
		_, err := Build(fixture(), meta(), Template{Name: "templates/cover-report.md", Text: bad})
		if err == nil || !strings.Contains(err.Error(), "templates/cover-report.md") {
			t.Errorf("%s: error %v should name the template", name, err)
		}
	}
	if _, err := Build(fixture(), meta(), Template{Name: "t.md", Text: "\n\n#. some **bold"}); err == nil || !strings.Contains(err.Error(), "t.md:3") {
		t.Errorf("error %v should give the line", err)
	}
}

// The editable copy shipped in templates/ is the built-in wording.
func TestShippedTemplateMatchesBuiltIn(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "templates", CoverTemplateName))
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != defaultCover {
		t.Error("templates/cover-report.md differs from internal/report/templates/cover-report.md: copy one to the other")
	}
}

func TestMarkup(t *testing.T) {
	blocks, err := parseMarkup("t", "## HEADING\n\n#. one\ncontinued\n(i) roman\n- bullet **b** x\n\n#. two\n| K | V |\n| K2 | V2 |\n\n**Bold**", nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range blocks {
		switch v := b.(type) {
		case document.Heading:
			got = append(got, "H"+strconv.Itoa(v.Level)+":"+v.Text)
		case document.Paragraph:
			s := v.Label + "|" + v.Plain()
			if len(v.Runs) > 1 && v.Runs[1].Bold {
				s += "|bold:" + v.Runs[1].Text
			}
			if len(v.Runs) == 1 && v.Runs[0].Bold {
				s += "|allbold"
			}
			got = append(got, s)
		case document.KeyValue:
			got = append(got, "KV"+strconv.Itoa(len(v.Pairs)))
		}
	}
	want := []string{"H1:HEADING", "1.|one continued", "(i)|roman", "•|bullet b x|bold:b", "2.|two", "KV2", "H2:Bold"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// An officer who replaces a date with "Ongoing" must not take the action off
// the panel's exception lists.
func TestTargetLostIsReported(t *testing.T) {
	c := fixture()
	a := &c.Actions[2] // 2.2: target 31 Mar 2021, previously 31 Dec 2020
	a.Action.Schedule = plan.Schedule{Text: "Ongoing", Warning: "no date given"}
	a.SlipDays, a.BaselineSlipDays, a.Status = nil, nil, plan.StatusNoDate
	d, err := Build(c, meta(), DefaultTemplate())
	if err != nil {
		t.Fatal(err)
	}
	text := render(t, d)
	for _, want := range []string{
		"1 action had a target date in the last statement but has none that can be read now; the lead owner should give one:",
		"2.2 Relaunch regular staff conference (Sandy Hopkins): was 31 Dec 2020, now “Ongoing”.",
		"| Target date lost | Was 31 Dec 2020; now \"Ongoing\", which gives no date: ask the lead owner for one. |",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if exc := findTable(t, d.Sections[3]); len(exc.Rows) != 2 || exc.Rows[1].Cells[0].Text != "2.2" {
		t.Errorf("Appendix 3 should list 2.2: %+v", exc.Rows)
	}
}

// Start hands out each section as soon as it is built: an appendix can be
// had while the cover is not, and the sections and the whole document are
// what Build makes. A cover that fails keeps its error to itself until
// the whole document is asked for.
func TestStartHandsOutSections(t *testing.T) {
	b, err := Start(fixture(), meta(), DefaultTemplate())
	if err != nil {
		t.Fatal(err)
	}
	want, err := Build(fixture(), meta(), DefaultTemplate())
	if err != nil {
		t.Fatal(err)
	}
	if b.Sections() != len(want.Sections) {
		t.Fatalf("%d sections, Build makes %d", b.Sections(), len(want.Sections))
	}
	for i := b.Sections() - 1; i >= 0; i-- { // the last first
		s, err := b.Section(i)
		if err != nil {
			t.Fatal(err)
		}
		one := *want
		one.Sections = []document.Section{s}
		wantOne := *want
		wantOne.Sections = want.Sections[i : i+1]
		if s.Orientation != want.Sections[i].Orientation || render(t, &one) != render(t, &wantOne) {
			t.Errorf("section %d differs from Build's", i+1)
		}
	}
	if m := b.Meta(); m.Title != want.Title || m.Footer != want.Footer || m.Date != want.Date || len(m.Sections) != 0 {
		t.Errorf("Meta = %+v, want Build's document without sections", m)
	}
	d, err := b.Doc()
	if err != nil || render(t, d) != render(t, want) {
		t.Errorf("Doc differs from Build's (%v)", err)
	}

	bad, err := Start(fixture(), meta(), Template{Name: "t.md", Text: "#. {{.Nonsense}}"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bad.Section(1); err != nil {
		t.Errorf("appendix 1 with a broken cover: %v", err)
	}
	if _, err := bad.Section(0); err == nil || !strings.Contains(err.Error(), "t.md") {
		t.Errorf("cover error %v, want one naming t.md", err)
	}
	if _, err := bad.Doc(); err == nil {
		t.Error("Doc with a broken cover gave no error")
	}
	if _, err := Start(&plan.Comparison{}, meta(), DefaultTemplate()); err == nil {
		t.Error("a comparison without statements was started")
	}
}

// Chart is the chart the cover places, known before the cover is built;
// it says whether the wording places a chart at all.
func TestBuildingChart(t *testing.T) {
	b, err := Start(fixture(), meta(), DefaultTemplate())
	if err != nil {
		t.Fatal(err)
	}
	c, placed := b.Chart()
	if !placed {
		t.Error("the default wording places the chart, but Chart says not")
	}
	cover, err := b.Section(0)
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, blk := range cover.Blocks {
		if ch, ok := blk.(document.Chart); ok {
			found = true
			if !reflect.DeepEqual(ch, c) {
				t.Errorf("Chart = %+v, the cover's is %+v", c, ch)
			}
		}
	}
	if !found || len(c.Categories) == 0 {
		t.Fatalf("no chart on the cover (%v) or an empty one: %+v", found, c)
	}
	tpl := DefaultTemplate()
	tpl.Text = strings.ReplaceAll(tpl.Text, "[[chart]]", "")
	b, err = Start(fixture(), meta(), tpl)
	if err != nil {
		t.Fatal(err)
	}
	if _, placed := b.Chart(); placed {
		t.Error("wording without [[chart]] still places it, Chart says")
	}
	if _, err := b.Doc(); err != nil {
		t.Fatal(err)
	}
}
