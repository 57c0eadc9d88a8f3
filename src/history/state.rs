//! Walking the chain: each agreement's data files in each commit, read and checked as the
//! loader and the validator read and check the site, and compared with the last readable state.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use gix::ObjectId;
use rayon::prelude::*;

use super::cache::{Entry, HistoryCache};
use super::git::{Commit, Repo};
use super::{Begins, History, Outcome, Revision, Settings, diff};
use crate::diagnostics::Diagnostics;
use crate::load::cache::Cache;
use crate::load::located::Loc;
use crate::load::{LoadedAgreement, raw};
use crate::model::{Date, Shipment, Totals};
use crate::validate::Frame;

pub(super) const AGREEMENTS: &str = "content/agreements";

/// The records of one version of a shipments file, shared by every commit that has it.
pub(super) type Records = Arc<Vec<Loc<raw::Shipment>>>;

/// The data files of one agreement in one commit: agreement.yaml and each shipments file by
/// site path.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Files {
    pub agreement: Option<ObjectId>,
    pub shipments: BTreeMap<String, ObjectId>,
}

/// An agreement's data as read at one commit.
pub(super) struct Known {
    /// Each shipments file's records, by site path (blob id and records).
    pub files: BTreeMap<String, (ObjectId, Records)>,
    pub totals: Totals,
}

impl Known {
    pub(super) fn empty() -> Known {
        Known {
            files: BTreeMap::new(),
            totals: Totals {
                totals: Vec::new(),
                targets: Vec::new(),
                routes: Vec::new(),
                delivered_records: 0,
                planned_records: 0,
                value_idr: Default::default(),
            },
        }
    }
}

/// The last readable state of an agreement: read, or to read at a commit when needed.
enum Last {
    Ready(Known),
    At(ObjectId),
}

/// Every agreement folder of one commit: its tree and its data files, by folder name.
#[derive(Default)]
struct Snapshot {
    /// The tree of `content/agreements`, if there is one.
    tree: Option<ObjectId>,
    folders: BTreeMap<String, (ObjectId, Files)>,
}

/// The records of one version of a shipments file that pass the checks, for one version of
/// its agreement.yaml.
type Checked = Arc<Vec<Shipment>>;

/// Reads versions of files once per blob and checks them.
pub(super) struct Reader<'a> {
    repo: &'a Repo,
    settings: &'a Settings<'a>,
    blobs: Cache,
    /// Shipments files by blob id (`None`: not readable); those of versions no state holds
    /// any more are let go.
    parsed: BTreeMap<ObjectId, Option<Records>>,
    /// Each version of an agreement.yaml checked, by folder name and blob (`None`: it fails
    /// the checks).
    frames: BTreeMap<(String, ObjectId), Option<Arc<Frame>>>,
    /// The files of the last state of each agreement that was read: its agreement.yaml's blob
    /// and each shipments file's checked records by blob. The next state of the agreement
    /// checks only the files that changed.
    checked: BTreeMap<String, (ObjectId, BTreeMap<ObjectId, Checked>)>,
    /// Versions of files that are not in the repository (the work tree's), by the blob id git
    /// would give them.
    pub loose: BTreeMap<ObjectId, Vec<u8>>,
}

