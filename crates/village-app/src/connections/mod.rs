//! Connections: suggestions from a person's profile and the directory ("Ideas for you"),
//! introductions on the person's terms, and the notices that keep everyone involved in step.
//! Pages and the API (`village_web::connections`) call the functions here: suggestions
//! (`ideas`), introductions and notices (`introductions`), wellbeing check-ins (`checkins`)
//! and a connector's shortlists (`shortlists`).

pub mod checkins;
mod ideas;
mod introductions;
pub mod shortlists;

pub use ideas::*;
pub use introductions::*;

use village_domain::accounts::FieldError;
use village_domain::connections::introduction::Refusal;
use village_store::StoreError;

#[derive(Debug)]
pub enum ConnectError {
    NotFound,
    Field(FieldError),
    Refused(Refusal),
    /// Someone else moved the introduction on first.
    Changed,
    /// There is already an introduction in progress for this person and offer.
    AlreadyOpen(i64),
    Store(StoreError),
}

impl From<StoreError> for ConnectError {
    fn from(e: StoreError) -> Self {
        ConnectError::Store(e)
    }
}

impl From<FieldError> for ConnectError {
    fn from(e: FieldError) -> Self {
        ConnectError::Field(e)
    }
}
