-- Mutual aid: asks and offers on the board, matches between the one who posted and someone
-- who answered, the short messages the hub carries between them, and each match's history.
-- A person's phone number lives with their account and is shared only in a match, by choice.

ALTER TABLE users ADD COLUMN phone TEXT NOT NULL DEFAULT '';

CREATE TABLE help_posts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- The member the post is for; whoever typed it is in `posted_by`.
    author_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    posted_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    kind TEXT NOT NULL CHECK (kind IN ('ask', 'offer')),
    category TEXT NOT NULL,
    title TEXT NOT NULL,
    details TEXT NOT NULL DEFAULT '',
    when_from TEXT,
    when_to TEXT,
    -- Roughly where: a hub's area or a postcode district, never an address; the point is
    -- the middle of that area, for "nearest first".
    area TEXT NOT NULL DEFAULT '',
    lat DOUBLE PRECISION,
    lon DOUBLE PRECISION,
    urgency TEXT NOT NULL,
    many_times BOOLEAN NOT NULL DEFAULT FALSE,
    in_home BOOLEAN NOT NULL DEFAULT FALSE,
    personal_care BOOLEAN NOT NULL DEFAULT FALSE,
    state TEXT NOT NULL CHECK (state IN ('open', 'closed')),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX help_posts_board ON help_posts(state, expires_at, id);
CREATE INDEX help_posts_author ON help_posts(author_id, id);

CREATE TABLE help_matches (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    post_id INTEGER NOT NULL REFERENCES help_posts(id) ON DELETE CASCADE,
    responder_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    state TEXT NOT NULL CHECK (state IN ('requested', 'accepted', 'declined', 'done', 'didnt_happen', 'withdrawn')),
    -- What each chose to share once both say yes.
    poster_email BOOLEAN NOT NULL DEFAULT FALSE,
    poster_phone BOOLEAN NOT NULL DEFAULT FALSE,
    responder_email BOOLEAN NOT NULL DEFAULT FALSE,
    responder_phone BOOLEAN NOT NULL DEFAULT FALSE,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX help_matches_post ON help_matches(post_id, id);
CREATE INDEX help_matches_responder ON help_matches(responder_id, id);
-- One open match per person and post: answering twice at once gives the same match.
CREATE UNIQUE INDEX help_matches_one_open ON help_matches(post_id, responder_id)
    WHERE state IN ('requested', 'accepted');

CREATE TABLE help_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    match_id INTEGER NOT NULL REFERENCES help_matches(id) ON DELETE CASCADE,
    author_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- Set when someone typed it for the author (a coordinator).
    typed_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX help_messages_match ON help_messages(match_id, id);

CREATE TABLE help_match_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    match_id INTEGER NOT NULL REFERENCES help_matches(id) ON DELETE CASCADE,
    actor_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    action TEXT NOT NULL,
    from_state TEXT,
    to_state TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX help_match_events_match ON help_match_events(match_id, id);
