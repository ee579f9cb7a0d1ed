-- PostgreSQL's version of migrations/0002_must_change_password.sql: the same SQL.
-- A user whose password was given to them (a one-time password printed by
-- "papers users add") must choose their own before using the portal.
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0
    CHECK (must_change_password IN (0, 1));
