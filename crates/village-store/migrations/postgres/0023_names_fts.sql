-- (SQLite only: an index of offers' names for ranking searches by words. PostgreSQL ranks with
-- ts_rank, which weighs the name above the description, and needs nothing new.)
SELECT 1;
