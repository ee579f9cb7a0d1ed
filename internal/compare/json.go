package compare

import (
	"cmp"
	"encoding/json"
	"errors"
	"io"
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"papers/internal/plan"
)

// WriteJSON writes the comparison as JSON: {as_of, previous, current,
// baseline, summary, actions}, indented two spaces, dates as YYYY-MM-DD or
// null, scores to three decimals.
//
// The JSON is an interface other programs read: its field names, their
// order, the indentation and the escaping are fixed (change them only
// additively). They are those of encoding/json's Encoder with two-space
// indentation and HTML escaping off, which wrote it before; the tests hold
// this writer to it. The document is written directly, a few actions at a
// time, rather than marshalled whole and then indented: a 20,000-action
// comparison is 21 MB of JSON, and the two copies cost more than the
// writing.
func WriteJSON(w io.Writer, c *plan.Comparison) error {
	if c == nil || c.Previous == nil || c.Current == nil {
		return errors.New("compare: no comparison to write")
	}
	// A score JSON cannot hold fails the whole document before any of it
	// is written, as it did with encoding/json, and with its error.
	for i := range c.Actions {
		if s, ok := unwritableScore(&c.Actions[i]); ok {
			_, err := json.Marshal(s)
			return err
		}
	}
	if g, ok := w.(interface{ Grow(int) }); ok {
		// A bytes.Buffer (the pipeline's) is sized once rather than
		// doubling, and copying, as the document grows.
		g.Grow(jsonSize(c))
	}
	j := &jsonWriter{w: w, b: make([]byte, 0, jsonChunk+jsonChunk/4)}
	j.open('{')
	j.key("as_of")
	j.time(c.AsOf)
	j.key("previous")
	j.statement(c.Previous)
	j.key("current")
	j.statement(c.Current)
	j.key("baseline")
	if c.Baseline != nil {
		j.statement(c.Baseline)
	} else {
		j.null()
	}
	j.key("summary")
	j.summary(&c.Summary)
	j.key("actions")
	j.open('[')
	for i := range c.Actions {
		j.next()
		j.action(&c.Actions[i])
		if len(j.b) >= jsonChunk {
			if err := j.flush(); err != nil {
				return err
			}
		}
	}
	j.close(']')
	j.close('}')
	j.b = append(j.b, '\n')
	return j.flush()
}

// jsonChunk is how much JSON is gathered before it is written.
const jsonChunk = 64 << 10

// jsonWriter writes indented JSON as encoding/json's Encoder.SetIndent("",
// "  ") lays it out: each member and element on a line of its own, an empty
// object or array as {} or [].
type jsonWriter struct {
	w     io.Writer
	b     []byte // written at the next flush
	err   error  // the first write error; nothing is written after it
	depth int
	empty bool // the object or array last opened has no member yet
}

func (j *jsonWriter) flush() error {
	if j.err == nil && len(j.b) > 0 {
		_, j.err = j.w.Write(j.b)
	}
	j.b = j.b[:0]
	return j.err
}

// indent is a new line and the most indentation the document needs.
const indent = "\n                "

func (j *jsonWriter) newline() {
	j.b = append(j.b, indent[:1+2*j.depth]...)
}

func (j *jsonWriter) open(c byte) {
	j.b = append(j.b, c)
	j.depth++
	j.empty = true
}

func (j *jsonWriter) close(c byte) {
	j.depth--
	if !j.empty {
		j.newline()
	}
	j.b = append(j.b, c)
	j.empty = false
}

// next starts a member or an element.
func (j *jsonWriter) next() {
	if !j.empty {
		j.b = append(j.b, ',')
	}
	j.empty = false
	j.newline()
}

// key starts a member. Names are the fixed ones below: none needs escaping.
func (j *jsonWriter) key(name string) {
	j.next()
	j.b = append(j.b, '"')
	j.b = append(j.b, name...)
	j.b = append(j.b, `": `...)
}

