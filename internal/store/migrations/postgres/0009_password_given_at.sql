-- When a one-time password was given (an account added, or its password
-- reset), so that one left unused expires. NULL for accounts from before
-- this migration: their creation time stands in for it.
ALTER TABLE users ADD COLUMN password_given_at TEXT;
