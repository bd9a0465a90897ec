-- Concerns stay append-only, with one exception: someone who raised a concern without
-- signing in may ask for their name and way back to be removed. The one change allowed
-- blanks those two and nothing else, and only on a concern no member raised.
DROP TRIGGER concerns_no_update;
CREATE TRIGGER concerns_no_update BEFORE UPDATE ON concerns
WHEN NOT (
    OLD.raised_by IS NULL AND NEW.raised_by IS NULL
    AND NEW.raised_by_name = '' AND NEW.raiser_contact = ''
    AND NEW.id = OLD.id
    AND NEW.about_person IS OLD.about_person
    AND NEW.about_group IS OLD.about_group
    AND NEW.about_name = OLD.about_name
    AND NEW.what = OLD.what
    AND NEW.urgent = OLD.urgent
    AND NEW.raised_at = OLD.raised_at
)
BEGIN
    SELECT RAISE(ABORT, 'safeguarding records are append-only');
END;
