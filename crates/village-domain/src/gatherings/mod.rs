//! Gatherings: events chaired by people with lived experience. A gathering is published
//! only with a chair who agreed and who has lived experience (`gathering`); people sign up
//! saying what would help them take part, and a full gathering keeps a waiting list, with
//! places kept for people who draw on care and support (`places`). Open space puts
//! sessions into a grid of rooms × times (`open_space`); the minutes say what came of it
//! (`minutes`).

pub mod gathering;
pub mod minutes;
pub mod open_space;
pub mod places;
pub mod series;
