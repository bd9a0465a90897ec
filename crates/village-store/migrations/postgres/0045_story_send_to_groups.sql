-- A private story may be sent privately to the groups it names ("send it to them
-- privately"): once a steward has read it, their organisers may read and answer it, and
-- nobody else but its teller and the stewards.
ALTER TABLE stories ADD COLUMN send_to_groups BOOLEAN NOT NULL DEFAULT FALSE;
