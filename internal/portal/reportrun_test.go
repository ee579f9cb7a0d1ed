package portal

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"papers/internal/pipeline"
	"papers/internal/store"
)

// A clerk's report build is the quarter use case: recorded once as a run
// (as the scheduler's are); a build that fails while writing keeps the
// previous report, offered as before, and is recorded as a failed run.
func TestReportBuildRecordedOnce(t *testing.T) {
	house := filepath.Join(t.TempDir(), "house.docx")
	if err := os.WriteFile(house, []byte("not a Word file"), 0o644); err != nil {
		t.Fatal(err)
	}
	var failDOCX atomic.Bool
	h := newHarness(t, func(c *Config) {
		c.Settings = func(asOf, meeting time.Time) (pipeline.Settings, error) {
			s, err := testSettings(asOf, meeting)
			if failDOCX.Load() {
				s.HouseTemplate = house
			}
			return s, err
		}
	})
	h.addStatement(testQuarter, sampleRows) // the quarter's accepted statement
	clerk := h.signedIn("clerk@example.gov.uk")
	runs := func() []store.Run {
		t.Helper()
		all, err := h.db.Runs(context.Background(), 100)
		if err != nil {
			t.Fatal(err)
		}
		var mine []store.Run
		for _, r := range all {
			if r.Job == reportJob {
				mine = append(mine, r)
			}
		}
		return mine
	}

	if res := clerk.post(h.qpath("/clerk", "/report"), url.Values{"meeting": {"2021-01-28"}}); res.status != http.StatusSeeOther {
		t.Fatalf("build: %d\n%s", res.status, res.body)
	}
	rs := runs()
	if len(rs) != 1 || rs[0].Status != store.RunOK || rs[0].Plan != testPlan || rs[0].Quarter != testQuarter || len(rs[0].Outputs) != 4 {
		t.Fatalf("runs after one build: %+v", rs)
	}
	// Inputs: the quarter's statement first (the report offered is the one
	// built from the statement that stands), then the one before it.
	if in := rs[0].Inputs; len(in) != 2 || in[0].Name != testQuarter+".xlsx" || in[1].Name != "2020-Q4.xlsx" {
		t.Errorf("run inputs %+v", in)
	}
	dir := filepath.Join(h.out, "2021-01-28 "+testPlan+" "+testQuarter)
	before := map[string][]byte{}
	for _, o := range rs[0].Outputs {
		b, err := os.ReadFile(o.Name)
		if err != nil || store.Digest(b) != o.SHA256 || filepath.Dir(o.Name) != dir {
			t.Fatalf("output %s: %v, or not as recorded", o.Name, err)
		}
		before[o.Name] = b
	}

	failDOCX.Store(true)
	if res := clerk.post(h.qpath("/clerk", "/report"), url.Values{"meeting": {"2021-01-28"}}); res.status != http.StatusInternalServerError {
		t.Fatalf("failing build: %d, want 500", res.status)
	}
	rs = runs()
	if len(rs) != 2 || rs[0].Status != store.RunFailed || rs[0].Error == "" || len(rs[0].Outputs) != 0 || rs[1].Status != store.RunOK {
		t.Fatalf("runs after a failed build: %+v", rs)
	}
	for name, b := range before {
		if now, err := os.ReadFile(name); err != nil || !bytes.Equal(now, b) {
			t.Errorf("%s changed by the failed build (%v)", name, err)
		}
	}
	if pdf := clerk.get(h.qpath("/clerk", "/report/pdf")); pdf.status != http.StatusOK || pdf.body != string(before[filepath.Join(dir, "action-plan-progress.pdf")]) {
		t.Errorf("the previous report is not offered after the failed build: %d", pdf.status)
	}
}
