package workbook

import (
	"bytes"
	"errors"
	"os"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"papers/internal/plan"
	"papers/internal/returns"
)

// addWorkbookSeeds seeds a fuzz target that takes whole workbooks: the two
// samples, then every quirk workbook in name order.
func addWorkbookSeeds(f *testing.F) {
	for _, path := range []string{draftPlan, october} {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	names := make([]string, 0, len(quirks))
	for name := range quirks {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		f.Add(quirks[name](f).bytes())
	}
}

// FuzzRead feeds the reader damaged and odd workbooks: it must never panic,
// and must either read a statement or return a one-line *Error.
func FuzzRead(f *testing.F) {
	addWorkbookSeeds(f)
	f.Add([]byte("Recommendation,Action\n1,Do it\n"))
	f.Add([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})
	f.Add([]byte("PK\x03\x04"))

	opt := DefaultOptions()
	opt.MaxUnzipSize = 8 << 20
	opt.MaxRows = 5000
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Read(bytes.NewReader(data), "fuzz.xlsx", opt)
		checkRead(t, "fuzz.xlsx", s, err)
	})
}

// checkRead checks what Read returned for the workbook named file: either
// a one-line *Error naming the file, or a statement whose recommendations
// and actions are numbered and placed.
func checkRead(t *testing.T, file string, s *plan.Statement, err error) {
	t.Helper()
	if err != nil {
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("error %v (%T) is not a *workbook.Error", err, err)
		}
		if msg := err.Error(); strings.ContainsAny(msg, "\r\n") || !strings.HasPrefix(msg, file+": ") {
			t.Fatalf("error %q is not one line naming the file", msg)
		}
		if s != nil {
			t.Fatal("a statement and an error")
		}
		return
	}
	if s.File != file || s.Sheet == "" {
		t.Fatalf("statement file %q, sheet %q", s.File, s.Sheet)
	}
	refs := map[string]bool{}
	for _, r := range s.Recommendations {
		if r.Ref == "" || refs[r.Ref] {
			t.Fatalf("recommendation ref %q empty or repeated", r.Ref)
		}
		refs[r.Ref] = true
	}
	for _, a := range s.Actions {
		if a.Row < 1 || a.Cell == "" || a.Ref == "" {
			t.Fatalf("action %+v", a)
		}
		if a.Recommendation != "" && !refs[a.Recommendation] {
			t.Fatalf("action %s names recommendation %q, which is not listed", a.Ref, a.Recommendation)
		}
	}
}

// FuzzLayout feeds the row reader odd sheets directly (mutated workbooks
// rarely get past the zip's checksums): lines are rows, tabs separate
// cells, and a cell "^" is merged into the cell above it.
func FuzzLayout(f *testing.F) {
	f.Add("Title\n\nRecommendation\tAction\tLead Owner (s)\tStart date / Completion date\tUpdate\n" +
		"Recommendation One: Vision\tFirst\tA / B\tBy 31st Dec 20\tu\n^\tSecond\tC\tDec 20\n" +
		"Recommendation\tAction\tLead Owner (s)\n2 continued\tThird\n^\tFourth\nLead Owners:\nA:\tRole")
	f.Add("Ref\tAction\tLead Officer\tDeadline\tRAG\tStatus\nWITHIN THREE MONTHS\n1. Vision\n1.1\tDraft\tA\tDec 20\tRed\n" +
		"Phase 2\nR2 Staff\na)\tTrain\tB\tMar 21\tg\tComplete\n3\tRecommendation 3: x\n3.1\t\t\t\t\tdone\n(continued)\n^")
	xf := excelize.NewFile()
	f.Cleanup(func() { xf.Close() })
	opt, err := DefaultOptions().prepare("fuzz.xlsx")
	if err != nil {
		f.Fatal(err)
	}
	rd := &reader{f: xf, opt: opt, file: "fuzz.xlsx", m: newMatcher(opt.Columns)}
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > 1<<16 {
			return
		}
		meta := &sheetMeta{hiddenCols: map[int]bool{}, colStyle: map[int]int{}, rowStyle: map[int]int{}, cells: cellIndex{}}
		var rows [][]string
		for r, line := range strings.Split(text, "\n") {
			cells := strings.Split(line, "\t")
			for c, v := range cells {
				if v == "^" && r > 0 {
					cells[c] = ""
					top := r // 0-based row of the range's top
					for top > 0 && len(rows[top-1]) > c && rows[top-1][c] == "" {
						top--
					}
					meta.merges = append(meta.merges, mergeRange{top, c + 1, r + 1, c + 1})
				}
			}
			rows = append(rows, cells)
		}
		h := findHeader(rd.m, rows)
		if h == nil {
			return
		}
		s := newBuilder(rd, "Plan", h, rows, map[int]bool{}, meta).build()
		refs := map[string]bool{}
		for _, r := range s.Recommendations {
			if r.Ref == "" || refs[r.Ref] {
				t.Fatalf("recommendation ref %q empty or repeated", r.Ref)
			}
			refs[r.Ref] = true
		}
		for _, a := range s.Actions {
			if a.Row <= h.row || a.Cell == "" || a.Ref == "" || (a.Recommendation != "" && !refs[a.Recommendation]) {
				t.Fatalf("action %+v", a)
			}
		}
	})
}

