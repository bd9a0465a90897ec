-- People at the centre: profile sections with their own visibility, the history of every
-- change (who made it), every sharing choice, the circle of support, and chosen connectors.
CREATE TABLE profile_sections (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    section TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    structure TEXT,
    visibility TEXT NOT NULL CHECK (visibility IN ('only_me', 'circle', 'connectors', 'members', 'public')),
    updated_at INTEGER NOT NULL,
    updated_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    PRIMARY KEY (user_id, section)
);

CREATE TABLE profile_edits (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    section TEXT NOT NULL,
    editor_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    before_body TEXT NOT NULL DEFAULT '',
    before_structure TEXT,
    after_body TEXT NOT NULL DEFAULT '',
    after_structure TEXT,
    at INTEGER NOT NULL,
    undoes INTEGER
);
CREATE INDEX profile_edits_user ON profile_edits(user_id, id);

CREATE TABLE consents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    what TEXT NOT NULL,
    shared_with TEXT NOT NULL,
    previous TEXT,
    by_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    at INTEGER NOT NULL
);
CREATE INDEX consents_user ON consents(user_id, id);

CREATE TABLE circle_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    ring TEXT NOT NULL CHECK (ring IN ('close', 'family_friends', 'community', 'paid')),
    name TEXT NOT NULL,
    contact TEXT NOT NULL DEFAULT '',
    member_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    status TEXT NOT NULL CHECK (status IN ('listed', 'invited', 'accepted', 'declined')),
    supporter BOOLEAN NOT NULL DEFAULT FALSE,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (owner_id, member_id)
);
CREATE INDEX circle_entries_owner ON circle_entries(owner_id, id);
CREATE INDEX circle_entries_member ON circle_entries(member_id);

CREATE TABLE person_connectors (
    person_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    connector_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('offered', 'accepted')),
    created_at INTEGER NOT NULL,
    accepted_at INTEGER,
    PRIMARY KEY (person_id, connector_id)
);
CREATE INDEX person_connectors_connector ON person_connectors(connector_id);
