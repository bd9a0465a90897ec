//! Entry points for the fuzzers of the parsers this crate holds (`fuzz/`, `scripts/fuzz`);
//! [`targets`] lists them with the store's (and `village_web::fuzzing::targets` adds the
//! web's).

pub use village_store::fuzzing::Target;

/// The HSDS CSV import's reading of a folder of tables, and its assembling of services.
pub fn hsds_csv(data: &[u8]) {
    crate::directory::hsds_csv::fuzz(data);
}

/// Every target below the web layer, by the name its fuzzer and corpus folder have.
pub fn targets() -> Vec<(&'static str, Target)> {
    let mut all = village_store::fuzzing::TARGETS.to_vec();
    all.push(("hsds_csv", hsds_csv));
    all
}
