//! Connections on the web: "Ideas for you", introductions and notices (`pages`, `api`), and
//! shortlists, check-ins and the connector's list (`followup`), over the use cases in
//! `village_app::connections`.

pub mod api;
pub mod followup;
pub mod pages;