pub(super) fn compute(
    repo: &Repo,
    root: &Path,
    settings: &Settings,
) -> Result<Option<History>, String> {
    // A site whose content/ is not committed has no history (a site in a temporary folder
    // of another project's work tree, say): known before the chain is walked.
    let Some(head) = repo.head()? else {
        return Ok(None);
    };
    if repo
        .lookup(repo.tree_of(head)?, &repo.path("content"))?
        .is_none()
    {
        return Ok(None);
    }
    let chain = repo.chain(head)?;
    let Some(head) = chain.commits.last() else {
        return Ok(None);
    };
    let first = &chain.commits[0];
    let begins = Begins {
        commit: first.commit_id(),
        date: date_of(first),
        truncated: chain.truncated,
    };
    let cache = HistoryCache::new(root, repo, settings);
    let mut reader = Reader::new(repo, root, settings, &cache);
    let resumed = cache.get().filter(|e| e.begins == begins).and_then(|e| {
        let head = e.head.parse::<ObjectId>().ok()?;
        Some((chain.commits.iter().position(|c| c.id == head)?, e))
    });
    let fresh = resumed.is_none();
    // Each agreement's last readable state, and the commit it was read at.
    let mut last: BTreeMap<String, Last> = BTreeMap::new();
    let mut known_at: BTreeMap<String, ObjectId> = BTreeMap::new();
    let mut snapshot = Snapshot::default();
    let (mut history, from) = match resumed {
        Some((at, entry)) => {
            if at + 1 == chain.commits.len() {
                // Nothing was committed since: the cache is the history, kept as it is.
                return Ok(Some(History {
                    begins,
                    agreements: entry.history,
                }));
            }
            for (slug, c) in &entry.known_at {
                if let Ok(c) = c.parse::<ObjectId>() {
                    last.insert(slug.clone(), Last::At(c));
                    known_at.insert(slug.clone(), c);
                }
            }
            reader.advance(&mut snapshot, chain.commits[at].tree)?;
            (entry.history, at + 1)
        }
        None if chain.truncated => {
            reader.advance(&mut snapshot, first.tree)?;
            let list: Vec<(&str, &Files)> = snapshot
                .folders
                .iter()
                .map(|(slug, (_, files))| (slug.as_str(), files))
                .collect();
            for ((slug, _), read) in list.iter().zip(reader.read_all(&list)) {
                if let Ok(known) = read {
                    last.insert(slug.to_string(), Last::Ready(known));
                    known_at.insert(slug.to_string(), first.id);
                }
            }
            (BTreeMap::new(), 1)
        }
        None => (BTreeMap::new(), 0),
    };
    let empty = Files::default();
    for commit in &chain.commits[from.min(chain.commits.len())..] {
        let slugs = reader.advance(&mut snapshot, commit.tree)?;
        // Last readable states known only by their commit (a history resumed from the
        // cache) are read first, so that what they share with the new state is checked once.
        let mut at = Vec::new();
        for slug in &slugs {
            if let Some(Last::At(c)) = last.get(slug) {
                at.push((slug.as_str(), reader.files_of(*c, slug)?));
            }
        }
        let list: Vec<(&str, &Files)> = at.iter().map(|(slug, f)| (*slug, f)).collect();
        for ((slug, _), read) in list.iter().zip(reader.read_all(&list)) {
            let known = read.unwrap_or_else(|_| Known::empty());
            last.insert(slug.to_string(), Last::Ready(known));
        }
        let list: Vec<(&str, &Files)> = slugs
            .iter()
            .map(|slug| {
                let files = snapshot.folders.get(slug).map_or(&empty, |(_, f)| f);
                (slug.as_str(), files)
            })
            .collect();
        let read = reader.read_all(&list);
        let bases: Vec<Known> = slugs
            .iter()
            .map(|slug| match last.remove(slug) {
                Some(Last::Ready(k)) => k,
                _ => Known::empty(),
            })
            .collect();
        // Versions of files that the new states no longer have: let go of their records
        // below unless another state holds them.
        let mut gone: Vec<ObjectId> = Vec::new();
        for (read, base) in read.iter().zip(&bases) {
            if let Ok(known) = read {
                let kept = |blob: &ObjectId| known.files.values().any(|(b, _)| b == blob);
                gone.extend(base.files.values().map(|(b, _)| *b).filter(|b| !kept(b)));
            }
        }
        let outcomes: Vec<(Outcome, Known)> = read
            .into_par_iter()
            .zip(bases)
            .map(|(read, base)| match read {
                Ok(known) => (Outcome::Read(diff::changes(&base, &known)), known),
                Err(()) => (Outcome::Unreadable, base),
            })
            .collect();
        reader.forget(&gone);
        for (slug, (outcome, state)) in slugs.into_iter().zip(outcomes) {
            if matches!(outcome, Outcome::Read(_)) {
                known_at.insert(slug.clone(), commit.id);
            }
            last.insert(slug.clone(), Last::Ready(state));
            history.entry(slug).or_insert_with(Vec::new).push(revision(
                commit,
                outcome,
                settings.authors,
            ));
        }
    }
    let history = History {
        begins,
        agreements: history,
    };
    cache.put(&Entry::new(&history, head.id, &known_at));
    // A history resumed from the cache used only the blobs of what changed since; the others
    // will be needed when their agreements change again.
    if fresh {
        reader.blobs.prune();
    }
    Ok(Some(history))
}

