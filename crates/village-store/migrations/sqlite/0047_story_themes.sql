-- The themes a steward picked for a story (codes from the hub's settings).
CREATE TABLE story_themes (
    story_id INTEGER NOT NULL REFERENCES stories(id),
    theme TEXT NOT NULL,
    PRIMARY KEY (story_id, theme)
);
CREATE INDEX story_themes_theme ON story_themes(theme, story_id);
