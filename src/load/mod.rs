//! Stage 1: walk `content/`, read every file and parse it through serde into the raw types.
//! Nothing here judges the data beyond its syntax and shape; that is `validate`'s job.

pub mod cache;
mod ledger;
pub mod located;
pub mod raw;
pub mod yaml;

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, Diagnostics, Pos};
use located::Loc;

/// Everything read from a site folder.
#[derive(Debug, Default)]
pub struct Loaded {
    pub site: Option<raw::SiteFile>,
    pub agreements: Vec<LoadedAgreement>,
    pub pages: Vec<LoadedPage>,
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
pub fn load(root: &Path, diags: &mut Diagnostics) -> Loaded {
    let mut loaded = Loaded::default();
    let cache = cache::Cache::new(root);
    match read_text(root, SITE_FILE) {
        Ok(text) => match yaml::parse::<raw::SiteFile>(SITE_FILE, &text, 0) {
            Ok(site) => loaded.site = Some(site),
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

    let agreements_dir = root.join("content/agreements");
    not_a_folder(root, "content/agreements", diags);
    not_a_folder(root, "content/pages", diags);
    if agreements_dir.is_dir() {
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
                diags.push(unreadable("content/agreements", &e.to_string()));
                Vec::new()
            }
        };
        folders.sort();
        let results: Vec<(LoadedAgreement, Diagnostics)> = folders
            .par_iter()
            .map(|(slug, dir)| load_agreement(root, slug, dir, &cache))
            .collect();
        for (a, d) in results {
            diags.extend(d);
            loaded.agreements.push(a);
        }
        cache.prune();
    }

    let pages_dir = root.join("content/pages");
    if pages_dir.is_dir() {
        for file in files_under(root, &pages_dir, diags) {
            if file.ends_with(".md")
                && let Some(p) = load_page(root, &file, diags)
            {
                loaded.pages.push(p);
            }
        }
    }
    loaded
}

fn load_agreement(
    root: &Path,
    slug: &str,
    dir: &Path,
    cache: &cache::Cache,
) -> (LoadedAgreement, Diagnostics) {
    let mut diags = Diagnostics::default();
    let file = format!("content/agreements/{slug}/agreement.yaml");
    let agreement = match read_text(root, &file) {
        Ok(text) => match yaml::parse::<raw::AgreementFile>(&file, &text, 0) {
            Ok(a) => Some(a),
            Err(d) => {
                diags.push(d);
                None
            }
        },
        Err(d) => {
            diags.push(d);
            None
        }
    };
    let mut pages = Vec::new();
    let mut shipment_paths = Vec::new();
    for f in files_under(root, dir, &mut diags) {
        let rest = &f[format!("content/agreements/{slug}/").len()..];
        if rest.starts_with("shipments/") && (f.ends_with(".yaml") || f.ends_with(".yml")) {
            shipment_paths.push(f);
        } else if !rest.contains('/')
            && f.ends_with(".md")
            && let Some(p) = load_page(root, &f, &mut diags)
        {
            pages.push(p);
        }
    }
    let parsed: Vec<(Option<ShipmentFile>, Vec<Diagnostic>)> = shipment_paths
        .par_iter()
        .map(|f| match read_text(root, f) {
            Err(d) => (None, vec![d]),
            Ok(text) if text.trim().is_empty() => (Some(ShipmentFile::empty(f)), vec![]),
            Ok(text) => {
                let (records, findings) = match cache.get(&text) {
                    Some(records) => (records, Vec::new()),
                    None => {
                        let (records, findings) = ledger::parse(f, &text);
                        if findings.is_empty() {
                            cache.put(&text, &records);
                        }
                        (records, findings)
                    }
                };
                let file = ShipmentFile {
                    file: f.clone(),
                    records,
                };
                (Some(file), findings)
            }
        })
        .collect();
    let mut shipment_files = Vec::new();
    for (file, findings) in parsed {
        shipment_files.extend(file);
        for d in findings {
            diags.push(d);
        }
    }
    (
        LoadedAgreement {
            slug: slug.to_string(),
            file,
            agreement,
            shipment_files,
            pages,
        },
        diags,
    )
}

fn load_page(root: &Path, file: &str, diags: &mut Diagnostics) -> Option<LoadedPage> {
    let text = match read_text(root, file) {
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

/// Files below `dir` as site-relative paths with `/`, sorted. Symbolic links are not followed.
fn files_under(root: &Path, dir: &Path, diags: &mut Diagnostics) -> Vec<String> {
    let mut out = Vec::new();
    for entry in WalkDir::new(dir).sort_by_file_name() {
        match entry {
            Ok(e) if !utf8_below(root, e.path()) => diags.push(not_utf8_name(root, e.path())),
            Ok(e) if e.file_type().is_file() => out.push(relative(root, e.path())),
            Ok(e) if e.path_is_symlink() => diags.push(
                Diagnostic::warning(
                    "unreadable-file",
                    &relative(root, e.path()),
                    Pos::START,
                    "symbolic links are not followed; this file is ignored",
                )
                .with_hint("copy the file into the site instead of linking to it"),
            ),
            Ok(_) => {}
            Err(e) => {
                let path = e.path().map(|p| relative(root, p)).unwrap_or_default();
                diags.push(unreadable(&path, &e.to_string()));
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

/// `content/agreements` and `content/pages` are optional, but never plain files.
fn not_a_folder(root: &Path, dir: &str, diags: &mut Diagnostics) {
    let path = root.join(dir);
    if path.exists() && !path.is_dir() {
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

fn relative(root: &Path, p: &Path) -> String {
    p.strip_prefix(root)
        .unwrap_or(p)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn unreadable(file: &str, why: &str) -> Diagnostic {
    Diagnostic::error(
        "unreadable-file",
        file,
        Pos::START,
        format!("cannot read this file: {why}"),
    )
    .with_hint("make sure it is a readable regular file")
}

/// Reads a data file as UTF-8 text without its byte-order mark.
fn read_text(root: &Path, file: &str) -> Result<String, Diagnostic> {
    let path = root.join(file);
    let meta = std::fs::metadata(&path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            Diagnostic::error(
                "missing-field",
                file,
                Pos::START,
                format!("the required file `{file}` is missing"),
            )
            .with_hint("create it; the README's data format and `sinergi schema` list its keys")
        } else {
            unreadable(file, &e.to_string())
        }
    })?;
    if meta.is_dir() {
        return Err(unreadable(file, "it is a folder, not a file"));
    }
    if meta.len() > yaml::MAX_FILE_BYTES {
        return Err(Diagnostic::error(
            "yaml-syntax",
            file,
            Pos::START,
            format!(
                "the file is {} bytes, more than the limit of {} bytes",
                meta.len(),
                yaml::MAX_FILE_BYTES
            ),
        )
        .with_hint("split the records into several files"));
    }
    let bytes = std::fs::read(&path).map_err(|e| unreadable(file, &e.to_string()))?;
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
