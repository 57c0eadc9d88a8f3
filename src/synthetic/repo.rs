//! A synthetic git history over a synthetic site, for the history benchmark: the first commit
//! holds the site, each later commit edits a few records (a quantity, a status, a record added
//! or removed, now and then a shipment file moved). Objects are written straight into the
//! repository with gix (no `git` binary), trees are rewritten only along changed paths, and
//! every date is fixed, so the same spec gives the same commit ids everywhere.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use gix::ObjectId;
use gix::objs::tree::EntryKind;

use super::{Rng, STATUSES, Spec, quantity, record, site_files};

/// What [`SyntheticRepo::commit`] and [`SyntheticRepo::create`] report.
#[derive(Debug, Clone, Copy, Default)]
pub struct History {
    /// Commits on the branch.
    pub commits: usize,
    /// Records edited, added or removed, and files moved, over all commits after the first.
    pub edits: usize,
}

/// A synthetic site in a git repository that can grow one commit at a time.
pub struct SyntheticRepo {
    root: PathBuf,
    repo: gix::Repository,
    files: BTreeMap<String, String>,
    /// The blob of each file of `files`.
    blobs: BTreeMap<String, ObjectId>,
    /// Edits to the last commit's tree for the next commit.
    pending: Vec<(String, Option<ObjectId>)>,
    rng: Rng,
    /// The next unused record number of each agreement.
    next_record: Vec<usize>,
    head: ObjectId,
    history: History,
    /// Paths changed since the work tree was last written.
    dirty: BTreeSet<String>,
}

/// Committer and author of every synthetic commit.
const NAME: &str = "Sinergi Bench";
const EMAIL: &str = "bench@example.org";
/// 2024-07-01 00:00 UTC, then one commit every six hours, in Western Indonesia Time.
const EPOCH: i64 = 1_719_792_000;
const STEP: i64 = 6 * 3600;
const WIB: i32 = 7 * 3600;

type Error = Box<dyn std::error::Error + Send + Sync>;

impl SyntheticRepo {
    /// Writes the site of `spec` into `root` (which should be empty) as a repository of
    /// `commits` commits on `main` (at least one), with the work tree checked out at the last.
    pub fn create(root: &Path, spec: Spec, commits: usize) -> Result<Self, Error> {
        std::fs::create_dir_all(root)?;
        let repo = gix::init(root)?;
        let mut files = site_files(spec);
        files.insert(".gitignore".into(), "output/\n.sinergi-cache/\n".into());
        let mut blobs = BTreeMap::new();
        let mut editor = repo.empty_tree().edit()?;
        for (path, text) in &files {
            let id = repo.write_blob(text.as_bytes())?.detach();
            editor.upsert(path.as_str(), EntryKind::Blob, id)?;
            blobs.insert(path.clone(), id);
        }
        let root_tree = editor.write()?.detach();
        drop(editor);
        let message = "Data awal: situs sintetis";
        let head = write_commit(&repo, root_tree, None, 0, message)?;
        let mut me = SyntheticRepo {
            root: root.to_path_buf(),
            repo,
            dirty: files.keys().cloned().collect(),
            files,
            blobs,
            pending: Vec::new(),
            rng: Rng(spec.seed ^ 0x0C0F_FEE0),
            next_record: vec![spec.records_per_agreement; spec.agreements],
            head,
            history: History {
                commits: 1,
                edits: 0,
            },
        };
        for _ in 1..commits {
            me.commit_edits()?;
        }
        me.finish()?;
        Ok(me)
    }

    /// Adds one commit of a few edits, moves `main` to it and updates the work tree.
    pub fn commit(&mut self) -> Result<History, Error> {
        self.commit_edits()?;
        self.finish()?;
        Ok(self.history)
    }

    /// Totals so far.
    pub fn history(&self) -> History {
        self.history
    }

