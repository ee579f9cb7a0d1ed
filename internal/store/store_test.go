package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"papers/internal/plan"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden files")

// openTest opens a fresh database in a temporary folder and closes it when
// the test ends.
func openTest(t testing.TB) *DB {
	t.Helper()
	db, err := Open(context.Background(), testDatabase(t, filepath.Join("data", "papers.db")))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

var t0 = time.Date(2020, 10, 31, 9, 30, 15, 123456789, time.UTC)

// sample is a statement of n actions with every kind of date; seed makes
// the text (and so the bytes) of one sample differ from another's.
func sample(n int, seed string) *plan.Statement {
	s := &plan.Statement{
		File:    seed + " position statement.xlsx",
		Sheet:   "Position Statement",
		Title:   "Learning Report Action Plan",
		Columns: []string{"Ref", "Action", "Lead Owner (s)", "Completion date", "Update"},
		Recommendations: []plan.Recommendation{
			{Ref: "1", Title: "Recommendation One", Text: "Strengthen whistleblowing <arrangements> & culture", Cell: "A5"},
			{Ref: "2", Title: "Recommendation Two", Text: "Promote an inclusive culture", Phase: "Phase 1"},
		},
		Owners: []plan.Owner{{Name: "Robert Henderson", Role: "Executive Director"}, {Name: "Cllr Paffey", Role: "Cabinet Member"}},
	}
	dates := []plan.TargetDate{
		{},
		{Date: plan.Day(2021, time.March, 31), Precision: plan.PrecisionFinancialYear, Text: "Build into 20/21 business planning cycle"},
		{Date: plan.Day(2020, time.December, 31), Precision: plan.PrecisionMonth, Text: "Dec 20"},
		{Date: plan.Day(2020, time.November, 30), Precision: plan.PrecisionDay, Text: "30th Nov 20"},
	}
	for i := range n {
		rec := fmt.Sprint(i%2 + 1)
		d := dates[i%len(dates)]
		a := plan.Action{
			Ref:            fmt.Sprintf("%s.%d", rec, i/2+1),
			Recommendation: rec,
			Text:           fmt.Sprintf("Action %d (%s): review the policy and report back", i, seed),
			RawText:        fmt.Sprintf("• Action %d (%s): review the policy\nand report back", i, seed),
			Owner:          "Robert Henderson / Cllr Paffey",
			Owners:         []string{"Robert Henderson", "Cllr Paffey"},
			Schedule:       plan.Schedule{Start: dates[(i+1)%len(dates)], Target: d, Text: d.Text},
			Update:         "Policy drafted; consultation under way — “quotes” and ünïcode kept",
			Cell:           fmt.Sprintf("B%d", 7+i),
			Row:            7 + i,
		}
		if i%5 == 0 {
			a.Completed = plan.TargetDate{Date: plan.Day(2020, time.October, 1+i%28), Precision: plan.PrecisionDay, Text: "01/10/2020"}
			a.RAG = plan.RAGBlue
			a.Status = "Complete"
			a.Extra = []plan.Field{{Name: "Impact", Value: "High"}}
		}
		if i%7 == 3 {
			a.RefGiven = true
			a.Schedule.Warning = "cannot read date"
		}
		s.Actions = append(s.Actions, a)
	}
	s.Problems = []plan.Problem{{Cell: "D14", Severity: plan.SeverityWarning, Message: "cannot read date \"By 32nd Dec 20\""}}
	return s
}

// input is a statement input whose bytes are determined by content.
func input(planName, quarter string, kind Kind, content string) StatementInput {
	return StatementInput{
		Plan: planName, Quarter: quarter, Kind: kind,
		FileName:    content + ".xlsx",
		Bytes:       []byte("PK\x03\x04 " + content),
		SubmittedBy: "clerk@example.gov.uk",
		SubmittedAt: t0,
		Statement:   sample(3, content),
	}
}

func TestOpenMigrates(t *testing.T) { backends(t, testOpenMigrates) }

func testOpenMigrates(t *testing.T) {
	ctx := context.Background()
	// A path that needs escaping in a URI, in folders that do not exist yet.
	path := filepath.Join(t.TempDir(), "a b", "c#d?e%20", "history.db")
	pg := testDialect(t) == postgresDialect
	if pg {
		path = testDatabase(t, "")
	}
	want := len(mustMigrations(t))
	for i := range 3 { // fresh, then reopened twice
		db, err := Open(ctx, path)
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		v, err := db.SchemaVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var rows int
		if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&rows); err != nil {
			t.Fatal(err)
		}
		if v != want || rows != want {
			t.Errorf("open %d: schema version %d with %d rows, want %d", i, v, rows, want)
		}
		if pg {
			if db.dialect != postgresDialect {
				t.Fatalf("open %d: %s opened as %v", i, path, db.dialect)
			}
			// The read pool cannot write; the write pool can.
			for _, c := range []struct {
				name string
				pool *pool
				want string
			}{{"write", db.write, "off"}, {"read", db.read, "on"}} {
				var got string
				if err := c.pool.QueryRowContext(ctx, "SHOW default_transaction_read_only").Scan(&got); err != nil || got != c.want {
					t.Errorf("%s connection: default_transaction_read_only = %q (%v), want %s", c.name, got, err, c.want)
				}
			}
			if _, err := db.read.ExecContext(ctx, `DELETE FROM sessions`); err == nil || !strings.Contains(err.Error(), "read-only") {
				t.Errorf("a write through the read pool: %v, want refused as read-only", err)
			}
		}
		for _, c := range []struct {
			name string
			pool *sql.DB
			want map[string]string
		}{
			{"write", db.write.DB, map[string]string{"journal_mode": "wal", "foreign_keys": "1", "busy_timeout": "5000", "recursive_triggers": "1", "query_only": "0"}},
			{"read", db.read.DB, map[string]string{"journal_mode": "wal", "foreign_keys": "1", "busy_timeout": "5000", "recursive_triggers": "1", "query_only": "1"}},
		} {
			if pg {
				break // PRAGMAs are SQLite's
			}
			for pragma, want := range c.want {
				var got string
				if err := c.pool.QueryRowContext(ctx, "PRAGMA "+pragma).Scan(&got); err != nil {
					t.Fatal(err)
				}
				if got != want {
					t.Errorf("%s connection: PRAGMA %s = %s, want %s", c.name, pragma, got, want)
				}
			}
		}
		if _, err := db.AddStatement(ctx, input("Plan", fmt.Sprintf("2020-Q%d", i+1), KindStatement, "x")); err != nil {
			t.Fatal(err)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(path); err != nil && !pg {
		t.Errorf("database file not where asked: %v", err)
	}
}

func mustMigrations(t *testing.T) []migration {
	t.Helper()
	ms, err := migrations(testDialect(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) == 0 {
		t.Fatal("no migrations embedded")
	}
	return ms
}

func TestOpenRefuses(t *testing.T) { backends(t, testOpenRefuses) }

func testOpenRefuses(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		setup func(t *testing.T, path string)
		want  error
	}{
		{"newer schema", func(t *testing.T, path string) {
			db, err := Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.write.ExecContext(ctx, `INSERT INTO schema_migrations (version, name) VALUES (999, 'future')`); err != nil {
				t.Fatal(err)
			}
			db.Close()
		}, ErrTooNew},
		{"no path", nil, ErrInvalid},
		{"not a database", func(t *testing.T, path string) {
			if err := os.WriteFile(path, []byte(strings.Repeat("not sqlite ", 100)), 0o600); err != nil {
				t.Fatal(err)
			}
		}, nil},
		{"no such PostgreSQL database", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pg := testDialect(t) == postgresDialect
			path := ""
			switch {
			case pg && tt.name == "not a database":
				t.Skip("a PostgreSQL database cannot be a file of something else")
			case tt.name == "no such PostgreSQL database":
				if !pg {
					t.Skip("for PostgreSQL")
				}
				u, err := url.Parse(testDatabase(t, ""))
				if err != nil {
					t.Fatal(err)
				}
				u.Path = "/papers_no_such_database"
				path = u.String()
			case tt.setup != nil:
				path = testDatabase(t, "papers.db")
				tt.setup(t, path)
			}
			db, err := Open(ctx, path)
			if err == nil {
				db.Close()
				t.Fatal("Open succeeded")
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("error %v, want %v", err, tt.want)
			}
			name := path
			if pg {
				// The URL, without its password.
				name = redactURL(path)
				if u, _ := url.Parse(path); u != nil {
					if pw, ok := u.User.Password(); ok && strings.Contains(err.Error(), pw) {
						t.Errorf("error %q shows the password", err)
					}
				}
			}
			if path != "" && !strings.Contains(err.Error(), name) {
				t.Errorf("error %q does not name the database", err)
			}
		})
	}
}

func TestAddStatementVersions(t *testing.T) { backends(t, testAddStatementVersions) }

func testAddStatementVersions(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	steps := []struct {
		name        string
		in          StatementInput
		wantVersion int
		wantDup     bool
	}{
		{"first", input("Plan A", "2020-Q3", KindStatement, "one"), 1, false},
		{"new bytes", input("Plan A", "2020-Q3", KindStatement, "two"), 2, false},
		{"same bytes again", input("Plan A", "2020-Q3", KindStatement, "two"), 2, true},
		{"plan name in other case", input("PLAN A", "2020-Q3", KindStatement, "two"), 2, true},
		{"back to earlier bytes", input("Plan A", "2020-Q3", KindStatement, "one"), 3, false},
		{"same bytes, other quarter", input("Plan A", "2020-Q4", KindStatement, "one"), 1, false},
		{"same bytes, other kind", input("Plan A", "2020-Q3", KindBaseline, "one"), 1, false},
		{"same bytes, other plan", input("Plan B", "2020-Q3", KindStatement, "one"), 1, false},
	}
	for _, st := range steps {
		rec, err := db.AddStatement(ctx, st.in)
		if st.wantDup != errors.Is(err, ErrDuplicate) || (err != nil && !st.wantDup) {
			t.Fatalf("%s: error %v, want duplicate %v", st.name, err, st.wantDup)
		}
		if rec.Version != st.wantVersion {
			t.Errorf("%s: version %d, want %d", st.name, rec.Version, st.wantVersion)
		}
		if want := Digest(st.in.Bytes); rec.SHA256 != want {
			t.Errorf("%s: sha-256 %s, want %s", st.name, rec.SHA256, want)
		}
		if rec.Size != int64(len(st.in.Bytes)) || rec.ID == 0 || rec.Actions != 3 {
			t.Errorf("%s: record %+v", st.name, rec)
		}
	}
	// A known digest, so Digest is not only checked against itself.
	if got, want := Digest([]byte("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"; got != want {
		t.Errorf("Digest(abc) = %s, want %s", got, want)
	}
	// Identical bytes are stored once.
	var blobs int
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM blobs`).Scan(&blobs); err != nil {
		t.Fatal(err)
	}
	if blobs != 2 {
		t.Errorf("%d blobs stored, want 2", blobs)
	}
	plans, err := db.Plans(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := []Plan{{1, "Plan A"}, {2, "Plan B"}}; !reflect.DeepEqual(plans, want) {
		t.Errorf("plans %+v, want %+v", plans, want)
	}
}

func TestLatestAndHistory(t *testing.T) { backends(t, testLatestAndHistory) }

func testLatestAndHistory(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	for _, in := range []StatementInput{
		input("Plan", "2020-Q2", KindBaseline, "baseline"),
		input("Plan", "2020-Q3", KindStatement, "q3 v1"),
		input("Plan", "2020-Q3", KindStatement, "q3 v2"),
		input("Plan", "2021-Q1", KindStatement, "q1 v1"),
		input("Plan", "2020-Q4", KindStatement, "q4 v1"),
		input("Plan", "2020-Q4", KindBaseline, "rebaselined"),
		input("Plan", "2020-Q4", KindStatement, "q4 v2"),
		input("Other", "2021-Q2", KindStatement, "other"),
	} {
		if _, err := db.AddStatement(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name       string
		plan       string
		kind       Kind
		before     string
		want       string // the statement's File seed, "" for ErrNotFound
		wantErr    error
		wantQuater string
	}{
		{"latest of all", "Plan", KindStatement, "", "q1 v1", nil, "2021-Q1"},
		{"previous to 2021-Q1", "Plan", KindStatement, "2021-Q1", "q4 v2", nil, "2020-Q4"},
		{"previous to a quarter not stored", "Plan", KindStatement, "2020-Q4", "q3 v2", nil, "2020-Q3"},
		{"previous across a year", "Plan", KindStatement, "2021-Q2", "q1 v1", nil, "2021-Q1"},
		{"nothing before", "Plan", KindStatement, "2020-Q3", "", ErrNotFound, ""},
		{"baseline, latest", "Plan", KindBaseline, "", "rebaselined", nil, "2020-Q4"},
		{"baseline before", "Plan", KindBaseline, "2020-Q4", "baseline", nil, "2020-Q2"},
		{"plan name in other case", "plan", KindStatement, "", "q1 v1", nil, "2021-Q1"},
		{"unknown plan", "Nope", KindStatement, "", "", ErrNotFound, ""},
		{"bad before", "Plan", KindStatement, "2020-10", "", ErrInvalid, ""},
		{"bad kind", "Plan", "draft", "", "", ErrInvalid, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, s, err := db.Latest(ctx, tt.plan, tt.kind, tt.before)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("error %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if want := tt.want + " position statement.xlsx"; s.File != want || rec.Quarter != tt.wantQuater {
				t.Errorf("got %s of %s, want %s of %s", s.File, rec.Quarter, want, tt.wantQuater)
			}
		})
	}

	hist, err := db.History(ctx, "Plan")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range hist {
		got = append(got, fmt.Sprintf("%s %s v%d %s", r.Quarter, r.Kind, r.Version, r.FileName))
	}
	want := []string{
		"2020-Q2 baseline v1 baseline.xlsx",
		"2020-Q3 statement v1 q3 v1.xlsx",
		"2020-Q3 statement v2 q3 v2.xlsx",
		"2020-Q4 baseline v1 rebaselined.xlsx",
		"2020-Q4 statement v1 q4 v1.xlsx",
		"2020-Q4 statement v2 q4 v2.xlsx",
		"2021-Q1 statement v1 q1 v1.xlsx",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("history\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if _, err := db.History(ctx, "Nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("history of unknown plan: error %v, want ErrNotFound", err)
	}
}

func TestStatementRoundTrip(t *testing.T) { backends(t, testStatementRoundTrip) }

func testStatementRoundTrip(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	in := input("Plan", "2020-Q4", KindStatement, "round trip")
	in.Statement = sample(12, "round trip")
	in.SubmittedAt = time.Date(2020, 11, 1, 10, 0, 0, 5, time.FixedZone("BST", 3600))
	added, err := db.AddStatement(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	rec, s, b, err := db.Statement(ctx, added.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(s, in.Statement) {
		t.Errorf("statement did not round-trip:\n got %+v\nwant %+v", s, in.Statement)
	}
	if string(b) != string(in.Bytes) {
		t.Errorf("bytes did not round-trip")
	}
	if !rec.SubmittedAt.Equal(in.SubmittedAt) || rec.SubmittedAt.Location() != time.UTC {
		t.Errorf("submitted at %v, want %v in UTC", rec.SubmittedAt, in.SubmittedAt)
	}
	if !reflect.DeepEqual(rec, added) {
		t.Errorf("stored record %+v, AddStatement returned %+v", rec, added)
	}
	_, latest, err := db.Latest(ctx, "Plan", KindStatement, "")
	if err != nil || !reflect.DeepEqual(latest, in.Statement) {
		t.Errorf("Latest did not round-trip (error %v)", err)
	}
	if _, _, _, err := db.Statement(ctx, 9999); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing statement: error %v, want ErrNotFound", err)
	}

	// The query rows agree with the statement.
	concat := "group_concat(name, '|')"
	if db.dialect == postgresDialect {
		concat = "string_agg(name, '|')"
	}
	rows, err := db.read.QueryContext(ctx, `SELECT a.ref, COALESCE(a.target_date, ''), a.target_precision,
		COALESCE(a.completed_date, ''), (SELECT `+concat+` FROM
			(SELECT name FROM statement_action_owners o WHERE o.statement_id = a.statement_id AND o.seq = a.seq ORDER BY name) AS n)
		FROM statement_actions a WHERE a.statement_id = ? ORDER BY a.seq`, added.ID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	i := 0
	for ; rows.Next(); i++ {
		var ref, target, precision, completed, owners string
		if err := rows.Scan(&ref, &target, &precision, &completed, &owners); err != nil {
			t.Fatal(err)
		}
		a := in.Statement.Actions[i]
		if ref != a.Ref || target != a.Target().ISO() || precision != a.Target().Precision.String() ||
			completed != a.Completed.ISO() || owners != "Cllr Paffey|Robert Henderson" {
			t.Errorf("action row %d: %s %s %s %s %s; action %s %s %s %s", i, ref, target, precision, completed, owners,
				a.Ref, a.Target().ISO(), a.Target().Precision, a.Completed.ISO())
		}
	}
	if i != len(in.Statement.Actions) {
		t.Errorf("%d action rows, want %d", i, len(in.Statement.Actions))
	}
}

// TestParsedEncoding pins the JSON stored for a statement. Stored statements
// outlive the program: if plan's json tags change, this fails, and old rows
// need a new parsedFormat and a migration rather than a silent misreading.
func TestParsedEncoding(t *testing.T) { backends(t, testParsedEncoding) }

func testParsedEncoding(t *testing.T) {
	got, err := json.MarshalIndent(sample(4, "golden"), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "statement.golden.json")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(want) != string(got)+"\n" {
		t.Errorf("stored statement encoding changed; see the comment on TestParsedEncoding\n got %s", got)
	}
	var back plan.Statement
	if err := json.Unmarshal(want, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&back, sample(4, "golden")) {
		t.Errorf("golden file does not decode to the sample")
	}
}

func TestImmutable(t *testing.T) { backends(t, testImmutable) }

func testImmutable(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	rec, err := db.AddStatement(ctx, input("Plan", "2020-Q3", KindStatement, "accepted"))
	if err != nil {
		t.Fatal(err)
	}
	ret, err := db.AddReturn(ctx, ReturnInput{Plan: "Plan", Quarter: "2020-Q4", Owner: "Robert Henderson", FileName: "r.xlsx",
		Bytes: []byte("return"), SubmittedBy: "rh@example.gov.uk", SubmittedAt: t0, Statement: sample(1, "r")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Audit(ctx, Event{At: t0, Actor: "clerk@example.gov.uk", Action: "statement.accept", SHA256: rec.SHA256}); err != nil {
		t.Fatal(err)
	}
	run, err := db.StartRun(ctx, RunStart{Job: "quarterly-report", StartedAt: t0})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.FinishRun(ctx, run.ID, RunResult{FinishedAt: t0.Add(time.Minute), Status: RunOK}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, sql, want string
	}{
		{"update statement", `UPDATE statements SET file_name = 'x'`, "statements are immutable"},
		{"update statement's parsed JSON", `UPDATE statements SET parsed = '{}' WHERE id = ` + fmt.Sprint(rec.ID), "statements are immutable"},
		{"delete statement", `DELETE FROM statements`, "statements are immutable"},
		{"replace statement", `INSERT OR REPLACE INTO statements SELECT * FROM statements`, "statements are immutable"},
		{"update action", `UPDATE statement_actions SET target_date = '2030-01-01'`, "statement actions are immutable"},
		{"delete action", `DELETE FROM statement_actions`, "statement actions are immutable"},
		{"update action owner", `UPDATE statement_action_owners SET name = 'x'`, "statement actions are immutable"},
		{"delete action owner", `DELETE FROM statement_action_owners`, "statement actions are immutable"},
		{"update bytes", `UPDATE blobs SET bytes = x'00', size = 1`, "blobs are immutable"},
		{"delete bytes", `DELETE FROM blobs`, "blobs are immutable"},
		{"update return", `UPDATE returns SET owner = 'x' WHERE id = ` + fmt.Sprint(ret.ID), "returns are immutable"},
		{"delete return", `DELETE FROM returns`, "returns are immutable"},
		{"update audit", `UPDATE audit_log SET actor = 'someone else'`, "append-only"},
		{"delete audit", `DELETE FROM audit_log`, "append-only"},
		{"update finished run", `UPDATE runs SET status = 'failed'`, "finished run is immutable"},
		{"delete run", `DELETE FROM runs`, "runs are immutable"},
		{"delete plan with statements", `DELETE FROM plans`, "FOREIGN KEY"},
	}
	if db.dialect == postgresDialect {
		for i := range tests {
			tests[i].sql = strings.NewReplacer(
				"INSERT OR REPLACE INTO statements SELECT * FROM statements",
				"INSERT INTO statements SELECT * FROM statements ON CONFLICT (id) DO UPDATE SET file_name = EXCLUDED.file_name",
				"x'00'", `'\x00'::bytea`).Replace(tests[i].sql)
			tests[i].want = strings.Replace(tests[i].want, "FOREIGN KEY", "violates foreign key constraint", 1)
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := db.write.ExecContext(ctx, tt.sql)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
	got, _, b, err := db.Statement(ctx, rec.ID)
	if err != nil || !reflect.DeepEqual(got, rec) || Digest(b) != rec.SHA256 {
		t.Errorf("statement changed: %+v, error %v", got, err)
	}
}

func TestConcurrentWrites(t *testing.T) { backends(t, testConcurrentWrites) }

func testConcurrentWrites(t *testing.T) {
	ctx := context.Background()
	path := testDatabase(t, "papers.db")
	// Two handles on one file, as two processes would have; the second opens
	// while the first may still be migrating.
	handles := make([]*DB, 2)
	var wg sync.WaitGroup
	for i := range handles {
		wg.Go(func() {
			db, err := Open(ctx, path)
			if err != nil {
				t.Error(err)
				return
			}
			handles[i] = db
		})
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	defer handles[0].Close()
	defer handles[1].Close()

	const workers = 20
	errs := make(chan error, 4*workers)
	var dups sync.Map
	for w := range workers {
		db := handles[w%2]
		wg.Go(func() {
			// A distinct statement, a distinct return, the same statement as
			// every other worker, and an audit event.
			in := input("Plan", "2020-Q3", KindStatement, fmt.Sprintf("worker %d", w))
			in.Statement = sample(200, fmt.Sprint(w))
			if _, err := db.AddStatement(ctx, in); err != nil {
				errs <- err
			}
			_, err := db.AddReturn(ctx, ReturnInput{Plan: "Plan", Quarter: "2020-Q3", Owner: fmt.Sprintf("Owner %d", w%4),
				FileName: "r.xlsx", Bytes: fmt.Appendf(nil, "return %d", w), SubmittedBy: "o@example.gov.uk",
				SubmittedAt: t0, Statement: sample(5, "r")})
			if err != nil {
				errs <- err
			}
			rec, err := db.AddStatement(ctx, input("Plan", "2020-Q4", KindStatement, "everyone's"))
			switch {
			case errors.Is(err, ErrDuplicate):
				dups.Store(w, rec.ID)
			case err != nil:
				errs <- err
			}
			if _, err := db.Audit(ctx, Event{At: t0, Actor: fmt.Sprint(w), Action: "test"}); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err) // "database is locked" would show here
	}

	db := handles[1]
	hist, err := db.History(ctx, "Plan")
	if err != nil {
		t.Fatal(err)
	}
	var q3, q4 []StatementRecord
	for _, r := range hist {
		if r.Quarter == "2020-Q3" {
			q3 = append(q3, r)
		} else {
			q4 = append(q4, r)
		}
	}
	if len(q3) != workers {
		t.Errorf("%d statements for 2020-Q3, want %d", len(q3), workers)
	}
	files := map[string]bool{}
	for i, r := range q3 {
		if r.Version != i+1 {
			t.Errorf("version %d at position %d: versions must be 1..%d without gaps", r.Version, i, workers)
		}
		files[r.FileName] = true
	}
	if len(files) != workers {
		t.Errorf("%d distinct statements stored, want %d", len(files), workers)
	}
	ndups := 0
	dups.Range(func(_, id any) bool {
		ndups++
		if len(q4) == 1 && id.(int64) != q4[0].ID {
			t.Errorf("duplicate reported as statement %d, want %d", id, q4[0].ID)
		}
		return true
	})
	if len(q4) != 1 || ndups != workers-1 {
		t.Errorf("same upload from %d workers: %d stored, %d duplicates; want 1 and %d", workers, len(q4), ndups, workers-1)
	}
	returns, err := db.ReturnsFor(ctx, "Plan", "2020-Q3")
	if err != nil {
		t.Fatal(err)
	}
	versions := map[string]int{}
	for _, r := range returns {
		versions[r.Owner]++
		if r.Version != versions[r.Owner] {
			t.Errorf("return of %s: version %d, want %d", r.Owner, r.Version, versions[r.Owner])
		}
	}
	if len(returns) != workers || len(versions) != 4 {
		t.Errorf("%d returns from %d owners, want %d from 4", len(returns), len(versions), workers)
	}
	events, err := db.AuditLog(ctx, 0, 100)
	if err != nil || len(events) != workers {
		t.Errorf("%d audit events (error %v), want %d", len(events), err, workers)
	}
	var actions int
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM statement_actions`).Scan(&actions); err != nil {
		t.Fatal(err)
	}
	if want := workers*200 + 3; actions != want {
		t.Errorf("%d action rows, want %d", actions, want)
	}
}

// TestTwoProcesses runs this test binary twice at once as child processes,
// each adding statements to one new file from ten goroutines.
func TestTwoProcesses(t *testing.T) { backends(t, testTwoProcesses) }

func testTwoProcesses(t *testing.T) {
	if path := os.Getenv("STORE_TEST_CHILD_DB"); path != "" {
		childWrites(t, path, os.Getenv("STORE_TEST_CHILD_ID"))
		return
	}
	if testing.Short() {
		t.Skip("starts child processes")
	}
	path := testDatabase(t, "papers.db")
	var cmds []*exec.Cmd
	for _, id := range []string{"a", "b"} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestTwoProcesses$/^"+strings.Split(t.Name(), "/")[1]+"$", "-test.count=1")
		cmd.Env = append(os.Environ(), "STORE_TEST_CHILD_DB="+path, "STORE_TEST_CHILD_ID="+id)
		var out strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if t.Failed() {
				t.Logf("child %s:\n%s", id, out.String())
			}
		})
		cmds = append(cmds, cmd)
	}
	for _, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Errorf("child process: %v", err)
		}
	}
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	hist, err := db.History(context.Background(), "Plan")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for i, r := range hist {
		if r.Version != i+1 || seen[r.FileName] {
			t.Errorf("version %d of %s at position %d", r.Version, r.FileName, i)
		}
		seen[r.FileName] = true
	}
	if len(hist) != 20 {
		t.Errorf("%d statements stored by two processes, want 20", len(hist))
	}
}

