-- The areas offers say they cover (ORUK `service_areas` given as GeoJSON polygons): the box
-- around each, for a first check in SQL, and the polygons themselves (as Village writes them
-- again, one MultiPolygon) for the exact one. A search from a postcode through the ORUK API
-- leaves out offers whose areas do not hold it; offers that give no area are not left out.
CREATE TABLE dir_service_areas (
    service_id TEXT NOT NULL REFERENCES dir_services(id) ON DELETE CASCADE,
    min_lat DOUBLE PRECISION NOT NULL,
    max_lat DOUBLE PRECISION NOT NULL,
    min_lon DOUBLE PRECISION NOT NULL,
    max_lon DOUBLE PRECISION NOT NULL,
    extent TEXT NOT NULL
);
CREATE INDEX dir_service_areas_service ON dir_service_areas(service_id);
-- Work Village does once, when the hub next starts, from the records themselves: here, reading
-- the areas of offers listed before this table existed.
CREATE TABLE dir_pending_work (
    task TEXT PRIMARY KEY
);
INSERT INTO dir_pending_work (task) SELECT 'service_areas' WHERE EXISTS (SELECT 1 FROM dir_services);
