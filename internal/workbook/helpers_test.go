package workbook

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"papers/internal/plan"
)

// book builds a test workbook with excelize.
type book struct {
	tb testing.TB
	f  *excelize.File
}

// newBook returns a workbook with the named sheets, in order.
func newBook(tb testing.TB, sheets ...string) *book {
	tb.Helper()
	f := excelize.NewFile()
	tb.Cleanup(func() { f.Close() })
	for i, s := range sheets {
		var err error
		if i == 0 {
			err = f.SetSheetName("Sheet1", s)
		} else {
			_, err = f.NewSheet(s)
		}
		if err != nil {
			tb.Fatal(err)
		}
	}
	return &book{tb, f}
}

// rows writes rows from row `from` down, each from column A.
func (b *book) rows(sheet string, from int, rows ...[]any) *book {
	b.tb.Helper()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, from+i)
		if err := b.f.SetSheetRow(sheet, cell, &r); err != nil {
			b.tb.Fatal(err)
		}
	}
	return b
}

func (b *book) set(sheet, cell string, v any) *book {
	b.tb.Helper()
	if err := b.f.SetCellValue(sheet, cell, v); err != nil {
		b.tb.Fatal(err)
	}
	return b
}

func (b *book) merge(sheet, from, to string) *book {
	b.tb.Helper()
	if err := b.f.MergeCell(sheet, from, to); err != nil {
		b.tb.Fatal(err)
	}
	return b
}

func (b *book) style(sheet, cell string, st *excelize.Style) *book {
	b.tb.Helper()
	id, err := b.f.NewStyle(st)
	if err != nil {
		b.tb.Fatal(err)
	}
	if err := b.f.SetCellStyle(sheet, cell, cell, id); err != nil {
		b.tb.Fatal(err)
	}
	return b
}

func fillStyle(hex string) *excelize.Style {
	return &excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{hex}}}
}

func (b *book) bytes() []byte {
	b.tb.Helper()
	buf, err := b.f.WriteToBuffer()
	if err != nil {
		b.tb.Fatal(err)
	}
	return bytes.Clone(buf.Bytes())
}

// save writes the workbook to name in a temporary folder.
func (b *book) save(name string) string {
	b.tb.Helper()
	path := filepath.Join(b.tb.TempDir(), name)
	if err := os.WriteFile(path, b.bytes(), 0o644); err != nil {
		b.tb.Fatal(err)
	}
	return path
}

// read reads the workbook with the default options.
func (b *book) read() *plan.Statement {
	b.tb.Helper()
	s, err := Read(bytes.NewReader(b.bytes()), "test.xlsx", DefaultOptions())
	if err != nil {
		b.tb.Fatal(err)
	}
	return s
}

// hdr is the samples' header row.
var hdr = []any{"Recommendation", "Action", "Lead Owner (s)", "Start date / Completion date", "Update"}

