-- Matching also keeps a fingerprint of each offer's words (4 × 63 bits), so it can bound the
-- word score without reading the record. The table is derived from the records: it is made
-- again empty, and filled from them when the hub starts.
DROP TABLE dir_service_match;
CREATE TABLE dir_service_match (
    cell INTEGER NOT NULL,
    service_id TEXT NOT NULL REFERENCES dir_services(id) ON DELETE CASCADE,
    place_no INTEGER NOT NULL,
    lat DOUBLE PRECISION,
    lon DOUBLE PRECISION,
    bits INTEGER NOT NULL,
    minimum_age INTEGER,
    maximum_age INTEGER,
    free BOOLEAN,
    h0 INTEGER,
    h1 INTEGER,
    h2 INTEGER,
    w0 INTEGER NOT NULL,
    w1 INTEGER NOT NULL,
    w2 INTEGER NOT NULL,
    w3 INTEGER NOT NULL,
    PRIMARY KEY (cell, service_id, place_no)
) WITHOUT ROWID;
CREATE INDEX dir_service_match_service ON dir_service_match(service_id);
