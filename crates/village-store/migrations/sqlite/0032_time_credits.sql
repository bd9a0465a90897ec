-- Time credits: time given in a match, recorded by one of the two and answered by the other
-- (`help_exchanges`), and the ledger: each transfer of minutes (an exchange posted, a gift,
-- a reversal) is two entries that add up to nothing. The ledger is append-only: the only
-- change allowed is an entry's member becoming NULL when they are forgotten, so every other
-- balance and the hub's zero sum stay as they were; nothing is ever deleted.

CREATE TABLE help_exchanges (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    match_id INTEGER REFERENCES help_matches(id) ON DELETE SET NULL,
    giver_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    receiver_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    minutes INTEGER NOT NULL CHECK (minutes > 0),
    note TEXT NOT NULL DEFAULT '',
    recorded_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    state TEXT NOT NULL CHECK (state IN ('proposed', 'posted', 'disputed', 'set_aside')),
    recorded_at INTEGER NOT NULL,
    answered_at INTEGER,
    answered_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    -- Posted by itself after waiting unanswered.
    posted_by_itself BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX help_exchanges_waiting ON help_exchanges(state, recorded_at);
CREATE INDEX help_exchanges_match ON help_exchanges(match_id, id);

CREATE TABLE help_transfers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('exchange', 'gift', 'reversal')),
    exchange_id INTEGER REFERENCES help_exchanges(id),
    reverses INTEGER REFERENCES help_transfers(id),
    made_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    at INTEGER NOT NULL
);

CREATE TABLE help_ledger (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    transfer_id INTEGER NOT NULL REFERENCES help_transfers(id),
    -- The member, or the community pot (`pot`); NULL and not the pot: a former member.
    user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    pot BOOLEAN NOT NULL DEFAULT FALSE,
    minutes INTEGER NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX help_ledger_user ON help_ledger(user_id, id);
CREATE INDEX help_ledger_transfer ON help_ledger(transfer_id);

CREATE TRIGGER help_ledger_no_delete BEFORE DELETE ON help_ledger
BEGIN
    SELECT RAISE(ABORT, 'the time ledger is append-only');
END;
CREATE TRIGGER help_ledger_no_update BEFORE UPDATE ON help_ledger
WHEN NOT (
    NEW.user_id IS NULL AND NEW.id = OLD.id AND NEW.transfer_id = OLD.transfer_id
    AND NEW.pot = OLD.pot AND NEW.minutes = OLD.minutes AND NEW.at = OLD.at
)
BEGIN
    SELECT RAISE(ABORT, 'the time ledger is append-only');
END;
CREATE TRIGGER help_transfers_no_delete BEFORE DELETE ON help_transfers
BEGIN
    SELECT RAISE(ABORT, 'the time ledger is append-only');
END;
