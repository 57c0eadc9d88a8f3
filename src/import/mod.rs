//! `sinergi import`: shipment rows from a CSV file or a workbook become shipment records.
//!
//! Every row goes through the same loader and checks as YAML data: the new records are
//! rendered to YAML, appended in memory to the file they would go in, and the whole site is
//! validated. Findings on the new lines are traced back to their sheet, row and column.
//! Nothing is written unless every row passes (or `--skip-invalid` leaves the bad ones out).

pub mod parse;
mod rows;
mod sheet;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};

use crate::atomic::Durability;
use crate::diagnostics::{self, Cell, Diagnostic, Diagnostics, Format, Pos, Severity};
use crate::load::located::Loc;
use crate::load::{self, ShipmentFile, raw};
use crate::progress::Progress;
use crate::validate;
use parse::Field;
use rows::Candidate;

#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub site: PathBuf,
    pub agreement: String,
    pub file: PathBuf,
    pub into: Option<PathBuf>,
    pub dry_run: bool,
    pub skip_invalid: bool,
}

/// Where in the spreadsheet a finding is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub sheet: Option<String>,
    pub row: Option<u32>,
    pub column: Option<Column>,
}

/// A column of a sheet: its position in the header row (from 1) and its header as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub number: u32,
    pub header: String,
}

impl Place {
    /// An error at this place of the spreadsheet `file`.
    pub fn error(&self, file: &str, code: &'static str, message: String, hint: &str) -> Diagnostic {
        Diagnostic::error(code, file, self.pos(), message)
            .with_hint(hint)
            .in_cell(self.cell())
    }

    fn pos(&self) -> Pos {
        Pos::new(
            self.row.unwrap_or(1).into(),
            self.column.as_ref().map_or(1, |c| c.number).into(),
        )
    }

    fn cell(&self) -> Cell {
        Cell {
            sheet: self.sheet.clone(),
            header: self.column.as_ref().map(|c| c.header.clone()),
        }
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(s) = &self.sheet {
            parts.push(format!("sheet {s}"));
        }
        if let Some(r) = self.row {
            parts.push(format!("row {r}"));
        }
        if let Some(c) = &self.column {
            parts.push(format!("column {}", c.header));
        }
        f.write_str(&parts.join(", "))
    }
}

/// What an import found and did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Remarks that need no action: columns not imported, sheets skipped.
    pub notes: Vec<String>,
    /// Findings about the rows, in the order of the sheets and their rows.
    pub problems: Vec<Diagnostic>,
    /// The YAML appended (or that would be, with `--dry-run`).
    pub appended: String,
    /// The file the records go to, relative to the site.
    pub target: Option<String>,
    pub added: usize,
    pub already_imported: usize,
    /// Rows with errors (left out with `--skip-invalid`, else nothing was written).
    pub invalid_rows: usize,
    pub written: bool,
}

impl Outcome {
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(|p| p.severity == Severity::Error)
    }
}

/// Why the import could not run at all.
#[derive(Debug)]
pub enum ImportError {
    /// A command-line mistake: exit code 2.
    Usage(String),
    /// The file or the site is broken: exit code 1.
    Invalid(String),
    /// The site has errors of its own, outside the imported rows: exit code 1.
    Site(Diagnostics),
    /// Rows have errors (printed with the findings); nothing was written: exit code 1.
    Rejected { errors: usize, warnings: usize },
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            ImportError::Usage(m) | ImportError::Invalid(m) => f.write_str(m),
            ImportError::Site(d) => write!(
                f,
                "the site has {} error{} of its own",
                d.errors(),
                if d.errors() == 1 { "" } else { "s" }
            ),
            ImportError::Rejected { errors, .. } => write!(
                f,
                "{errors} error{} in the rows",
                if *errors == 1 { "" } else { "s" }
            ),
        }
    }
}

impl std::error::Error for ImportError {}

/// Reads the spreadsheet, checks every row against the site and appends the new records.
pub fn run(opts: &ImportOptions) -> Result<Outcome, ImportError> {
    let progress = Progress::start();
    let result = run_inner(opts, None, &|m| progress.say(m));
    progress.finish();
    result
}

