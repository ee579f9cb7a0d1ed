-- Failed sign-ins, for throttling. They are kept here, not in a server's
-- memory, so that a restart does not reset them and every portal on one
-- database sees the same ones. The portal deletes rows older than its
-- throttling window as new failures arrive, and a pair's rows after a
-- correct password.
CREATE TABLE signin_failures (
    id      INTEGER PRIMARY KEY,
    at      TEXT NOT NULL,
    account TEXT NOT NULL, -- the email address typed, lower-cased
    address TEXT NOT NULL  -- the client's address (an IPv6 client's /64)
);
CREATE INDEX signin_failures_account ON signin_failures (account, at);
CREATE INDEX signin_failures_address ON signin_failures (address, at);
CREATE INDEX signin_failures_at ON signin_failures (at);
