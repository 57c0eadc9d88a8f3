//! The history computed by the last build, kept in `<site>/.sinergi-cache/history/` so that
//! the next build reads only the commits made since. One entry is kept, named by a digest of
//! what the history depends on besides the commits (the site's place in the repository, its
//! limits, its first language, whether authors are kept); it records the commit it was
//! computed up to and, for each agreement, the commit its last readable state was read at.
//! Like the other caches, an entry that is corrupt or of another format is ignored.
//! The versions of shipments files read from git have a parse cache of their own below it
//! (`blobs/`), keyed by their bytes like the site's.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use gix::ObjectId;
use serde::{Deserialize, Serialize};

use super::git::Repo;
use super::{Begins, History, Revision, Settings};
use crate::load::cache::DIR;

/// Changes whenever the cached types or their meaning change.
const FORMAT: &str = concat!("sinergi-history-cache-1-", env!("CARGO_PKG_VERSION"));

#[derive(Serialize, Deserialize)]
pub(super) struct Entry {
    format: String,
    /// The commit the history was computed up to.
    pub head: String,
    pub begins: Begins,
    pub history: BTreeMap<String, Vec<Revision>>,
    /// Each agreement's last readable state was read at this commit.
    pub known_at: BTreeMap<String, String>,
}

impl Entry {
    pub fn new(history: &History, head: ObjectId, known_at: &BTreeMap<String, ObjectId>) -> Entry {
        Entry {
            format: FORMAT.to_string(),
            head: head.to_string(),
            begins: history.begins.clone(),
            history: history.agreements.clone(),
            known_at: known_at
                .iter()
                .map(|(s, c)| (s.clone(), c.to_string()))
                .collect(),
        }
    }
}

pub(super) struct HistoryCache {
    dir: PathBuf,
    key: String,
}

impl HistoryCache {
    pub fn new(root: &Path, repo: &Repo, settings: &Settings) -> HistoryCache {
        let what = format!(
            "{FORMAT}|{}|{:?}|{}|{}",
            repo.path(""),
            settings.limits,
            settings.default_language,
            settings.authors
        );
        HistoryCache {
            dir: root.join(DIR).join("history"),
            key: format!("{:032x}", xxhash_rust::xxh3::xxh3_128(what.as_bytes())),
        }
    }

    /// Where the versions of shipments files keep their parse cache.
    pub fn blobs_dir(&self) -> PathBuf {
        self.dir.join("blobs")
    }

    /// The last history computed under the same settings, when a valid entry exists.
    pub fn get(&self) -> Option<Entry> {
        let bytes = crate::load::files::read_checked(
            &self.dir,
            &format!("{}.json", self.key),
            crate::load::cache::ENTRY_MAX,
        )
        .ok()?;
        let entry: Entry = serde_json::from_slice(&bytes).ok()?;
        (entry.format == FORMAT).then_some(entry)
    }

    /// Keeps `entry` in place of any other; failures (a read-only site) are ignored.
    pub fn put(&self, entry: &Entry) {
        let Ok(json) = serde_json::to_vec(entry) else {
            return;
        };
        if std::fs::create_dir_all(&self.dir).is_err() {
            return;
        }
        if let Some(parent) = self.dir.parent() {
            let _ = std::fs::write(parent.join(".gitignore"), "*\n");
        }
        crate::load::cache::write_entry(&self.dir, &self.key, &json);
        crate::load::cache::remove_entries_except(&self.dir, &BTreeSet::from([self.key.clone()]));
    }
}
