package workbook

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// The fast reader of rows (sheetrows.go) must give exactly what excelize's
// Rows iterator gives. These tests read the same bytes with both and
// compare: every sheet of every workbook the tests have, handmade sheets
// holding the odd cells excelize cannot write, and (FuzzSheetXML) whatever
// the fuzzer makes of them.

// rowLimits are the ways the reader reads a sheet: the header search, the
// plan sheet (and a plan with text beyond a small limit), a lead owners
// sheet.
var rowLimits = []struct {
	limit int
	all   bool
}{{headerSearchRows, false}, {10000, true}, {3, true}, {10000, false}}

// compareRows reads every sheet of workbook b with the fast reader and
// with excelize's, at every rowLimits, and fails the test where they
// differ; and likewise the sheets' metadata (compareMeta). It returns how
// many reads the fast reader made, how many it left to excelize, and for
// how many sheets planSheet would scan the metadata apart.
func compareRows(t *testing.T, name string, b []byte) (fast, slow, apart int) {
	t.Helper()
	const limit = 64 << 20
	p, err := checkPackage(b, name, limit)
	if err != nil {
		return 0, 0, 0
	}
	f, err := openExcelize(b, name, limit)
	if err != nil {
		return 0, 0, 0
	}
	defer f.Close()
	rd := &reader{f: f, pkg: p, file: name}
	for _, sheet := range f.GetSheetList() {
		for _, l := range rowLimits {
			src := rd.fastRows(sheet)
			if src == nil {
				slow++
				continue
			}
			got, err := readRows(src, l.limit, l.all) // no recover: a panic is a bug to see
			if err == errSlowPath {
				slow++
				continue
			}
			fast++
			var want rowsRead
			wantErr := safely(func() error {
				rows, err := f.Rows(sheet)
				if err != nil {
					return err
				}
				defer rows.Close()
				want, err = readRows(excelizeRows{rows}, l.limit, l.all)
				return err
			})
			if !reflect.DeepEqual(got, want) || (err == nil) != (wantErr == nil) {
				t.Errorf("%s: sheet %q, %d rows (all %v):\nfast     %#v (error %v)\nexcelize %#v (error %v)",
					name, sheet, l.limit, l.all, got, err, want, wantErr)
			}
		}
		if !compareMeta(t, name, rd, sheet) {
			apart++
		}
	}
	return fast, slow, apart
}

// compareMeta reads a sheet's metadata as planSheet does, in the pass that
// reads its rows, and as scan does, on its own, and fails the test where
// they differ. It returns whether planSheet would read it in the pass.
func compareMeta(t *testing.T, name string, rd *reader, sheet string) bool {
	t.Helper()
	if !rd.metaInPass(sheet) {
		return false
	}
	// Every column wanted, hidden or not, so every cell is compared.
	all := func(map[int]bool) func(int) bool { return func(int) bool { return true } }
	src := rd.fastRows(sheet)
	ms := newMetaScan(10000, all)
	src.s.onStart = ms.tag
	if got, err := readRows(src, 10000, true); err != nil || got.tooMany || src.s.drain() != nil || src.s.unlikeScan {
		return false // planSheet would scan the sheet on its own
	}
	parts, _ := rd.pkg.sheetParts()
	rc, err := rd.pkg.open(parts[sheet])
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	want, err := scanSheet(rc, 10000, all)
	if err != nil || !reflect.DeepEqual(ms.m, want) {
		t.Errorf("%s: sheet %q: metadata\n%+v\nscanned on its own:\n%+v (error %v)", name, sheet, ms.m, want, err)
	}
	return true
}

// readSplit reads workbook b as readWith does first, from the package
// split (pkg.split): errRestart means it would read it again whole.
func readSplit(t *testing.T, name string, b []byte) error {
	t.Helper()
	opt, err := DefaultOptions().prepare(name)
	if err != nil {
		t.Fatal(err)
	}
	p, err := checkPackage(b, name, opt.MaxUnzipSize)
	if err != nil {
		return err
	}
	thin, sheets, ok := p.split(opt.MaxUnzipSize)
	if !ok {
		return errRestart
	}
	defer releaseSheets(sheets)
	_, err = readPackage(thin, sheets, p, name, opt, false)
	return err
}

