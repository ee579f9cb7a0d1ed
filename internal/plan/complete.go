package plan

import (
	"strings"
	"unicode"
)

// completeWords are the status words that say an action is done with: it
// needs no more work and is never overdue.
var completeWords = setOf("complete", "completed", "closed", "implemented", "done", "achieved",
	"superseded", "withdrawn", "delivered", "finished")

// SaysComplete reports whether a status as an officer wrote it says the
// action is complete: its first word is Complete, Completed, Closed,
// Implemented, Done, Achieved, Superseded, Withdrawn, Delivered or
// Finished ("Implemented", "Complete - evidence held", "CLOSED."). "Not
// complete", "Partially implemented" and "Completion due in March" do not.
func SaysComplete(status string) bool {
	first := strings.FieldsFunc(strings.ToLower(status), func(r rune) bool {
		return !unicode.IsLetter(r) && r != '\''
	})
	return len(first) > 0 && completeWords[first[0]]
}
