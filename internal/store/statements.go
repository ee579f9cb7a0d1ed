package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"papers/internal/plan"
)

// Plan is an improvement action plan the store keeps statements for.
type Plan struct {
	ID   int64
	Name string
}

// Kind says what a statement is.
type Kind string

// Kinds of statement.
const (
	KindBaseline  Kind = "baseline"  // the plan as agreed
	KindStatement Kind = "statement" // a quarter's position statement
)

func checkKind(k Kind) error {
	if k != KindBaseline && k != KindStatement {
		return fmt.Errorf("kind %q is neither %q nor %q: %w", k, KindBaseline, KindStatement, ErrInvalid)
	}
	return nil
}

// StatementInput is a statement to keep.
type StatementInput struct {
	Plan        string // the plan's name; the plan is created if new
	Quarter     string // "2020-Q3"
	Kind        Kind
	FileName    string // as uploaded
	Bytes       []byte // the workbook as uploaded
	SubmittedBy string
	SubmittedAt time.Time
	Statement   *plan.Statement // as read from Bytes
}

// StatementRecord describes one stored version of a statement.
type StatementRecord struct {
	ID          int64
	Plan        string
	Quarter     string
	Kind        Kind
	Version     int // 1, 2, ... within the plan, quarter and kind
	FileName    string
	SHA256      string // of the bytes, lower-case hex
	Size        int64  // of the bytes
	Actions     int    // how many actions the statement has
	SubmittedBy string
	SubmittedAt time.Time // UTC
	// Withdrawn is set when a clerk has taken the statement out of the
	// history (History and Latest then leave it out).
	Withdrawn *Withdrawal
}

// Withdrawal says who took a statement out of the history, when and why.
type Withdrawal struct {
	By     string
	At     time.Time // UTC
	Reason string
}

// parsedFormat numbers the encoding of the parsed column: 1 is the JSON of
// plan.Statement, as plan's json tags write it.
const parsedFormat = 1

// EnsurePlan returns the plan with the given name (compared without regard
// to case), creating it if it does not exist.
func (db *DB) EnsurePlan(ctx context.Context, name string) (Plan, error) {
	var p Plan
	err := db.inTx(ctx, func(tx *sqlTx) error {
		var err error
		p, err = ensurePlan(ctx, tx, name)
		return err
	})
	if err != nil {
		return Plan{}, fmt.Errorf("ensure plan %q: %w", name, err)
	}
	return p, nil
}

func ensurePlan(ctx context.Context, tx *sqlTx, name string) (Plan, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return Plan{}, fmt.Errorf("no plan name given: %w", ErrInvalid)
	}
	// Look first, then add: the write lock makes it safe, and PostgreSQL
	// would use up an identity value on every ON CONFLICT DO NOTHING.
	var p Plan
	err := tx.QueryRowContext(ctx, `SELECT id, name FROM plans WHERE name = ?`, name).Scan(&p.ID, &p.Name)
	if errors.Is(err, sql.ErrNoRows) {
		err = tx.QueryRowContext(ctx, `INSERT INTO plans (name) VALUES (?) RETURNING id, name`, name).Scan(&p.ID, &p.Name)
	}
	return p, err
}

