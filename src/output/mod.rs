//! Stage 5: writing the rendered site, unit by unit, as each unit is rendered.
//!
//! New and changed files go to a staging folder inside the output folder first; only when
//! every unit rendered and staged are they renamed over their targets (each rename is atomic,
//! so a reader never sees half a file), the manifest is replaced and files no unit makes any
//! more are removed. A failed build (a template error, a full disk) removes the staging folder
//! and leaves the previous output as it was. A folder of other origin is refused.

mod manifest;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use xxhash_rust::xxh3::xxh3_128;

pub use manifest::{FileEntry, MANIFEST, Manifest, UnitEntry};

use crate::atomic::Durability;
use crate::render::Files;

/// Where a build stages its new files; a killed build's leftovers are removed by the next.
const STAGING: &str = ".sinergi-staging";

/// Files a new output folder may already hold without being foreign.
const TOLERATED: [&str; 3] = ["README.md", ".gitignore", ".gitkeep"];

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WriteReport {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
    pub bytes_written: u64,
}

#[derive(Debug)]
pub enum WriteError {
    /// The folder holds files sinergi did not write.
    Foreign { out: PathBuf, example: String },
    /// A path the renderer produced is not a plain relative path.
    UnsafePath(String),
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Foreign { out, example } => write!(
                f,
                "{} holds files sinergi did not write (e.g. {example}); refusing to write there. \
                 Choose an empty or new folder with --out, or empty this one",
                out.display()
            ),
            WriteError::UnsafePath(p) => {
                write!(f, "refusing to write outside the output folder: {p}")
            }
            WriteError::Io { path, error } => write!(f, "cannot write {}: {error}", path.display()),
        }
    }
}

impl Clone for WriteError {
    /// An I/O error is copied by its kind and message (`std::io::Error` is not `Clone`).
    fn clone(&self) -> Self {
        match self {
            WriteError::Foreign { out, example } => WriteError::Foreign {
                out: out.clone(),
                example: example.clone(),
            },
            WriteError::UnsafePath(p) => WriteError::UnsafePath(p.clone()),
            WriteError::Io { path, error } => WriteError::Io {
                path: path.clone(),
                error: std::io::Error::new(error.kind(), error.to_string()),
            },
        }
    }
}

impl std::error::Error for WriteError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WriteError::Io { error, .. } => Some(error),
            _ => None,
        }
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |error| WriteError::Io {
        path: path.to_path_buf(),
        error,
    }
}

/// One unit after staging: its manifest entry and which of its files wait in staging.
#[derive(Debug, Clone)]
pub struct Staged {
    pub key: String,
    pub entry: UnitEntry,
    /// Paths staged (new or changed); the unit's other files are already in place.
    pub changed: Vec<String>,
    /// True when the unit was not rendered at all.
    pub skipped: bool,
}

/// What the previous build left in an output folder, read without changing anything.
pub struct Previous {
    out: PathBuf,
    manifest: Manifest,
    /// Unit key -> (fingerprint, current): each unit's files are looked at once per build.
    looked_at: Mutex<BTreeMap<String, (u128, bool)>>,
}

impl Previous {
    /// Refuses a folder of other origin.
    pub fn read(out: &Path) -> Result<Previous, WriteError> {
        Ok(Previous {
            out: out.to_path_buf(),
            manifest: previous_manifest(out)?,
            looked_at: Mutex::new(BTreeMap::new()),
        })
    }

    /// The unit's previous entry when its fingerprint is unchanged and every file it wrote is
    /// still in place with its size: then the unit need not be rendered.
    pub fn current(&self, key: &str, fingerprint: u128) -> Option<&UnitEntry> {
        let entry = self.manifest.units.get(key)?;
        if fingerprint == 0 || entry.fingerprint != fingerprint {
            return None;
        }
        let known = self.looked_at.lock().ok()?.get(key).copied();
        let intact = match known {
            Some((f, intact)) if f == fingerprint => intact,
            _ => {
                let intact = entry
                    .files
                    .iter()
                    .all(|f| f.digest != 0 && self.in_place(&f.path, f.size));
                if let Ok(mut looked_at) = self.looked_at.lock() {
                    looked_at.insert(key.to_string(), (fingerprint, intact));
                }
                intact
            }
        };
        intact.then_some(entry)
    }

