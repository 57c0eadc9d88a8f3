//! One input through the real code, with the guarantees checked: the fuzz targets in `fuzz/`
//! call these functions and nothing else, and `tests/fuzz_regression.rs` runs every committed
//! corpus file and crash through them with a plain `cargo test`. A panic is a finding.
//!
//! Input formats (kept simple so libFuzzer's mutations stay meaningful):
//!
//! - [`load_validate`]: up to six parts separated by NUL bytes, written into a site folder in
//!   this order: `shipments/2022.yaml`, `agreement.yaml`, `content/site.yaml`,
//!   `content/pages/about.md`, the agreement page `latar.md`, `shipments/2023.yaml`. A part
//!   not given is the smallest valid site's file (`tests/fixtures/minimal`), or absent.
//! - [`markdown`]: the page text.
//! - [`import`]: a CSV file; or an .xlsx workbook (starting `PK`); or `%zip\n` then
//!   NUL-separated entries `name\ncontent`, zipped here (stored, with correct checksums) into
//!   an .xlsx so the fuzzer mutates the workbook's XML rather than its compressed bytes. The
//!   import refuses .xls and .ods (see fuzz/README.md), so there is nothing more to fuzz.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::diagnostics::{self, Format};
use crate::import::{self, ImportError, ImportOptions};
use crate::render::markdown;

/// A temporary site folder, removed on drop. The fuzz targets keep one per process.
pub struct Scratch {
    root: PathBuf,
}

