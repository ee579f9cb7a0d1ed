package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// RunStatus is how a scheduled run stands.
type RunStatus string

// Run statuses.
const (
	RunRunning  RunStatus = "running"
	RunOK       RunStatus = "ok"
	RunWarnings RunStatus = "warnings" // finished, with warnings
	RunFailed   RunStatus = "failed"
)

// FileRef names a file a run read or wrote, with its SHA-256.
type FileRef struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
}

// RunStart is what is known when a run starts.
type RunStart struct {
	Job       string // what the run does: "quarterly-report", ...
	Plan      string // the plan's name, or "" for a run across plans
	Quarter   string // "2020-Q3", or ""
	StartedAt time.Time
	Inputs    []FileRef
}

// RunResult is how a run ended.
type RunResult struct {
	FinishedAt time.Time
	Status     RunStatus // RunOK, RunWarnings or RunFailed
	Outputs    []FileRef
	Warnings   []string
	Error      string
}

// Run is the record of a scheduled run.
type Run struct {
	ID         int64
	Job        string
	Plan       string
	Quarter    string
	StartedAt  time.Time
	FinishedAt time.Time // zero while running
	Status     RunStatus
	Inputs     []FileRef
	Outputs    []FileRef
	Warnings   []string
	Error      string
}

// StartRun records that a run has started and returns it with its ID.
func (db *DB) StartRun(ctx context.Context, s RunStart) (Run, error) {
	what := fmt.Sprintf("start run %s", s.Job)
	switch {
	case strings.TrimSpace(s.Job) == "":
		return Run{}, missing("start run", "job")
	case s.StartedAt.IsZero():
		return Run{}, missing(what, "start time")
	}
	if s.Quarter != "" {
		if err := checkQuarter(s.Quarter); err != nil {
			return Run{}, fmt.Errorf("%s: %w", what, err)
		}
	}
	inputs, err := json.Marshal(nonNil(s.Inputs))
	if err != nil {
		return Run{}, fmt.Errorf("%s: %w", what, err)
	}
	r := Run{Job: s.Job, Plan: s.Plan, Quarter: s.Quarter, StartedAt: s.StartedAt.UTC(), Status: RunRunning, Inputs: nilIfEmpty(s.Inputs)}
	err = db.inTx(ctx, func(tx *sqlTx) error {
		var planID sql.NullInt64
		if strings.TrimSpace(s.Plan) != "" {
			p, err := ensurePlan(ctx, tx, s.Plan)
			if err != nil {
				return err
			}
			planID = sql.NullInt64{Int64: p.ID, Valid: true}
			r.Plan = p.Name
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO runs
			(job, plan_id, quarter, started_at, status, inputs, outputs, warnings, error)
			VALUES (?, ?, ?, ?, ?, ?, '[]', '[]', '') RETURNING id`,
			s.Job, planID, s.Quarter, formatTime(s.StartedAt), RunRunning, string(inputs)).Scan(&r.ID)
		return err
	})
	if err != nil {
		return Run{}, fmt.Errorf("%s: %w", what, err)
	}
	return r, nil
}

// FinishRun records how a run ended and returns the finished run. A run
// finishes once: finishing it again fails with ErrInvalid.
func (db *DB) FinishRun(ctx context.Context, id int64, res RunResult) (Run, error) {
	what := fmt.Sprintf("finish run %d", id)
	switch {
	case res.FinishedAt.IsZero():
		return Run{}, missing(what, "finish time")
	case res.Status != RunOK && res.Status != RunWarnings && res.Status != RunFailed:
		return Run{}, fmt.Errorf("%s: status %q is not ok, warnings or failed: %w", what, res.Status, ErrInvalid)
	}
	outputs, err := json.Marshal(nonNil(res.Outputs))
	if err != nil {
		return Run{}, fmt.Errorf("%s: %w", what, err)
	}
	warnings, err := json.Marshal(nonNil(res.Warnings))
	if err != nil {
		return Run{}, fmt.Errorf("%s: %w", what, err)
	}
	var r Run
	err = db.inTx(ctx, func(tx *sqlTx) error {
		var err error
		if r, err = scanRun(tx.QueryRowContext(ctx, runSelect+` WHERE r.id = ?`, id)); err != nil {
			return err
		}
		switch {
		case r.Status != RunRunning:
			return fmt.Errorf("already finished (%s): %w", r.Status, ErrInvalid)
		case res.FinishedAt.Before(r.StartedAt):
			return fmt.Errorf("finish time %s is before start %s: %w",
				formatTime(res.FinishedAt), formatTime(r.StartedAt), ErrInvalid)
		}
		_, err = tx.ExecContext(ctx, `UPDATE runs SET finished_at = ?, status = ?, outputs = ?, warnings = ?, error = ?
			WHERE id = ?`, formatTime(res.FinishedAt), res.Status, string(outputs), string(warnings), res.Error, id)
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		err = ErrNotFound
	}
	if err != nil {
		return Run{}, fmt.Errorf("%s: %w", what, err)
	}
	r.FinishedAt, r.Status, r.Error = res.FinishedAt.UTC(), res.Status, res.Error
	r.Outputs, r.Warnings = nilIfEmpty(res.Outputs), nilIfEmpty(res.Warnings)
	return r, nil
}

// Runs returns up to limit runs, newest first.
func (db *DB) Runs(ctx context.Context, limit int) ([]Run, error) {
	rows, err := db.read.QueryContext(ctx, runSelect+` ORDER BY r.id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("list runs: %w", err)
	}
	defer rows.Close()
	var runs []Run
	for rows.Next() {
		r, err := scanRun(rows)
		if err != nil {
			return nil, fmt.Errorf("list runs: %w", err)
		}
		runs = append(runs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list runs: %w", err)
	}
	return runs, nil
}

const runSelect = `SELECT r.id, r.job, COALESCE(p.name, ''), r.quarter, r.started_at, r.finished_at, r.status,
	r.inputs, r.outputs, r.warnings, r.error
	FROM runs r LEFT JOIN plans p ON p.id = r.plan_id`

func scanRun(row scanner) (Run, error) {
	var (
		r                         Run
		started                   string
		finished                  sql.NullString
		inputs, outputs, warnings []byte
	)
	err := row.Scan(&r.ID, &r.Job, &r.Plan, &r.Quarter, &started, &finished, &r.Status,
		&inputs, &outputs, &warnings, &r.Error)
	if err != nil {
		return Run{}, err
	}
	if r.StartedAt, err = parseTime(started); err != nil {
		return Run{}, err
	}
	if r.FinishedAt, err = nullTime(finished); err != nil {
		return Run{}, err
	}
	for _, c := range []struct {
		b []byte
		v any
	}{{inputs, &r.Inputs}, {outputs, &r.Outputs}, {warnings, &r.Warnings}} {
		if err := json.Unmarshal(c.b, c.v); err != nil {
			return Run{}, fmt.Errorf("run %d: %w", r.ID, err)
		}
	}
	r.Inputs, r.Outputs, r.Warnings = nilIfEmpty(r.Inputs), nilIfEmpty(r.Outputs), nilIfEmpty(r.Warnings)
	return r, nil
}

// nonNil makes a nil slice encode as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// nilIfEmpty makes an empty slice read back as nil.
func nilIfEmpty[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return s
}
