-- The search index beside the database (see village-store's directory::index) is kept
-- current from here: each offer says the directory generation it was last written in, so a
-- process whose index reflects generation g reads only the offers changed after g.
ALTER TABLE dir_services ADD COLUMN changed BIGINT NOT NULL DEFAULT 0;
CREATE INDEX dir_services_changed ON dir_services(changed);
