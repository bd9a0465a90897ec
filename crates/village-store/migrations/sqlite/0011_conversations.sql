-- Conversations: a connector's short story of a conversation, in the person's own terms.
-- The person reads every one and can agree, comment or ask for a change.
CREATE TABLE conversations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    connector_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    happened_on TEXT NOT NULL,
    story TEXT NOT NULL,
    next_steps TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('shared', 'agreed', 'change_asked')),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX conversations_person ON conversations(person_id, id);
CREATE INDEX conversations_connector ON conversations(connector_id);

CREATE TABLE conversation_replies (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    author_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    kind TEXT NOT NULL CHECK (kind IN ('agree', 'comment', 'change', 'revised')),
    body TEXT NOT NULL DEFAULT '',
    at INTEGER NOT NULL
);
CREATE INDEX conversation_replies_conversation ON conversation_replies(conversation_id, id);
