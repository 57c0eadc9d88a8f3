//! Writing commits without a `git` binary: the repositories of the tests and of the synthetic
//! benchmark sites are built through this, commit by commit, from a folder's files.

use std::path::Path;

pub use gix::ObjectId;
use gix::objs::tree::EntryKind;

/// A repository to commit a folder's files to.
pub struct Committer {
    repo: gix::Repository,
}

/// Folders never committed: git's own, and what a build writes.
const SKIPPED: [&str; 3] = [".git", ".sinergi-cache", "output"];

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

impl Committer {
    /// A new repository in `dir` (the folder is its work tree).
    pub fn init(dir: &Path) -> Result<Committer, String> {
        Ok(Committer {
            repo: gix::init(dir).map_err(err)?,
        })
    }

    /// Commits every file below the work tree (but [`SKIPPED`] folders) as it is now, with
    /// `message`, committed at `seconds` since 1970 (UTC) by `author`, as the next commit of
    /// HEAD's branch. `merged` are further parents: a merge.
    pub fn commit(
        &self,
        message: &str,
        seconds: i64,
        author: (&str, &str),
        merged: &[ObjectId],
    ) -> Result<ObjectId, String> {
        let tree = self.snapshot()?;
        let sig = signature(author, seconds);
        let mut buf = gix::date::parse::TimeBuf::default();
        let mut parents: Vec<ObjectId> = self.head()?.into_iter().collect();
        parents.extend_from_slice(merged);
        let id = self
            .repo
            .commit_as(
                sig.to_ref(&mut buf),
                sig.to_ref(&mut gix::date::parse::TimeBuf::default()),
                "HEAD",
                message,
                tree,
                parents,
            )
            .map_err(err)?;
        Ok(id.detach())
    }

    /// Commits the work tree as a child of `parent` without moving any branch (the side of
    /// a merge to come).
    pub fn commit_aside(
        &self,
        message: &str,
        seconds: i64,
        author: (&str, &str),
        parent: ObjectId,
    ) -> Result<ObjectId, String> {
        let tree = self.snapshot()?;
        let sig = signature(author, seconds);
        let mut buf = gix::date::parse::TimeBuf::default();
        let c = self
            .repo
            .new_commit_as(
                sig.to_ref(&mut buf),
                sig.to_ref(&mut gix::date::parse::TimeBuf::default()),
                message,
                tree,
                [parent],
            )
            .map_err(err)?;
        Ok(c.id)
    }

    /// The commit HEAD points at, if any.
    pub fn head(&self) -> Result<Option<ObjectId>, String> {
        let head = self.repo.head().map_err(err)?;
        Ok(head.id().map(|id| id.detach()))
    }

    /// The tree of every file below the work tree.
    fn snapshot(&self) -> Result<ObjectId, String> {
        let root = self
            .repo
            .workdir()
            .ok_or("a bare repository")?
            .to_path_buf();
        let mut editor = self.repo.empty_tree().edit().map_err(err)?;
        let walk = walkdir::WalkDir::new(&root)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() != 1 || !SKIPPED.iter().any(|s| e.file_name() == *s));
        for entry in walk {
            let entry = entry.map_err(err)?;
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = crate::load::relative(&root, entry.path());
            let bytes = std::fs::read(entry.path()).map_err(err)?;
            let blob = self.repo.write_blob(bytes).map_err(err)?;
            editor
                .upsert(rel.as_str(), EntryKind::Blob, blob.detach())
                .map_err(err)?;
        }
        Ok(editor.write().map_err(err)?.detach())
    }
}

fn signature((name, email): (&str, &str), seconds: i64) -> gix::actor::Signature {
    gix::actor::Signature {
        name: name.into(),
        email: email.into(),
        time: gix::date::Time { seconds, offset: 0 },
    }
}
