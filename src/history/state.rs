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
use crate::load::{LoadedAgreement, ShipmentFile, raw};
use crate::model::{Date, Totals};

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

/// Reads versions of files once per blob and checks them.
pub(super) struct Reader<'a> {
    repo: &'a Repo,
    settings: &'a Settings<'a>,
    blobs: Cache,
    /// Shipments files by blob id (`None`: not readable).
    parsed: BTreeMap<ObjectId, Option<Records>>,
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
    let mut reader = Reader::new(repo, settings, &cache);
    let ids: Vec<ObjectId> = chain.commits.iter().map(|c| c.id).collect();
    let resumed = cache.get().filter(|e| e.begins == begins).and_then(|e| {
        Some((
            ids.iter()
                .position(|id| e.head.parse::<ObjectId>().ok() == Some(*id))?,
            e,
        ))
    });
    let fresh = resumed.is_none();
    // Each agreement's last readable state, and the commit it was read at.
    let mut last: BTreeMap<String, Last> = BTreeMap::new();
    let mut known_at: BTreeMap<String, ObjectId> = BTreeMap::new();
    let (mut history, from) = match resumed {
        Some((at, entry)) => {
            for (slug, c) in &entry.known_at {
                if let Ok(c) = c.parse::<ObjectId>() {
                    last.insert(slug.clone(), Last::At(c));
                    known_at.insert(slug.clone(), c);
                }
            }
            (entry.history, at + 1)
        }
        None if chain.truncated => {
            for (slug, files) in reader.files_at(first.id)? {
                if let Ok(known) = reader.read(&slug, &files) {
                    last.insert(slug.clone(), Last::Ready(known));
                    known_at.insert(slug, first.id);
                }
            }
            (BTreeMap::new(), 1)
        }
        None => (BTreeMap::new(), 0),
    };
    let mut previous: BTreeMap<String, Files> = match from {
        0 => BTreeMap::new(),
        n => reader.files_at(ids[n - 1])?,
    };
    for commit in &chain.commits[from.min(chain.commits.len())..] {
        let now = reader.files_at(commit.id)?;
        let slugs: Vec<String> = previous
            .keys()
            .chain(now.keys())
            .cloned()
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        for slug in slugs {
            let empty = Files::default();
            let (before, after) = (
                previous.get(&slug).unwrap_or(&empty),
                now.get(&slug).unwrap_or(&empty),
            );
            if before == after {
                continue;
            }
            let base = match last.remove(&slug) {
                Some(Last::Ready(k)) => k,
                Some(Last::At(c)) => {
                    let files = reader.files_at(c)?.remove(&slug).unwrap_or_default();
                    reader
                        .read(&slug, &files)
                        .unwrap_or_else(|_| Known::empty())
                }
                None => Known::empty(),
            };
            let (outcome, state) = match reader.read(&slug, after) {
                Ok(known) => (Outcome::Read(diff::changes(&base, &known)), known),
                Err(()) => (Outcome::Unreadable, base),
            };
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
        previous = now;
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
    pub(super) fn new(repo: &'a Repo, settings: &'a Settings, cache: &HistoryCache) -> Reader<'a> {
        Reader {
            repo,
            settings,
            blobs: Cache::at(cache.blobs_dir()),
            parsed: BTreeMap::new(),
            loose: BTreeMap::new(),
        }
    }

    /// Every agreement's data files at commit `id`, by folder name.
    pub(super) fn files_at(&self, id: ObjectId) -> Result<BTreeMap<String, Files>, String> {
        let repo = self.repo;
        let Some((dir, true)) = repo.lookup(repo.tree_of(id)?, &repo.path(AGREEMENTS))? else {
            return Ok(BTreeMap::new());
        };
        let mut out = BTreeMap::new();
        for (slug, (tree, is_tree)) in repo.entries(dir)? {
            if !is_tree {
                continue;
            }
            let entries = repo.entries(tree)?;
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
            out.insert(slug, files);
        }
        Ok(out)
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

    /// The records of shipments file `file` at blob `id`, parsed once per blob.
    fn shipments(&mut self, file: &str, id: ObjectId) -> Option<Records> {
        if let Some(p) = self.parsed.get(&id) {
            return p.clone();
        }
        let parsed = self.text(file, id).and_then(|text| {
            crate::load::shipments_from_text(file, &text, &self.settings.limits, &self.blobs)
                .ok()
                .map(Arc::new)
        });
        self.parsed.insert(id, parsed.clone());
        parsed
    }

    /// Agreement `slug` with these data files, when it passes the checks: none at all is an
    /// agreement without records (removed).
    pub(super) fn read(&mut self, slug: &str, files: &Files) -> Result<Known, ()> {
        let Some(agreement_blob) = files.agreement else {
            return if files.shipments.is_empty() {
                Ok(Known::empty())
            } else {
                Err(())
            };
        };
        let file = format!("{AGREEMENTS}/{slug}/agreement.yaml");
        let text = self.text(&file, agreement_blob).ok_or(())?;
        let agreement: raw::AgreementFile =
            crate::load::yaml::parse(&file, &text, 0).map_err(|_| ())?;
        let todo: Vec<(&String, &ObjectId)> = files
            .shipments
            .iter()
            .filter(|(_, id)| !self.parsed.contains_key(*id))
            .collect();
        let texts: Vec<(ObjectId, Option<String>)> = todo
            .iter()
            .map(|(f, id)| (**id, self.text(f, **id)))
            .collect();
        let (limits, blobs) = (&self.settings.limits, &self.blobs);
        let fresh: Vec<(ObjectId, Option<Records>)> = todo
            .par_iter()
            .zip(texts)
            .map(|((f, _), (id, text))| {
                let parsed = text.and_then(|t| {
                    crate::load::shipments_from_text(f, &t, limits, blobs)
                        .ok()
                        .map(Arc::new)
                });
                (id, parsed)
            })
            .collect();
        self.parsed.extend(fresh);
        let mut known = Known::empty();
        let mut shipment_files = Vec::with_capacity(files.shipments.len());
        for (f, id) in &files.shipments {
            let records = self.shipments(f, *id).ok_or(())?;
            shipment_files.push(ShipmentFile {
                file: f.clone(),
                records: records.as_ref().clone(),
            });
            known.files.insert(f.clone(), (*id, records));
        }
        let loaded = LoadedAgreement {
            slug: slug.to_string(),
            file,
            agreement: Some(agreement),
            shipment_files,
            pages: Vec::new(),
            records_digest: 0,
            summary: None,
        };
        let mut found = Diagnostics::default();
        let checked = crate::validate::validate_agreement(
            &loaded,
            self.settings.default_language,
            &mut found,
        );
        match checked {
            Some(a) if !found.has_errors() => {
                known.totals = crate::figures::totals(&a, None);
                Ok(known)
            }
            _ => Err(()),
        }
    }
}
