package workbook

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"papers/internal/returns"
)

// A return workbook has two sheets:
//
//   - "Return": a title row, a header row (returns.Fields' headers), then
//     one row per action. Ref, Recommendation, Action, Lead owner(s),
//     Current target and Previous update are locked; Update, Status (a
//     drop-down of returns.Statuses), Date completed and Revised target date
//     (both must be dates) and Reason for change are unlocked and shaded;
//     the last column, locked, quotes the previous update where it reports
//     the action done, and a Date completed filled in from it is shaded
//     blue.
//     Consecutive actions of one recommendation share a merged
//     recommendation cell. The header row is frozen and repeated on printed
//     pages.
//   - "Instructions": who the return is for, the quarter, the deadline, the
//     plan, the statement it was made from, and how to fill it in.
//
// Both sheets and the workbook's structure are protected (SHA-512).

// InstructionsSheet is the name of a return's instructions sheet.
const InstructionsSheet = "Instructions"

// Labels on the instructions sheet, which ReadReturn reads back.
const (
	labelOwner    = "Lead owner"
	labelQuarter  = "Quarter"
	labelDeadline = "Return by"
	labelPlan     = "Plan"
	labelBased    = "Made from"
	// combinedOwner stands for Owner "" on the instructions sheet.
	combinedOwner = "All lead owners (combined return)"
	deadlineFmt   = "Monday 2 January 2006"
)

// returnWidths are the return's column widths (Excel units), in
// returns.Fields order. Update is as wide as Previous update, so a row tall
// enough for the previous update has room for a new one of the same length.
var returnWidths = []float64{7, 22, 34, 15, 16, 36, 36, 12, 12, 12, 24, 30}

// returnHeaderRow is the row of a written return's headings.
const returnHeaderRow = 2

