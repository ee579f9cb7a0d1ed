package compare

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"papers/internal/plan"
)

// A generator of realistic statements for the scale test and benchmarks:
// long sentence-like actions drawn from a Zipf-distributed vocabulary (a few
// words very common, most rare, as in real plans) with stop-words between,
// grouped under recommendations, with owners, text and dates and updates.

var domainWords = strings.Fields(`review develop ensure safeguarding practice managers front-line staff improvement
	board quality assurance framework supervision workforce strategy recruitment retention social workers caseloads
	partners communication children families outcomes training appraisals performance reporting accommodation
	technology engagement independent vision council services young people city plan delivery monitor
	establish relaunch conference consultation leadership development learning support capacity standards
	compliance timeliness effectiveness practitioners executive director principal assessment cabinet members
	ofsted partnership expert offer budget business planning cycle departmental culture inclusive restorative`)

var genStop = strings.Fields(`the and to of for with in on by all that which a an their its is are be as from into within across`)

var genOwners = []string{"Robert Henderson", "Sandy Hopkins", "Janet King", "Mike Harris", "John Harrison",
	"Cllr Paffey", "Stuart Webb", "Hilary Brooks", "Derek Wolfe", "Mel Creighton"}

type generator struct {
	r     *rand.Rand
	zipf  *rand.Zipf
	vocab []string
}

func newGenerator(seed uint64) *generator {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	g := &generator{r: r}
	g.vocab = append(g.vocab, domainWords...)
	syll := strings.Fields("ba be bi bo bu da de di do du fa fe fi fo ka ke ki ko la le li lo lu ma me mi mo mu na ne ni no pa pe pi po ra re ri ro sa se si so ta te ti to va ve vi")
	seen := map[string]bool{}
	for _, w := range g.vocab {
		seen[w] = true
	}
	for len(g.vocab) < 8000 {
		n := 2 + r.IntN(3)
		var b strings.Builder
		for range n {
			b.WriteString(syll[r.IntN(len(syll))])
		}
		if w := b.String(); !seen[w] {
			seen[w] = true
			g.vocab = append(g.vocab, w)
		}
	}
	g.zipf = rand.NewZipf(r, 1.1, 3, uint64(len(g.vocab)-1))
	return g
}

// sentence is an action's text of n words or so.
func (g *generator) sentence() string {
	n := 14 + g.r.IntN(18)
	words := make([]string, 0, n)
	for len(words) < n {
		if g.r.IntN(100) < 35 {
			words = append(words, genStop[g.r.IntN(len(genStop))])
		} else {
			words = append(words, g.vocab[g.zipf.Uint64()])
		}
	}
	words[0] = strings.ToUpper(words[0][:1]) + words[0][1:]
	return strings.Join(words, " ") + ";"
}

// reword changes a word or two of s, as an officer tidying a sentence does.
func (g *generator) reword(s string) string {
	words := strings.Fields(strings.TrimSuffix(s, ";"))
	for range 1 + g.r.IntN(2) {
		i := 1 + g.r.IntN(len(words)-1)
		switch g.r.IntN(3) {
		case 0:
			words[i] = g.vocab[g.zipf.Uint64()]
		case 1:
			words = append(words[:i], append([]string{g.vocab[g.zipf.Uint64()]}, words[i:]...)...)
		default:
			words = append(words[:i], words[i+1:]...)
		}
	}
	return strings.Join(words, " ") + ";"
}

func (g *generator) target() plan.TargetDate {
	if g.r.IntN(20) == 0 {
		return plan.TargetDate{}
	}
	d := plan.Day(2020, 9, 30).AddDate(0, g.r.IntN(12), 0)
	return plan.TargetDate{Date: d, Precision: plan.PrecisionMonth, Text: "By " + d.Format("Jan 06")}
}

func (g *generator) owner() (string, []string) {
	a := genOwners[g.r.IntN(len(genOwners))]
	if g.r.IntN(3) > 0 {
		return a, []string{a}
	}
	b := genOwners[g.r.IntN(len(genOwners))]
	return a + " / " + b, []string{a, b}
}

