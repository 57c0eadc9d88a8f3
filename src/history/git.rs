//! The little of git the history needs, through gix: HEAD's first-parent chain, trees and
//! blobs. Every failure is a message (the history is then left out with a warning).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use gix::ObjectId;

use super::CommitId;

/// A repository and where the site folder is in it.
pub struct Repo {
    repo: gix::Repository,
    /// The site folder relative to the work tree, with `/`, empty or ending in `/`.
    prefix: String,
}

/// One commit of the chain.
pub struct Commit {
    pub id: ObjectId,
    /// Its root tree.
    pub tree: ObjectId,
    /// Committer time: seconds since 1970 and the committer's offset from UTC in seconds.
    pub seconds: i64,
    pub offset: i32,
    pub message: String,
    pub author: String,
}

impl Commit {
    pub fn commit_id(&self) -> CommitId {
        CommitId(self.id.to_string())
    }
}

/// HEAD's first-parent chain, oldest first.
pub struct Chain {
    pub commits: Vec<Commit>,
    /// The oldest commit's parents are not in the repository (a shallow clone).
    pub truncated: bool,
}

fn err(what: &str, e: impl std::fmt::Display) -> String {
    format!("{what}: {e}")
}

impl Repo {
    /// The repository whose work tree holds `root`; `None` when there is none.
    pub fn discover(root: &Path) -> Result<Option<Repo>, String> {
        let Ok(repo) = gix::discover(root) else {
            return Ok(None);
        };
        let Some(workdir) = repo.workdir() else {
            return Ok(None);
        };
        let canonical = |p: &Path| -> Result<PathBuf, String> {
            std::fs::canonicalize(p).map_err(|e| err(&p.display().to_string(), e))
        };
        let (workdir, root) = (canonical(workdir)?, canonical(root)?);
        let Ok(rel) = root.strip_prefix(&workdir) else {
            return Ok(None);
        };
        let mut prefix = String::new();
        for c in rel.components() {
            let Some(part) = c.as_os_str().to_str() else {
                return Ok(None);
            };
            prefix.push_str(part);
            prefix.push('/');
        }
        Ok(Some(Repo { repo, prefix }))
    }

    /// A path of the site (`content/...`) as a path of the repository.
    pub fn path(&self, site_path: &str) -> String {
        format!("{}{site_path}", self.prefix)
    }

    /// The commit HEAD points at; `None` before the first commit.
    pub fn head(&self) -> Result<Option<ObjectId>, String> {
        let head = self.repo.head().map_err(|e| err("HEAD", e))?;
        Ok(head.id().map(|id| id.detach()))
    }

    /// The first-parent chain of commit `head`, oldest first.
    pub fn chain(&self, head: ObjectId) -> Result<Chain, String> {
        let shallow: Vec<ObjectId> = self
            .repo
            .shallow_commits()
            .map_err(|e| err("the list of shallow commits", e))?
            .map(|c| c.iter().copied().collect())
            .unwrap_or_default();
        let mut commits = Vec::new();
        let mut truncated = false;
        let mut next = Some(head);
        while let Some(id) = next.take() {
            let c = self
                .repo
                .find_commit(id)
                .map_err(|e| err(&format!("commit {id}"), e))?;
            let time = c.time().map_err(|e| err(&format!("commit {id}"), e))?;
            let message = c.message_raw_sloppy();
            let first = message.split(|b| *b == b'\n').next().unwrap_or_default();
            let author = c
                .author()
                .map(|a| String::from_utf8_lossy(a.name).trim().to_string())
                .unwrap_or_default();
            let parent = c.parent_ids().next().map(|p| p.detach());
            let tree = c
                .tree_id()
                .map_err(|e| err(&format!("commit {id}"), e))?
                .detach();
            commits.push(Commit {
                id,
                tree,
                seconds: time.seconds,
                offset: time.offset,
                message: String::from_utf8_lossy(first).trim().to_string(),
                author,
            });
            match parent {
                Some(_) if shallow.contains(&id) => truncated = true,
                Some(p) if !self.repo.has_object(p) => truncated = true,
                p => next = p,
            }
        }
        commits.reverse();
        Ok(Chain { commits, truncated })
    }

    /// The root tree of commit `id`.
    pub fn tree_of(&self, id: ObjectId) -> Result<ObjectId, String> {
        let c = self
            .repo
            .find_commit(id)
            .map_err(|e| err(&format!("commit {id}"), e))?;
        c.tree_id()
            .map(|t| t.detach())
            .map_err(|e| err(&format!("commit {id}"), e))
    }

    /// The entries of tree `id` by name: (object id, is a tree). Names that are not UTF-8
    /// are left out (no site file can have one).
    pub fn entries(&self, id: ObjectId) -> Result<BTreeMap<String, (ObjectId, bool)>, String> {
        let tree = self
            .repo
            .find_tree(id)
            .map_err(|e| err(&format!("tree {id}"), e))?;
        let decoded = tree.decode().map_err(|e| err(&format!("tree {id}"), e))?;
        Ok(decoded
            .entries
            .iter()
            .filter_map(|e| {
                let name = std::str::from_utf8(e.filename).ok()?.to_string();
                let mode = e.mode;
                (mode.is_tree() || mode.is_blob())
                    .then(|| (name, (e.oid.to_owned(), mode.is_tree())))
            })
            .collect())
    }

    /// The object at `path` (`a/b/c`) below tree `root`: (id, is a tree), if any.
    pub fn lookup(&self, root: ObjectId, path: &str) -> Result<Option<(ObjectId, bool)>, String> {
        let mut at = (root, true);
        for part in path.split('/').filter(|p| !p.is_empty()) {
            if !at.1 {
                return Ok(None);
            }
            match self.entries(at.0)?.remove(part) {
                Some(e) => at = e,
                None => return Ok(None),
            }
        }
        Ok(Some(at))
    }

    /// Blob `id` when it is at most `max` bytes; `Err(Some(size))` when it is larger (its
    /// size is read first, so an oversized blob is never inflated).
    pub fn blob(&self, id: ObjectId, max: u64) -> Result<Result<Vec<u8>, u64>, String> {
        let header = self
            .repo
            .find_header(id)
            .map_err(|e| err(&format!("object {id}"), e))?;
        if header.size() > max {
            return Ok(Err(header.size()));
        }
        let mut blob = self
            .repo
            .find_blob(id)
            .map_err(|e| err(&format!("blob {id}"), e))?;
        Ok(Ok(blob.take_data()))
    }
}
