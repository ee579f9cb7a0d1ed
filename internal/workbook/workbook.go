// Package workbook reads an improvement action plan's workbook (.xlsx), as
// officers really keep it, into a plan.Statement. It is the only package
// that uses excelize.
//
// What it copes with:
//
//   - Several sheets: every visible sheet with a plan's header row is read
//     (a sheet named in Options.SheetNames first, and then only sheets with
//     its header row); each action keeps its sheet, and a ref given on two
//     sheets is qualified by the sheet's name. A hidden sheet is read only
//     when no visible one has a usable header row. A layout saved in
//     Options.Layouts wins over all of this (saved.go).
//   - Headings in many wordings (DefaultOptions), and, for the fields no
//     heading names, columns read by what they hold (infer.go).
//   - Rows that are headings, steps under an action, or a key and notes
//     below the plan are never actions (rows.go); completion from every
//     signal a plan uses (completion.go). ReadFileLayout returns what was
//     inferred, with its evidence, for papers check --explain (explain.go).
//   - Title rows above the header row (searched for in the first 30 rows);
//     the title is the first text above it, else the sheet's name.
//   - Header rows repeated further down (tables copied from Word repeat them
//     at page breaks) are skipped, and "2 continued" / "Recommendation 2
//     (continued)" markers continue recommendation 2.
//   - Merged cells: a recommendation cell merged down its actions applies to
//     all of them (any vertically merged cell fills down its first column).
//   - Renamed columns (Options.Columns), extra columns (kept in Action.Extra
//     and Statement.Columns), hidden helper columns (ignored unless their
//     header means a field).
//   - Recommendations in a column of their own, or as heading rows ("1.
//     Develop a vision…", "Recommendation 1: …", "R1 …", or a Ref column's
//     "1" above "1.1", "1.2") with phase rows ("WITHIN THREE MONTHS",
//     "Phase 2") between them.
//   - Dates as Excel dates, as numbers in a date column that are not
//     formatted as dates (read as serial numbers from 2000 to 2099, with a
//     warning), or as text read by package dates.
//   - RAG as a word (Red, Amber, Green, Blue, R, A, G, B) or only as a cell's
//     fill colour (Options.RAGColours, else the nearest of red, amber, green
//     and blue by hue). Conditional formatting is not evaluated: a colour
//     that only a rule gives is not seen.
//
// Nothing typed is dropped: text that cannot be understood is kept (as
// text, or in Action.Extra) and listed in Statement.Problems with its cell.
// A workbook that cannot be read at all gives an *Error.
//
// Decisions on the ambiguous cases:
//
//   - "Status" and "RAG status": a column headed RAG, RAG status or Status
//     (RAG) is the RAG column; one headed Status is the status. When there
//     is no RAG column, a Status cell holding only a RAG word (or only a
//     fill colour) gives the action's RAG as well; its text stays in
//     Action.Status.
//   - A RAG cell whose text is no RAG word keeps its text in Action.Extra
//     (with a warning unless its fill gives the RAG).
//   - When several columns mean one field, a visible column wins over a
//     hidden one, an exact header over a loose one ("Update (October)"),
//     then the leftmost; the others are kept in Action.Extra.
//   - Action.Extra holds only the extra cells that have text, in column
//     order; a column without a header but with text is "Column F".
//   - Lead owners are split by plan.SplitOwners: a job title stays whole,
//     and "and", "&", "," and an unspaced "/" separate owners only between
//     people, roles or initials.
//   - Roles: a "Lead Owners" block below the plan, then sheets named for
//     owners, officers or roles (two columns, name and role, under any
//     header row; or "Name: Role"), in order; Options.Roles adds the owners
//     they do not name (sorted by name). A name listed twice keeps its first
//     role; RoleFor's matching of names decides what "twice" is.
//   - A row with an owner, date or update but no action text is kept as an
//     action without text, with a warning; a row with none of them is a
//     heading or a step, never an action. A hidden row is read, with a
//     warning. An entirely empty row is skipped. A recommendation without
//     actions is kept.
//   - A number in a date column not formatted as a date is read as an Excel
//     serial date when it falls in 2000–2099 (a warning), else kept as text
//     (an error). The date parser's warnings, and single dates it cannot
//     read, are warnings. A cell showing a formula error (#REF!) is an
//     error.
//   - Problems are errors when something typed could not be read at all and
//     must be corrected; warnings otherwise.
package workbook

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"papers/internal/plan"
)