// statement generates n actions under recommendations of 10 to 30 actions.
// Each action's Cell is its identity ("id7"), kept when nextQuarter changes
// it, so tests can tell a right match from a wrong one ("new…" for new ones).
func (g *generator) statement(n int) *plan.Statement {
	s := &plan.Statement{File: fmt.Sprintf("generated-%d.xlsx", n), Title: "Generated position statement"}
	rec, inRec := 0, 0
	for i := 0; i < n; i++ {
		if inRec == 0 {
			rec++
			inRec = 10 + g.r.IntN(21)
			s.Recommendations = append(s.Recommendations, plan.Recommendation{Ref: fmt.Sprint(rec), Title: fmt.Sprintf("Recommendation %d", rec), Text: g.sentence()})
		}
		inRec--
		owner, owners := g.owner()
		t := g.target()
		s.Actions = append(s.Actions, plan.Action{Recommendation: fmt.Sprint(rec), Text: g.sentence(), Owner: owner, Owners: owners,
			Schedule: plan.Schedule{Target: t, Text: t.Text}, Update: g.sentence(), Cell: fmt.Sprintf("id%d", i)})
	}
	renumber(s)
	return s
}

// renumber gives actions their "R.N" refs in statement order.
func renumber(s *plan.Statement) {
	n := map[string]int{}
	for i := range s.Actions {
		a := &s.Actions[i]
		n[a.Recommendation]++
		a.Ref = fmt.Sprintf("%s.%d", a.Recommendation, n[a.Recommendation])
		a.Row = i + 4
	}
}

// changeCounts are what a generated next quarter should compare as.
type changeCounts struct{ carried, new, removed int }

// nextQuarter makes the next quarter's statement from prev. At level 10,
// of every 100 actions about 2 are removed, 2 reworded, 2 moved to another
// recommendation (and reworded a little), 2 swapped with a neighbour, 1
// given a bullet, and 2 new actions inserted: about 10% changed; targets,
// updates and owners change as well. Level 20 doubles the rates.
func (g *generator) nextQuarter(prev *plan.Statement, level int) (*plan.Statement, changeCounts) {
	cur := &plan.Statement{File: "next-" + prev.File, Title: "Next quarter", Recommendations: prev.Recommendations}
	var want changeCounts
	roll := func(p int) bool { return g.r.IntN(1000) < p*level }
	for _, a := range prev.Actions {
		switch {
		case roll(2):
			want.removed++
			continue
		case roll(2):
			a.Text = g.reword(a.Text)
		case roll(2):
			a.Recommendation = prev.Recommendations[g.r.IntN(len(prev.Recommendations))].Ref
			a.Text = g.reword(a.Text)
		case roll(1):
			a.Text = "• " + a.Text
		}
		if roll(3) && !a.Target().IsZero() {
			a.Schedule.Target.Date = a.Schedule.Target.Date.AddDate(0, 1+g.r.IntN(3), 0)
		}
		if roll(3) {
			a.Owner, a.Owners = g.owner()
		}
		if !roll(2) {
			a.Update = g.sentence()
		}
		if roll(1) {
			a.Completed = plan.TargetDate{Date: plan.Day(2020, 12, 1), Precision: plan.PrecisionDay}
		}
		want.carried++
		cur.Actions = append(cur.Actions, a)
		if roll(2) {
			owner, owners := g.owner()
			t := g.target()
			cur.Actions = append(cur.Actions, plan.Action{Recommendation: a.Recommendation, Text: g.sentence(),
				Owner: owner, Owners: owners, Schedule: plan.Schedule{Target: t, Text: t.Text}, Cell: fmt.Sprintf("new%d", len(cur.Actions))})
			want.new++
		}
	}
	// Swap neighbours within a recommendation.
	for i := 0; i+1 < len(cur.Actions); i++ {
		if cur.Actions[i].Recommendation == cur.Actions[i+1].Recommendation && roll(2) {
			cur.Actions[i], cur.Actions[i+1] = cur.Actions[i+1], cur.Actions[i]
			i++
		}
	}
	// Moved actions join their new recommendation's block.
	byRec := map[string][]plan.Action{}
	for _, a := range cur.Actions {
		byRec[a.Recommendation] = append(byRec[a.Recommendation], a)
	}
	cur.Actions = cur.Actions[:0:0]
	for _, r := range cur.Recommendations {
		cur.Actions = append(cur.Actions, byRec[r.Ref]...)
	}
	renumber(cur)
	return cur, want
}

// generated returns a previous statement of n actions and a next quarter
// changed at the given level (see nextQuarter).
func generated(n, level int, seed uint64) (prev, cur *plan.Statement, want changeCounts) {
	g := newGenerator(seed)
	prev = g.statement(n)
	cur, want = g.nextQuarter(prev, level)
	return prev, cur, want
}

var benchAsOf = time.Date(2021, 1, 28, 0, 0, 0, 0, time.UTC)
