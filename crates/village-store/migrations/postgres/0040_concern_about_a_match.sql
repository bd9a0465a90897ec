-- A concern can be about a help match ("something's not right" on a match page): the match's
-- number is kept with it so the safeguarding leads can read that match. No reference to
-- help_matches: a concern outlives a match that goes when one of the two is forgotten.
-- The one change allowed to a concern (removing a visitor's name and way back) keeps it too.
ALTER TABLE concerns ADD COLUMN about_help_match BIGINT;
CREATE INDEX concerns_help_match ON concerns(about_help_match) WHERE about_help_match IS NOT NULL;
CREATE OR REPLACE FUNCTION concerns_only_forget_a_visitor() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.raised_by IS NULL AND NEW.raised_by IS NULL
        AND NEW.raised_by_name = '' AND NEW.raiser_contact = ''
        AND NEW.id = OLD.id
        AND NEW.about_person IS NOT DISTINCT FROM OLD.about_person
        AND NEW.about_group IS NOT DISTINCT FROM OLD.about_group
        AND NEW.about_help_match IS NOT DISTINCT FROM OLD.about_help_match
        AND NEW.about_name = OLD.about_name
        AND NEW.what = OLD.what
        AND NEW.urgent = OLD.urgent
        AND NEW.raised_at = OLD.raised_at
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'safeguarding records are append-only';
END;
$$;
