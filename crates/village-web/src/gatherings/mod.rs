//! Gatherings: the API (`api`) and the pages (`pages`: the list and the calendars, making a
//! gathering, one gathering with signing up, chairs and running it).

mod api;
pub(crate) mod pages;

pub use api::*;
