//! Revisions of the published records, read from the git repository the site folder is in.
//!
//! The history is HEAD's first-parent chain, oldest first: a merge is compared with its first
//! parent, as if the branch it brings in were one commit. Each commit that changed an
//! agreement's `agreement.yaml` or shipments files is compared with the last state of that
//! agreement whose data could be read, record by record id across all its files (so a record
//! moved to another file keeps its history), and by its delivered totals and target progress.
//! A commit whose data fails the checks of `sinergi check` is a revision whose data could not
//! be read. Only committed data counts: the work tree is looked at only by [`pending`], for
//! `serve`.
//!
//! Nothing here depends on the clock or on the clone, except where a shallow clone's history
//! begins ([`Begins::truncated`]).

mod cache;
mod diff;
mod git;
pub mod pending;
mod state;
pub mod write;

pub use diff::FIELDS;

use std::collections::BTreeMap;
use std::path::Path;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, Pos};
use crate::load::limits::Limits;
use crate::model::{Date, Unit};

/// The revisions of every agreement the site's history holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct History {
    /// Where the history read begins.
    pub begins: Begins,
    /// Each agreement's revisions by folder name, oldest first; an agreement removed since
    /// keeps its own.
    pub agreements: BTreeMap<String, Vec<Revision>>,
}

impl History {
    /// The revisions of agreement `slug`, oldest first (none when it never changed).
    pub fn revisions(&self, slug: &str) -> &[Revision] {
        self.agreements.get(slug).map_or(&[], Vec::as_slice)
    }
}

/// The oldest commit read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Begins {
    pub commit: CommitId,
    /// Its committer date.
    pub date: Date,
    /// The repository is a shallow clone: older commits exist but are not in it, so this
    /// commit's data is where the history starts, not a revision (nothing before it is known).
    pub truncated: bool,
}

/// A full commit id in lowercase hexadecimal.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CommitId(pub String);

impl CommitId {
    /// The first 7 characters, as git shows a commit.
    pub fn short(&self) -> &str {
        &self.0[..self.0.len().min(7)]
    }
}

impl std::fmt::Display for CommitId {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// One commit that changed an agreement's data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Revision {
    pub commit: CommitId,
    /// The committer date, in the committer's own time zone.
    pub date: Date,
    /// The committer time in seconds since 1970 (UTC), to order revisions of the same day.
    pub time: i64,
    /// The first line of the commit message, as written (escape it like all text).
    pub message: String,
    /// The author's name, only when site.yaml says `history: {authors: true}`; e-mail
    /// addresses are never kept.
    pub author: Option<String>,
    pub outcome: Outcome,
}

impl Revision {
    /// What changed, when the commit's data could be read.
    pub fn changes(&self) -> Option<&Changes> {
        match &self.outcome {
            Outcome::Read(c) => Some(c),
            Outcome::Unreadable => None,
        }
    }
}

/// What a commit did to an agreement's data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// The data passed the checks; compared with the last state that did.
    Read(Changes),
    /// The data failed the checks (a syntax error, a broken reference): the revision is shown,
    /// and the next readable one is compared with the last state that was read.
    Unreadable,
}

/// The changes of one revision: records by id, then how the figures moved.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Changes {
    /// Sorted by record id.
    pub records: Vec<RecordChange>,
    /// Each commodity whose delivered total moved, in agreement order.
    pub totals: Vec<TotalMove>,
    /// Each quantitative target whose delivered quantity moved, in agreement order.
    pub targets: Vec<TargetMove>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Added,
    Changed,
    Removed,
}

impl ChangeKind {
    /// `added`, `changed` or `removed`: the code of revisions.csv.
    pub fn code(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Changed => "changed",
            ChangeKind::Removed => "removed",
        }
    }
}

/// One record's change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordChange {
    pub id: String,
    pub change: ChangeKind,
    /// The record's commodity (after the change; before it, for a removed record).
    pub commodity: String,
    /// The quantity with its unit as written before (`7500 kg`); `None` for an added record.
    pub old: Option<String>,
    /// The quantity with its unit as written after; `None` for a removed record.
    pub new: Option<String>,
    /// For a changed record, each field that changed, in the order of the data format.
    pub fields: Vec<FieldChange>,
}

/// A field of a record, before and after, as written in the YAML (empty when absent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    /// The key of the data format: `date`, `period`, `from`, `to`, `commodity`, `quantity`
    /// (with its unit, `7500 kg`), `unit`, `status`, `verification`, `sources`, `document`,
    /// `value_idr`, `approx`, `note` or `illustrative`.
    pub field: String,
    pub old: String,
    pub new: String,
}

/// A commodity's delivered total before and after, in the commodity's unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TotalMove {
    pub commodity: String,
    pub unit: Unit,
    pub old: Decimal,
    pub new: Decimal,
}

