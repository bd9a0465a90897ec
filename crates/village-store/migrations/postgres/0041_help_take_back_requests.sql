-- One of the two may ask a coordinator to take back time that was added (it was a mistake),
-- once, saying why: the coordinators then see the match, and take it back or keep it (it was
-- right). The request stays with the exchange; the one who asked is named while they are a
-- member, and their words go when either of the two is forgotten.
ALTER TABLE help_exchanges ADD COLUMN take_back_asked_by BIGINT REFERENCES users(id) ON DELETE SET NULL;
ALTER TABLE help_exchanges ADD COLUMN take_back_asked_at BIGINT;
ALTER TABLE help_exchanges ADD COLUMN take_back_why TEXT NOT NULL DEFAULT '';
ALTER TABLE help_exchanges ADD COLUMN take_back_kept_by BIGINT REFERENCES users(id) ON DELETE SET NULL;
ALTER TABLE help_exchanges ADD COLUMN take_back_kept_at BIGINT;
CREATE INDEX help_exchanges_take_back ON help_exchanges(take_back_asked_at) WHERE take_back_asked_at IS NOT NULL;
