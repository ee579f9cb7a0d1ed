package pdf

import (
	"fmt"
	"strings"
	"time"

	"papers/internal/document"
)

// Sample document used by the tests: every block type, a cover in the
// council's layout and a landscape appendix with a long table.

const welsh = "Gwasanaethau ŵ ŷ £25,000 – ’ • “quoted”"

var sampleWords = []string{"review", "develop", "ensure", "safeguarding", "practice", "managers", "front-line", "staff",
	"improvement", "board", "quality", "assurance", "framework", "supervision", "workforce", "strategy", "recruitment",
	"retention", "social", "workers", "caseloads", "partners", "communication", "children", "families", "outcomes"}

func words(seed, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(sampleWords[(seed*7+i*11+i*i)%len(sampleWords)])
	}
	return b.String()
}

const (
	sampleRows = 300
	giantRow   = 137
	giantLines = 160
)

// giantLine is line i (from 1) of the giant cell: short enough not to wrap
// in the Update column.
func giantLine(i int) string { return fmt.Sprintf("Giant line %03d: %s", i, words(i, 2)) }

// giantText is a cell of about 6,000 characters, taller than a page.
func giantText() string {
	var b strings.Builder
	for i := 1; i <= giantLines; i++ {
		if i > 1 {
			b.WriteByte('\n')
		}
		b.WriteString(giantLine(i))
	}
	return b.String()
}

func recText(n int) string {
	return fmt.Sprintf("Recommendation %d: %s across the council.", n, words(n, 5))
}

