package compare

import (
	"cmp"
	"slices"
)

// Match reasons, as plan.Match.Reason gives them.
const (
	ReasonRef          = "ref"
	ReasonIdentical    = "identical"
	ReasonNormalised   = "normalised"
	ReasonSimilarSame  = "similar (same recommendation)"
	ReasonSimilarOther = "similar (other recommendation)"
)

// Limits that keep matching near-linear. Each unmatched action is scored
// against at most maxCandidates others, found by scanning at most maxScan
// postings of its rarest words and word pairs; a word too common for that is
// looked at only in a window of maxWindow actions around the action's place.
const (
	maxScan       = 1024
	maxWindow     = 256
	maxCandidates = 16
	// similarCap keeps a similarity score below 1, which is kept for
	// identical text and given Refs.
	similarCap = 0.999
)

// entry is an action as the matcher sees it.
type entry struct {
	text string // Action.Text
	rec  string // its recommendation's Ref
	ref  string // its given Ref, normalised; "" when the sheet has none

	norm     string // the text normalised, once asked for
	normDone bool
}

// normalised returns the entry's text normalised, working it out once.
func (e *entry) normalised() string {
	if !e.normDone {
		e.norm, e.normDone = normalise(e.text), true
	}
	return e.norm
}

// link is one side's partner on the other: index -1 when there is none.
type link struct {
	other  int
	score  float64
	reason string
}

// matching is the result of matching left entries with right ones.
type matching struct {
	left, right         []link // confident matches, each used once
	maybeLeft, maybeRgt []link // possible matches (below the match threshold), each used once
}

func newLinks(n int) []link {
	l := make([]link, n)
	for i := range l {
		l[i].other = -1
	}
	return l
}

// match pairs left entries with right ones: by given Ref, then identical
// text, then normalised text, then word-set similarity within the same
// recommendation, then across recommendations. Pairs scoring at least
// matchAt are matched; the best remaining pairs scoring at least possibleAt
// are noted as possible matches. Everything is in left/right position order,
// so the result depends on the inputs only.
func match(left, right []entry, matchAt, possibleAt float64) *matching {
	m := &matching{left: newLinks(len(left)), right: newLinks(len(right)),
		maybeLeft: newLinks(len(left)), maybeRgt: newLinks(len(right))}
	pair := func(l, r int, score float64, reason string) {
		m.left[l] = link{r, score, reason}
		m.right[r] = link{l, score, reason}
	}

	// 1. Given Refs, when both actions have one. Repeated refs pair in order.
	byRef := map[string][]int{}
	for j, e := range right {
		if e.ref != "" {
			byRef[e.ref] = append(byRef[e.ref], j)
		}
	}
	if len(byRef) > 0 {
		for i, e := range left {
			if q := byRef[e.ref]; e.ref != "" && len(q) > 0 {
				pair(i, q[0], 1, ReasonRef)
				byRef[e.ref] = q[1:]
			}
		}
	}

	// 2 and 3. Identical, then normalised, text: same recommendation first,
	// then anywhere; repeated texts pair in order.
	exact := func(key func(e *entry) string, reason string) {
		group := make(map[string]int32, len(right)) // text → group number
		var anyRec [][]int                          // group → unmatched right entries, in order
		type rk struct {
			group int32
			rec   string
		}
		sameRec := map[rk][]int{}
		for j := range right {
			if m.right[j].other >= 0 {
				continue
			}
			k := key(&right[j])
			g, ok := group[k]
			if !ok {
				g = int32(len(anyRec))
				group[k] = g
				anyRec = append(anyRec, nil)
			}
			anyRec[g] = append(anyRec[g], j)
			sameRec[rk{g, right[j].rec}] = append(sameRec[rk{g, right[j].rec}], j)
		}
		if len(anyRec) == 0 {
			return
		}
		groups := make([]int32, len(left))
		for i := range left {
			groups[i] = -1
			if m.left[i].other < 0 {
				if g, ok := group[key(&left[i])]; ok {
					groups[i] = g
				}
			}
		}
		take := func(q []int) (int, []int) {
			for len(q) > 0 && m.right[q[0]].other >= 0 {
				q = q[1:]
			}
			if len(q) == 0 {
				return -1, q
			}
			return q[0], q[1:]
		}
		for i, g := range groups {
			if g < 0 {
				continue
			}
			k := rk{g, left[i].rec}
			if j, q := take(sameRec[k]); j >= 0 {
				sameRec[k] = q
				pair(i, j, 1, reason)
			}
		}
		for i, g := range groups {
			if g < 0 || m.left[i].other >= 0 {
				continue
			}
			if j, q := take(anyRec[g]); j >= 0 {
				anyRec[g] = q
				pair(i, j, 1, reason)
			}
		}
	}
	exact(func(e *entry) string { return e.text }, ReasonIdentical)
	exact((*entry).normalised, ReasonNormalised)

	// 4 and 5. Similar wording.
	pairs := similarPairs(left, right, m, possibleAt)
	slices.SortFunc(pairs, func(a, b scored) int {
		return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(a.l, b.l), cmp.Compare(a.r, b.r))
	})
	free := func(p scored) bool { return m.left[p.l].other < 0 && m.right[p.r].other < 0 }
	sameRec := func(p scored) bool { return left[p.l].rec == right[p.r].rec }
	for _, p := range pairs { // within the same recommendation
		if p.score >= matchAt && sameRec(p) && free(p) {
			pair(p.l, p.r, min(p.score, similarCap), ReasonSimilarSame)
		}
	}
	for _, p := range pairs { // across recommendations
		if p.score >= matchAt && free(p) {
			reason := ReasonSimilarOther
			if sameRec(p) {
				reason = ReasonSimilarSame
			}
			pair(p.l, p.r, min(p.score, similarCap), reason)
		}
	}
	for _, p := range pairs { // possible matches, for the clerk to judge
		if free(p) && m.maybeLeft[p.l].other < 0 && m.maybeRgt[p.r].other < 0 {
			m.maybeLeft[p.l] = link{p.r, p.score, "possible"}
			m.maybeRgt[p.r] = link{p.l, p.score, "possible"}
		}
	}
	return m
}

