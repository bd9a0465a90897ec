#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| village_app::fuzzing::hsds_csv(data));