/// [`run`] with the spreadsheet's bytes given instead of read from `opts.file`, whose name
/// (its extension: the kind of file) is still used. The fuzz targets come in here.
pub fn run_with_bytes(opts: &ImportOptions, bytes: &[u8]) -> Result<Outcome, ImportError> {
    run_inner(opts, Some(bytes), &|_| {})
}

fn run_inner(
    opts: &ImportOptions,
    bytes: Option<&[u8]>,
    say: &dyn Fn(&str),
) -> Result<Outcome, ImportError> {
    let ext = opts
        .file
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if !sheet::EXTENSIONS.contains(&ext.as_str()) {
        return Err(ImportError::Usage(sheet::unsupported(
            &opts.file.display().to_string(),
            &ext,
        )));
    }
    if bytes.is_none() && !opts.file.is_file() {
        return Err(ImportError::Usage(format!(
            "cannot find the file {}",
            opts.file.display()
        )));
    }
    if !opts.site.join(load::SITE_FILE).is_file() {
        return Err(ImportError::Usage(format!(
            "{} is not a sinergi site (it has no {}); name the site folder with --site",
            opts.site.display(),
            load::SITE_FILE
        )));
    }

    say("reading the site");
    let mut load_diags = Diagnostics::default();
    let mut loaded = load::load(&opts.site, &mut load_diags, &load::Reading::All);
    let (sources, limits) = (std::mem::take(&mut loaded.sources), loaded.limits);
    let site_failure = |mut d: Diagnostics, sources: load::files::Sources| {
        d.sort();
        sources.quote(&opts.site, &limits, &mut d);
        ImportError::Site(d)
    };
    let Some(index) = loaded
        .agreements
        .iter()
        .position(|a| a.slug == opts.agreement)
    else {
        let slugs: Vec<&str> = loaded.agreements.iter().map(|a| a.slug.as_str()).collect();
        return Err(ImportError::Usage(format!(
            "there is no agreement `{}` in {}; the agreements are: {}",
            opts.agreement,
            opts.site.join("content/agreements").display(),
            if slugs.is_empty() {
                "(none)".to_string()
            } else {
                slugs.join(", ")
            }
        )));
    };
    let Some(agreement) = loaded.agreements[index].agreement.as_ref() else {
        return Err(site_failure(load_diags, sources));
    };
    let lookup = rows::Lookup::new(agreement);
    let shipments_dir = format!("content/agreements/{}/shipments", opts.agreement);

    let file_name = opts
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    say(&format!("reading {file_name}"));
    let mut out = Outcome::default();
    let sheets = match bytes {
        Some(b) => sheet::read_bytes(&ext, b, &opts.file.display().to_string(), &mut out.notes),
        None => sheet::read(&opts.file, loaded.limits.max_file_size, &mut out.notes),
    };
    let sheets = sheets.map_err(|e| match e {
        sheet::ReadError::Unsupported(m) => ImportError::Usage(m),
        sheet::ReadError::Broken(m) => ImportError::Invalid(m),
    })?;
    let shown = opts.file.display().to_string();
    let mut candidates = Vec::new();
    for s in &sheets {
        candidates.extend(rows::read_sheet(
            s,
            &shown,
            &lookup,
            &mut out.notes,
            &mut out.problems,
        ));
    }
    if sheets.iter().all(|s| s.rows.is_empty()) {
        out.notes.push(format!("{file_name} has no rows"));
    }
    say(&format!("checking {} rows", candidates.len()));

    // Ids, and rows that repeat another row or a record already in the agreement.
    let existing: BTreeMap<String, (String, &raw::Shipment)> = loaded.agreements[index]
        .shipment_files
        .iter()
        .flat_map(|f| {
            f.records
                .iter()
                .map(|r| (r.value.id.value.clone(), (f.file.clone(), &r.value)))
        })
        .collect();
    let latest = candidates.iter().map(|c| c.date).max();
    let mut seen: BTreeMap<String, u32> = BTreeMap::new();
    let mut fresh: Vec<(String, Candidate)> = Vec::new();
    for c in candidates {
        let id = record_id(&c);
        if let Some((file, old)) = existing.get(&id) {
            out.already_imported += 1;
            if let Some(diff) = difference(&c, old) {
                out.notes.push(format!(
                    "{}: already imported as `{id}` in {file}, but {diff}; the file was left \
                     as it is: correct the record there if the sheet is right",
                    c.place(None)
                ));
            }
            continue;
        }
        if let Some(first) = seen.get(&id) {
            let what = if c.document_text.is_some() {
                "has the same document, date, supplier, receiver and commodity as"
            } else {
                "repeats"
            };
            out.problems.push(c.place(None).error(
                &shown,
                "duplicate-id",
                format!("this row {what} row {first}"),
                "remove the repeated row; if both are real deliveries, tell them apart with \
                 a document number or a note",
            ));
            continue;
        }
        seen.insert(id.clone(), c.row);
        fresh.push((id, c));
    }

    // Where the records go.
    let target = match &opts.into {
        Some(into) => into_target(&opts.site, &shipments_dir, into)?,
        None => latest.map(|d| format!("{shipments_dir}/imported-{d}.yaml")),
    };
    let Some(target) = target else {
        out.invalid_rows = count_rows(&out.problems);
        return Ok(out);
    };
    // Read under the loader's checks: a link in place of the target is refused, not copied in.
    let missing = std::fs::symlink_metadata(opts.site.join(&target))
        .is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound);
    let existing_text = if missing {
        String::new()
    } else {
        match load::read_text(&opts.site, &target, &loaded.limits) {
            Ok(t) => t,
            Err(d) => {
                let mut diags = Diagnostics::default();
                diags.push(d);
                return Err(site_failure(diags, sources));
            }
        }
    };
    let base = base_text(&existing_text);
    let base_lines = base.lines().count() as u32;

    // Check the would-be file with the site, leaving out rows with errors until none are left.
    let mut invalid_rows: BTreeSet<(Option<String>, u32)> = out
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .map(row_of)
        .collect();
    if !invalid_rows.is_empty() && !opts.skip_invalid {
        // The other rows are still checked so every problem is reported at once.
        fresh.retain(|(_, c)| !invalid_rows.contains(&(c.sheet.clone(), c.row)));
    }
    let mut rendered;
    loop {
        fresh.retain(|(_, c)| !invalid_rows.contains(&(c.sheet.clone(), c.row)));
        rendered = render(&file_name, &fresh, base_lines);
        let text = format!("{base}{}", rendered.text);
        let diags = check_with(&mut loaded, index, &target, &text, &load_diags);
        let mut site_errors = Diagnostics::default();
        let mut new_problems = Vec::new();
        for d in diags.items() {
            match (d.file == target && d.line > base_lines)
                .then(|| rendered.locate(d.line))
                .flatten()
            {
                Some((i, field)) => {
                    new_problems.push(problem(&shown, &fresh[i].1, field, d, &lookup))
                }
                None if d.severity == Severity::Error => site_errors.push(d.clone()),
                None => {}
            }
        }
        if site_errors.has_errors() {
            return Err(site_failure(site_errors, sources));
        }
        let bad: BTreeSet<_> = new_problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .map(row_of)
            .collect();
        out.problems.extend(new_problems);
        if bad.is_empty() || !opts.skip_invalid {
            invalid_rows.extend(bad);
            break;
        }
        invalid_rows.extend(bad);
    }
    sort_problems(&mut out.problems);
    out.invalid_rows = invalid_rows.len();
    if !invalid_rows.is_empty() && !opts.skip_invalid {
        out.target = Some(target);
        return Ok(out);
    }
    out.added = fresh.len();
    out.appended = rendered.text.clone();
    out.target = Some(target.clone());
    if fresh.is_empty() || opts.dry_run {
        return Ok(out);
    }
    say(&format!("writing {target}"));
    let text = format!("{base}{}", rendered.text);
    let path = opts.site.join(&target);
    path.parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| crate::atomic::write(&path, text.as_bytes(), Durability::PowerLoss))
        .map_err(|e| ImportError::Invalid(format!("cannot write {target}: {e}")))?;
    out.written = true;
    Ok(out)
}

