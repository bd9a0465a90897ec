//! Village persistence on SQLite (the zero-setup default) or PostgreSQL (for councils and
//! many processes), chosen at run time from the database URL.
//!
//! Every function takes `&mut impl Db`, so it runs the same way on a pooled connection or
//! inside a transaction. SQL text is shared between the backends where it is the same
//! (both accept `$1` placeholders); migrations live per backend in `migrations/`.

#[macro_use]
mod db;
pub mod accounts;
pub mod audit;
pub mod connections;
pub mod decisions;
pub mod directory;
#[doc(hidden)]
pub mod fuzzing;
pub mod gatherings;
pub mod hub;
pub mod mutual_aid;
pub(crate) mod packed;
pub mod people;
pub mod safeguarding;
pub mod stories;

pub use db::{
    default_cache_mb, default_max_connections, sessions_stamp, Backend, Conn, Db, Exec,
    SessionChanges, SessionsStamp, Store, StoreError, StoreOptions, Tx,
};

pub type Result<T> = std::result::Result<T, StoreError>;