// Options says how to read a workbook. Zero fields take DefaultOptions'
// values.
type Options struct {
	// Columns maps a field to the header texts that mean it, matched
	// ignoring case, spacing, "(s)" and a trailing ':' or '.'. Fields:
	// "ref", "recommendation", "action", "owner", "schedule" (a combined
	// "Start date / Completion date" cell), "start", "target", "completed",
	// "update", "rag", "status". A field missing from the map keeps its
	// default synonyms; a field given an empty list matches no column.
	Columns map[string][]string
	// SheetNames are the plan's sheet names, tried first, in order.
	SheetNames []string
	// RAGColours maps a fill colour "RRGGBB" to the RAG it means, for RAG
	// given only as a cell's fill. Colours not listed are read by hue.
	RAGColours map[string]plan.RAG
	// Roles maps a lead owner's name to their role. A "Lead Owners" sheet
	// (or block below the plan) takes precedence: Roles adds the owners it
	// does not list.
	Roles map[string]string
	// MaxUnzipSize is the most a workbook may unpack to (default 256 MiB).
	MaxUnzipSize int64
	// MaxRows is the most rows the plan's sheet may have with text in them
	// (default 10,000). Rows below it that are only formatted do not count.
	// A plan at the limit is about 10,000 actions and a 1,700-page report,
	// which renders in well under 500 MB; a sheet with text further down is
	// refused as soon as the reader reaches it, so a 100,000-row sheet costs
	// a second, not a minute and gigabytes.
	MaxRows int
	// MaxRowsSetting names where the user sets MaxRows (a configuration
	// key), for the error that refuses a longer sheet; "" names none.
	MaxRowsSetting string
	// MaxText is the most characters of text a workbook's XML may hold in
	// all (default DefaultMaxText, in proportion for a MaxRows above its
	// default); no piece of it may be longer than MaxCellText. Both are
	// checked before the workbook is opened.
	MaxText int64

	// Layouts are layouts saved in config.yaml (papers check
	// --save-layout): a sheet whose header row has one's headings is read
	// as it says, whatever the reader would infer.
	Layouts []SavedLayout

	layout *Layout // filled in when set (ReadFileLayout)
}

