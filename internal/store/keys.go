package store

import (
	"context"
	"crypto/rand"
	"fmt"
)

// PortalKey returns the 32-byte key called name, made at random the first
// time any process asks for it and the same for every process on this
// database afterwards.
func (db *DB) PortalKey(ctx context.Context, name string) ([]byte, error) {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	if _, err := db.write.ExecContext(ctx, `INSERT INTO portal_keys (name, key) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`, name, key); err != nil {
		return nil, fmt.Errorf("make the portal's key %s: %w", name, err)
	}
	var stored []byte
	if err := db.write.QueryRowContext(ctx, `SELECT key FROM portal_keys WHERE name = ?`, name).Scan(&stored); err != nil {
		return nil, fmt.Errorf("read the portal's key %s: %w", name, err)
	}
	if len(stored) != 32 {
		return nil, fmt.Errorf("the portal's key %s is %d bytes, not 32", name, len(stored))
	}
	return stored, nil
}
