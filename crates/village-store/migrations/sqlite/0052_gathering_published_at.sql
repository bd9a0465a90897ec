-- When a gathering was first published: a draft that is cancelled was never public, so it stays
-- hidden from everyone but its organisers and the people asked to chair it.
ALTER TABLE gatherings ADD COLUMN published_at INTEGER;
