-- Requests to join, waiting for the person to open the link sent to their address. Nothing
-- here is an account: a row becomes one only when its link is opened, and goes when it runs out.
CREATE TABLE pending_joins (
    token_hash TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    invite_id BIGINT REFERENCES invites(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX pending_joins_email ON pending_joins(email);
CREATE INDEX pending_joins_expires ON pending_joins(expires_at);
