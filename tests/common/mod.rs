//! Shared helpers of the tests: throw-away site folders built from the fixtures, temporary
//! folders, snapshots of output folders, and runs of the real `sinergi` binary.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde::Deserialize;

pub const AGREEMENT: &str = "content/agreements/contoh/agreement.yaml";
pub const SHIPMENTS: &str = "content/agreements/contoh/shipments/2022.yaml";
pub const SITE: &str = "content/site.yaml";
pub const PAGE: &str = "content/pages/about.md";

/// A run that takes longer than this is a hang, whatever the machine's load (the 50 MB check takes
/// about 35 s alone in a debug build, and over 60 s on two cores shared with other builds).
pub const HANG: Duration = Duration::from_secs(120);

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A copy of a fixture site in the target folder's temporary space, removed when dropped.
pub struct TempSite {
    root: PathBuf,
}

impl TempSite {
    /// An empty folder.
    pub fn empty() -> TempSite {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let root =
            Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("site-{}-{n}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(&root).expect("create temp site");
        TempSite { root }
    }

    /// A copy of `tests/fixtures/minimal`, the smallest clean site.
    pub fn minimal() -> TempSite {
        TempSite::fixture("minimal")
    }

    /// A copy of the site `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> TempSite {
        let site = TempSite::empty();
        copy_dir(&fixtures().join(name), &site.root);
        site
    }

    /// The minimal site with `tests/fixtures/codes/<code>` copied over it.
    pub fn with_overlay(code: &str) -> TempSite {
        let site = TempSite::minimal();
        let overlay = fixtures().join("codes").join(code);
        assert!(overlay.is_dir(), "no fixture {}", overlay.display());
        copy_dir(&overlay, &site.root);
        site
    }

    pub fn path(&self) -> &Path {
        &self.root
    }

    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> &Self {
        let p = self.root.join(rel);
        fs::create_dir_all(p.parent().expect("has a parent")).expect("create parent");
        fs::write(p, contents).expect("write fixture file");
        self
    }

    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.root.join(rel)).expect("read fixture file")
    }

    pub fn remove(&self, rel: &str) -> &Self {
        let p = self.root.join(rel);
        if p.is_dir() {
            fs::remove_dir_all(p).expect("remove folder");
        } else {
            fs::remove_file(p).expect("remove file");
        }
        self
    }

    pub fn check(&self, extra: &[&str]) -> Run {
        let site = self.root.to_str().expect("UTF-8 temp path");
        let mut args = vec!["check", "--site", site];
        args.extend_from_slice(extra);
        sinergi(&args)
    }

    /// `check --format json`, parsed.
    pub fn findings(&self) -> (i32, Vec<Finding>) {
        let run = self.check(&["--format", "json"]);
        (run.code(), run.findings())
    }
}

impl Drop for TempSite {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.root);
    }
}

/// Copies the folder `from` into `to` (created when missing), recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create folder");
    for entry in fs::read_dir(from).expect("read fixture folder") {
        let entry = entry.expect("fixture entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy fixture file");
        }
    }
}

/// One finding of `check --format json`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Finding {
    pub severity: String,
    pub code: String,
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

impl Finding {
    /// `severity code file:line:column`, for compact assertions.
    pub fn at(&self) -> String {
        format!(
            "{} {} {}:{}:{}",
            self.severity, self.code, self.file, self.line, self.column
        )
    }
}

/// The outcome of one run of the binary.
#[derive(Debug)]
pub struct Run {
    /// None when the process was killed by a signal.
    pub status: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
    pub timed_out: bool,
}

impl Run {
    /// The exit code; fails the test on a hang or a signal.
    pub fn code(&self) -> i32 {
        assert!(!self.timed_out, "sinergi hung ({:?})", self.elapsed);
        self.status
            .unwrap_or_else(|| panic!("sinergi died by a signal; stderr:\n{}", self.stderr))
    }

    pub fn findings(&self) -> Vec<Finding> {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not the JSON array of findings ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }
}

