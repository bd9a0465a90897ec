//! People at the centre: a person's own strengths-based profile, the people in their life
//! (their circle of support and the connectors they chose), every sharing choice they make,
//! and the one policy that decides who may read or change any of it.

pub mod circle;
pub mod policy;
pub mod profile;

pub use policy::{decide, Decision, PersonalAction, Relationship};
pub use profile::{Section, Visibility};
