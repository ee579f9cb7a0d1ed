package pack

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"papers/internal/document"
	"papers/internal/meeting"
)

var updateSample = flag.Bool("update", false, "rewrite the sample meeting's papers in data/meetings/2020-11-26/")

// The sample meeting, data/meetings/2020-11-26.yaml, names three papers
// besides the generated report. They are made here (go test
// ./internal/pack -run TestMakeSampleMeeting -update) and committed, so a
// reader can open them. Their content is invented.
var (
	sampleMeeting = filepath.Join("..", "..", "data", "meetings", "2020-11-26.yaml")
	sampleDir     = filepath.Join("..", "..", "data", "meetings", "2020-11-26")
	sampleFiles   = map[string]func() *document.Doc{
		"2020-10-22 minutes.pdf":                  sampleMinutes,
		"Children's services performance Q2.docx": samplePerformance,
		"Residential placements framework.docx":   samplePlacements,
	}
)

func TestMakeSampleMeeting(t *testing.T) {
	if !*updateSample {
		for name := range sampleFiles {
			if _, err := os.Stat(filepath.Join(sampleDir, name)); err != nil {
				t.Fatalf("%s is missing: run go test ./internal/pack -run TestMakeSampleMeeting -update", name)
			}
		}
		return
	}
	if err := os.MkdirAll(sampleDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, doc := range sampleFiles {
		p := filepath.Join(sampleDir, name)
		if filepath.Ext(name) == ".pdf" {
			writePDF(t, p, doc())
		} else {
			writeDOCX(t, p, doc())
		}
	}
}

// The sample meeting file reads, and its packs build: the exempt report's
// words are in the members' pack only.
func TestSampleMeetingPacks(t *testing.T) {
	needTool(t, "soffice")
	m, err := meeting.Load(sampleMeeting)
	if err != nil {
		t.Fatal(err)
	}
	report := pdfBytes(t, paper("Progress against the action plan", "MARK-REPORT", 3))
	p, err := Build(context.Background(), m, Options{
		Reports:   map[string][]byte{"action-plan-progress": report},
		Published: time.Date(2020, 11, 18, 0, 0, 0, 0, time.UTC),
	})
	if err != nil {
		t.Fatal(err)
	}
	if p.Timing.Late || !p.Timing.PublishBy.Equal(time.Date(2020, 11, 18, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("timing %+v", p.Timing)
	}
	const secret = "Harbourside Care Partnership"
	if text := pdfToText(t, p.Public.PDF, 0, 0); contains(text, secret) {
		t.Errorf("the public pack has the exempt report's text")
	}
	if text := pdfToText(t, p.Members.PDF, 0, 0); !contains(text, secret) {
		t.Errorf("the members' pack lacks the exempt report's text")
	}
}

func sampleMinutes() *document.Doc {
	return &document.Doc{
		Title:    "Children and Families Scrutiny Panel: minutes, 22 October 2020",
		Author:   "Democratic Support",
		Language: "en-GB",
		Date:     time.Date(2020, 10, 23, 0, 0, 0, 0, time.UTC),
		Footer:   "Children and Families Scrutiny Panel – minutes – 22 October 2020",
		Sections: []document.Section{{Blocks: []document.Block{
			document.Heading{Level: 1, Text: "Minutes of the Children and Families Scrutiny Panel held on 22 October 2020"},
			document.KeyValue{Pairs: []document.Pair{
				{Key: "Present", Value: "Councillors Ashworth (Chair), Devlin (Vice-Chair), Okafor, Shah and Whitmore"},
				{Key: "Apologies", Value: "Councillor Brennan"},
			}},
			document.Heading{Level: 2, Text: "10. Apologies and changes in panel membership"},
			document.Text("The Panel noted the apologies of Councillor Brennan."),
			document.Heading{Level: 2, Text: "11. Disclosure of personal and pecuniary interests"},
			document.Text("No interests were declared."),
			document.Heading{Level: 2, Text: "12. Minutes of the previous meeting (including matters arising)"},
			document.Paragraph{Runs: []document.Run{{Text: "RESOLVED: ", Bold: true}, {Text: "that the minutes of the meeting held on 10 September 2020 be approved and signed as a correct record."}}},
			document.Heading{Level: 2, Text: "13. Learning report: action plan"},
			document.Text("The Panel considered the report of the Chief Executive on progress against the action plan responding to the learning report into the whistleblowing complaint within Children's Social Care Services. The Panel discussed the actions whose target dates had passed and the arrangements for lead owners to report progress each quarter."),
			document.Paragraph{Runs: []document.Run{{Text: "RESOLVED: ", Bold: true}, {Text: "(i) that the progress made against the action plan be noted; (ii) that the Panel receive a further report on progress at its meeting on 26 November 2020, showing the changes since the last position statement and the actions past their target dates."}}},
			document.Heading{Level: 2, Text: "14. Children's services performance: quarter 1"},
			document.Text("The Panel considered the quarterly performance report of the Director of Children's Services and asked for the timeliness of assessments to be shown by month in future reports."),
			document.Paragraph{Runs: []document.Run{{Text: "RESOLVED: ", Bold: true}, {Text: "that the report be noted."}}},
		}}},
	}
}

func samplePerformance() *document.Doc {
	measures := []struct{ name, target, q1, q2 string }{
		{"Assessments completed within 45 working days", "90%", "84%", "88%"},
		{"Child protection plans reviewed on time", "100%", "97%", "98%"},
		{"Children in care with an up-to-date care plan", "95%", "91%", "93%"},
		{"Care leavers in education, employment or training", "60%", "52%", "55%"},
		{"Social worker vacancy rate", "10%", "17%", "15%"},
		{"Re-referrals within 12 months", "20%", "23%", "21%"},
	}
	var rows []document.Row
	for _, m := range measures {
		rows = append(rows, document.Row{Cells: []document.Cell{{Text: m.name}, {Text: m.target}, {Text: m.q1}, {Text: m.q2}}})
	}
	return &document.Doc{
		Title:    "Children's services performance: quarter 2 2020/21",
		Author:   "Director of Children's Services",
		Language: "en-GB",
		Date:     time.Date(2020, 11, 12, 0, 0, 0, 0, time.UTC),
		Footer:   "Children's services performance: quarter 2 2020/21",
		Sections: []document.Section{
			{Blocks: []document.Block{
				document.KeyValue{Pairs: []document.Pair{
					{Key: "DECISION MAKER:", Value: "CHILDREN AND FAMILIES SCRUTINY PANEL"},
					{Key: "SUBJECT:", Value: "CHILDREN'S SERVICES PERFORMANCE: QUARTER 2 2020/21"},
					{Key: "DATE OF DECISION:", Value: "26 NOVEMBER 2020"},
					{Key: "REPORT OF:", Value: "DIRECTOR OF CHILDREN'S SERVICES"},
				}},
				document.Heading{Level: 1, Text: "Brief summary"},
				document.Text("This report sets out the performance of children's services in the second quarter of 2020/21 (July to September 2020) against the measures the Panel agreed, with the first quarter for comparison."),
				document.Heading{Level: 1, Text: "Recommendations"},
				document.Labelled("(i)", "To note the performance of children's services in quarter 2, set out in Appendix 1."),
				document.Labelled("(ii)", "To identify any measures the Panel wishes to examine in more detail at a future meeting."),
				document.Heading{Level: 1, Text: "Reasons for report recommendations"},
				document.Labelled("1.", "The Panel asked to receive performance information each quarter."),
				document.Heading{Level: 1, Text: "Detail"},
				document.Labelled("2.", "Timeliness of assessments improved from 84% to 88% but remains below the target of 90%. Recruitment to the assessment teams is expected to complete in December."),
				document.Labelled("3.", "The social worker vacancy rate fell to 15%. Agency staff cover the remaining vacancies; the cost is reported to Cabinet in the budget monitoring report."),
				document.Labelled("4.", "Care leavers in education, employment or training rose to 55%. The Virtual School is working with the city's colleges on places starting in January."),
			}},
			{Orientation: document.Landscape, Blocks: []document.Block{
				document.Heading{Level: 1, Text: "Appendix 1: Performance measures, quarter 2 2020/21"},
				document.Table{
					Columns: []document.Column{{Title: "Measure", Width: 6}, {Title: "Target", Width: 1.2, Align: document.Right}, {Title: "Quarter 1", Width: 1.2, Align: document.Right}, {Title: "Quarter 2", Width: 1.2, Align: document.Right}},
					Rows:    rows,
				},
			}},
		},
	}
}

func samplePlacements() *document.Doc {
	return &document.Doc{
		Title:    "Residential placements framework: extension of the contract",
		Author:   "Director of Children's Services",
		Language: "en-GB",
		Date:     time.Date(2020, 11, 12, 0, 0, 0, 0, time.UTC),
		Footer:   "NOT FOR PUBLICATION – paragraph 3 of Part 1 of Schedule 12A",
		Sections: []document.Section{{Blocks: []document.Block{
			document.KeyValue{Pairs: []document.Pair{
				{Key: "DECISION MAKER:", Value: "CHILDREN AND FAMILIES SCRUTINY PANEL"},
				{Key: "SUBJECT:", Value: "RESIDENTIAL PLACEMENTS FRAMEWORK: EXTENSION OF THE CONTRACT"},
				{Key: "REPORT OF:", Value: "DIRECTOR OF CHILDREN'S SERVICES"},
				{Key: "CONFIDENTIALITY:", Value: "NOT FOR PUBLICATION by virtue of paragraph 3 of Part 1 of Schedule 12A to the Local Government Act 1972"},
			}},
			document.Heading{Level: 1, Text: "Brief summary"},
			document.Text("The framework contract for residential placements with the Harbourside Care Partnership ends on 31 March 2021. This report sets out the provider's proposed prices for a two-year extension and the options open to the Council."),
			document.Heading{Level: 1, Text: "Recommendations"},
			document.Labelled("(i)", "To note the proposed weekly prices and the comparison with the regional framework in paragraph 4."),
			document.Heading{Level: 1, Text: "Detail"},
			document.Labelled("2.", "The provider proposes a weekly price of £4,150 for a standard placement (currently £3,890), an increase of 6.7%."),
			document.Labelled("3.", fmt.Sprintf("Across the %d placements now made under the framework the extension would cost about £%s a year more.", 14, "189,000")),
			document.Labelled("4.", "The regional framework's average price for comparable placements is £4,020 a week."),
		}}},
	}
}
