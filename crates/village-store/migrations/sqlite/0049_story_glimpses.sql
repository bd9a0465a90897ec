-- A published story the hub features on "Glimpses of the future" (when a steward chose it).
ALTER TABLE stories ADD COLUMN featured_at BIGINT;
