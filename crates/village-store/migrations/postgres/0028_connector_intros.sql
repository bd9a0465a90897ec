-- What a connector tells people about themselves and how they work, shown to members
-- choosing a connector. Goes when the connector is forgotten.
CREATE TABLE connector_intros (
    user_id BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    about TEXT NOT NULL,
    how_i_work TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