func (j *jsonWriter) null() { j.b = append(j.b, "null"...) }

func (j *jsonWriter) int(n int) { j.b = strconv.AppendInt(j.b, int64(n), 10) }

func (j *jsonWriter) bool(v bool) { j.b = strconv.AppendBool(j.b, v) }

func (j *jsonWriter) str(s string) { j.b = appendJSONString(j.b, s) }

func (j *jsonWriter) intOrNull(p *int) {
	if p == nil {
		j.null()
		return
	}
	j.int(*p)
}

// time writes a day as "YYYY-MM-DD".
func (j *jsonWriter) time(t time.Time) {
	j.b = append(j.b, '"')
	j.b = t.AppendFormat(j.b, "2006-01-02")
	j.b = append(j.b, '"')
}

// date writes a date as "YYYY-MM-DD", or null when there is none.
func (j *jsonWriter) date(d plan.TargetDate) {
	if d.IsZero() {
		j.null()
		return
	}
	j.time(d.Date)
}

// score writes a score to three decimals as encoding/json writes a
// float64: the shortest decimal that reads back as the same number, with
// an exponent only below 1e-6 or from 1e21. WriteJSON has refused NaN and
// infinities.
func (j *jsonWriter) score(x float64) {
	f := round3(x)
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	j.b = strconv.AppendFloat(j.b, f, format, -1, 64)
	if format == 'e' {
		// e-09 is written e-9.
		n := len(j.b)
		if n >= 4 && j.b[n-4] == 'e' && j.b[n-3] == '-' && j.b[n-2] == '0' {
			j.b[n-2] = j.b[n-1]
			j.b = j.b[:n-1]
		}
	}
}

func (j *jsonWriter) statement(s *plan.Statement) {
	j.open('{')
	j.key("file")
	j.str(s.File)
	j.key("title")
	j.str(s.Title)
	j.close('}')
}

func (j *jsonWriter) summary(s *plan.Summary) {
	j.open('{')
	j.key("total")
	j.int(s.Total)
	// Every status and change, in a fixed order, whether counted or not.
	j.key("by_status")
	j.open('{')
	for _, st := range plan.Statuses {
		j.key(string(st))
		j.int(s.ByStatus[st])
	}
	j.close('}')
	j.key("by_change")
	j.open('{')
	for _, ch := range changes {
		j.key(string(ch))
		j.int(s.ByChange[ch])
	}
	j.close('}')
	j.key("completed_this_period")
	j.int(s.CompletedThisPeriod)
	j.key("slipped")
	j.int(s.Slipped)
	j.key("update_copied")
	j.int(s.UpdateCopied)
	j.key("owner_changed")
	j.int(s.OwnerChanged)
	j.key("possible_matches")
	j.int(s.PossibleMatches)
	j.close('}')
}