// Plans returns every plan, by name.
func (db *DB) Plans(ctx context.Context) ([]Plan, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, name FROM plans ORDER BY name, id`)
	if err != nil {
		return nil, fmt.Errorf("list plans: %w", err)
	}
	defer rows.Close()
	var ps []Plan
	for rows.Next() {
		var p Plan
		if err := rows.Scan(&p.ID, &p.Name); err != nil {
			return nil, fmt.Errorf("list plans: %w", err)
		}
		ps = append(ps, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list plans: %w", err)
	}
	return ps, nil
}

// PlanNamed returns the plan with the given name (compared without regard
// to case), or ErrNotFound.
func (db *DB) PlanNamed(ctx context.Context, name string) (Plan, error) {
	id, err := db.planID(ctx, name)
	if err != nil {
		return Plan{}, err
	}
	var p Plan
	err = db.read.QueryRowContext(ctx, `SELECT id, name FROM plans WHERE id = ?`, id).Scan(&p.ID, &p.Name)
	return p, err
}

// planID returns the id of the named plan, or ErrNotFound.
func (db *DB) planID(ctx context.Context, name string) (int64, error) {
	var id int64
	err := db.read.QueryRowContext(ctx, `SELECT id FROM plans WHERE name = ?`, strings.TrimSpace(name)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("plan %q: %w", name, ErrNotFound)
	}
	return id, err
}

// AddStatement keeps a statement as the next version for its plan, quarter
// and kind. When the latest version there has the same bytes it stores
// nothing and returns that version with ErrDuplicate.
func (db *DB) AddStatement(ctx context.Context, in StatementInput) (StatementRecord, error) {
	return db.addStatement(ctx, in, nil)
}

// AddStatementAudited is AddStatement that also appends e to the audit log,
// with the statement's SHA-256 and VersionMark in its Detail replaced by the
// version, in the same transaction: either both are stored or neither.
// A duplicate (ErrDuplicate) stores neither.
func (db *DB) AddStatementAudited(ctx context.Context, in StatementInput, e Event) (StatementRecord, error) {
	if err := checkEvent(e); err != nil {
		return StatementRecord{}, fmt.Errorf("add %s %s: %w", in.Kind, in.FileName, err)
	}
	return db.addStatement(ctx, in, &e)
}

func (db *DB) addStatement(ctx context.Context, in StatementInput, e *Event) (StatementRecord, error) {
	what := fmt.Sprintf("add %s %s for %s of plan %q", in.Kind, in.FileName, in.Quarter, in.Plan)
	if err := checkUpload(what, in.Plan, in.Quarter, in.FileName, in.Bytes, in.SubmittedBy, in.SubmittedAt, in.Statement); err != nil {
		return StatementRecord{}, err
	}
	if err := checkKind(in.Kind); err != nil {
		return StatementRecord{}, fmt.Errorf("%s: %w", what, err)
	}
	sum := Digest(in.Bytes)
	parsed, err := json.Marshal(in.Statement)
	if err != nil {
		return StatementRecord{}, fmt.Errorf("%s: encode statement: %w", what, err)
	}
	var rec StatementRecord
	var dup bool
	err = db.inTx(ctx, func(tx *sqlTx) error {
		p, err := ensurePlan(ctx, tx, in.Plan)
		if err != nil {
			return err
		}
		var (
			last       int
			lastID     int64
			lastSHA256 string
		)
		// The next version follows every version kept, withdrawn or not;
		// a duplicate is one of the latest that stands.
		err = tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM statements
			WHERE plan_id = ? AND kind = ? AND quarter = ?`, p.ID, in.Kind, in.Quarter).Scan(&last)
		if err != nil {
			return err
		}
		err = tx.QueryRowContext(ctx, `SELECT s.id, s.sha256 FROM statements s
			LEFT JOIN statement_withdrawals w ON w.statement_id = s.id
			WHERE s.plan_id = ? AND s.kind = ? AND s.quarter = ? AND w.statement_id IS NULL
			ORDER BY s.version DESC LIMIT 1`,
			p.ID, in.Kind, in.Quarter).Scan(&lastID, &lastSHA256)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return err
		case lastSHA256 == sum:
			dup = true
			rec, err = scanStatementRecord(tx.QueryRowContext(ctx, statementSelect+statementFrom+` WHERE s.id = ?`, lastID))
			return err
		}
		if err := addBlob(ctx, tx, sum, in.Bytes); err != nil {
			return err
		}
		var id int64
		err = tx.QueryRowContext(ctx, `INSERT INTO statements
			(plan_id, kind, quarter, version, file_name, sha256, action_count, submitted_by, submitted_at, parsed_format, parsed)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			p.ID, in.Kind, in.Quarter, last+1, in.FileName, sum, len(in.Statement.Actions),
			in.SubmittedBy, formatTime(in.SubmittedAt), parsedFormat, string(parsed)).Scan(&id)
		if err != nil {
			return err
		}
		if err := addActions(ctx, tx, id, in.Statement.Actions); err != nil {
			return err
		}
		rec = StatementRecord{
			ID: id, Plan: p.Name, Quarter: in.Quarter, Kind: in.Kind, Version: last + 1,
			FileName: in.FileName, SHA256: sum, Size: int64(len(in.Bytes)), Actions: len(in.Statement.Actions),
			SubmittedBy: in.SubmittedBy, SubmittedAt: in.SubmittedAt.UTC(),
		}
		if e == nil {
			return nil
		}
		return auditIn(ctx, tx, *e, rec.SHA256, rec.Version)
	})
	if err != nil {
		return StatementRecord{}, fmt.Errorf("%s: %w", what, err)
	}
	if dup {
		return rec, fmt.Errorf("%s: same bytes as version %d (sha-256 %s): %w", what, rec.Version, sum, ErrDuplicate)
	}
	return rec, nil
}

// checkUpload checks the fields statements and returns share.
func checkUpload(what, planName, quarter, fileName string, b []byte, by string, at time.Time, s *plan.Statement) error {
	switch {
	case strings.TrimSpace(planName) == "":
		return missing(what, "plan")
	case strings.TrimSpace(fileName) == "":
		return missing(what, "file name")
	case len(b) == 0:
		return missing(what, "bytes")
	case strings.TrimSpace(by) == "":
		return missing(what, "submitter")
	case at.IsZero():
		return missing(what, "submission time")
	case s == nil:
		return missing(what, "parsed statement")
	}
	if err := checkQuarter(quarter); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// addBlob stores b under its digest unless it is there already.
func addBlob(ctx context.Context, tx *sqlTx, sum string, b []byte) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO blobs (sha256, size, bytes) VALUES (?, ?, ?)
		ON CONFLICT (sha256) DO NOTHING`, sum, len(b), b)
	return err
}

