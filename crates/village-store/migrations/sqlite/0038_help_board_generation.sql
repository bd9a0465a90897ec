-- The board of asks and offers is kept in memory by each process while nothing it shows has
-- changed. `help_generation` moves on with every change to a post (new, closed, renewed,
-- forgotten) and to a member's name (the board shows who posted), in the same transaction as
-- the change, whichever process or command makes it: a process reads this one row to know
-- whether what it keeps is still the board.
CREATE TABLE help_generation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    value INTEGER NOT NULL
);
INSERT INTO help_generation (id, value) VALUES (1, 0);

CREATE TRIGGER help_posts_added AFTER INSERT ON help_posts
BEGIN
    UPDATE help_generation SET value = value + 1 WHERE id = 1;
END;
CREATE TRIGGER help_posts_changed AFTER UPDATE ON help_posts
BEGIN
    UPDATE help_generation SET value = value + 1 WHERE id = 1;
END;
CREATE TRIGGER help_posts_removed AFTER DELETE ON help_posts
BEGIN
    UPDATE help_generation SET value = value + 1 WHERE id = 1;
END;
CREATE TRIGGER help_posters_renamed AFTER UPDATE OF display_name ON users
BEGIN
    UPDATE help_generation SET value = value + 1 WHERE id = 1;
END;
