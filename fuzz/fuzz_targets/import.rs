#![no_main]
//! Bytes -> CSV or workbook -> `sinergi import` (dry run) into a fixed site.

use std::sync::LazyLock;

use sinergi::fuzzing::{Scratch, import};

static SITE: LazyLock<Scratch> = LazyLock::new(|| Scratch::new("import"));

libfuzzer_sys::fuzz_target!(|data: &[u8]| import(&SITE, data));
