//! Stage 1: walk `content/`, read every file and parse it through serde into the raw types.
//! Nothing here judges the data beyond its syntax and shape; that is `validate`'s job.

mod agreement;
pub mod cache;
pub mod files;
mod ledger;
pub mod limits;
pub mod located;
pub mod raw;
pub mod records_cache;
pub mod yaml;

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, Diagnostics, Pos};
use agreement::{AgreementCx, ShipmentResult, feed, load_agreement, load_shipments};
use ledger::RecordBudget;
use limits::{Limits, show_bytes, thousands};
use located::Loc;
use records_cache::RecordsCache;
use xxhash_rust::xxh3::Xxh3;

use crate::model::Summary;

/// Everything read from a site folder: each agreement as [`LoadedAgreement`], or as what
/// [`load_each`] made of it.
#[derive(Debug)]
pub struct Loaded<A = LoadedAgreement> {
    pub site: Option<raw::SiteFile>,
    /// The limits every file after site.yaml was read under.
    pub limits: Limits,
    pub agreements: Vec<A>,
    pub pages: Vec<LoadedPage>,
    /// What was read, for the source lines of findings.
    pub sources: files::Sources,
}

impl<A> Default for Loaded<A> {
    fn default() -> Self {
        Loaded {
            site: None,
            limits: Limits::default(),
            agreements: Vec::new(),
            pages: Vec::new(),
            sources: files::Sources::default(),
        }
    }
}

#[derive(Debug)]
pub struct LoadedAgreement {
    /// The folder name, as written.
    pub slug: String,
    /// `content/agreements/<slug>/agreement.yaml`, relative to the site.
    pub file: String,
    pub agreement: Option<raw::AgreementFile>,
    pub shipment_files: Vec<ShipmentFile>,
    pub pages: Vec<LoadedPage>,
    /// A digest of every byte the records are made from: site.yaml, agreement.yaml and each
    /// shipments file with its path.
    pub records_digest: u128,
    /// Set when the shipments files were not parsed: the records cache had what the site's
    /// pages need of them. `shipment_files` is then empty.
    pub summary: Option<Summary>,
}

/// Which shipment records a load reads.
#[derive(Debug, Clone, Default)]
pub enum Reading {
    /// Every record.
    #[default]
    All,
    /// Not the records of agreements whose files are unchanged since the records cache kept
    /// what the site's pages need of them, except those of the agreements named here.
    Changed { also: BTreeSet<String> },
}

impl Reading {
    /// Only what changed.
    pub fn changed() -> Reading {
        Reading::Changed {
            also: BTreeSet::new(),
        }
    }

    /// Reads the records of the agreements `slugs` too.
    pub fn read_also(&mut self, slugs: BTreeSet<String>) {
        if let Reading::Changed { also } = self {
            also.extend(slugs);
        }
    }

    fn may_skip(&self, slug: &str) -> bool {
        match self {
            Reading::All => false,
            Reading::Changed { also } => !also.contains(slug),
        }
    }
}

#[derive(Debug)]
pub struct ShipmentFile {
    pub file: String,
    /// The records read; after a bad record, those of the rest of the file.
    pub records: Vec<Loc<raw::Shipment>>,
}

impl ShipmentFile {
    fn empty(file: &str) -> ShipmentFile {
        ShipmentFile {
            file: file.to_string(),
            records: Vec::new(),
        }
    }
}

/// A Markdown file: `name.md` in the default language, `name.<lang>.md` in another.
#[derive(Debug)]
pub struct LoadedPage {
    pub file: String,
    pub name: String,
    pub lang: Option<String>,
    pub front: raw::FrontMatter,
    pub body: String,
}

pub const SITE_FILE: &str = "content/site.yaml";

/// Reads the site in `root`. Syntax and shape errors go to `diags`; the files that parsed are
/// returned so later checks still run on them and every finding is reported at once.
/// `reading` says which agreements' shipment records may be left unread.
pub fn load(root: &Path, diags: &mut Diagnostics, reading: &Reading) -> Loaded {
    load_each(root, diags, reading, |_, a| a)
}

