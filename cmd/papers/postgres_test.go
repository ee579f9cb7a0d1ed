package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"papers/internal/store"
	"papers/internal/store/pgtest"
)

// usePostgres points the config file cfg's portal.database at a new
// PostgreSQL database and returns its URL.
func usePostgres(t *testing.T, cfg string) string {
	t.Helper()
	database := pgtest.NewDatabase(t)
	b, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(b), "  database: data/papers.db", "  database: "+database, 1)
	if s == string(b) {
		t.Fatal("no portal.database line in the sample config")
	}
	if err := os.WriteFile(cfg, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return database
}

// Two papers serve processes on one PostgreSQL database, as behind a load
// balancer: users add writes the account there, both portals start and
// are healthy, neither shows the database's password, and papers backup and
// restore say that PostgreSQL is backed up with pg_dump (exit 1).
func TestServeOnPostgres(t *testing.T) {
	cfg := portalConfigFile(t)
	database := usePostgres(t, cfg)
	u, _ := url.Parse(database)
	password, _ := u.User.Password()

	out, errs, code := papers(t, "users", "add", "--config", cfg, "Clara Clerk", "--email", "clerk@council.example", "--role", "clerk")
	if code != 0 {
		t.Fatalf("users add on PostgreSQL: exit %d\n%s%s", code, out, errs)
	}
	db, err := store.Open(context.Background(), database)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.UserByEmail(context.Background(), "clerk@council.example"); err != nil {
		t.Errorf("the account is not in PostgreSQL: %v", err)
	}
	db.Close()

	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	addrs := make([]string, 2)
	exited := make(chan int, len(addrs))
	outs := make([]*syncBuffer, len(addrs))
	for i := range addrs {
		outs[i] = &syncBuffer{}
		var stderr syncBuffer
		go func() {
			exited <- run(ctx, []string{"serve", "--config", cfg, "--addr", "127.0.0.1:0"}, outs[i], &stderr)
		}()
		started := regexp.MustCompile(`portal at http://(\S+) \(history ([^)]*)\)`)
		for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			if m := started.FindStringSubmatch(outs[i].String()); m != nil {
				addrs[i] = m[1]
				if m[2] != store.Describe(database) {
					t.Errorf("portal %d names its history %q, want %q", i+1, m[2], store.Describe(database))
				}
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("portal %d did not start:\n%s\n%s", i+1, outs[i].String(), stderr.String())
			}
		}
		if strings.Contains(outs[i].String()+stderr.String(), password) {
			t.Errorf("portal %d shows the database password:\n%s%s", i+1, outs[i].String(), stderr.String())
		}
	}
	for i, addr := range addrs {
		if _, port, _ := net.SplitHostPort(addr); port == "" {
			t.Fatalf("portal %d address %q", i+1, addr)
		}
		res, err := http.Get(fmt.Sprintf("http://%s/healthz", addr))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Errorf("portal %d /healthz: %d", i+1, res.StatusCode)
		}
	}

	for _, args := range [][]string{
		{"backup", "--config", cfg, t.TempDir() + "/papers.db"},
		{"restore", "--config", cfg, t.TempDir() + "/papers.db"},
	} {
		_, errs, code := papers(t, args...)
		if code != 1 || !strings.Contains(errs, "pg_dump") || !strings.Contains(errs, "for the SQLite file") {
			t.Errorf("papers %s on PostgreSQL: exit %d, %q; want 1 and pg_dump named", args[0], code, errs)
		}
		if strings.Contains(errs, password) {
			t.Errorf("papers %s shows the database password: %s", args[0], errs)
		}
	}

	stop()
	for range addrs {
		select {
		case code := <-exited:
			if code != 0 {
				t.Errorf("serve: exit %d", code)
			}
		case <-time.After(20 * time.Second):
			t.Fatal("papers serve did not stop")
		}
	}
}