// compareRead reads workbook b as Read does, with the fast reader and with
// excelize's alone, and fails the test where the statements or errors
// differ.
func compareRead(t *testing.T, name string, b []byte, opt Options) {
	t.Helper()
	opt, err := opt.prepare(name)
	if err != nil {
		t.Fatal(err)
	}
	got, err := readWith(bytes.NewReader(b), 0, name, name, opt, false)
	want, wantErr := readWith(bytes.NewReader(b), 0, name, name, opt, true)
	if fmt.Sprint(err) != fmt.Sprint(wantErr) {
		t.Errorf("%s: error\n%v\nwith excelize's reader:\n%v", name, err, wantErr)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s: statement\n%+v\nwith excelize's reader:\n%+v", name, got, want)
	}
}

// corpusFiles returns the []byte values of a fuzz target's corpus in
// testdata/fuzz.
func corpusFiles(t *testing.T, target string) map[string][]byte {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "fuzz", target, "*"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, path := range paths {
		text, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(text)), "\n")
		for i, line := range lines[1:] {
			q, ok := strings.CutPrefix(line, "[]byte(")
			if !ok {
				continue
			}
			v, err := strconv.Unquote(strings.TrimSuffix(q, ")"))
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			out[fmt.Sprintf("%s/%s#%d", target, filepath.Base(path), i)] = []byte(v)
		}
	}
	return out
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

func TestFastRowsMatchExcelize(t *testing.T) {
	real := realWorkbooks(t)
	for _, name := range sortedKeys(real) {
		fast, slow, apart := compareRows(t, name, real[name])
		// The point of the fast reader: it must read the workbooks that
		// can be read itself, not leave them to excelize, nor read them
		// twice.
		if _, err := Read(bytes.NewReader(real[name]), name, DefaultOptions()); err == nil {
			if slow > 0 || apart > 0 {
				t.Errorf("%s: %d of %d sheet reads left to excelize; %d sheets' metadata read apart", name, slow, fast+slow, apart)
			}
			if err := readSplit(t, name, real[name]); err != nil {
				t.Errorf("%s: read from the split package: %v", name, err)
			}
		}
		compareRead(t, name, real[name], DefaultOptions())
	}
	for _, target := range []string{"FuzzRead", "FuzzReadReturn"} {
		files := corpusFiles(t, target)
		if len(files) < 50 {
			t.Fatalf("%s: %d corpus files", target, len(files))
		}
		fast, slow, restarts := 0, 0, 0
		for _, name := range sortedKeys(files) {
			f, s, _ := compareRows(t, name, files[name])
			fast, slow = fast+f, slow+s
			compareRead(t, name, files[name], DefaultOptions())
			if readSplit(t, name, files[name]) == errRestart {
				restarts++
			}
		}
		t.Logf("%s: %d corpus files, %d sheet reads by the fast reader, %d left to excelize; %d read again whole",
			target, len(files), fast, slow, restarts)
		if fast == 0 {
			t.Errorf("%s: the fast reader read none of the corpus", target)
		}
	}
}

// FuzzReadFast compares reading whole workbooks as Read does (split, with
// the fast reader) and with excelize's reader of rows alone, on damaged and
// odd packages.
func FuzzReadFast(f *testing.F) {
	addWorkbookSeeds(f)
	for _, tc := range oddSheets {
		f.Add(rawBook(f, "", tc.sst, tc.sheet))
	}
	opt := DefaultOptions()
	opt.MaxUnzipSize = 8 << 20
	opt.MaxRows = 500
	f.Fuzz(func(t *testing.T, data []byte) {
		compareRead(t, "fuzz.xlsx", data, opt)
	})
}
