//! Gatherings: events chaired by people with lived experience. A gathering is published
//! only with a chair who agreed and who has lived experience (`gathering`); people sign up
//! saying what would help them take part, and a full gathering keeps a waiting list, with
//! places kept for people who draw on care and support (`places`).

pub mod gathering;
pub mod places;
