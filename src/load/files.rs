//! Opening files under the loader's checks, so that nothing outside the site is ever read or
//! shown. Below the site folder (which may itself be a link) no symbolic link is followed:
//! every folder on the way to a file and the file itself are looked at without following
//! links, and only a regular file within the size limit is opened. It is opened without
//! following a link that took its place since (`O_NOFOLLOW`) and without waiting for a writer
//! if a named pipe did (`O_NONBLOCK`), then looked at again through the open handle.

use std::collections::BTreeMap;
use std::fs::{File, Metadata};
use std::io::{ErrorKind, Read};
use std::path::Path;
use std::sync::Mutex;

use walkdir::WalkDir;

use super::limits::{DEFAULT_MAX_FILE_SIZE, Limits};
use super::{read_text, relative};
use crate::diagnostics::{Diagnostic, Diagnostics, Pos};

/// The folders of a site in which no symbolic link may be.
pub const SITE_FOLDERS: [&str; 4] = ["content", "templates", "static", "i18n"];

/// Why a file was not opened.
#[derive(Debug)]
pub enum Refusal {
    Missing,
    /// The site-relative path of the symbolic link: the file or a folder on the way to it.
    Link(String),
    Folder,
    /// A named pipe, a device or a socket.
    Special,
    /// The file's size in bytes.
    TooLarge(u64),
    Io(std::io::Error),
}

impl Refusal {
    /// The finding about `file`; a caller words [`Refusal::Missing`] and
    /// [`Refusal::TooLarge`] itself when it knows more (a required file, which limit).
    pub fn diagnostic(&self, file: &str) -> Diagnostic {
        match self {
            Refusal::Link(link) => link_error(link),
            other => unreadable(file, &other.to_string()),
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            Refusal::Missing => f.write_str("it does not exist"),
            Refusal::Link(link) => write!(f, "`{link}` is a symbolic link"),
            Refusal::Folder => f.write_str("it is a folder, not a file"),
            Refusal::Special => f.write_str("it is not a regular file (a named pipe or a device)"),
            Refusal::TooLarge(len) => write!(f, "it is {len} bytes, more than the limit"),
            Refusal::Io(e) => write!(f, "{e}"),
        }
    }
}

pub fn unreadable(file: &str, why: &str) -> Diagnostic {
    Diagnostic::error(
        "unreadable-file",
        file,
        Pos::START,
        format!("cannot read this file: {why}"),
    )
    .with_hint("make sure it is a readable regular file")
}

/// A symbolic link below one of [`SITE_FOLDERS`]: an error whether it points inside or outside
/// the site, so that no file outside it is read and no data is silently left out.
pub fn link_error(link: &str) -> Diagnostic {
    Diagnostic::error(
        "unreadable-file",
        link,
        Pos::START,
        "this is a symbolic link; links are not followed, so nothing outside the site is read and the link's target is left out",
    )
    .with_hint("copy the file or folder into the site in place of the link")
}

/// Opens `root/file` (`file` relative, with `/`) under the checks above, when it is at most
/// `max` bytes; gives the open file and its size.
pub fn open_checked(root: &Path, file: &str, max: u64) -> Result<(File, u64), Refusal> {
    let mut path = root.to_path_buf();
    let mut at = String::new();
    let mut last = None;
    for part in file.split('/').filter(|p| !p.is_empty()) {
        if last.as_ref().is_some_and(|m: &Metadata| !m.is_dir()) {
            return Err(Refusal::Missing);
        }
        path.push(part);
        if !at.is_empty() {
            at.push('/');
        }
        at.push_str(part);
        let meta = std::fs::symlink_metadata(&path).map_err(|e| match e.kind() {
            ErrorKind::NotFound | ErrorKind::NotADirectory => Refusal::Missing,
            _ => Refusal::Io(e),
        })?;
        if meta.file_type().is_symlink() {
            return Err(Refusal::Link(at));
        }
        last = Some(meta);
    }
    regular(&last.ok_or(Refusal::Folder)?, max)?;
    let file = open_no_follow(&path).map_err(|e| match e.raw_os_error() {
        Some(ELOOP) => Refusal::Link(at),
        _ => Refusal::Io(e),
    })?;
    let len = regular(&file.metadata().map_err(Refusal::Io)?, max)?;
    Ok((file, len))
}

/// Reads a file named on the command line (a spreadsheet to import, a page just written)
/// whole, under the same checks except that the path may lead through links: whoever runs the
/// command chose it.
pub fn read_named(path: &Path, max: u64) -> Result<Vec<u8>, Refusal> {
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        ErrorKind::NotFound => Refusal::Missing,
        _ => Refusal::Io(e),
    })?;
    regular(&meta, max)?;
    let file = open_nonblocking(path).map_err(Refusal::Io)?;
    let len = regular(&file.metadata().map_err(Refusal::Io)?, max)?;
    read_all(file, len, max)
}