impl Scratch {
    /// A new empty folder under the system's temporary folder (`TMPDIR`; `/dev/shm` is fastest).
    pub fn new(name: &str) -> Scratch {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let root = std::env::temp_dir().join(format!(
            "sinergi-fuzz-{name}-{}-{}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).expect("a temporary folder for the fuzz site");
        Scratch { root }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn write(&self, file: &str, bytes: &[u8]) {
        let path = self.root.join(file);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("create a folder of the fuzz site");
        }
        std::fs::write(&path, bytes).expect("write a file of the fuzz site");
    }

    fn remove(&self, file: &str) {
        let _ = std::fs::remove_file(self.root.join(file));
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

/// The smallest site that passes every check (`tests/fixtures/minimal`).
pub mod minimal {
    pub const SITE: &str = "title:\n  id: Situs Contoh\n  en: Example Site\nlanguages: [id, en]\nlicense: CC-BY-4.0\nas_of: 2022-12-31\n";
    pub const AGREEMENT: &str = "title:\n  id: Kerja Sama Contoh\n  en: Example Agreement\nkind: KAD\nstatus: active\nsigned: 2022-01-10\nperiod:\n  start: 2022-01-10\n  end: 2024-12-31\nparties:\n  - id: kota-a\n    name: Kota A\n  - id: kota-b\n    name: Kota B\ncommodities:\n  - id: beras\n    name:\n      id: Beras\n      en: Rice\n    unit: t\n  - id: telur\n    name: Telur\n    unit: kg\n    conversions:\n      - from: kg\n        to: egg\n        factor: 16\nparticipants:\n  - id: gapoktan\n    name: Gapoktan Makmur\n    party: kota-a\n    commodities: [beras, telur]\nofftakers:\n  - id: pasar\n    name: Pasar Induk\n    party: kota-b\ntargets:\n  - id: beras-2022\n    title: Beras 2022\n    commodity: beras\n    quantity: 10\n    due: 2022-12-31\nsources:\n  - id: berita\n    title: Berita pengiriman\n    url: https://example.org/berita\n";
    pub const PAGE: &str = "---\ntitle: Tentang\norder: 1\n---\n\nSitus contoh untuk pengujian.\n";
}

/// The site the import target imports into (`tests/fixtures/import/site`).
pub mod import_site {
    pub const SLUG: &str = "metro-dki";
    pub const SITE: &str = "title: Uji impor\nlanguages: [id, en]\n";
    pub const AGREEMENT: &str = "title: KAD Kota Metro – DKI Jakarta (uji impor)\nkind: KAD\nstatus: active\nsigned: 2022-06-10\nperiod:\n  start: 2022-06-10\n  end: 2024-06-09\nparties:\n  - id: kota-metro\n    name: Pemerintah Kota Metro\n  - id: dki-jakarta\n    name: Pemerintah Provinsi DKI Jakarta\ncommodities:\n  - id: telur\n    name: {id: Telur, en: Eggs}\n    unit: t\n    conversions:\n      - {from: kg, to: egg, factor: 16}\n  - id: beras\n    name: {id: Beras, en: Rice}\n    unit: t\n  - id: sapi\n    name: {id: Sapi, en: Cattle}\n    unit: head\nparticipants:\n  - id: pt-kuasa-omega-jaya\n    name: PT Kuasa Omega Jaya (KUJ)\n    party: kota-metro\n    commodities: [telur]\n  - id: pt-suj\n    name: PT Superindo Utama Jaya (PT SUJ)\n    party: kota-metro\n    commodities: [sapi]\n  - id: gapoktan-sari-makmur\n    name: Gapoktan Sari Makmur\n    party: kota-metro\n    commodities: [beras]\nofftakers:\n  - id: food-station\n    name: PT Food Station Tjipinang Jaya (Food Station)\n    party: dki-jakarta\n  - id: dharma-jaya\n    name: Perumda Dharma Jaya\n    party: dki-jakarta\ndocuments:\n  - id: pks-suj-dharma-jaya\n    type: PKS\n    title: Perjanjian Kerja Sama PT SUJ – Perumda Dharma Jaya\n    number: PKS/001/IX/2022\n    signed: 2022-09-01\nsources:\n  - id: antara-653273\n    title: Difasilitasi BI Lampung, Pemkot Metro perkuat kerja sama dengan DKI Jakarta\n    url: https://lampung.antaranews.com/berita/653273/\n";
    pub const SHIPMENTS: &str = "- id: mdj-2022-06-12-sapi\n  date: 2022-06-12\n  from: pt-suj\n  commodity: sapi\n  quantity: 30\n  unit: ekor\n";
}

/// Whether `code` is one the data format reference (docs/FORMAT.md) documents: the first cell
/// of a table row under `## Findings`, `` | `code` | ``. Read from the file itself, so a new finding code needs its
/// line there.
fn documented(code: &str) -> bool {
    static CODES: OnceLock<BTreeSet<&'static str>> = OnceLock::new();
    CODES
        .get_or_init(|| {
            let text = include_str!("../docs/FORMAT.md");
            let findings = text.split("\n## Findings\n").nth(1).unwrap_or_default();
            findings
                .split("\n## ")
                .next()
                .unwrap_or_default()
                .lines()
                .filter_map(|l| l.strip_prefix("| `")?.split_once('`'))
                .map(|(code, _)| code)
                .collect()
        })
        .contains(code)
}

/// Where each NUL-separated part of a [`load_validate`] input goes, and what stands in for a
/// part not given.
const LOAD_PARTS: [(&str, Option<&str>); 6] = [
    ("content/agreements/contoh/shipments/2022.yaml", None),
    (
        "content/agreements/contoh/agreement.yaml",
        Some(minimal::AGREEMENT),
    ),
    ("content/site.yaml", Some(minimal::SITE)),
    ("content/pages/about.md", Some(minimal::PAGE)),
    ("content/agreements/contoh/latar.md", None),
    ("content/agreements/contoh/shipments/2023.yaml", None),
];

/// Bytes -> site files -> `check` (loader, validator, figures) -> findings in every format.
/// Checks: nothing panics; every finding has a known code, a site-relative file and a 1-based
/// position; a site without errors has a model and one figures entry per agreement; JSON output
/// is a JSON array of the findings; GitHub output is one line per finding.
pub fn load_validate(scratch: &Scratch, data: &[u8]) {
    let mut parts = data.split(|b| *b == 0);
    for (file, default) in LOAD_PARTS {
        match (parts.next(), default) {
            (Some(bytes), _) => scratch.write(file, bytes),
            (None, Some(text)) => scratch.write(file, text.as_bytes()),
            (None, None) => scratch.remove(file),
        }
    }
    let root = scratch.root();
    let checked = crate::check(root);
    let items = checked.diagnostics.items();
    for d in items {
        assert!(
            documented(d.code),
            "a code docs/FORMAT.md does not list: {d:?}"
        );
        assert!(d.line >= 1 && d.column >= 1, "position {d:?}");
        assert!(
            d.file.starts_with("content/") || d.file == "content",
            "file not relative to the site: {d:?}"
        );
        assert!(!d.message.is_empty(), "empty message: {d:?}");
    }
    if !checked.diagnostics.has_errors() {
        let site = checked
            .site
            .as_ref()
            .expect("a site without errors has a model");
        assert_eq!(site.agreements.len(), checked.figures.len());
        assert!(site.agreements.iter().all(|a| a.slug == "contoh"));
    }
    let _ = checked.summary();
    let _ = diagnostics::render(&checked.diagnostics, Format::Human);
    let json = diagnostics::render(&checked.diagnostics, Format::Json);
    let parsed: Vec<serde_json::Value> =
        serde_json::from_str(&json).expect("--format json prints a JSON array");
    assert_eq!(parsed.len(), items.len());
    let github = diagnostics::render(&checked.diagnostics, Format::Github);
    assert_eq!(github.lines().count(), items.len(), "{github}");
}

/// Bytes (as UTF-8, lossily) -> `render::markdown::to_html` at the two heading levels the site
/// uses. Checks what the module promises: raw HTML comes out as text (every tag is one Markdown
/// itself makes, with only its own attributes, so no `<script>`, no `on...=`), no images, every
/// link is relative, in-page or http(s) as a browser reads it, and heading ids are unique and
/// headings start at the given level.
pub fn markdown(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    for top in [2, 3] {
        let html = markdown::to_html(&text, top);
        check_html(&html, top);
    }
    let line = text.lines().next().unwrap_or_default();
    if markdown::is_safe_link(line) {
        assert!(browser_safe_href(line), "is_safe_link accepted {line:?}");
    }
    let slug = markdown::slugify(line);
    assert!(!slug.is_empty() && slug.len() <= 60, "{slug:?}");
    assert!(
        slug.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
        "{slug:?}"
    );
}

const TAGS: [&str; 27] = [
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "a",
    "em",
    "strong",
    "code",
    "pre",
    "ul",
    "ol",
    "li",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "del",
    "hr",
    "br",
    "sup",
    "div",
];

/// Attributes pulldown-cmark writes for the enabled extensions (tables, footnotes,
/// strikethrough) and heading ids.
const ATTRIBUTES: [&str; 6] = ["href", "title", "id", "class", "style", "start"];

fn check_html(html: &str, top: u8) {
    let mut heading_ids = BTreeSet::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        let close = after
            .find('>')
            .expect("every `<` opens a tag that is closed");
        let tag = &after[..close];
        rest = &after[close + 1..];
        let (closing, tag) = match tag.strip_prefix('/') {
            Some(t) => (true, t),
            None => (false, tag),
        };
        let tag = tag.strip_suffix(" /").unwrap_or(tag);
        let name_end = tag.find(' ').unwrap_or(tag.len());
        let name = &tag[..name_end];
        assert!(TAGS.contains(&name), "tag <{name}> in {html}");
        let attrs = attributes(&tag[name_end..]).unwrap_or_else(|| panic!("<{tag}> in {html}"));
        assert!(!closing || attrs.is_empty(), "</{tag}>");
        for (key, value) in &attrs {
            assert!(ATTRIBUTES.contains(key), "attribute {key} in <{tag}>");
            match *key {
                "href" => assert!(
                    name == "a" && browser_safe_href(&unescape(value)),
                    "href {value:?} in {html}"
                ),
                "style" => assert!(
                    ["left", "center", "right"]
                        .iter()
                        .any(|a| *value == format!("text-align: {a}")),
                    "style {value:?}"
                ),
                "start" => assert!(value.bytes().all(|b| b.is_ascii_digit()), "start {value:?}"),
                _ => {}
            }
        }
        if let Some(level) = name.strip_prefix('h').and_then(|l| l.parse::<u8>().ok())
            && !closing
        {
            assert!(level >= top, "<{tag}> below the top level {top}");
            let id = attrs
                .iter()
                .find(|(k, _)| *k == "id")
                .map(|(_, v)| v.to_string())
                .expect("every heading has an id");
            assert!(heading_ids.insert(id.clone()), "heading id {id} twice");
        }
    }
}

/// ` key="value" key="value"` -> pairs; `None` when it is not exactly that shape (an
/// unescaped quote, a stray character).
fn attributes(mut s: &str) -> Option<Vec<(&str, &str)>> {
    let mut out = Vec::new();
    while !s.is_empty() {
        s = s.strip_prefix(' ')?;
        let (key, after) = s.split_once("=\"")?;
        if key.is_empty() || !key.bytes().all(|b| b.is_ascii_lowercase() || b == b'-') {
            return None;
        }
        let (value, after) = after.split_once('"')?;
        if value.contains('<') {
            return None;
        }
        out.push((key, value));
        s = after;
    }
    Some(out)
}

/// The HTML character references pulldown-cmark writes in attributes, decoded.
fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        let end = after.find(';').unwrap_or(0);
        let entity = &after[1..end.max(1)];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            _ => entity
                .strip_prefix("#x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) if end > 0 => {
                out.push(c);
                rest = &after[end + 1..];
            }
            _ => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// What a browser does with `href`: leading and trailing spaces and controls dropped, tabs
/// and newlines removed, `\` read as `/`. Safe: no scheme, or http(s); never `//host`.
fn browser_safe_href(href: &str) -> bool {
    let url: String = href
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .map(|c| if c == '\\' { '/' } else { c })
        .collect();
    if url.starts_with("//") {
        return false;
    }
    let scheme_end = url
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
        .unwrap_or(url.len());
    let has_scheme = scheme_end > 0
        && url.as_bytes()[0].is_ascii_alphabetic()
        && url[scheme_end..].starts_with(':');
    !has_scheme || {
        let scheme = url[..scheme_end].to_ascii_lowercase();
        scheme == "http" || scheme == "https"
    }
}

/// Bytes -> the CSV or .xlsx reader -> rows -> records -> the
/// whole site checked (a dry run into `tests/fixtures/import/site`), then again with
/// `--skip-invalid` when some row was refused. Checks: nothing panics; the fixed, valid site
/// never gets the blame (`ImportError::Site`) nor a usage error; what an import would write
/// passes `check` with no error.
pub fn import(scratch: &Scratch, data: &[u8]) {
    let site = scratch.root();
    if !site.join(crate::load::SITE_FILE).is_file() {
        scratch.write(crate::load::SITE_FILE, import_site::SITE.as_bytes());
        let dir = format!("content/agreements/{}", import_site::SLUG);
        scratch.write(
            &format!("{dir}/agreement.yaml"),
            import_site::AGREEMENT.as_bytes(),
        );
        scratch.write(
            &format!("{dir}/shipments/awal.yaml"),
            import_site::SHIPMENTS.as_bytes(),
        );
    }
    let zipped;
    let (kind, bytes) = if data.starts_with(b"PK") {
        ("xlsx", data)
    } else if let Some(entries) = data.strip_prefix(b"%zip\n") {
        zipped = zip_stored(entries);
        ("xlsx", &zipped[..])
    } else {
        ("csv", data)
    };
    let mut opts = ImportOptions {
        site: site.to_path_buf(),
        agreement: import_site::SLUG.to_string(),
        file: PathBuf::from(format!("fuzz.{kind}")),
        into: None,
        dry_run: true,
        skip_invalid: false,
    };
    if import_once(scratch, &opts, bytes) == Some(true) {
        opts.skip_invalid = true;
        import_once(scratch, &opts, bytes);
    }
}

/// One dry run; `Some(true)` when rows were refused.
fn import_once(scratch: &Scratch, opts: &ImportOptions, bytes: &[u8]) -> Option<bool> {
    let out = match import::run_with_bytes(opts, bytes) {
        Ok(out) => out,
        Err(ImportError::Invalid(m)) => {
            assert!(!m.is_empty());
            return None;
        }
        Err(ImportError::Usage(m)) => panic!("a usage error for a valid command line: {m}"),
        Err(e @ ImportError::Rejected { .. }) => panic!("rows were rejected, not reported: {e}"),
        Err(ImportError::Site(d)) => panic!(
            "the valid site was blamed for the sheet's rows: {}",
            diagnostics::render(&d, Format::Human)
        ),
    };
    let refused = out.invalid_rows > 0;
    let would_write = out.added > 0 && (!refused || opts.skip_invalid);
    if would_write {
        let target = out
            .target
            .clone()
            .expect("records to add have a target file");
        assert!(
            target.starts_with(&format!(
                "content/agreements/{}/shipments/",
                import_site::SLUG
            )) && target.ends_with(".yaml")
                && !target.contains(".."),
            "target {target}"
        );
        // The target is a new file: the fixture site has only `awal.yaml`.
        scratch.write(&target, out.appended.as_bytes());
        let checked = crate::check(scratch.root());
        scratch.remove(&target);
        assert!(
            !checked.diagnostics.has_errors(),
            "the imported records fail check:\n{}\n{}",
            out.appended,
            diagnostics::render(&checked.diagnostics, Format::Human)
        );
    }
    Some(refused)
}

/// A zip archive (stored, no compression) of `name\ncontent` entries separated by NUL bytes.
pub fn zip_stored(entries: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    let mut count: u16 = 0;
    for entry in entries.split(|b| *b == 0).take(u16::MAX as usize) {
        let (name, content) = match entry.iter().position(|b| *b == b'\n') {
            Some(at) => (&entry[..at], &entry[at + 1..]),
            None => (entry, &[][..]),
        };
        let name = &name[..name.len().min(u16::MAX as usize)];
        let crc = crc32(content);
        let size = content.len() as u32;
        let offset = out.len() as u32;
        let common = |v: &mut Vec<u8>| {
            v.extend_from_slice(&20u16.to_le_bytes()); // version needed
            v.extend_from_slice(&0u16.to_le_bytes()); // flags
            v.extend_from_slice(&0u16.to_le_bytes()); // stored
            v.extend_from_slice(&0u16.to_le_bytes()); // time
            v.extend_from_slice(&0x21u16.to_le_bytes()); // 1980-01-01
            v.extend_from_slice(&crc.to_le_bytes());
            v.extend_from_slice(&size.to_le_bytes());
            v.extend_from_slice(&size.to_le_bytes());
            v.extend_from_slice(&(name.len() as u16).to_le_bytes());
            v.extend_from_slice(&0u16.to_le_bytes()); // extra
        };
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        common(&mut out);
        out.extend_from_slice(name);
        out.extend_from_slice(content);
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes()); // made by
        common(&mut central);
        central.extend_from_slice(&[0; 8]); // comment, disk, internal attributes
        central.extend_from_slice(&0u32.to_le_bytes()); // external attributes
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name);
        count += 1;
    }
    let central_at = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]); // disk numbers
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&central_at.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes()); // comment
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = (crc >> 1) ^ (0xedb8_8320 & (crc & 1).wrapping_neg());
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_matches_the_standard() {
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
    }

    #[test]
    fn hrefs_are_read_as_a_browser_does() {
        for ok in [
            "#a",
            "../x/index.html",
            "https://a.id/",
            "HTTP://a",
            "a/b:c",
            "?q=1:2",
        ] {
            assert!(browser_safe_href(ok), "{ok}");
        }
        for bad in [
            "javascript:x",
            " \u{1}JavaScript:x",
            "java\tscript:x",
            "//evil.example",
            "/\\evil.example",
            "data:x",
        ] {
            assert!(!browser_safe_href(bad), "{bad}");
        }
    }

    #[test]
    fn finding_codes_come_from_the_format_reference() {
        assert!(documented("yaml-syntax") && documented("target-overdue"));
        assert!(!documented("no-such-code") && !documented(""));
    }

    #[test]
    fn the_minimal_site_passes() {
        let scratch = Scratch::new("unit");
        load_validate(&scratch, b"");
        markdown(b"# a\n\n[x](https://a.id/)");
    }
}
