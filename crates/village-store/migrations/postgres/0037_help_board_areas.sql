-- The board near a place at a hub's scale (100,000 open posts and more). A post's point is
-- the middle of its area (a hub's area or a postcode district), so "nearest first" is a
-- question about areas: the few near the place are read newest first, each through its own
-- index, instead of every open post being measured. `help_areas` holds each area posted
-- in with its middle (updated by every post), for the board's bands and its list of areas.
-- Area names are never personal: a hub's area or a postcode district.

CREATE TABLE help_areas (
    area TEXT PRIMARY KEY,
    lat DOUBLE PRECISION,
    lon DOUBLE PRECISION,
    last_posted_at BIGINT NOT NULL
);
-- Each area placed where its newest post placed it.
INSERT INTO help_areas (area, lat, lon, last_posted_at)
    SELECT p.area, p.lat, p.lon, p.created_at FROM help_posts p
    JOIN (SELECT area, MAX(id) AS id FROM help_posts WHERE area <> '' GROUP BY area) newest ON newest.id = p.id;

-- Open posts newest first, with what the board filters on, so a page is read from the index.
CREATE INDEX help_posts_open_newest ON help_posts(state, id, expires_at, lat, area, kind, category, urgency);
-- The same within one area.
CREATE INDEX help_posts_open_area ON help_posts(state, area, id, expires_at, lat, kind, category, urgency);
-- Posts with no place, which come last near a place.
CREATE INDEX help_posts_unplaced ON help_posts(state, id) WHERE lat IS NULL;
