package plan

import "fmt"

// UnmarshalText reads a precision's name as MarshalText writes it ("none",
// "financial_year", "month", "day"), so a Statement encoded as JSON can be
// read back.
func (p *Precision) UnmarshalText(text []byte) error {
	for i, name := range precisionNames {
		if string(text) == name {
			*p = Precision(i)
			return nil
		}
	}
	return fmt.Errorf("unknown date precision %q", text)
}