// quirks build one workbook per quirk the reader copes with. The tests read
// them; the fuzz target starts from them.
var quirks = map[string]func(testing.TB) *book{
	"several sheets": func(tb testing.TB) *book {
		b := newBook(tb, "Instructions", "Old plan", "Plan 2021", "Notes")
		b.rows("Instructions", 1, []any{"How to fill in this workbook"}, []any{"Action: what will be done"}, []any{"Update: progress this quarter"})
		b.rows("Old plan", 1, []any{"Ref", "Action", "Lead Officer", "Start date", "Target date", "Progress", "RAG"},
			[]any{"1", "An old action", "Someone", "", "Dec 19", "Done", "G"})
		b.f.SetSheetVisible("Old plan", false)
		b.rows("Plan 2021", 1, []any{"Action", "Owner", "Deadline"}, []any{"The current action", "Jane Smith", "Mar 21"})
		b.rows("Notes", 1, []any{"Action", "Note"}, []any{"not a plan", "just notes"})
		return b
	},
	"title rows": func(tb testing.TB) *book {
		b := newBook(tb, "Plan")
		b.rows("Plan", 1, []any{"Children's Services Improvement Plan"}, []any{"Position at 31 December 2020"})
		b.merge("Plan", "A1", "E1")
		b.rows("Plan", 5, hdr,
			[]any{"Recommendation 1: Vision", "Agree the vision", "Jane Smith", "By 31st Dec 20", "Agreed"})
		return b
	},
	"repeated headers": func(tb testing.TB) *book {
		b := newBook(tb, "Action Plan")
		b.rows("Action Plan", 1, []any{"Draft Action Plan"}, nil, hdr,
			[]any{"Recommendation One: Vision", "First", "A", "By 31st Dec 20"},
			[]any{"Recommendation Two: Culture", "Second", "B", "By 31st Dec 20"},
			[]any{"", "Third", "C", "By 31st Dec 20"},
			hdr,
			[]any{"2 continued", "Fourth", "D", "By 31st Dec 20"},
			[]any{"", "Fifth", "E", "By 31st Dec 20"},
			[]any{"Recommendation, ", "Action:", "LEAD OWNER(S)", "start date / completion date", "Update"},
			[]any{"Recommendation 2 (continued)", "Sixth", "F", "By 31st Dec 20"},
			[]any{"Recommendation Three: Staff", "Seventh", "G", "By 31st Dec 20"},
		)
		return b
	},
	"merged recommendations": func(tb testing.TB) *book {
		b := newBook(tb, "Position Statement")
		b.rows("Position Statement", 1, []any{"Position Statement: October 2020"}, nil, hdr,
			[]any{"Recommendation One: Vision", "First", "Robert Henderson", "By 31st Dec 20", "u1"},
			[]any{"", "Second", "", "By 31st Dec 20", "u2"},
			[]any{"", "Third", "Sandy Hopkins", "By 31st Dec 20", "u3"},
			[]any{"Recommendation Two: Culture", "Fourth", "Mike Harris", "By 31st Dec 20", "u4"},
			[]any{"", "", "", "", ""},
			[]any{"Recommendation Three: Staff with no actions yet"},
		)
		b.merge("Position Statement", "A4", "A6").merge("Position Statement", "C4", "C5").merge("Position Statement", "A7", "A8")
		return b
	},
	"hidden helper column": func(tb testing.TB) *book {
		b := newBook(tb, "Position Statement")
		b.rows("Position Statement", 1, []any{"Plan"}, nil,
			[]any{"ID", "Recommendation", "Action", "Lead Owner (s)", "helper", "Target date", "Update", "Impact"},
			[]any{"A-1", "Recommendation 1: Vision", "First", "Jane", "x1", "Dec 20", "u1", "High"},
			[]any{"A-2", "", "Second", "Jane", "x2", "Dec 20", "u2", ""},
		)
		b.f.SetColVisible("Position Statement", "A", false)
		b.f.SetColVisible("Position Statement", "E", false)
		return b
	},
	"renamed columns": func(tb testing.TB) *book {
		b := newBook(tb, "Sheet")
		b.rows("Sheet", 1, []any{"No.", "Recommendations", "Actions", "Lead Officer", "Deadline", "Progress", "Cost", "What do we still need to do"},
			[]any{"1.1", "Recommendation 1: Vision", "Agree the vision", "Jane Smith and Cllr Brown", "Dec 20", "On track", "£5,000", "Sign-off"},
			[]any{"1.2", "", "Publish it", "Jane Smith", "Mar 21", "", "", "Everything"},
		)
		return b
	},
	"heading rows with phases": func(tb testing.TB) *book {
		b := newBook(tb, "Improvement Plan")
		b.rows("Improvement Plan", 1, []any{"Ofsted Improvement Plan 2021"}, nil,
			[]any{"Ref", "Action", "Lead Officer", "Deadline", "Progress"},
			[]any{"WITHIN THREE MONTHS"},
			[]any{"1. Develop a vision for children's services"},
			[]any{"1.1", "Draft the vision", "Jane Smith", "Dec 20", "Drafted"},
			[]any{"1.2", "Consult staff", "Jane Smith & Cllr Brown", "Jan 21"},
			[]any{"Phase 2"},
			[]any{"Recommendation 2: Strengthen supervision"},
			[]any{"a)", "Review the policy", "John Doe", "Mar 21"},
			[]any{"b)", "Train managers", "John Doe", "Apr 21"},
			[]any{"R3 Improve recruitment"},
			[]any{"3.1", "Launch a campaign", "HR", "May 21"},
		)
		b.merge("Improvement Plan", "A4", "E4").merge("Improvement Plan", "A5", "E5")
		return b
	},
	"RAG fill": func(tb testing.TB) *book {
		b := newBook(tb, "Position Statement")
		b.rows("Position Statement", 1, []any{"Action", "Lead Owner", "Target date", "RAG", "Status"},
			[]any{"red fill", "A", "Dec 20"},
			[]any{"amber fill", "A", "Dec 20"},
			[]any{"green fill", "A", "Dec 20"},
			[]any{"reddish fill", "A", "Dec 20"},
			[]any{"purple fill", "A", "Dec 20"},
			[]any{"word", "A", "Dec 20", "amber"},
			[]any{"letter", "A", "Dec 20", "g"},
			[]any{"phrase", "A", "Dec 20", "Green - on track"},
			[]any{"unknown word", "A", "Dec 20", "Fine", "On track"},
			[]any{"blue fill", "A", "Dec 20"},
		)
		sh := "Position Statement"
		b.style(sh, "D2", fillStyle("FF0000")).style(sh, "D3", fillStyle("FFC000")).style(sh, "D4", fillStyle("00B050"))
		b.style(sh, "D5", fillStyle("E06666")).style(sh, "D6", fillStyle("7030A0")).style(sh, "D11", fillStyle("0070C0"))
		return b
	},
	"dates": func(tb testing.TB) *book {
		b := newBook(tb, "Position Statement")
		sh := "Position Statement"
		b.rows(sh, 1, []any{"Position Statement"}, nil, []any{"Action", "Lead Owner", "Start date", "Target date", "Date completed"},
			[]any{"excel date", "A", nil, 44196.0},
			[]any{"custom format", "A", nil, 44196.0, 44180.0},
			[]any{"text date", "A", nil, "31/12/2020"},
			[]any{"number not formatted", "A", nil, 44196.0},
			[]any{"small number", "A", nil, nil, 5.0},
			[]any{"start and target", "A", 44075.0, "By 31st Dec 20"},
			[]any{"date and time", "A", nil, 44196.75},
		)
		b.style(sh, "D4", &excelize.Style{NumFmt: 14})
		fmtCode := "dd mmm yyyy"
		b.style(sh, "D5", &excelize.Style{CustomNumFmt: &fmtCode})
		b.style(sh, "E5", &excelize.Style{NumFmt: 15})
		b.style(sh, "C9", &excelize.Style{NumFmt: 14})
		b.style(sh, "D10", &excelize.Style{NumFmt: 22})
		return b
	},
	"schedule column date": func(tb testing.TB) *book {
		b := newBook(tb, "Position Statement")
		sh := "Position Statement"
		b.rows(sh, 1, []any{"Title"}, nil, hdr)
		for r := 4; r <= 13; r++ {
			b.rows(sh, r, []any{"", "Action row " + strconv.Itoa(r), "Jane", "By 31st Dec 20", "fine"})
		}
		b.set(sh, "A4", "Recommendation 1: Everything")
		b.set(sh, "D12", 44196.0).style(sh, "D12", &excelize.Style{NumFmt: 14})
		b.set(sh, "D14", 7.0).set(sh, "B14", "Action row 14").set(sh, "E13", "#REF!")
		return b
	},
	"rows": func(tb testing.TB) *book {
		b := newBook(tb, "Action Plan")
		sh := "Action Plan"
		b.rows(sh, 1, []any{"Plan"}, nil, hdr,
			[]any{"Recommendation 1: One", "First", "Jane", "Dec 20"},
			nil,
			[]any{"", "", "Jane", "Dec 20", "an update with no action"},
			[]any{"", "   ", " "},
			[]any{"Recommendation 2: Two, with no actions"},
			[]any{"Recommendation 3: Three", "• Bulleted\u00a0text\nover two lines by 30 th Sept", "Robert Henderson / Cllr Paffey", "By 1 st Oct 20"},
			nil,
			[]any{"Lead Owners:"},
			[]any{"Jane Smith:", "Director of Children's Services"},
			[]any{"Cllr Paffey: Cabinet Member"},
		)
		b.f.SetRowVisible(sh, 9, false)
		return b
	},
}

