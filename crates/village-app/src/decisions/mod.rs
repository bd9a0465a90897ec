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

use crate::error::{conflict, Error, Result};