// rowsFromText reads a fuzzed sheet's rows: lines are rows, tabs separate
// cells, and "\v" stands for a line break inside a cell.
func rowsFromText(text string) [][]string {
	var rows [][]string
	for _, line := range strings.Split(text, "\n") {
		cells := strings.Split(line, "\t")
		for i, c := range cells {
			cells[i] = strings.ReplaceAll(c, "\v", "\n")
		}
		rows = append(rows, cells)
	}
	return rows
}

// rowsText is rowsFromText's inverse (tabs in cells become spaces).
func rowsText(rows [][]string) string {
	lines := make([]string, len(rows))
	for i, cells := range rows {
		out := make([]string, len(cells))
		for j, c := range cells {
			out[j] = strings.NewReplacer("\n", "\v", "\t", " ").Replace(c)
		}
		lines[i] = strings.Join(out, "\t")
	}
	return strings.Join(lines, "\n")
}

// sheetSeeds returns the first rows of every sheet of the samples, of the
// quirks' workbooks and of a return, as rowsText: real header rows to start
// the header fuzzers from.
func sheetSeeds(f *testing.F) []string {
	f.Helper()
	var seeds []string
	add := func(xf *excelize.File) {
		for _, sheet := range xf.GetSheetList() {
			rows, err := xf.GetRows(sheet)
			if err != nil {
				f.Fatal(err)
			}
			seeds = append(seeds, rowsText(rows[:min(len(rows), headerSearchRows)]))
		}
	}
	for _, path := range []string{draftPlan, october} {
		xf, err := excelize.OpenFile(path, excelize.Options{RawCellValue: true})
		if err != nil {
			f.Fatal(err)
		}
		add(xf)
		xf.Close()
	}
	names := make([]string, 0, len(quirks))
	for name := range quirks {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		add(quirks[name](f).f)
	}
	add(retOpen(f, retBytes(f, retFor(f, "Sandy Hopkins"), WriteOptions{})))
	return seeds
}

// headerRank is choose's order of preference between columns meaning one
// field: lower is better.
func headerRank(h *header, hidden map[int]bool, col int) int {
	r := 0
	if hidden[col] {
		r += 4
	}
	if h.weak[col] {
		r += 2
	}
	if !h.exact[col] {
		r++
	}
	return r
}

