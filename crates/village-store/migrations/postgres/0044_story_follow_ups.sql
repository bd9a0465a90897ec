-- "Did things change?": four weeks after a story's first answer, and again at twelve, its
-- teller is asked (once each: story_follow_up_asks), and answers yes, partly, no or not
-- sure, with words if they like. The newest answer is the one that counts.
CREATE TABLE story_follow_ups (
    id BIGSERIAL PRIMARY KEY,
    story_id BIGINT NOT NULL REFERENCES stories(id),
    changed TEXT NOT NULL CHECK (changed IN ('yes', 'partly', 'no', 'not_sure')),
    words TEXT NOT NULL DEFAULT '',
    at BIGINT NOT NULL
);
CREATE INDEX story_follow_ups_story ON story_follow_ups(story_id, id);

CREATE TABLE story_follow_up_asks (
    story_id BIGINT NOT NULL REFERENCES stories(id),
    week BIGINT NOT NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (story_id, week)
);
