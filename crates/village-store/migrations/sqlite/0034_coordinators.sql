-- Mutual aid coordinators: a new role, and help typed in for a member by someone else (a
-- coordinator for a member without email or internet), with how the member agreed.

-- The role: SQLite cannot change a CHECK in place, and rebuilding `users` would run every
-- ON DELETE CASCADE pointing at it. Allowing one more value changes nothing already stored,
-- so the table's definition is edited as SQLite's documentation describes ("Making Other
-- Kinds Of Table Schema Changes"), and the schema cookie is moved on by a real change (as
-- the columns added below do too) so every open connection reads the new definition.
PRAGMA writable_schema = ON;
UPDATE sqlite_master
SET sql = replace(sql,
    'role IN (''member'', ''connector'', ''steward'', ''council_officer'', ''hub_admin'')',
    'role IN (''member'', ''connector'', ''steward'', ''council_officer'', ''hub_admin'', ''coordinator'')')
WHERE type = 'table' AND name = 'users';
PRAGMA writable_schema = OFF;
CREATE TABLE schema_cookie_bump (x INTEGER);
DROP TABLE schema_cookie_bump;

-- A post typed in for its member: how they agreed to it (`posted_by` says who typed it).
ALTER TABLE help_posts ADD COLUMN agreed_how TEXT CHECK (agreed_how IN ('phone', 'in_person', 'paper'));

-- A step in a match taken by a coordinator for one of its two people, and how they agreed.
ALTER TABLE help_match_events ADD COLUMN for_id INTEGER REFERENCES users(id) ON DELETE SET NULL;
ALTER TABLE help_match_events ADD COLUMN agreed_how TEXT CHECK (agreed_how IN ('phone', 'in_person', 'paper'));

-- A message typed for its author: how they agreed to it (`typed_by` says who typed it).
ALTER TABLE help_messages ADD COLUMN agreed_how TEXT CHECK (agreed_how IN ('phone', 'in_person', 'paper'));
