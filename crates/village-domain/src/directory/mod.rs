//! The community directory's rules: where things are, when they happen, what kind of group
//! runs them, and how an Open Referral UK record is read. Storage, import and the ORUK API
//! build on these (see `village-store::directory` and `village-web::directory` as they come).

pub mod geo;
pub mod offer;
pub mod oruk;
pub mod schedule;
pub mod taxonomy;
