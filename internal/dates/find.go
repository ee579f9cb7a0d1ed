package dates

import (
	"time"

	"papers/internal/plan"
)

// Mention is a date written in running text, as Find reads it.
type Mention struct {
	// Pos and End are the date's bytes in the text: the date alone, not
	// the words that introduce it ("on", "by", "Mid-").
	Pos, End int
	// First is the first day the date covers: the day itself, a month's
	// first day, 1 April of a financial year.
	First time.Time
	// Date is the date read as a target or a "Date completed" cell reads
	// it: the day, a month's last day, 31 March of a financial year's end;
	// with its precision, and the date as written as its Text.
	Date plan.TargetDate
}

// Find returns the dates written in text (an officer's update, say), in
// the order they come, each read as Parse reads a date: "8th October
// 2020", "12/11/2020", "October 2020", "Mid-October 2020" (October 2020),
// "2021/22". A date that cannot be read — an impossible one, one without
// its year ("wc 2nd November") — is left out: it is never guessed.
func Find(text string) []Mention {
	var tb [48]tok
	var fb [8]foundDate
	var n notes
	p := parser{s: text, toks: scan(text, tokBuf(text, tb[:0]))}
	found := p.read(fb[:0], &n)
	if len(found) == 0 {
		return nil
	}
	out := make([]Mention, 0, len(found))
	for i := range found {
		f := &found[i]
		pos := p.toks[f.a].pos
		out = append(out, Mention{
			Pos:   pos,
			End:   f.end,
			First: toTime(f.sp.lo),
			Date:  plan.TargetDate{Date: toTime(f.sp.hi), Precision: f.sp.prec, Text: text[pos:f.end]},
		})
	}
	return out
}
