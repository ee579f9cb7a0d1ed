// Package meeting describes a committee meeting — its council, date, venue,
// members, clerk and the agenda items in order — as read from a meeting
// file (YAML under data/meetings/), and keeps the statutory clock: the
// latest date its papers can be published with five clear working days
// before it.
package meeting

import (
	"fmt"
	"strings"
	"time"
)

// Meeting is one meeting of a committee, as its agenda pack shows it.
type Meeting struct {
	// Source is the meeting file it was read from ("" when built in code).
	Source    string
	Council   string
	Committee string
	Date      time.Time // the day, at midnight UTC
	DateLine  int       // the line of date in the meeting file; 0 when built in code
	Time      string    // as written in the file, e.g. "17:30"
	Venue     string
	Members   []Member
	Clerk     Contact
	Items     []Item
}

// Member is a member of the committee.
type Member struct {
	Name string
	Role string // "Chair", "Vice-Chair", or ""
}

// Contact is the clerk the public and members ask about the meeting.
type Contact struct {
	Name  string
	Tel   string
	Email string
}

// Item is one agenda item. An item has papers when it names a report this
// program generates (Report) or an existing PDF or word-processor file
// (File); an item without papers (apologies, declarations of interest) is
// listed on the agenda only.
type Item struct {
	Number      int // 1, 2, … in agenda order
	Title       string
	ReportOf    string // "Director of Children's Services"
	Description string // a line under the title on the agenda, optional
	Report      string // the name of a generated report, or ""
	File        string // the path of an existing file (resolved), or ""
	// Exempt lists the paragraphs of Part 1 of Schedule 12A to the Local
	// Government Act 1972 under which the item is not for publication;
	// empty for a public item.
	Exempt []int
	// PublicTitle is how the public agenda describes an exempt item;
	// "" gives "Exempt report".
	PublicTitle string
	// Line is where the item's file (or report) is named in the meeting
	// file, or the item's first line without either; 0 when built in code.
	Line int
}

// HasPapers reports whether the item has pages in the pack.
func (it Item) HasPapers() bool { return it.Report != "" || it.File != "" }

// IsExempt reports whether the item is not for publication.
func (it Item) IsExempt() bool { return len(it.Exempt) > 0 }

// PublicHeading is the item as the public agenda shows it: its title, or
// for an exempt item only what the notice allows, e.g. "Exempt report
// (paragraph 3)".
func (it Item) PublicHeading() string {
	if !it.IsExempt() {
		return it.Title
	}
	t := strings.TrimSpace(it.PublicTitle)
	if t == "" {
		t = "Exempt report"
	}
	return t + " (" + Paragraphs(it.Exempt) + ")"
}

// MembersHeading is the item as the members' agenda shows it: the real
// title, marked "(exempt: paragraph 3)" when not for publication.
func (it Item) MembersHeading() string {
	if !it.IsExempt() {
		return it.Title
	}
	return it.Title + " (exempt: " + Paragraphs(it.Exempt) + ")"
}

// LongDate writes a day as council papers do: "Thursday 26 November 2020".
func LongDate(t time.Time) string { return t.Format("Monday 2 January 2006") }

// TimeText is the meeting's time as papers write it, "5.30 pm", or the
// file's text when it cannot be read as a time.
func (m *Meeting) TimeText() string {
	t, ok := parseClockTime(m.Time)
	if !ok {
		return m.Time
	}
	h, min := t/60, t%60
	ampm := "am"
	if h >= 12 {
		ampm = "pm"
	}
	if h > 12 {
		h -= 12
	}
	if h == 0 {
		h = 12
	}
	if min == 0 {
		return fmt.Sprintf("%d %s", h, ampm)
	}
	return fmt.Sprintf("%d.%02d %s", h, min, ampm)
}

// parseClockTime reads "17:30", "17.30", "5.30pm", "5:30 pm", "5pm" as
// minutes after midnight.
func parseClockTime(s string) (int, bool) {
	s = strings.ToLower(strings.Join(strings.Fields(s), ""))
	pm, am := strings.HasSuffix(s, "pm"), strings.HasSuffix(s, "am")
	if pm || am {
		s = s[:len(s)-2]
	}
	h, m := 0, 0
	var hs, ms string
	if i := strings.IndexAny(s, ":."); i >= 0 {
		hs, ms = s[:i], s[i+1:]
		if len(ms) != 2 {
			return 0, false
		}
	} else {
		if !pm && !am {
			return 0, false
		}
		hs = s
	}
	if !digits(hs) || len(hs) > 2 || (ms != "" && !digits(ms)) {
		return 0, false
	}
	fmt.Sscan(hs, &h)
	if ms != "" {
		fmt.Sscan(ms, &m)
	}
	if m > 59 {
		return 0, false
	}
	switch {
	case pm || am:
		if h < 1 || h > 12 {
			return 0, false
		}
		if h == 12 {
			h = 0
		}
		if pm {
			h += 12
		}
	case h > 23:
		return 0, false
	}
	return h*60 + m, true
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
