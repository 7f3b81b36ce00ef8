-- Growing delays between attempts on one subject (issue 12, point 6): the
-- per-account login throttle before the hard lock. One row per subject
-- (the key is an HMAC of the rule name and the subject, as in rate_limits —
-- never a raw email), holding the number of attempts let through since the
-- last success, how many of them are known to have failed (the rest are
-- still being checked), and when the last one was let through. Not a
-- tenant table: unknown emails are throttled exactly like accounts, so the
-- throttle must not need one.

-- +goose Up
CREATE TABLE rate_backoffs (
    key      bytea PRIMARY KEY,
    attempts integer NOT NULL CHECK (attempts >= 0),
    failures integer NOT NULL DEFAULT 0 CHECK (failures BETWEEN 0 AND attempts),
    last_at  timestamptz NOT NULL
);
GRANT SELECT, INSERT, UPDATE, DELETE ON rate_backoffs TO zeugo_app;

-- +goose Down
DROP TABLE rate_backoffs;
