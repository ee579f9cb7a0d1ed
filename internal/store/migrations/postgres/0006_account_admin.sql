-- PostgreSQL's version of migrations/0006_account_admin.sql: the same SQL.
-- Managing accounts ("papers users list, disable, enable, ..."): when each
-- account last signed in (NULL for never), and whether it is disabled. A
-- disabled account cannot sign in; it is kept so that it can be enabled
-- again. The audit log names accounts by email, as text, so it keeps them
-- after an account is removed.
ALTER TABLE users ADD COLUMN last_sign_in TEXT;
ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1));
