//! Watches the site's source folders and reports changed files, debounced; and, when the site
//! is in a git repository, where its HEAD points, so that a commit updates the revisions shown
//! and takes its changes out of those not yet committed.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::Sender;

use notify_debouncer_full::notify::event::{AccessKind, AccessMode, MetadataKind, ModifyKind};
use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use super::DEBOUNCE;

/// The folders a build reads. `output/` and anything else in the site folder (such as a Rust
/// `target/`) are not watched.
pub(super) const WATCHED: [&str; 4] = ["content", "templates", "static", "i18n"];

pub(super) struct Watcher {
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    root: PathBuf,
    watching: BTreeSet<&'static str>,
}

impl Watcher {
    /// Starts watching; each settled burst of changes sends the changed paths, relative to the
    /// site with `/` separators.
    pub fn start(
        site: &Path,
        changes: Sender<Vec<String>>,
    ) -> Result<Watcher, notify_debouncer_full::notify::Error> {
        let root = std::fs::canonicalize(site)?;
        let git = git_dirs(&root);
        let handler_root = root.clone();
        let handler_git = git.clone();
        let handler = move |result: DebounceEventResult| match result {
            Ok(events) => {
                let paths: Vec<String> = events
                    .iter()
                    .filter(|e| counts(&e.kind))
                    .flat_map(|e| e.paths.iter())
                    .filter_map(|p| {
                        relevant(&handler_root, p)
                            .or_else(|| handler_git.iter().find_map(|g| moves_head(g, p)))
                    })
                    .collect();
                if !paths.is_empty() {
                    let _ = changes.send(paths);
                }
            }
            Err(errors) => {
                for e in errors {
                    eprintln!("warning: file watcher: {e}");
                }
            }
        };
        let mut debouncer = new_debouncer(DEBOUNCE, None, handler)?;
        // The site folder itself, not recursively: notices a source folder created later.
        debouncer.watch(&root, RecursiveMode::NonRecursive)?;
        for git in &git {
            for (dir, mode) in [
                (git.clone(), RecursiveMode::NonRecursive),
                (git.join("refs"), RecursiveMode::Recursive),
            ] {
                if !dir.is_dir() {
                    continue;
                }
                if let Err(e) = debouncer.watch(&dir, mode) {
                    eprintln!("warning: cannot watch {}: {e}", dir.display());
                }
            }
        }
        let mut watcher = Watcher {
            debouncer,
            root,
            watching: BTreeSet::new(),
        };
        watcher.refresh();
        Ok(watcher)
    }

    /// Watches source folders that appeared since the last call; forgets deleted ones so that
    /// a folder deleted and created again is watched again.
    pub fn refresh(&mut self) {
        for dir in WATCHED {
            let path = self.root.join(dir);
            if !path.is_dir() {
                if self.watching.remove(dir) {
                    let _ = self.debouncer.unwatch(&path);
                }
                continue;
            }
            if self.watching.contains(dir) {
                continue;
            }
            match self.debouncer.watch(&path, RecursiveMode::Recursive) {
                Ok(()) => {
                    self.watching.insert(dir);
                }
                Err(e) => eprintln!("warning: cannot watch {}: {e}", path.display()),
            }
        }
    }
}

/// Changes to contents and names count; opening and reading files (our own builds do that)
/// does not.
fn counts(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => false,
        _ => true,
    }
}

/// The path relative to the site when it lies in a source folder and is not an editor's
/// scratch file.
fn relevant(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<&str> = rel
        .components()
        .map(|c| match c {
            Component::Normal(s) => s.to_str(),
            _ => None,
        })
        .collect::<Option<_>>()?;
    let first = parts.first()?;
    if !WATCHED.contains(first) {
        return None;
    }
    let name = parts.last()?;
    let scratch = name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || *name == "4913"
        || name.starts_with(".#");
    (!scratch).then(|| parts.join("/"))
}

/// The git folders of the repository whose work tree holds `root`: its own (where its HEAD
/// is) and, for a linked work tree (`git worktree add`), the common one (where the branches
/// are). None outside a repository.
fn git_dirs(root: &Path) -> Vec<PathBuf> {
    let Some(repo) = gix::discover(root).ok().filter(|r| r.workdir().is_some()) else {
        return Vec::new();
    };
    let mut dirs: Vec<PathBuf> = [repo.git_dir(), repo.common_dir()]
        .into_iter()
        .filter_map(|d| std::fs::canonicalize(d).ok())
        .collect();
    dirs.dedup();
    dirs
}

/// `git: <path>` when `path` in the git folder `git` is where HEAD or a branch points (a
/// commit, a checkout, a reset): `HEAD`, `packed-refs` or below `refs/`, but not a lock file.
fn moves_head(git: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(git).ok()?.to_str()?.replace('\\', "/");
    let head = rel == "HEAD" || rel == "packed-refs" || rel.starts_with("refs/");
    (head && !rel.ends_with(".lock")).then(|| format!("git: {rel}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_source_folders_count() {
        let root = Path::new("/site");
        let rel = |p: &str| relevant(root, Path::new(p));
        assert_eq!(
            rel("/site/content/agreements/a/shipments/x.yaml").as_deref(),
            Some("content/agreements/a/shipments/x.yaml")
        );
        assert_eq!(rel("/site/templates").as_deref(), Some("templates"));
        assert_eq!(rel("/site/output/index.html"), None);
        assert_eq!(rel("/site/target/debug/x"), None);
        assert_eq!(rel("/site/Cargo.toml"), None);
        assert_eq!(rel("/elsewhere/content/x.yaml"), None);
        assert_eq!(rel("/site/content/.x.yaml.swp"), None);
        assert_eq!(rel("/site/content/x.yaml~"), None);
    }

    #[test]
    fn only_where_head_points_counts_in_the_git_folder() {
        let git = Path::new("/repo/.git");
        let moved = |p: &str| moves_head(git, Path::new(p));
        assert_eq!(
            moved("/repo/.git/refs/heads/main").as_deref(),
            Some("git: refs/heads/main")
        );
        assert_eq!(moved("/repo/.git/HEAD").as_deref(), Some("git: HEAD"));
        assert_eq!(moved("/repo/.git/refs/heads/main.lock"), None);
        assert_eq!(moved("/repo/.git/index"), None);
        assert_eq!(moved("/repo/.git/objects/ab/cdef"), None);
        assert_eq!(moved("/repo/content/x.yaml"), None);
    }

    #[test]
    fn reads_do_not_count() {
        assert!(!counts(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(!counts(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(counts(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(counts(&EventKind::Modify(ModifyKind::Any)));
        assert!(counts(&EventKind::Remove(
            notify_debouncer_full::notify::event::RemoveKind::File
        )));
    }
}
