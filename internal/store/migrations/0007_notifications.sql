-- Email notifications (package notify): one row per event and recipient,
-- written before the message is sent, so that two schedulers (two portals,
-- or a portal and "papers notify") never both send it. A row is 'sending'
-- while a process sends it, 'sent' once the server took it, and 'failed'
-- until a later attempt (after retry_at) succeeds.
--
-- The key: kind (reminder, chase, receipt, all-in), plan, quarter,
-- recipient, the deadline the event belongs to (YYYY-MM-DD; a new deadline
-- is a new event) and ref, what else names the event (a receipt's return).
CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind <> ''),
    plan       TEXT NOT NULL COLLATE NOCASE,
    quarter    TEXT NOT NULL,
    recipient  TEXT NOT NULL COLLATE NOCASE CHECK (recipient <> ''),
    deadline   TEXT NOT NULL,
    ref        TEXT NOT NULL,
    subject    TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('sending', 'sent', 'failed')),
    claimed_at TEXT NOT NULL,
    sent_at    TEXT,
    attempts   INTEGER NOT NULL CHECK (attempts >= 1),
    last_error TEXT NOT NULL,
    retry_at   TEXT,
    UNIQUE (kind, plan, quarter, recipient, deadline, ref),
    CHECK ((status = 'sent') = (sent_at IS NOT NULL))
);
