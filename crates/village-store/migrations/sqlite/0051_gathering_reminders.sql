-- Reminders two days before a gathering: when they went (claimed by an update guarded on
-- this being empty, so two servers send them once).
ALTER TABLE gatherings ADD COLUMN reminded_at INTEGER;