fn revision(commit: &Commit, outcome: Outcome, authors: bool) -> Revision {
    Revision {
        commit: commit.commit_id(),
        date: date_of(commit),
        time: commit.seconds,
        message: commit.message.clone(),
        author: authors
            .then(|| commit.author.clone())
            .filter(|a| !a.is_empty()),
        outcome,
    }
}

/// The committer date in the committer's own time zone.
fn date_of(c: &Commit) -> Date {
    chrono::DateTime::from_timestamp(c.seconds + i64::from(c.offset), 0)
        .or_else(|| chrono::DateTime::from_timestamp(c.seconds, 0))
        .map(|t| t.date_naive())
        .unwrap_or_default()
}

impl<'a> Reader<'a> {
    /// A reader of the versions of the files of the site in `root`.
    pub(super) fn new(
        repo: &'a Repo,
        root: &Path,
        settings: &'a Settings,
        cache: &HistoryCache,
    ) -> Reader<'a> {
        Reader {
            repo,
            settings,
            blobs: Cache::at(cache.blobs_dir()).sharing(root),
            parsed: BTreeMap::new(),
            frames: BTreeMap::new(),
            checked: BTreeMap::new(),
            loose: BTreeMap::new(),
        }
    }

    /// Every agreement's data files at commit `id`, by folder name.
    pub(super) fn files_at(&self, id: ObjectId) -> Result<BTreeMap<String, Files>, String> {
        let mut snapshot = Snapshot::default();
        self.advance(&mut snapshot, self.repo.tree_of(id)?)?;
        Ok(snapshot
            .folders
            .into_iter()
            .map(|(slug, (_, files))| (slug, files))
            .collect())
    }

    /// Moves `snapshot` to the commit whose root tree is `root`, reading only the agreement
    /// folders whose tree changed. Gives the agreements whose data files changed, by folder
    /// name.
    fn advance(&self, snapshot: &mut Snapshot, root: ObjectId) -> Result<Vec<String>, String> {
        let repo = self.repo;
        let tree = match repo.lookup(root, &repo.path(AGREEMENTS))? {
            Some((id, true)) => Some(id),
            _ => None,
        };
        if tree == snapshot.tree {
            return Ok(Vec::new());
        }
        snapshot.tree = tree;
        let mut now: BTreeMap<String, ObjectId> = match tree {
            Some(t) => repo
                .entries(t)?
                .into_iter()
                .filter(|(_, (_, is_tree))| *is_tree)
                .map(|(slug, (id, _))| (slug, id))
                .collect(),
            None => BTreeMap::new(),
        };
        let mut changed = Vec::new();
        let gone: Vec<String> = snapshot
            .folders
            .keys()
            .filter(|s| !now.contains_key(*s))
            .cloned()
            .collect();
        for slug in gone {
            if let Some((_, files)) = snapshot.folders.remove(&slug)
                && files != Files::default()
            {
                changed.push(slug);
            }
        }
        now.retain(|slug, id| snapshot.folders.get(slug).is_none_or(|(t, _)| t != id));
        for (slug, id) in now {
            let files = self.folder_files(&slug, id)?;
            let before = snapshot.folders.insert(slug.clone(), (id, files));
            let after = &snapshot.folders[&slug].1;
            if before.map_or(Files::default(), |(_, f)| f) != *after {
                changed.push(slug);
            }
        }
        changed.sort();
        Ok(changed)
    }

    /// The data files of agreement `slug` at commit `id`.
    pub(super) fn files_of(&self, id: ObjectId, slug: &str) -> Result<Files, String> {
        let repo = self.repo;
        let path = repo.path(&format!("{AGREEMENTS}/{slug}"));
        match repo.lookup(repo.tree_of(id)?, &path)? {
            Some((tree, true)) => self.folder_files(slug, tree),
            _ => Ok(Files::default()),
        }
    }

    /// The data files in agreement folder `slug`, whose tree is `tree`.
    fn folder_files(&self, slug: &str, tree: ObjectId) -> Result<Files, String> {
        let entries = self.repo.entries(tree)?;
        let mut files = Files {
            agreement: entries
                .get("agreement.yaml")
                .filter(|(_, t)| !t)
                .map(|(id, _)| *id),
            shipments: BTreeMap::new(),
        };
        if let Some((sub, true)) = entries.get("shipments") {
            let base = format!("{AGREEMENTS}/{slug}/shipments");
            self.shipment_files(*sub, &base, &mut files.shipments)?;
        }
        Ok(files)
    }

    /// The `.yaml` and `.yml` files below tree `id`, as the loader finds them on disk.
    fn shipment_files(
        &self,
        id: ObjectId,
        at: &str,
        out: &mut BTreeMap<String, ObjectId>,
    ) -> Result<(), String> {
        for (name, (oid, is_tree)) in self.repo.entries(id)? {
            let path = format!("{at}/{name}");
            if is_tree {
                self.shipment_files(oid, &path, out)?;
            } else if name.ends_with(".yaml") || name.ends_with(".yml") {
                out.insert(path, oid);
            }
        }
        Ok(())
    }

    /// The text of blob `id`, read as the file `file` of the site would be.
    fn text(&self, file: &str, id: ObjectId) -> Option<String> {
        let limits = &self.settings.limits;
        let bytes = match self.loose.get(&id) {
            Some(b) => b.clone(),
            None => self.repo.blob(id, limits.max_file_size).ok()?.ok()?,
        };
        crate::load::text_from_bytes(file, bytes, limits).ok()
    }

    /// The records of the shipments files of `files` not parsed yet, each blob once, in
    /// parallel.
    fn parse<'f>(&mut self, files: impl Iterator<Item = &'f Files>) {
        let mut todo: BTreeMap<ObjectId, &String> = BTreeMap::new();
        for (f, id) in files.flat_map(|f| &f.shipments) {
            if !self.parsed.contains_key(id) {
                todo.entry(*id).or_insert(f);
            }
        }
        let texts: Vec<Option<String>> = todo.iter().map(|(id, f)| self.text(f, *id)).collect();
        let (limits, blobs) = (&self.settings.limits, &self.blobs);
        let fresh: Vec<(ObjectId, Option<Records>)> = todo
            .into_iter()
            .zip(texts)
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|((id, f), text)| {
                let parsed = text.and_then(|t| {
                    crate::load::shipments_from_text(f, &t, limits, blobs)
                        .ok()
                        .map(Arc::new)
                });
                (id, parsed)
            })
            .collect();
        self.parsed.extend(fresh);
    }

    /// Lets go of the records of these versions of files where no state read holds them: a
    /// version seen again is read from the parse cache.
    fn forget(&mut self, blobs: &[ObjectId]) {
        for blob in blobs {
            if let Some(Some(records)) = self.parsed.get(blob)
                && Arc::strong_count(records) == 1
            {
                self.parsed.remove(blob);
            }
        }
    }

    /// Version `blob` of agreement `slug`'s agreement.yaml, checked once.
    fn frame(&mut self, slug: &str, blob: ObjectId) -> Option<Arc<Frame>> {
        let key = (slug.to_string(), blob);
        if let Some(f) = self.frames.get(&key) {
            return f.clone();
        }
        let file = format!("{AGREEMENTS}/{slug}/agreement.yaml");
        let frame = self.text(&file, blob).and_then(|text| {
            let agreement: raw::AgreementFile = crate::load::yaml::parse(&file, &text, 0).ok()?;
            let loaded = LoadedAgreement {
                slug: slug.to_string(),
                file,
                agreement: Some(agreement),
                shipment_files: Vec::new(),
                pages: Vec::new(),
                records_digest: 0,
                summary: None,
            };
            let mut found = Diagnostics::default();
            let frame = Frame::new(&loaded, self.settings.default_language, &mut found);
            frame.filter(|_| !found.has_errors()).map(Arc::new)
        });
        self.frames.insert(key, frame.clone());
        frame
    }

    /// Agreement `slug` with these data files, when it passes the checks: none at all is an
    /// agreement without records (removed).
    pub(super) fn read(&mut self, slug: &str, files: &Files) -> Result<Known, ()> {
        self.read_all(&[(slug, files)]).pop().unwrap_or(Err(()))
    }

    /// [`Self::read`] of each agreement of `list` (folder name and data files), in parallel.
    /// Only the files that changed since the last state of an agreement read are checked.
    fn read_all(&mut self, list: &[(&str, &Files)]) -> Vec<Result<Known, ()>> {
        self.parse(list.iter().map(|(_, f)| *f));
        let frames: Vec<Option<Arc<Frame>>> = list
            .iter()
            .map(|(slug, f)| f.agreement.and_then(|blob| self.frame(slug, blob)))
            .collect();
        let (parsed, checked) = (&self.parsed, &self.checked);
        let results: Vec<Result<(Known, Option<CheckedFiles>), ()>> = list
            .par_iter()
            .zip(frames)
            .map(|((slug, files), frame)| check(parsed, checked.get(*slug), files, frame))
            .collect();
        results
            .into_iter()
            .zip(list)
            .map(|(result, (slug, _))| {
                let (known, files) = result?;
                if let Some(files) = files {
                    self.checked.insert(slug.to_string(), files);
                }
                Ok(known)
            })
            .collect()
    }
}

