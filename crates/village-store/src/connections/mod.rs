//! Connections: the candidates matching reads near a person, their saved and dismissed
//! suggestions and preferences, introductions with their history, and in-app notices.
//!
//! By concern: `candidates` near a person, the places `kept` in memory per grid cell and the
//! `cells` they are read from; kept `ideas`; saved and dismissed `marks` with preferences;
//! `introductions`; `notices`; `checkins`; `shortlists`.

mod candidates;
mod cells;
mod checkins;
mod ideas;
mod introductions;
mod kept;
mod marks;
mod notices;
mod shortlists;

pub use candidates::*;
use cells::*;
pub use checkins::*;
pub use ideas::*;
pub use introductions::*;
pub use kept::*;
pub use marks::*;
pub use notices::*;
pub use shortlists::*;

use crate::packed::{unpack, RECORD, UNIT};
use crate::{Db, Result};
use village_domain::connections::matching::{access_key_ranges, hours_meet, Facts, Preferences};
use village_domain::directory::geo::{circle_rows, BoundingBox, LatLon};
use village_domain::Timestamp;
