package main

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

var updateFixtures = flag.Bool("update", false, "rewrite testdata fixtures and golden files")

// januaryStatement is the hand-made January 2021 position statement the tests
// compare with the October 2020 sample. It is made from the October workbook
// by TestMakeNextQuarterFixture -update, and committed, so that a reader can
// open it. Every change class is in it:
//
//	1.1 target moved from December 20 to March 21 (+90 days)       slipped
//	1.2 update word for word October's                             copied forward
//	2.5 lead owner John Harrison → Robert Henderson                owner changed
//	2.6 Date completed 08/10/2020 (an Excel date), target 30 Sep   complete late (8 days)
//	3.1/3.2 swapped rows                                           reordered, still matched
//	3.6 Date completed 25/11/2020, target 30 Nov 20                completed on time
//	3.8 "Publish the practice framework …" added                   new
//	4.4 reworded ("…laptops and…" inserted)                         matched as similar
//	4.7 accommodation review deleted                               removed
//	5.3 target "By 32nd Dec 20" (D33)                                    unreadable date: warning, kept as text
//	5.4 target "Ongoing"                                           no date
const januaryStatement = "testdata/2021-01 position statement.xlsx"

func TestMakeNextQuarterFixture(t *testing.T) {
	if !*updateFixtures {
		if _, err := os.Stat(januaryStatement); err != nil {
			t.Fatalf("%s is missing: run go test ./cmd/papers -run TestMakeNextQuarterFixture -update", januaryStatement)
		}
		return
	}
	f, err := excelize.OpenFile(filepath.Join("..", "..", "data", "2020-10 position statement.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	const sh = "Position Statement"
	set := func(cell string, v any) {
		t.Helper()
		if err := f.SetCellValue(sh, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	get := func(cell string) string {
		v, err := f.GetCellValue(sh, cell)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	set("A1", "Response to Whistleblowing Investigation - Position Statement: January 2021")
	set("F3", "Date completed")
	style, _ := f.GetCellStyle(sh, "E3")
	f.SetCellStyle(sh, "F3", "F3", style)
	f.SetColWidth(sh, "F", "F", 14)
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		t.Fatal(err)
	}

	// Rows as in the October sample: 4-5 rec 1; 6-16 rec 2; 17-23 rec 3; 24-30 rec 4; 31-35 rec 5.
	set("D4", "Start: Sept 20 Completed by: March 21")
	set("E4", "Vision statements agreed by DMT; consultation with staff and partners extended to February 2021.")
	// E5 (1.2) left as October's: copied forward.
	set("C10", "Robert Henderson")
	set("E10", "Practitioner representatives have joined the reconstituted Improvement Board.")
	set("F11", time.Date(2020, 10, 8, 0, 0, 0, 0, time.UTC))
	f.SetCellStyle(sh, "F11", "F11", dateStyle)
	set("E11", "Improvement plan reviewed and submitted to Ofsted on 8th October 2020.")
	// Swap 3.1 and 3.2 (rows 17 and 18, columns B-E).
	for _, col := range []string{"B", "C", "D", "E"} {
		a, b := get(col+"17"), get(col+"18")
		set(col+"17", b)
		set(col+"18", a)
	}
	set("F22", time.Date(2020, 11, 25, 0, 0, 0, 0, time.UTC))
	f.SetCellStyle(sh, "F22", "F22", dateStyle)
	set("E22", "Quality assurance framework updated and launched.")
	// 4.4: reworded.
	set("B27", "To review the ICT equipment, laptops and smartphones currently available to all officers in the service and prioritise the service in the roll out of new technology;")
	// 5.3 unreadable date, 5.4 no date.
	set("D33", "By 32nd Dec 20")
	set("D34", "Ongoing")
	// Delete 4.7 (row 30) and add a new action at the end of recommendation 3 (after row 23).
	if err := f.RemoveRow(sh, 30); err != nil {
		t.Fatal(err)
	}
	if err := f.InsertRows(sh, 24, 1); err != nil {
		t.Fatal(err)
	}
	set("B24", "Publish the practice framework and train every team manager in its use;")
	set("C24", "Robert Henderson")
	set("D24", "By 31st Mar 21")
	set("E24", "Framework drafted; workshops held in November and December 2020.")
	body, _ := f.GetCellStyle(sh, "B23")
	f.SetCellStyle(sh, "B24", "F24", body)
	// Recommendation 3's merged cell grows to cover the new row.
	f.UnmergeCell(sh, "A17", "A23")
	if err := f.MergeCell(sh, "A17", "A24"); err != nil {
		t.Fatal(err)
	}
	if err := f.SaveAs(januaryStatement); err != nil {
		t.Fatal(err)
	}
}
