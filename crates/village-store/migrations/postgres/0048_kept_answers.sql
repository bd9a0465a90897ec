-- A group may choose, when it answers a story, to keep its own words if the story goes
-- (withdrawn by its teller, or the teller forgotten): they move to kept_answers, without
-- the story, and show on the group's page. Held answers and the council's never move.
ALTER TABLE story_answers ADD COLUMN keep_if_gone BOOLEAN NOT NULL DEFAULT FALSE;
CREATE TABLE kept_answers (
    id BIGSERIAL PRIMARY KEY,
    organization_id TEXT NOT NULL,
    body TEXT NOT NULL,
    change TEXT NOT NULL CHECK (change IN ('none', 'planned', 'made')),
    at BIGINT NOT NULL
);
CREATE INDEX kept_answers_group ON kept_answers(organization_id, at);
