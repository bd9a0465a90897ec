-- Community editing: members suggest listings and changes; stewards approve or reject them
-- with a reason; every change to a listing is kept as a version (who, when, what, why).
CREATE TABLE dir_suggestions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    service_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('new', 'change')),
    doc TEXT NOT NULL,
    why TEXT NOT NULL DEFAULT '',
    suggested_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    decided_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    decision_reason TEXT,
    created_at INTEGER NOT NULL,
    decided_at INTEGER
);
CREATE INDEX dir_suggestions_status ON dir_suggestions(status, id);
CREATE INDEX dir_suggestions_by ON dir_suggestions(suggested_by, id);

CREATE TABLE dir_service_versions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    service_id TEXT NOT NULL,
    doc TEXT NOT NULL,
    changed_by INTEGER,
    change TEXT NOT NULL,
    why TEXT NOT NULL DEFAULT '',
    changed_at INTEGER NOT NULL
);
CREATE INDEX dir_service_versions_service ON dir_service_versions(service_id, id);
