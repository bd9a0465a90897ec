//! Mutual aid: `posts` on the board (asks and offers, nearest and newest first) and the
//! `matches` between the one who posted and someone who answered, with their messages and
//! history.

mod credits;
mod matches;
mod posts;

pub use credits::*;
pub use matches::*;
pub use posts::*;

use crate::{Db, Result};
use village_domain::Timestamp;
