-- Where each service happens, by the ORUK service_at_location id, for /service_at_locations.
CREATE TABLE dir_service_at_locations (
    id TEXT PRIMARY KEY,
    service_id TEXT NOT NULL REFERENCES dir_services(id) ON DELETE CASCADE
);
CREATE INDEX dir_service_at_locations_service ON dir_service_at_locations(service_id);