/// The sheet and row of a finding about a spreadsheet.
fn row_of(d: &Diagnostic) -> (Option<String>, u32) {
    (d.cell.as_ref().and_then(|c| c.sheet.clone()), d.line)
}

fn count_rows(problems: &[Diagnostic]) -> usize {
    problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .map(row_of)
        .collect::<BTreeSet<_>>()
        .len()
}

fn sort_problems(problems: &mut [Diagnostic]) {
    // Sheets in workbook order are already grouped; rows ascending inside each.
    problems.sort_by_key(|p| p.line);
    let sheet = |p: &Diagnostic| p.cell.as_ref().and_then(|c| c.sheet.clone());
    let mut order: Vec<Option<String>> = Vec::new();
    for p in problems.iter() {
        if !order.contains(&sheet(p)) {
            order.push(sheet(p));
        }
    }
    problems.sort_by_key(|p| order.iter().position(|s| *s == sheet(p)));
}

/// The existing file's text, ready for records to follow: a final newline, and a lone `[]`
/// (an empty list) removed.
fn base_text(existing: &str) -> String {
    let mut lines: Vec<&str> = existing.lines().collect();
    let content: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| {
            let t = l.trim();
            !t.is_empty() && !t.starts_with('#')
        })
        .map(|(i, _)| i)
        .collect();
    if let [only] = content.as_slice()
        && lines[*only].trim() == "[]"
    {
        lines.remove(*only);
    }
    let mut text = lines.join("\n");
    if !text.is_empty() {
        text.push('\n');
    }
    text
}

