//! Shared power: decision spaces and their members, proposals with their wording history,
//! stances, discussion, outcomes and updates; participatory budgeting rounds with ideas, bids,
//! checks, ballots (online and on paper), results and delivery updates.

mod proposals;
mod rounds;
mod spaces;

pub use proposals::*;
pub use rounds::*;
pub use spaces::*;

use crate::{Db, Result};
use std::collections::BTreeMap;
use village_domain::Timestamp;
