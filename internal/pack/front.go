package pack

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"papers/internal/document"
	"papers/internal/meeting"
)

// Audience is whom a pack is for.
type Audience int

// Audiences.
const (
	// Public is the agenda pack anyone may read: exempt items are replaced
	// by a notice.
	Public Audience = iota
	// Members is the members' pack: everything, exempt items included.
	Members
)

func (a Audience) String() string {
	if a == Members {
		return "members' pack"
	}
	return "agenda pack"
}

// Timing is where a pack stands on the statutory clock.
type Timing struct {
	Published time.Time // the day the packs are published
	PublishBy time.Time // the last working day that leaves five clear working days
	Clear     int       // clear working days between Published and the meeting
	Late      bool      // Clear < meeting.ClearDays
}

// LateWarning is printed on a late pack's front sheet, and by the CLI.
const LateWarning = "PUBLISHED LATE: fewer than five clear working days before the meeting"

// entry is one agenda line.
type entry struct {
	item  meeting.Item
	title string // as this audience sees it
	page  int    // first page in the pack, 0 for an item without papers
}

// frontDoc is the pack's first pages: the front sheet, then the agenda
// listing each item with the page it starts on.
func frontDoc(m *meeting.Meeting, a Audience, t Timing, entries []entry) *document.Doc {
	d := &document.Doc{
		Title:    fmt.Sprintf("%s, %s: %s", m.Committee, meeting.LongDate(m.Date), a),
		Author:   m.Council,
		Subject:  fmt.Sprintf("Agenda and reports for the meeting of %s on %s", m.Committee, meeting.LongDate(m.Date)),
		Keywords: m.Committee + ", agenda",
		Language: "en-GB",
		Date:     t.Published,
		Footer:   fmt.Sprintf("%s – %s – %s", m.Committee, m.Date.Format("2 January 2006"), a),
	}
	d.Sections = []document.Section{
		{Blocks: frontSheet(m, a, t, entries)},
		{Blocks: agenda(m, a, entries)},
	}
	return d
}

func frontSheet(m *meeting.Meeting, a Audience, t Timing, entries []entry) []document.Block {
	var b []document.Block
	if t.Late {
		// First on the page, in the largest type the writer has.
		b = append(b, document.Heading{Level: 1, Text: LateWarning}, lateBanner(m, t))
	}
	b = append(b,
		document.Heading{Level: 1, Text: m.Committee},
		document.KeyValue{Pairs: []document.Pair{
			{Key: "Council", Value: m.Council},
			{Key: "Date", Value: meeting.LongDate(m.Date)},
			{Key: "Time", Value: m.TimeText()},
			{Key: "Venue", Value: m.Venue},
			{Key: "Date of publication", Value: meeting.LongDate(t.Published)},
		}},
	)
	if a == Members {
		if ex := exemptNumbers(entries); ex != "" {
			b = append(b, document.Table{
				Columns: []document.Column{{Width: 1}},
				Rows: []document.Row{{Cells: []document.Cell{{
					Text: fmt.Sprintf("NOT FOR PUBLICATION: this members' pack includes exempt information (%s). "+
						"Do not share it or leave it where others can read it. The public agenda pack omits it.", ex),
					Bold: true, Fill: "FDE9E7",
				}}}},
			})
		}
	}

	rows := make([]document.Row, 0, len(m.Members))
	for _, mem := range m.Members {
		rows = append(rows, document.Row{Cells: []document.Cell{{Text: mem.Name}, {Text: mem.Role}}})
	}
	b = append(b,
		document.Heading{Level: 2, Text: "Members"},
		document.Table{
			Columns: []document.Column{{Title: "Name", Width: 3}, {Title: "Role", Width: 2}},
			Rows:    rows,
		},
	)

	contact := []document.Pair{{Key: "Name", Value: m.Clerk.Name}}
	if m.Clerk.Tel != "" {
		contact = append(contact, document.Pair{Key: "Tel", Value: m.Clerk.Tel})
	}
	if m.Clerk.Email != "" {
		contact = append(contact, document.Pair{Key: "Email", Value: m.Clerk.Email})
	}
	b = append(b,
		document.Heading{Level: 2, Text: "Contact"},
		document.Text("For information about this meeting, or for these papers in another format, contact:"),
		document.KeyValue{Pairs: contact},
	)

	if ex := exemptNumbers(entries); a == Public && ex != "" {
		b = append(b,
			document.Heading{Level: 2, Text: "Items not for publication"},
			document.Text("The agenda includes exempt information ("+ex+"). Its reports are not published, and "+
				"the press and public are likely to be excluded from the meeting while it is considered "+
				"(Local Government Act 1972, section 100A(4))."),
		)
	}
	return b
}

