//! Entry points for the fuzzers of what this crate parses (`fuzz/`, `scripts/fuzz`);
//! [`targets`] lists them with the app's and the store's, so one list names every fuzzer and
//! corpus, and the suite replays them all (`tests/app/fuzz_corpora.rs`).

pub use village_store::fuzzing::Target;

/// A form body (`application/x-www-form-urlencoded`) as the pages read it: the NUL check
/// every form meets, then the forms with the most to read (a new offer and a change to one,
/// with their times, cost and place; a profile section, with its terms, travel and times).
pub fn forms(data: &[u8]) {
    let _ = crate::nul::in_form(data);
    crate::directory::editing::fuzz_offer_forms(data);
    crate::people::pages::fuzz_section_form(data);
}

/// Every target, by the name its fuzzer and corpus folder have.
pub fn targets() -> Vec<(&'static str, Target)> {
    let mut all = village_app::fuzzing::targets();
    all.push(("forms", forms));
    all
}
