//! Shared power: decision spaces where lived experience counts, and participatory budgets.
//! Pages and the API (`village_web::decisions`) both call the functions here, which apply the domain
//! rules (`village_domain::decisions`) and write through the store in one transaction:
//! spaces and who is in them (`spaces`), proposals, stances and outcomes (`proposals`),
//! community funding rounds with their bids and count (`rounds`), and their ballots, paper
//! ballots, delivery updates and awards (`ballots`).

mod ballots;
mod proposals;
mod rounds;
mod spaces;

pub use ballots::*;
pub use proposals::*;
pub use rounds::*;
pub use spaces::*;

use crate::error::{conflict, Error, Result};