/// [`load`], handing each agreement with its records to `then` as soon as its files are read,
/// on the thread that read them, with site.yaml when it parsed: memory holds what `then`
/// keeps of each agreement, never every raw record at once. Past the record limit the
/// agreements are read again and counted in order, and `then` sees them after that.
pub fn load_each<A: Send>(
    root: &Path,
    diags: &mut Diagnostics,
    reading: &Reading,
    then: impl Fn(Option<&raw::SiteFile>, LoadedAgreement) -> A + Sync,
) -> Loaded<A> {
    let mut loaded = Loaded::default();
    let cache = cache::Cache::new(root);
    let mut site_digest = Xxh3::new();
    files::refuse_links(root, diags);
    // site.yaml is read before its own limits are known, so always under the defaults.
    match read_noted(root, SITE_FILE, &Limits::default(), &loaded.sources) {
        Ok(text) => match yaml::parse::<raw::SiteFile>(SITE_FILE, &text, 0) {
            Ok(site) => {
                feed(&mut site_digest, text.as_bytes());
                loaded.site = Some(site)
            }
            Err(d) => diags.push(d),
        },
        Err(_) if !root.join("content").is_dir() => diags.push(
            Diagnostic::error(
                "missing-field",
                SITE_FILE,
                Pos::START,
                format!("there is no site in `{}`: it has no content/ folder", root.display()),
            )
            .with_hint(
                "pass `--site DIR` with the folder that holds content/site.yaml, or create a site with `sinergi new DIR`",
            ),
        ),
        Err(d) => diags.push(d),
    }
    let limits = Limits::from_site(loaded.site.as_ref(), SITE_FILE, diags);
    loaded.limits = limits;

    let agreements_dir = root.join("content/agreements");
    not_a_folder(root, "content/agreements", diags);
    not_a_folder(root, "content/pages", diags);
    if files::is_folder(root, "content/agreements") {
        let mut folders: Vec<(String, PathBuf)> = match std::fs::read_dir(&agreements_dir) {
            Ok(rd) => rd
                .filter_map(Result::ok)
                .filter(|e| e.file_type().map(|t| t.is_dir()).unwrap_or(false))
                .filter_map(|e| match e.file_name().into_string() {
                    Ok(name) => Some((name, e.path())),
                    Err(_) => {
                        diags.push(not_utf8_name(root, &e.path()));
                        None
                    }
                })
                .collect(),
            Err(e) => {
                diags.push(files::unreadable("content/agreements", &e.to_string()));
                Vec::new()
            }
        };
        folders.sort();
        let records_cache = RecordsCache::new(root);
        let site = loaded.site.as_ref();
        let finish = |(a, d, shipments): ReadAgreement| {
            let (a, d) = with_records(a, d, shipments, limits.max_records);
            (then(site, a), d)
        };
        let budget = RecordBudget::new(limits.max_records);
        let mut cx = AgreementCx {
            root,
            sources: &loaded.sources,
            cache: &cache,
            records_cache: &records_cache,
            limits: &limits,
            budget: &budget,
            site_digest: &site_digest,
            may_skip: false,
        };
        let mut results: Vec<(A, Diagnostics)> = read_agreements(&folders, &cx, reading, finish);
        if budget.exceeded() {
            // Files are read in parallel, so which one met the limit first depends on timing.
            // Read them all again (records left unread cannot be counted one by one) and count
            // them one after another, in order, to name the same record every time: what was
            // read cleanly is counted as it is, the rest is read again, and the files after
            // the record past the limit are not read.
            drop(std::mem::take(&mut results));
            let again = RecordBudget::new(limits.max_records);
            cx.budget = &again;
            let mut read = read_agreements(&folders, &cx, &Reading::All, |r| r);
            let budget = RecordBudget::new(limits.max_records);
            for s in read.iter_mut().flat_map(|(_, _, s)| s.iter_mut()) {
                if budget.exceeded() {
                    *s = ShipmentResult::not_read(&s.path);
                } else if !s.recount(&budget) {
                    *s = load_shipments(root, &s.path, &cache, &limits, &budget, &loaded.sources);
                }
            }
            results = read.into_par_iter().map(finish).collect();
        }
        for (a, d) in results {
            diags.extend(d);
            loaded.agreements.push(a);
        }
        cache.prune();
        records_cache.prune();
    }

    let pages_dir = root.join("content/pages");
    if files::is_folder(root, "content/pages") {
        for file in files_under(root, &pages_dir, diags) {
            if file.ends_with(".md")
                && let Some(p) = load_page(root, &file, &limits, &loaded.sources, diags)
            {
                loaded.pages.push(p);
            }
        }
    }
    loaded
}

