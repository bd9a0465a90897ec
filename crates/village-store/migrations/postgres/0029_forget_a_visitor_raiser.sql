-- Concerns stay append-only, with one exception: someone who raised a concern without
-- signing in may ask for their name and way back to be removed. The one change allowed
-- blanks those two and nothing else, and only on a concern no member raised.
CREATE FUNCTION concerns_only_forget_a_visitor() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.raised_by IS NULL AND NEW.raised_by IS NULL
        AND NEW.raised_by_name = '' AND NEW.raiser_contact = ''
        AND NEW.id = OLD.id
        AND NEW.about_person IS NOT DISTINCT FROM OLD.about_person
        AND NEW.about_group IS NOT DISTINCT FROM OLD.about_group
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
DROP TRIGGER concerns_no_update ON concerns;
CREATE TRIGGER concerns_no_update BEFORE UPDATE ON concerns FOR EACH ROW EXECUTE FUNCTION concerns_only_forget_a_visitor();
