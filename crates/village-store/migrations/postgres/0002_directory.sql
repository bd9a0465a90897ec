-- The community directory. Each Open Referral UK record is kept whole (`doc`, JSON text) so
-- that what is imported is published and exported unchanged; the other columns and tables
-- are the index Village searches and filters on, rebuilt whenever the record changes.

CREATE TABLE dir_services (
    id TEXT PRIMARY KEY,
    organization_id TEXT,
    organization_name TEXT,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    minimum_age BIGINT,
    maximum_age BIGINT,
    free BOOLEAN,
    last_modified TEXT,
    public BOOLEAN NOT NULL DEFAULT TRUE,
    doc TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    -- Words to search: English stemming over name, description and organisation.
    search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', name), 'A')
        || setweight(to_tsvector('english', description), 'B')
        || setweight(to_tsvector('english', COALESCE(organization_name, '')), 'C')
    ) STORED
);
CREATE INDEX dir_services_name ON dir_services(name, id);
CREATE INDEX dir_services_search ON dir_services USING GIN (search);

CREATE TABLE dir_service_terms (
    service_id TEXT NOT NULL REFERENCES dir_services(id) ON DELETE CASCADE,
    term_id TEXT NOT NULL,
    PRIMARY KEY (service_id, term_id)
);
CREATE INDEX dir_service_terms_term ON dir_service_terms(term_id, service_id);

-- Weekly (or monthly) times, in minutes after midnight, one row a day.
CREATE TABLE dir_service_times (
    service_id TEXT NOT NULL REFERENCES dir_services(id) ON DELETE CASCADE,
    day TEXT NOT NULL,
    opens BIGINT NOT NULL,
    closes BIGINT NOT NULL
);
CREATE INDEX dir_service_times_service ON dir_service_times(service_id);
CREATE INDEX dir_service_times_day ON dir_service_times(day, opens, closes);

CREATE TABLE dir_service_places (
    service_id TEXT NOT NULL REFERENCES dir_services(id) ON DELETE CASCADE,
    lat DOUBLE PRECISION NOT NULL,
    lon DOUBLE PRECISION NOT NULL,
    postcode TEXT
);
CREATE INDEX dir_service_places_service ON dir_service_places(service_id);
CREATE INDEX dir_service_places_lat_lon ON dir_service_places(lat, lon);

CREATE TABLE dir_taxonomies (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    doc TEXT NOT NULL
);

CREATE TABLE dir_taxonomy_terms (
    id TEXT PRIMARY KEY,
    taxonomy_id TEXT,
    parent_id TEXT,
    name TEXT NOT NULL,
    doc TEXT NOT NULL
);
CREATE INDEX dir_taxonomy_terms_taxonomy ON dir_taxonomy_terms(taxonomy_id, name);