/// An agreement read, with its findings and its shipment files, as [`load_agreement`] gives it.
type ReadAgreement = (LoadedAgreement, Diagnostics, Vec<ShipmentResult>);

/// Reads each agreement folder of `folders` in parallel, under `cx` (whose `may_skip` is taken
/// from `reading`), and hands it to `each`.
fn read_agreements<T: Send>(
    folders: &[(String, PathBuf)],
    cx: &AgreementCx,
    reading: &Reading,
    each: impl Fn(ReadAgreement) -> T + Sync,
) -> Vec<T> {
    folders
        .par_iter()
        .map(|(slug, dir)| {
            let cx = AgreementCx {
                may_skip: reading.may_skip(slug),
                ..*cx
            };
            each(load_agreement(&cx, slug, dir))
        })
        .collect()
}

/// Agreement `a` with the records of its shipment files, and its findings: those of loading
/// `a`, then those of each file in order.
fn with_records(
    mut a: LoadedAgreement,
    mut found: Diagnostics,
    shipments: Vec<ShipmentResult>,
    max_records: usize,
) -> (LoadedAgreement, Diagnostics) {
    for s in shipments {
        if let Some(at) = s.over {
            found.push(too_many_records(&s.path, at, max_records));
        }
        a.shipment_files.extend(s.file);
        for d in s.findings {
            found.push(d);
        }
    }
    (a, found)
}

/// The records of one shipments file's `text` that is not on disk (a version in the site's git
/// history), read like a file of the site: from `cache` when it has these bytes, else parsed
/// (and kept there) under `limits.max_records`. The findings instead when there are any.
pub fn shipments_from_text(
    file: &str,
    text: &str,
    limits: &Limits,
    cache: &cache::Cache,
) -> Result<Vec<Loc<raw::Shipment>>, Vec<Diagnostic>> {
    let budget = RecordBudget::new(limits.max_records);
    let result = agreement::parse_shipments(file, text, cache, &budget);
    let mut findings = result.findings;
    if let Some(at) = result.over {
        findings.push(too_many_records(file, at, limits.max_records));
    }
    match result.file {
        Some(f) if findings.is_empty() => Ok(f.records),
        _ => Err(findings),
    }
}

fn too_many_records(file: &str, at: Pos, limit: usize) -> Diagnostic {
    Diagnostic::error(
        "too-many-records",
        file,
        at,
        format!(
            "the site holds more shipment records than `limits.max_records` allows ({}): this is record {}, and the records after it are not read",
            thousands(limit as u64),
            thousands(limit as u64 + 1)
        ),
    )
    .with_hint(
        "raise `limits.max_records` in content/site.yaml when the machine has the memory (a build needs about 0.6 KiB per record), or move records to another site",
    )
}

