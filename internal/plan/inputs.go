package plan

// Inputs are the statements a quarter's report is made from, by role, so
// that no caller can pass one in another's place.
type Inputs struct {
	// Previous is the last quarter's position statement; nil in a plan's
	// first quarter, when there is none.
	Previous *Statement
	// Current is this quarter's position statement.
	Current *Statement
	// Baseline is the plan as agreed; nil when there is none.
	Baseline *Statement
}

// ComparedWith is the statement the current one is compared with: the
// previous position statement, or, in a plan's first quarter (no previous
// statement), the plan as agreed, the Baseline. It is nil when there is
// neither. This is the first-quarter rule, and the only place it lives.
func (in Inputs) ComparedWith() *Statement {
	if in.Previous == nil {
		return in.Baseline
	}
	return in.Previous
}

// FirstQuarter reports whether the current statement is compared with the
// plan as agreed because there is no previous statement.
func (in Inputs) FirstQuarter() bool { return in.Previous == nil && in.Baseline != nil }

// ComparedWithBaseline reports whether the comparison's previous statement
// is the plan as agreed itself (a plan's first quarter, or a previous
// statement given as the baseline's own file), so the report says it
// compared with the plan as agreed rather than with a previous position
// statement.
func (c *Comparison) ComparedWithBaseline() bool {
	return c.Baseline != nil && c.Previous != nil && (c.Previous == c.Baseline || c.Previous.File == c.Baseline.File)
}
