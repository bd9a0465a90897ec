-- The hours of the week each offer may happen in, as matching keeps them for each place
-- (`dir_service_match`): bit day * 24 + hour, 56 bits to a number, whole hours, so never less
-- than the real times. A search for a day or a time of day walks offers in order of name in
-- the index below and reads an offer's times only when these hours can meet the search.
ALTER TABLE dir_services ADD COLUMN h0 BIGINT;
ALTER TABLE dir_services ADD COLUMN h1 BIGINT;
ALTER TABLE dir_services ADD COLUMN h2 BIGINT;
-- The offers listed before: each time slot marks the hours from the one it opens in to the one
-- it closes in (the whole day when it closes at or before it opens), as Village marks them.
CREATE TEMP TABLE week_hours_fill AS
WITH RECURSIVE hours(h) AS (SELECT 0 UNION ALL SELECT h + 1 FROM hours WHERE h < 23),
marked AS (
    SELECT DISTINCT t.service_id,
        (CASE t.day WHEN 'MO' THEN 0 WHEN 'TU' THEN 1 WHEN 'WE' THEN 2 WHEN 'TH' THEN 3
                    WHEN 'FR' THEN 4 WHEN 'SA' THEN 5 ELSE 6 END) * 24 + hours.h AS i
    FROM dir_service_times t JOIN hours
        ON t.closes <= t.opens OR (hours.h >= t.opens / 60 AND hours.h < (t.closes + 59) / 60)
)
SELECT service_id,
    CAST(SUM(CASE WHEN i / 56 = 0 THEN CAST(1 AS BIGINT) << (i % 56) ELSE 0 END) AS BIGINT) AS h0,
    CAST(SUM(CASE WHEN i / 56 = 1 THEN CAST(1 AS BIGINT) << (i % 56) ELSE 0 END) AS BIGINT) AS h1,
    CAST(SUM(CASE WHEN i / 56 = 2 THEN CAST(1 AS BIGINT) << (i % 56) ELSE 0 END) AS BIGINT) AS h2
FROM marked GROUP BY service_id;
UPDATE dir_services SET h0 = w.h0, h1 = w.h1, h2 = w.h2
FROM week_hours_fill w WHERE w.service_id = dir_services.id;
DROP TABLE week_hours_fill;
DROP INDEX dir_services_public_name;
CREATE INDEX dir_services_public_name ON dir_services(public, name, id, h0, h1, h2);
-- The planner's statistics for the new index (the old one's went with it): without them SQLite
-- may take the index for a way to find public offers and read all of it to find a few
-- (a quarter of a second at 1M offers).
ANALYZE dir_services_public_name;
