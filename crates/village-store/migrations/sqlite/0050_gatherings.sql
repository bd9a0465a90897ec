-- Gatherings (issue 24): events chaired by people with lived experience. A gathering is
-- published only with a chair who agreed and declared lived experience; `sequence` rises on
-- every change of time or place (for calendars); `cancelled_at` starts the clock on
-- forgetting what people said would help them.
CREATE TABLE gatherings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    about TEXT NOT NULL,
    for_whom TEXT NOT NULL DEFAULT '',
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    venue TEXT,
    address TEXT,
    postcode TEXT,
    online_url TEXT,
    capacity INTEGER,
    reserved_places INTEGER NOT NULL DEFAULT 0,
    access TEXT NOT NULL DEFAULT '',
    cost TEXT NOT NULL DEFAULT '',
    organization_id TEXT,
    open_space BOOLEAN NOT NULL DEFAULT FALSE,
    state TEXT NOT NULL CHECK (state IN ('draft', 'published', 'cancelled', 'ended')),
    sequence INTEGER NOT NULL DEFAULT 0,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    cancelled_at INTEGER
);
CREATE INDEX gatherings_starts ON gatherings(starts_at, id);
CREATE INDEX gatherings_group ON gatherings(organization_id, starts_at);

-- Members who organise a gathering besides the group's organisers in the directory.
CREATE TABLE gathering_organisers (
    gathering_id INTEGER NOT NULL REFERENCES gatherings(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    PRIMARY KEY (gathering_id, user_id)
);
CREATE INDEX gathering_organisers_user ON gathering_organisers(user_id);

-- Chairs: invited, then accepted (named on the page only if they chose) or declined;
-- a chair who steps down is declined.
CREATE TABLE gathering_chairs (
    gathering_id INTEGER NOT NULL REFERENCES gatherings(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    state TEXT NOT NULL CHECK (state IN ('invited', 'accepted', 'declined')),
    named BOOLEAN NOT NULL DEFAULT FALSE,
    invited_at INTEGER NOT NULL,
    answered_at INTEGER,
    PRIMARY KEY (gathering_id, user_id)
);
CREATE INDEX gathering_chairs_user ON gathering_chairs(user_id);

-- Places: going, waiting (in the order people joined) or offered (held until offered_until).
CREATE TABLE gathering_sign_ups (
    gathering_id INTEGER NOT NULL REFERENCES gatherings(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    place TEXT NOT NULL CHECK (place IN ('going', 'waiting', 'offered')),
    draws_on_support BOOLEAN NOT NULL DEFAULT FALSE,
    offered_until INTEGER,
    joined_at INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (gathering_id, user_id)
);
CREATE INDEX gathering_sign_ups_user ON gathering_sign_ups(user_id);
CREATE INDEX gathering_sign_ups_place ON gathering_sign_ups(gathering_id, place, seq);

-- What would help someone take part, seen only by organisers and chairs, and deleted 30
-- days after the gathering ends (or is cancelled).
CREATE TABLE gathering_needs (
    gathering_id INTEGER NOT NULL REFERENCES gatherings(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    needs TEXT NOT NULL DEFAULT '',
    words TEXT NOT NULL DEFAULT '',
    at INTEGER NOT NULL,
    PRIMARY KEY (gathering_id, user_id)
);
