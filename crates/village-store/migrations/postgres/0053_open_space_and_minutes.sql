-- Open space (issue 24): the rooms an organiser names (one per line; none: people name a
-- room as they propose) and how long sessions last. A room holds one session at each time
-- of the grid: the unique key is what stops two people booking it at once.
ALTER TABLE gatherings ADD COLUMN rooms TEXT NOT NULL DEFAULT '';
ALTER TABLE gatherings ADD COLUMN session_minutes BIGINT NOT NULL DEFAULT 60;

CREATE TABLE gathering_sessions (
    id BIGSERIAL PRIMARY KEY,
    gathering_id BIGINT NOT NULL REFERENCES gatherings(id),
    title TEXT NOT NULL,
    room TEXT NOT NULL,
    room_key TEXT NOT NULL,
    starts_at BIGINT NOT NULL,
    -- Who leads it: a member, or someone at the event named by whoever typed it in.
    convener_id BIGINT REFERENCES users(id),
    convener_name TEXT,
    note_taker_id BIGINT REFERENCES users(id),
    notes TEXT NOT NULL DEFAULT '',
    notes_at BIGINT,
    -- The proposal in a decision space it became.
    proposal_id BIGINT REFERENCES proposals(id) ON DELETE SET NULL,
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    UNIQUE (gathering_id, room_key, starts_at)
);
CREATE INDEX gathering_sessions_convener ON gathering_sessions(convener_id);
CREATE INDEX gathering_sessions_note_taker ON gathering_sessions(note_taker_id);

-- The minutes: written by an organiser or a chair, seen by others once a chair approves
-- them. Forgetting someone keeps the counts and unlinks them.
CREATE TABLE gathering_minutes (
    gathering_id BIGINT PRIMARY KEY REFERENCES gatherings(id),
    body TEXT NOT NULL,
    came BIGINT NOT NULL,
    groups TEXT NOT NULL DEFAULT '',
    written_by BIGINT REFERENCES users(id),
    written_at BIGINT NOT NULL,
    approved_by BIGINT REFERENCES users(id),
    approved_at BIGINT
);

CREATE TABLE gathering_actions (
    id BIGSERIAL PRIMARY KEY,
    gathering_id BIGINT NOT NULL REFERENCES gatherings(id),
    position BIGINT NOT NULL,
    what TEXT NOT NULL,
    who TEXT NOT NULL,
    by_day TEXT,
    proposal_id BIGINT REFERENCES proposals(id) ON DELETE SET NULL
);
CREATE INDEX gathering_actions_gathering ON gathering_actions(gathering_id, position);

-- Where a proposal came from (a gathering's session or action), linked back to it.
ALTER TABLE proposals ADD COLUMN came_from_url TEXT;
ALTER TABLE proposals ADD COLUMN came_from_title TEXT;