// checkHeader checks what any header row read from cells must satisfy:
// every field in one column and every column at most one field, the
// columns within the row and holding text that means the field, and each
// field in its best candidate column.
func checkHeader(t *testing.T, m *matcher, h *header, cells []string, hidden map[int]bool) {
	t.Helper()
	extraOwners := 0 // the director, executive lead and portfolio holder columns beyond the first
	if h.col[fieldOwner] == 0 && len(h.owners) > 1 {
		extraOwners = len(h.owners) - 1
	}
	if len(h.field) != len(h.col)+extraOwners || h.score != len(h.col) {
		t.Fatalf("row %d: %d fields in %d columns, score %d: %v", h.row, len(h.col), len(h.field), h.score, h.col)
	}
	for f, c := range h.col {
		cand := h.cands[c]
		if f == fieldAction && h.recAsAction && cand == fieldRecommendation {
			cand = fieldAction // a tracker's recommendations are its actions
		}
		if c < 1 || c > len(cells) || h.field[c] != f || cand != f || isBlank(cells[c-1]) {
			t.Fatalf("row %d: field %s in column %d of %d (field %q, candidate %q)", h.row, f, c, len(cells), h.field[c], h.cands[c])
		}
	}
	for c, text := range h.texts {
		if c < 1 || c > len(cells) || cells[c-1] != text {
			t.Fatalf("row %d: header text %q in column %d", h.row, text, c)
		}
	}
	for c, cell := range cells {
		if _, ok := h.texts[c+1]; ok == (strings.TrimSpace(cell) == "") {
			t.Fatalf("row %d: cell %d %q kept %v", h.row, c+1, cell, ok)
		}
	}
	for c, f := range h.cands {
		if got, exact := m.match(cells[c-1]); got != f || exact != h.exact[c] {
			t.Fatalf("row %d: column %d %q is a candidate for %s (exact %v), but matches %q (exact %v)",
				h.row, c, cells[c-1], f, h.exact[c], got, exact)
		}
		best := h.col[f]
		switch {
		case f == fieldRecommendation && h.recAsAction:
			best = h.col[fieldAction]
		case f == fieldOwner2:
			// Every visible one names the owners when no column is the
			// owner's; otherwise none does.
			if h.col[fieldOwner] == 0 && !hidden[c] && !slices.Contains(h.owners, c) {
				t.Fatalf("row %d: column %d names owners but is not read for them (%v)", h.row, c, h.owners)
			}
			continue
		}
		if rb, rc := headerRank(h, hidden, best), headerRank(h, hidden, c); best == 0 || rc < rb || (rc == rb && c < best) {
			t.Fatalf("row %d: field %s in column %d, but column %d is better (hidden %v, exact %v)", h.row, f, best, c, hidden, h.exact)
		}
	}
}

// FuzzHeader feeds header detection odd first rows of a sheet (as
// rowsFromText reads them): findHeader for a plan, returnHeader for a
// return. It checks that the header found is the usable row mapping the
// most fields (the first of equals) among the first rows, that its columns
// are distinct, within the row and in the best candidate column for each
// field (hiddenCols marks hidden columns 1 to 64), and that the same rows
// give the same header.
func FuzzHeader(f *testing.F) {
	for i, s := range sheetSeeds(f) {
		f.Add(s, uint64(i)*0x9E3779B97F4A7C15>>(i%64))
	}
	f.Add("Start date / Target date\tAction\nAction\tLead Owner (s)\tUpdate (October)", uint64(1))
	f.Add("Recommendation\tAction\tAction\tOwner\tAction owner\tLead Owner(s):", uint64(0b100))
	m := newMatcher(DefaultOptions().Columns)
	f.Fuzz(func(t *testing.T, text string, hiddenCols uint64) {
		if len(text) > 1<<16 {
			return
		}
		rows := rowsFromText(text)
		h := findHeader(m, rows)
		if again := findHeader(m, rows); !reflect.DeepEqual(h, again) {
			t.Fatalf("findHeader differs between two calls:\n%+v\n%+v", h, again)
		}
		for i, cells := range rows[:min(len(rows), headerSearchRows)] {
			hi := readHeader(m, i+1, cells)
			if !hi.usable() {
				continue
			}
			if h == nil || hi.score > h.score || (hi.score == h.score && hi.row < h.row) {
				t.Fatalf("row %d maps %d fields, but findHeader chose %+v", hi.row, hi.score, h)
			}
		}
		if h != nil {
			if h.row < 1 || h.row > min(len(rows), headerSearchRows) || !h.usable() {
				t.Fatalf("header row %d of %d, usable %v", h.row, len(rows), h.usable())
			}
			if fresh := readHeader(m, h.row, rows[h.row-1]); !reflect.DeepEqual(h, fresh) {
				t.Fatalf("findHeader's row %d differs from readHeader's:\n%+v\n%+v", h.row, h, fresh)
			}
			cells := rows[h.row-1]
			checkHeader(t, m, h, cells, nil)
			hidden := map[int]bool{}
			for c := 1; c <= 64; c++ {
				if hiddenCols&(1<<(c-1)) != 0 {
					hidden[c] = true
				}
			}
			h.choose(hidden)
			checkHeader(t, m, h, cells, hidden)
		}

		row, cols := returnHeader(rows)
		want := map[string]returns.Field{}
		for _, fld := range returns.Fields {
			want[normHeader(fld.Header())] = fld
		}
		if row == 0 {
			if cols != nil {
				t.Fatalf("no return header, but columns %v", cols)
			}
			for i, cells := range rows[:min(len(rows), headerSearchRows)] {
				has := map[returns.Field]bool{}
				for _, c := range cells {
					if fld, ok := want[normHeader(c)]; ok {
						has[fld] = true
					}
				}
				if has[returns.FieldRef] && has[returns.FieldAction] && has[returns.FieldUpdate] &&
					(has[returns.FieldPrevious] || has[returns.FieldRevised] || has[returns.FieldReason]) {
					t.Fatalf("row %d has a return's header, but returnHeader found none", i+1)
				}
			}
			return
		}
		if row > min(len(rows), headerSearchRows) {
			t.Fatalf("return header row %d of %d", row, len(rows))
		}
		if earlier, _ := returnHeader(rows[:row-1]); earlier != 0 {
			t.Fatalf("return header row %d, but row %d is one", row, earlier)
		}
		cells := rows[row-1]
		used := map[int]bool{}
		for fld, c := range cols {
			if c < 1 || c > len(cells) || used[c] || want[normHeader(cells[c-1])] != fld {
				t.Fatalf("return field %s in column %d of %d", fld, c, len(cells))
			}
			used[c] = true
			for before := 1; before < c; before++ {
				if normHeader(cells[before-1]) == normHeader(fld.Header()) {
					t.Fatalf("return field %s in column %d, but column %d is headed %q", fld, c, before, cells[before-1])
				}
			}
		}
		if cols[returns.FieldRef] == 0 || cols[returns.FieldAction] == 0 || cols[returns.FieldUpdate] == 0 ||
			cols[returns.FieldPrevious]+cols[returns.FieldRevised]+cols[returns.FieldReason] == 0 {
			t.Fatalf("return header row %d without a return's columns: %v", row, cols)
		}
	})
}

