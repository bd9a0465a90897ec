-- Matching reads thousands of candidate rows for a dense city; decoding and joining their
-- columns one by one cost more than finding them. Each row now carries its facts ready to
-- send (`facts`: the fields matching reads, packed by village_store::connections), beside the
-- columns the candidate query filters on. Rows are kept in order of their place's cell and
-- then of their access key (village_domain::connections::matching::access_key), so places
-- without a need someone marked essential are skipped, not read. The table is derived from
-- the records: it is made again empty, and filled from them when the hub starts.
DROP TABLE dir_service_match;
CREATE TABLE dir_service_match (
    cell INTEGER NOT NULL,
    service_id TEXT NOT NULL REFERENCES dir_services(id) ON DELETE CASCADE,
    place_no INTEGER NOT NULL,
    lat DOUBLE PRECISION,
    lon DOUBLE PRECISION,
    access INTEGER NOT NULL,
    bits INTEGER NOT NULL,
    minimum_age INTEGER,
    maximum_age INTEGER,
    h0 INTEGER,
    h1 INTEGER,
    h2 INTEGER,
    facts TEXT NOT NULL,
    PRIMARY KEY (cell, access, service_id, place_no)
) WITHOUT ROWID;
CREATE INDEX dir_service_match_service ON dir_service_match(service_id);
