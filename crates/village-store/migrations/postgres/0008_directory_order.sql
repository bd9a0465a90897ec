-- Listing public offers by name (the ORUK /services list, pages sorted A to Z) reads this
-- index in order instead of sorting the whole directory.
CREATE INDEX dir_services_public_name ON dir_services(public, name, id);
