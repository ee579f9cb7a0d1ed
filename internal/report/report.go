// Package report builds the quarterly scrutiny report as one document model
// from a comparison: the council's cover report (its fixed wording from an
// editable template, its summary, recommendations and detail written from the
// comparison) and four appendices — the position statement, the changes since
// the last statement, slippage and overdue exceptions, and the lead owners.
// Writers (PDF, DOCX, text) render the result.
package report

import (
	_ "embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"papers/internal/document"
	"papers/internal/plan"
)

//go:embed templates/cover-report.md
var defaultCover string

// CoverTemplateName is the file a council's templates folder may hold to
// change the cover report's wording.
const CoverTemplateName = "cover-report.md"

// Contact is the report's contact officer.
type Contact struct {
	Title string
	Name  string
	Tel   string
	Email string
}

// Meta is what the report says about its meeting, from configuration.
type Meta struct {
	Council         string
	Committee       string
	MeetingDate     time.Time
	DecisionMaker   string
	Subject         string
	ReportOf        string
	PlanName        string
	Contact         Contact
	Confidentiality string
	KeyDecision     string
	Wards           string
	DueSoonDays     int // the comparison's due-soon window, as the cover states it (0 is 0)
}

// Template is the cover report's wording: its source text and where it came from.
type Template struct {
	Name string // file path, or "built-in"
	Text string
}

// DefaultTemplate is the built-in cover report wording.
func DefaultTemplate() Template {
	return Template{Name: "built-in " + CoverTemplateName, Text: defaultCover}
}

// LoadTemplate reads dir/cover-report.md. When dir is empty or has no such
// file, it returns the built-in wording and found=false.
func LoadTemplate(dir string) (t Template, found bool, err error) {
	if dir == "" {
		return DefaultTemplate(), false, nil
	}
	path := filepath.Join(dir, CoverTemplateName)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return DefaultTemplate(), false, nil
	}
	if err != nil {
		return Template{}, false, fmt.Errorf("read template %s: %w", path, err)
	}
	return Template{Name: path, Text: string(b)}, true, nil
}

// Appendix titles, in order.
var appendixTitles = []string{
	"Position statement",
	"Changes since the previous statement",
	"Slippage and overdue exceptions",
	"Lead owners and roles",
}

// Build makes the report document.
func Build(c *plan.Comparison, meta Meta, tpl Template) (*document.Doc, error) {
	b, err := Start(c, meta, tpl)
	if err != nil {
		return nil, err
	}
	return b.Doc()
}

// Building is a report document being built. Its cover and four
// appendices are built side by side, and each section can be had as soon
// as it is done: the PDF lays the appendices out while the cover, which
// runs the council's wording template over every listed action and takes
// longest, is still being built.
type Building struct {
	doc      document.Doc // all but the sections
	sections []document.Section
	errs     []error
	done     []chan struct{} // closed when the section is built
	chart    document.Chart  // the cover's chart of status by recommendation
	placed   bool            // the cover's wording has a [[chart]]
}

// Start begins building the report document and returns without waiting.
func Start(c *plan.Comparison, meta Meta, tpl Template) (*Building, error) {
	if c == nil || c.Current == nil || c.Previous == nil {
		return nil, errors.New("report: comparison has no statements")
	}
	idx := newIndex(c)
	chart := statusChart(c, idx.fork())
	// Each section reads the comparison and keeps its own lookups.
	build := []func(ix *index) ([]document.Block, error){
		func(ix *index) ([]document.Block, error) { return coverBlocks(c, meta, tpl, ix, &chart) },
		func(ix *index) ([]document.Block, error) { return appendixPosition(c, ix), nil },
		func(ix *index) ([]document.Block, error) { return appendixChanges(c, ix), nil },
		func(ix *index) ([]document.Block, error) { return appendixExceptions(c, ix), nil },
		func(ix *index) ([]document.Block, error) { return appendixOwners(c, ix), nil },
	}
	orientation := []document.Orientation{document.Portrait, document.Landscape, document.Landscape, document.Landscape, document.Portrait}
	b := &Building{
		doc: document.Doc{
			Title:    meta.Subject,
			Author:   meta.ReportOf,
			Subject:  fmt.Sprintf("%s, %s", meta.DecisionMaker, longDate(meta.MeetingDate)),
			Keywords: strings.Join([]string{meta.Committee, meta.PlanName, "position statement"}, ", "),
			Language: "en-GB",
			Date:     meta.MeetingDate,
			Footer:   fmt.Sprintf("%s – %s", meta.Committee, longDate(meta.MeetingDate)),
		},
		chart:    chart,
		placed:   strings.Contains(tpl.Text, "[[chart]]"),
		sections: make([]document.Section, len(build)),
		errs:     make([]error, len(build)),
		done:     make([]chan struct{}, len(build)),
	}
	for i, f := range build {
		ix := idx.fork()
		b.done[i] = make(chan struct{})
		go func() {
			defer close(b.done[i])
			blocks, err := f(ix)
			b.sections[i], b.errs[i] = document.Section{Orientation: orientation[i], Blocks: blocks}, err
		}()
	}
	return b, nil
}

