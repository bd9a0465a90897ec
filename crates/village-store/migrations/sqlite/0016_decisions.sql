-- Shared power: decision spaces, proposals with stances (each noting whether the person had
-- declared lived experience when they took it, so the rule is counted without ever showing
-- who), outcomes and their accountability; participatory budgeting rounds, bids, ballots
-- (online and on paper) and the published results.
CREATE TABLE spaces (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    about TEXT NOT NULL DEFAULT '',
    open BOOLEAN NOT NULL,
    hide_names BOOLEAN NOT NULL DEFAULT FALSE,
    min_lived_share_bp INTEGER NOT NULL CHECK (min_lived_share_bp BETWEEN 0 AND 10000),
    min_lived_count INTEGER NOT NULL CHECK (min_lived_count >= 0),
    update_every_days INTEGER NOT NULL DEFAULT 30 CHECK (update_every_days BETWEEN 1 AND 366),
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE space_members (
    space_id INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('invited', 'member', 'facilitator')),
    since INTEGER NOT NULL,
    PRIMARY KEY (space_id, user_id)
);
CREATE INDEX space_members_user ON space_members(user_id);

CREATE TABLE proposals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    space_id INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    affects TEXT NOT NULL DEFAULT '',
    author_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    closed_at INTEGER,
    closed_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    decision TEXT,
    reasons TEXT,
    dissent_summary TEXT,
    progress TEXT CHECK (progress IN ('not_agreed', 'agreed', 'in_progress', 'done', 'not_done')),
    progress_at INTEGER
);
CREATE INDEX proposals_space ON proposals(space_id, id);

-- Every earlier wording of a proposal (the current one is in proposals).
CREATE TABLE proposal_versions (
    proposal_id INTEGER NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    affects TEXT NOT NULL,
    edited_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    edited_at INTEGER NOT NULL,
    PRIMARY KEY (proposal_id, version)
);

CREATE TABLE stances (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    proposal_id INTEGER NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    stance TEXT NOT NULL CHECK (stance IN ('agree', 'abstain', 'disagree', 'block')),
    reason TEXT NOT NULL DEFAULT '',
    lived BOOLEAN NOT NULL,
    response TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (proposal_id, user_id)
);

CREATE TABLE proposal_comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    proposal_id INTEGER NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    kind TEXT NOT NULL CHECK (kind IN ('in_favour', 'against', 'question')),
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX proposal_comments_proposal ON proposal_comments(proposal_id, id);

CREATE TABLE proposal_updates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    proposal_id INTEGER NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    by_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    progress TEXT NOT NULL CHECK (progress IN ('agreed', 'in_progress', 'done', 'not_done')),
    note TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX proposal_updates_proposal ON proposal_updates(proposal_id, id);

CREATE TABLE rounds (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    about TEXT NOT NULL DEFAULT '',
    space_id INTEGER REFERENCES spaces(id) ON DELETE SET NULL,
    pot_pence INTEGER NOT NULL CHECK (pot_pence > 0),
    max_bid_pence INTEGER NOT NULL CHECK (max_bid_pence > 0),
    method TEXT NOT NULL CHECK (method IN ('approval', 'knapsack')),
    phase TEXT NOT NULL CHECK (phase IN ('ideas', 'bids', 'checks', 'voting', 'results', 'delivery')),
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    phase_at INTEGER NOT NULL,
    -- The results as published when voting closed: {"counts", "funded", ...} as JSON.
    results TEXT,
    results_at INTEGER
);

CREATE TABLE round_ideas (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    round_id INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
CREATE INDEX round_ideas_round ON round_ideas(round_id, id);

CREATE TABLE bids (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    round_id INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    for_whom TEXT NOT NULL DEFAULT '',
    amount_pence INTEGER NOT NULL CHECK (amount_pence > 0),
    group_name TEXT NOT NULL,
    organisation_id TEXT,
    charity_number TEXT,
    submitted_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    check_status TEXT NOT NULL DEFAULT 'unchecked' CHECK (check_status IN ('unchecked', 'eligible', 'not_eligible')),
    check_reason TEXT NOT NULL DEFAULT '',
    checked_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    checked_at INTEGER
);
CREATE INDEX bids_round ON bids(round_id, id);

CREATE TABLE ballots (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    round_id INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    voter_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (round_id, voter_id)
);

CREATE TABLE ballot_choices (
    ballot_id INTEGER NOT NULL REFERENCES ballots(id) ON DELETE CASCADE,
    round_id INTEGER NOT NULL,
    bid_id INTEGER NOT NULL REFERENCES bids(id) ON DELETE CASCADE,
    PRIMARY KEY (ballot_id, bid_id)
);
CREATE INDEX ballot_choices_count ON ballot_choices(round_id, bid_id);

-- Paper ballots: each typed in by two stewards separately (entry 1 and 2); a mismatch is
-- resolved by a steward, whose choice then counts.
CREATE TABLE paper_entries (
    round_id INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    paper TEXT NOT NULL,
    entry INTEGER NOT NULL CHECK (entry IN (1, 2)),
    steward_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    choices TEXT NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (round_id, paper, entry)
);

CREATE TABLE paper_resolutions (
    round_id INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    paper TEXT NOT NULL,
    choices TEXT NOT NULL,
    by_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    note TEXT NOT NULL DEFAULT '',
    at INTEGER NOT NULL,
    PRIMARY KEY (round_id, paper)
);

CREATE TABLE delivery_updates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    bid_id INTEGER NOT NULL REFERENCES bids(id) ON DELETE CASCADE,
    by_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX delivery_updates_bid ON delivery_updates(bid_id, id);
