package workbook

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"papers/internal/dates"
	"papers/internal/plan"
)

var (
	draftPlan = filepath.Join("..", "..", "data", "2020-08 draft action plan.xlsx")
	october   = filepath.Join("..", "..", "data", "2020-10 position statement.xlsx")
)

func readSample(t *testing.T, path string) *plan.Statement {
	t.Helper()
	s, err := ReadFile(path, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range s.Problems {
		if p.Severity == plan.SeverityError {
			t.Errorf("problem: %s: %s", s.Where(p.Cell), p.Message)
		}
	}
	return s
}

// actionsPer counts the actions of each recommendation, in order.
func actionsPer(s *plan.Statement) []int {
	var n []int
	for _, r := range s.Recommendations {
		c := 0
		for _, a := range s.Actions {
			if a.Recommendation == r.Ref {
				c++
			}
		}
		n = append(n, c)
	}
	return n
}

func action(t *testing.T, s *plan.Statement, ref string) *plan.Action {
	t.Helper()
	for i := range s.Actions {
		if s.Actions[i].Ref == ref {
			return &s.Actions[i]
		}
	}
	t.Fatalf("no action %s", ref)
	return nil
}

func TestDraftPlan(t *testing.T) {
	s := readSample(t, draftPlan)
	if s.File != "2020-08 draft action plan.xlsx" || s.Sheet != "Action Plan" || s.Title != "Learning Report: Draft Action Plan" {
		t.Errorf("file %q, sheet %q, title %q", s.File, s.Sheet, s.Title)
	}
	wantCols := []string{"Recommendation", "Action", "Lead Owner (s)", "Start date / Completion date", "Date completed"}
	if !reflect.DeepEqual(s.Columns, wantCols) {
		t.Errorf("columns %q", s.Columns)
	}
	// Rows 4-9, 11-17 (after the header repeated in row 10), 18-24, 25-31, 32-36.
	if len(s.Recommendations) != 5 || len(s.Actions) != 32 {
		t.Fatalf("%d recommendations, %d actions; want 5, 32", len(s.Recommendations), len(s.Actions))
	}
	if got := actionsPer(s); !reflect.DeepEqual(got, []int{2, 11, 7, 7, 5}) {
		t.Errorf("actions per recommendation %v", got)
	}
	r1 := s.Recommendations[0]
	if r1.Ref != "1" || r1.Title != "Recommendation One" || !strings.HasPrefix(r1.Text, "Develop across the council") || r1.Cell != "A4" {
		t.Errorf("recommendation 1: %+v", r1)
	}
	if r := s.Recommendations[1]; r.Label() != "Recommendation Two: Promote an inclusive culture, which connects senior management with practice and ensures that staff concerns are swiftly addressed" {
		t.Errorf("recommendation 2: %q", r.Label())
	}
	// "2 continued" in A11 (merged A11:A17) continues recommendation 2.
	a := action(t, s, "2.5")
	if a.Cell != "B11" || a.Row != 11 || a.Recommendation != "2" || a.RefGiven || !strings.HasPrefix(a.Text, "A representative of the Practitioner's") {
		t.Errorf("2.5: %+v", a)
	}
	if a := action(t, s, "2.11"); a.Cell != "B17" {
		t.Errorf("2.11 in %s, want B17", a.Cell)
	}
	if a := action(t, s, "3.1"); a.Cell != "B18" || a.Recommendation != "3" {
		t.Errorf("3.1: %+v", a)
	}
	a = action(t, s, "2.2")
	if a.Owner != "Robert Henderson / Cllr Paffey" || !reflect.DeepEqual(a.Owners, []string{"Robert Henderson", "Cllr Paffey"}) {
		t.Errorf("2.2 owners %q %q", a.Owner, a.Owners)
	}
	if !strings.HasPrefix(a.Text, "Monthly safeguarding assurance visit") || !strings.HasPrefix(a.RawText, "• Monthly safeguarding") {
		t.Errorf("2.2 text %q, raw %q", a.Text, a.RawText)
	}
	a = action(t, s, "1.1")
	if a.Schedule.Text != "Start: Sept 20 Completed by: December 20" {
		t.Errorf("1.1 schedule text %q", a.Schedule.Text)
	}
	if want := dates.Parse(a.Schedule.Text); a.Schedule.Start != want.Start || a.Schedule.Target != want.Target {
		t.Errorf("1.1 schedule %+v, the date parser gives %+v", a.Schedule, want)
	}
	if len(s.Owners) != 6 || s.Owners[0] != (plan.Owner{Name: "Sandy Hopkins", Role: "Chief Executive Officer, Southampton City Council"}) {
		t.Errorf("owners %+v", s.Owners)
	}
	if role, ok := RoleFor(s.Owners, "Cllr Paffey"); !ok || role != "Cabinet Member for Children & Learning Services, Southampton City Council" {
		t.Errorf("role of Cllr Paffey: %q, %v", role, ok)
	}
}

func TestOctoberStatement(t *testing.T) {
	s := readSample(t, october)
	if s.Sheet != "Position Statement" || s.Title != "Response to Whistleblowing Investigation - Position Statement: October 2020" {
		t.Errorf("sheet %q, title %q", s.Sheet, s.Title)
	}
	if len(s.Recommendations) != 5 || len(s.Actions) != 32 {
		t.Fatalf("%d recommendations, %d actions; want 5, 32", len(s.Recommendations), len(s.Actions))
	}
	if got := actionsPer(s); !reflect.DeepEqual(got, []int{2, 11, 7, 7, 5}) {
		t.Errorf("actions per recommendation %v", got)
	}
	if s.Columns[4] != "Update" {
		t.Errorf("columns %q", s.Columns)
	}
	for _, a := range s.Actions {
		if a.Update == "" || a.Text == "" || a.Owner == "" || a.Schedule.Text == "" {
			t.Errorf("%s (%s) lacks a field: %+v", a.Ref, a.Cell, a)
		}
	}
	a := action(t, s, "2.6")
	if a.Cell != "B11" || a.Update != "Improvement plan was reviewed by EDCS and submitted to Ofsted on 8th October 2020." {
		t.Errorf("2.6: %s %q", a.Cell, a.Update)
	}
	if a := action(t, s, "1.1"); !strings.Contains(a.Update, "wc 2nd November") || a.Schedule.Text != "Start: Sept 20 Completed by: December 20" {
		t.Errorf("1.1: %+v", a)
	}
	if a := action(t, s, "2.2"); a.Text != "Monthly safeguarding assurance visit to one service by Executive Director for Children & Learning Services and the Lead Councillor to review performance and listen to the experiences of front-line staff;" {
		t.Errorf("2.2 text %q", a.Text)
	}
	if a := action(t, s, "5.5"); a.Cell != "B35" || a.Recommendation != "5" {
		t.Errorf("5.5: %+v", a)
	}
	if _, ok := RoleFor(s.Owners, "Mike Harris"); !ok {
		t.Errorf("owners %+v", s.Owners)
	}
}

// Read and ReadFile share one path.
func TestReadMatchesReadFile(t *testing.T) {
	b, err := os.ReadFile(october)
	if err != nil {
		t.Fatal(err)
	}
	viaRead, err := Read(bytes.NewReader(b), "2020-10 position statement.xlsx", DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	viaFile, err := ReadFile(october, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(viaRead, viaFile) {
		t.Error("Read and ReadFile differ")
	}
}

func TestSeveralSheets(t *testing.T) {
	b := quirks["several sheets"](t)
	// The hidden "Old plan" maps more fields, but a visible plan comes first.
	s := b.read()
	if s.Sheet != "Plan 2021" || len(s.Actions) != 1 || s.Actions[0].Text != "The current action" || s.Title != "Plan 2021" {
		t.Errorf("sheet %q, title %q, actions %+v", s.Sheet, s.Title, s.Actions)
	}
	// A preferred name wins over a better header.
	opt := DefaultOptions()
	opt.SheetNames = []string{"Old plan"}
	if s, err := Read(bytes.NewReader(b.bytes()), "x.xlsx", opt); err != nil || s.Sheet != "Old plan" {
		t.Errorf("preferred sheet: %v, %+v", err, s)
	}
	// With no visible plan, the hidden one is read.
	b.f.DeleteSheet("Plan 2021")
	if s := b.read(); s.Sheet != "Old plan" || s.Actions[0].Ref != "1" || !s.Actions[0].RefGiven || s.Actions[0].RAG != plan.RAGGreen {
		t.Errorf("hidden sheet: %q %+v", s.Sheet, s.Actions)
	}
}

func TestTitleRows(t *testing.T) {
	s := quirks["title rows"](t).read()
	if s.Title != "Children's Services Improvement Plan" || len(s.Actions) != 1 {
		t.Fatalf("title %q, %d actions", s.Title, len(s.Actions))
	}
	if a := s.Actions[0]; a.Cell != "B6" || a.Row != 6 || a.Ref != "1.1" || a.Update != "Agreed" {
		t.Errorf("action %+v", a)
	}
}

func TestRepeatedHeadersAndContinued(t *testing.T) {
	s := quirks["repeated headers"](t).read()
	var got []string
	for _, a := range s.Actions {
		got = append(got, a.Ref+" "+a.Text+" "+a.Cell)
	}
	want := []string{"1.1 First B4", "2.1 Second B5", "2.2 Third B6", "2.3 Fourth B8", "2.4 Fifth B9", "2.5 Sixth B11", "3.1 Seventh B12"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("actions\n got %q\nwant %q", got, want)
	}
	if len(s.Recommendations) != 3 || len(s.Problems) != 0 {
		t.Errorf("recommendations %+v, problems %+v", s.Recommendations, s.Problems)
	}
}

func TestMergedCells(t *testing.T) {
	s := quirks["merged recommendations"](t).read()
	if got := actionsPer(s); !reflect.DeepEqual(got, []int{3, 1, 0}) {
		t.Fatalf("actions per recommendation %v (%+v)", got, s.Recommendations)
	}
	if r := s.Recommendations[2]; r.Ref != "3" || r.Text != "Staff with no actions yet" || r.Cell != "A9" {
		t.Errorf("recommendation without actions: %+v", r)
	}
	// The owner merged over C4:C5 applies to both rows.
	if a := action(t, s, "1.2"); a.Owner != "Robert Henderson" || a.Recommendation != "1" {
		t.Errorf("1.2: %+v", a)
	}
	if a := action(t, s, "1.3"); a.Owner != "Sandy Hopkins" {
		t.Errorf("1.3: %+v", a)
	}
}

func TestHiddenHelperColumn(t *testing.T) {
	s := quirks["hidden helper column"](t).read()
	want := []string{"ID", "Recommendation", "Action", "Lead Owner (s)", "Target date", "Update", "Impact"}
	if !reflect.DeepEqual(s.Columns, want) {
		t.Errorf("columns %q", s.Columns)
	}
	a := s.Actions[0]
	if a.Ref != "A-1" || !a.RefGiven || a.Schedule.Text != "Dec 20" || !reflect.DeepEqual(a.Extra, []plan.Field{{Name: "Impact", Value: "High"}}) {
		t.Errorf("action %+v", a)
	}
	if s.Actions[1].Extra != nil {
		t.Errorf("empty extra kept: %+v", s.Actions[1].Extra)
	}
}

func TestRenamedColumns(t *testing.T) {
	s := quirks["renamed columns"](t).read()
	if len(s.Actions) != 2 {
		t.Fatalf("%d actions", len(s.Actions))
	}
	a := s.Actions[0]
	if a.Ref != "1.1" || !a.RefGiven || a.Text != "Agree the vision" || a.Update != "On track" || a.Schedule.Text != "Dec 20" {
		t.Errorf("action %+v", a)
	}
	if !reflect.DeepEqual(a.Owners, []string{"Jane Smith", "Cllr Brown"}) {
		t.Errorf("owners %q", a.Owners)
	}
	wantExtra := []plan.Field{{Name: "Cost", Value: "£5,000"}, {Name: "What do we still need to do", Value: "Sign-off"}}
	if !reflect.DeepEqual(a.Extra, wantExtra) {
		t.Errorf("extra %+v", a.Extra)
	}
	if s.Columns[len(s.Columns)-1] != "What do we still need to do" {
		t.Errorf("columns %q", s.Columns)
	}
}

func TestHeadingRowsAndPhases(t *testing.T) {
	s := quirks["heading rows with phases"](t).read()
	type rec struct{ ref, title, text, phase, cell string }
	var recs []rec
	for _, r := range s.Recommendations {
		recs = append(recs, rec{r.Ref, r.Title, r.Text, r.Phase, r.Cell})
	}
	wantRecs := []rec{
		{"1", "Recommendation 1", "Develop a vision for children's services", "WITHIN THREE MONTHS", "A5"},
		{"2", "Recommendation 2", "Strengthen supervision", "Phase 2", "A9"},
		{"3", "Recommendation 3", "Improve recruitment", "Phase 2", "A12"},
	}
	if !reflect.DeepEqual(recs, wantRecs) {
		t.Errorf("recommendations\n got %+v\nwant %+v", recs, wantRecs)
	}
	var got []string
	for _, a := range s.Actions {
		got = append(got, strings.Join([]string{a.Ref, a.Recommendation, a.Phase, a.Text}, "|"))
		if !a.RefGiven {
			t.Errorf("%s: ref not given", a.Ref)
		}
	}
	want := []string{
		"1.1|1|WITHIN THREE MONTHS|Draft the vision", "1.2|1|WITHIN THREE MONTHS|Consult staff",
		"a)|2|Phase 2|Review the policy", "b)|2|Phase 2|Train managers", "3.1|3|Phase 2|Launch a campaign",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("actions\n got %q\nwant %q", got, want)
	}
	if len(s.Problems) != 0 {
		t.Errorf("problems %+v", s.Problems)
	}
}

// A Ref column's whole number heads the sub-actions below it; a phase
// inside a recommendation ends with it.
func TestRefHeadingsAndPhasesInsideRecommendations(t *testing.T) {
	b := newBook(t, "Plan")
	b.rows("Plan", 1, []any{"Ref", "Action", "Owner", "Due date"},
		[]any{"1", "Develop a vision"},
		[]any{"Short term"},
		[]any{"1.1", "Draft it", "A", "Dec 20"},
		[]any{"Long term"},
		[]any{"1.2", "Embed it", "A", "Dec 21"},
		[]any{"2", "Recommendation 2: Support staff"},
		[]any{"2.1", "Supervise", "B", "Mar 21"},
	)
	s := b.read()
	if len(s.Recommendations) != 2 || s.Recommendations[0].Text != "Develop a vision" || s.Recommendations[1].Text != "Support staff" {
		t.Fatalf("recommendations %+v", s.Recommendations)
	}
	var got []string
	for _, a := range s.Actions {
		got = append(got, a.Ref+"|"+a.Recommendation+"|"+a.Phase)
	}
	if want := []string{"1.1|1|Short term", "1.2|1|Long term", "2.1|2|"}; !reflect.DeepEqual(got, want) {
		t.Errorf("actions %q, want %q", got, want)
	}
}

func TestRAG(t *testing.T) {
	s := quirks["RAG fill"](t).read()
	want := map[string]plan.RAG{
		"red fill": plan.RAGRed, "amber fill": plan.RAGAmber, "green fill": plan.RAGGreen, "reddish fill": plan.RAGRed,
		"purple fill": plan.RAGNone, "word": plan.RAGAmber, "letter": plan.RAGGreen, "phrase": plan.RAGGreen,
		"unknown word": plan.RAGNone, "blue fill": plan.RAGBlue,
	}
	for _, a := range s.Actions {
		if a.RAG != want[a.Text] {
			t.Errorf("%s: RAG %q, want %q", a.Text, a.RAG, want[a.Text])
		}
	}
	a := s.Actions[8]
	if a.Status != "On track" || !reflect.DeepEqual(a.Extra, []plan.Field{{Name: "RAG", Value: "Fine"}}) {
		t.Errorf("unknown RAG word: status %q, extra %+v", a.Status, a.Extra)
	}
	wantProblems := []plan.Problem{
		{Cell: "D6", Severity: plan.SeverityWarning, Message: "the fill colour #7030A0 is not a RAG colour; no RAG is read"},
		{Cell: "D10", Severity: plan.SeverityWarning, Message: `cannot read the RAG rating "Fine": write Red, Amber or Green; it is kept as text`},
	}
	if !reflect.DeepEqual(s.Problems, wantProblems) {
		t.Errorf("problems\n got %+v\nwant %+v", s.Problems, wantProblems)
	}
}

// Without a RAG column, a Status column of RAG words (or fills) gives the RAG.
func TestStatusAsRAG(t *testing.T) {
	b := newBook(t, "Plan")
	b.rows("Plan", 1, []any{"Action", "Owner", "Status"},
		[]any{"one", "A", "Green"}, []any{"two", "A", "Complete"}, []any{"three", "A"}, []any{"four", "A", "r"})
	b.style("Plan", "C4", fillStyle("FFC000"))
	s := b.read()
	got := []plan.RAG{s.Actions[0].RAG, s.Actions[1].RAG, s.Actions[2].RAG, s.Actions[3].RAG}
	if want := []plan.RAG{plan.RAGGreen, plan.RAGNone, plan.RAGAmber, plan.RAGRed}; !reflect.DeepEqual(got, want) {
		t.Errorf("RAG %q, want %q", got, want)
	}
	if s.Actions[0].Status != "Green" || s.Actions[1].Status != "Complete" {
		t.Errorf("status %q %q", s.Actions[0].Status, s.Actions[1].Status)
	}
}

func TestDates(t *testing.T) {
	s := quirks["dates"](t).read()
	day := func(y int, m time.Month, d int) plan.TargetDate {
		dt := plan.Day(y, m, d)
		return plan.TargetDate{Date: dt, Precision: plan.PrecisionDay, Text: dt.Format("02/01/2006")}
	}
	get := func(text string) *plan.Action {
		for i := range s.Actions {
			if s.Actions[i].Text == text {
				return &s.Actions[i]
			}
		}
		t.Fatalf("no action %q", text)
		return nil
	}
	if a := get("excel date"); a.Target() != day(2020, 12, 31) || a.Schedule.Text != "31/12/2020" {
		t.Errorf("excel date: %+v", a.Schedule)
	}
	if a := get("custom format"); a.Target() != day(2020, 12, 31) || a.Completed != day(2020, 12, 15) || !a.IsComplete() {
		t.Errorf("custom format: %+v, completed %+v", a.Schedule, a.Completed)
	}
	a := get("text date")
	if want := dates.Parse("31/12/2020"); a.Target() != want.Target || a.Schedule.Text != "31/12/2020" {
		t.Errorf("text date: %+v, the parser gives %+v", a.Schedule, want)
	}
	if a := get("number not formatted"); a.Target() != day(2020, 12, 31) {
		t.Errorf("unformatted serial: %+v", a.Schedule)
	}
	if a := get("small number"); a.IsComplete() || a.Completed.Text != "5" {
		t.Errorf("small number: %+v", a.Completed)
	}
	if a := get("start and target"); a.Start() != day(2020, 9, 1) || a.Schedule.Text != "Start: 01/09/2020; target: By 31st Dec 20" {
		t.Errorf("start and target: %+v", a.Schedule)
	}
	if a := get("date and time"); a.Target() != day(2020, 12, 31) {
		t.Errorf("date and time: %+v", a.Schedule)
	}
	wantProblems := []plan.Problem{
		{Cell: "D7", Severity: plan.SeverityWarning, Message: "the number 44196 is read as the date 31/12/2020: format the cell as a date"},
		{Cell: "E8", Severity: plan.SeverityError, Message: "cannot read 5 as a date: it is a number, not a date; it is kept as text"},
	}
	if !reflect.DeepEqual(s.Problems, wantProblems) {
		t.Errorf("problems\n got %+v\nwant %+v", s.Problems, wantProblems)
	}
}

// Problems name their cell as the CLI prints it.
func TestProblemCells(t *testing.T) {
	b := quirks["schedule column date"](t)
	s, err := ReadFile(b.save("2021-01 position statement.xlsx"), DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if a := action(t, s, "1.9"); a.Schedule.Target.ISO() != "2020-12-31" || a.Schedule.Text != "31/12/2020" {
		t.Errorf("excel date in the schedule column: %+v", a.Schedule)
	}
	var got []string
	for _, p := range s.Problems {
		got = append(got, string(p.Severity)+": "+s.Where(p.Cell)+": "+p.Message)
	}
	want := []string{
		`error: 2021-01 position statement.xlsx: sheet "Position Statement", cell E13: the cell shows the error #REF!: correct its formula or type the value`,
		`error: 2021-01 position statement.xlsx: sheet "Position Statement", cell D14: cannot read 7 as a date: it is a number, not a date; it is kept as text`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("problems\n got %q\nwant %q", got, want)
	}
}

func TestRows(t *testing.T) {
	opt := DefaultOptions()
	opt.Roles = map[string]string{"Jane Smith": "not this one", "Robert Henderson": "Executive Director"}
	s, err := Read(bytes.NewReader(quirks["rows"](t).bytes()), "rows.xlsx", opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Actions) != 3 || len(s.Recommendations) != 3 {
		t.Fatalf("%d actions, %d recommendations", len(s.Actions), len(s.Recommendations))
	}
	// The row with an update and no action is kept, with a warning.
	if a := s.Actions[1]; a.Text != "" || a.Update != "an update with no action" || a.Ref != "1.2" || a.Cell != "B6" {
		t.Errorf("row without action text: %+v", a)
	}
	a := s.Actions[2]
	if a.Text != "Bulleted text over two lines by 30th Sept" || a.RawText != "• Bulleted\u00a0text\nover two lines by 30 th Sept" {
		t.Errorf("text %q, raw %q", a.Text, a.RawText)
	}
	if a.Schedule.Text != "By 1st Oct 20" || a.Ref != "3.1" {
		t.Errorf("action %+v", a)
	}
	if r, ok := s.Recommendation("2"); !ok || r.Text != "Two, with no actions" {
		t.Errorf("recommendation 2: %+v", r)
	}
	wantProblems := []plan.Problem{
		{Cell: "B6", Severity: plan.SeverityWarning, Message: "row 6 has no action text but other cells are filled; it is kept as an action without text"},
		{Cell: "B9", Severity: plan.SeverityWarning, Message: "row 9 is hidden in the workbook; it is read like any other row"},
	}
	if !reflect.DeepEqual(s.Problems, wantProblems) {
		t.Errorf("problems\n got %+v\nwant %+v", s.Problems, wantProblems)
	}
	wantOwners := []plan.Owner{
		{Name: "Jane Smith", Role: "Director of Children's Services"},
		{Name: "Cllr Paffey", Role: "Cabinet Member"},
		{Name: "Robert Henderson", Role: "Executive Director"},
	}
	if !reflect.DeepEqual(s.Owners, wantOwners) {
		t.Errorf("owners %+v", s.Owners)
	}
}

func TestClean(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"• Monthly visit", "Monthly visit"},
		{"\uf0b7\tMonthly visit", "Monthly visit"},
		{" - Review  it", "Review it"},
		{"– Review", "Review"},
		{"* Review", "Review"},
		{"· Review", "Review"},
		{"-5 days", "-5 days"},
		{"Co-design a strategy", "Co-design a strategy"},
		{"by 30 th September and 1 st, 2 nd, 3 rd", "by 30th September and 1st, 2nd, 3rd"},
		{"the th of", "the th of"},
		{"line\r\none\u00a0two\u200b", "line one two"},
		{"   ", ""},
	} {
		if got := clean(c.in); got != c.want {
			t.Errorf("clean(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestSplitOwners(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"Robert Henderson / Cllr Paffey", []string{"Robert Henderson", "Cllr Paffey"}},
		{"Robert Henderson/Mike Harris", []string{"Robert Henderson", "Mike Harris"}},
		{"A & B and C, D; E\nF", []string{"A", "B", "C", "D", "E", "F"}},
		{"Alexandra Sand", []string{"Alexandra Sand"}},
		{" / ", nil},
	} {
		if got := splitOwners(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("splitOwners(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestRoleFor(t *testing.T) {
	owners := []plan.Owner{{Name: "Councillor Paffey", Role: "Cabinet Member"}, {Name: "Sandy Hopkins:", Role: "Chief Executive"}}
	for _, c := range []struct {
		name, role string
		ok         bool
	}{
		{"Cllr Paffey", "Cabinet Member", true},
		{"cllr. paffey", "Cabinet Member", true},
		{"Councillor  Paffey", "Cabinet Member", true},
		{"Sandy Hopkins", "Chief Executive", true},
		{"Paffey", "", false},
		{"", "", false},
	} {
		if role, ok := RoleFor(owners, c.name); role != c.role || ok != c.ok {
			t.Errorf("RoleFor(%q) = %q, %v", c.name, role, ok)
		}
	}
}

func TestHeaderMatch(t *testing.T) {
	m := newMatcher(DefaultOptions().Columns)
	for _, c := range []struct{ header, field string }{
		{"Lead Owner (s)", fieldOwner}, {"Lead Owner(s):", fieldOwner}, {"LEAD  OFFICER", fieldOwner},
		{"Start date /\nCompletion date", fieldSchedule}, {"Start date / Target date", fieldSchedule},
		{"Date\ncompleted", fieldCompleted}, {"Completion date", fieldTarget}, {"Target date for completion", fieldTarget},
		{"RAG status", fieldRAG}, {"Status (RAG)", fieldRAG}, {"Status", fieldStatus}, {"Project status", fieldStatus},
		{"No.", fieldRef}, {"Action ID", fieldRef}, {"Action owner", fieldOwner}, {"Update (October 2020)", fieldUpdate},
		{"Impact", ""}, {"What do we still need to do", ""},
	} {
		if f, _ := m.match(c.header); f != c.field {
			t.Errorf("match(%q) = %q, want %q", c.header, f, c.field)
		}
	}
}

func TestOptions(t *testing.T) {
	b := quirks["title rows"](t)
	if _, err := Read(bytes.NewReader(b.bytes()), "x.xlsx", Options{}); err != nil {
		t.Errorf("zero options: %v", err)
	}
	_, err := Read(bytes.NewReader(b.bytes()), "x.xlsx", Options{Columns: map[string][]string{"owners": {"Owner"}}})
	mustError(t, err, "x.xlsx", nil)
	// A field given no synonyms matches no column.
	_, err = Read(bytes.NewReader(b.bytes()), "x.xlsx", Options{Columns: map[string][]string{"action": {}, "recommendation": {}}})
	mustError(t, err, "x.xlsx", ErrNoHeader)
}

// Of two columns meaning the same field, a visible one is read before a
// hidden one, whatever their order.
func TestHiddenDuplicateColumn(t *testing.T) {
	b := newBook(t, "Plan")
	b.rows("Plan", 1, []any{"Action", "Owner", "Action", "Deadline"}, []any{"old wording", "A", "new wording", "Dec 20"})
	b.f.SetColVisible("Plan", "A", false)
	s := b.read()
	if a := s.Actions[0]; a.Text != "new wording" || a.Cell != "C2" || !reflect.DeepEqual(a.Extra, []plan.Field{{Name: "Action", Value: "old wording"}}) {
		t.Errorf("action %+v", a)
	}
	if !reflect.DeepEqual(s.Columns, []string{"Action", "Owner", "Action", "Deadline"}) {
		t.Errorf("columns %q", s.Columns)
	}
}
