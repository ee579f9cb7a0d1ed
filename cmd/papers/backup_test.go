package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"papers/internal/store"
)

// papers backup runs beside the portal; papers restore refuses while the
// portal runs, and once it has stopped puts the backup back, keeping the
// database it replaced.
func TestBackupAndRestore(t *testing.T) {
	cfg := portalConfigFile(t)
	dir := filepath.Dir(cfg)
	dbPath := filepath.Join(dir, "data", "papers.db")
	addUser(t, cfg, "Clara Clerk", "--email", "clerk@council.example", "--role", "clerk")

	ctx, stop := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	exited := make(chan int, 1)
	go func() {
		exited <- run(ctx, []string{"serve", "--config", cfg, "--addr", "127.0.0.1:0"}, &stdout, &stderr)
	}()
	for deadline := time.Now().Add(10 * time.Second); !regexp.MustCompile(`portal at http`).MatchString(stdout.String()); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the portal did not start:\n%s\n%s", stdout.String(), stderr.String())
		}
	}

	backup := filepath.Join(t.TempDir(), "papers-backup.db")
	if out, errs, code := papers(t, "backup", "--config", cfg, backup); code != 0 || !strings.Contains(out, "backed up") {
		t.Fatalf("backup while the portal runs: exit %d\n%s%s", code, out, errs)
	}
	if _, errs, code := papers(t, "backup", "--config", cfg, backup); code == 0 || !strings.Contains(errs, "already exists") || !strings.Contains(errs, "--force") {
		t.Errorf("backup over an existing file: exit %d, %s", code, errs)
	}
	if _, errs, code := papers(t, "backup", "--config", cfg, "--force", backup); code != 0 {
		t.Errorf("backup --force: exit %d, %s", code, errs)
	}
	if _, errs, code := papers(t, "restore", "--config", cfg, backup); code != exitLocked || !strings.Contains(errs, "the portal is running") {
		t.Errorf("restore while the portal runs: exit %d, %s", code, errs)
	}

	stop()
	select {
	case code := <-exited:
		if code != 0 {
			t.Fatalf("serve: exit %d\n%s", code, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("papers serve did not stop")
	}
	addUser(t, cfg, "Robert Henderson", "--email", "robert@council.example", "--role", "officer", "--owner", "Robert Henderson")

	notDB := filepath.Join(dir, "notes.db")
	os.WriteFile(notDB, []byte("these are notes, not a database"), 0o644)
	if _, errs, code := papers(t, "restore", "--config", cfg, notDB); code == 0 || !strings.Contains(errs, "not a papers history database") {
		t.Errorf("restore from a text file: exit %d, %s", code, errs)
	}

	out, errs, code := papers(t, "restore", "--config", cfg, backup)
	if code != 0 {
		t.Fatalf("restore: exit %d\n%s", code, errs)
	}
	kept := regexp.MustCompile(`kept as (\S+)`).FindStringSubmatch(out)
	if kept == nil || !strings.HasPrefix(kept[1], dbPath+".before-restore-") {
		t.Fatalf("restore does not say where the replaced database is kept:\n%s", out)
	}
	for _, c := range []struct {
		db, email string
		want      bool
	}{
		{dbPath, "clerk@council.example", true},
		{dbPath, "robert@council.example", false}, // added after the backup
		{kept[1], "robert@council.example", true},
	} {
		db, err := store.Open(context.Background(), c.db)
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.UserByEmail(context.Background(), c.email)
		db.Close()
		if got := err == nil; got != c.want || err != nil && !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s: %s there %v (%v), want %v", filepath.Base(c.db), c.email, got, err, c.want)
		}
	}
}