/// A quantitative target's delivered quantity and progress before and after.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetMove {
    pub target: String,
    /// The target's unit.
    pub unit: Unit,
    pub old: Decimal,
    pub new: Decimal,
    /// delivered / target quantity.
    pub old_progress: Option<Decimal>,
    pub new_progress: Option<Decimal>,
}

/// What reading the history needs of the site besides its folder.
#[derive(Debug, Clone)]
pub struct Settings<'a> {
    /// The limits every version of a file is read under (those of the site as it is now).
    pub limits: Limits,
    /// The site's first language (what a milestone without an id is named by).
    pub default_language: &'a str,
    /// Keep author names.
    pub authors: bool,
}

/// Reads the history of the site in `root`. `Ok(None)` when the site is in no git repository
/// or its `content/` folder is not committed. A repository that cannot be read, and a shallow
/// clone (whose history is truncated), give a warning; the history still comes with the
/// latter.
pub fn read(root: &Path, settings: &Settings) -> (Option<History>, Vec<Diagnostic>) {
    let mut warnings = Vec::new();
    let history = match git::Repo::discover(root) {
        Ok(None) => None,
        Ok(Some(repo)) => match state::compute(&repo, root, settings) {
            Ok(h) => h,
            Err(e) => {
                warnings.push(unreadable(&e));
                None
            }
        },
        Err(e) => {
            warnings.push(unreadable(&e));
            None
        }
    };
    if let Some(h) = history.as_ref().filter(|h| h.begins.truncated) {
        warnings.push(
            Diagnostic::warning(
                "history-truncated",
                crate::load::SITE_FILE,
                Pos::START,
                format!(
                    "the git repository is a shallow clone: the revision history begins at commit {} ({}), and earlier revisions are not shown",
                    h.begins.commit.short(),
                    h.begins.date
                ),
            )
            .with_hint(
                "clone the whole history (`git fetch --unshallow`; on GitHub Actions, `fetch-depth: 0` in actions/checkout)",
            ),
        );
    }
    (history, warnings)
}

fn unreadable(why: &str) -> Diagnostic {
    Diagnostic::warning(
        "history-unreadable",
        crate::load::SITE_FILE,
        Pos::START,
        format!("the site's git history could not be read, so no revisions are shown: {why}"),
    )
    .with_hint("check the repository with `git fsck`, or turn history off with `history: {enabled: false}` in site.yaml")
}

#[cfg(test)]
mod tests {
    use super::*;
    use write::Committer;

    const SITE: &str = "title: Uji\n";
    const AGREEMENT: &str = "title: Uji\nkind: KAD\nstatus: active\nsigned: 2022-01-01\nperiod: {start: 2022-01-01}\nparties:\n  - {id: a, name: A}\n  - {id: b, name: B}\ncommodities:\n  - {id: beras, name: Beras, unit: t}\nparticipants:\n  - {id: p, name: P, party: a, commodities: [beras]}\ntargets:\n  - {id: t1, title: T, commodity: beras, quantity: 100, unit: t}\n";

    fn record(id: &str, quantity: &str, extra: &str) -> String {
        format!(
            "- id: {id}\n  date: 2022-03-01\n  from: p\n  commodity: beras\n  quantity: {quantity}\n  unit: kg\n{extra}"
        )
    }

    struct Repo {
        dir: std::path::PathBuf,
        git: Committer,
        time: i64,
    }

