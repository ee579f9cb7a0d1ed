-- The history database: every accepted statement, officers' returns, users,
-- sessions, the audit log and scheduled runs.
--
-- Times are RFC 3339 UTC text with nine fractional digits
-- ("2020-10-31T09:00:00.000000000Z"), so text order is time order.
-- Quarters are labels "YYYY-Qn". Hashes are lower-case hex SHA-256.
-- Accepted records are immutable: triggers abort any UPDATE or DELETE.

-- A plan is an improvement action plan; its name is what callers use.
CREATE TABLE plans (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (name <> '')
);

-- Uploaded files, once each, by content.
CREATE TABLE blobs (
    id     INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
    size   INTEGER NOT NULL CHECK (size = length(bytes)),
    bytes  BLOB NOT NULL
);

-- Accepted statements (and baseline plans), one row per version.
CREATE TABLE statements (
    id            INTEGER PRIMARY KEY,
    plan_id       INTEGER NOT NULL REFERENCES plans (id),
    kind          TEXT NOT NULL CHECK (kind IN ('baseline', 'statement')),
    quarter       TEXT NOT NULL CHECK (quarter GLOB '[0-9][0-9][0-9][0-9]-Q[1-4]'),
    version       INTEGER NOT NULL CHECK (version >= 1),
    file_name     TEXT NOT NULL,
    sha256        TEXT NOT NULL REFERENCES blobs (sha256),
    action_count  INTEGER NOT NULL,
    submitted_by  TEXT NOT NULL,
    submitted_at  TEXT NOT NULL,
    parsed_format INTEGER NOT NULL, -- 1: JSON of plan.Statement
    parsed        TEXT NOT NULL,    -- last, so listing rows skips it
    UNIQUE (plan_id, kind, quarter, version)
);

-- The actions of each statement, for querying; the statement's JSON is the
-- record.
CREATE TABLE statement_actions (
    statement_id     INTEGER NOT NULL REFERENCES statements (id),
    seq              INTEGER NOT NULL, -- 0-based position in the statement
    ref              TEXT NOT NULL,
    recommendation   TEXT NOT NULL,
    owner            TEXT NOT NULL,    -- as typed
    target_date      TEXT,             -- YYYY-MM-DD, NULL when none
    target_precision TEXT NOT NULL,
    completed_date   TEXT,             -- YYYY-MM-DD, NULL when not complete
    rag              TEXT NOT NULL,
    PRIMARY KEY (statement_id, seq)
) WITHOUT ROWID;
CREATE INDEX statement_actions_ref ON statement_actions (ref);

-- Each action's lead owners, split.
CREATE TABLE statement_action_owners (
    statement_id INTEGER NOT NULL,
    seq          INTEGER NOT NULL,
    name         TEXT NOT NULL COLLATE NOCASE,
    PRIMARY KEY (statement_id, seq, name),
    FOREIGN KEY (statement_id, seq) REFERENCES statement_actions (statement_id, seq)
) WITHOUT ROWID;
CREATE INDEX statement_action_owners_name ON statement_action_owners (name);

-- Officers' returns: a lead owner's upload for a quarter, before the clerk
-- accepts the quarter's merged statement. One row per version.
CREATE TABLE returns (
    id            INTEGER PRIMARY KEY,
    plan_id       INTEGER NOT NULL REFERENCES plans (id),
    quarter       TEXT NOT NULL CHECK (quarter GLOB '[0-9][0-9][0-9][0-9]-Q[1-4]'),
    owner         TEXT NOT NULL COLLATE NOCASE CHECK (owner <> ''),
    version       INTEGER NOT NULL CHECK (version >= 1),
    file_name     TEXT NOT NULL,
    sha256        TEXT NOT NULL REFERENCES blobs (sha256),
    action_count  INTEGER NOT NULL,
    submitted_by  TEXT NOT NULL,
    submitted_at  TEXT NOT NULL,
    parsed_format INTEGER NOT NULL,
    parsed        TEXT NOT NULL,
    UNIQUE (plan_id, quarter, owner, version)
);

