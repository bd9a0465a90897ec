-- PostgreSQL's migration 0007 adds triggers that tell every process (NOTIFY) when a session
-- or an account changes, so sessions kept in memory are forgotten at once. SQLite has no
-- NOTIFY: processes sharing an SQLite file tell each other through a marker file beside it
-- (`Store::sessions_changed`). This migration keeps the two backends' versions the same.
SELECT 1;