func (j *jsonWriter) action(ch *plan.ActionChange) {
	a := &ch.Action
	j.open('{')
	j.key("ref")
	j.str(a.Ref)
	j.key("recommendation")
	j.str(a.Recommendation)
	j.key("action")
	j.str(a.Text)
	j.key("owner")
	j.str(a.Owner)
	j.key("owners") // [] when there are none, never null
	j.open('[')
	for _, o := range a.Owners {
		j.next()
		j.str(o)
	}
	j.close(']')
	j.key("target")
	j.date(a.Target())
	j.key("target_text")
	j.str(a.Schedule.Text)
	j.key("previous_target")
	if ch.Previous != nil {
		j.date(ch.Previous.Target())
	} else {
		j.null()
	}
	j.key("baseline_target")
	if ch.Baseline != nil {
		j.date(ch.Baseline.Target())
	} else {
		j.null()
	}
	j.key("slip_days")
	j.intOrNull(ch.SlipDays)
	j.key("baseline_slip_days")
	j.intOrNull(ch.BaselineSlipDays)
	j.key("times_moved")
	j.int(ch.TimesMoved)
	j.key("status")
	j.str(string(ch.Status))
	j.key("overdue_days")
	j.int(ch.OverdueDays)
	j.key("completed")
	j.date(a.Completed)
	j.key("completed_late_days")
	j.int(ch.CompletedLateDays)
	j.key("change")
	j.str(string(ch.Change))
	j.key("completed_this_period")
	j.bool(ch.CompletedThisPeriod)
	j.key("update_changed")
	j.bool(ch.UpdateChanged)
	j.key("update_copied")
	j.bool(ch.UpdateCopied)
	j.key("owner_changed")
	j.bool(ch.OwnerChanged)
	j.key("rag")
	j.str(string(ch.RAG))
	j.key("reported_rag")
	j.str(string(ch.ReportedRAG))
	j.key("update")
	j.str(a.Update)
	j.key("update_says")
	j.updateSays(&ch.UpdateSays)
	j.key("match")
	if m := ch.Match; m != nil {
		j.open('{')
		j.key("previous_ref")
		j.str(m.PreviousRef)
		j.key("score")
		j.score(m.Score)
		j.key("reason")
		j.str(m.Reason)
		j.close('}')
	} else {
		j.null()
	}
	j.key("possible_match")
	if p := ch.PossibleMatch; p != nil {
		j.open('{')
		j.key("previous_ref")
		j.str(p.PreviousRef)
		j.key("current_ref")
		j.str(p.CurrentRef)
		j.key("score")
		j.score(p.Score)
		j.close('}')
	} else {
		j.null()
	}
	j.close('}')
}

// updateSays writes what the update reports: {state, date, quote}; a
// reading never made (a comparison built by hand) is written as none.
func (j *jsonWriter) updateSays(u *plan.UpdateSays) {
	j.open('{')
	j.key("state")
	j.str(string(cmp.Or(u.State, plan.UpdateNone)))
	j.key("date")
	j.date(u.Date)
	j.key("quote")
	j.str(u.Quote)
	j.close('}')
}

// appendJSONString appends s as a JSON string the way encoding/json does
// with HTML escaping off: ", \ and control characters escaped (\n, \r, \t,
// \b, \f by name, the rest as \u00XX), U+2028 and U+2029 as \u2028 and
// \u2029, and each byte of invalid UTF-8 as \ufffd.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// jsonSize estimates the length of the comparison's JSON, a little over
// rather than under: an action's names, indentation and values besides its
// texts take about 800 bytes, a match or possible match about 80 or 100
// more, and texts rarely need escaping.
func jsonSize(c *plan.Comparison) int {
	n := 1024 + len(c.Previous.File) + len(c.Previous.Title) + len(c.Current.File) + len(c.Current.Title)
	for i := range c.Actions {
		ch := &c.Actions[i]
		a := &ch.Action
		n += 800 + len(a.Ref) + len(a.Recommendation) + len(a.Text) + len(a.Owner) + len(a.Schedule.Text) + len(a.Update) +
			len(ch.UpdateSays.Quote)
		for _, o := range a.Owners {
			n += len(o) + 12
		}
		if m := ch.Match; m != nil {
			n += 80 + len(m.PreviousRef) + len(m.Reason)
		}
		if p := ch.PossibleMatch; p != nil {
			n += 100 + len(p.PreviousRef) + len(p.CurrentRef)
		}
	}
	return n + n/32
}

// unwritableScore returns an action's score that is NaN or infinite once
// rounded, if it has one.
func unwritableScore(ch *plan.ActionChange) (float64, bool) {
	bad := func(s float64) bool { return math.IsNaN(s) || math.IsInf(s, 0) }
	if m := ch.Match; m != nil && bad(round3(m.Score)) {
		return round3(m.Score), true
	}
	if p := ch.PossibleMatch; p != nil && bad(round3(p.Score)) {
		return round3(p.Score), true
	}
	return 0, false
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }
