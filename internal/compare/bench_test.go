package compare

import (
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"papers/internal/plan"
)

func benchCompare(b *testing.B, n, level int) {
	prev, cur, _ := generated(n, level, 1)
	opt := DefaultOptions(benchAsOf)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Compare(plan.Inputs{Previous: prev, Current: cur, Baseline: prev}, opt); err != nil {
			b.Fatal(err)
		}
	}
}

// About 10% of actions changed: the ordinary quarter.
func BenchmarkCompare2000(b *testing.B)  { benchCompare(b, 2000, 10) }
func BenchmarkCompare20000(b *testing.B) { benchCompare(b, 20000, 10) }

// Ten times the ordinary rates (about 100% of actions changed, 20% reworded
// or moved): the similarity index does most of the work.
func BenchmarkCompareChurn2000(b *testing.B)  { benchCompare(b, 2000, 100) }
func BenchmarkCompareChurn20000(b *testing.B) { benchCompare(b, 20000, 100) }

// With a separate baseline statement, matched in its own right.
func BenchmarkCompareBaseline20000(b *testing.B) {
	prev, cur, _ := generated(20000, 10, 1)
	g := newGenerator(2)
	base, _ := g.nextQuarter(prev, 10)
	opt := DefaultOptions(benchAsOf)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compare(plan.Inputs{Previous: prev, Current: cur, Baseline: base}, opt); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWriteJSON20000(b *testing.B) {
	prev, cur, _ := generated(20000, 10, 1)
	c, err := Compare(plan.Inputs{Previous: prev, Current: cur, Baseline: prev}, DefaultOptions(benchAsOf))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteJSON(io.Discard, c); err != nil {
			b.Fatal(err)
		}
	}
}

// Every action a shuffle of the same ten common words: no rare word to find
// candidates by, the worst case for the index.
func BenchmarkCompareDegenerate20000(b *testing.B) {
	words := strings.Fields("review the safeguarding board plan staff quality framework managers training")
	r := rand.New(rand.NewPCG(1, 2))
	mk := func(n int) *plan.Statement {
		s := &plan.Statement{}
		for i := range n {
			w := slices.Clone(words)
			r.Shuffle(len(w), func(a, b int) { w[a], w[b] = w[b], w[a] })
			s.Actions = append(s.Actions, plan.Action{Ref: fmt.Sprint(i), Recommendation: fmt.Sprint(i / 100), Text: strings.Join(w[:6+r.IntN(4)], " ")})
		}
		return s
	}
	prev, cur := mk(20000), mk(20000)
	opt := DefaultOptions(benchAsOf)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compare(plan.Inputs{Previous: prev, Current: cur}, opt); err != nil {
			b.Fatal(err)
		}
	}
}
