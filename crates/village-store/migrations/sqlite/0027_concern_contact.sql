-- A concern raised by someone who is not signed in: how the leads can reach them (optional,
-- in their words). Empty for members, whose account says who they are.
ALTER TABLE concerns ADD COLUMN raiser_contact TEXT NOT NULL DEFAULT '';