// FuzzColumns feeds column mapping odd header texts (tab-separated) and
// synonyms (Options.Columns as lines "field=name|name"). Options naming an
// unknown field must give a one-line *Error; otherwise each header text
// that is exactly a synonym (after normHeader) is a candidate for the first
// field with that synonym, any other for the field the documented looser
// rules give (a combined "start / target" schedule; else the longest
// synonym the header starts or ends with, the one at the end between
// equals), and readHeader's choice satisfies checkHeader.
func FuzzColumns(f *testing.F) {
	custom := []string{"", "action=Task|What we will do\nowner=Who\nupdate=", "ref=No.|Ref\nstart=Start|From\ntarget=Target / date",
		"bogus=x", "action=Action\naction=\nrag=Status\nstatus=Status", "schedule=When\ncompleted=Done|Action"}
	for i, s := range sheetSeeds(f) {
		rows := rowsFromText(s)
		h := findHeader(newMatcher(DefaultOptions().Columns), rows)
		if h == nil {
			continue
		}
		f.Add(strings.Join(rows[h.row-1], "\t"), custom[i%len(custom)])
	}
	f.Add("Start date/Target date\tStart / Deadline\tAction owner\tUpdate (October)\tTarget date for completion", "")
	f.Add("Lead Owner (s):\tLEAD  OWNER\t(s)\tRAG status\tStatus (RAG)\tStatus", "rag=\nstatus=RAG")
	f.Fuzz(func(t *testing.T, headers, synonyms string) {
		if len(headers)+len(synonyms) > 1<<14 {
			return
		}
		given := map[string][]string{}
		unknown := false
		for _, line := range strings.Split(synonyms, "\n") {
			if line == "" {
				continue
			}
			field, list, _ := strings.Cut(line, "=")
			given[field] = []string{}
			if list != "" {
				given[field] = strings.Split(list, "|")
			}
			unknown = unknown || !slices.Contains(fields, field)
		}
		opt, err := Options{Columns: given}.prepare("fuzz.xlsx")
		if unknown != (err != nil) {
			t.Fatalf("options %q: error %v", synonyms, err)
		}
		if err != nil {
			var e *Error
			if msg := err.Error(); !errors.As(err, &e) || strings.ContainsAny(msg, "\r\n") || !strings.HasPrefix(msg, "fuzz.xlsx: ") {
				t.Fatalf("error %q (%T) is not a one-line *Error naming the file", msg, err)
			}
			return
		}
		defaults := DefaultOptions().Columns
		for _, fl := range fields {
			want, ok := given[fl]
			if !ok {
				want = defaults[fl]
			}
			if !slices.Equal(opt.Columns[fl], want) {
				t.Fatalf("field %s has synonyms %q, want %q", fl, opt.Columns[fl], want)
			}
		}

		// owner is the field a normalised header text is exactly a synonym of.
		owner := func(n string) string {
			if n == "" {
				return ""
			}
			for _, fl := range fields {
				for _, name := range opt.Columns[fl] {
					if normHeader(name) == n {
						return fl
					}
				}
			}
			return ""
		}
		// loose is the field of the longest synonym n's words start or end
		// with (a suffix before a prefix as long), for n of up to six words.
		loose := func(n string) string {
			words := strings.Fields(n)
			best, bestLen, bestSuffix := "", 0, false
			for _, fl := range fields {
				for _, name := range opt.Columns[fl] {
					sn := normHeader(name)
					sw := strings.Fields(sn)
					if sn == "" || owner(sn) != fl || len(sw) >= len(words) || len(words) > 6 {
						continue
					}
					suffix := slices.Equal(words[len(words)-len(sw):], sw)
					if !suffix && !slices.Equal(words[:len(sw)], sw) {
						continue
					}
					if len(sw) > bestLen || (len(sw) == bestLen && suffix && !bestSuffix) {
						best, bestLen, bestSuffix = fl, len(sw), suffix
					}
				}
			}
			return best
		}
		// looseAll is loose, then, failing that, the same for n without
		// its first words in brackets (exactly, else loosely).
		looseAll := func(n string) string {
			if f := loose(n); f != "" {
				return f
			}
			if i := strings.IndexByte(n, '('); i > 0 {
				if j := strings.IndexByte(n[i:], ')'); j > 0 {
					if rest := strings.TrimSpace(n[:i] + n[i+j+1:]); rest != n {
						if f := owner(normHeader(rest)); f != "" {
							return f
						}
						return loose(normHeader(rest))
					}
				}
			}
			return ""
		}
		// planned turns a completion date headed as planned into a target.
		planned := func(n, f string) string {
			if f == fieldCompleted && plannedWords.MatchString(n) {
				return fieldTarget
			}
			return f
		}
		part := func(s string) string {
			if n := normHeader(s); owner(n) != "" {
				return owner(n)
			} else {
				return looseAll(n)
			}
		}

		m := newMatcher(opt.Columns)
		cells := strings.Split(headers, "\t")
		h := readHeader(m, 1, cells)
		if again := readHeader(m, 1, cells); !reflect.DeepEqual(h, again) {
			t.Fatalf("readHeader differs between two calls:\n%+v\n%+v", h, again)
		}
		checkHeader(t, m, h, cells, nil)
		for i, text := range cells {
			c, n := i+1, normHeader(text)
			want, exact := "", false
			switch a, b, slash := strings.Cut(n, "/"); {
			case n == "":
			case owner(n) != "":
				want, exact = owner(n), true
			case slash && part(a) == fieldStart && (part(b) == fieldTarget || part(b) == fieldCompleted):
				want = fieldSchedule
			default:
				want = planned(n, looseAll(n))
			}
			if h.cands[c] != want || h.exact[c] != exact {
				t.Fatalf("column %d %q (normalised %q) is a candidate for %q (exact %v), want %q (exact %v)",
					c, text, n, h.cands[c], h.exact[c], want, exact)
			}
		}
	})
}

// TestMatchLinear checks that matching a long header cell takes time in
// proportion to its length (a cell of slashes once took time in the square
// of it: 1.7s for 32,767 characters).
func TestMatchLinear(t *testing.T) {
	m := newMatcher(DefaultOptions().Columns)
	for _, unit := range []string{"/", "start/", "a / ", "Start date / "} {
		long := strings.Repeat(unit, 32767/len(unit))
		start := time.Now()
		for range 10 {
			m.match(long)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("matching %q × %d ten times took %v", unit, 32767/len(unit), d)
		}
	}
}
