-- Postcode centroids (from the ONS Postcode Directory: pcds, lat, long) so people can search
-- "near a postcode". Postcodes are stored in their usual form, e.g. 'M1 1AE'.
CREATE TABLE postcodes (
    postcode TEXT PRIMARY KEY,
    district TEXT NOT NULL,
    lat DOUBLE PRECISION NOT NULL,
    lon DOUBLE PRECISION NOT NULL
);
CREATE INDEX postcodes_district ON postcodes(district);