    /// [`Previous::current`] as a unit staged without being rendered.
    pub fn kept(&self, key: &str, fingerprint: u128) -> Option<Staged> {
        self.current(key, fingerprint).map(|entry| Staged {
            key: key.to_string(),
            entry: entry.clone(),
            changed: Vec::new(),
            skipped: true,
        })
    }

    /// Whether `path` is a regular file of `size` bytes in the output folder.
    fn in_place(&self, path: &str, size: u64) -> bool {
        fs::symlink_metadata(self.out.join(path)).is_ok_and(|m| m.is_file() && m.len() == size)
    }
}

/// An output folder being written by one build, over what the previous build left there.
pub struct Writer<'p> {
    out: PathBuf,
    staging: PathBuf,
    previous: &'p Previous,
    /// Path -> (digest, size) of every file the previous build wrote.
    previous_files: BTreeMap<&'p str, (u128, u64)>,
}

impl<'p> Writer<'p> {
    /// Opens `out` (created when missing): refuses a folder of other origin, removes what a
    /// killed build left behind.
    pub fn open(previous: &'p Previous) -> Result<Writer<'p>, WriteError> {
        let out = previous.out.clone();
        fs::create_dir_all(&out).map_err(io(&out))?;
        remove_stray_temporaries(&out);
        let staging = out.join(STAGING);
        if staging.exists() {
            fs::remove_dir_all(&staging).map_err(io(&staging))?;
        }
        let previous_files = previous
            .manifest
            .files()
            .map(|(_, f)| (f.path.as_str(), (f.digest, f.size)))
            .collect();
        Ok(Writer {
            out,
            staging,
            previous,
            previous_files,
        })
    }

    /// Stages the unit's new and changed files. A file whose digest and size match what the
    /// previous build wrote there is left alone.
    pub fn stage(&self, key: &str, fingerprint: u128, files: Files) -> Result<Staged, WriteError> {
        let mut entry = UnitEntry {
            fingerprint,
            files: Vec::with_capacity(files.len()),
        };
        let mut changed = Vec::new();
        for (path, bytes) in files {
            if !is_safe_relative(&path) || path == MANIFEST || path.starts_with(STAGING) {
                return Err(WriteError::UnsafePath(path));
            }
            let file = FileEntry {
                digest: xxh3_128(&bytes).max(1),
                size: bytes.len() as u64,
                path,
            };
            let same = self.previous_files.get(file.path.as_str())
                == Some(&(file.digest, file.size))
                && self.in_place(&file.path, file.size);
            if !same {
                let staged = self.staging.join(&file.path);
                if let Some(parent) = staged.parent() {
                    fs::create_dir_all(parent).map_err(io(parent))?;
                }
                write_file(&staged, &bytes).map_err(io(&self.out.join(&file.path)))?;
                changed.push(file.path.clone());
            }
            entry.files.push(file);
        }
        Ok(Staged {
            key: key.to_string(),
            entry,
            changed,
            skipped: false,
        })
    }

    fn in_place(&self, path: &str, size: u64) -> bool {
        self.previous.in_place(path, size)
    }

    /// Moves every staged file into place, writes the new manifest and removes the files no
    /// unit makes any more.
    pub fn commit(self, units: Vec<Staged>) -> Result<WriteReport, WriteError> {
        let mut report = WriteReport::default();
        // Until this build finishes, the manifest lists the old files and the new ones, with
        // the digests of those about to change unknown: a build killed half-way still knows
        // every file it may have written, and the next build trusts none it replaced.
        // A build that changes no file (a no-op rebuild) leaves the manifest alone when the
        // new one would be the same.
        let any_changed = units.iter().any(|u| !u.changed.is_empty());
        let mut interim = self.previous.manifest.clone();
        for u in &units {
            if u.changed.is_empty() {
                continue;
            }
            let unit = interim.units.entry(u.key.clone()).or_default();
            unit.fingerprint = 0;
            for path in &u.changed {
                match unit.files.iter_mut().find(|f| &f.path == path) {
                    Some(f) => f.digest = 0,
                    None => unit.files.push(FileEntry {
                        path: path.clone(),
                        digest: 0,
                        size: 0,
                    }),
                }
            }
        }
        if any_changed {
            write_manifest(&self.out, &interim)?;
        }
        let mut next = Manifest::default();
        for u in units {
            for path in &u.changed {
                let target = self.out.join(path);
                if let Some(parent) = target.parent() {
                    fs::create_dir_all(parent).map_err(io(parent))?;
                }
                fs::rename(self.staging.join(path), &target).map_err(io(&target))?;
            }
            let changed: BTreeSet<&String> = u.changed.iter().collect();
            report.written += changed.len();
            report.unchanged += u.entry.files.len() - changed.len();
            report.bytes_written += u
                .entry
                .files
                .iter()
                .filter(|f| changed.contains(&f.path))
                .map(|f| f.size)
                .sum::<u64>();
            next.units.insert(u.key, u.entry);
        }
        if !any_changed && next == self.previous.manifest {
            let _ = fs::remove_dir_all(&self.staging);
            return Ok(report);
        }
        write_manifest(&self.out, &next)?;
        let kept: BTreeSet<&str> = next.files().map(|(_, f)| f.path.as_str()).collect();
        for old in self.previous_files.keys().filter(|p| !kept.contains(*p)) {
            let path = self.out.join(old);
            if fs::remove_file(&path).is_ok() {
                report.removed += 1;
                remove_empty_parents(&self.out, &path);
            }
        }
        let _ = fs::remove_dir_all(&self.staging);
        Ok(report)
    }

    /// Gives up: the staged files are removed, the previous output stays as it was.
    pub fn abandon(self) {
        let _ = fs::remove_dir_all(&self.staging);
    }
}

fn write_manifest(out: &Path, manifest: &Manifest) -> Result<(), WriteError> {
    let target = out.join(MANIFEST);
    crate::atomic::write(&target, manifest.to_text().as_bytes(), Durability::Crash)
        .map_err(io(&target))
}

/// The temporary manifest a killed build left behind: the only file written outside the
/// staging folder, at the top of the output folder.
fn remove_stray_temporaries(out: &Path) {
    let Ok(entries) = fs::read_dir(out) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if e.file_type().is_ok_and(|t| t.is_file())
            && name.starts_with('.')
            && name.ends_with(crate::atomic::TMP_SUFFIX)
        {
            let _ = fs::remove_file(e.path());
        }
    }
}

