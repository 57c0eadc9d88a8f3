#![no_main]
//! Bytes -> Markdown -> safe HTML, with the sanitizer's guarantees checked.

libfuzzer_sys::fuzz_target!(|data: &[u8]| sinergi::fuzzing::markdown(data));
