//! Shared power: decisions made together where lived experience counts, and participatory
//! budgets that share community money out by the votes of the people it serves.
//!
//! - [`proposal`]: stances and their reasons, the lived-experience rule, outcomes that answer
//!   every block and publish the dissent, and the accountability that follows.
//! - [`budget`]: participatory budgeting rounds, bids, ballots (also on paper) and the tally.
//! - [`giving`]: awards as 360Giving data.

pub mod budget;
pub mod giving;
pub mod proposal;