    /// Bytes of shipment YAML in the work tree.
    pub fn shipment_bytes(&self) -> u64 {
        super::shipment_bytes(&self.files)
    }

    fn commit_edits(&mut self) -> Result<(), Error> {
        let n = 1 + self.rng.below(3) as usize;
        let mut said = Vec::new();
        for _ in 0..n {
            if let Some(what) = self.edit()? {
                said.push(what);
                self.history.edits += 1;
            }
        }
        let parent = self.repo.find_commit(self.head)?.tree_id()?.detach();
        let mut editor = self.repo.edit_tree(parent)?;
        for (path, blob) in self.pending.drain(..) {
            match blob {
                Some(id) => editor.upsert(path.as_str(), EntryKind::Blob, id)?,
                None => editor.remove(path.as_str())?,
            };
        }
        let root_tree = editor.write()?.detach();
        drop(editor);
        let message = said.join("; ");
        self.head = write_commit(
            &self.repo,
            root_tree,
            Some(self.head),
            self.history.commits,
            &message,
        )?;
        self.history.commits += 1;
        Ok(())
    }

    /// One edit in one shipment file of a random agreement, described as a commit message says it.
    fn edit(&mut self) -> Result<Option<String>, Error> {
        let agreements = self.next_record.len();
        let a = self.rng.below(agreements as u64) as usize;
        let prefix = format!("content/agreements/kad-{a:04}/shipments/");
        let paths: Vec<String> = self
            .files
            .range(prefix.clone()..)
            .take_while(|(p, _)| p.starts_with(&prefix))
            .map(|(p, _)| p.clone())
            .collect();
        if paths.is_empty() {
            return Ok(None);
        }
        let path = paths[self.rng.below(paths.len() as u64) as usize].clone();
        let mut records = split_records(&self.files[&path]);
        let r = self.rng.below(records.len() as u64) as usize;
        let id = record_id(&records[r]).to_string();
        let said = match self.rng.below(20) {
            // A file moved into a folder per year: its records keep their ids.
            0 if !path[prefix.len()..].contains('/') => {
                let name = &path[prefix.len()..];
                let (year, month) = name.split_once('-').unwrap_or(("lain", name));
                let to = format!("{prefix}{year}/{month}");
                let text = self.files.remove(&path).unwrap_or_default();
                self.put(&path, None)?;
                self.put(&to, Some(text))?;
                return Ok(Some(format!(
                    "Pindahkan {} ke {}",
                    &path[prefix.len()..],
                    &to[prefix.len()..]
                )));
            }
            0..=7 => {
                let unit = field(&records[r], "unit").unwrap_or("t").to_string();
                let q = quantity(&mut self.rng, &unit);
                records[r] = set_field(&records[r], "quantity", &q);
                format!("Koreksi kuantitas {id}: {q} {unit}")
            }
            8..=12 => {
                let now = field(&records[r], "status")
                    .unwrap_or("shipped")
                    .to_string();
                let others: Vec<&str> = STATUSES.iter().copied().filter(|s| *s != now).collect();
                let status = others[self.rng.below(others.len() as u64) as usize];
                records[r] = set_field(&records[r], "status", status);
                format!("Status {id}: {status}")
            }
            13..=16 => {
                let month = month_of(&records[r]);
                let n = self.next_record[a];
                self.next_record[a] += 1;
                let mut text = String::new();
                record(&mut text, &mut self.rng, a, n, month);
                records.push(text);
                format!("Tambah s{a}-{n}")
            }
            _ if records.len() > 1 => {
                records.remove(r);
                format!("Hapus {id}")
            }
            _ => return Ok(None),
        };
        self.put(&path, Some(records.concat()))?;
        Ok(Some(said))
    }

