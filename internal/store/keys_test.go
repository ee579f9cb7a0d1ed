package store

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
)

// TestPortalKeyShared: a portal key is made once and every process on the
// database gets the same one, so that two portals behind a load balancer
// accept each other's forms.
func TestPortalKeyShared(t *testing.T) { backends(t, testPortalKeyShared) }

func testPortalKeyShared(t *testing.T) {
	ctx := context.Background()
	where := testDatabase(t, filepath.Join("data", "papers.db"))
	var keys [2][]byte
	for i := range keys {
		db, err := Open(ctx, where)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if keys[i], err = db.PortalKey(ctx, "signin"); err != nil {
			t.Fatal(err)
		}
	}
	if len(keys[0]) != 32 || !bytes.Equal(keys[0], keys[1]) {
		t.Errorf("two processes' keys differ: %x, %x", keys[0], keys[1])
	}
	db, err := Open(ctx, where)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	other, err := db.PortalKey(ctx, "oidc")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(other, keys[0]) || bytes.Equal(other, make([]byte, 32)) {
		t.Errorf("the key named oidc is %x", other)
	}
}
