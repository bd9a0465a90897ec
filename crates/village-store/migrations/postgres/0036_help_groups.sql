-- A group in the directory posting asks and offers in its own name: the organiser who posted
-- stays the post's author (their organisers act for it), and the group is named beside it.
-- The name is kept as it was when posted, so the board needs no look into the directory.

ALTER TABLE help_posts ADD COLUMN organization_id TEXT;
ALTER TABLE help_posts ADD COLUMN organization_name TEXT NOT NULL DEFAULT '';
CREATE INDEX help_posts_organization ON help_posts(organization_id) WHERE organization_id IS NOT NULL;