func childWrites(t *testing.T, path, id string) {
	ctx := context.Background()
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var wg sync.WaitGroup
	for w := range 10 {
		wg.Go(func() {
			in := input("Plan", "2020-Q3", KindStatement, fmt.Sprintf("process %s worker %d", id, w))
			in.Statement = sample(200, in.FileName)
			if _, err := db.AddStatement(ctx, in); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
}

func TestReturns(t *testing.T) { backends(t, testReturns) }

func testReturns(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	ret := func(owner, content string) ReturnInput {
		return ReturnInput{Plan: "Plan", Quarter: "2020-Q4", Owner: owner, FileName: content + ".xlsx",
			Bytes: []byte(content), SubmittedBy: "officer@example.gov.uk", SubmittedAt: t0, Statement: sample(2, content)}
	}
	steps := []struct {
		in          ReturnInput
		wantVersion int
		wantDup     bool
	}{
		{ret("Robert Henderson", "rh 1"), 1, false},
		{ret("Cllr Paffey", "cp 1"), 1, false},
		{ret("robert henderson ", "rh 1"), 1, true},
		{ret("Robert Henderson", "rh 2"), 2, false},
	}
	for i, st := range steps {
		rec, err := db.AddReturn(ctx, st.in)
		if st.wantDup != errors.Is(err, ErrDuplicate) || (err != nil && !st.wantDup) {
			t.Fatalf("step %d: error %v, want duplicate %v", i, err, st.wantDup)
		}
		if rec.Version != st.wantVersion || rec.SHA256 != Digest(st.in.Bytes) {
			t.Errorf("step %d: version %d sha %s, want %d %s", i, rec.Version, rec.SHA256, st.wantVersion, Digest(st.in.Bytes))
		}
	}
	recs, err := db.ReturnsFor(ctx, "Plan", "2020-Q4")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range recs {
		got = append(got, fmt.Sprintf("%s v%d %s", r.Owner, r.Version, r.FileName))
	}
	want := []string{"Cllr Paffey v1 cp 1.xlsx", "Robert Henderson v1 rh 1.xlsx", "Robert Henderson v2 rh 2.xlsx"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("returns %q, want %q", got, want)
	}
	rec, s, b, err := db.Return(ctx, recs[2].ID)
	if err != nil || rec != recs[2] || string(b) != "rh 2" || !reflect.DeepEqual(s, sample(2, "rh 2")) {
		t.Errorf("Return(%d) = %+v, %q, %v", recs[2].ID, rec, b, err)
	}
	if recs, err := db.ReturnsFor(ctx, "Plan", "2021-Q1"); err != nil || len(recs) != 0 {
		t.Errorf("returns for an empty quarter: %v, %v", recs, err)
	}
}

func TestInvalidInput(t *testing.T) { backends(t, testInvalidInput) }

func testInvalidInput(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	good := input("Plan", "2020-Q3", KindStatement, "good")
	tests := []struct {
		name   string
		change func(in *StatementInput)
	}{
		{"month, not quarter", func(in *StatementInput) { in.Quarter = "2020-10" }},
		{"quarter 5", func(in *StatementInput) { in.Quarter = "2020-Q5" }},
		{"no quarter", func(in *StatementInput) { in.Quarter = "" }},
		{"lower-case q", func(in *StatementInput) { in.Quarter = "2020-q3" }},
		{"no plan", func(in *StatementInput) { in.Plan = " " }},
		{"no kind", func(in *StatementInput) { in.Kind = "" }},
		{"no bytes", func(in *StatementInput) { in.Bytes = nil }},
		{"no file name", func(in *StatementInput) { in.FileName = "" }},
		{"no submitter", func(in *StatementInput) { in.SubmittedBy = "" }},
		{"no time", func(in *StatementInput) { in.SubmittedAt = time.Time{} }},
		{"no statement", func(in *StatementInput) { in.Statement = nil }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := good
			tt.change(&in)
			if _, err := db.AddStatement(ctx, in); !errors.Is(err, ErrInvalid) {
				t.Errorf("error %v, want ErrInvalid", err)
			}
		})
	}
	if _, err := db.AddStatement(ctx, good); err != nil {
		t.Errorf("good input: %v", err)
	}
}

func TestUsersAndOwners(t *testing.T) { backends(t, testUsersAndOwners) }

func testUsersAndOwners(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	u, err := db.AddUser(ctx, User{Name: "Robert Henderson", Email: "Robert.Henderson@example.gov.uk", Role: RoleOfficer,
		PasswordHash: "$argon2id$v=19$...", CreatedAt: t0})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		user User
		want error
	}{
		{"email taken, other case", User{Name: "X", Email: "robert.henderson@EXAMPLE.gov.uk", Role: RoleClerk, PasswordHash: "h", CreatedAt: t0}, ErrDuplicate},
		{"bad role", User{Name: "X", Email: "x@example.gov.uk", Role: "admin", PasswordHash: "h", CreatedAt: t0}, ErrInvalid},
		{"no hash", User{Name: "X", Email: "x@example.gov.uk", Role: RoleClerk, CreatedAt: t0}, ErrInvalid},
		{"no email", User{Name: "X", Role: RoleClerk, PasswordHash: "h", CreatedAt: t0}, ErrInvalid},
		{"ok", User{Name: "Clerk", Email: "clerk@example.gov.uk", Role: RoleClerk, PasswordHash: "h", CreatedAt: t0}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := db.AddUser(ctx, tt.user); !errors.Is(err, tt.want) {
				t.Errorf("error %v, want %v", err, tt.want)
			}
		})
	}
	for _, get := range []func() (User, error){
		func() (User, error) { return db.UserByEmail(ctx, "ROBERT.henderson@example.gov.uk") },
		func() (User, error) { return db.UserByID(ctx, u.ID) },
	} {
		got, err := get()
		if err != nil || got != u {
			t.Errorf("got %+v, %v; want %+v", got, err, u)
		}
	}
	if _, err := db.UserByEmail(ctx, "nobody@example.gov.uk"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown email: error %v, want ErrNotFound", err)
	}

	for _, step := range []struct {
		set  []string
		want []string
	}{
		{[]string{"Robert Henderson", "Cllr Paffey", "robert henderson", " "}, []string{"Cllr Paffey", "Robert Henderson"}},
		{[]string{"Sandy Hopkins"}, []string{"Sandy Hopkins"}},
		{nil, nil},
	} {
		if err := db.SetOwners(ctx, u.ID, step.set); err != nil {
			t.Fatal(err)
		}
		got, err := db.OwnersOf(ctx, u.ID)
		if err != nil || !reflect.DeepEqual(got, step.want) {
			t.Errorf("after SetOwners(%q): %q, %v; want %q", step.set, got, err, step.want)
		}
	}
	if err := db.SetOwners(ctx, 999, []string{"X"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("owners of unknown user: error %v, want ErrNotFound", err)
	}
}

func TestSessions(t *testing.T) { backends(t, testSessions) }

func testSessions(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	u, err := db.AddUser(ctx, User{Name: "Clerk", Email: "clerk@example.gov.uk", Role: RoleClerk, PasswordHash: "h", CreatedAt: t0})
	if err != nil {
		t.Fatal(err)
	}
	s := Session{TokenHash: "hash-1", UserID: u.ID, CreatedAt: t0, ExpiresAt: t0.Add(8 * time.Hour), CSRFSecret: "csrf"}
	if err := db.CreateSession(ctx, s); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateSession(ctx, s); !errors.Is(err, ErrDuplicate) {
		t.Errorf("same token twice: error %v, want ErrDuplicate", err)
	}
	if err := db.CreateSession(ctx, Session{TokenHash: "h2", UserID: 999, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour), CSRFSecret: "c"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("session for unknown user: error %v, want ErrNotFound", err)
	}
	tests := []struct {
		name  string
		token string
		now   time.Time
		found bool
	}{
		{"just created", "hash-1", t0, true},
		{"a nanosecond before expiry", "hash-1", s.ExpiresAt.Add(-time.Nanosecond), true},
		{"a nanosecond before expiry, other zone", "hash-1", s.ExpiresAt.Add(-time.Nanosecond).In(time.FixedZone("X", -5*3600)), true},
		{"at expiry", "hash-1", s.ExpiresAt, false},
		{"a second after, other zone", "hash-1", s.ExpiresAt.Add(time.Second).In(time.FixedZone("X", 9*3600)), false},
		{"unknown token", "nope", t0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := db.SessionByTokenHash(ctx, tt.token, tt.now)
			switch {
			case tt.found && (err != nil || got != s):
				t.Errorf("got %+v, %v; want %+v", got, err, s)
			case !tt.found && !errors.Is(err, ErrNotFound):
				t.Errorf("error %v, want ErrNotFound", err)
			}
		})
	}
	if n, err := db.DeleteExpiredSessions(ctx, t0.Add(time.Hour)); err != nil || n != 0 {
		t.Errorf("deleted %d unexpired sessions (%v)", n, err)
	}
	if n, err := db.DeleteExpiredSessions(ctx, s.ExpiresAt); err != nil || n != 1 {
		t.Errorf("deleted %d expired sessions (%v), want 1", n, err)
	}
	if err := db.CreateSession(ctx, s); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteSession(ctx, s.TokenHash); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SessionByTokenHash(ctx, s.TokenHash, t0); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleted session: error %v, want ErrNotFound", err)
	}
}

