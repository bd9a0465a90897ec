-- One word per thing: what the directory's records call an organization is a group everywhere
-- else in Village (pages, API, code), so the two columns that held one's id say so too.
ALTER TABLE concerns RENAME COLUMN about_organisation TO about_group;
ALTER TABLE bids RENAME COLUMN organisation_id TO group_id;
