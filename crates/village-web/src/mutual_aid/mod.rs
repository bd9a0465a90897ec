//! Mutual aid: the board of asks and offers (`/help`), one post with its answers, a match
//! between two people with its messages and steps, and a member's own posts and matches;
//! `pages` for people, `api` for other clients (`/api/v1/help`).

pub mod api;
pub mod pages;
