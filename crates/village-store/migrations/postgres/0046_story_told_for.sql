-- A story a connector tells for someone who chose them: recorded as such (told_for), and
-- published only once that person has agreed to its words (person_agreed_at).
ALTER TABLE stories ADD COLUMN told_for BIGINT REFERENCES users(id);
ALTER TABLE stories ADD COLUMN person_agreed_at BIGINT;
CREATE INDEX stories_told_for ON stories(told_for, id);
