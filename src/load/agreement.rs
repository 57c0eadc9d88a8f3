//! Loading one agreement folder: its agreement.yaml, pages and shipment files, or only the
//! hashes of the shipment files when the records cache has what the site's pages need of them.

use std::io::Read;
use std::path::Path;

use rayon::prelude::*;
use xxhash_rust::xxh3::Xxh3;

use super::ledger::{self, RecordBudget};
use super::limits::Limits;
use super::records_cache::RecordsCache;
use super::{
    LoadedAgreement, ShipmentFile, cache, files, files_under, load_page, open_data_file, raw,
    read_noted, read_text, yaml,
};
use crate::diagnostics::{Diagnostic, Diagnostics, Pos};
use crate::model::Summary;

/// One shipments file read: its records (when it could be read) and the findings about it.
#[derive(Debug, Default)]
pub(super) struct ShipmentResult {
    pub path: String,
    pub file: Option<ShipmentFile>,
    pub findings: Vec<Diagnostic>,
    /// Where the first record past the record limit starts; the rest was not read.
    pub over: Option<Pos>,
}

impl ShipmentResult {
    /// A file not read at all, because the limit was met before it.
    pub fn not_read(path: &str) -> ShipmentResult {
        ShipmentResult {
            path: path.to_string(),
            ..ShipmentResult::default()
        }
    }

    /// Counts this file's records against `budget` as if it were read again, when that is
    /// sure to give the same: a file read to its end without findings, or read without
    /// findings up to the record past an earlier limit when `budget` ends within that part.
    /// False (with nothing counted) when the file must be read again.
    pub fn recount(&mut self, budget: &RecordBudget) -> bool {
        let Some(file) = self.file.as_mut().filter(|_| self.findings.is_empty()) else {
            return false;
        };
        let n = file.records.len();
        match self.over {
            None => {
                if let Some(i) = budget.take_many(n) {
                    self.over = Some(file.records[i].pos);
                    file.records.truncate(i);
                }
                true
            }
            Some(at) => match budget.take_many(n + 1) {
                Some(i) => {
                    if i < n {
                        self.over = Some(file.records[i].pos);
                        file.records.truncate(i);
                    } else {
                        self.over = Some(at);
                    }
                    true
                }
                None => {
                    budget.give_back(n + 1);
                    false
                }
            },
        }
    }
}

/// What loading one agreement shares with the others.
pub(super) struct AgreementCx<'a> {
    pub root: &'a Path,
    pub sources: &'a files::Sources,
    pub cache: &'a cache::Cache,
    pub records_cache: &'a RecordsCache,
    pub limits: &'a Limits,
    pub budget: &'a RecordBudget,
    /// site.yaml's bytes, fed so far.
    pub site_digest: &'a Xxh3,
    /// The records may be left unread when the records cache has them.
    pub may_skip: bool,
}

/// Feeds `bytes` length-prefixed, so that two files can never run into each other.
pub(super) fn feed(digest: &mut Xxh3, bytes: &[u8]) {
    digest.update(&(bytes.len() as u64).to_le_bytes());
    digest.update(bytes);
}

/// Feeds a shipments file: its path and the xxh3-128 of its text, or a mark that it could not
/// be read (such a file never matches an entry: it is reported).
fn feed_file(digest: &mut Xxh3, path: &str, hash: Option<u128>) {
    feed(digest, path.as_bytes());
    match hash {
        Some(h) => feed(digest, &h.to_le_bytes()),
        None => feed(digest, b"\0unreadable"),
    }
}

/// The xxh3-128 of a shipments file's text (without a byte-order mark) and its length, read
/// through a small buffer and not kept. `None` when [`read_text`] would refuse the file; a
/// file that is not UTF-8 hashes, but never matches an entry, whose files were all read.
fn hash_text(root: &Path, file: &str, limits: &Limits) -> Option<(u128, u64)> {
    let (mut reader, _) = open_data_file(root, file, limits).ok()?;
    thread_local! {
        /// One read buffer per thread, reused for every file.
        static BUF: std::cell::RefCell<Vec<u8>> = std::cell::RefCell::new(vec![0; 64 * 1024]);
    }
    let (mut hasher, mut len, mut first) = (Xxh3::new(), 0u64, true);
    BUF.with_borrow_mut(|buf| -> Option<()> {
        loop {
            let n = reader.read(buf).ok()?;
            if n == 0 {
                return Some(());
            }
            let mut chunk = &buf[..n];
            if std::mem::take(&mut first) {
                chunk = chunk.strip_prefix(b"\xef\xbb\xbf").unwrap_or(chunk);
            }
            hasher.update(chunk);
            len += chunk.len() as u64;
        }
    })?;
    (len <= limits.max_file_size).then(|| (hasher.digest128(), len))
}

