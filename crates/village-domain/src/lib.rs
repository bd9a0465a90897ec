//! Village's pure rules and types.
//!
//! Nothing in this crate does IO, reads the clock or draws random numbers: time and ids are
//! passed in, so every rule can be tested exactly. Each capability is a module with the same
//! name in `village-store` and `village-web`.

pub mod access;
pub mod accounts;
pub mod audit;
pub mod connections;
pub mod decisions;
pub mod directory;
pub mod error;
pub mod people;
pub mod text;

/// Seconds since the Unix epoch. The web layer reads the clock once per request and passes it in.
pub type Timestamp = i64;