func TestAuditLog(t *testing.T) { backends(t, testAuditLog) }

func testAuditLog(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	var want []Event
	for i := range 5 {
		e, err := db.Audit(ctx, Event{At: t0.Add(time.Duration(i) * time.Minute).In(time.FixedZone("BST", 3600)),
			Actor: "clerk@example.gov.uk", Action: "statement.accept", SHA256: Digest([]byte{byte(i)}), Detail: fmt.Sprint("quarter ", i)})
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, e)
	}
	if _, err := db.Audit(ctx, Event{At: t0, Action: "x"}); !errors.Is(err, ErrInvalid) {
		t.Errorf("event with no actor: error %v, want ErrInvalid", err)
	}
	tests := []struct {
		after int64
		limit int
		want  []Event
	}{
		{0, 100, want},
		{0, 2, want[:2]},
		{want[1].ID, 2, want[2:4]},
		{want[4].ID, 10, nil},
	}
	for _, tt := range tests {
		got, err := db.AuditLog(ctx, tt.after, tt.limit)
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("AuditLog(%d, %d) = %+v, %v; want %+v", tt.after, tt.limit, got, err, tt.want)
		}
	}
}

func TestRuns(t *testing.T) { backends(t, testRuns) }

func testRuns(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	inputs := []FileRef{{Name: "2020-10 position statement.xlsx", SHA256: Digest([]byte("a"))}}
	r, err := db.StartRun(ctx, RunStart{Job: "quarterly-report", Plan: "Plan", Quarter: "2020-Q4", StartedAt: t0, Inputs: inputs})
	if err != nil {
		t.Fatal(err)
	}
	other, err := db.StartRun(ctx, RunStart{Job: "reminders", StartedAt: t0.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	runs, err := db.Runs(ctx, 10)
	if err != nil || len(runs) != 2 || !reflect.DeepEqual(runs[0], other) || !reflect.DeepEqual(runs[1], r) {
		t.Fatalf("runs %+v, %v; want %+v then %+v", runs, err, other, r)
	}
	res := RunResult{FinishedAt: t0.Add(2 * time.Minute), Status: RunWarnings,
		Outputs:  []FileRef{{Name: "output/2020-11-26/action-plan-progress.pdf", SHA256: Digest([]byte("pdf"))}},
		Warnings: []string{`sheet "Plan", cell D14: cannot read date`}}
	done, err := db.FinishRun(ctx, r.ID, res)
	if err != nil {
		t.Fatal(err)
	}
	runs, err = db.Runs(ctx, 1)
	if err != nil || len(runs) != 1 || !reflect.DeepEqual(runs[0], other) {
		t.Errorf("Runs(1) = %+v, %v", runs, err)
	}
	runs, _ = db.Runs(ctx, 10)
	if !reflect.DeepEqual(runs[1], done) || done.Status != RunWarnings || done.Plan != "Plan" || !reflect.DeepEqual(done.Inputs, inputs) {
		t.Errorf("finished run %+v, stored %+v", done, runs[1])
	}
	tests := []struct {
		name string
		id   int64
		res  RunResult
		want error
	}{
		{"again", r.ID, res, ErrInvalid},
		{"unknown run", 999, res, ErrNotFound},
		{"bad status", other.ID, RunResult{FinishedAt: t0.Add(2 * time.Hour), Status: RunRunning}, ErrInvalid},
		{"before its start", other.ID, RunResult{FinishedAt: t0, Status: RunOK}, ErrInvalid},
		{"failed", other.ID, RunResult{FinishedAt: t0.Add(2 * time.Hour), Status: RunFailed, Error: "no statement for 2020-Q4"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := db.FinishRun(ctx, tt.id, tt.res); !errors.Is(err, tt.want) {
				t.Errorf("error %v, want %v", err, tt.want)
			}
		})
	}
}

func TestPrecisionText(t *testing.T) { backends(t, testPrecisionText) }

func testPrecisionText(t *testing.T) {
	for _, p := range []plan.Precision{plan.PrecisionNone, plan.PrecisionFinancialYear, plan.PrecisionMonth, plan.PrecisionDay} {
		b, err := p.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back plan.Precision
		if err := back.UnmarshalText(b); err != nil || back != p {
			t.Errorf("%s: read back %v, %v", b, back, err)
		}
	}
	var p plan.Precision
	if err := p.UnmarshalText([]byte("fortnight")); err == nil {
		t.Error("unknown precision read without error")
	}
}

func TestSetPasswordHash(t *testing.T) { backends(t, testSetPasswordHash) }

func testSetPasswordHash(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	u, err := db.AddUser(ctx, User{Name: "Clerk", Email: "clerk@example.gov.uk", Role: RoleClerk, PasswordHash: "one-time",
		CreatedAt: t0, MustChangePassword: true})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := db.UserByID(ctx, u.ID); err != nil || !got.MustChangePassword || !got.PasswordGivenAt.Equal(t0) {
		t.Fatalf("new user with a one-time password: %+v, %v", got, err)
	}
	if err := db.SetPasswordHash(ctx, u.ID, "chosen", false); err != nil {
		t.Fatal(err)
	}
	got, err := db.UserByEmail(ctx, u.Email)
	if err != nil || got.PasswordHash != "chosen" || got.MustChangePassword {
		t.Errorf("after SetPasswordHash: %+v, %v", got, err)
	}
	if err := db.SetPasswordHash(ctx, 999, "x", false); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown user: error %v, want ErrNotFound", err)
	}
	if err := db.SetPasswordHash(ctx, u.ID, "", false); !errors.Is(err, ErrInvalid) {
		t.Errorf("no hash: error %v, want ErrInvalid", err)
	}
}

func TestAudited(t *testing.T) { backends(t, testAudited) }

func testAudited(t *testing.T) {
	ctx := context.Background()
	ret := ReturnInput{Plan: "Plan", Quarter: "2020-Q4", Owner: "Robert Henderson", FileName: "r.xlsx",
		Bytes: []byte("return"), SubmittedBy: "officer@example.gov.uk", SubmittedAt: t0, Statement: sample(2, "r")}
	st := input("Plan", "2020-Q4", KindStatement, "s")
	ev := Event{At: t0, Actor: "someone@example.gov.uk", Action: "test.store", Detail: "version " + VersionMark + " of {version}"}
	adds := []struct {
		name string
		add  func(db *DB, e Event) (sha string, version int, err error)
	}{
		{"return", func(db *DB, e Event) (string, int, error) {
			r, err := db.AddReturnAudited(ctx, ret, e)
			return r.SHA256, r.Version, err
		}},
		{"statement", func(db *DB, e Event) (string, int, error) {
			r, err := db.AddStatementAudited(ctx, st, e)
			return r.SHA256, r.Version, err
		}},
	}
	// stored counts what is kept: returns and statements, and audit events.
	stored := func(t *testing.T, db *DB) (records, events int) {
		t.Helper()
		err := db.read.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM returns) + (SELECT COUNT(*) FROM statements),
			(SELECT COUNT(*) FROM audit_log)`).Scan(&records, &events)
		if err != nil {
			t.Fatal(err)
		}
		return records, events
	}
	for _, a := range adds {
		t.Run(a.name, func(t *testing.T) {
			t.Run("both stored", func(t *testing.T) {
				db := openTest(t)
				for want := 1; want <= 2; want++ {
					sha, version, err := a.add(db, ev)
					if want == 2 {
						if !errors.Is(err, ErrDuplicate) {
							t.Fatalf("the same again: error %v, want ErrDuplicate", err)
						}
						break
					}
					if err != nil || version != 1 {
						t.Fatalf("version %d, error %v", version, err)
					}
					es, err := db.AuditLog(ctx, 0, 10)
					if err != nil || len(es) != 1 || es[0].SHA256 != sha || es[0].Detail != "version 1 of {version}" || es[0].Action != "test.store" {
						t.Fatalf("audit log %+v, %v; want one event with sha-256 %s", es, err, sha)
					}
				}
				if r, e := stored(t, db); r != 1 || e != 1 {
					t.Errorf("after a duplicate: %d records, %d events; want 1 and 1", r, e)
				}
			})
			t.Run("bad event", func(t *testing.T) {
				db := openTest(t)
				bad := ev
				bad.At = time.Time{}
				if _, _, err := a.add(db, bad); !errors.Is(err, ErrInvalid) {
					t.Errorf("zero time: error %v, want ErrInvalid", err)
				}
				if r, e := stored(t, db); r != 0 || e != 0 {
					t.Errorf("%d records, %d events stored; want none", r, e)
				}
			})
			t.Run("audit insert fails", func(t *testing.T) {
				db := openTest(t)
				failAudit(t, db)
				if _, _, err := a.add(db, ev); err == nil || !strings.Contains(err.Error(), "injected failure") {
					t.Errorf("error %v, want the injected failure", err)
				}
				if r, e := stored(t, db); r != 0 || e != 0 {
					t.Errorf("%d records, %d events stored; want none", r, e)
				}
				var blobs, plans int
				if err := db.read.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM blobs), (SELECT COUNT(*) FROM plans)`).Scan(&blobs, &plans); err != nil || blobs != 0 || plans != 0 {
					t.Errorf("%d blobs, %d plans left behind (%v)", blobs, plans, err)
				}
			})
		})
	}
}
