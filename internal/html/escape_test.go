package html

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"papers/internal/document"
)

// The page is escaped and its merged cells spanned in one pass, without
// copies; these are the plain versions they replaced, which they must
// agree with on any text and any table.

func escReference(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"':
			b.WriteString("&#34;")
		case r == '\'':
			b.WriteString("&#39;")
		case r == '\r':
		case r < 0x20 && r != '\n' && r != '\t', r >= 0x7f && r < 0xa0, r == 0xfffe, r == 0xffff:
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func textReference(s string) string {
	s = strings.ReplaceAll(strings.TrimRight(s, "\r\n"), "\r\n", "\n")
	return strings.ReplaceAll(escReference(s), "\n", "<br>")
}

func rowSpansReference(rows []document.Row, cols int) [][]int {
	spans := make([][]int, len(rows))
	for r := range rows {
		spans[r] = make([]int, cols)
		for c := range spans[r] {
			spans[r][c] = 1
		}
	}
	for c := range cols {
		start := -1
		for r := range rows {
			m := merge(rows[r], c)
			if m == document.MergeContinue && start >= 0 && rows[r].Group == "" {
				spans[start][c]++
				spans[r][c] = 0
				continue
			}
			start = -1
			if m != document.MergeNone {
				start = r
			}
		}
	}
	return spans
}

var escCases = []string{
	"",
	"plain",
	"<script>alert('x & \"y\"')</script>",
	"lines\nand\r\nbreaks\r\rtrailing\n\r\n",
	"\n\nleading breaks",
	"tab\tcontrol\x00\x01\x1f\x7f kept and dropped",
	"C1 \u0080\u0085\u009f, NBSP \u00a0, non-characters \ufffe\uffff, replacement \ufffd, separators \u2028\u2029",
	"invalid \xff\xfe UTF-8 \xc3 cut \xe2\x80 short \xed\xa0\x80 surrogate \xc2\x85",
	"\xe2\x80",
	"accents é, emoji 😀, CJK 漢字",
}

func TestEscapeSameAsBefore(t *testing.T) {
	for _, s := range escCases {
		if got, want := esc(s), escReference(s); got != want {
			t.Errorf("esc(%q) = %q, want %q", s, got, want)
		}
		if got, want := text(s), textReference(s); got != want {
			t.Errorf("text(%q) = %q, want %q", s, got, want)
		}
	}
}

func FuzzEscape(f *testing.F) {
	for _, s := range escCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := esc(s), escReference(s); got != want {
			t.Errorf("esc(%q) = %q, want %q", s, got, want)
		}
		if got, want := text(s), textReference(s); got != want {
			t.Errorf("text(%q) = %q, want %q", s, got, want)
		}
	})
}

// randomTable has merges starting and continuing anywhere, group bands
// and rows short of cells.
func randomTable(r *rand.Rand, rows, cols int) document.Table {
	t := document.Table{Columns: make([]document.Column, cols)}
	for i := range cols {
		t.Columns[i] = document.Column{Title: "c" + strconv.Itoa(i), Width: 1, Align: document.Align(r.IntN(3))}
	}
	for i := range rows {
		row := document.Row{Cells: make([]document.Cell, cols-r.IntN(2))}
		if r.IntN(8) == 0 {
			row.Group = "band " + strconv.Itoa(i)
		}
		for c := range row.Cells {
			cell := &row.Cells[c]
			cell.Text = escCases[r.IntN(len(escCases))]
			cell.Bold = r.IntN(4) == 0
			cell.Fill = []string{"", "F6D7D2", "#cce2d8", "bad"}[r.IntN(4)]
			switch k := r.IntN(6); {
			case k < 3:
				cell.Merge = document.MergeContinue
			case k == 3:
				cell.Merge = document.MergeStart
			}
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

func TestRowSpansSameAsBefore(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		cols := 1 + r.IntN(5)
		tbl := randomTable(r, r.IntN(30), cols)
		want := rowSpansReference(tbl.Rows, cols)
		s := rowSpans{covered: make([]int, cols)}
		for i := range tbl.Rows {
			for c := range cols {
				if got := s.next(tbl.Rows, i, c); got != want[i][c] {
					t.Fatalf("row %d, column %d: span %d, want %d", i, c, got, want[i][c])
				}
			}
		}
	}
}

// A page far larger than one flush comes out the same written in pieces
// to any writer as into a bytes.Buffer sized ahead; a write error stops
// the writing and is returned.
func TestLargePage(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	d := &document.Doc{Title: "Large", Sections: []document.Section{{Blocks: []document.Block{
		document.Heading{Level: 1, Text: "Appendix"},
		randomTable(r, 5000, 6),
	}}}}
	for range 3000 {
		d.Sections[0].Blocks = append(d.Sections[0].Blocks, document.Paragraph{Label: "•", Runs: []document.Run{{Text: escCases[r.IntN(len(escCases))]}}})
	}
	var sized bytes.Buffer
	if err := Write(&sized, d); err != nil {
		t.Fatal(err)
	}
	var plain strings.Builder
	if err := Write(struct{ io.Writer }{&plain}, d); err != nil {
		t.Fatal(err)
	}
	if sized.Len() < 4*flushAt || plain.String() != sized.String() {
		t.Errorf("%d bytes written in pieces, %d into a buffer: want the same, and more than four pieces", plain.Len(), sized.Len())
	}
	w := &failingWriter{}
	if err := Write(w, d); !errors.Is(err, errFull) || w.writes != 1 {
		t.Errorf("error %v after %d writes, want %v after 1", err, w.writes, errFull)
	}
}

var errFull = errors.New("disk full")

type failingWriter struct{ writes int }

func (w *failingWriter) Write([]byte) (int, error) {
	w.writes++
	return 0, errFull
}

// The footer goes into the style sheet as a CSS string: it must stay one.
func TestFooterRule(t *testing.T) {
	got := footerRule("Panel \"A\" – 1\\2 </style><script>alert(1)</script>")
	if strings.Contains(got, "</") || strings.Contains(got, "<script") || strings.Count(got, `"`) != 4 {
		t.Errorf("footer escaped as %s: it must stay one CSS string inside the style element", got)
	}
	if !strings.Contains(got, `Panel \22 A\22  – 1\5C 2 \3C /style\3E `) {
		t.Errorf("footer rule %s", got)
	}
	if footerRule("  ") != "" {
		t.Error("an empty footer has a rule")
	}
}
