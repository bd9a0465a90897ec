-- Processes on PostgreSQL keep recently read sessions in memory for a few seconds. Any change
-- that could end a session or change who its holder is (a session deleted; an account
-- changed or deleted, by any process or the command line) tells every process to forget
-- them at once, after the change commits.
CREATE FUNCTION village_sessions_changed() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('village_sessions', TG_TABLE_NAME);
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER sessions_changed AFTER DELETE OR TRUNCATE ON sessions
    FOR EACH STATEMENT EXECUTE FUNCTION village_sessions_changed();
CREATE TRIGGER users_changed AFTER UPDATE OR DELETE OR TRUNCATE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION village_sessions_changed();
