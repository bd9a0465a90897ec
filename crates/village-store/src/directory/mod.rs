//! The community directory: whole Open Referral UK records plus the index Village searches
//! (words, categories, ages, days and times, places). Search uses SQLite FTS5 or PostgreSQL
//! full-text search behind one function, with English stemming on both.
//!
//! By concern: writing records (`records`) and what is worked out from them (`facts`);
//! searching (`search`: the filter, and in `search::sql` its SQL built from typed parts;
//! `words`, `near`; `packed` reads many records
//! at once); `postcodes`; `taxonomy`; members' `suggestions` with every version of an offer;
//! and `organisers`.

/// One argument of a search's SQL, bound in order.
enum Arg {
    Text(String),
    Int(i64),
    Float(f64),
}

/// Bind a search's arguments, in order, to any kind of sqlx query.
macro_rules! bind_args {
    ($query:expr, $args:expr) => {{
        let mut q = $query;
        for a in $args {
            q = match a {
                Arg::Text(t) => q.bind(t.clone()),
                Arg::Int(i) => q.bind(*i),
                Arg::Float(f) => q.bind(*f),
            };
        }
        q
    }};
}

mod facts;
mod index;
mod near;
mod organisers;
mod packed;
mod postcodes;
mod records;
mod search;
mod suggestions;
mod taxonomy;
mod words;

pub use facts::*;
pub use index::{IndexFound, Resolved, SearchIndex};
use near::*;
pub use organisers::*;
use packed::*;
pub use postcodes::*;
pub use records::*;
pub use search::*;
pub use suggestions::*;
pub use taxonomy::*;
pub use words::*;

use crate::{Db, Exec, Result};
use village_domain::connections::matching::{
    access_key, hours_to_search, term_bits, week_hours, Facts,
};
use village_domain::directory::geo::{
    cell, cell_row, circle_rows, distance_km, Area, BoundingBox, CircleRow, Grid, LatLon,
};
use village_domain::directory::oruk::ServiceIndex;
use village_domain::directory::schedule::Weekday;
use village_domain::Timestamp;

/// Separators within a text SQLite packs many rows into (see [`packed_docs`]).
use crate::packed::{pairs, RECORD, UNIT};

/// Store a service record and rebuild its index, replacing any record with the same id.
/// Move the directory's generation on: anything kept that was worked out from the offers
/// (a person's suggestions) is then out of date.
async fn bump_generation(db: &mut impl Db) -> Result<()> {
    query!(db, c => sqlx::query("UPDATE dir_generation SET value = value + 1 WHERE id = 1")
        .execute(&mut *c)
        .await
        .map(|_| ()))?;
    Ok(())
}
