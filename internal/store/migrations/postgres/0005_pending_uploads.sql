-- PostgreSQL's version of migrations/0005_pending_uploads.sql (see postgres/0001_init.sql).
-- It adds seq, for SQLite's rowid.
-- Returns an officer has uploaded and checked but not yet submitted, kept
-- so that a restart does not lose them. Each is found by the hash of a
-- random ID that only the officer's page holds, as sessions are. Unlike the
-- accepted records they are deleted: when submitted (in the transaction
-- that stores the return) and when they expire. The bytes are kept here,
-- not in blobs, which are never deleted.
CREATE TABLE pending_uploads (
    id_hash       TEXT PRIMARY KEY,
    user_id       BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    plan_id       BIGINT NOT NULL REFERENCES plans (id),
    quarter       TEXT NOT NULL CHECK (quarter ~ '^[0-9]{4}-Q[1-4]$'),
    owner         TEXT NOT NULL CHECK (owner <> ''),
    file_name     TEXT NOT NULL,
    sha256        TEXT NOT NULL CHECK (length(sha256) = 64),
    bytes         BYTEA NOT NULL,
    parsed_format INTEGER NOT NULL, -- as in returns: 1 is the JSON of plan.Statement
    parsed        TEXT NOT NULL,    -- the statement as checked when uploaded
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    -- insertion order, as SQLite's rowid, to break ties in created_at
    seq           BIGINT GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX pending_uploads_user ON pending_uploads (user_id, created_at);
CREATE INDEX pending_uploads_expires ON pending_uploads (expires_at);