// WriteReturn writes a return as a protected workbook in which only the
// editable cells can be changed (see returns.Field.Editable). Values already
// in the return's editable fields are written too. Every value is written as
// text or a date, never as a formula. The same return and options always
// give the same bytes.
func WriteReturn(w io.Writer, r *returns.Return, opt WriteOptions) error {
	f, err := newWorkbook()
	if err != nil {
		return err
	}
	defer f.Close()
	sheet := r.Sheet
	if sheet == "" {
		sheet = returns.SheetName
	}
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	if _, err := f.NewSheet(InstructionsSheet); err != nil {
		return err
	}
	ss := &styleSet{f: f}
	var (
		sTitle    = ss.plain(true, 12)
		sHead     = ss.add(true, retFontSize, "D9D9D9", "", true, "", "center")
		sHeadEdit = ss.add(true, retFontSize, "FFD966", "", true, "", "center")
		sLocked   = ss.add(false, retFontSize, "", "", true, "", "top")
		sPrevious = ss.add(false, retFontSize, "F2F2F2", "404040", true, "", "top")
		sEdit     = ss.add(false, retFontSize, "FFF2CC", "", false, "", "top")
		sEditDate = ss.add(false, retFontSize, "FFF2CC", "", false, "dd/mm/yyyy", "top")
		// A date completed filled in from the previous update: blue until
		// the lead owner keeps or clears it.
		sSuggested = ss.add(false, retFontSize, "DDEBF7", "", false, "dd/mm/yyyy", "top")
	)
	if ss.err != nil {
		return ss.err
	}
	sw := &sheetWriter{f: f, sheet: sheet}
	sw.widths(returnWidths)

	// Title.
	owner := r.Owner
	if owner == "" {
		owner = "all lead owners (combined)"
	}
	quarter := r.Quarter
	if q, err := returns.ParseQuarter(r.Quarter); err == nil {
		quarter = q.Label() + " (" + q.String() + ")"
	}
	title := fmt.Sprintf("Quarterly return for %s: %s", owner, quarter)
	if r.Title != "" {
		title += "\n" + r.Title
	}
	if !r.Deadline.IsZero() {
		title += "\nPlease fill in the shaded cells and return this workbook by " + r.Deadline.Format(deadlineFmt) + ". See the Instructions sheet."
	}
	last := len(returns.Fields)
	total := 0.0
	for _, wd := range returnWidths {
		total += wd
	}
	sw.text(1, 1, title, sTitle)
	sw.do(f.MergeCell(sheet, retCell(1, 1), retCell(last, 1)))
	sw.do(f.SetRowHeight(sheet, 1, retRowHeight(wrappedLines(title, total, 12, true), 12)))

	// Headings.
	headLines := 1
	for i, fld := range returns.Fields {
		st := sHead
		if fld.Editable() {
			st = sHeadEdit
		}
		sw.text(i+1, returnHeaderRow, fld.Header(), st)
		headLines = max(headLines, wrappedLines(fld.Header(), returnWidths[i], retFontSize, true))
	}
	sw.do(f.SetRowHeight(sheet, returnHeaderRow, retRowHeight(headLines, retFontSize)+4))

	// Lines.
	first := returnHeaderRow + 1
	heights := make([]float64, len(r.Lines))
	groups := recGroups(r.Lines)
	for i := range r.Lines {
		l := &r.Lines[i]
		row := first + i
		lines := 1
		for c, fld := range returns.Fields {
			col := c + 1
			v := l.Text(fld)
			switch {
			case fld == returns.FieldPrevious || fld == returns.FieldSuggestion:
				sw.text(col, row, v, sPrevious)
			case fld == returns.FieldCompleted || fld == returns.FieldRevised:
				d := l.Completed
				if fld == returns.FieldRevised {
					d = l.Revised
				}
				st := sEditDate
				if fld == returns.FieldCompleted && l.Suggestion != "" && !d.IsZero() {
					st = sSuggested
				}
				if d.IsZero() {
					sw.text(col, row, d.Text, st)
				} else {
					sw.date(col, row, d.Date, st)
				}
			case fld.Editable():
				sw.text(col, row, v, sEdit)
			case fld == returns.FieldRecommendation && groups[i] != i:
				// Inside a merged recommendation cell: written at its top.
				sw.text(col, row, "", sLocked)
				continue
			default:
				sw.text(col, row, v, sLocked)
			}
			if fld == returns.FieldRecommendation && groupEnd(groups, i) > i {
				continue // measured over the merged rows below
			}
			lines = max(lines, wrappedLines(v, returnWidths[c], retFontSize, false))
		}
		heights[i] = retRowHeight(lines, retFontSize)
	}
	// A merged recommendation cell needs its rows' heights to add up to its
	// text's: the shortfall is shared among them.
	recCol := int(returns.FieldRecommendation) + 1
	for i := 0; i < len(r.Lines); {
		end := groupEnd(groups, i)
		if end > i {
			sw.do(f.MergeCell(sheet, retCell(recCol, first+i), retCell(recCol, first+end)))
			need := retRowHeight(wrappedLines(r.Lines[i].Recommendation, returnWidths[recCol-1], retFontSize, false), retFontSize)
			have := 0.0
			for j := i; j <= end; j++ {
				have += heights[j]
			}
			if need > have {
				extra := (need - have) / float64(end-i+1)
				for j := i; j <= end; j++ {
					heights[j] = min(heights[j]+extra, retMaxRowHeight)
				}
			}
		}
		i = end + 1
	}
	for i, h := range heights {
		sw.do(f.SetRowHeight(sheet, first+i, h))
	}

	// Validation of the editable cells.
	if n := len(r.Lines); n > 0 {
		lastRow := first + n - 1
		colOf := func(fld returns.Field) string {
			c, _ := excelize.ColumnNumberToName(int(fld) + 1)
			return c
		}
		rangeOf := func(fld returns.Field) string {
			return fmt.Sprintf("%s%d:%s%d", colOf(fld), first, colOf(fld), lastRow)
		}
		status := excelize.NewDataValidation(true)
		status.Sqref = rangeOf(returns.FieldStatus)
		sw.do(status.SetDropList(returns.Statuses))
		status.SetError(excelize.DataValidationErrorStyleStop, "Status", "Choose a status from the list: "+strings.Join(returns.Statuses, ", ")+".")
		sw.do(f.AddDataValidation(sheet, status))
		for _, d := range []struct {
			fld          returns.Field
			title, input string
		}{
			{returns.FieldCompleted, "Date completed", "If the action is complete, type the date it was completed, e.g. 31/03/2021."},
			{returns.FieldRevised, "Revised target date", "Only if the target must change: type the new target date, e.g. 30/06/2021, and give the reason in Reason for change."},
		} {
			dv := excelize.NewDataValidation(true)
			dv.Sqref = rangeOf(d.fld)
			// 1 January 2000 to 31 December 2099, as Excel serial dates.
			sw.do(dv.SetRange(36526, 73415, excelize.DataValidationTypeDate, excelize.DataValidationOperatorBetween))
			dv.SetError(excelize.DataValidationErrorStyleStop, d.title, "Type a date, e.g. 31/03/2021.")
			dv.SetInput(d.title, d.input)
			sw.do(f.AddDataValidation(sheet, dv))
		}
	}
	sw.page(returnHeaderRow)
	sw.do(f.ProtectSheet(sheet, returnProtection()))

	writeInstructions(f, r, ss)
	if sw.err != nil {
		return sw.err
	}
	if ss.err != nil {
		return ss.err
	}
	if err := f.ProtectWorkbook(&excelize.WorkbookProtectionOptions{LockStructure: true}); err != nil {
		return err
	}
	f.SetActiveSheet(0)

	created := opt.Created
	if created.IsZero() {
		if q, err := returns.ParseQuarter(r.Quarter); err == nil {
			created = q.Start()
		} else {
			created = defaultCreated
		}
	}
	password := opt.Password
	if password == "" {
		password = DefaultPassword
	}
	props := &excelize.DocProperties{
		Title:    fmt.Sprintf("Quarterly return for %s, %s", owner, r.Quarter),
		Subject:  r.Title,
		Keywords: "papers return " + r.Quarter,
	}
	return finishWorkbook(f, w, props, created, password, r.Quarter+"\x00"+r.Owner)
}

