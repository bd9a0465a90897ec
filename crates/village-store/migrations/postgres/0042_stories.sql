-- Stories: people tell what happened in their own words. A story is read by a steward before
-- anyone else sees it; the words as the author wrote them, as a steward suggested changing
-- them (each change with a rule), and as published are kept apart, so nothing from before
-- moderation is ever shown, sent or fed out. Withdrawing a story removes its words.
CREATE TABLE stories (
    id BIGSERIAL PRIMARY KEY,
    author_id BIGINT NOT NULL REFERENCES users(id),
    told_by TEXT NOT NULL CHECK (told_by IN ('self', 'family', 'friend', 'supporter')),
    screen_name TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    happened_month TEXT,
    audience TEXT NOT NULL CHECK (audience IN ('private', 'hub', 'public')),
    open_data BOOLEAN NOT NULL DEFAULT FALSE,
    state TEXT NOT NULL CHECK (state IN ('submitted', 'awaiting_author', 'published', 'withheld', 'withdrawn')),
    edited_title TEXT,
    edited_body TEXT,
    edit_rules TEXT NOT NULL DEFAULT '',
    steward_reason TEXT NOT NULL DEFAULT '',
    published_title TEXT,
    published_body TEXT,
    submitted_at BIGINT NOT NULL,
    decided_at BIGINT,
    decided_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    published_at BIGINT,
    withdrawn_at BIGINT
);
CREATE INDEX stories_state ON stories(state, submitted_at);
CREATE INDEX stories_author ON stories(author_id, id);

-- The groups (ORUK organization ids) and offers (service ids) a story is about.
CREATE TABLE story_groups (
    story_id BIGINT NOT NULL REFERENCES stories(id),
    organization_id TEXT NOT NULL,
    PRIMARY KEY (story_id, organization_id)
);
CREATE TABLE story_offers (
    story_id BIGINT NOT NULL REFERENCES stories(id),
    service_id TEXT NOT NULL,
    PRIMARY KEY (story_id, service_id)
);
