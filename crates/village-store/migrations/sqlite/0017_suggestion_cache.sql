-- Suggestions kept per person, so "Ideas for you" does not work them out again while nothing
-- they depend on has changed: the cache key covers what the person lets matching see, their
-- choices, the hub's weights and the directory's generation, which every change to the
-- directory's offers moves on (in the same transaction as the change).
CREATE TABLE dir_generation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    value INTEGER NOT NULL
);
INSERT INTO dir_generation (id, value) VALUES (1, 0);

CREATE TABLE suggestion_cache (
    person_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- 'own' (the person's whole profile) or 'connectors' (what they share with connectors)
    scope TEXT NOT NULL CHECK (scope IN ('own', 'connectors')),
    cache_key TEXT NOT NULL,
    ideas TEXT NOT NULL,
    computed_at INTEGER NOT NULL,
    PRIMARY KEY (person_id, scope)
);