/// `--into FILE`: a bare file name goes in the agreement's `shipments/` folder; a path must
/// lie inside it, so `check` and `build` read the records.
fn into_target(
    site: &Path,
    shipments_dir: &str,
    into: &Path,
) -> Result<Option<String>, ImportError> {
    let usage = |why: &str| ImportError::Usage(format!("--into {}: {why}", into.display()));
    let name_ok = into.extension().is_some_and(|e| e == "yaml" || e == "yml");
    if !name_ok {
        return Err(usage("the file name must end in .yaml or .yml"));
    }
    let bare = into.parent().is_none_or(|p| p.as_os_str().is_empty());
    if bare {
        return Ok(Some(format!("{shipments_dir}/{}", into.to_string_lossy())));
    }
    let abs = |p: &Path| std::path::absolute(p).map(|p| crate::normalize(&p));
    let dir = abs(&site.join(shipments_dir)).map_err(|e| usage(&e.to_string()))?;
    let file = abs(into).map_err(|e| usage(&e.to_string()))?;
    match file.strip_prefix(&dir) {
        Ok(rest) if !rest.as_os_str().is_empty() => {
            let rest: Vec<String> = rest
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            Ok(Some(format!("{shipments_dir}/{}", rest.join("/"))))
        }
        _ => Err(usage(&format!(
            "the file must be inside {} so that check and build read it",
            site.join(shipments_dir).display()
        ))),
    }
}

/// Validates the site with `text` as the content of `target` (replacing the file on disk).
fn check_with(
    loaded: &mut load::Loaded,
    index: usize,
    target: &str,
    text: &str,
    load_diags: &Diagnostics,
) -> Diagnostics {
    let mut diags = Diagnostics::default();
    for d in load_diags.items().iter().filter(|d| d.file != target) {
        diags.push(d.clone());
    }
    let files = &mut loaded.agreements[index].shipment_files;
    files.retain(|f| f.file != target);
    let parsed = if text.trim().is_empty() {
        Ok(None)
    } else {
        load::yaml::parse::<Option<Vec<Loc<raw::Shipment>>>>(target, text, 0)
    };
    match parsed {
        Ok(records) => files.push(ShipmentFile {
            file: target.to_string(),
            records: records.unwrap_or_default(),
        }),
        Err(d) => diags.push(d),
    }
    validate::validate(loaded, &mut diags);
    diags.sort();
    diags
}

