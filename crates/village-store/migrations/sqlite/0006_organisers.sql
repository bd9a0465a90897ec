-- Group organisers: a member claims a listing's organisation, a steward approves, and from
-- then on they edit its listings directly (every edit is still kept as a version).
CREATE TABLE dir_claims (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    message TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    decided_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    decision_reason TEXT,
    created_at INTEGER NOT NULL,
    decided_at INTEGER
);
CREATE INDEX dir_claims_status ON dir_claims(status, id);

CREATE TABLE dir_organisers (
    organization_id TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    granted_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    granted_at INTEGER NOT NULL,
    PRIMARY KEY (organization_id, user_id)
);
CREATE INDEX dir_organisers_user ON dir_organisers(user_id);
