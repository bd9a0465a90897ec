//! Stories: the API (`api`) and the pages (`pages`: telling a story with "Check my words",
//! one story as each reader sees it, the author's approval and withdrawal, a steward's
//! reading and decision, and the lists), and the Atom feed (`feed`).

mod api;
pub(crate) mod feed;
pub(crate) mod pages;

pub use api::*;