// scored is a candidate pair and its similarity.
type scored struct {
	l, r  int
	score float64
}

// words is an unmatched entry's sorted word ids and index keys.
type words struct {
	ids  []int32 // sorted, unique: the set scores are taken over
	keys []int32 // unique word and word-pair keys, for candidate finding
}

// similarPairs finds, for each unmatched left entry, the unmatched right
// entries sharing its rarest words or word pairs, and returns those whose
// Dice similarity is at least floor. Each left entry scans at most maxScan
// postings and scores at most maxCandidates entries, so the work is linear
// in the number of actions.
func similarPairs(left, right []entry, m *matching, floor float64) []scored {
	var li, ri []int
	for i := range left {
		if m.left[i].other < 0 {
			li = append(li, i)
		}
	}
	for j := range right {
		if m.right[j].other < 0 {
			ri = append(ri, j)
		}
	}
	if len(li) == 0 || len(ri) == 0 {
		return nil
	}

	vocab := map[string]int32{}
	keyIDs := map[uint64]int32{}
	split := func(e *entry, addKeys bool) words {
		ws := contentWords(e.normalised())
		var w words
		w.ids = make([]int32, len(ws))
		for k, s := range ws {
			id, ok := vocab[s]
			if !ok {
				id = int32(len(vocab))
				vocab[s] = id
			}
			w.ids[k] = id
		}
		key := func(k uint64) {
			id, ok := keyIDs[k]
			if !ok {
				if !addKeys {
					return
				}
				id = int32(len(keyIDs))
				keyIDs[k] = id
			}
			w.keys = append(w.keys, id)
		}
		for k, id := range w.ids {
			key(uint64(id)) // a word
			if k > 0 {
				key(1<<63 | uint64(w.ids[k-1])<<32 | uint64(id)) // a word pair
			}
		}
		slices.Sort(w.ids)
		w.ids = slices.Compact(w.ids)
		slices.Sort(w.keys)
		w.keys = slices.Compact(w.keys)
		return w
	}

	// The index: for each key, the unmatched right entries having it, in order.
	rw := make([]words, len(ri))
	for k, j := range ri {
		rw[k] = split(&right[j], true)
	}
	postings := make([][]int32, len(keyIDs))
	for k := range rw {
		for _, key := range rw[k].keys {
			postings[key] = append(postings[key], int32(k))
		}
	}

	var out []scored
	count := make([]int32, len(ri))
	var touched []int32
	var hist []int
	touch := func(k int32) {
		if count[k] == 0 {
			touched = append(touched, k)
		}
		count[k]++
	}
	for x, i := range li {
		lw := split(&left[i], false)
		// Rarest keys first; ties in key order.
		keys := lw.keys
		slices.SortFunc(keys, func(a, b int32) int {
			return cmp.Or(cmp.Compare(len(postings[a]), len(postings[b])), cmp.Compare(a, b))
		})
		// Rare keys are scanned whole. Once a key is too common for what is
		// left of the budget, it and the keys after it are scanned only in a
		// window of right entries around where this entry would be if the
		// statements kept their order, nearest first.
		budget := maxScan
		var lo, hi int32 = 0, -1
		for _, key := range keys {
			p := postings[key]
			if len(p) == 0 {
				continue
			}
			if budget <= 0 {
				break
			}
			if len(p) <= budget && hi < lo {
				budget -= len(p)
				for _, k := range p {
					touch(k)
				}
				continue
			}
			if hi < lo { // open the window
				expect := int32(x * len(ri) / len(li))
				mid, _ := slices.BinarySearch(p, expect)
				a := max(0, min(mid-maxWindow/2, len(p)-maxWindow))
				b := min(len(p), a+maxWindow)
				lo, hi = p[a], p[b-1]
				for d := 0; mid-d-1 >= a || mid+d < b; d++ { // outwards from mid
					if mid+d < b {
						touch(p[mid+d])
					}
					if mid-d-1 >= a {
						touch(p[mid-d-1])
					}
				}
				budget -= b - a
				continue
			}
			a, _ := slices.BinarySearch(p, lo)
			b, _ := slices.BinarySearch(p, hi+1)
			p = p[a:b]
			if len(p) > budget {
				p = p[:budget]
			}
			budget -= len(p)
			for _, k := range p {
				touch(k)
			}
		}

		// The maxCandidates entries sharing most keys; ties in touch order.
		cands := touched
		if len(touched) > maxCandidates {
			hist = hist[:0]
			for _, k := range touched {
				c := int(count[k])
				for len(hist) <= c {
					hist = append(hist, 0)
				}
				hist[c]++
			}
			cut, above := len(hist)-1, 0 // take all with count > cut, then some with count == cut
			for ; cut > 0 && above+hist[cut] < maxCandidates; cut-- {
				above += hist[cut]
			}
			room := maxCandidates - above
			cands = make([]int32, 0, maxCandidates)
			for _, k := range touched {
				switch c := int(count[k]); {
				case c > cut:
					cands = append(cands, k)
				case c == cut && room > 0:
					cands = append(cands, k)
					room--
				}
			}
		}
		for _, k := range cands {
			if s := dice(lw.ids, rw[k].ids); s >= floor && s > 0 {
				out = append(out, scored{i, ri[k], s})
			}
		}
		for _, k := range touched {
			count[k] = 0
		}
		touched = touched[:0]
	}
	return out
}

// dice is the Dice coefficient of two sorted sets: 2|A∩B| / (|A|+|B|).
func dice(a, b []int32) float64 {
	if len(a)+len(b) == 0 {
		return 0
	}
	shared := 0
	for x, y := 0, 0; x < len(a) && y < len(b); {
		switch {
		case a[x] < b[y]:
			x++
		case a[x] > b[y]:
			y++
		default:
			shared++
			x++
			y++
		}
	}
	return 2 * float64(shared) / float64(len(a)+len(b))
}
