//! People at the centre: a person's own strengths-based profile, the people in their life
//! (their circle of support and the connectors they chose), every sharing choice they make,
//! and the one policy that decides who may read or change any of it.

pub mod circle;
pub mod profile;

/// The policy lives with the other access rules; named here too, where people read it.
pub use profile::{Section, Visibility};
