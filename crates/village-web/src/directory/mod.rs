//! The community directory on the web: the Open Referral UK 3.0 API under `/oruk/`, the
//! pages for finding and keeping offers true, and the JSON API, over the use cases in
//! `village_app::directory`.

pub mod api;
pub mod editing;
pub mod group;
pub mod oruk;
pub mod pages;
