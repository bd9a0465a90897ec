-- The words of each offer's name alone, for ranking a search: offers with every word in their
-- name come first. Asking the whole word index for `{name} : (…)` matches read a common word's
-- every match (downwards from the end, a millisecond for "group" in a million offers); this
-- index of names (20 MB for a million offers) answers up to a bound at once. (Positions are kept,
-- as in the whole index, so a word the tokenizer splits in two is still a phrase it can read.)
CREATE VIRTUAL TABLE dir_names_fts USING fts5(
    name,
    content = 'dir_services', content_rowid = 'rowid',
    tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER dir_names_fts_insert AFTER INSERT ON dir_services BEGIN
    INSERT INTO dir_names_fts(rowid, name) VALUES (new.rowid, new.name);
END;
CREATE TRIGGER dir_names_fts_delete AFTER DELETE ON dir_services BEGIN
    INSERT INTO dir_names_fts(dir_names_fts, rowid, name) VALUES ('delete', old.rowid, old.name);
END;
CREATE TRIGGER dir_names_fts_update AFTER UPDATE ON dir_services BEGIN
    INSERT INTO dir_names_fts(dir_names_fts, rowid, name) VALUES ('delete', old.rowid, old.name);
    INSERT INTO dir_names_fts(rowid, name) VALUES (new.rowid, new.name);
END;
INSERT INTO dir_names_fts(dir_names_fts) VALUES ('rebuild');