/// Moves a finding on a rendered line of the shipments file to the row's cell in `file`.
fn problem(
    file: &str,
    c: &Candidate,
    field: Option<Field>,
    d: &Diagnostic,
    lookup: &rows::Lookup,
) -> Diagnostic {
    let mut hint = d.hint.clone();
    if d.code == "unknown-reference" {
        let names = match field {
            Some(Field::From) => Some(&lookup.participants),
            Some(Field::To) => Some(&lookup.offtakers),
            Some(Field::Commodity) => Some(&lookup.commodities),
            _ => None,
        };
        if let Some(n) = names {
            hint = Some(
                format!(
                    "write the id or the name of a {} declared in agreement.yaml; {}",
                    n.kind(),
                    hint.unwrap_or_default()
                )
                .into(),
            );
        }
    }
    let place = c.place(field);
    let pos = place.pos();
    Diagnostic {
        file: file.to_string(),
        line: pos.line,
        column: pos.column,
        hint,
        cell: Some(Box::new(place.cell())),
        ..d.clone()
    }
}

/// Stable ids, so that importing the same sheet twice adds nothing. With a document number
/// the id is that number plus a hash of the delivery (date, supplier, receiver, commodity),
/// so a row corrected later (another quantity) is still recognized; without one it is the
/// date and commodity plus a hash of every value.
fn record_id(c: &Candidate) -> String {
    match &c.document_text {
        Some(doc) => {
            let key = [
                parse::name_key(doc),
                c.date.to_string(),
                c.from.clone(),
                c.to.clone().unwrap_or_default(),
                c.commodity.clone(),
            ];
            let mut slug = slug(doc);
            if slug.is_empty() {
                slug = "dokumen".into();
            }
            slug.truncate(40);
            format!("{}-{}", slug.trim_end_matches('-'), hash(&key))
        }
        None => {
            let key = [
                c.date.to_string(),
                c.from.clone(),
                c.to.clone().unwrap_or_default(),
                c.commodity.clone(),
                c.quantity.normalize().to_string(),
                c.unit.clone(),
                c.status.unwrap_or("").to_string(),
                c.verification.unwrap_or("").to_string(),
                c.sources.join(","),
                c.value_idr
                    .map(|v| v.normalize().to_string())
                    .unwrap_or_default(),
                c.note.clone().unwrap_or_default(),
            ];
            let mut commodity = slug(&c.commodity);
            commodity.truncate(24);
            format!(
                "{}-{}-{}",
                c.date,
                commodity.trim_end_matches('-'),
                hash(&key)
            )
        }
    }
}

