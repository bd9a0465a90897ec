//! Connections: suggestions from a person's profile and the directory ("Ideas for you"),
//! introductions on the person's terms, and the notices that keep everyone involved in step.
//! Pages and the API (`village_web::connections`) call the functions here: suggestions
//! (`ideas`), introductions and notices (`introductions`), wellbeing check-ins (`checkins`),
//! a connector's shortlists (`shortlists`), and what is the person's own (`mine`: choices,
//! their introductions and notices, their export, a connector's next steps).

pub mod checkins;
mod ideas;
mod introductions;
pub mod mine;
pub mod shortlists;

pub use ideas::*;
pub use introductions::*;

use village_domain::accounts::FieldError;
use village_domain::connections::introduction::Refusal;

use crate::error::{Error, Result};

/// What asking for an introduction did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requested {
    /// A new introduction, with this id.
    New(i64),
    /// One for this person and offer is already in progress: this one.
    AlreadyOpen(i64),
}

/// Why an introduction step was refused, as a use-case error with plain words.
pub fn refused(r: Refusal) -> Error {
    let words = match r {
        Refusal::NotYours => "That step is for someone else in this introduction: the person, their connector or the group, depending on the step.",
        Refusal::NeedsPersonsAgreement => "The person sends their introduction themselves: that is how they agree to it.",
        Refusal::NotNow => "That step is not possible now: the introduction has moved on.",
        Refusal::ReasonNeeded => {
            return FieldError::new("reason", r.code(), "Please give a reason: it helps everyone understand.").into()
        }
    };
    Error::Conflict(r.code(), words.into())
}
