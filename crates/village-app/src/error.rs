//! Why a use case did not do what was asked: one error for every capability, so the web
//! answers each kind the same way on every page and API route (`village-web`'s `ApiError` and
//! `PageError` are made from it). The stable codes are `village_domain::error::ErrorCode`.

use village_domain::accounts::AttemptLimit;
use village_domain::error::{ErrorCode, FieldError};
use village_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// What was entered has a problem, named by field.
    #[error("{0}")]
    Field(FieldError),
    /// What was entered has several problems, each named by field.
    #[error("{} problems with what was entered", .0.len())]
    Fields(Vec<FieldError>),
    /// The access rules refuse it.
    #[error("not allowed")]
    Forbidden,
    /// No such thing, or not for this person to know it is there. Says what was looked for.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// Not possible in the thing's current state: a stable code and plain words.
    #[error("{1}")]
    Conflict(ErrorCode, String),
    /// Too many tries in a short time (signing in, joining, password resets): wait this long.
    #[error("too many tries; wait {}", .0.wait_words())]
    Limited(AttemptLimit),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Something outside the store failed (hashing a password): logged, never shown.
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl From<FieldError> for Error {
    fn from(e: FieldError) -> Self {
        Error::Field(e)
    }
}

impl From<Vec<FieldError>> for Error {
    fn from(mut problems: Vec<FieldError>) -> Self {
        if problems.len() == 1 {
            if let Some(one) = problems.pop() {
                return Error::Field(one);
            }
        }
        Error::Fields(problems)
    }
}

/// A use case's answer.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A [`Error::Conflict`] with this code and these words.
pub fn conflict<T>(code: ErrorCode, message: impl Into<String>) -> Result<T> {
    Err(Error::Conflict(code, message.into()))
}