// DefaultOptions returns the column synonyms councils use, the usual plan
// sheet names and the usual RAG fill colours. Each call returns new maps.
func DefaultOptions() Options {
	return Options{
		Columns: map[string][]string{
			fieldRef: {"Ref", "No.", "ID", "Reference", "Ref No", "Rec No", "Rec. No.", "Recommendation No",
				"Recommendation number", "Action No", "Action ref", "Number", "Item", "Para", "#"},
			fieldRecommendation: {"Recommendation", "Recommendations", "Area for improvement", "Areas for improvement",
				"Cause of concern", "Must do", "Should do", "Recommendation / AFI", "Key line of enquiry",
				"Improvement area", "Improvement priority", "Priority area",
				// Weaker: a plan may have these beside its recommendation.
				"Finding", "Findings", "Issue", "Issues", "Key issue", "Objective", "Objectives", "Requirement",
				"CQC requirement", "Theme"},
			fieldAction: {"Action", "Actions", "What?", "Milestone", "Milestones", "Agreed management action",
				"Management action", "Management response", "Agreed action", "Agreed actions", "Action to be taken",
				"Actions to be taken", "Action required", "Actions required", "Proposed action", "Planned action",
				"Planned actions", "Key action", "Key actions", "Action planned", "Improvement action",
				"Improvement actions", "Actions agreed", "Specific actions", "Task", "Tasks", "Activity",
				"Activities", "Deliverable", "Deliverables", "What we will do", "What will we do",
				"What we will do to improve"},
			fieldOwner: {"Lead Owner (s)", "Lead Owner(s)", "Lead Officer", "Lead person responsible", "Owner",
				"Lead", "Leads", "Who?", "By whom", "Responsible officer", "Responsible officers", "Responsible person",
				"Person responsible", "Officer responsible", "Responsible", "Responsibility", "Action lead",
				"Action owner", "Action by", "Actioned by", "Owners", "Who is responsible", "Responsible manager",
				"Lead responsible", "Accountable", "Accountable lead", "Lead directorate", "Lead service", "Lead manager", "Lead responsible officer",
				"Accountable officer", "Force lead", "Named lead", "Responsible lead", "Lead officer/EM",
				"Lead officer(s)", "Officer"},
			fieldOwner2: {"Executive lead", "Director", "Lead director", "Executive director", "Responsible director",
				"Strategic lead", "Sponsor", "Executive sponsor", "SRO", "Portfolio holder", "Cabinet member",
				"Lead member", "Lead councillor"},
			fieldSchedule: {"Start date / Completion date"},
			fieldStart:    {"Start date"},
			fieldTarget: {"Completion date", "Target date", "Deadline", "Due date", "Timescale", "Timescales",
				"Timeframe", "Time frame", "By when", "When?", "Due", "Due by", "Target", "Date due",
				"Implementation date", "Agreed implementation date", "Target completion date",
				"Target implementation date", "Expected completion date", "Planned completion date",
				"Delivery date", "Milestone date", "End date", "Date for completion", "Completion by",
				"Target date for completion", "Timeline", "Target completion", "Planned completion",
				"Expected completion", "Completion target", "Due for completion", "Date due for completion",
				// Weaker: the date first agreed, the target until revised.
				"Original implementation date", "Original date", "Original target date", "Original deadline",
				"Original completion date", "Original timescale", "Original due date"},
			fieldRevised: {"Revised implementation date", "Revised date", "Revised target date", "Revised deadline",
				"Revised timescale", "Revised completion date", "Revised due date", "New target date",
				"Revised target", "Amended target date"},
			fieldCompleted: {"Date completed", "Completed", "Completion", "Date closed", "Actual completion date",
				"Date implemented", "Date achieved", "Closed date", "Completed date", "Date of completion",
				"Complete?", "Completed?", "Complete? (Y/N)", "Completed? (Y/N)", "Complete (Y/N)", "Completed (Y/N)",
				"Closed?", "Closed? (Y/N)", "Implemented?", "Implemented? (Y/N)", "Done?", "Achieved?", "Action complete?"},
			fieldUpdate: {"Update", "Progress", "Progress update", "Position", "Commentary", "Progress commentary",
				"Progress to date", "Progress made", "Latest update", "Current position", "Status update",
				"Update on progress", "Action taken", "Actions taken", "Progress notes", "Narrative",
				"Officer update", "Management update", "Progress and evidence", "Progress / evidence",
				// Weaker: a plan may have these beside its update.
				"Comments", "Comment", "Evidence", "Evidence of completion", "Evidence of progress", "Notes"},
			fieldRAG: {"RAG", "RAG status", "Status (RAG)", "R/A/G", "BRAG", "B/R/A/G", "RAG rating",
				"Current RAG", "Overall RAG", "RAYG", "RAG status update"},
			fieldStatus: {"Status", "Current status", "Implementation status", "Action status", "Progress status",
				"Status of action", "Overall status"},
			fieldPercent: {"% complete", "% completed", "Percentage complete", "Percent complete", "% achieved",
				"% progress", "Progress (%)", "Completion %", "% done"},
		},
		SheetNames: []string{"Position Statement", "Action Plan"},
		RAGColours: map[string]plan.RAG{
			"FF0000": plan.RAGRed, "C00000": plan.RAGRed, "FFC7CE": plan.RAGRed,
			"FFC000": plan.RAGAmber, "FFBF00": plan.RAGAmber, "FFFF00": plan.RAGAmber, "FFEB9C": plan.RAGAmber,
			"00B050": plan.RAGGreen, "92D050": plan.RAGGreen, "00FF00": plan.RAGGreen, "C6EFCE": plan.RAGGreen,
			"0070C0": plan.RAGBlue, "00B0F0": plan.RAGBlue,
		},
		MaxUnzipSize: 256 << 20,
		MaxRows:      10000,
		MaxText:      DefaultMaxText,
	}
}

