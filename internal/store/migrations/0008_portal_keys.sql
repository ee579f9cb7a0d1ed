-- Keys the portal signs and seals with (the sign-in form's CSRF token, the
-- state of a sign-in with the identity provider), made once at random and
-- shared by every portal process on this history, so that a form served by
-- one process is accepted by another behind a load balancer.
CREATE TABLE portal_keys (
    name TEXT PRIMARY KEY,
    key  BLOB NOT NULL CHECK (length(key) = 32)
);
