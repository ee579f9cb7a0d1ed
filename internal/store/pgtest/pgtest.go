// Package pgtest gives tests a fresh PostgreSQL database on the server named
// by PAPERS_TEST_POSTGRES: a postgres:// URL whose role may create databases
// (.ci/postgres start DIR [PORT] starts one and prints it). Without it a test
// that asks skips, unless PAPERS_REQUIRE_TOOLS=1, when it fails.
//
// The store's tests run on SQLite and on PostgreSQL; the portal's run on
// PostgreSQL too when PAPERS_TEST_PORTAL_ON_POSTGRES=1 (.ci/run sets it for
// a second run of them).
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Server returns PAPERS_TEST_POSTGRES, skipping t when it is not set (or
// failing it when PAPERS_REQUIRE_TOOLS=1).
func Server(t testing.TB) string {
	t.Helper()
	u := os.Getenv("PAPERS_TEST_POSTGRES")
	if u != "" {
		return u
	}
	const msg = "PAPERS_TEST_POSTGRES is not set: set it to the postgres:// URL of a server whose role may create databases (.ci/postgres start DIR [PORT] starts one and prints it) to run this test on PostgreSQL"
	if os.Getenv("PAPERS_REQUIRE_TOOLS") == "1" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// NewDatabase creates an empty database on the Server and returns its URL.
// The database is dropped when t ends.
func NewDatabase(t testing.TB) string {
	t.Helper()
	server := Server(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, server)
	if err != nil {
		t.Fatalf("connect to PAPERS_TEST_POSTGRES: %v", err)
	}
	defer conn.Close(ctx)
	b := make([]byte, 6)
	rand.Read(b)
	name := "papers_test_" + hex.EncodeToString(b)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name+" TEMPLATE template0 ENCODING 'UTF8'"); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, server)
		if err != nil {
			t.Errorf("drop test database %s: %v", name, err)
			return
		}
		defer conn.Close(ctx)
		// FORCE ends the test's own connections; a server process of
		// PostgreSQL's (autovacuum) may still hold the database for a moment,
		// and this role may not end those: try again a few times. A database
		// left behind costs nothing on the throwaway test server, so it is
		// reported, not failed.
		for try := 0; ; try++ {
			_, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
			if err == nil {
				return
			}
			if try == 10 || ctx.Err() != nil {
				t.Logf("left the test database %s: %v", name, err)
				return
			}
			time.Sleep(200 * time.Millisecond)
		}
	})
	u, err := url.Parse(server)
	if err != nil {
		t.Fatalf("PAPERS_TEST_POSTGRES: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}
