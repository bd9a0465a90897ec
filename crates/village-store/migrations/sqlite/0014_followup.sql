-- Follow-up a person owns (wellbeing check-ins), and shortlists a connector builds for a
-- person who chose them.
CREATE TABLE checkins (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    moment TEXT NOT NULL CHECK (moment IN ('start', 'six_weeks', 'three_months')),
    satisfied INTEGER CHECK (satisfied BETWEEN 0 AND 10),
    worthwhile INTEGER CHECK (worthwhile BETWEEN 0 AND 10),
    happy INTEGER CHECK (happy BETWEEN 0 AND 10),
    anxious INTEGER CHECK (anxious BETWEEN 0 AND 10),
    changed TEXT NOT NULL DEFAULT '',
    at INTEGER NOT NULL,
    UNIQUE (person_id, moment)
);

CREATE TABLE shortlists (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    connector_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    shared_at INTEGER
);
CREATE INDEX shortlists_person ON shortlists(person_id, id);

CREATE TABLE shortlist_items (
    shortlist_id INTEGER NOT NULL REFERENCES shortlists(id) ON DELETE CASCADE,
    service_id TEXT NOT NULL,
    offer_name TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    added_at INTEGER NOT NULL,
    picked_at INTEGER,
    PRIMARY KEY (shortlist_id, service_id)
);