/// An agreement without its shipment files, which come separately so that the record limit
/// can read them again in order. When the records cache has what the site's pages need of
/// records made of exactly these bytes, the shipments files are read but not parsed.
pub(super) fn load_agreement(
    cx: &AgreementCx,
    slug: &str,
    dir: &Path,
) -> (LoadedAgreement, Diagnostics, Vec<ShipmentResult>) {
    let root = cx.root;
    let mut diags = Diagnostics::default();
    let mut digest = cx.site_digest.clone();
    let file = format!("content/agreements/{slug}/agreement.yaml");
    let agreement = match read_noted(root, &file, cx.limits, cx.sources) {
        Ok(text) => {
            feed(&mut digest, text.as_bytes());
            match cx.cache.get::<raw::AgreementFile>(&text) {
                Some(a) => Some(a),
                None => match yaml::parse::<raw::AgreementFile>(&file, &text, 0) {
                    Ok(a) => {
                        cx.cache.put(&text, &a);
                        Some(a)
                    }
                    Err(d) => {
                        diags.push(d);
                        None
                    }
                },
            }
        }
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
            && let Some(p) = load_page(root, &f, cx.limits, cx.sources, &mut diags)
        {
            pages.push(p);
        }
    }
    let parsed = agreement.is_some();
    let loaded = |records_digest, summary| LoadedAgreement {
        slug: slug.to_string(),
        file,
        agreement,
        shipment_files: Vec::new(),
        pages,
        records_digest,
        summary,
    };
    if cx.may_skip
        && cx.records_cache.exists
        && parsed
        && let Some((records_digest, summary)) = unchanged_records(cx, &digest, &shipment_paths)
    {
        return (loaded(records_digest, Some(summary)), diags, Vec::new());
    }
    let texts: Vec<Result<String, Diagnostic>> = shipment_paths
        .par_iter()
        .map(|f| read_text(root, f, cx.limits))
        .collect();
    for (f, text) in shipment_paths.iter().zip(&texts) {
        let hash = text
            .as_ref()
            .ok()
            .map(|t| xxhash_rust::xxh3::xxh3_128(t.as_bytes()));
        if let Some(h) = hash {
            cx.sources.note_digest(f, h);
        }
        feed_file(&mut digest, f, hash);
    }
    let records_digest = digest.digest128();
    cx.records_cache.note(records_digest);
    let shipments = shipment_paths
        .par_iter()
        .zip(texts)
        .map(|(f, text)| match text {
            Ok(text) => parse_shipments(f, &text, cx.cache, cx.budget),
            Err(d) => ShipmentResult {
                findings: vec![d],
                ..ShipmentResult::not_read(f)
            },
        })
        .collect();
    (loaded(records_digest, None), diags, shipments)
}

/// When the records cache has an entry for exactly these shipment files (hashed without being
/// kept), the records' digest and what the entry kept; the records are counted against the
/// budget and their parse-cache entries kept.
fn unchanged_records(
    cx: &AgreementCx,
    digest: &Xxh3,
    shipment_paths: &[String],
) -> Option<(u128, Summary)> {
    let hashed: Vec<(u128, u64)> = shipment_paths
        .par_iter()
        .map(|f| hash_text(cx.root, f, cx.limits))
        .collect::<Option<_>>()?;
    let mut digest = digest.clone();
    for (f, (hash, _)) in shipment_paths.iter().zip(&hashed) {
        feed_file(&mut digest, f, Some(*hash));
    }
    let records_digest = digest.digest128();
    let summary = cx.records_cache.get(records_digest)?;
    cx.records_cache.note(records_digest);
    for (hash, len) in hashed {
        cx.cache.keep(hash, len);
    }
    cx.budget.take_many(summary.count);
    Some((records_digest, summary))
}

/// Reads one shipments file, from the parse cache when its bytes are unchanged, counting its
/// records against `budget`. The size is checked before the file is read or looked up.
pub(super) fn load_shipments(
    root: &Path,
    f: &str,
    cache: &cache::Cache,
    limits: &Limits,
    budget: &RecordBudget,
    sources: &files::Sources,
) -> ShipmentResult {
    // Another file already met the limit: the files are counted again in order.
    if budget.exceeded() {
        return ShipmentResult::not_read(f);
    }
    match read_noted(root, f, limits, sources) {
        Err(d) => ShipmentResult {
            findings: vec![d],
            ..ShipmentResult::not_read(f)
        },
        Ok(text) => parse_shipments(f, &text, cache, budget),
    }
}

/// The records of one shipments file's text, from the parse cache when it has these bytes.
pub(super) fn parse_shipments(
    f: &str,
    text: &str,
    cache: &cache::Cache,
    budget: &RecordBudget,
) -> ShipmentResult {
    let mut result = ShipmentResult::not_read(f);
    if budget.exceeded() {
        return result;
    }
    if text.trim().is_empty() {
        result.file = Some(ShipmentFile::empty(f));
        return result;
    }
    let records = match cache.get::<Vec<super::located::Loc<raw::Shipment>>>(text) {
        Some(mut records) => {
            if let Some(i) = budget.take_many(records.len()) {
                result.over = Some(records[i].pos);
                records.truncate(i);
            }
            records
        }
        None => {
            let parsed = ledger::parse(f, text, budget);
            if parsed.findings.is_empty() && parsed.over.is_none() {
                cache.put(text, &parsed.records);
            }
            result.findings = parsed.findings;
            result.over = parsed.over;
            parsed.records
        }
    };
    result.file = Some(ShipmentFile {
        file: f.to_string(),
        records,
    });
    result
}
