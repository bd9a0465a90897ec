//! Connections: from a person's profile and the directory to suggestions they can trust
//! (`matching`), introductions they control (`introduction`) and check-ins that show what
//! changed (`checkin`).

pub mod checkin;
pub mod introduction;
pub mod matching;
pub mod words;
