//! The records cache: what the site's own pages need of an agreement's shipment records (how
//! many, the latest date, the totals, target progress and route totals), kept so that a build whose records did not change does
//! not read them at all. Entries live in `<site>/.sinergi-cache/records/` as JSON, keyed by the
//! digest of every byte the records are made from (site.yaml, agreement.yaml and each
//! shipments file with its path). Like the parse cache, an entry that is corrupt, of another
//! format version or of another digest is ignored, never trusted; entries of records that no
//! longer exist are removed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use super::cache::{DIR, remove_entries_except, write_entry};

use crate::model::{Date, Summary, Totals};

/// Agreements with fewer records are read again: that is about as fast as an entry.
pub const MIN_RECORDS: usize = 100;

/// Changes whenever the cached types or their meaning change.
const FORMAT: &str = concat!("sinergi-records-cache-3-", env!("CARGO_PKG_VERSION"));

#[derive(Serialize, Deserialize)]
struct Entry {
    format: String,
    digest: String,
    count: usize,
    latest: Option<Date>,
    figures: Totals,
}

pub struct RecordsCache {
    dir: PathBuf,
    /// False when the folder did not exist as the load began (a first build): no file is
    /// then hashed in search of an entry.
    pub exists: bool,
    /// The digests of every agreement of this load: their entries stay.
    current: Mutex<BTreeSet<String>>,
}

impl RecordsCache {
    pub fn new(root: &Path) -> RecordsCache {
        let dir = root.join(DIR).join("records");
        RecordsCache {
            exists: dir.is_dir(),
            dir,
            current: Mutex::new(BTreeSet::new()),
        }
    }

    /// Marks `digest` as the records of an agreement of this load, so that [`Self::prune`]
    /// keeps its entry.
    pub fn note(&self, digest: u128) {
        if let Ok(mut current) = self.current.lock() {
            current.insert(hex(digest));
        }
    }

    /// What was kept of the records with this digest, when a valid entry exists.
    pub fn get(&self, digest: u128) -> Option<Summary> {
        let key = hex(digest);
        let bytes =
            super::files::read_checked(&self.dir, &format!("{key}.json"), super::cache::ENTRY_MAX)
                .ok()?;
        let entry: Entry = serde_json::from_slice(&bytes).ok()?;
        (entry.format == FORMAT && entry.digest == key && entry.count >= MIN_RECORDS).then(|| {
            Summary {
                count: entry.count,
                latest: entry.latest,
                totals: Arc::new(entry.figures),
            }
        })
    }

    /// Keeps what the site's pages need of records read in full. Nothing is kept when the
    /// figures would not read back exactly as they are (compared through `Debug`, which shows a
    /// decimal's scale); failures (a read-only site) are ignored.
    pub fn put(&self, digest: u128, count: usize, latest: Option<Date>, totals: &Totals) {
        if count < MIN_RECORDS {
            return;
        }
        let key = hex(digest);
        let entry = Entry {
            format: FORMAT.to_string(),
            digest: key.clone(),
            count,
            latest,
            figures: totals.clone(),
        };
        let Ok(json) = serde_json::to_vec(&entry) else {
            return;
        };
        let exact = serde_json::from_slice::<Entry>(&json)
            .is_ok_and(|back| format!("{:?}", back.figures) == format!("{:?}", entry.figures));
        if !exact || std::fs::create_dir_all(&self.dir).is_err() {
            return;
        }
        if let Some(parent) = self.dir.parent() {
            let _ = std::fs::write(parent.join(".gitignore"), "*\n");
        }
        write_entry(&self.dir, &key, &json);
    }

    /// Removes the entries of records no agreement of this load has.
    pub fn prune(&self) {
        if let Ok(current) = self.current.lock() {
            remove_entries_except(&self.dir, &current);
        }
    }
}

fn hex(digest: u128) -> String {
    format!("{digest:032x}")
}
