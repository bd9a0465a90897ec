//! Offers people suggest: a new offer from a short form, or a change to an existing one,
//! turned into an Open Referral UK record; and what changed between two versions, in words.

mod change;
mod differences;
mod new;
mod place;
mod terms;
mod times;
mod words;

pub use change::*;
pub use differences::*;
pub use new::*;
pub use place::*;
pub use terms::*;
pub use times::*;
pub use words::*;

use super::geo::{LatLon, Postcode};
use super::schedule::{Recurrence, TimeOfDay, Weekday};
use super::taxonomy::{
    category_by_code, Access, Community, GroupKind, Space, LIVED_EXPERIENCE_LED_TERM_ID,
};
use crate::accounts::{Email, FieldError};
use crate::error::ErrorCode;
use serde_json::{json, Map, Value};

#[cfg(test)]
mod tests;
