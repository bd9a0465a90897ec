-- Answers to published stories, in public: from the groups a story names (their organisers)
-- and from the council (council officers), each saying whether a change is planned or made.
-- An answer that names the person who told the story is held until a steward lets it show.
-- "This happened to me too" from readers: one per member.
CREATE TABLE story_answers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    story_id INTEGER NOT NULL REFERENCES stories(id),
    -- The group answering (an ORUK organization id); NULL for the council.
    organization_id TEXT,
    answered_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    change TEXT NOT NULL CHECK (change IN ('none', 'planned', 'made')),
    held BOOLEAN NOT NULL DEFAULT FALSE,
    at INTEGER NOT NULL
);
CREATE INDEX story_answers_story ON story_answers(story_id, id);

CREATE TABLE story_me_too (
    story_id INTEGER NOT NULL REFERENCES stories(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    at INTEGER NOT NULL,
    PRIMARY KEY (story_id, user_id)
);
