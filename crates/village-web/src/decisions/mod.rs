//! Shared power on the web: pages (`pages`) and the API (`api`) over the use cases in
//! `village_app::decisions`.

pub mod api;
pub mod pages;
