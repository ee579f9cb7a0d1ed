package workbook

import (
	"io"

	"github.com/xuri/excelize/v2"

	"papers/internal/plan"
)

// Headers of a written position statement, as in the council's samples.
const (
	headRef            = "Ref"
	headRecommendation = "Recommendation"
	headAction         = "Action"
	headOwner          = "Lead Owner (s)"
	headSchedule       = "Start date / Completion date"
	headUpdate         = "Update"
	headCompleted      = "Date completed"
	headStatus         = "Status"
)

// WriteStatement writes a position statement as the council's samples lay
// it out, so that Read reads it back: a sheet "Position Statement" with the
// title in row 1 and the header row Recommendation / Action / Lead Owner (s)
// / Start date / Completion date / Update / Date completed in row 2, one
// row per action, each recommendation in a cell merged down its actions
// (labelled "Recommendation One: …"), a phase in a row of its own. A Ref
// column comes first when the statement's refs were given in its sheet; a
// Status column and the actions' extra fields (Action.Extra, such as
// "Reason for change") follow when any action has them. Lead owners' roles
// go on a "Lead Owners" sheet. Text is never written as a formula. The
// sheets are not protected.
func WriteStatement(w io.Writer, s *plan.Statement, opt WriteOptions) error {
	f, err := newWorkbook()
	if err != nil {
		return err
	}
	defer f.Close()
	const sheet = "Position Statement"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}

	// Which columns.
	hasRef, hasStatus := false, false
	var extras []string
	seen := map[string]bool{}
	for i := range s.Actions {
		a := &s.Actions[i]
		hasRef = hasRef || a.RefGiven
		hasStatus = hasStatus || a.Status != ""
		for _, x := range a.Extra {
			if !seen[x.Name] {
				seen[x.Name] = true
				extras = append(extras, x.Name)
			}
		}
	}
	type column struct {
		head  string
		width float64
		value func(a *plan.Action) string
	}
	var cols []column
	if hasRef {
		cols = append(cols, column{headRef, 7, func(a *plan.Action) string { return a.Ref }})
	}
	recIdx := len(cols)
	cols = append(cols,
		column{headRecommendation, 28, nil},
		column{headAction, 45, func(a *plan.Action) string { return a.Text }},
		column{headOwner, 18, func(a *plan.Action) string { return a.Owner }},
		column{headSchedule, 24, func(a *plan.Action) string { return a.Schedule.Text }},
		column{headUpdate, 60, func(a *plan.Action) string { return a.Update }},
		column{headCompleted, 13, nil},
	)
	completedIdx := len(cols) - 1
	if hasStatus {
		cols = append(cols, column{headStatus, 12, func(a *plan.Action) string { return a.Status }})
	}
	for _, name := range extras {
		cols = append(cols, column{name, 30, func(a *plan.Action) string {
			for _, x := range a.Extra {
				if x.Name == name {
					return x.Value
				}
			}
			return ""
		}})
	}

	ss := &styleSet{f: f}
	var (
		sTitle = ss.plain(true, 12)
		sHead  = ss.add(true, retFontSize, "D9D9D9", "", true, "", "center")
		sCell  = ss.add(false, retFontSize, "", "", true, "", "top")
		sPhase = ss.add(true, retFontSize, "F2F2F2", "", true, "", "top")
		sDate  = ss.add(false, retFontSize, "", "", true, "dd/mm/yyyy", "top")
	)
	if ss.err != nil {
		return ss.err
	}
	sw := &sheetWriter{f: f, sheet: sheet}
	widths := make([]float64, len(cols))
	total := 0.0
	for i, c := range cols {
		widths[i] = c.width
		total += c.width
	}
	sw.widths(widths)
	sw.text(1, 1, s.Title, sTitle)
	sw.do(f.MergeCell(sheet, retCell(1, 1), retCell(len(cols), 1)))
	sw.do(f.SetRowHeight(sheet, 1, retRowHeight(wrappedLines(s.Title, total, 12, true), 12)))
	headLines := 1
	for i, c := range cols {
		sw.text(i+1, 2, c.head, sHead)
		headLines = max(headLines, wrappedLines(c.head, c.width, retFontSize, true))
	}
	sw.do(f.SetRowHeight(sheet, 2, retRowHeight(headLines, retFontSize)+4))

	recLabel := func(ref string) string {
		if r, ok := s.Recommendation(ref); ok {
			return r.Label()
		}
		return ref
	}
	row := 3
	phase := ""
	// A run of rows sharing a recommendation cell.
	type run struct {
		label      string
		start, end int
	}
	var runs []run
	heights := map[int]float64{}
	for i := range s.Actions {
		a := &s.Actions[i]
		if a.Phase != "" && a.Phase != phase {
			sw.text(recIdx+1, row, a.Phase, sPhase)
			for c := range cols {
				if c != recIdx {
					sw.text(c+1, row, "", sPhase)
				}
			}
			heights[row] = retRowHeight(wrappedLines(a.Phase, cols[recIdx].width, retFontSize, true), retFontSize)
			row++
		}
		phase = a.Phase
		label := recLabel(a.Recommendation)
		if n := len(runs); n > 0 && runs[n-1].label == label && runs[n-1].end == row-1 {
			runs[n-1].end = row
		} else {
			runs = append(runs, run{label, row, row})
		}
		lines := 1
		for c, col := range cols {
			switch c {
			case recIdx:
				continue // written with its run
			case completedIdx:
				if a.Completed.IsZero() {
					sw.text(c+1, row, a.Completed.Text, sCell)
				} else {
					sw.date(c+1, row, a.Completed.Date, sDate)
				}
				continue
			}
			v := col.value(a)
			sw.text(c+1, row, v, sCell)
			lines = max(lines, wrappedLines(v, col.width, retFontSize, false))
		}
		heights[row] = retRowHeight(lines, retFontSize)
		row++
	}
	for _, r := range runs {
		sw.text(recIdx+1, r.start, r.label, sCell)
		for j := r.start + 1; j <= r.end; j++ {
			sw.text(recIdx+1, j, "", sCell)
		}
		need := retRowHeight(wrappedLines(r.label, cols[recIdx].width, retFontSize, false), retFontSize)
		if r.end > r.start {
			sw.do(f.MergeCell(sheet, retCell(recIdx+1, r.start), retCell(recIdx+1, r.end)))
		}
		have := 0.0
		for j := r.start; j <= r.end; j++ {
			have += heights[j]
		}
		if need > have {
			extra := (need - have) / float64(r.end-r.start+1)
			for j := r.start; j <= r.end; j++ {
				heights[j] = min(heights[j]+extra, retMaxRowHeight)
			}
		}
	}
	for r := 3; r < row; r++ {
		sw.do(f.SetRowHeight(sheet, r, heights[r]))
	}
	sw.page(2)

	if len(s.Owners) > 0 {
		const owners = "Lead Owners"
		if _, err := f.NewSheet(owners); err != nil {
			return err
		}
		ow := &sheetWriter{f: f, sheet: owners}
		ow.widths([]float64{30, 60})
		ow.text(1, 1, "Lead owner", sHead)
		ow.text(2, 1, "Role", sHead)
		for i, o := range s.Owners {
			ow.text(1, i+2, o.Name, sCell)
			ow.text(2, i+2, o.Role, sCell)
		}
		if ow.err != nil {
			return ow.err
		}
	}
	if sw.err != nil {
		return sw.err
	}
	f.SetActiveSheet(0)
	created := opt.Created
	if created.IsZero() {
		created = defaultCreated
	}
	return finishWorkbook(f, w, &excelize.DocProperties{Title: s.Title}, created, "", "")
}