/// Lowercase ASCII letters, digits and single `-`.
fn slug(s: &str) -> String {
    let mut out = String::new();
    for ch in s.chars() {
        if ch.is_ascii_alphanumeric() {
            out.push(ch.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// FNV-1a (64 bit) of the fields, shown as 8 hex digits: short, stable across platforms and
/// releases, and plenty to tell apart the rows of one agreement.
fn hash(fields: &[String]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            h ^= 0x1f;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        for b in f.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{:08x}", (h >> 32) ^ (h & 0xffff_ffff))
}

/// How an already imported record differs from the row with the same id, if it does.
fn difference(c: &Candidate, old: &raw::Shipment) -> Option<String> {
    let old_quantity = validate::values::parse_decimal(&old.quantity.value.0);
    let same_quantity = old_quantity.map(|q| q.normalize()) == Some(c.quantity.normalize())
        && old.unit.value.trim() == c.unit;
    if !same_quantity {
        return Some(format!(
            "the quantity differs (sheet: {} {}, file: {} {})",
            c.quantity.normalize(),
            c.unit,
            old.quantity.value.0,
            old.unit.value
        ));
    }
    let old_status = old.status.map(|s| s.code()).unwrap_or("shipped");
    if old_status != c.status.unwrap_or("shipped") {
        return Some(format!(
            "the status differs (sheet: {}, file: {old_status})",
            c.status.unwrap_or("shipped")
        ));
    }
    None
}

/// YAML text of the new records, and which line holds which row's field.
struct Rendered {
    text: String,
    /// (first line, last line, candidate index, field per line from the first).
    blocks: Vec<(u32, u32, usize, Vec<Option<Field>>)>,
}

impl Rendered {
    fn locate(&self, line: u32) -> Option<(usize, Option<Field>)> {
        self.blocks
            .iter()
            .find(|(first, last, ..)| (*first..=*last).contains(&line))
            .map(|(first, _, i, fields)| (*i, fields[(line - first) as usize]))
    }
}

fn render(file: &str, fresh: &[(String, Candidate)], base_lines: u32) -> Rendered {
    let mut w = Lines {
        text: String::new(),
        line: base_lines,
    };
    let mut blocks = Vec::new();
    if fresh.is_empty() {
        return Rendered {
            text: w.text,
            blocks,
        };
    }
    let mut sheets: Vec<&str> = Vec::new();
    for name in fresh.iter().filter_map(|(_, c)| c.sheet.as_deref()) {
        if !sheets.contains(&name) {
            sheets.push(name);
        }
    }
    let from = match sheets.len() {
        0 => file.to_string(),
        1 => format!("{file} (sheet {})", sheets[0]),
        _ => format!("{file} (sheets {})", sheets.join(", ")),
    };
    if base_lines > 0 {
        w.push(String::new());
    }
    w.push(format!(
        "# Diimpor dari / imported from {}",
        one_line(&from)
    ));
    for (i, (id, c)) in fresh.iter().enumerate() {
        w.push(format!(
            "# {}: {}",
            one_line(file),
            one_line(&c.place(None).to_string())
        ));
        let mut fields = vec![None];
        let first = w.push(format!("- id: {}", scalar(id)));
        let mut field = |w: &mut Lines, f: Field, s: String| {
            fields.push(Some(f));
            w.push(s)
        };
        field(&mut w, Field::Date, format!("  date: {}", c.date));
        field(&mut w, Field::From, format!("  from: {}", scalar(&c.from)));
        if let Some(to) = &c.to {
            field(&mut w, Field::To, format!("  to: {}", scalar(to)));
        }
        field(
            &mut w,
            Field::Commodity,
            format!("  commodity: {}", scalar(&c.commodity)),
        );
        field(
            &mut w,
            Field::Quantity,
            format!("  quantity: {}", c.quantity.normalize()),
        );
        field(&mut w, Field::Unit, format!("  unit: {}", scalar(&c.unit)));
        if let Some(s) = c.status {
            field(&mut w, Field::Status, format!("  status: {s}"));
        }
        if let Some(v) = c.verification {
            field(&mut w, Field::Verification, format!("  verification: {v}"));
        }
        if !c.sources.is_empty() {
            let list: Vec<String> = c.sources.iter().map(|s| scalar(s)).collect();
            field(
                &mut w,
                Field::Sources,
                format!("  sources: [{}]", list.join(", ")),
            );
        }
        if let Some(d) = &c.document {
            field(
                &mut w,
                Field::Document,
                format!("  document: {}", scalar(d)),
            );
        }
        if let Some(v) = c.value_idr {
            field(
                &mut w,
                Field::Value,
                format!("  value_idr: {}", v.normalize()),
            );
        }
        if let Some(n) = &c.note {
            field(&mut w, Field::Note, format!("  note: {}", quoted(n)));
        }
        blocks.push((first, w.line, i, fields));
    }
    Rendered {
        text: w.text,
        blocks,
    }
}

/// Text being written line by line, counting 1-based line numbers of the whole file.
struct Lines {
    text: String,
    line: u32,
}

impl Lines {
    /// Appends a line; returns its number.
    fn push(&mut self, s: String) -> u32 {
        self.text.push_str(&s);
        self.text.push('\n');
        self.line += 1;
        self.line
    }
}

/// A plain scalar when it is an unambiguous id, else a double-quoted string.
fn scalar(s: &str) -> String {
    // Letters and a dash or a leading letter: never read as a number, date or boolean.
    let plain = s.bytes().any(|b| b.is_ascii_lowercase())
        && (s.contains('-') || s.bytes().next().is_some_and(|b| b.is_ascii_lowercase()))
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !matches!(
            s,
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n"
        );
    if plain { s.to_string() } else { quoted(s) }
}

fn quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// `sinergi import`: runs the import and prints what happened: notes and the summary on the
/// terminal, the findings about the rows in `format` (JSON and GitHub on stdout, like `check`).
/// Rows with errors fail it unless `--skip-invalid` left them out; those are then warnings.
pub fn command(opts: &ImportOptions, format: Format) -> Result<(), ImportError> {
    let file = opts.file.display().to_string();
    let out = run(opts).inspect_err(|e| {
        // The site's own errors in the format asked for; the error says why nothing was done.
        if let (ImportError::Site(d), Format::Json | Format::Github) = (e, format) {
            print!("{}", diagnostics::render(d, format));
        }
    })?;
    let failed = out.has_errors() && !opts.skip_invalid;
    let mut findings = Diagnostics::default();
    for d in &out.problems {
        findings.push(match d.severity {
            Severity::Error if opts.skip_invalid => Diagnostic {
                severity: Severity::Warning,
                message: format!("row left out: {}", d.message),
                ..d.clone()
            },
            _ => d.clone(),
        });
    }
    for n in &out.notes {
        eprintln!("note: {file}: {}", clean(n));
    }
    let shown = diagnostics::render(&findings, format);
    match format {
        Format::Human => eprint!("{shown}"),
        Format::Json | Format::Github => print!("{shown}"),
    }
    let machine = format != Format::Human;
    if opts.dry_run && out.added > 0 && !machine {
        if let Some(t) = &out.target {
            println!("# would append to {t}:");
        }
        print!("{}", out.appended);
    }
    let wrote = out
        .target
        .as_ref()
        .filter(|_| out.written)
        .map(|t| format!("wrote {} to {t}", plural(out.added, "record", "records")));
    let line = summary(&out, opts, failed);
    // stdout holds only the findings when they are for a machine.
    if failed || machine {
        for l in wrote.iter().chain([&line]) {
            eprintln!("{l}");
        }
    } else {
        for l in wrote.iter().chain([&line]) {
            println!("{l}");
        }
    }
    if failed {
        return Err(ImportError::Rejected {
            errors: findings.errors(),
            warnings: findings.warnings(),
        });
    }
    Ok(())
}

fn summary(out: &Outcome, opts: &ImportOptions, failed: bool) -> String {
    let rest = format!(
        "skipped {} already imported, {} invalid",
        out.already_imported, out.invalid_rows
    );
    if failed {
        format!(
            "added 0 records, {rest}: nothing was written; fix the rows above, or leave them \
             out with --skip-invalid"
        )
    } else if opts.dry_run {
        format!(
            "dry run: would add {}, {rest}; nothing was written",
            plural(out.added, "record", "records")
        )
    } else {
        format!("added {}, {rest}", plural(out.added, "record", "records"))
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Terminal output never carries control characters from the spreadsheet.
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_slugs_and_stable() {
        assert_eq!(slug("SJ/015/VI/2022"), "sj-015-vi-2022");
        assert_eq!(slug("  --Dok. 7  "), "dok-7");
        assert_eq!(
            hash(&["a".into(), "b".into()]),
            hash(&["a".into(), "b".into()])
        );
        assert_ne!(
            hash(&["ab".into(), "".into()]),
            hash(&["a".into(), "b".into()])
        );
        assert_eq!(hash(&[]).len(), 8);
    }

    #[test]
    fn scalars_are_quoted_unless_plain_ids() {
        assert_eq!(scalar("pt-suj"), "pt-suj");
        assert_eq!(scalar("PT SUJ"), "\"PT SUJ\"");
        assert_eq!(scalar("no"), "\"no\"");
        assert_eq!(scalar("2022"), "\"2022\"");
        assert_eq!(scalar("1e5"), "\"1e5\"");
        assert_eq!(
            scalar("2022-06-10-telur-0a1b2c3d"),
            "2022-06-10-telur-0a1b2c3d"
        );
        assert_eq!(quoted("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
    }

    #[test]
    fn base_text_drops_a_lone_empty_list() {
        assert_eq!(base_text("# kosong\n[]\n"), "# kosong\n");
        assert_eq!(base_text("- id: a\n  x: 1"), "- id: a\n  x: 1\n");
        assert_eq!(base_text(""), "");
    }
}