    /// Sets (or with `None` removes) one file in the next commit's tree.
    fn put(&mut self, path: &str, text: Option<String>) -> Result<(), Error> {
        let id = match &text {
            Some(t) => Some(self.repo.write_blob(t.as_bytes())?.detach()),
            None => None,
        };
        self.pending.push((path.to_string(), id));
        match id {
            Some(id) => self.blobs.insert(path.to_string(), id),
            None => self.blobs.remove(path),
        };
        match text {
            Some(t) => self.files.insert(path.to_string(), t),
            None => self.files.remove(path),
        };
        self.dirty.insert(path.to_string());
        Ok(())
    }

    /// Points `main` at the last commit and brings the work tree to it.
    fn finish(&mut self) -> Result<(), Error> {
        let name = self
            .repo
            .head_name()?
            .ok_or("the new repository's HEAD is detached")?;
        self.repo.reference(
            name,
            self.head,
            gix::refs::transaction::PreviousValue::Any,
            "synthetic history",
        )?;
        for path in std::mem::take(&mut self.dirty) {
            let on_disk = self.root.join(&path);
            match self.files.get(&path) {
                Some(text) => {
                    if let Some(dir) = on_disk.parent() {
                        std::fs::create_dir_all(dir)?;
                    }
                    std::fs::write(&on_disk, text)?;
                }
                None => {
                    let _ = std::fs::remove_file(&on_disk);
                    if let Some(dir) = on_disk.parent() {
                        // Only succeeds once the folder is empty, as git leaves it.
                        let _ = std::fs::remove_dir(dir);
                    }
                }
            }
        }
        std::fs::create_dir_all(self.root.join("content/pages"))?;
        self.write_index()
    }

    /// `.git/index` (version 2) listing the work tree as committed, so that `git status` is
    /// clean. Its file times are left zero: git compares those files by content once, then
    /// refreshes the index itself.
    fn write_index(&self) -> Result<(), Error> {
        // Bytewise, as git sorts the index: the order of `blobs`.
        let blobs = &self.blobs;
        let mut index = Vec::with_capacity(64 + blobs.len() * 128);
        index.extend_from_slice(b"DIRC");
        index.extend_from_slice(&2u32.to_be_bytes());
        index.extend_from_slice(&(blobs.len() as u32).to_be_bytes());
        for (path, id) in blobs {
            let size = self.files.get(path).map_or(0, String::len) as u32;
            let start = index.len();
            // ctime, mtime (seconds, nanoseconds), dev, ino: unknown.
            index.extend_from_slice(&[0; 24]);
            index.extend_from_slice(&0o100644u32.to_be_bytes());
            index.extend_from_slice(&[0; 8]); // uid, gid
            index.extend_from_slice(&size.to_be_bytes());
            index.extend_from_slice(id.as_bytes());
            index.extend_from_slice(&(path.len().min(0xFFF) as u16).to_be_bytes());
            index.extend_from_slice(path.as_bytes());
            // One to eight NULs, to a multiple of eight bytes.
            let len = index.len() - start;
            index.resize(start + (len + 8) / 8 * 8, 0);
        }
        let mut hasher = gix::hash::hasher(gix::hash::Kind::Sha1);
        hasher.update(&index);
        index.extend_from_slice(hasher.try_finalize()?.as_bytes());
        std::fs::write(self.repo.git_dir().join("index"), index)?;
        Ok(())
    }
}

fn write_commit(
    repo: &gix::Repository,
    tree: ObjectId,
    parent: Option<ObjectId>,
    n: usize,
    message: &str,
) -> Result<ObjectId, Error> {
    let signature = gix::actor::Signature {
        name: NAME.into(),
        email: EMAIL.into(),
        time: gix::date::Time {
            seconds: EPOCH + STEP * n as i64,
            offset: WIB,
        },
    };
    let commit = gix::objs::Commit {
        tree,
        parents: parent.into_iter().collect(),
        author: signature.clone(),
        committer: signature,
        encoding: None,
        message: format!("{message}\n").into(),
        extra_headers: Vec::new(),
    };
    Ok(repo.write_object(&commit)?.detach())
}

