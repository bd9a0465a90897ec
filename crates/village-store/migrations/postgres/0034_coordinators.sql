-- Mutual aid coordinators: a new role, and help typed in for a member by someone else (a
-- coordinator for a member without email or internet), with how the member agreed.

ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('member', 'connector', 'steward', 'council_officer', 'hub_admin', 'coordinator'));

-- A post typed in for its member: how they agreed to it (`posted_by` says who typed it).
ALTER TABLE help_posts ADD COLUMN agreed_how TEXT CHECK (agreed_how IN ('phone', 'in_person', 'paper'));

-- A step in a match taken by a coordinator for one of its two people, and how they agreed.
ALTER TABLE help_match_events ADD COLUMN for_id BIGINT REFERENCES users(id) ON DELETE SET NULL;
ALTER TABLE help_match_events ADD COLUMN agreed_how TEXT CHECK (agreed_how IN ('phone', 'in_person', 'paper'));

-- A message typed for its author: how they agreed to it (`typed_by` says who typed it).
ALTER TABLE help_messages ADD COLUMN agreed_how TEXT CHECK (agreed_how IN ('phone', 'in_person', 'paper'));
