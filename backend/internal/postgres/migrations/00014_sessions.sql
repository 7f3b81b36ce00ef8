-- +goose Up
-- What "my sessions" shows (SPEC §3.1, issue 13 item 6) and the tenant's
-- own idle timeout.
--
-- Data minimisation (GDPR Art. 5(1)(c)): the session keeps what lets its
-- owner recognise it, nothing more.
--   * user_agent_browser / user_agent_os: a label parsed from the
--     User-Agent at login ("Firefox 128", "Windows"), never the raw header:
--     the raw string is a fingerprinting aid and not needed to recognise a
--     device. Bounded to 64 characters each.
--   * client_network: the IPv4 /24 or IPv6 /48 network of the login, the
--     same truncation the application log uses (requestinfo.ClientNetwork),
--     so the full address — personal data — is not kept beside the session.
--     It tells "Berlin office" from "somewhere else" just as well. The
--     exact address of the login stays in the audit log, encrypted.
--   * login_method: how the session was started ("password"; second factors
--     and SSO come with the next issue).
--   * idle_seconds: the idle timeout of this session, fixed at login from
--     the tenant's setting bounded by the operator's (package auth), so the
--     session check extends it without reading the tenant row.
ALTER TABLE sessions
    ADD COLUMN user_agent_browser text NOT NULL DEFAULT '' CHECK (length(user_agent_browser) <= 64),
    ADD COLUMN user_agent_os      text NOT NULL DEFAULT '' CHECK (length(user_agent_os) <= 64),
    ADD COLUMN user_agent_mobile  boolean NOT NULL DEFAULT false,
    ADD COLUMN client_network     text NOT NULL DEFAULT '' CHECK (length(client_network) <= 64),
    ADD COLUMN login_method       text NOT NULL DEFAULT 'password' CHECK (login_method ~ '^[a-z_]{1,32}$'),
    ADD COLUMN idle_seconds       integer NOT NULL DEFAULT 1800 CHECK (idle_seconds BETWEEN 60 AND 86400);

-- Sessions started before this migration keep the idle timeout they were
-- given (the operator's, then).
UPDATE sessions SET idle_seconds = LEAST(86400, GREATEST(60,
    extract(epoch FROM idle_expires_at - last_seen_at)::integer));

-- "My sessions": the live sessions of one user, most recently active first.
CREATE INDEX sessions_user_active_idx ON sessions (tenant_id, user_id, last_seen_at DESC) WHERE revoked_at IS NULL;

-- +goose Down
DROP INDEX sessions_user_active_idx;
ALTER TABLE sessions
    DROP COLUMN idle_seconds,
    DROP COLUMN login_method,
    DROP COLUMN client_network,
    DROP COLUMN user_agent_mobile,
    DROP COLUMN user_agent_os,
    DROP COLUMN user_agent_browser;
