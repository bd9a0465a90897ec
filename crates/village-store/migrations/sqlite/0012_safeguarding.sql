-- Safeguarding: concerns go to the hub's safeguarding leads (a role a hub admin gives beside
-- someone's main role). Concerns and their actions are append-only: never changed, and
-- removed only when a person is forgotten and no concern about them is still open. They
-- hold ids and names as they were, so a concern survives the people in it being forgotten.
ALTER TABLE users ADD COLUMN safeguarding_lead BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE concerns (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    raised_by INTEGER,
    raised_by_name TEXT NOT NULL,
    about_person INTEGER,
    about_organisation TEXT,
    about_name TEXT NOT NULL,
    what TEXT NOT NULL,
    urgent BOOLEAN NOT NULL DEFAULT FALSE,
    raised_at INTEGER NOT NULL
);
CREATE INDEX concerns_person ON concerns(about_person);

CREATE TABLE concern_actions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    concern_id INTEGER NOT NULL REFERENCES concerns(id),
    by_id INTEGER,
    by_name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('action', 'closed')),
    body TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX concern_actions_concern ON concern_actions(concern_id, id);

CREATE TRIGGER concerns_no_update BEFORE UPDATE ON concerns
BEGIN
    SELECT RAISE(ABORT, 'safeguarding records are append-only');
END;
CREATE TRIGGER concern_actions_no_update BEFORE UPDATE ON concern_actions
BEGIN
    SELECT RAISE(ABORT, 'safeguarding records are append-only');
END;
