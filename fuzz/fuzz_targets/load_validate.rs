#![no_main]
//! Bytes -> a site's shipments, agreement, site and page files -> load, validate, figures.

use std::sync::LazyLock;

use sinergi::fuzzing::{Scratch, load_validate};

static SITE: LazyLock<Scratch> = LazyLock::new(|| Scratch::new("load"));

libfuzzer_sys::fuzz_target!(|data: &[u8]| load_validate(&SITE, data));
