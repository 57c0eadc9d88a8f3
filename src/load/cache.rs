//! The parse cache: data files whose bytes did not change are not parsed again. Entries live
//! in `<site>/.sinergi-cache/`, keyed by a 128-bit hash of the file's bytes, and hold what was
//! parsed (a shipments file's records, an agreement.yaml) with its locations as JSON (about 15x
//! faster to read than YAML). An entry that is corrupt, of another format version or of other
//! bytes is ignored and rewritten, never trusted; entries not used by a load are removed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::located::{Loc, with_plain_locations};
use super::raw::{AgreementFile, Shipment};

pub const DIR: &str = ".sinergi-cache";

/// The largest cache entry read. Entries are written by sinergi (JSON of up to the largest
/// shipments file); they are read under the loader's checks so that a link, a pipe or a device
/// in their place is never read.
pub(crate) const ENTRY_MAX: u64 = 4 * super::limits::MAX_FILE_SIZE_CEILING;

/// Files smaller than this parse about as fast as a cache entry is read and checked.
const MIN_BYTES: usize = 4 * 1024;

/// Changes whenever the cached types or their meaning change.
const FORMAT: &str = concat!("sinergi-parse-cache-2-", env!("CARGO_PKG_VERSION"));

#[derive(Serialize, Deserialize)]
struct Entry<T> {
    format: String,
    key: String,
    bytes: usize,
    records: T,
}

/// What a kind of file parses into, and how its entries are named: an agreement.yaml's entry
/// is `agreement-<hash>.json`, so that it never meets a shipments file's of the same bytes.
pub trait Parsed: Serialize + DeserializeOwned + std::fmt::Debug {
    const PREFIX: &'static str;
    /// Smaller files parse about as fast as an entry is read and checked.
    const MIN_BYTES: usize;
    /// Whether an entry is read back before it is stored, and stored only when it reads back
    /// exactly (compared through `Debug`).
    const READ_BACK: bool;
    /// The format an entry must have been written in.
    fn format() -> &'static str {
        FORMAT
    }
}

impl Parsed for Vec<Loc<Shipment>> {
    const PREFIX: &'static str = "";
    const MIN_BYTES: usize = MIN_BYTES;
    /// Too many to read back on every first parse; the parse cache's tests check them.
    const READ_BACK: bool = false;
}

impl Parsed for AgreementFile {
    const PREFIX: &'static str = "agreement-";
    /// An agreement.yaml of many small mappings with locations parses slowly (about 0.2 ms for
    /// 2.4 KB); its entry, of any size, is read about five times faster.
    const MIN_BYTES: usize = 0;
    const READ_BACK: bool = true;
    /// The parse cache's format and a digest of the file's JSON Schema, so that an entry
    /// written before a field was added (with that field read as missing) is never trusted.
    fn format() -> &'static str {
        static FORMAT_AND_SCHEMA: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        FORMAT_AND_SCHEMA.get_or_init(|| {
            let schema = schemars::schema_for!(AgreementFile);
            let digest = xxhash_rust::xxh3::xxh3_64(schema.as_value().to_string().as_bytes());
            format!("{FORMAT}-{digest:016x}")
        })
    }
}

pub struct Cache {
    dir: PathBuf,
    /// Another cache whose entries are read too, never written or removed.
    shared: Option<PathBuf>,
    used: Mutex<BTreeSet<String>>,
}

impl Cache {
    pub fn new(root: &Path) -> Cache {
        Cache::at(root.join(DIR))
    }

    /// A cache of its own in `dir` (for the versions of files read from the git history).
    pub fn at(dir: PathBuf) -> Cache {
        Cache {
            dir,
            shared: None,
            used: Mutex::new(BTreeSet::new()),
        }
    }

    /// This cache, reading also the entries of the site's own cache in `root` that it lacks
    /// (the history's versions of a file are often the file as it is now).
    pub fn sharing(self, root: &Path) -> Cache {
        Cache {
            shared: Some(root.join(DIR)),
            ..self
        }
    }

    /// What a file with exactly these bytes parsed into, when a valid entry exists.
    pub fn get<T: Parsed>(&self, text: &str) -> Option<T> {
        if text.len() < T::MIN_BYTES {
            return None;
        }
        let key = key::<T>(text.as_bytes());
        self.used.lock().ok()?.insert(key.clone());
        let name = format!("{key}.json");
        let bytes = super::files::read_checked(&self.dir, &name, ENTRY_MAX)
            .ok()
            .or_else(|| super::files::read_checked(self.shared.as_ref()?, &name, ENTRY_MAX).ok())?;
        let entry: Entry<T> = with_plain_locations(|| serde_json::from_slice(&bytes)).ok()?;
        (entry.format == T::format() && entry.key == key && entry.bytes == text.len())
            .then_some(entry.records)
    }

    /// Keeps the entry of a text of `len` bytes whose xxh3-128 is `hash` (if any) through
    /// [`Self::prune`] without reading it: its records were not needed this time, but will be
    /// when they must be shown again.
    pub fn keep(&self, hash: u128, len: u64) {
        if len >= MIN_BYTES as u64
            && let Ok(mut used) = self.used.lock()
        {
            used.insert(format!("{hash:032x}"));
        }
    }

    /// Stores what `text` parsed into; failures (a read-only site) are ignored.
    pub fn put<T: Parsed>(&self, text: &str, records: &T) {
        if text.len() < T::MIN_BYTES {
            return;
        }
        let key = key::<T>(text.as_bytes());
        let entry = EntryRef {
            format: T::format(),
            key: &key,
            bytes: text.len(),
            records,
        };
        let Ok(json) = serde_json::to_vec(&entry) else {
            return;
        };
        let exact = || {
            with_plain_locations(|| serde_json::from_slice::<Entry<T>>(&json))
                .is_ok_and(|back| format!("{:?}", back.records) == format!("{records:?}"))
        };
        if T::READ_BACK && !exact() {
            return;
        }
        if std::fs::create_dir_all(&self.dir).is_err() {
            return;
        }
        let _ = std::fs::write(self.dir.join(".gitignore"), "*\n");
        write_entry(&self.dir, &key, &json);
        if let Ok(mut used) = self.used.lock() {
            used.insert(key);
        }
    }

    /// Removes entries this load did not use (files that changed or went away).
    pub fn prune(&self) {
        if let Ok(used) = self.used.lock() {
            remove_entries_except(&self.dir, &used);
        }
    }
}

#[derive(Serialize)]
struct EntryRef<'a, T> {
    format: &'a str,
    key: &'a str,
    bytes: usize,
    records: &'a T,
}

/// Writes `<dir>/<key>.json` through a temporary file and a rename, so that a reader never
/// sees half an entry; failures (a read-only site) are ignored.
pub(crate) fn write_entry(dir: &Path, key: &str, json: &[u8]) {
    let target = dir.join(format!("{key}.json"));
    let _ = crate::atomic::write(&target, json, crate::atomic::Durability::Crash);
}

/// Removes the entries of `dir` whose key is not in `keep`, and stray temporary files.
pub(crate) fn remove_entries_except(dir: &Path, keep: &BTreeSet<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let stale = match name.strip_suffix(".json") {
            Some(key) => !keep.contains(key),
            None => name.ends_with(crate::atomic::TMP_SUFFIX),
        };
        if stale {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// xxh3-128 of the bytes, in hex, after the prefix of the kind of file.
fn key<T: Parsed>(bytes: &[u8]) -> String {
    format!("{}{:032x}", T::PREFIX, xxhash_rust::xxh3::xxh3_128(bytes))
}