-- Portal accounts. The caller hashes passwords; this keeps the hash.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    email         TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (email <> ''),
    role          TEXT NOT NULL CHECK (role IN ('officer', 'clerk')),
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL
);

-- The lead-owner names (as plans print them) an officer answers for.
CREATE TABLE user_owners (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name    TEXT NOT NULL COLLATE NOCASE,
    PRIMARY KEY (user_id, name)
) WITHOUT ROWID;
CREATE INDEX user_owners_name ON user_owners (name);

-- Portal sessions, by the hash of their token.
CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    csrf_secret TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- Who did what, when. Append-only.
CREATE TABLE audit_log (
    id     INTEGER PRIMARY KEY,
    at     TEXT NOT NULL,
    actor  TEXT NOT NULL,
    action TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);

-- Scheduled runs. A run is written when it starts and once more when it
-- finishes; after that it is immutable.
CREATE TABLE runs (
    id          INTEGER PRIMARY KEY,
    job         TEXT NOT NULL CHECK (job <> ''),
    plan_id     INTEGER REFERENCES plans (id),
    quarter     TEXT NOT NULL CHECK (quarter = '' OR quarter GLOB '[0-9][0-9][0-9][0-9]-Q[1-4]'),
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    status      TEXT NOT NULL CHECK (status IN ('running', 'ok', 'warnings', 'failed')),
    inputs      TEXT NOT NULL, -- JSON [{"name", "sha256"}]
    outputs     TEXT NOT NULL, -- JSON [{"name", "sha256"}]
    warnings    TEXT NOT NULL, -- JSON ["..."]
    error       TEXT NOT NULL,
    CHECK ((status = 'running') = (finished_at IS NULL))
);

CREATE TRIGGER blobs_immutable_update BEFORE UPDATE ON blobs
BEGIN SELECT RAISE(ABORT, 'blobs are immutable'); END;
CREATE TRIGGER blobs_immutable_delete BEFORE DELETE ON blobs
BEGIN SELECT RAISE(ABORT, 'blobs are immutable'); END;

CREATE TRIGGER statements_immutable_update BEFORE UPDATE ON statements
BEGIN SELECT RAISE(ABORT, 'statements are immutable: add a new version'); END;
CREATE TRIGGER statements_immutable_delete BEFORE DELETE ON statements
BEGIN SELECT RAISE(ABORT, 'statements are immutable'); END;

CREATE TRIGGER statement_actions_immutable_update BEFORE UPDATE ON statement_actions
BEGIN SELECT RAISE(ABORT, 'statement actions are immutable'); END;
CREATE TRIGGER statement_actions_immutable_delete BEFORE DELETE ON statement_actions
BEGIN SELECT RAISE(ABORT, 'statement actions are immutable'); END;

CREATE TRIGGER statement_action_owners_immutable_update BEFORE UPDATE ON statement_action_owners
BEGIN SELECT RAISE(ABORT, 'statement actions are immutable'); END;
CREATE TRIGGER statement_action_owners_immutable_delete BEFORE DELETE ON statement_action_owners
BEGIN SELECT RAISE(ABORT, 'statement actions are immutable'); END;

CREATE TRIGGER returns_immutable_update BEFORE UPDATE ON returns
BEGIN SELECT RAISE(ABORT, 'returns are immutable: add a new version'); END;
CREATE TRIGGER returns_immutable_delete BEFORE DELETE ON returns
BEGIN SELECT RAISE(ABORT, 'returns are immutable'); END;

CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

CREATE TRIGGER runs_finished_immutable BEFORE UPDATE ON runs WHEN OLD.status <> 'running'
BEGIN SELECT RAISE(ABORT, 'a finished run is immutable'); END;
CREATE TRIGGER runs_immutable_delete BEFORE DELETE ON runs
BEGIN SELECT RAISE(ABORT, 'runs are immutable'); END;
