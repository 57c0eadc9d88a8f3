//! Stage 5: writing the rendered site. Only changed files are rewritten (each through a
//! temporary file and a rename, so a reader never sees half a file), files the previous build
//! wrote and this one does not are removed, and a folder of other origin is refused.

use std::collections::BTreeSet;
use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use crate::render::Files;

/// Lists what the last build wrote; its presence marks a folder as ours.
pub const MANIFEST: &str = ".sinergi-manifest";
const MANIFEST_HEADER: &str = "# Files written by sinergi build. Do not edit.";

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

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |error| WriteError::Io {
        path: path.to_path_buf(),
        error,
    }
}

/// Writes `files` into `out`.
pub fn write(out: &Path, files: &Files) -> Result<WriteReport, WriteError> {
    for path in files.keys() {
        if !is_safe_relative(path) || path == MANIFEST {
            return Err(WriteError::UnsafePath(path.clone()));
        }
    }
    let previous = previous_manifest(out)?;
    fs::create_dir_all(out).map_err(io(out))?;
    remove_stray_temporaries(out);
    // Until this build finishes, the manifest lists both the old files and the new ones, so a
    // build killed half-way still knows every file it may have written.
    let both: BTreeSet<&str> = previous
        .iter()
        .map(String::as_str)
        .chain(files.keys().map(String::as_str))
        .collect();
    write_manifest(out, both.into_iter())?;
    let mut report = WriteReport::default();
    for (path, bytes) in files {
        let target = out.join(path);
        if fs::read(&target).ok().as_deref() == Some(bytes.as_slice()) {
            report.unchanged += 1;
            continue;
        }
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(io(parent))?;
        }
        atomic_write(&target, bytes)?;
        report.written += 1;
        report.bytes_written += bytes.len() as u64;
    }
    write_manifest(out, files.keys().map(String::as_str))?;
    for old in previous.iter().filter(|p| !files.contains_key(*p)) {
        let path = out.join(old);
        if fs::remove_file(&path).is_ok() {
            report.removed += 1;
            remove_empty_parents(out, &path);
        }
    }
    Ok(report)
}

fn write_manifest<'a>(out: &Path, paths: impl Iterator<Item = &'a str>) -> Result<(), WriteError> {
    let mut manifest = String::from(MANIFEST_HEADER);
    manifest.push('\n');
    for path in paths {
        manifest.push_str(path);
        manifest.push('\n');
    }
    atomic_write(&out.join(MANIFEST), manifest.as_bytes())
}

/// Temporary files a killed build left behind.
fn remove_stray_temporaries(out: &Path) {
    for e in walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
    {
        let name = e.file_name().to_string_lossy();
        if e.file_type().is_file() && name.starts_with('.') && name.ends_with(".sinergi-tmp") {
            let _ = fs::remove_file(e.path());
        }
    }
}

/// The files the previous build listed, or an error when `out` holds files of other origin.
fn previous_manifest(out: &Path) -> Result<BTreeSet<String>, WriteError> {
    let manifest = out.join(MANIFEST);
    if let Ok(text) = fs::read_to_string(&manifest) {
        return Ok(text
            .lines()
            .filter(|l| !l.starts_with('#') && is_safe_relative(l))
            .map(str::to_string)
            .collect());
    }
    let entries = match fs::read_dir(out) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeSet::new()),
        Err(e) => {
            return Err(WriteError::Io {
                path: out.to_path_buf(),
                error: e,
            });
        }
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !TOLERATED.contains(&name.as_str()) {
            return Err(WriteError::Foreign {
                out: out.to_path_buf(),
                example: name,
            });
        }
    }
    Ok(BTreeSet::new())
}

/// Writes through a temporary file in the same folder, then renames over the target.
fn atomic_write(target: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = target.with_file_name(format!(".{name}.sinergi-tmp"));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        // No fsync: a killed process or a full disk never leaves a partial file under the
        // target's name (the rename is atomic); syncing every page would cost seconds per
        // thousand files, and durability across power loss is the file system's rename rule.
        fs::rename(&tmp, target)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.map_err(io(target))
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