// prepare fills zero fields with the defaults and checks the rest.
func (o Options) prepare(file string) (Options, error) {
	d := DefaultOptions()
	cols := maps.Clone(d.Columns)
	for f, names := range o.Columns {
		if !slices.Contains(fields, f) {
			return o, &Error{File: file, Msg: "options name an unknown column field " + quote(f),
				Hint: "use one of " + strings.Join(fields, ", ")}
		}
		cols[f] = names
	}
	o.Columns = cols
	if o.SheetNames == nil {
		o.SheetNames = d.SheetNames
	}
	colours := map[string]plan.RAG{}
	if o.RAGColours == nil {
		o.RAGColours = d.RAGColours
	}
	for k, v := range o.RAGColours {
		colours[strings.ToUpper(strings.TrimPrefix(strings.TrimSpace(k), "#"))] = v
	}
	o.RAGColours = colours
	if o.MaxUnzipSize <= 0 {
		o.MaxUnzipSize = d.MaxUnzipSize
	}
	if o.MaxRows <= 0 {
		o.MaxRows = d.MaxRows
	}
	if o.MaxText <= 0 {
		// A longer plan may have more text.
		o.MaxText = d.MaxText / int64(d.MaxRows) * int64(max(o.MaxRows, d.MaxRows))
	}
	for i, l := range o.Layouts {
		if err := l.check(); err != nil {
			return o, &Error{File: file, Msg: fmt.Sprintf("the saved layout %d (ingest.layouts) cannot be used: %v", i+1, err),
				Hint: "correct it in config.yaml, or remove it and save the layout again with papers check --save-layout"}
		}
	}
	return o, nil
}

