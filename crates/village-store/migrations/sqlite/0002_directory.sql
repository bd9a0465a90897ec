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
    minimum_age INTEGER,
    maximum_age INTEGER,
    free BOOLEAN,
    last_modified TEXT,
    public BOOLEAN NOT NULL DEFAULT TRUE,
    doc TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX dir_services_name ON dir_services(name, id);

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
    opens INTEGER NOT NULL,
    closes INTEGER NOT NULL
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

-- Words to search: English stemming (porter) over name, description and organisation.
CREATE VIRTUAL TABLE dir_services_fts USING fts5(
    name, description, organization_name,
    content = 'dir_services', content_rowid = 'rowid',
    tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER dir_services_fts_insert AFTER INSERT ON dir_services BEGIN
    INSERT INTO dir_services_fts(rowid, name, description, organization_name)
    VALUES (new.rowid, new.name, new.description, COALESCE(new.organization_name, ''));
END;
CREATE TRIGGER dir_services_fts_delete AFTER DELETE ON dir_services BEGIN
    INSERT INTO dir_services_fts(dir_services_fts, rowid, name, description, organization_name)
    VALUES ('delete', old.rowid, old.name, old.description, COALESCE(old.organization_name, ''));
END;
CREATE TRIGGER dir_services_fts_update AFTER UPDATE ON dir_services BEGIN
    INSERT INTO dir_services_fts(dir_services_fts, rowid, name, description, organization_name)
    VALUES ('delete', old.rowid, old.name, old.description, COALESCE(old.organization_name, ''));
    INSERT INTO dir_services_fts(rowid, name, description, organization_name)
    VALUES (new.rowid, new.name, new.description, COALESCE(new.organization_name, ''));
END;