// addActions writes the query rows of a statement's actions.
func addActions(ctx context.Context, tx *sqlTx, statementID int64, actions []plan.Action) error {
	insAction, err := tx.PrepareContext(ctx, `INSERT INTO statement_actions
		(statement_id, seq, ref, recommendation, owner, target_date, target_precision, completed_date, rag)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer insAction.Close()
	insOwner, err := tx.PrepareContext(ctx, `INSERT INTO statement_action_owners (statement_id, seq, name)
		VALUES (?, ?, ?) ON CONFLICT DO NOTHING`)
	if err != nil {
		return err
	}
	defer insOwner.Close()
	for i := range actions {
		a := &actions[i]
		target := a.Target()
		_, err := insAction.ExecContext(ctx, statementID, i, a.Ref, a.Recommendation, a.Owner,
			isoDate(target), target.Precision.String(), isoDate(a.Completed), string(a.RAG))
		if err != nil {
			return fmt.Errorf("action %s: %w", a.Ref, err)
		}
		for _, o := range a.Owners {
			if o = strings.TrimSpace(o); o == "" {
				continue
			}
			if _, err := insOwner.ExecContext(ctx, statementID, i, o); err != nil {
				return fmt.Errorf("action %s: owner %q: %w", a.Ref, o, err)
			}
		}
	}
	return nil
}

// isoDate is d as YYYY-MM-DD, or NULL when there is no date.
func isoDate(d plan.TargetDate) sql.NullString {
	return sql.NullString{String: d.ISO(), Valid: !d.IsZero()}
}

// statementSelect reads a StatementRecord; statementFrom follows it, after
// any extra columns.
const (
	statementSelect = `SELECT s.id, p.name, s.quarter, s.kind, s.version, s.file_name, s.sha256, b.size,
	s.action_count, s.submitted_by, s.submitted_at, w.withdrawn_by, w.withdrawn_at, w.reason`
	statementFrom = ` FROM statements s JOIN plans p ON p.id = s.plan_id JOIN blobs b ON b.sha256 = s.sha256
	LEFT JOIN statement_withdrawals w ON w.statement_id = s.id`
)

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// scanStatementRecord reads a row of statementSelect, plus any extra columns
// into extra.
func scanStatementRecord(row scanner, extra ...any) (StatementRecord, error) {
	var r StatementRecord
	var at string
	var wBy, wAt, wWhy sql.NullString
	dest := append([]any{&r.ID, &r.Plan, &r.Quarter, &r.Kind, &r.Version, &r.FileName, &r.SHA256, &r.Size,
		&r.Actions, &r.SubmittedBy, &at, &wBy, &wAt, &wWhy}, extra...)
	if err := row.Scan(dest...); err != nil {
		return StatementRecord{}, err
	}
	t, err := parseTime(at)
	if err != nil {
		return StatementRecord{}, err
	}
	r.SubmittedAt = t
	if wBy.Valid {
		wt, err := parseTime(wAt.String)
		if err != nil {
			return StatementRecord{}, err
		}
		r.Withdrawn = &Withdrawal{By: wBy.String, At: wt, Reason: wWhy.String}
	}
	return r, nil
}

// decodeStatement reads a parsed column.
func decodeStatement(format int, parsed []byte) (*plan.Statement, error) {
	if format != parsedFormat {
		return nil, fmt.Errorf("parsed statement in format %d, this program reads %d: %w", format, parsedFormat, ErrTooNew)
	}
	var s plan.Statement
	if err := json.Unmarshal(parsed, &s); err != nil {
		return nil, fmt.Errorf("decode parsed statement: %w", err)
	}
	return &s, nil
}

// Statement returns a stored statement version: its record, the parsed
// statement and the bytes as uploaded.
func (db *DB) Statement(ctx context.Context, id int64) (StatementRecord, *plan.Statement, []byte, error) {
	var (
		format int
		parsed []byte
		b      []byte
	)
	rec, err := scanStatementRecord(db.read.QueryRowContext(ctx,
		statementSelect+`, s.parsed_format, s.parsed, b.bytes`+statementFrom+` WHERE s.id = ?`, id), &format, &parsed, &b)
	if err == nil {
		var s *plan.Statement
		if s, err = decodeStatement(format, parsed); err == nil {
			return rec, s, b, nil
		}
	}
	if errors.Is(err, sql.ErrNoRows) {
		err = ErrNotFound
	}
	return StatementRecord{}, nil, nil, fmt.Errorf("statement %d: %w", id, err)
}

// Latest returns the latest version of the latest quarter's statement of the
// given kind for a plan; when before is a quarter label, of the latest
// quarter strictly before it. It fails with ErrNotFound when there is none.
func (db *DB) Latest(ctx context.Context, planName string, kind Kind, before string) (StatementRecord, *plan.Statement, error) {
	what := fmt.Sprintf("latest %s of plan %q", kind, planName)
	if before != "" {
		what += " before " + before
		if err := checkQuarter(before); err != nil {
			return StatementRecord{}, nil, fmt.Errorf("%s: %w", what, err)
		}
	}
	if err := checkKind(kind); err != nil {
		return StatementRecord{}, nil, fmt.Errorf("%s: %w", what, err)
	}
	var (
		format int
		parsed []byte
	)
	rec, err := scanStatementRecord(db.read.QueryRowContext(ctx,
		statementSelect+`, s.parsed_format, s.parsed`+statementFrom+`
		WHERE p.name = ? AND s.kind = ? AND (? = '' OR s.quarter < ?) AND w.statement_id IS NULL
		ORDER BY s.quarter DESC, s.version DESC LIMIT 1`,
		strings.TrimSpace(planName), kind, before, before), &format, &parsed)
	if err == nil {
		var s *plan.Statement
		if s, err = decodeStatement(format, parsed); err == nil {
			return rec, s, nil
		}
	}
	if errors.Is(err, sql.ErrNoRows) {
		err = ErrNotFound
	}
	return StatementRecord{}, nil, fmt.Errorf("%s: %w", what, err)
}

// History returns every version of a plan's statements that stands (not
// withdrawn), baselines included, ordered by quarter, then kind (baseline
// first), then version. It fails with ErrNotFound when the plan is unknown.
func (db *DB) History(ctx context.Context, planName string) ([]StatementRecord, error) {
	return db.history(ctx, planName, false)
}

// HistoryWithWithdrawn is History with the withdrawn versions too, marked.
func (db *DB) HistoryWithWithdrawn(ctx context.Context, planName string) ([]StatementRecord, error) {
	return db.history(ctx, planName, true)
}

func (db *DB) history(ctx context.Context, planName string, withdrawn bool) ([]StatementRecord, error) {
	id, err := db.planID(ctx, planName)
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	rows, err := db.read.QueryContext(ctx, statementSelect+statementFrom+` WHERE s.plan_id = ?
		AND (? OR w.statement_id IS NULL)
		ORDER BY s.quarter, s.kind, s.version`, id, withdrawn)
	if err != nil {
		return nil, fmt.Errorf("history of plan %q: %w", planName, err)
	}
	defer rows.Close()
	var recs []StatementRecord
	for rows.Next() {
		r, err := scanStatementRecord(rows)
		if err != nil {
			return nil, fmt.Errorf("history of plan %q: %w", planName, err)
		}
		recs = append(recs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("history of plan %q: %w", planName, err)
	}
	return recs, nil
}

// WithdrawStatement takes a statement out of the history, appending e to
// the audit log in the same transaction. The statement itself is kept, for
// the record. It fails with ErrNotFound when there is no such statement and
// ErrDuplicate when it was already withdrawn.
func (db *DB) WithdrawStatement(ctx context.Context, id int64, w Withdrawal, e Event) (StatementRecord, error) {
	what := fmt.Sprintf("withdraw statement %d", id)
	switch {
	case strings.TrimSpace(w.By) == "":
		return StatementRecord{}, missing(what, "who")
	case w.At.IsZero():
		return StatementRecord{}, missing(what, "time")
	}
	if err := checkEvent(e); err != nil {
		return StatementRecord{}, fmt.Errorf("%s: %w", what, err)
	}
	var rec StatementRecord
	err := db.inTx(ctx, func(tx *sqlTx) error {
		var err error
		rec, err = scanStatementRecord(tx.QueryRowContext(ctx, statementSelect+statementFrom+` WHERE s.id = ?`, id))
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return ErrNotFound
		case err != nil:
			return err
		case rec.Withdrawn != nil:
			return ErrDuplicate
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO statement_withdrawals (statement_id, withdrawn_by, withdrawn_at, reason)
			VALUES (?, ?, ?, ?)`, id, w.By, formatTime(w.At), w.Reason); err != nil {
			return err
		}
		rec.Withdrawn = &Withdrawal{By: w.By, At: w.At.UTC(), Reason: w.Reason}
		return auditIn(ctx, tx, e, rec.SHA256, rec.Version)
	})
	if err != nil {
		return StatementRecord{}, fmt.Errorf("%s: %w", what, err)
	}
	return rec, nil
}
