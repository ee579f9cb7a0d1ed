// Package pdfua checks a PDF against the mechanical rules of PDF/UA-1 that
// papers promises for its report and agenda packs (issue 14): tagged
// content, a consistent structure tree and ParentTree, headings that never
// skip a level, header cells in tables, alternative text for figures,
// embedded fonts with Unicode mappings, document language, title shown and
// the PDF/UA identifier in the metadata.
//
// It is a checker for tests and for clerks (papers accessibility), not a
// full PDF/UA validator: it checks what a program can decide, not whether
// alternative text is good or reading order is sensible.
//
// pdfcpu reads the file's objects; content streams are scanned here for
// marked content (BDC/BMC/EMC, MCIDs) and text-showing operators.
package pdfua

import (
	"fmt"
	"io"
	"strings"
)

// Rule ids, stable: tests, JSON output and docs name them.
const (
	RuleNotMarked          = "not-marked"           // MarkInfo /Marked is not true
	RuleNoStructTree       = "no-structtree"        // no StructTreeRoot
	RuleUntaggedText       = "untagged-text"        // text shown outside marked content with an MCID or an Artifact
	RuleUntaggedImage      = "untagged-image"       // an image drawn outside marked content with an MCID or an Artifact
	RuleUntaggedGraphics   = "untagged-graphics"    // a path painted (rule, border, chart) outside marked content with an MCID or an Artifact
	RuleMCIDUnreached      = "mcid-unreached"       // an MCID on a page no structure element reaches
	RuleMCIDTwice          = "mcid-twice"           // an MCID reached more than once from the tree
	RuleMCIDMissing        = "mcid-missing"         // the tree names an MCID the page's content does not have
	RuleParentTree         = "parenttree"           // ParentTree does not map an MCID back to the element holding it
	RuleHeadingSkip        = "heading-skip"         // a heading level skipped going down, or the first heading is not H1
	RuleTableNoTH          = "table-no-th"          // a Table with no TH cell
	RuleFigureNoAlt        = "figure-no-alt"        // a Figure with neither /Alt nor /ActualText
	RuleFontNotEmbedded    = "font-not-embedded"    // a font used on a page without an embedded font program
	RuleFontNoUnicode      = "font-no-unicode"      // a font used on a page without ToUnicode or a standard encoding
	RuleNoLang             = "no-lang"              // catalog /Lang missing or empty
	RuleNoDisplayDocTitle  = "no-displaydoctitle"   // ViewerPreferences /DisplayDocTitle not true
	RuleNoTitle            = "no-title"             // no document title in the XMP metadata or Info
	RuleNoPDFUAID          = "no-pdfua-id"          // XMP metadata without pdfuaid:part
	RuleTabsNotS           = "tabs-not-s"           // a page with annotations whose /Tabs is not /S
	RuleAnnotationNoStruct = "annotation-no-struct" // a Link annotation without /StructParent
	RuleStructTree         = "structtree"           // a malformed structure tree: element without /S, loop, role not mapped, MCID without a page
	RuleMarkedContent      = "marked-content"       // BDC/BMC and EMC do not balance in a content stream
	RuleUnreadable         = "unreadable"           // part of the file could not be read or exceeded a limit
)

// Report is what Check found.
type Report struct {
	// Tagged is whether the file says it is tagged: MarkInfo /Marked true
	// and a StructTreeRoot.
	Tagged   bool
	Problems []Problem
}

// Problem is one broken rule. Page is 1-based, 0 for the whole document.
type Problem struct {
	Page   int
	Rule   string
	Detail string
}

func (p Problem) String() string {
	if p.Page > 0 {
		return fmt.Sprintf("page %d: %s: %s", p.Page, p.Rule, p.Detail)
	}
	return fmt.Sprintf("%s: %s", p.Rule, p.Detail)
}

// maxListed is how many problems Err lists before saying how many more.
const maxListed = 20

// Err is nil when there are no problems, else one error listing them (at
// most maxListed, then a count of the rest).
func (r *Report) Err() error {
	if r == nil || len(r.Problems) == 0 {
		return nil
	}
	var b strings.Builder
	n := len(r.Problems)
	fmt.Fprintf(&b, "%d accessibility %s:", n, plural(n, "problem", "problems"))
	for i, p := range r.Problems {
		if i == maxListed {
			fmt.Fprintf(&b, "\n  ... and %d more", n-maxListed)
			break
		}
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return &Error{msg: b.String(), Problems: r.Problems}
}

// Error is the error Err returns; Problems holds every problem.
type Error struct {
	msg      string
	Problems []Problem
}

func (e *Error) Error() string { return e.msg }

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Check reads the PDF in r and checks it. An error means the file could
// not be read as a PDF at all; everything else is a Problem.
func Check(r io.ReadSeeker) (*Report, error) {
	return check(r)
}
