package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// A backup taken while 20 officers submit returns at once holds every
// return acknowledged before the backup began; restoring it puts them back,
// and keeps the database it replaced.
func TestBackupDuringConcurrentSubmissions(t *testing.T) {
	sqliteOnly(t, testBackupDuringConcurrentSubmissions)
}

func testBackupDuringConcurrentSubmissions(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	const writers, each = 20, 15
	var (
		mu    sync.Mutex
		acked []int64 // returns whose AddReturn has returned, in order
		wg    sync.WaitGroup
		errs  = make(chan error, writers*each)
		half  = make(chan struct{})
		once  sync.Once
	)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				rec, err := db.AddReturn(ctx, ReturnInput{Plan: "Plan", Quarter: "2020-Q3", Owner: fmt.Sprintf("Owner %d", w),
					FileName: "r.xlsx", Bytes: fmt.Appendf(nil, "return %d/%d", w, i), SubmittedBy: "o@example.gov.uk",
					SubmittedAt: t0, Statement: sample(3, "r")})
				if err != nil {
					errs <- err
					return
				}
				mu.Lock()
				acked = append(acked, rec.ID)
				if len(acked) == writers*each/2 {
					once.Do(func() { close(half) })
				}
				mu.Unlock()
			}
		}()
	}
	<-half
	mu.Lock()
	before := append([]int64(nil), acked...)
	mu.Unlock()
	backup := filepath.Join(t.TempDir(), "backup.db")
	if err := db.Backup(ctx, backup, false); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if len(acked) != writers*each {
		t.Fatalf("%d returns acknowledged, want %d", len(acked), writers*each)
	}

	if v, err := Inspect(ctx, backup); err != nil || v == 0 {
		t.Fatalf("Inspect: version %d, %v", v, err)
	}
	got, err := Open(ctx, backup)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range before {
		if _, _, _, err := got.Return(ctx, id); err != nil {
			t.Errorf("return %d, acknowledged before the backup began: %v", id, err)
		}
	}
	got.Close()
	t.Logf("%d of %d returns acknowledged before the backup", len(before), len(acked))

	// Restore it over the live file (closed first, as papers restore
	// requires): the returns after the backup are gone from the restored
	// database, and kept in the one it replaced.
	dbPath := db.path
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	kept, err := Restore(ctx, dbPath, backup, t0)
	if err != nil {
		t.Fatal(err)
	}
	if kept != dbPath+".before-restore-20201031T093015Z" {
		t.Errorf("kept %s", kept)
	}
	restored, err := Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	for _, id := range before {
		if _, _, _, err := restored.Return(ctx, id); err != nil {
			t.Errorf("restored: return %d: %v", id, err)
		}
	}
	old, err := Open(ctx, kept)
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	for _, id := range acked {
		if _, _, _, err := old.Return(ctx, id); err != nil {
			t.Errorf("kept database: return %d: %v", id, err)
		}
	}
}

func TestBackupRefusesToOverwrite(t *testing.T) { sqliteOnly(t, testBackupRefusesToOverwrite) }

func testBackupRefusesToOverwrite(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	path := filepath.Join(t.TempDir(), "backup.db")
	os.WriteFile(path, []byte("keep me"), 0o644)
	if err := db.Backup(ctx, path, false); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("error %v, want fs.ErrExist", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "keep me" {
		t.Fatal("the existing file was changed")
	}
	if err := db.Backup(ctx, path, true); err != nil {
		t.Fatal(err)
	}
	if _, err := Inspect(ctx, path); err != nil {
		t.Fatal(err)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".*tmp")); len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

func TestInspectRefuses(t *testing.T) { sqliteOnly(t, testInspectRefuses) }

func testInspectRefuses(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	notDB := filepath.Join(dir, "notes.txt")
	os.WriteFile(notDB, []byte("not a database at all, just some words in a file"), 0o644)
	if _, err := Inspect(ctx, notDB); !errors.Is(err, ErrNotHistory) {
		t.Errorf("a text file: %v, want ErrNotHistory", err)
	}

	db := openTest(t)
	newer := filepath.Join(dir, "newer.db")
	if err := db.Backup(ctx, newer, false); err != nil {
		t.Fatal(err)
	}
	n, err := Open(ctx, newer)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := n.write.ExecContext(ctx, `INSERT INTO schema_migrations (version, name) VALUES (999, 'future')`); err != nil {
		t.Fatal(err)
	}
	n.Close()
	if _, err := Inspect(ctx, newer); !errors.Is(err, ErrTooNew) {
		t.Errorf("a newer program's database: %v, want ErrTooNew", err)
	}
	if _, err := Restore(ctx, filepath.Join(dir, "papers.db"), newer, time.Now()); !errors.Is(err, ErrTooNew) {
		t.Errorf("Restore of a newer database: %v, want ErrTooNew", err)
	}
}
