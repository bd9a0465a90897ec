-- A page of offers open at a time walks offers in order and looks up each one's times; with
-- the times in the index too, each look-up reads the index alone.
DROP INDEX dir_service_times_service;
CREATE INDEX dir_service_times_service ON dir_service_times(service_id, day, opens, closes);