// lateBanner explains the warning on a late pack's front sheet.
func lateBanner(m *meeting.Meeting, t Timing) document.Block {
	when := plural(t.Clear, "clear working day") + " before the meeting"
	switch p := meeting.Day(t.Published); {
	case p.After(meeting.Day(m.Date)):
		when = "after the meeting"
	case p.Equal(meeting.Day(m.Date)):
		when = "on the day of the meeting"
	}
	why := fmt.Sprintf("Published %s, %s; the last day to publish with five was %s. "+
		"An item not available five clear days before the meeting may be considered only if the chair, "+
		"for reasons recorded in the minutes, agrees that it is urgent (Local Government Act 1972, section 100B(4)(b)).",
		meeting.LongDate(t.Published), when, meeting.LongDate(t.PublishBy))
	return document.Table{
		Columns: []document.Column{{Width: 1}},
		Rows: []document.Row{
			{Cells: []document.Cell{{Text: why, Bold: true, Fill: "F4B6B0"}}},
		},
	}
}

func agenda(m *meeting.Meeting, a Audience, entries []entry) []document.Block {
	rows := make([]document.Row, 0, len(entries))
	for _, e := range entries {
		text := e.title
		it := e.item
		switch {
		case it.IsExempt() && a == Public:
			text += "\n" + meeting.ExemptNotice(it.Exempt)
		case it.IsExempt():
			text += "\nNot for publication: " + meeting.Paragraphs(it.Exempt) + " of Part 1 of Schedule 12A"
			if it.ReportOf != "" {
				text += "\nReport of: " + it.ReportOf
			}
			if it.Description != "" {
				text += "\n" + it.Description
			}
		default:
			if it.ReportOf != "" {
				text += "\nReport of: " + it.ReportOf
			}
			if it.Description != "" {
				text += "\n" + it.Description
			}
		}
		page := "–"
		if e.page > 0 {
			page = strconv.Itoa(e.page)
		}
		rows = append(rows, document.Row{Cells: []document.Cell{
			{Text: strconv.Itoa(it.Number), Bold: true},
			{Text: text},
			{Text: page},
		}})
	}
	return []document.Block{
		document.Heading{Level: 1, Text: "Agenda"},
		document.Table{
			Columns: []document.Column{
				{Title: "Item", Width: 1, Align: document.Center},
				{Title: "Subject", Width: 9},
				{Title: "Page", Width: 1.2, Align: document.Right},
			},
			Rows: rows,
		},
	}
}

// noticeDoc is the page that stands for an exempt item: in the public
// pack instead of it, in the members' pack before it.
func noticeDoc(m *meeting.Meeting, a Audience, t Timing, it meeting.Item) *document.Doc {
	d := &document.Doc{
		Title:    fmt.Sprintf("Item %d: not for publication", it.Number),
		Author:   m.Council,
		Language: "en-GB",
		Date:     t.Published,
		Footer:   fmt.Sprintf("%s – %s – item %d", m.Committee, m.Date.Format("2 January 2006"), it.Number),
	}
	title := it.PublicHeading()
	if a == Members {
		title = it.Title
	}
	var b []document.Block
	b = append(b,
		document.Heading{Level: 1, Text: fmt.Sprintf("Item %d: %s", it.Number, title)},
		document.Table{
			Columns: []document.Column{{Width: 1}},
			Rows: []document.Row{{Cells: []document.Cell{{
				Text: meeting.ExemptNotice(it.Exempt), Bold: true, Fill: "FDE9E7",
			}}}},
		},
	)
	for _, p := range it.Exempt {
		b = append(b, document.Paragraph{Runs: []document.Run{
			{Text: fmt.Sprintf("Paragraph %d: ", p), Bold: true},
			{Text: meeting.Schedule12A[p]},
		}})
	}
	if a == Members {
		if it.ReportOf != "" {
			b = append(b, document.Text("Report of: "+it.ReportOf))
		}
		b = append(b, document.Paragraph{Runs: []document.Run{{
			Text: "The report that follows contains exempt information. It is for members and officers of the committee only: do not share it or leave it where others can read it.",
			Bold: true,
		}}})
	} else {
		b = append(b, document.Text("The report for this item is not published. The press and public are likely to be "+
			"excluded from the meeting while it is considered (Local Government Act 1972, section 100A(4))."))
	}
	d.Sections = []document.Section{{Blocks: b}}
	return d
}

// exemptNumbers lists the exempt items: "items 7 and 8".
func exemptNumbers(entries []entry) string {
	var ns []string
	for _, e := range entries {
		if e.item.IsExempt() {
			ns = append(ns, strconv.Itoa(e.item.Number))
		}
	}
	switch len(ns) {
	case 0:
		return ""
	case 1:
		return "item " + ns[0]
	}
	return "items " + strings.Join(ns[:len(ns)-1], ", ") + " and " + ns[len(ns)-1]
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
