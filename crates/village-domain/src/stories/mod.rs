//! Stories: people tell what happened in their own words. Before anyone else reads a story,
//! a steward sees what could identify someone in it (`screen`); anyone writing can ask which
//! of their words describe people by what they lack, and what to say instead (`framing`).

pub mod answers;
pub mod follow_up;
pub mod framing;
pub mod screen;
pub mod story;
pub mod themes;