/// An agreement's agreement.yaml blob and each of its shipments files' checked records by
/// blob.
type CheckedFiles = (ObjectId, BTreeMap<ObjectId, Checked>);

/// An agreement with these data files and this agreement.yaml checked (`None`: it does not
/// pass), when it passes the checks, and its files checked. The files `before` holds (those
/// of the last state of the agreement read) are not checked again.
fn check(
    parsed: &BTreeMap<ObjectId, Option<Records>>,
    before: Option<&CheckedFiles>,
    files: &Files,
    frame: Option<Arc<Frame>>,
) -> Result<(Known, Option<CheckedFiles>), ()> {
    let Some(agreement_blob) = files.agreement else {
        return if files.shipments.is_empty() {
            Ok((Known::empty(), None))
        } else {
            Err(())
        };
    };
    let frame = frame.ok_or(())?;
    let before = before
        .filter(|(blob, _)| *blob == agreement_blob)
        .map(|(_, c)| c);
    let mut checked: BTreeMap<ObjectId, Checked> = BTreeMap::new();
    let mut known = Known::empty();
    for (f, id) in &files.shipments {
        let records = parsed.get(id).cloned().flatten().ok_or(())?;
        if !checked.contains_key(id) {
            let c = match before.and_then(|b| b.get(id)) {
                Some(c) => c.clone(),
                None => {
                    let mut found = Diagnostics::default();
                    let c = frame.records(f, &records, &mut found);
                    if found.has_errors() {
                        return Err(());
                    }
                    Arc::new(c)
                }
            };
            checked.insert(*id, c);
        }
        known.files.insert(f.clone(), (*id, records));
    }
    let mut all: Vec<&Shipment> = files
        .shipments
        .values()
        .flat_map(|id| checked[id].iter())
        .collect();
    // Ids are unique across the agreement's files, as the checks of a site require.
    let mut ids: Vec<&str> = all.iter().map(|s| s.id.as_str()).collect();
    ids.sort_unstable();
    if ids.windows(2).any(|w| w[0] == w[1]) {
        return Err(());
    }
    all.sort_by(|x, y| crate::validate::record_order(x, y));
    known.totals = crate::figures::totals_of(&frame.agreement, &all, None);
    drop(all);
    Ok((known, Some((agreement_blob, checked))))
}