/// Reads `root/file` whole under [`open_checked`].
pub fn read_checked(root: &Path, file: &str, max: u64) -> Result<Vec<u8>, Refusal> {
    let (f, len) = open_checked(root, file, max)?;
    read_all(f, len, max)
}

/// Reads to the end, no more than `max` bytes: a file that grew past it since its size was
/// read is refused too.
fn read_all(file: File, len: u64, max: u64) -> Result<Vec<u8>, Refusal> {
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(Refusal::Io)?;
    if bytes.len() as u64 > max {
        return Err(Refusal::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

/// The size of a regular file of at most `max` bytes.
fn regular(meta: &Metadata, max: u64) -> Result<u64, Refusal> {
    if meta.is_dir() {
        return Err(Refusal::Folder);
    }
    if !meta.is_file() {
        return Err(Refusal::Special);
    }
    if meta.len() > max {
        return Err(Refusal::TooLarge(meta.len()));
    }
    Ok(meta.len())
}

#[cfg(unix)]
const ELOOP: i32 = libc::ELOOP;
#[cfg(not(unix))]
const ELOOP: i32 = -1;

#[cfg(unix)]
fn open_no_follow(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_no_follow(path: &Path) -> std::io::Result<File> {
    File::open(path)
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> std::io::Result<File> {
    File::open(path)
}

/// Whether `root/dir` is a folder, looked at without following a link.
pub fn is_folder(root: &Path, dir: &str) -> bool {
    std::fs::symlink_metadata(root.join(dir)).is_ok_and(|m| m.is_dir())
}

/// Reports every symbolic link below [`SITE_FOLDERS`] (a folder that is itself a link
/// included), followed by none. Below `content/agreements/<slug>/` and `content/pages/` the
/// loader's own walk reports them, so only the top two levels of `content/` are looked at here.
pub fn refuse_links(root: &Path, diags: &mut Diagnostics) {
    for dir in SITE_FOLDERS {
        let Ok(meta) = std::fs::symlink_metadata(root.join(dir)) else {
            continue;
        };
        if meta.file_type().is_symlink() {
            diags.push(link_error(dir));
        } else if dir == "content" {
            links_in(root, "content", diags);
            links_in(root, "content/agreements", diags);
        } else {
            let walk = WalkDir::new(root.join(dir))
                .follow_links(false)
                .follow_root_links(false);
            for entry in walk.into_iter().flatten() {
                if entry.path_is_symlink() {
                    diags.push(link_error(&relative(root, entry.path())));
                }
            }
        }
    }
}

/// Links directly in the folder `root/dir` (when it is a folder, not a link).
fn links_in(root: &Path, dir: &str, diags: &mut Diagnostics) {
    if !is_folder(root, dir) {
        return;
    }
    let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
        return;
    };
    for e in entries.flatten() {
        if e.file_type().is_ok_and(|t| t.is_symlink()) {
            diags.push(link_error(&relative(root, &e.path())));
        }
    }
}

/// The digest of every data file the loader read, by site-relative path, so that a finding
/// quotes its source line only from a file with exactly the bytes that were checked. Files are
/// not kept in memory (the shipments of a large site are hundreds of megabytes): a file with
/// findings is read again under the same checks, and quoted only when its digest is the same.
#[derive(Debug, Default)]
pub struct Sources {
    digests: Mutex<BTreeMap<String, u128>>,
}

impl Sources {
    /// Notes that `file` was read as `text` (without its byte-order mark).
    pub fn note(&self, file: &str, text: &str) {
        self.note_digest(file, xxhash_rust::xxh3::xxh3_128(text.as_bytes()));
    }

    pub fn note_digest(&self, file: &str, digest: u128) {
        if let Ok(mut d) = self.digests.lock() {
            d.insert(file.to_string(), digest);
        }
    }

    /// Gives each finding on a file the loader read its source line, from that file read again
    /// under the loader's checks when its bytes are the ones read before. Findings on any other
    /// file (a link, a pipe, a file over the limit, one that changed since) quote nothing.
    pub fn quote(self, root: &Path, limits: &Limits, diags: &mut Diagnostics) {
        let digests = self.digests.into_inner().unwrap_or_default();
        let limits = Limits {
            max_file_size: limits.max_file_size.max(DEFAULT_MAX_FILE_SIZE),
            ..*limits
        };
        for file in diags.unquoted_files() {
            let Some(digest) = digests.get(&file) else {
                continue;
            };
            if let Ok(text) = read_text(root, &file, &limits)
                && xxhash_rust::xxh3::xxh3_128(text.as_bytes()) == *digest
            {
                diags.quote(&file, &text);
            }
        }
    }
}
