//! What the work tree changes in the committed data, for `serve`: each agreement whose files
//! differ from HEAD's is read from disk and compared, record by id, with the last state of it
//! that the history could read, as a commit would be. `build` never looks at this: a build
//! publishes committed data.

use std::collections::BTreeMap;
use std::path::Path;

use gix::ObjectId;
use walkdir::WalkDir;

use super::cache::HistoryCache;
use super::git::Repo;
use super::state::{AGREEMENTS, Files, Known, Reader};
use super::{Changes, History, Outcome, Settings, diff};

/// Each agreement's changes not yet committed, by folder name: only agreements whose data
/// files differ from HEAD's and whose records or figures differ from the last readable state.
/// Nothing when the site is in no repository, the repository cannot be read, or the work
/// tree's data of an agreement cannot be read.
pub fn read(root: &Path, history: &History, settings: &Settings) -> BTreeMap<String, Changes> {
    let Ok(Some(repo)) = Repo::discover(root) else {
        return BTreeMap::new();
    };
    compare(&repo, root, history, settings).unwrap_or_default()
}

fn compare(
    repo: &Repo,
    root: &Path,
    history: &History,
    settings: &Settings,
) -> Result<BTreeMap<String, Changes>, String> {
    let Some(head) = repo.head()? else {
        return Ok(BTreeMap::new());
    };
    let cache = HistoryCache::new(root, repo, settings);
    let mut reader = Reader::new(repo, root, settings, &cache);
    let mut committed = reader.files_at(head)?;
    let work = work_tree(root, &mut reader.loose);
    let mut slugs: Vec<&String> = committed.keys().chain(work.keys()).collect();
    slugs.sort();
    slugs.dedup();
    let empty = Files::default();
    let differ: Vec<String> = slugs
        .into_iter()
        .filter(|s| committed.get(*s).unwrap_or(&empty) != work.get(*s).unwrap_or(&empty))
        .cloned()
        .collect();
    let mut out = BTreeMap::new();
    for slug in differ {
        let Ok(now) = reader.read(&slug, work.get(&slug).unwrap_or(&empty)) else {
            continue;
        };
        let at_head = committed.remove(&slug).unwrap_or_default();
        let base = last_readable(&mut reader, history, &slug, at_head)?;
        let changes = diff::changes(&base, &now);
        if !(changes.records.is_empty() && changes.totals.is_empty() && changes.targets.is_empty())
        {
            out.insert(slug, changes);
        }
    }
    Ok(out)
}

/// The last state of agreement `slug` the history could read: HEAD's (`at_head`), else that of
/// its newest revision that was read, else where a shallow history begins, else nothing.
fn last_readable(
    reader: &mut Reader,
    history: &History,
    slug: &str,
    at_head: Files,
) -> Result<Known, String> {
    if let Ok(known) = reader.read(slug, &at_head) {
        return Ok(known);
    }
    let read = history
        .revisions(slug)
        .iter()
        .rev()
        .find(|r| matches!(r.outcome, Outcome::Read(_)))
        .map(|r| &r.commit);
    let begins = history.begins.truncated.then_some(&history.begins.commit);
    for commit in read.into_iter().chain(begins) {
        let Ok(id) = commit.0.parse::<ObjectId>() else {
            continue;
        };
        let files = reader.files_of(id, slug)?;
        if let Ok(known) = reader.read(slug, &files) {
            return Ok(known);
        }
    }
    Ok(Known::empty())
}

