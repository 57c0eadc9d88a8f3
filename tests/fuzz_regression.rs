//! Every committed fuzz input (`fuzz/corpus/<target>/`, the minimized seed corpus, and
//! `fuzz/regressions/<target>/`, inputs that once crashed) through the same functions as the
//! fuzz targets, with the same checks: no cargo-fuzz, no nightly. See fuzz/README.md.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use sinergi::fuzzing::{self, Scratch};

fn inputs(target: &str) -> Vec<PathBuf> {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut files = Vec::new();
    for dir in ["corpus", "regressions"] {
        let Ok(entries) = std::fs::read_dir(fuzz.join(dir).join(target)) else {
            continue;
        };
        files.extend(
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file()),
        );
    }
    files.sort();
    files
}

/// Runs every input, then fails once naming each input that panicked.
fn run_all(target: &str, run: impl Fn(&[u8])) {
    let files = inputs(target);
    assert!(!files.is_empty(), "no committed inputs for {target}");
    let failed: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let data = std::fs::read(f).expect("read a fuzz input");
            catch_unwind(AssertUnwindSafe(|| run(&data)))
                .err()
                .map(|_| f.display().to_string())
        })
        .collect();
    assert!(
        failed.is_empty(),
        "{} of {} inputs failed (messages above): {failed:#?}",
        failed.len(),
        files.len()
    );
}

#[test]
fn load_validate_corpus() {
    let scratch = Scratch::new("regression-load");
    run_all("load_validate", |d| fuzzing::load_validate(&scratch, d));
}

#[test]
fn markdown_corpus() {
    run_all("markdown", fuzzing::markdown);
}

#[test]
fn import_corpus() {
    let scratch = Scratch::new("regression-import");
    run_all("import", |d| fuzzing::import(&scratch, d));
}
