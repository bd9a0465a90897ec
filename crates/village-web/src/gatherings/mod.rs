//! Gatherings: the API (`api`).

mod api;

pub use api::*;
