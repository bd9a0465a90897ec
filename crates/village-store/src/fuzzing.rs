//! Entry points for the fuzzers in `fuzz/` (`scripts/fuzz`) and for the replay of their
//! corpora in the ordinary test suite (`village-web/tests/app/fuzz_corpora.rs`, through
//! `village_web::fuzzing::targets`, which adds the app's and the web's own). Each reads arbitrary bytes
//! the way one of Village's parsers meets input from outside, and must never panic, whatever
//! the bytes.

use serde_json::Value;
use village_domain::directory::geo::Postcode;
use village_domain::directory::oruk::{match_details, read_service, without_empty_fields};
use village_domain::directory::schedule::Schedule;

/// A record from an ORUK import or feed: read as JSON, then as a service (what the import
/// keeps of it, and what suggestions keep of it), then cleaned for the API.
pub fn oruk_record(data: &[u8]) {
    let Ok(value) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    if let Ok((index, _)) = read_service(&value) {
        let _ = index.id.len();
    }
    let _ = match_details(&value.to_string());
    let _ = without_empty_fields(value);
}

/// A postcode as people and files give them.
pub fn postcode(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = Postcode::parse(text);
    }
}

/// An ORUK schedule's frequency, days, opening and closing times, one to a line.
pub fn schedule(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut lines = text.split('\n');
    let (freq, byday, opens, closes) = (lines.next(), lines.next(), lines.next(), lines.next());
    if let Ok(Some(schedule)) = Schedule::from_oruk(freq, byday, opens, closes) {
        let _ = schedule.words();
    }
}

/// The words of a directory search.
pub fn search(data: &[u8]) {
    crate::directory::fuzz_search(data);
}

/// A fuzz target: arbitrary bytes in, no panic.
pub type Target = fn(&[u8]);

/// Every target, by the name its fuzzer and corpus folder have.
pub const TARGETS: &[(&str, Target)] = &[
    ("oruk_record", oruk_record),
    ("postcode", postcode),
    ("schedule", schedule),
    ("search", search),
];
