-- Mutual aid digests: members who asked for a weekly email of new asks and offers near them
-- (an area, with its middle point), and the asks near them they were told had waited three
-- days with no answer (each told once).

CREATE TABLE help_digests (
    user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    area TEXT NOT NULL,
    lat DOUBLE PRECISION,
    lon DOUBLE PRECISION,
    -- Posts made from this moment on go in the next email.
    since INTEGER NOT NULL,
    -- When the next email is due.
    next_at INTEGER NOT NULL
);
CREATE INDEX help_digests_due ON help_digests(next_at);

CREATE TABLE help_waiting_notices (
    post_id INTEGER NOT NULL REFERENCES help_posts(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    at INTEGER NOT NULL,
    PRIMARY KEY (post_id, user_id)
);