/// Runs the real binary with `args`, killing it after [`HANG`].
pub fn sinergi(args: &[&str]) -> Run {
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_sinergi"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start sinergi");
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let out_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out.read_to_end(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err.read_to_end(&mut s);
        s
    });
    let mut timed_out = false;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for sinergi") {
            break status;
        }
        if start.elapsed() > HANG {
            timed_out = true;
            let _ = child.kill();
            break child.wait().expect("wait for killed sinergi");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let elapsed = start.elapsed();
    let text = |b: Vec<u8>| String::from_utf8(b).expect("sinergi prints UTF-8");
    Run {
        status: status.code(),
        stdout: text(out_reader.join().expect("stdout reader")),
        stderr: text(err_reader.join().expect("stderr reader")),
        elapsed,
        timed_out,
    }
}

/// `<system temp>/sinergi-<test binary>-<pid>-<name>`, removed if it exists, not created.
/// The same folder left behind by an earlier run of this test binary whose process is gone
/// is removed too, so that repeated `cargo test` runs do not fill the disk.
pub fn tmp_path(name: &str) -> PathBuf {
    let temp = std::env::temp_dir();
    let prefix = format!("sinergi-{}-", env!("CARGO_CRATE_NAME"));
    let suffix = format!("-{name}");
    let can_tell_gone = Path::new("/proc/self").exists();
    for entry in fs::read_dir(&temp).into_iter().flatten().flatten() {
        let file_name = entry.file_name();
        let Some(pid) = file_name
            .to_str()
            .and_then(|n| n.strip_prefix(&prefix)?.strip_suffix(&suffix))
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if can_tell_gone
            && pid != std::process::id()
            && !Path::new(&format!("/proc/{pid}")).exists()
        {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
    let dir = temp.join(format!("{prefix}{}{suffix}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    dir
}

/// [`tmp_path`], created empty.
pub fn tmp(name: &str) -> PathBuf {
    let dir = tmp_path(name);
    fs::create_dir_all(&dir).expect("create temporary folder");
    dir
}

/// Every file under `dir` with its bytes, by path relative to `dir`.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("below dir");
            let bytes = fs::read(e.path()).expect("read file");
            (rel.to_string_lossy().into_owned(), bytes)
        })
        .collect()
}

/// The files a build published in the output folder `dir`: [`snapshot`] without the
/// manifest, temporary files and the staging folder.
pub fn published(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = snapshot(dir);
    files.retain(|rel, _| {
        let name = rel.rsplit(['/', '\\']).next().unwrap_or(rel);
        !rel.starts_with(".sinergi-staging")
            && name != ".sinergi-manifest"
            && !name.ends_with(".sinergi-tmp")
    });
    files
}

/// Runs the real binary to its end with `args` and the environment variables `env`
/// (`SOURCE_DATE_EPOCH` only when given).
pub fn sinergi_output(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sinergi"));
    cmd.args(args).env_remove("SOURCE_DATE_EPOCH");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run sinergi")
}

/// `text` without the scripts sinergi itself loads: on a ledger's first page the agreement's
/// `records.js`, `notes.<lang>.js` and `assets/filter.js`, on the search results page its `index.js` and
/// `assets/search.js`, each `<script src="(../)*PATH" defer></script>`, for the tests that no
/// other script reaches a page.
pub fn without_own_scripts(text: &str) -> String {
    let (open, close) = ("<script src=\"", "\" defer></script>");
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find(open) {
        out.push_str(&rest[..i]);
        let after = &rest[i + open.len()..];
        let own = after.find(close).filter(|&end| {
            let path = after[..end].trim_start_matches("../");
            matches!(path, "assets/filter.js" | "assets/search.js" | "index.js")
                || (path.starts_with("agreements/")
                    && path.rsplit('/').next().is_some_and(|name| {
                        name == "records.js"
                            || (name.starts_with("notes.") && name.ends_with(".js"))
                    }))
        });
        match own {
            Some(end) => rest = &after[end + close.len()..],
            None => {
                out.push_str(open);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}
