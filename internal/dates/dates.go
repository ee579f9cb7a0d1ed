// Package dates reads the dates officers write in action plans: "By 31st Dec
// 20", "Start: Sept 20 Completed by: December 20", "Build into 21/22 business
// planning cycle", 31/12/2020. What it cannot read it keeps as text with a
// warning; it never guesses silently.
package dates

import "papers/internal/plan"

// Parse reads a start / completion date cell. STUB: replaced by the real parser.
func Parse(text string) plan.Schedule {
	return plan.Schedule{Text: text}
}

// ParseDate reads a cell meant to hold one date (e.g. "Date completed").
// STUB: replaced by the real parser.
func ParseDate(text string) (plan.TargetDate, error) {
	return plan.TargetDate{Text: text}, nil
}
