-- Each service's whole ORUK record moves to its own table. `dir_services` keeps only what
-- searching and sorting read, so scanning it (counting, filtering by time or place) reads a
-- few hundred bytes an offer instead of the whole record; records are read only for the
-- page being shown.
CREATE TABLE dir_service_docs (
    id TEXT PRIMARY KEY REFERENCES dir_services(id) ON DELETE CASCADE,
    doc TEXT NOT NULL
);
INSERT INTO dir_service_docs (id, doc) SELECT id, doc FROM dir_services;
ALTER TABLE dir_services DROP COLUMN doc;