// Meta is the document without its sections: its title, date, footer and
// the like.
func (b *Building) Meta() *document.Doc {
	d := b.doc
	return &d
}

// Chart is the chart of status by recommendation that the cover shows
// where its wording says [[chart]], and whether the wording says it at all
// (it may still leave the chart out, inside an {{if}}). A writer can start
// drawing it while the cover is still being built.
func (b *Building) Chart() (document.Chart, bool) { return b.chart, b.placed }

// Sections is how many sections the document has.
func (b *Building) Sections() int { return len(b.sections) }

// Section waits for section i to be built and returns it.
func (b *Building) Section(i int) (document.Section, error) {
	<-b.done[i]
	return b.sections[i], b.errs[i]
}

// Doc waits for every section and returns the whole document.
func (b *Building) Doc() (*document.Doc, error) {
	for _, ch := range b.done {
		<-ch
	}
	if err := errors.Join(b.errs...); err != nil {
		return nil, err
	}
	d := b.Meta()
	d.Sections = b.sections
	return d, nil
}

// index holds lookups shared by the cover and the appendices.
type index struct {
	asOf     time.Time             // the report's status date
	recs     []plan.Recommendation // current recommendations, then any only in the previous statement
	recLabel map[string]string
	owners   []plan.Owner
	// ownerNames is the name the report gives each lead owner, by
	// plan.OwnerKey: the plan's Lead Owners sheet's ("Councillor Paffey"),
	// so the cover and Appendix 4 name a person alike however an action's
	// cell spells them ("Cllr Paffey").
	ownerNames map[string]string
	// The same few owners and dates recur on thousands of actions: each
	// is folded or written once.
	ownerKeys map[string]string
	dates     map[dateKey]string
}

// fork is a copy of the index for another goroutine: the lookups built
// from the comparison are shared (they are only read), the caches are its
// own.
func (ix *index) fork() *index {
	f := *ix
	f.ownerKeys = make(map[string]string, len(ix.ownerKeys))
	for k, v := range ix.ownerKeys {
		f.ownerKeys[k] = v
	}
	f.dates = map[dateKey]string{}
	return &f
}

// dateKey is what a date's Display depends on. Equal times (same instant
// and location) always display alike.
type dateKey struct {
	t time.Time
	p plan.Precision
}

func newIndex(c *plan.Comparison) *index {
	ix := &index{asOf: c.AsOf, recLabel: map[string]string{}, ownerKeys: map[string]string{}, ownerNames: map[string]string{}, dates: map[dateKey]string{}}
	add := func(s *plan.Statement) {
		if s == nil {
			return
		}
		for _, r := range s.Recommendations {
			if _, ok := ix.recLabel[r.Ref]; !ok {
				ix.recs = append(ix.recs, r)
				ix.recLabel[r.Ref] = r.Label()
			}
		}
	}
	add(c.Current)
	add(c.Previous)
	seen := map[string]bool{}
	for _, s := range []*plan.Statement{c.Current, c.Previous, c.Baseline} {
		if s == nil {
			continue
		}
		for _, o := range s.Owners {
			k := ix.ownerKey(o.Name)
			if !seen[k] {
				seen[k] = true
				ix.owners = append(ix.owners, o)
				ix.ownerNames[k] = o.Name
			}
		}
	}
	return ix
}

// ownerKey is plan.OwnerKey(name), remembered.
func (ix *index) ownerKey(name string) string {
	k, ok := ix.ownerKeys[name]
	if !ok {
		k = plan.OwnerKey(name)
		ix.ownerKeys[name] = k
	}
	return k
}

// ownerName is the name the report gives the lead owner an action's cell
// calls name: the Lead Owners sheet's name for the same person, or name.
func (ix *index) ownerName(name string) string {
	if n, ok := ix.ownerNames[ix.ownerKey(name)]; ok {
		return n
	}
	return name
}

// ownersText is an action's lead owners as the report names them, joined
// as the plan joins them: "Robert Henderson / Councillor Paffey".
func (ix *index) ownersText(a plan.Action) string {
	if len(a.Owners) == 0 {
		return a.Owner
	}
	names := make([]string, len(a.Owners))
	for i, o := range a.Owners {
		names[i] = ix.ownerName(o)
	}
	return strings.Join(names, " / ")
}

// display is d.Display(), remembered.
func (ix *index) display(d plan.TargetDate) string {
	if d.IsZero() {
		return ""
	}
	k := dateKey{d.Date, d.Precision}
	s, ok := ix.dates[k]
	if !ok {
		s = d.Display()
		ix.dates[k] = s
	}
	return s
}

// targetText is a target date as the report writes it: "no date" when
// there is none.
func (ix *index) targetText(t plan.TargetDate) string {
	if t.IsZero() {
		return "no date"
	}
	return ix.display(t)
}

func longDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2 January 2006")
}

func days(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}
