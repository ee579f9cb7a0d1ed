package workbook

import (
	"bytes"
	"errors"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// FuzzRead feeds the reader damaged and odd workbooks: it must never panic,
// and must either read a statement or return a one-line *Error.
func FuzzRead(f *testing.F) {
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
	f.Add([]byte("Recommendation,Action\n1,Do it\n"))
	f.Add([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})
	f.Add([]byte("PK\x03\x04"))

	opt := DefaultOptions()
	opt.MaxUnzipSize = 8 << 20
	opt.MaxRows = 5000
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Read(bytes.NewReader(data), "fuzz.xlsx", opt)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v (%T) is not a *workbook.Error", err, err)
			}
			if msg := err.Error(); strings.ContainsAny(msg, "\r\n") || !strings.HasPrefix(msg, "fuzz.xlsx: ") {
				t.Fatalf("error %q is not one line naming the file", msg)
			}
			if s != nil {
				t.Fatal("a statement and an error")
			}
			return
		}
		if s.File != "fuzz.xlsx" || s.Sheet == "" {
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
	})
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
		meta := &sheetMeta{hiddenCols: map[int]bool{}, colStyle: map[int]int{}, rowStyle: map[int]int{}, cells: map[cellKey]cellInfo{}}
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
