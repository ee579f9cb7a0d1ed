package pdfua

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func checkFile(t *testing.T, name string) *Report {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Check(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("Check(%s): %v", name, err)
	}
	return rep
}

// rules is the sorted set of rules a report names.
func rules(r *Report) []string {
	var out []string
	for _, p := range r.Problems {
		if !slices.Contains(out, p.Rule) {
			out = append(out, p.Rule)
		}
	}
	slices.Sort(out)
	return out
}

func listProblems(r *Report) string {
	var b strings.Builder
	for _, p := range r.Problems {
		b.WriteString("\n  " + p.String())
	}
	return b.String()
}

// Each broken fixture breaks one rule, and the checker names exactly that
// rule, on the page where it is broken.
func TestBrokenFixtures(t *testing.T) {
	tests := []struct {
		file   string
		tagged bool
		want   []string
		page   int // page of the first problem; 0 for the whole document
	}{
		{"tagged.pdf", true, nil, 0},
		{"heading-skip.pdf", true, []string{RuleHeadingSkip}, 1},
		{"table-no-th.pdf", true, []string{RuleTableNoTH}, 1},
		{"figure-no-alt.pdf", true, []string{RuleFigureNoAlt}, 1},
		{"mcid-twice.pdf", true, []string{RuleMCIDTwice}, 1},
		{"text-outside.pdf", true, []string{RuleUntaggedText}, 1},
		{"form-outside.pdf", true, []string{RuleUntaggedText}, 1},
		{"font-not-embedded.pdf", true, []string{RuleFontNotEmbedded}, 1},
		{"parenttree-wrong.pdf", true, []string{RuleParentTree}, 1},
		{"mcid-unreached.pdf", true, []string{RuleMCIDUnreached}, 1},
		{"link-no-structparent.pdf", true, []string{RuleAnnotationNoStruct}, 1},
		{"no-tabs.pdf", true, []string{RuleTabsNotS}, 1},
		{"no-lang-title-pdfuaid.pdf", true, []string{RuleNoDisplayDocTitle, RuleNoLang, RuleNoPDFUAID}, 0},
		{"not-marked.pdf", false, []string{RuleNotMarked}, 0},
		{"unmapped-role.pdf", true, []string{RuleStructTree}, 1},
		{"path-outside.pdf", true, []string{RuleUntaggedGraphics}, 1},
		{"image-outside.pdf", true, []string{RuleUntaggedImage}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			rep := checkFile(t, tt.file)
			if got := rules(rep); !slices.Equal(got, tt.want) {
				t.Fatalf("rules = %v, want %v; problems:%s", got, tt.want, listProblems(rep))
			}
			if rep.Tagged != tt.tagged {
				t.Errorf("Tagged = %v, want %v", rep.Tagged, tt.tagged)
			}
			if len(rep.Problems) > 0 && rep.Problems[0].Page != tt.page {
				t.Errorf("first problem on page %d, want %d: %v", rep.Problems[0].Page, tt.page, rep.Problems[0])
			}
			if (rep.Err() == nil) != (len(tt.want) == 0) {
				t.Errorf("Err() = %v with %d problems", rep.Err(), len(rep.Problems))
			}
		})
	}
}

// Issue 14: the checker must fail on a PDF with one untagged line of text.
func TestUntaggedLineFails(t *testing.T) {
	rep := checkFile(t, "untagged.pdf")
	if rep.Tagged {
		t.Error("Tagged = true for a file with no MarkInfo and no structure tree")
	}
	got := rules(rep)
	for _, want := range []string{RuleUntaggedText, RuleNotMarked, RuleNoStructTree, RuleFontNotEmbedded, RuleNoLang, RuleNoPDFUAID} {
		if !slices.Contains(got, want) {
			t.Errorf("rule %s not reported; problems:%s", want, listProblems(rep))
		}
	}
	err := rep.Err()
	if err == nil || !strings.Contains(err.Error(), "page 1: untagged-text: 1 text-showing operator outside marked content") {
		t.Errorf("Err() = %v", err)
	}
	var e *Error
	if !errors.As(err, &e) || len(e.Problems) != len(rep.Problems) {
		t.Errorf("Err() does not carry the problems: %#v", err)
	}
}

func TestDetails(t *testing.T) {
	tests := []struct{ file, want string }{
		{"heading-skip.pdf", "page 1: heading-skip: H3 follows H1: level 2 is skipped"},
		{"mcid-twice.pdf", "page 1: mcid-twice: MCID 2 in the page's content is reached 2 times from the structure tree"},
		{"mcid-unreached.pdf", "page 1: mcid-unreached: MCID 8 in the page's content is reached from no structure element"},
		{"parenttree-wrong.pdf", "page 1: parenttree: the ParentTree does not map MCID 2 of the page to the element holding it"},
		{"font-not-embedded.pdf", "page 1: font-not-embedded: font Helvetica is not embedded"},
		{"unmapped-role.pdf", "page 1: structtree: structure type /Paragraph is not mapped to a standard type in the RoleMap"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			rep := checkFile(t, tt.file)
			if err := rep.Err(); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Err() = %v\nwant it to contain %q", err, tt.want)
			}
		})
	}
}

func TestErrCapsTheList(t *testing.T) {
	r := &Report{}
	for i := range 50 {
		r.Problems = append(r.Problems, Problem{Page: i + 1, Rule: RuleUntaggedText, Detail: "x"})
	}
	msg := r.Err().Error()
	if n := strings.Count(msg, "\n  page "); n != maxListed {
		t.Errorf("Err lists %d problems, want %d", n, maxListed)
	}
	if !strings.HasPrefix(msg, "50 accessibility problems:") || !strings.HasSuffix(msg, "... and 30 more") {
		t.Errorf("Err() = %q", msg)
	}
	if (&Report{Tagged: true}).Err() != nil {
		t.Error("Err() != nil with no problems")
	}
}
