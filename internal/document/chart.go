package document

import "math"

// What a chart shows besides its bars is decided here, once, and every
// writer draws it: the legend (above the bars, under the title), the
// total at the end of each bar, and the axis's scale.

// Legend is the chart's legend, in series order: every named series with
// at least one value above zero. A series with nothing to show has no
// colour on the page, so a key for it would send the reader looking.
func (c Chart) Legend() []Series {
	var out []Series
	for _, s := range c.Series {
		if s.Name == "" {
			continue
		}
		for _, v := range s.Values {
			if positive(v) {
				out = append(out, s)
				break
			}
		}
	}
	return out
}

// Totals is each category's bar length: the sum of its values above zero
// (a negative, infinite or NaN value draws nothing and adds nothing).
// Writers print it at the end of the bar when it is above zero.
func (c Chart) Totals() []float64 {
	out := make([]float64, len(c.Categories))
	for i := range c.Categories {
		for _, s := range c.Series {
			if i < len(s.Values) && positive(s.Values[i]) {
				out[i] += min(s.Values[i], 1e12) // keeps sums finite
			}
		}
	}
	return out
}

// Axis is the value axis: a tick step of 1, 2 or 5 times a power of ten,
// never below 1 (the values are counts), and the axis's end, the smallest
// multiple of the step reaching the longest bar, in at most eight steps.
func (c Chart) Axis() (step, end float64) {
	most := 0.0
	for _, t := range c.Totals() {
		most = max(most, t)
	}
	if !(most > 0) || math.IsInf(most, 0) {
		return 1, 1
	}
	for mag := 1.0; ; mag *= 10 {
		for _, m := range []float64{1, 2, 5} {
			step = m * mag
			if n := math.Ceil(most/step - 1e-9); n <= 8 {
				return step, n * step
			}
		}
	}
}

func positive(v float64) bool { return v > 0 && !math.IsInf(v, 0) }
