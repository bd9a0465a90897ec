-- Time added by mistake is taken back by a coordinator: the exchange becomes `reversed` and
-- a reversing transfer (kind 'reversal', `reverses` naming the one it undoes) writes the
-- opposite pair of ledger entries. Nothing already written changes.
ALTER TABLE help_exchanges DROP CONSTRAINT help_exchanges_state_check;
ALTER TABLE help_exchanges ADD CONSTRAINT help_exchanges_state_check
    CHECK (state IN ('proposed', 'posted', 'disputed', 'set_aside', 'reversed'));

-- A transfer is taken back at most once, whoever presses at the same moment.
CREATE UNIQUE INDEX help_transfers_reversed_once ON help_transfers(reverses) WHERE reverses IS NOT NULL;
