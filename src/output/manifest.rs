//! `.sinergi-manifest`: what the last build wrote, unit by unit, with each unit's fingerprint
//! and each file's digest and size. It marks a folder as ours, lets a rebuild skip unchanged
//! units and files, and names the files to remove when a unit no longer makes them.
//!
//! ```text
//! # Files written by sinergi build. Do not edit.
//! unit agreement/kad-metro 5f0c…
//! 9a1b… 20931 agreements/kad-metro/index.html
//! ```
//!
//! A line holding only a path (the first manifest format) is a file of unknown digest.

use std::collections::BTreeMap;

pub const MANIFEST: &str = ".sinergi-manifest";
const HEADER: &str = "# Files written by sinergi build. Do not edit.";

/// One output file as the manifest records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEntry {
    pub path: String,
    /// xxh3-128 of the bytes; 0 when unknown.
    pub digest: u128,
    pub size: u64,
}

/// The files of one unit and the fingerprint they were rendered from (0: unknown).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnitEntry {
    pub fingerprint: u128,
    pub files: Vec<FileEntry>,
}

/// Unit key -> its entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    pub units: BTreeMap<String, UnitEntry>,
}

impl Manifest {
    pub fn parse(text: &str) -> Manifest {
        let mut manifest = Manifest::default();
        let mut current = String::new();
        for line in text
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            if let Some(rest) = line.strip_prefix("unit ") {
                let (key, fingerprint) = rest.rsplit_once(' ').unwrap_or((rest, ""));
                current = key.to_string();
                manifest
                    .units
                    .entry(current.clone())
                    .or_default()
                    .fingerprint = u128::from_str_radix(fingerprint, 16).unwrap_or(0);
                continue;
            }
            let entry = parse_file(line).unwrap_or_else(|| FileEntry {
                path: line.to_string(),
                digest: 0,
                size: 0,
            });
            if super::is_safe_relative(&entry.path) {
                manifest
                    .units
                    .entry(current.clone())
                    .or_default()
                    .files
                    .push(entry);
            }
        }
        manifest
    }

    pub fn to_text(&self) -> String {
        use std::fmt::Write;
        // About 100 bytes a file: reserved once, so that the text of a large site (40,000
        // files) is not copied as it grows.
        let files: usize = self.units.values().map(|u| u.files.len() + 1).sum();
        let mut out = String::with_capacity(HEADER.len() + 1 + files * 100);
        out.push_str(HEADER);
        out.push('\n');
        for (key, unit) in &self.units {
            let _ = writeln!(out, "unit {key} {:032x}", unit.fingerprint);
            for f in &unit.files {
                let _ = writeln!(out, "{:032x} {} {}", f.digest, f.size, f.path);
            }
        }
        out
    }

    /// Every file, with the key of its unit.
    pub fn files(&self) -> impl Iterator<Item = (&str, &FileEntry)> {
        self.units
            .iter()
            .flat_map(|(k, u)| u.files.iter().map(move |f| (k.as_str(), f)))
    }
}

fn parse_file(line: &str) -> Option<FileEntry> {
    let (digest, rest) = line.split_once(' ')?;
    let (size, path) = rest.split_once(' ')?;
    if digest.len() != 32 {
        return None;
    }
    Some(FileEntry {
        path: path.to_string(),
        digest: u128::from_str_radix(digest, 16).ok()?,
        size: size.parse().ok()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_reads_the_first_format() {
        let mut m = Manifest::default();
        m.units.insert(
            "agreement/x".into(),
            UnitEntry {
                fingerprint: 0xabc,
                files: vec![FileEntry {
                    path: "agreements/x/index.html".into(),
                    digest: 7,
                    size: 12,
                }],
            },
        );
        assert_eq!(Manifest::parse(&m.to_text()), m);
        let old = Manifest::parse("# header\nindex.html\n../escape\nen/index.html\n");
        let paths: Vec<&str> = old.files().map(|(_, f)| f.path.as_str()).collect();
        assert_eq!(paths, ["index.html", "en/index.html"]);
        assert!(old.files().all(|(_, f)| f.digest == 0));
    }
}
