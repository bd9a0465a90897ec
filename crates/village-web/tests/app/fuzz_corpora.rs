//! The fuzzers' corpora (`fuzz/corpus/TARGET`, grown by `scripts/fuzz`) replayed as ordinary
//! tests: every input that once reached new code, or once crashed a parser, runs through the
//! same entry point again on every test run, so a parser that panics on it fails the suite.

use std::path::PathBuf;

#[test]
fn every_corpus_input_runs_through_its_parser_without_a_panic() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus");
    let mut ran = 0;
    for (name, target) in village_web::fuzzing::targets() {
        let dir = root.join(name);
        let mut inputs: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .collect();
        inputs.sort();
        assert!(!inputs.is_empty(), "{name}: an empty corpus");
        for input in inputs {
            let data = std::fs::read(&input).unwrap();
            let outcome = std::panic::catch_unwind(|| target(&data));
            assert!(outcome.is_ok(), "{name} panicked on {}", input.display());
            ran += 1;
        }
    }
    assert!(ran >= 6, "only {ran} inputs");
}