/// Every agreement's data files in the work tree, as [`Reader::files_at`] finds them in a
/// commit, by the blob id git would give each; their bytes go to `loose`. Links are not
/// followed (the loader refuses them).
fn work_tree(root: &Path, loose: &mut BTreeMap<ObjectId, Vec<u8>>) -> BTreeMap<String, Files> {
    let mut blob = |path: &Path| -> Option<ObjectId> {
        let bytes = std::fs::read(path).ok()?;
        let id =
            gix::objs::compute_hash(gix::hash::Kind::Sha1, gix::objs::Kind::Blob, &bytes).ok()?;
        loose.insert(id, bytes);
        Some(id)
    };
    let mut out = BTreeMap::new();
    let Ok(dirs) = std::fs::read_dir(root.join(AGREEMENTS)) else {
        return out;
    };
    for entry in dirs.filter_map(Result::ok) {
        let (Ok(slug), true) = (
            entry.file_name().into_string(),
            entry.file_type().is_ok_and(|t| t.is_dir()),
        ) else {
            continue;
        };
        let dir = entry.path();
        let agreement = dir.join("agreement.yaml");
        let mut files = Files {
            agreement: agreement.is_file().then(|| blob(&agreement)).flatten(),
            shipments: BTreeMap::new(),
        };
        let walk = WalkDir::new(dir.join("shipments")).follow_links(false);
        for e in walk.into_iter().filter_map(Result::ok) {
            let name = e.file_name().to_string_lossy();
            if !e.file_type().is_file() || !(name.ends_with(".yaml") || name.ends_with(".yml")) {
                continue;
            }
            let (Ok(rel), Some(id)) = (e.path().strip_prefix(root), blob(e.path())) else {
                continue;
            };
            let rel: Vec<&str> = rel.iter().filter_map(|c| c.to_str()).collect();
            files.shipments.insert(rel.join("/"), id);
        }
        out.insert(slug, files);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::ChangeKind;
    use crate::history::write::Committer;
    use crate::load::limits::Limits;

    const AGREEMENT: &str = "title: Uji\nkind: KAD\nstatus: active\nsigned: 2022-01-01\nperiod: {start: 2022-01-01}\nparties:\n  - {id: a, name: A}\n  - {id: b, name: B}\ncommodities:\n  - {id: beras, name: Beras, unit: t}\nparticipants:\n  - {id: p, name: P, party: a, commodities: [beras]}\n";
    const FILE: &str = "content/agreements/uji/shipments/a.yaml";

    fn record(id: &str, quantity: &str) -> String {
        format!(
            "- id: {id}\n  date: 2022-03-01\n  from: p\n  commodity: beras\n  quantity: {quantity}\n  unit: t\n"
        )
    }

    #[test]
    fn the_work_tree_is_compared_with_the_last_readable_commit() {
        let dir = std::env::temp_dir().join(format!("sinergi-pending-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let write = |rel: &str, text: &str| {
            let p = dir.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        std::fs::create_dir_all(&dir).unwrap();
        let git = Committer::init(&dir).unwrap();
        write("content/site.yaml", "title: Uji\n");
        write("content/agreements/uji/agreement.yaml", AGREEMENT);
        write(FILE, &(record("r1", "1") + &record("r2", "2")));
        let who = ("Ani", "ani@example.org");
        git.commit("first", 1_650_000_000, who, &[]).unwrap();
        let settings = Settings {
            limits: Limits::default(),
            default_language: "id",
            authors: false,
        };
        let pending = |dir: &Path| {
            let (h, _) = super::super::read(dir, &settings);
            read(dir, &h.unwrap(), &settings)
        };
        assert!(pending(&dir).is_empty(), "a clean work tree");

        // HEAD's data cannot be read: the work tree is compared with the commit before.
        write(FILE, "- id: [broken\n");
        git.commit("broken", 1_650_086_400, who, &[]).unwrap();
        write(FILE, &(record("r1", "5") + &record("r3", "3")));
        let found = pending(&dir);
        let changes = &found["uji"];
        let rows: Vec<(&str, ChangeKind)> = changes
            .records
            .iter()
            .map(|c| (c.id.as_str(), c.change))
            .collect();
        assert_eq!(
            rows,
            [
                ("r1", ChangeKind::Changed),
                ("r2", ChangeKind::Removed),
                ("r3", ChangeKind::Added)
            ]
        );
        assert_eq!(changes.records[0].fields[0].new, "5 t");
        assert_eq!(changes.totals[0].new, rust_decimal::Decimal::from(8));

        // A change of bytes that changes no record is nothing to show.
        write(FILE, &(record("r1", "1") + "\n" + &record("r2", "2")));
        assert!(pending(&dir).is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
