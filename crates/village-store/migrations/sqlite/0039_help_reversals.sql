-- Time added by mistake is taken back by a coordinator: the exchange becomes `reversed` and
-- a reversing transfer (kind 'reversal', `reverses` naming the one it undoes) writes the
-- opposite pair of ledger entries. Nothing already written changes.

-- SQLite cannot change a CHECK in place, and rebuilding `help_exchanges` would break the
-- transfers pointing at it. Allowing one more value changes nothing already stored, so the
-- definition is edited as SQLite's documentation describes ("Making Other Kinds Of Table
-- Schema Changes", as 0034 did), and the schema cookie is moved on by a real change (the
-- index below) so every open connection reads the new definition.
PRAGMA writable_schema = ON;
UPDATE sqlite_master
SET sql = replace(sql,
    'state IN (''proposed'', ''posted'', ''disputed'', ''set_aside'')',
    'state IN (''proposed'', ''posted'', ''disputed'', ''set_aside'', ''reversed'')')
WHERE type = 'table' AND name = 'help_exchanges';
PRAGMA writable_schema = OFF;

-- A transfer is taken back at most once, whoever presses at the same moment.
CREATE UNIQUE INDEX help_transfers_reversed_once ON help_transfers(reverses) WHERE reverses IS NOT NULL;