/// The records of a shipment file as the generator writes them: each starts at `- id:`.
fn split_records(text: &str) -> Vec<String> {
    let mut records: Vec<String> = Vec::new();
    for line in text.split_inclusive('\n') {
        match records.last_mut() {
            Some(last) if !line.starts_with("- ") => last.push_str(line),
            _ => records.push(line.to_string()),
        }
    }
    records
}

fn record_id(record: &str) -> &str {
    record
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("- id: "))
        .unwrap_or("")
}

/// The value of `key` in a record, if the record has that line.
fn field<'a>(record: &'a str, key: &str) -> Option<&'a str> {
    let prefix = format!("  {key}: ");
    record.lines().find_map(|l| l.strip_prefix(prefix.as_str()))
}

/// The record with `key` set to `value`: the line replaced, or added after `unit`.
fn set_field(record: &str, key: &str, value: &str) -> String {
    let prefix = format!("  {key}: ");
    if field(record, key).is_some() {
        return record
            .split_inclusive('\n')
            .map(|l| {
                if l.starts_with(&prefix) {
                    format!("{prefix}{value}\n")
                } else {
                    l.to_string()
                }
            })
            .collect();
    }
    record
        .split_inclusive('\n')
        .flat_map(|l| {
            let extra = l
                .starts_with("  unit: ")
                .then(|| format!("{prefix}{value}\n"));
            std::iter::once(l.to_string()).chain(extra)
        })
        .collect()
}

/// The month index (0 = June 2022) of a record's date or period start.
fn month_of(record: &str) -> usize {
    let date = field(record, "date")
        .or_else(|| field(record, "period").and_then(|p| p.strip_prefix("{start: ")))
        .unwrap_or("2022-06");
    let year: usize = date.get(0..4).and_then(|y| y.parse().ok()).unwrap_or(2022);
    let month: usize = date.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(6);
    ((year.max(2022) - 2022) * 12 + month)
        .saturating_sub(6)
        .min(23)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_keep_records_whole() {
        let text = "- id: s0-1\n  date: 2023-02-03\n  unit: kg\n  quantity: 5\n- id: s0-2\n  date: 2023-02-09\n  unit: t\n  status: planned\n";
        let records = split_records(text);
        assert_eq!(records.len(), 2);
        assert_eq!(record_id(&records[1]), "s0-2");
        assert_eq!(records.concat(), text);
        let changed = set_field(&records[0], "status", "verified");
        assert!(changed.contains("  unit: kg\n  status: verified\n"));
        assert_eq!(
            field(&set_field(&records[1], "status", "received"), "status"),
            Some("received")
        );
        assert_eq!(month_of(&records[0]), 8);
    }

    #[test]
    fn the_same_spec_gives_the_same_commits() {
        let base =
            std::env::temp_dir().join(format!("sinergi-synthetic-repo-{}", std::process::id()));
        let spec = Spec {
            agreements: 2,
            records_per_agreement: 48,
            seed: 3,
        };
        let one = SyntheticRepo::create(&base.join("one"), spec, 30).unwrap();
        let mut two = SyntheticRepo::create(&base.join("two"), spec, 30).unwrap();
        assert_eq!(one.head, two.head);
        assert_eq!(one.history().commits, 30);
        assert!(one.history().edits >= 29);
        let before = two.head;
        assert_eq!(two.commit().unwrap().commits, 31);
        let commit = two.repo.find_commit(two.head).unwrap();
        assert_eq!(commit.parent_ids().next().unwrap().detach(), before);
        // The work tree is the last commit's: every file's blob is the one committed.
        for (path, id) in &two.blobs {
            let text = std::fs::read(base.join("two").join(path)).unwrap();
            assert_eq!(two.repo.write_blob(&text).unwrap().detach(), *id, "{path}");
        }
        assert!(base.join("two/.git/index").is_file());
        let _ = std::fs::remove_dir_all(&base);
    }
}
