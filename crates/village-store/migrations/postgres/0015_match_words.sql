-- Matching also keeps a fingerprint of each offer's words (4 × 63 bits), so it can bound the
-- word score without reading the record. The table is derived from the records: it is made
-- again empty, and filled from them when the hub starts.
DROP TABLE dir_service_match;
CREATE TABLE dir_service_match (
    cell BIGINT NOT NULL,
    service_id TEXT NOT NULL REFERENCES dir_services(id) ON DELETE CASCADE,
    place_no BIGINT NOT NULL,
    lat DOUBLE PRECISION,
    lon DOUBLE PRECISION,
    bits BIGINT NOT NULL,
    minimum_age BIGINT,
    maximum_age BIGINT,
    free BOOLEAN,
    h0 BIGINT,
    h1 BIGINT,
    h2 BIGINT,
    w0 BIGINT NOT NULL,
    w1 BIGINT NOT NULL,
    w2 BIGINT NOT NULL,
    w3 BIGINT NOT NULL,
    PRIMARY KEY (cell, service_id, place_no) INCLUDE (lat, lon, bits, minimum_age, maximum_age, free, h0, h1, h2, w0, w1, w2, w3)
);
CREATE INDEX dir_service_match_service ON dir_service_match(service_id);
