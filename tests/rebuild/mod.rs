//! Shared helpers of the rebuild tests: throw-away sites, builds through the real binary and
//! snapshots of the output to compare with a fresh build's.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

pub fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sinergi-incr-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// A copy of the example site.
pub fn example(dir: &Path) -> PathBuf {
    let site = dir.join("site");
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    for e in walkdir::WalkDir::new(&from) {
        let e = e.unwrap();
        let to = site
            .join("content")
            .join(e.path().strip_prefix(&from).unwrap());
        if e.file_type().is_dir() {
            fs::create_dir_all(&to).unwrap();
        } else {
            fs::copy(e.path(), &to).unwrap();
        }
    }
    site
}

/// Builds and returns (exit code, the summary line).
pub fn build(site: &Path, out: &Path) -> (i32, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_sinergi"))
        .args(["build", "--site"])
        .arg(site)
        .arg("--out")
        .arg(out)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .unwrap();
    let all = String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr);
    let summary = all
        .lines()
        .find(|l| l.contains("files ("))
        .unwrap_or(&all)
        .to_string();
    (o.status.code().unwrap_or(-1), summary)
}

/// Output files (not the manifest) with their bytes.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.file_name() != ".sinergi-manifest")
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            (
                rel.to_string_lossy().into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// The output a build into an empty folder makes of `site` now.
pub fn fresh(site: &Path, dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let out = dir.join("fresh");
    let _ = fs::remove_dir_all(&out);
    assert_eq!(build(site, &out).0, 0);
    snapshot(&out)
}

pub fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} lacks {from}", path.display());
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// `sinergi check --format json`: (exit code, the findings as JSON).
pub fn check(site: &Path) -> (i32, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_sinergi"))
        .args(["check", "--format", "json", "--site"])
        .arg(site)
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
    )
}

/// Replaces the value of the first line starting with `key: ` in `path`.
pub fn set_first(path: &Path, key: &str, value: &str) {
    let text = fs::read_to_string(path).unwrap();
    let start = text
        .find(&format!("  {key}: "))
        .unwrap_or_else(|| panic!("{} has no {key}", path.display()));
    let end = start + text[start..].find('\n').unwrap();
    let changed = format!("{}  {key}: {value}{}", &text[..start], &text[end..]);
    fs::write(path, changed).unwrap();
}
