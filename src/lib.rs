//! sinergi: static, bilingual transparency reports for inter-regional cooperation agreements.
//!
//! The pipeline runs one way: [`load`] files -> [`validate`] into the [`model`] ->
//! [`figures`] -> rendered pages in memory -> atomic write.

pub mod atomic;
pub mod charts;
pub mod diagnostics;
pub mod error;
pub mod figures;
pub mod fuzzing;
pub mod history;
pub mod import;
pub mod load;
pub mod locale;
pub mod model;
pub mod output;
pub mod pdf;
pub mod preview;
pub mod progress;
pub mod render;
pub mod scaffold;
pub mod schema;
pub mod serve;
pub mod synthetic;
pub mod theme;
pub mod validate;
pub mod xml;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use diagnostics::Diagnostics;
pub use error::{BuildError, PdfError};
use model::Site;

/// The outcome of loading and checking a site: the model when it could be built, each
/// agreement's totals, and every finding.
pub struct Checked {
    pub site: Option<Site>,
    /// The limits the site's files were read under.
    pub limits: load::limits::Limits,
    pub figures: Vec<model::Totals>,
    pub diagnostics: Diagnostics,
    /// How long each phase took, in order (shown by `build -v`).
    pub timings: Vec<(&'static str, Duration)>,
}

impl Checked {
    /// `1 agreement, 14 shipment records, 4 commodities`.
    pub fn summary(&self) -> String {
        let (mut agreements, mut records, mut commodities) = (0, 0, 0);
        if let Some(site) = &self.site {
            agreements = site.agreements.len();
            for a in &site.agreements {
                records += a.record_count();
                commodities += a.commodities.len();
            }
        }
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        format!(
            "{}, {}, {}",
            plural(agreements, "agreement", "agreements"),
            plural(records, "shipment record", "shipment records"),
            plural(commodities, "commodity", "commodities")
        )
    }
}

/// Loads the site in `root`, every record included, and runs every check.
pub fn check(root: &Path) -> Checked {
    check_with(root, &load::Reading::All)
}

/// Loads the site in `root` and runs every check (what `sinergi check` does). With
/// [`load::Reading::Changed`], agreements whose records are unchanged since a check kept what
/// the site's pages need of them (see [`load::records_cache`]) come without their records:
/// the findings and figures are the same, only the records themselves are missing.
pub fn check_with(root: &Path, reading: &load::Reading) -> Checked {
    let started = Instant::now();
    let mut diagnostics = Diagnostics::default();
    // Each agreement is checked as soon as it is read: its raw records are let go then.
    let mut loaded = load::load_each(root, &mut diagnostics, reading, validate::check_agreement);
    let (sources, limits) = (std::mem::take(&mut loaded.sources), loaded.limits);
    let loaded_at = Instant::now();
    let site = validate::validate_checked(loaded, &mut diagnostics);
    let figures = site.as_ref().map(figures::site).unwrap_or_default();
    if let Some(site) = &site {
        diagnostics.extend(figures::warnings(site, &figures));
        if !diagnostics.has_errors() {
            keep_records(root, site, &figures, &diagnostics);
        }
    }
    diagnostics.sort();
    sources.quote(root, &limits, &mut diagnostics);
    Checked {
        site,
        limits,
        figures,
        diagnostics,
        timings: vec![
            ("load", loaded_at - started),
            ("check and figures", loaded_at.elapsed()),
        ],
    }
}

/// Stores in the records cache what the site's pages need of each agreement's records that
/// were read and have no finding (so that leaving them unread loses none).
fn keep_records(root: &Path, site: &Site, figures: &[model::Totals], found: &Diagnostics) {
    use rayon::prelude::*;
    let cache = load::records_cache::RecordsCache::new(root);
    let with_findings: std::collections::BTreeSet<&str> = found
        .items()
        .iter()
        .filter_map(|d| d.file.strip_prefix("content/agreements/"))
        .filter_map(|rest| rest.split_once("/shipments/"))
        .map(|(slug, _)| slug)
        .collect();
    site.agreements
        .par_iter()
        .zip(figures)
        .filter(|(a, _)| a.read().is_some() && !with_findings.contains(a.slug.as_str()))
        .for_each(|(a, f)| cache.put(a.records_digest, a.record_count(), a.latest(), f));
}

/// What `sinergi build` did.
#[derive(Debug)]
pub struct BuildReport {
    pub summary: String,
    pub warnings: Diagnostics,
    pub pages: usize,
    pub files: usize,
    /// Agreements not rendered again: unchanged, their files in place.
    pub agreements_kept: usize,
    /// Agreements whose shipment records were not read: unchanged, and not rendered again.
    pub records_unread: usize,
    pub write: output::WriteReport,
    /// How long each phase took, in order.
    pub timings: Vec<(&'static str, Duration)>,
}

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Default: `<site>/output`.
    pub out: Option<PathBuf>,
    pub base_url: Option<String>,
    /// Seconds since 1970 (`SOURCE_DATE_EPOCH`): the build date shown in footers.
    pub source_date_epoch: Option<i64>,
    /// Show what the work tree changes in the committed data, as a revision not yet committed
    /// (`serve`); a build publishes committed data only.
    pub uncommitted: bool,
}

/// A checked site ready to render: the model, its figures, the theme and the options.
struct Prepared {
    checked: Checked,
    theme: theme::Theme,
    options: render::RenderOptions,
}

fn prepare(
    root: &Path,
    options: &BuildOptions,
    reading: &load::Reading,
) -> Result<Prepared, BuildError> {
    let mut checked = check_with(root, reading);
    if checked.site.is_none() || checked.diagnostics.has_errors() {
        return Err(BuildError::Invalid(checked.diagnostics));
    }
    let site = checked.site.as_ref().expect("checked above");
    if let Some(url) = options
        .base_url
        .as_ref()
        .filter(|u| !validate::values::is_http_url(u))
    {
        return Err(BuildError::Option(format!(
            "--base-url `{url}` is not an http(s) URL"
        )));
    }
    let mut theme_diags = Diagnostics::default();
    let theme = theme::load(root, &site.languages, &mut theme_diags);
    if theme_diags.has_errors() {
        theme_diags.sort();
        return Err(BuildError::Invalid(theme_diags));
    }
    checked.diagnostics.extend(theme_diags);
    read_history(root, &mut checked, options.uncommitted);
    let options = render::RenderOptions {
        base_url: options
            .base_url
            .as_ref()
            .map(|u| u.trim_end_matches('/').to_string() + "/"),
        build_date: options
            .source_date_epoch
            .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
            .map(|t| t.date_naive()),
    };
    Ok(Prepared {
        checked,
        theme,
        options,
    })
}

/// What `sinergi check` adds to [`check_with`] when the site has no errors: the warnings of
/// its git history (`history-truncated`, `history-unreadable`), read as `build` reads them.
/// The history computed is kept in the cache, so the build after a check reads it again only
/// for the commits made since.
pub fn check_history(root: &Path, checked: &mut Checked) {
    if !checked.diagnostics.has_errors() {
        read_history(root, checked, false);
    }
}

/// Reads the revisions of the site's git history into the site, unless site.yaml turns it
/// off, and with `uncommitted` what the work tree changes in them; its warnings (a shallow
/// clone) join the site's.
fn read_history(root: &Path, checked: &mut Checked, uncommitted: bool) {
    let started = Instant::now();
    let Some(site) = checked.site.as_mut().filter(|s| s.history_options.enabled) else {
        return;
    };
    let settings = history::Settings {
        limits: checked.limits,
        default_language: &site.languages[0],
        authors: site.history_options.authors,
    };
    let (history, warnings) = history::read(root, &settings);
    if let Some(h) = history.as_ref().filter(|_| uncommitted) {
        site.uncommitted = history::pending::read(root, h, &settings);
    }
    site.history = history.map(std::sync::Arc::new);
    for w in warnings {
        checked.diagnostics.push(w);
    }
    checked.diagnostics.sort();
    checked.timings.push(("history", started.elapsed()));
}

/// Checks the site reading only the records that changed, plans the render with `kept` (a
/// unit's files at hand, so that it need not be rendered) and hands the plan to `then`. An
/// agreement that must be rendered but came without its records is read in full, and the site
/// checked again, until every unit to render has what it is made from. Gives back `then`'s
/// result and the prepared site.
fn with_plan<K: Send, R>(
    root: &Path,
    options: &BuildOptions,
    kept: impl Fn(&render::Unit) -> Option<K> + Sync,
    then: impl FnOnce(&Prepared, &render::Renderer, Vec<render::Step<'_, K>>) -> Result<R, BuildError>,
) -> Result<(R, Prepared), BuildError> {
    let mut reading = load::Reading::changed();
    loop {
        let prepared = prepare(root, options, &reading)?;
        let site = prepared.checked.site.as_ref().expect("prepared");
        let renderer = render::Renderer::new(
            site,
            &prepared.checked.figures,
            &prepared.theme,
            &prepared.options,
        )
        .map_err(BuildError::Invalid)?;
        // Each round reads the agreements it names (none of which was read this round), so
        // the rounds end; the second is the last unless files change meanwhile.
        match renderer.plan(&kept) {
            Ok(steps) => {
                let result = then(&prepared, &renderer, steps)?;
                drop(renderer);
                return Ok((result, prepared));
            }
            Err(render::Unread(slugs)) => reading.read_also(slugs),
        }
    }
}

/// Renders the site in memory; returns every output file, or the findings that stop it.
/// Agreements whose fingerprint `memo` holds are not rendered again; `memo` is updated.
pub fn render_site(
    root: &Path,
    options: &BuildOptions,
    memo: &mut render::Memo,
) -> Result<(render::SharedFiles, Checked), BuildError> {
    let render_started = Instant::now();
    let ((files, next), prepared) = with_plan(
        root,
        options,
        |u| render::remembered(memo, u),
        |_, renderer, steps| render::render(renderer, steps).map_err(BuildError::Invalid),
    )?;
    *memo = next;
    let mut checked = prepared.checked;
    checked.timings.push(("render", render_started.elapsed()));
    Ok((files, checked))
}

/// Checks, renders and writes the site (what `sinergi build` does). Units are rendered in
/// parallel and staged as they come; an agreement whose fingerprint the output folder's
/// manifest already holds is not rendered again. Nothing in the output changes when any error
/// is found.
pub fn build(root: &Path, options: &BuildOptions) -> Result<BuildReport, BuildError> {
    build_site(root, options).map(|(report, _)| report)
}

/// [`build`], also giving back the model the site was built from.
fn build_site(root: &Path, options: &BuildOptions) -> Result<(BuildReport, Site), BuildError> {
    let out = options.out.clone().unwrap_or_else(|| root.join("output"));
    refuse_overlap(root, &out)?;
    let previous = output::Previous::read(&out);
    let (report, prepared) = with_plan(
        root,
        options,
        |u| previous.as_ref().ok()?.kept(&u.key, u.fingerprint),
        |prepared, renderer, steps| {
            let previous = previous
                .as_ref()
                .map_err(|e| BuildError::of_write(e.clone()))?;
            write_site(prepared, renderer, steps, previous)
        },
    )?;
    Ok((report, prepared.checked.site.expect("prepared")))
}

/// Renders and stages the units `steps` say, then moves them into place over `previous`.
fn write_site(
    prepared: &Prepared,
    renderer: &render::Renderer,
    steps: Vec<render::Step<'_, output::Staged>>,
    previous: &output::Previous,
) -> Result<BuildReport, BuildError> {
    use rayon::prelude::*;
    let checked = &prepared.checked;
    let site = checked.site.as_ref().expect("prepared");
    let render_started = Instant::now();
    let writer = output::Writer::open(previous).map_err(BuildError::of_write)?;
    let staged: Vec<Result<output::Staged, BuildError>> = steps
        .into_par_iter()
        .map(|step| match step {
            render::Step::Keep { kept, .. } => Ok(kept),
            render::Step::Render(job) => {
                let files = renderer.render(&job).map_err(BuildError::Invalid)?;
                writer
                    .stage(&job.unit.key, job.unit.fingerprint, files)
                    .map_err(BuildError::of_write)
            }
        })
        .collect();
    let mut units = Vec::with_capacity(staged.len());
    let mut findings = Diagnostics::default();
    let mut failure = None;
    for s in staged {
        match s {
            Ok(u) => units.push(u),
            Err(BuildError::Invalid(d)) => findings.extend(d),
            Err(e) => failure = failure.or(Some(e)),
        }
    }
    let failure = if findings.has_errors() {
        findings.sort();
        Some(BuildError::Invalid(findings))
    } else {
        failure
    };
    let assets = renderer.assets(
        units
            .iter()
            .flat_map(|u| u.entry.files.iter().map(|f| f.path.as_str())),
    );
    let assets = match failure {
        Some(e) => Err(e),
        None => writer
            .stage("assets", 0, assets)
            .map_err(BuildError::of_write),
    };
    match assets {
        Ok(a) => units.push(a),
        Err(e) => {
            writer.abandon();
            return Err(e);
        }
    }
    let mut timings = checked.timings.clone();
    timings.push(("render and stage", render_started.elapsed()));
    let commit_started = Instant::now();
    let pages = units
        .iter()
        .flat_map(|u| &u.entry.files)
        .filter(|f| f.path.ends_with(".html"))
        .count();
    let files = units.iter().map(|u| u.entry.files.len()).sum();
    let agreements_kept = units
        .iter()
        .filter(|u| u.skipped && u.key.starts_with("agreement/"))
        .count();
    let write = writer.commit(units).map_err(BuildError::of_write)?;
    timings.push(("commit", commit_started.elapsed()));
    let report = BuildReport {
        timings,
        summary: checked.summary(),
        warnings: checked.diagnostics.clone(),
        pages,
        files,
        agreements_kept,
        records_unread: site
            .agreements
            .iter()
            .filter(|a| a.read().is_none())
            .count(),
        write,
    };
    Ok(report)
}

/// What `sinergi pdf` prints.
#[derive(Debug, Clone, Default)]
pub struct PdfOptions {
    pub build: BuildOptions,
    /// One agreement; default: every agreement.
    pub agreement: Option<String>,
    /// The PDF file (only with one agreement); default `<out>/agreements/<slug>/report.pdf`.
    pub file: Option<PathBuf>,
    /// Report language; default: the site's first language.
    pub lang: Option<String>,
}

/// Builds the site, then prints each selected agreement's report to PDF with the installed
/// browser. Returns the PDF files written.
pub fn pdf(root: &Path, options: &PdfOptions) -> Result<Vec<PathBuf>, PdfError> {
    let browser = pdf::find_browser().map_err(PdfError::NoBrowser)?;
    let out = options
        .build
        .out
        .clone()
        .unwrap_or_else(|| root.join("output"));
    refuse_overlap(root, &out)?;
    let (_, site) = build_site(root, &options.build)?;
    let lang = options
        .lang
        .clone()
        .unwrap_or_else(|| site.default_language().to_string());
    if !site.languages.contains(&lang) {
        return Err(PdfError::Usage(format!(
            "`{lang}` is not one of the site's languages ({})",
            site.languages.join(", ")
        )));
    }
    let slugs: Vec<&str> = match &options.agreement {
        Some(slug) if site.agreements.iter().any(|a| &a.slug == slug) => vec![slug.as_str()],
        Some(slug) => {
            let known: Vec<&str> = site.agreements.iter().map(|a| a.slug.as_str()).collect();
            return Err(PdfError::Usage(format!(
                "there is no agreement `{slug}`; the site has: {}",
                known.join(", ")
            )));
        }
        None => site.agreements.iter().map(|a| a.slug.as_str()).collect(),
    };
    if options.file.is_some() && slugs.len() != 1 {
        return Err(PdfError::Usage(
            "--out names one PDF file; choose the report with --agreement SLUG".into(),
        ));
    }
    let mut written = Vec::new();
    for slug in slugs {
        let page = render::localized(
            &site,
            &lang,
            &format!("agreements/{slug}/report/index.html"),
        );
        let target = options.file.clone().unwrap_or_else(|| {
            out.join(render::localized(
                &site,
                &lang,
                &format!("agreements/{slug}/report.pdf"),
            ))
        });
        let report = out.join(page);
        pdf::print_report(&browser, &report, &target)
            .map_err(|why| PdfError::Print { report, why })?;
        written.push(target);
    }
    Ok(written)
}

/// `--out` may not be the site folder, hold it, or lie inside `content/`, `templates/`,
/// `static/` or `i18n/`.
fn refuse_overlap(root: &Path, out: &Path) -> Result<(), BuildError> {
    let abs = |p: &Path| {
        std::path::absolute(p)
            .map(|p| normalize(&p))
            .unwrap_or_else(|_| p.to_path_buf())
    };
    let (root, out) = (abs(root), abs(out));
    let inputs = ["content", "templates", "static", "i18n"].map(|d| root.join(d));
    if root.starts_with(&out) || inputs.iter().any(|i| out.starts_with(i)) {
        return Err(BuildError::Option(format!(
            "--out {} would overwrite the site's own files; choose a folder outside content/, \
             templates/, static/ and i18n/ (the default is <site>/output)",
            out.display()
        )));
    }
    Ok(())
}

/// Removes `.` and resolves `..` lexically.
pub fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}
