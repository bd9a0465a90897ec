#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| village_web::fuzzing::forms(data));