fn load_page(
    root: &Path,
    file: &str,
    limits: &Limits,
    sources: &files::Sources,
    diags: &mut Diagnostics,
) -> Option<LoadedPage> {
    let text = match read_noted(root, file, limits, sources) {
        Ok(t) => t,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let stem = file
        .rsplit('/')
        .next()
        .unwrap_or(file)
        .trim_end_matches(".md");
    let (name, lang) = match stem.rsplit_once('.') {
        Some((n, l)) => (n.to_string(), Some(l.to_string())),
        None => (stem.to_string(), None),
    };
    let (front, body, offset) = match split_front_matter(&text) {
        Ok(parts) => parts,
        Err(d) => {
            diags.push(d.located(file));
            return None;
        }
    };
    match yaml::parse::<raw::FrontMatter>(file, front, offset) {
        Ok(front) => Some(LoadedPage {
            file: file.to_string(),
            name,
            lang,
            front,
            body: body.to_string(),
        }),
        Err(d) => {
            diags.push(d);
            None
        }
    }
}

/// Why a page's front matter cannot be found, said as the fix.
struct FrontMatterProblem {
    line: u64,
    message: &'static str,
    hint: &'static str,
}

impl FrontMatterProblem {
    fn located(self, file: &str) -> Diagnostic {
        Diagnostic::error("missing-field", file, Pos::new(self.line, 1), self.message)
            .with_hint(self.hint)
    }
}

/// Returns (front matter, body, line offset of the front matter's first line minus one).
fn split_front_matter(text: &str) -> Result<(&str, &str, u32), FrontMatterProblem> {
    let rest = text
        .strip_prefix("---\r\n")
        .or_else(|| text.strip_prefix("---\n"))
        .ok_or(FrontMatterProblem {
            line: 1,
            message: "a page needs YAML front matter between `---` lines with at least `title:`",
            hint: "start the file with a line `---`, a line `title: ...`, and another line `---`",
        })?;
    let mut at = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Ok((&rest[..at], &rest[at + line.len()..], 1));
        }
        at += line.len();
    }
    Err(FrontMatterProblem {
        line: 1,
        message: "the front matter that starts on this line has no closing `---` line",
        hint: "add a line `---` after the front matter, before the page's text",
    })
}

/// Files below `dir` as site-relative paths with `/`, sorted. Symbolic links are not followed:
/// each is an error.
fn files_under(root: &Path, dir: &Path, diags: &mut Diagnostics) -> Vec<String> {
    let mut out = Vec::new();
    let walk = WalkDir::new(dir)
        .follow_links(false)
        .follow_root_links(false)
        .sort_by_file_name();
    for entry in walk {
        match entry {
            Ok(e) if !utf8_below(root, e.path()) => diags.push(not_utf8_name(root, e.path())),
            Ok(e) if e.path_is_symlink() => {
                diags.push(files::link_error(&relative(root, e.path())))
            }
            Ok(e) if e.file_type().is_file() => out.push(relative(root, e.path())),
            Ok(_) => {}
            Err(e) => {
                let path = e.path().map(|p| relative(root, p)).unwrap_or_default();
                diags.push(files::unreadable(&path, &e.to_string()));
            }
        }
    }
    out
}

fn utf8_below(root: &Path, path: &Path) -> bool {
    path.strip_prefix(root).unwrap_or(path).to_str().is_some()
}

/// A file or folder whose name is not UTF-8 cannot be named in a finding or a URL.
fn not_utf8_name(root: &Path, path: &Path) -> Diagnostic {
    Diagnostic::error(
        "invalid-slug",
        &relative(root, path),
        Pos::START,
        "this file or folder name is not valid UTF-8 text",
    )
    .with_hint("rename it with lowercase ASCII letters, digits and `-`")
}

/// `content/agreements` and `content/pages` are optional, but never plain files (a link is
/// reported by [`files::refuse_links`]).
fn not_a_folder(root: &Path, dir: &str, diags: &mut Diagnostics) {
    let meta = std::fs::symlink_metadata(root.join(dir));
    if meta.is_ok_and(|m| !m.is_dir() && !m.file_type().is_symlink()) {
        diags.push(
            Diagnostic::error(
                "unreadable-file",
                dir,
                Pos::START,
                format!("`{dir}` is a file, but it must be a folder"),
            )
            .with_hint("move the file away and create the folder in its place"),
        );
    }
}