/// The previous build's manifest, or an error when `out` holds files of other origin.
fn previous_manifest(out: &Path) -> Result<Manifest, WriteError> {
    // Read only as a regular file: a link, a pipe or a device in its place is not sinergi's.
    use crate::load::files::{Refusal, read_checked};
    match read_checked(out, MANIFEST, crate::load::limits::MAX_FILE_SIZE_CEILING) {
        Ok(bytes) => return Ok(Manifest::parse(&String::from_utf8_lossy(&bytes))),
        Err(Refusal::Missing) => {}
        Err(_) => {
            return Err(WriteError::Foreign {
                out: out.to_path_buf(),
                example: format!("{MANIFEST}, which is not a regular file"),
            });
        }
    }
    let entries = match fs::read_dir(out) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Manifest::default()),
        Err(e) => {
            return Err(WriteError::Io {
                path: out.to_path_buf(),
                error: e,
            });
        }
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !TOLERATED.contains(&name.as_str()) && name != STAGING {
            return Err(WriteError::Foreign {
                out: out.to_path_buf(),
                example: name,
            });
        }
    }
    Ok(Manifest::default())
}

fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = fs::File::create(path)?;
    f.write_all(bytes)
}

fn remove_empty_parents(out: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == out || !d.starts_with(out) || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

/// A relative path of normal segments only: no root, no `..`, no empty or hidden tricks.
pub fn is_safe_relative(p: &str) -> bool {
    !p.is_empty()
        && !p.contains('\\')
        && !p.contains('\0')
        && Path::new(p)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relative_paths() {
        assert!(is_safe_relative("agreements/x/index.html"));
        assert!(!is_safe_relative("../x"));
        assert!(!is_safe_relative("/etc/passwd"));
        assert!(!is_safe_relative("a/../../b"));
        assert!(!is_safe_relative(""));
    }
}
