-- A gathering at the place of an offer in the directory (its ORUK service id): its venue,
-- address and postcode were filled from the offer's first location.
ALTER TABLE gatherings ADD COLUMN offer_id TEXT;