pub(crate) fn relative(root: &Path, p: &Path) -> String {
    p.strip_prefix(root)
        .unwrap_or(p)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// `at_least`: the file grew past the limit while it was read, so `len` is where reading
/// stopped.
fn too_large(file: &str, len: u64, max: u64, at_least: bool) -> Diagnostic {
    let hint = if file == SITE_FILE {
        "site.yaml is read before its own limits apply, so always under the default of 256 MiB; keep it to settings"
    } else {
        "split it into several files, or raise `limits.max_file_size` in content/site.yaml (at most 1 GiB)"
    };
    let len = if at_least {
        format!("more than {} bytes", thousands(max))
    } else {
        format!("{} bytes", thousands(len))
    };
    Diagnostic::error(
        "file-too-large",
        file,
        Pos::START,
        format!(
            "the file is {len}, more than `limits.max_file_size` allows ({}); it was not read",
            show_bytes(max)
        ),
    )
    .with_hint(hint)
}

/// Opens a data file under [`files::open_checked`] to read no more than
/// `limits.max_file_size` + 1 bytes (so a file that grew since its size was read is still
/// caught), with its size. A missing file, a symbolic link (or a folder on the way that is
/// one), a folder, a named pipe or a device, and an oversized file are refused before a byte
/// is read.
fn open_data_file(
    root: &Path,
    file: &str,
    limits: &Limits,
) -> Result<(std::io::Take<std::fs::File>, u64), Diagnostic> {
    match files::open_checked(root, file, limits.max_file_size) {
        Ok((reader, len)) => Ok((reader.take(limits.max_file_size + 1), len)),
        Err(files::Refusal::Missing) => Err(Diagnostic::error(
            "missing-field",
            file,
            Pos::START,
            format!("the required file `{file}` is missing"),
        )
        .with_hint("create it; the data format reference (docs/FORMAT.md) and `sinergi schema` list its keys")),
        Err(files::Refusal::TooLarge(len)) => {
            Err(too_large(file, len, limits.max_file_size, false))
        }
        Err(refusal) => Err(refusal.diagnostic(file)),
    }
}

/// [`read_text`], noting what was read in `sources`.
fn read_noted(
    root: &Path,
    file: &str,
    limits: &Limits,
    sources: &files::Sources,
) -> Result<String, Diagnostic> {
    let text = read_text(root, file, limits)?;
    sources.note(file, &text);
    Ok(text)
}

/// Reads a data file as UTF-8 text without its byte-order mark. Its size is checked first,
/// from the file's metadata, so an oversized file is never read.
pub(crate) fn read_text(root: &Path, file: &str, limits: &Limits) -> Result<String, Diagnostic> {
    let (mut reader, len) = open_data_file(root, file, limits)?;
    let mut bytes = Vec::with_capacity(len as usize);
    reader
        .read_to_end(&mut bytes)
        .map_err(|e| files::unreadable(file, &e.to_string()))?;
    text_of(file, bytes, limits, true)
}

/// A data file's bytes that are not on disk (a version in the site's git history) as text,
/// under the same checks as a file read from the site: at most `limits.max_file_size`, UTF-8,
/// without its byte-order mark.
pub fn text_from_bytes(file: &str, bytes: Vec<u8>, limits: &Limits) -> Result<String, Diagnostic> {
    text_of(file, bytes, limits, false)
}

/// The file's bytes, at most `limits.max_file_size`, as UTF-8 text without its byte-order
/// mark. `grew`: the bytes were read from a file whose size was within the limit before.
fn text_of(file: &str, bytes: Vec<u8>, limits: &Limits, grew: bool) -> Result<String, Diagnostic> {
    if bytes.len() as u64 > limits.max_file_size {
        return Err(too_large(
            file,
            bytes.len() as u64,
            limits.max_file_size,
            grew,
        ));
    }
    match String::from_utf8(bytes) {
        Ok(mut s) => {
            if s.starts_with('\u{feff}') {
                s.drain(..3);
            }
            Ok(s)
        }
        Err(e) => {
            let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let good = std::str::from_utf8(good).unwrap_or_default();
            let line = good.matches('\n').count() as u64 + 1;
            let last_line = good.rsplit('\n').next().unwrap_or_default();
            let col = last_line.chars().count() as u64 + 1;
            Err(Diagnostic::error(
                "yaml-syntax",
                file,
                Pos::new(line, col),
                "the file is not valid UTF-8 text",
            )
            .with_hint("save the file as UTF-8"))
        }
    }
}
