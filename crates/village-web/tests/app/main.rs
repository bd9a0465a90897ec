//! Every web scenario, on SQLite and on PostgreSQL, against a real hub on port 0 (see
//! `village-testkit`). One test binary, one module per capability: the web crate is linked once.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod accounts;
mod answers;
mod confirm;
mod connections;
mod decisions;
mod directory;
mod fuzz_corpora;
mod gatherings;
mod gatherings_open_space;
mod gatherings_pages;
mod gatherings_running;
mod home;
mod joining;
mod mutual_aid;
mod mutual_aid_board;
mod mutual_aid_coordinate;
mod mutual_aid_digest;
mod mutual_aid_groups;
mod mutual_aid_safety;
mod people;
mod reach;
mod safeguarding;
mod shell;
mod stories;
mod stories_answers;
mod stories_for;
mod stories_glimpses;
mod stories_pages;
mod words;
mod words_checked;
mod writers;
