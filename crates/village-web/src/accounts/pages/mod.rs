//! The account pages, by family.

pub(crate) use super::*;
use crate::pages::{self, PageError, PageResult};

mod account;
mod forgotten;
mod invites;
mod joining;
mod people;
mod sign_in;

pub use account::*;
pub use forgotten::*;
pub use invites::*;
pub use joining::*;
pub use people::*;
pub use sign_in::*;
