-- PostgreSQL's version of migrations/0004_statement_withdrawals.sql (see postgres/0001_init.sql).
-- A statement taken out of the history by a clerk: an acceptance undone, or
-- a workbook uploaded by mistake. The statement itself stays, immutable, for
-- the record; a withdrawn statement is no longer a quarter's statement.
-- Append-only, like the audit log.
CREATE TABLE statement_withdrawals (
    statement_id BIGINT PRIMARY KEY REFERENCES statements (id),
    withdrawn_by TEXT NOT NULL CHECK (withdrawn_by <> ''),
    withdrawn_at TEXT NOT NULL,
    reason       TEXT NOT NULL
);

CREATE TRIGGER statement_withdrawals_immutable_update BEFORE UPDATE ON statement_withdrawals FOR EACH ROW
    EXECUTE FUNCTION papers_refuse('withdrawals are immutable');
CREATE TRIGGER statement_withdrawals_immutable_delete BEFORE DELETE ON statement_withdrawals FOR EACH ROW
    EXECUTE FUNCTION papers_refuse('withdrawals are immutable');