    impl Repo {
        fn new(name: &str) -> Repo {
            let dir =
                std::env::temp_dir().join(format!("sinergi-history-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            let git = Committer::init(&dir).unwrap();
            let repo = Repo {
                dir,
                git,
                time: 1_650_000_000,
            };
            repo.write("content/site.yaml", SITE);
            repo.write("content/agreements/uji/agreement.yaml", AGREEMENT);
            repo
        }
        fn write(&self, rel: &str, text: &str) {
            let p = self.dir.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        fn remove(&self, rel: &str) {
            std::fs::remove_file(self.dir.join(rel)).unwrap();
        }
        fn commit(&mut self, message: &str) -> gix::ObjectId {
            self.time += 86_400;
            self.git
                .commit(message, self.time, ("Ani", "ani@example.org"), &[])
                .unwrap()
        }
        fn history(&self, authors: bool) -> History {
            let settings = Settings {
                limits: Limits::default(),
                default_language: "id",
                authors,
            };
            let (h, warnings) = read(&self.dir, &settings);
            assert!(warnings.is_empty(), "{warnings:?}");
            h.expect("a history")
        }
    }

    impl Drop for Repo {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }

    #[test]
    fn records_are_followed_by_id_across_files() {
        let mut repo = Repo::new("ids");
        let a = "content/agreements/uji/shipments/a.yaml";
        let b = "content/agreements/uji/shipments/lain/b.yaml";
        repo.write(a, &(record("r1", "7500", "") + &record("r2", "10", "")));
        repo.commit("first");
        repo.write(
            a,
            &(record("r1", "8000", "  status: verified\n") + &record("r2", "10", "")),
        );
        repo.commit("corrected\nmore text");
        repo.remove(a);
        repo.write(b, &record("r1", "8000", "  status: verified\n"));
        repo.commit("moved, r2 dropped");
        repo.write(b, "- id: [broken\n");
        repo.commit("broken");
        repo.write(
            b,
            &record("r1", "8", "  status: verified\n").replace("unit: kg", "unit: t"),
        );
        repo.commit("fixed");

        let h = repo.history(false);
        assert!(!h.begins.truncated);
        let revs = h.revisions("uji");
        let messages: Vec<&str> = revs.iter().map(|r| r.message.as_str()).collect();
        assert_eq!(
            messages,
            ["first", "corrected", "moved, r2 dropped", "broken", "fixed"]
        );
        assert!(revs.iter().all(|r| r.author.is_none()));
        let rows = |i: usize| -> Vec<(String, &str, String)> {
            revs[i]
                .changes()
                .unwrap()
                .records
                .iter()
                .flat_map(|c| {
                    let whole = (
                        c.id.clone(),
                        c.change.code(),
                        format!("{:?}->{:?}", c.old, c.new),
                    );
                    let fields = c.fields.iter().map(move |f| {
                        (
                            c.id.clone(),
                            f.field.as_str(),
                            format!("{}->{}", f.old, f.new),
                        )
                    });
                    std::iter::once(whole).chain(fields)
                })
                .collect()
        };
        assert_eq!(rows(0).len(), 2);
        assert_eq!(
            rows(1),
            [
                (
                    "r1".into(),
                    "changed",
                    "Some(\"7500 kg\")->Some(\"8000 kg\")".into()
                ),
                ("r1".into(), "quantity", "7500 kg->8000 kg".into()),
                ("r1".into(), "status", "shipped->verified".into()),
            ]
        );
        assert_eq!(
            rows(2),
            [("r2".into(), "removed", "Some(\"10 kg\")->None".into())]
        );
        assert_eq!(revs[3].outcome, Outcome::Unreadable);
        assert_eq!(
            rows(4),
            [
                (
                    "r1".into(),
                    "changed",
                    "Some(\"8000 kg\")->Some(\"8 t\")".into()
                ),
                ("r1".into(), "quantity", "8000 kg->8 t".into()),
                ("r1".into(), "unit", "kg->t".into()),
            ]
        );
        let first = revs[0].changes().unwrap();
        assert_eq!(first.totals.len(), 1);
        assert_eq!(first.totals[0].new, Decimal::new(751, 2));
        let moved = revs[2].changes().unwrap();
        assert_eq!(
            (moved.totals[0].old, moved.totals[0].new),
            (Decimal::new(801, 2), Decimal::from(8))
        );
        assert_eq!(moved.targets[0].target, "t1");
        assert_eq!(revs[4].changes().unwrap().totals, []);

        // The cache gives the same history, and one more commit is read on top of it.
        assert_eq!(repo.history(false), h);
        repo.write(
            b,
            &record("r1", "9", "  status: verified\n").replace("unit: kg", "unit: t"),
        );
        repo.commit("again");
        let more = repo.history(false);
        assert_eq!(&more.revisions("uji")[..5], revs);
        assert_eq!(
            more.revisions("uji")[5].changes().unwrap().records[0].fields[0].new,
            "9 t"
        );
        std::fs::remove_dir_all(repo.dir.join(crate::load::cache::DIR)).unwrap();
        assert_eq!(repo.history(false), more);
    }

    #[test]
    fn authors_only_when_asked_and_shallow_clones_begin_late() {
        let mut repo = Repo::new("shallow");
        let a = "content/agreements/uji/shipments/a.yaml";
        repo.write(a, &record("r1", "1", ""));
        repo.commit("one");
        repo.write(a, &record("r1", "2", ""));
        let second = repo.commit("two");
        repo.write(a, &record("r1", "3", ""));
        repo.commit("three");
        assert_eq!(
            repo.history(true).revisions("uji")[0].author.as_deref(),
            Some("Ani")
        );

        std::fs::write(repo.dir.join(".git/shallow"), format!("{second}\n")).unwrap();
        let settings = Settings {
            limits: Limits::default(),
            default_language: "id",
            authors: false,
        };
        let (h, warnings) = read(&repo.dir, &settings);
        let h = h.unwrap();
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].code, "history-truncated");
        assert!(h.begins.truncated);
        assert_eq!(h.begins.commit.0, second.to_string());
        let revs = h.revisions("uji");
        assert_eq!(revs.len(), 1);
        assert_eq!(revs[0].changes().unwrap().records[0].fields[0].old, "2 kg");
    }

    #[test]
    fn no_repository_no_history() {
        let dir = std::env::temp_dir().join(format!("sinergi-history-none-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("content")).unwrap();
        let settings = Settings {
            limits: Limits::default(),
            default_language: "id",
            authors: false,
        };
        let (h, warnings) = read(&dir, &settings);
        assert!(h.is_none() && warnings.is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
