-- Connections: the facts matching reads about each offer's places, a person's saved and
-- dismissed suggestions and preferences, introductions with their history, and in-app notices.

-- One row per public, active offer and place (cell -1 for an offer with no place): what
-- matching needs to judge a candidate without reading its record. `cell` is a 0.01° grid
-- square, so the places near someone are read as a few ranges of the primary key.
CREATE TABLE dir_service_match (
    cell INTEGER NOT NULL,
    service_id TEXT NOT NULL REFERENCES dir_services(id) ON DELETE CASCADE,
    place_no INTEGER NOT NULL,
    lat DOUBLE PRECISION,
    lon DOUBLE PRECISION,
    bits INTEGER NOT NULL,
    minimum_age INTEGER,
    maximum_age INTEGER,
    free BOOLEAN,
    h0 INTEGER,
    h1 INTEGER,
    h2 INTEGER,
    PRIMARY KEY (cell, service_id, place_no)
) WITHOUT ROWID;
CREATE INDEX dir_service_match_service ON dir_service_match(service_id);

CREATE TABLE suggestion_marks (
    person_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    service_id TEXT NOT NULL,
    mark TEXT NOT NULL CHECK (mark IN ('saved', 'dismissed')),
    reason TEXT NOT NULL DEFAULT '',
    at INTEGER NOT NULL,
    PRIMARY KEY (person_id, service_id)
);

CREATE TABLE connection_preferences (
    user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    lived_experience BOOLEAN NOT NULL DEFAULT FALSE,
    free BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE introductions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    service_id TEXT NOT NULL,
    organization_id TEXT,
    offer_name TEXT NOT NULL,
    requested_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    state TEXT NOT NULL CHECK (state IN ('requested', 'sent', 'accepted', 'declined', 'met', 'going_well', 'stopped', 'withdrawn')),
    share_support BOOLEAN NOT NULL DEFAULT FALSE,
    contact TEXT NOT NULL DEFAULT '',
    message TEXT NOT NULL DEFAULT '',
    support_text TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    sent_at INTEGER,
    nudged_at INTEGER,
    escalated_at INTEGER
);
CREATE INDEX introductions_person ON introductions(person_id, id);
CREATE INDEX introductions_organization ON introductions(organization_id, id);
CREATE INDEX introductions_waiting ON introductions(state, sent_at);

CREATE TABLE introduction_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    introduction_id INTEGER NOT NULL REFERENCES introductions(id) ON DELETE CASCADE,
    actor_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    action TEXT NOT NULL,
    from_state TEXT,
    to_state TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    at INTEGER NOT NULL
);
CREATE INDEX introduction_events_introduction ON introduction_events(introduction_id, id);

CREATE TABLE notifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    link TEXT NOT NULL DEFAULT '',
    at INTEGER NOT NULL,
    read_at INTEGER
);
CREATE INDEX notifications_user ON notifications(user_id, id);
