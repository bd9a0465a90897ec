//! Shared power: decision spaces where lived experience counts, and participatory budgets.
//! Pages and the API (`village_web::decisions`) both call the functions here, which apply the domain
//! rules (`village_domain::decisions`) and write through the store in one transaction:
//! spaces and who is in them (`spaces`), proposals, stances and outcomes (`proposals`), and
//! community funding rounds (`rounds`).

mod proposals;
mod rounds;
mod spaces;

pub use proposals::*;
pub use rounds::*;
pub use spaces::*;

use village_domain::accounts::FieldError;
use village_domain::error::ErrorCode;
use village_store::StoreError;

#[derive(Debug)]
pub enum DecisionError {
    Field(FieldError),
    Forbidden,
    NotFound(&'static str),
    /// Not possible in the current state: a stable code and plain words.
    Conflict(ErrorCode, String),
    Store(StoreError),
}

impl From<StoreError> for DecisionError {
    fn from(e: StoreError) -> Self {
        DecisionError::Store(e)
    }
}

impl From<FieldError> for DecisionError {
    fn from(e: FieldError) -> Self {
        DecisionError::Field(e)
    }
}

type Result<T> = std::result::Result<T, DecisionError>;

fn conflict<T>(code: ErrorCode, message: impl Into<String>) -> Result<T> {
    Err(DecisionError::Conflict(code, message.into()))
}