func sampleTable() document.Table {
	t := document.Table{
		Caption: "Table 1: Actions by recommendation",
		Columns: []document.Column{
			{Title: "Recommendation", Width: 17},
			{Title: "Ref", Width: 5},
			{Title: "Action", Width: 24},
			{Title: "Lead owner(s)", Width: 11},
			{Title: "Start / target date", Width: 11, Align: document.Center},
			{Title: "Status", Width: 10},
			{Title: "Update", Width: 32},
		},
	}
	fills := []string{"", "F6D7D2", "FCE4CC", "CCE2D8", "D2E2F1"}
	for i := range sampleRows {
		rec := document.Cell{Text: recText(i/10 + 1), Merge: document.MergeStart, Bold: i/10%3 == 0}
		if i%10 != 0 {
			rec = document.Cell{Merge: document.MergeContinue}
		}
		update := fmt.Sprintf("Quarter 2: %s progressing; %s.", words(i, 3+i%9), words(i+3, 2+i%5))
		if i == giantRow {
			update = giantText()
		}
		row := document.Row{Cells: []document.Cell{
			rec,
			{Text: fmt.Sprintf("A%03d", i+1), Bold: true},
			{Text: fmt.Sprintf("%s (item %d)", words(i, 4+i%13), i+1)},
			{Text: fmt.Sprintf("Officer %d / Officer %d", i%23, (i+5)%23)},
			{Text: fmt.Sprintf("By %d Mar 2021", 1+i%28)},
			{Text: "On track\nRAG: Green", Fill: fills[i%len(fills)]},
			{Text: update},
		}}
		if i%100 == 0 || i == 55 {
			row.Group = fmt.Sprintf("Phase %d: %s", i/50+1, words(i, 6))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

func sampleDoc() *document.Doc {
	para := func(label string, runs ...document.Run) document.Paragraph {
		return document.Paragraph{Label: label, Runs: runs}
	}
	plain := func(s string) document.Run { return document.Run{Text: s} }
	strong := func(s string) document.Run { return document.Run{Text: s, Bold: true} }
	cover := []document.Block{
		document.KeyValue{Pairs: []document.Pair{
			{Key: "DECISION MAKER:", Value: "CHILDREN AND FAMILIES SCRUTINY PANEL"},
			{Key: "SUBJECT:", Value: "PROGRESS AGAINST THE LEARNING REPORT ACTION PLAN, AND THE CHANGES SINCE THE LAST POSITION STATEMENT"},
			{Key: "DATE OF DECISION:", Value: "26 NOVEMBER 2020"},
			{Key: "REPORT OF:", Value: "CHIEF EXECUTIVE"},
		}},
		document.Heading{Level: 1, Text: "CONTACT DETAILS"},
		document.KeyValue{Pairs: []document.Pair{
			{Key: "Title", Value: "CHIEF EXECUTIVE"},
			{Key: "Name:", Value: "Sandy Hopkins"},
			{Key: "Tel:", Value: "023 8083 2966"},
			{Key: "E-mail:", Value: "sandy.hopkins@southampton.gov.uk"},
		}},
		document.Heading{Level: 1, Text: "STATEMENT OF CONFIDENTIALITY"},
		document.Text("None"),
		document.Heading{Level: 1, Text: "BRIEF SUMMARY"},
		para("", plain("This report sets out progress against the "), strong("Learning Report Action Plan"),
			plain(" as at 28 January 2021. Of the 300 actions in the plan, "), strong("120 are complete"),
			plain(", "), document.Run{Text: "14 are past their target date", Bold: true},
			plain(" and the rest are on track. "), document.Run{Text: "Figures are provisional.", Italic: true}),
		document.Heading{Level: 1, Text: "RECOMMENDATIONS:"},
		document.Labelled("(i)", "To note the progress made against the Learning Report Action Plan, set out in the position statement at Appendix 1."),
		document.Labelled("(ii)", "To note the changes since the last position statement (Appendix 2) and the 14 actions past their target date."),
		document.Labelled("(iii)", "To ask the lead owners of overdue actions to confirm revised target dates, with reasons, for the next position statement."),
		document.Heading{Level: 1, Text: "REASONS FOR REPORT RECOMMENDATIONS"},
		document.Labelled("1.", "The Panel has asked that progress against the action plan be reported to each of its meetings until it decides otherwise."),
		document.Heading{Level: 1, Text: "DETAIL (Including consultation carried out)"},
		para("2.", plain("Lead owners updated the action plan. The Welsh-language services team ("), strong(welsh),
			plain(") confirmed translation costs. The chart shows the position for each recommendation.")),
		document.Chart{
			Title:      "Status of actions by recommendation, as at 28 January 2021",
			Categories: []string{"Recommendation 1: Develop a compelling vision", "Recommendation 2: Promote an inclusive culture in which staff feel valued, listened to and supported in their practice", "Recommendation 3", "Recommendation 4: Workforce"},
			Series: []document.Series{
				{Name: "Complete", Color: "1D70B8", Values: []float64{4, 2, 0, 7}},
				{Name: "On track", Color: "00703C", Values: []float64{3, 5, 1, 2}},
				{Name: "Due soon", Color: "F47738", Values: []float64{1, 0, 0, 1}},
				{Name: "Overdue", Color: "D4351C", Values: []float64{2, 3, 1}},
			},
			Caption: "Recommendation 1: 4 complete, 3 on track, 1 due soon, 2 overdue; Recommendation 2: 2 complete, 5 on track, 3 overdue.",
		},
		para("3.", plain("4 actions were completed since the last statement:")),
		document.Paragraph{Label: "•", Indent: 1, Runs: []document.Run{plain("1.1 Develop an ambitious vision for children and young people (Robert Henderson), completed 10 days after its target date.")}},
		document.Paragraph{Label: "•", Indent: 1, Runs: []document.Run{plain("2.1 Monthly safeguarding assurance visit (Robert Henderson / Cllr Paffey).")}},
		document.Paragraph{Small: true, Runs: []document.Run{plain("Overdue actions by lead owner: Cllr Paffey 1; Robert Henderson 1.")}},
		document.Heading{Level: 1, Text: "RESOURCE IMPLICATIONS"},
		document.Heading{Level: 2, Text: "Capital/Revenue"},
	}
	for i := 4; i < 12; i++ {
		cover = append(cover, document.Labelled(fmt.Sprintf("%d.", i), strings.Repeat(words(i, 12)+". ", 4)))
	}
	cover = append(cover,
		document.Heading{Level: 3, Text: "Property/Other"},
		document.Labelled("12.", "None."),
		document.KeyValue{Pairs: []document.Pair{
			{Key: "KEY DECISION?", Value: "No"},
			{Key: "WARDS/COMMUNITIES AFFECTED:", Value: "All Wards"},
		}},
		document.KeyValue{Pairs: []document.Pair{
			{Key: "Do the implications/subject of the report require an Equality and Safety Impact Assessment (ESIA) to be carried out.", Value: "No"},
		}},
	)
	appendix := []document.Block{
		document.Heading{Level: 1, Text: "Appendix 1: Position statement"},
		document.Text("Position Statement: January 2021, as at 28 January 2021. Status is worked out from each action's target and completion dates."),
		sampleTable(),
	}
	owners := []document.Block{
		document.Heading{Level: 1, Text: "Appendix 2: Lead owners and roles"},
		document.Table{Columns: []document.Column{
			{Title: "Lead owner", Width: 30}, {Title: "Role", Width: 30}, {Title: "Actions led", Width: 12, Align: document.Right},
		}, Rows: []document.Row{
			{Cells: []document.Cell{{Text: "Robert Henderson"}, {Text: "Executive Director"}, {Text: "2"}}},
			{Cells: []document.Cell{{Text: "Sandy Hopkins"}, {Text: "Chief Executive"}, {Text: "12"}}},
		}},
		document.PageBreak{},
		document.Text("Notes follow on a new page."),
	}
	return &document.Doc{
		Title:    "Progress against the action plan",
		Author:   "Chief Executive",
		Subject:  "Children and Families Scrutiny Panel, 26 November 2020",
		Keywords: "Children and Families Scrutiny Panel, Learning Report Action Plan, position statement",
		Language: "en-GB",
		Date:     time.Date(2020, 11, 26, 9, 30, 0, 0, time.UTC),
		Footer:   "Children and Families Scrutiny Panel – 26 November 2020",
		Sections: []document.Section{
			{Orientation: document.Portrait, Blocks: cover},
			{Orientation: document.Landscape, Blocks: appendix},
			{Orientation: document.Portrait, Blocks: owners},
		},
	}
}
