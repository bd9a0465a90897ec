-- A gathering that comes round (issue 24): `weekly` or `monthly` (the same week-day of the
-- same week) until a day, skipping some days; `last_ends_at` is when its last time ends (its
-- own end for one that happens once), which is when it has ended.
ALTER TABLE gatherings ADD COLUMN repeats TEXT NOT NULL DEFAULT 'once';
ALTER TABLE gatherings ADD COLUMN repeat_until TEXT;
ALTER TABLE gatherings ADD COLUMN skipped TEXT NOT NULL DEFAULT '';
ALTER TABLE gatherings ADD COLUMN last_ends_at BIGINT NOT NULL DEFAULT 0;
UPDATE gatherings SET last_ends_at = ends_at;
CREATE INDEX gatherings_last_ends ON gatherings(last_ends_at);