// defaultCreated is the creation date of a workbook written without one.
var defaultCreated = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// returnProtection protects a sheet's locked cells, leaving its rows and
// columns free to resize (an officer may need a taller row for a long
// update).
func returnProtection() *excelize.SheetProtectionOptions {
	return &excelize.SheetProtectionOptions{
		FormatRows: true, FormatColumns: true,
		SelectLockedCells: true, SelectUnlockedCells: true,
	}
}

// recGroups gives, for each line, the index of the first line of its run of
// consecutive lines with the same recommendation.
func recGroups(lines []returns.Line) []int {
	g := make([]int, len(lines))
	for i := range lines {
		g[i] = i
		if i > 0 && lines[i].Recommendation == lines[i-1].Recommendation && lines[i].Recommendation != "" {
			g[i] = g[i-1]
		}
	}
	return g
}

// groupEnd is the last line of the run starting at or containing line i.
func groupEnd(groups []int, i int) int {
	j := i
	for j+1 < len(groups) && groups[j+1] == groups[i] {
		j++
	}
	return j
}

// writeInstructions fills the instructions sheet.
func writeInstructions(f *excelize.File, r *returns.Return, ss *styleSet) {
	sw := &sheetWriter{f: f, sheet: InstructionsSheet}
	sHeading := ss.plain(true, 14)
	sLabel := ss.plain(true, retFontSize)
	sText := ss.plain(false, retFontSize)
	widths := []float64{20, 95}
	sw.widths(widths)

	owner := r.Owner
	if owner == "" {
		owner = combinedOwner
	}
	quarter := r.Quarter
	if q, err := returns.ParseQuarter(r.Quarter); err == nil {
		quarter = q.String() + " (" + q.Label() + ")"
	}
	deadline := ""
	if !r.Deadline.IsZero() {
		deadline = r.Deadline.Format(deadlineFmt)
	}
	by := "the date democratic services gave you"
	if deadline != "" {
		by = deadline
	}
	row := 1
	put := func(label, text string) {
		sw.text(1, row, label, sLabel)
		sw.text(2, row, text, sText)
		sw.do(f.SetRowHeight(InstructionsSheet, row, retRowHeight(wrappedLines(text, widths[1], retFontSize, false), retFontSize)))
		row++
	}
	sw.text(1, row, "Quarterly return: how to fill it in", sHeading)
	sw.do(f.MergeCell(InstructionsSheet, retCell(1, row), retCell(2, row)))
	sw.do(f.SetRowHeight(InstructionsSheet, row, 22))
	row += 2
	put(labelOwner, owner)
	put(labelQuarter, quarter)
	put(labelDeadline, deadline)
	put(labelPlan, r.Title)
	put(labelBased, r.Based)
	row++
	steps := []string{
		"Each row of the Return sheet is one action you lead on (a joint action is in each of its lead owners' returns). " +
			"Its Ref, Recommendation, Action, Lead owner(s), Current target and Previous update come from the last position statement " +
			"and are locked. If any of them is wrong, tell democratic services: do not unprotect the sheet, or the return will be rejected.",
		"Update: type this quarter's progress. Write it afresh: the previous update is shown beside it for reference only.",
		"Status: choose Not started, On track, At risk or Complete from the drop-down list.",
		"Date completed: if the action is complete, type the date it was completed, e.g. 31/03/2021.",
		"Date completed? (from your last update): where your last update said the action was done, this quotes it. " +
			"If it gave the date, Date completed is filled in from it (shaded blue): keep it if it is right, clear it if not. " +
			"A date you leave in is taken as the date the action was completed.",
		"Revised target date: only if the target has to change, type the new date and explain why in Reason for change. " +
			"A new date without a reason will be queried.",
		"A joint action: agree the update with the other lead owner(s). If your returns differ, democratic services will ask which to use.",
		"Nothing new to report on an action? Leave its row blank: it will be reported as \"No update received\".",
		"If your text does not fit its cell, make the row taller (drag the line below the row number).",
		"Save the workbook as .xlsx, keeping its name, and send it to democratic services by " + by + ".",
	}
	for i, s := range steps {
		put(fmt.Sprintf("Step %d", i+1), s)
	}
	sw.page(0)
	sw.do(f.ProtectSheet(InstructionsSheet, returnProtection()))
	if sw.err != nil && ss.err == nil {
		ss.err = sw.err
	}
}