// ReadFile reads the workbook at path. Errors name the path as given; the
// statement's File is the file's base name.
func ReadFile(path string, opt Options) (*plan.Statement, error) {
	opt, err := opt.prepare(path)
	if err != nil {
		return nil, err
	}
	f, err := openFile(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	size := int64(0)
	if st, err := f.Stat(); err == nil {
		switch {
		case st.IsDir():
			return nil, &Error{File: path, Msg: "is a folder, not a workbook", Kind: ErrNotWorkbook}
		case st.Size() > opt.MaxUnzipSize:
			return nil, errTooLarge(path, opt.MaxUnzipSize)
		}
		size = st.Size()
	}
	return readWith(f, size, path, filepath.Base(path), opt)
}

// Read reads a workbook from r. name names it in errors and problems and
// becomes the statement's File.
func Read(r io.Reader, name string, opt Options) (*plan.Statement, error) {
	opt, err := opt.prepare(name)
	if err != nil {
		return nil, err
	}
	return readWith(r, 0, name, name, opt)
}

// readWith is Read and ReadFile's common path. size is the workbook's size
// when known, else 0. file names the workbook in errors, display in the
// statement.
func readWith(r io.Reader, size int64, file, display string, opt Options) (*plan.Statement, error) {
	b, err := readAll(io.LimitReader(r, opt.MaxUnzipSize+1), size)
	if err != nil {
		return nil, &Error{File: file, Msg: "cannot be read (" + err.Error() + ")", Err: err}
	}
	p, err := openPackage(b, file, opt)
	if err != nil {
		return nil, err
	}
	f, err := openExcelize(b, file, opt.MaxUnzipSize)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rd := &reader{f: f, pkg: p, opt: opt, file: file, m: newMatcher(opt.Columns)}
	s, err := rd.statement()
	if err != nil {
		return nil, err
	}
	s.File = display
	return s, nil
}

// readAll is io.ReadAll, making room for size bytes at once.
func readAll(r io.Reader, size int64) ([]byte, error) {
	b := make([]byte, 0, max(size+1, 512)) // +1: reading to the end needs room for one more
	for {
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err != nil {
			if err == io.EOF {
				err = nil
			}
			return b, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
	}
}

// reader reads one opened workbook.
type reader struct {
	f    *excelize.File
	pkg  *pkg
	opt  Options
	file string
	m    *matcher
}

// sheetInfo is what the first rows of a sheet say about it.
type sheetInfo struct {
	name   string
	hidden bool
	header *header
	top    [][]string // its first rows
}

// statement finds the plan's sheet and reads it.
func (rd *reader) statement() (*plan.Statement, error) {
	var sheets []*sheetInfo
	anyText := false
	var damaged error // a sheet that could not be read: reported only if no other is the plan
	for _, name := range rd.f.GetSheetList() {
		visible, _ := rd.f.GetSheetVisible(name)
		top, _, err := rd.rows(name, headerSearchRows, false)
		if err != nil {
			damaged = cmp.Or(damaged, err)
			continue
		}
		sheets = append(sheets, &sheetInfo{name: name, hidden: !visible, header: findHeader(rd.m, top), top: top})
		anyText = anyText || hasText(top)
	}
	// A layout the clerk saved wins; what the headings do not name, the
	// columns' content may.
	for _, si := range sheets {
		if h := savedHeader(rd.opt.Layouts, si.top); h != nil {
			si.header = h
		}
	}
	anyUsable := false
	for _, si := range sheets {
		if si.header.usable() && !si.header.saved {
			si.header.inferMissing(si.top[si.header.row:])
		}
		anyUsable = anyUsable || si.header.usable()
	}
	if !anyUsable {
		for _, si := range sheets {
			if !si.hidden && !isOwnersSheet(si.name) {
				if h := inferHeader(rd.m, si.top); h != nil {
					si.header = h
				}
			}
		}
	}
	plansheets := rd.choose(sheets)
	if len(plansheets) == 0 {
		if damaged != nil {
			return nil, damaged
		}
		if !anyText {
			return nil, &Error{File: rd.file, Msg: "has no data in any sheet", Hint: "check it is the right file and save it again", Kind: ErrEmpty}
		}
		var looked []string
		for _, si := range sheets {
			sl := rd.explainSkipped(si, false)
			if rd.opt.layout != nil {
				rd.opt.layout.Sheets = append(rd.opt.layout.Sheets, sl)
			}
			if best := closestHeader(rd.m, si.top); best != nil {
				looked = append(looked, fmt.Sprintf("sheet %q: %s", si.name, best.describe()))
			}
		}
		msg := "no header row found: expected columns such as Action, Lead Owner, Update in the first 30 rows of any sheet"
		if len(looked) > 0 {
			msg += " (" + strings.Join(looked, "; ") + ")"
		}
		return nil, &Error{File: rd.file, Msg: msg,
			Hint: "check this is the action plan (papers check --explain shows the rows looked at); if its headings are worded differently, add them to the column synonyms",
			Kind: ErrNoHeader}
	}
	// A key to the RAG colours may be on a sheet of its own.
	keys := legend{}
	for _, si := range sheets {
		if !slices.Contains(plansheets, si) {
			keys.merge(readLegend(si.top))
			if looksLikeKey(si) {
				keys.merge(rd.fillLegend(si.name, si.top, nil))
			}
		}
	}
	var (
		parts     []*plan.Statement
		owners    []plan.Owner
		explained = map[string]SheetLayout{}
	)
	for _, plansheet := range plansheets {
		rows, hiddenRows, err := rd.rows(plansheet.name, rd.opt.MaxRows, true)
		if err != nil {
			return nil, err
		}
		h := plansheet.header
		meta, err := rd.scan(plansheet.name, h)
		if err != nil {
			return nil, err
		}
		b := newBuilder(rd, plansheet.name, h, rows, hiddenRows, meta)
		b.legend.merge(rd.fillLegend(plansheet.name, keyRows(rows, h.row), b.inMerge))
		b.legend.merge(keys)
		parts = append(parts, b.build())
		owners = addOwners(owners, b.owners...)
		if rd.opt.layout != nil {
			why := "its header row names " + h.namesText()
			if h.saved {
				why = fmt.Sprintf("its header row %d has the headings of a layout saved in config.yaml", h.row)
			}
			if len(plansheets) > 1 {
				why += fmt.Sprintf("; one of the %d plan tabs", len(plansheets))
			}
			explained[plansheet.name] = b.explainSheet(why)
		}
	}
	if rd.opt.layout != nil {
		for _, si := range sheets {
			sl, ok := explained[si.name]
			if !ok {
				sl = rd.explainSkipped(si, true)
			}
			rd.opt.layout.Sheets = append(rd.opt.layout.Sheets, sl)
		}
	}
	if len(parts) > 1 {
		uniqueRefs(parts)
	} else {
		// One sheet: the statement's Sheet places every problem.
		for i := range parts[0].Problems {
			parts[0].Problems[i].Sheet = ""
		}
	}
	s := parts[0]
	for _, p := range parts[1:] {
		s.Columns = appendNew(s.Columns, p.Columns...)
		s.Recommendations = append(s.Recommendations, p.Recommendations...)
		s.Actions = append(s.Actions, p.Actions...)
		s.Problems = append(s.Problems, p.Problems...)
	}

	for _, si := range sheets {
		if !slices.Contains(plansheets, si) && isOwnersSheet(si.name) {
			rows, _, err := rd.rows(si.name, 10000, false)
			if err != nil {
				msg := err.Error()
				if e := (*Error)(nil); errors.As(err, &e) {
					msg = e.Msg
				}
				s.Problems = append(s.Problems, plan.Problem{Severity: plan.SeverityWarning,
					Message: fmt.Sprintf("the lead owners sheet %q %s", si.name, msg)})
				continue
			}
			owners = addOwners(owners, ownersFromRows(rows)...)
		}
	}
	extra := make([]plan.Owner, 0, len(rd.opt.Roles))
	for name, role := range rd.opt.Roles {
		extra = append(extra, plan.Owner{Name: clean(name), Role: clean(role)})
	}
	sort.Slice(extra, func(i, j int) bool { return extra[i].Name < extra[j].Name })
	s.Owners = addOwners(owners, extra...)
	return s, nil
}

// choose picks the plan's sheets. A workbook may keep its plan on several
// tabs (Must do and Should do; one per inspection pillar or review), so
// every visible sheet with a usable header row is read, in workbook order,
// a preferred name (Options.SheetNames) first. Only when no visible sheet
// has one is the best hidden sheet read.
func (rd *reader) choose(sheets []*sheetInfo) []*sheetInfo {
	var out []*sheetInfo
	for _, want := range rd.opt.SheetNames {
		for _, si := range sheets {
			if strings.EqualFold(strings.TrimSpace(si.name), strings.TrimSpace(want)) && si.header.usable() && !slices.Contains(out, si) {
				out = append(out, si)
			}
		}
	}
	if len(out) > 0 {
		// A preferred sheet names the plan: other tabs are read with it
		// only when their header row is the same.
		for _, si := range sheets {
			if !si.hidden && si.header.usable() && !slices.Contains(out, si) && sameHeader(si.header, out[0].header) {
				out = append(out, si)
			}
		}
		return out
	}
	for _, si := range sheets {
		if !si.hidden && si.header.usable() && !isOwnersSheet(si.name) {
			out = append(out, si)
		}
	}
	if len(out) > 0 {
		return out
	}
	var best *sheetInfo
	for _, si := range sheets {
		if si.hidden && si.header.usable() && (best == nil || si.header.score > best.header.score) {
			best = si
		}
	}
	if best != nil {
		out = append(out, best)
	}
	return out
}

// sameHeader reports whether two header rows read the same fields from the
// same columns.
func sameHeader(a, b *header) bool {
	if len(a.col) != len(b.col) {
		return false
	}
	for f, c := range a.col {
		if b.col[f] != c {
			return false
		}
	}
	return true
}

// appendNew appends the strings of more that list does not hold.
func appendNew(list []string, more ...string) []string {
	for _, m := range more {
		if !slices.Contains(list, m) {
			list = append(list, m)
		}
	}
	return list
}

// uniqueRefs makes the refs of a plan kept on several sheets unique: a
// ref (of an action or a recommendation) given on more than one sheet is
// qualified by its sheet's name ("Must do #1", "People AFI 2").
func uniqueRefs(parts []*plan.Statement) {
	actions, recs := map[string]int{}, map[string]int{}
	for _, p := range parts {
		seenA, seenR := map[string]bool{}, map[string]bool{}
		for _, a := range p.Actions {
			if !seenA[a.Ref] {
				seenA[a.Ref] = true
				actions[a.Ref]++
			}
		}
		for _, r := range p.Recommendations {
			if !seenR[r.Ref] {
				seenR[r.Ref] = true
				recs[r.Ref]++
			}
		}
	}
	for _, p := range parts {
		for i := range p.Actions {
			a := &p.Actions[i]
			if actions[a.Ref] > 1 {
				a.Ref = qualify(p.Sheet, a.Ref)
			}
			if a.Recommendation != "" && recs[a.Recommendation] > 1 {
				a.Recommendation = qualify(p.Sheet, a.Recommendation)
			}
		}
		for i := range p.Recommendations {
			if r := &p.Recommendations[i]; recs[r.Ref] > 1 {
				r.Ref = qualify(p.Sheet, r.Ref)
			}
		}
	}
}

// qualify makes a ref unique by the section or sheet it is in: "Payroll
// 2021/22 #2" for a bare number, "PEEL 2021/22 AFI 1" otherwise.
func qualify(section, ref string) string {
	if ref == "" {
		return section
	}
	if ref[0] >= '0' && ref[0] <= '9' {
		return section + " #" + ref
	}
	return section + " " + ref
}

// cellsPerRow bounds the cells kept from a sheet: MaxRows rows of this many
// cells on average.
const cellsPerRow = 20

// rows reads a sheet's rows with excelize's streaming reader, up to limit
// rows and limit×cellsPerRow cells. With all, text beyond either limit is an
// error (ErrTooLarge); without, what lies beyond is not read. It also
// returns which rows are hidden.
func (rd *reader) rows(sheet string, limit int, all bool) ([][]string, map[int]bool, error) {
	var out [][]string
	hidden := map[int]bool{}
	tooMany := false
	where := "" // the first cell with text beyond limit
	// A crafted sheet can make each tiny row wide (one cell in column XFD
	// is 16,384 cells): bound what is kept.
	count, maxCells := 0, max(limit, 1000)*cellsPerRow
	err := safely(func() error {
		rows, err := rd.f.Rows(sheet)
		if err != nil {
			return err
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			n++
			cells, err := rows.Columns()
			if err != nil {
				return err
			}
			if n > limit {
				if !all {
					break
				}
				if c := firstText(cells); c > 0 {
					tooMany = true
					where, _ = excelize.CoordinatesToCellName(c, n)
					break
				}
				continue
			}
			if rows.GetRowOpts().Hidden && len(cells) > 0 {
				hidden[n] = true
			}
			if count += len(cells); count > maxCells {
				tooMany = all
				break
			}
			out = append(out, cells)
		}
		return rows.Error()
	})
	switch {
	case tooMany && count > maxCells:
		return nil, nil, &Error{File: rd.file, Sheet: sheet, Msg: "has more than " + strconv.Itoa(maxCells) + " cells",
			Hint: "delete the rows and columns around the plan and save it again", Kind: ErrTooLarge}
	case tooMany:
		return nil, nil, &Error{File: rd.file, Sheet: sheet, Cell: where, Msg: "has more than " + strconv.Itoa(limit) + " rows, the most a plan may have",
			Hint: rd.tooManyRowsHint(), Kind: ErrTooLarge}
	case err != nil:
		return nil, nil, &Error{File: rd.file, Sheet: sheet, Msg: "cannot be read: the sheet is damaged (" + err.Error() + ")",
			Hint: resave, Kind: ErrNotWorkbook, Err: err}
	}
	for len(out) > 0 && !hasText(out[len(out)-1:]) {
		out = out[:len(out)-1]
	}
	return out, hidden, nil
}

// tooManyRowsHint is what to do about a sheet longer than MaxRows.
func (rd *reader) tooManyRowsHint() string {
	h := "delete the rows below the plan and save it again"
	if rd.opt.MaxRowsSetting != "" {
		h += " (a longer plan needs a higher " + rd.opt.MaxRowsSetting + ")"
	}
	return h
}

// scan reads the plan sheet's merged cells, hidden columns and the styles of
// its date and RAG cells, and settles which column holds each field (a
// visible one before a hidden one).
func (rd *reader) scan(sheet string, h *header) (*sheetMeta, error) {
	parts, err := rd.pkg.sheetParts()
	part, ok := parts[sheet]
	if err != nil || !ok {
		return nil, &Error{File: rd.file, Sheet: sheet, Msg: "cannot be read: the workbook's list of sheets is damaged",
			Hint: resave, Kind: ErrNotWorkbook, Err: err}
	}
	rc, err := rd.pkg.open(part)
	if err == nil {
		defer rc.Close()
		var m *sheetMeta
		if m, err = scanSheet(rc, rd.opt.MaxRows, wantedCells(h)); err == nil {
			h.choose(m.hiddenCols) // again, for a sheet without data
			return m, nil
		}
	}
	return nil, &Error{File: rd.file, Sheet: sheet, Msg: "cannot be read: the sheet is damaged (" + err.Error() + ")",
		Hint: resave, Kind: ErrNotWorkbook, Err: err}
}

// wantedCells is scanSheet's wanted for a plan with header h: it settles
// which column holds each field (a visible one before a hidden one) and
// accepts the columns of the fields whose cells' formatting matters.
func wantedCells(h *header) func(hidden map[int]bool) func(int) bool {
	return func(hidden map[int]bool) func(int) bool {
		h.choose(hidden)
		var want []bool // by column
		for _, f := range []string{fieldSchedule, fieldStart, fieldTarget, fieldRevised, fieldCompleted, fieldRAG, fieldStatus, fieldPercent} {
			if c := h.col[f]; c > 0 {
				if c >= len(want) {
					want = append(want, make([]bool, c+1-len(want))...)
				}
				want[c] = true
			}
		}
		return func(c int) bool { return c >= 0 && c < len(want) && want[c] }
	}
}

// firstText is the column (from 1) of the first cell of row with text, or 0.
func firstText(row []string) int {
	for i, c := range row {
		if !isBlank(c) {
			return i + 1
		}
	}
	return 0
}

func hasText(rows [][]string) bool {
	for _, r := range rows {
		for _, c := range r {
			if !isBlank(c) {
				return true
			}
		}
	}
	return false
}

func quote(s string) string { return `"` + s + `"` }

// isOwnersSheet reports whether a sheet's name says it lists lead owners
// ("Lead Owners", "Owners", "Lead Officers", "Roles").
func isOwnersSheet(name string) bool {
	n := strings.ToLower(name)
	return strings.Contains(n, "owner") || strings.Contains(n, "officer") || strings.Contains(n, "role")
}

// ownersFromRows reads a lead owners list: two columns, name and role, under
// any header row; or one column of "Name: Role".
func ownersFromRows(rows [][]string) []plan.Owner {
	var out []plan.Owner
	first := true
	for _, row := range rows {
		var cells []string
		for _, c := range row {
			if c = clean(c); c != "" {
				cells = append(cells, c)
			}
		}
		if len(cells) == 0 {
			continue
		}
		if first {
			first = false
			if isOwnersHeader(cells) {
				continue
			}
		}
		if o, ok := ownerFromCells(cells); ok {
			out = append(out, o)
		}
	}
	return out
}

// isOwnersHeader reports whether a lead owners list's first row is headings.
func isOwnersHeader(cells []string) bool {
	for _, c := range cells[:min(2, len(cells))] {
		switch normHeader(c) {
		case "lead owner", "lead owners", "name", "owner", "lead officer", "officer", "person", "role", "job title",
			"title", "position", "post", "designation", "lead owner role":
			return true
		}
	}
	return false
}

// ownerFromCells reads one lead owner from a row's non-empty cells.
func ownerFromCells(cells []string) (plan.Owner, bool) {
	var name, role string
	switch {
	case len(cells) >= 2:
		name, role = cells[0], strings.Join(cells[1:], " ")
	case strings.Contains(cells[0], ":"):
		name, role, _ = strings.Cut(cells[0], ":")
	default:
		name = cells[0]
	}
	name = strings.TrimSpace(strings.TrimRight(name, ": "))
	role = strings.TrimSpace(role)
	return plan.Owner{Name: name, Role: role}, name != ""
}

// addOwners appends the owners not already listed (by RoleFor's matching of
// names).
func addOwners(list []plan.Owner, more ...plan.Owner) []plan.Owner {
	for _, o := range more {
		if _, dup := RoleFor(list, o.Name); !dup && o.Name != "" {
			list = append(list, o)
		}
	}
	return list
}

// openFile opens a workbook file, saying in plain words why it cannot be.
func openFile(path string) (*os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		msg := "cannot be opened"
		var pe *fs.PathError
		switch {
		case errors.Is(err, fs.ErrNotExist):
			msg = "no such file"
		case errors.As(err, &pe):
			msg += " (" + pe.Err.Error() + ")"
		}
		return nil, &Error{File: path, Msg: msg, Err: err}
	}
	return f, nil
}
