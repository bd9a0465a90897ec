-- Safety marks: what a steward checked about someone who helps in another person's home or
-- with personal care. One row per person and mark (recording it again brings it up to date).
-- What was seen, when, by whom and until when; never a certificate's number.

CREATE TABLE safety_marks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    mark TEXT NOT NULL CHECK (mark IN ('met_in_person', 'references_taken', 'dbs_basic_seen', 'dbs_enhanced_seen')),
    -- Days, as 2026-12-06.
    seen_on TEXT NOT NULL,
    expires_on TEXT,
    -- The steward who saw it (NULL once their account is gone).
    seen_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    recorded_at INTEGER NOT NULL,
    UNIQUE (user_id, mark)
);
