#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| village_store::fuzzing::search(data));
