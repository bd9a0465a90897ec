-- A search near a place reads the places kept for matching, which only has active offers;
-- the few public offers that are not active are found through this index instead.
CREATE INDEX dir_services_not_active ON dir_services(id) WHERE lower(status) <> 'active';
-- Counting the offers open at a time reads the times in order of day and hour; with the
-- offer's id in the index too, the table itself is not read.
DROP INDEX dir_service_times_day;
CREATE INDEX dir_service_times_day ON dir_service_times(day, opens, closes, service_id);