// mustError asserts err is a one-line *Error naming file and wrapping kind.
func mustError(t *testing.T, err error, file string, kind error) *Error {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not a *workbook.Error", err, err)
	}
	if kind != nil && !errors.Is(err, kind) {
		t.Errorf("error %q does not wrap %v", err, kind)
	}
	msg := err.Error()
	if strings.ContainsAny(msg, "\r\n") || !strings.HasPrefix(msg, file+": ") {
		t.Errorf("error %q should be one line starting with %q", msg, file+": ")
	}
	return e
}

// realWorkbooks returns the workbooks people made or papers writes: the
// samples, the bad-input corpus, the quirks, returns and a generated plan.
func realWorkbooks(t *testing.T) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	var paths []string
	for _, pattern := range []string{"../../data/*.xlsx", "../../../shared/samples/*.xlsx", "../../testdata/bad-input/*.xlsx"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, m...)
	}
	if len(paths) < 10 {
		t.Fatalf("found only %d sample workbooks: %v", len(paths), paths)
	}
	for _, path := range paths {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		out[path] = b
	}
	for name, q := range quirks {
		out["quirk "+name] = q(t).bytes()
	}
	for _, owner := range []string{"Sandy Hopkins", ""} {
		out["return "+owner] = retBytes(t, retFor(t, owner), WriteOptions{})
	}
	path := filepath.Join(t.TempDir(), "large.xlsx")
	writeLargePlan(t, path, 300)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out["generated plan"] = b
	return out
}

func sortedKeys(m map[string][]byte) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
