//! sinergi: static, bilingual transparency reports for inter-regional cooperation agreements.
//!
//! The pipeline runs one way: [`load`] files -> [`validate`] into the [`model`] ->
//! [`figures`] -> rendered pages in memory -> atomic write.

pub mod charts;
pub mod diagnostics;
pub mod figures;
pub mod import;
pub mod load;
pub mod locale;
pub mod model;
pub mod output;
pub mod pdf;
pub mod progress;
pub mod render;
pub mod scaffold;
pub mod schema;
pub mod serve;
pub mod synthetic;
pub mod theme;
pub mod validate;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use diagnostics::Diagnostics;
use figures::AgreementFigures;
use model::Site;

/// The outcome of loading and checking a site: the model when it could be built, its figures,
/// and every finding.
pub struct Checked {
    pub site: Option<Site>,
    pub figures: Vec<AgreementFigures>,
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
                records += a.shipments.len();
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

/// Loads the site in `root` and runs every check (what `sinergi check` does).
pub fn check(root: &Path) -> Checked {
    let started = Instant::now();
    let mut diagnostics = Diagnostics::default();
    let loaded = load::load(root, &mut diagnostics);
    let loaded_at = Instant::now();
    let site = validate::validate(&loaded, &mut diagnostics);
    let figures = site.as_ref().map(figures::site).unwrap_or_default();
    if let Some(site) = &site {
        diagnostics.extend(figures::warnings(site, &figures));
    }
    diagnostics.sort();
    Checked {
        site,
        figures,
        diagnostics,
        timings: vec![
            ("load", loaded_at - started),
            ("check and figures", loaded_at.elapsed()),
        ],
    }
}

/// What `sinergi build` did.
#[derive(Debug)]
pub struct BuildReport {
    pub summary: String,
    pub warnings: Diagnostics,
    pub pages: usize,
    pub files: usize,
    pub write: output::WriteReport,
    /// How long each phase took, in order.
    pub timings: Vec<(&'static str, Duration)>,
}

/// Why a build wrote nothing.
#[derive(Debug)]
pub enum BuildError {
    /// The data or templates are wrong; every finding is listed.
    Invalid(Diagnostics),
    /// The output folder cannot be used; nothing was written.
    Output(String),
    /// Writing stopped part-way (e.g. a full disk): each file is whole, old or new.
    Write(String),
}

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Default: `<site>/output`.
    pub out: Option<PathBuf>,
    pub base_url: Option<String>,
    /// Seconds since 1970 (`SOURCE_DATE_EPOCH`): the build date shown in footers.
    pub source_date_epoch: Option<i64>,
}

/// Renders the site in memory; returns every output file, or the findings that stop it.
pub fn render_site(
    root: &Path,
    options: &BuildOptions,
) -> Result<(render::Files, Checked), BuildError> {
    let mut checked = check(root);
    let Some(site) = checked
        .site
        .as_ref()
        .filter(|_| !checked.diagnostics.has_errors())
    else {
        return Err(BuildError::Invalid(checked.diagnostics));
    };
    if let Some(url) = options
        .base_url
        .as_ref()
        .filter(|u| !validate::values::is_http_url(u))
    {
        return Err(BuildError::Output(format!(
            "--base-url `{url}` is not an http(s) URL"
        )));
    }
    let mut theme_diags = Diagnostics::default();
    let theme = theme::load(root, &site.languages, &mut theme_diags);
    if theme_diags.has_errors() {
        theme_diags.sort();
        return Err(BuildError::Invalid(theme_diags));
    }
    let render_options = render::RenderOptions {
        base_url: options
            .base_url
            .as_ref()
            .map(|u| u.trim_end_matches('/').to_string() + "/"),
        build_date: options
            .source_date_epoch
            .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
            .map(|t| t.date_naive()),
    };
    let render_started = Instant::now();
    let files = render::render(site, &checked.figures, &theme, &render_options)
        .map_err(BuildError::Invalid)?;
    checked.timings.push(("render", render_started.elapsed()));
    checked.diagnostics.extend(theme_diags);
    Ok((files, checked))
}

/// Checks, renders in memory and writes the site (what `sinergi build` does). Nothing is
/// written when any error is found.
pub fn build(root: &Path, options: &BuildOptions) -> Result<BuildReport, BuildError> {
    let out = options.out.clone().unwrap_or_else(|| root.join("output"));
    refuse_overlap(root, &out)?;
    let (files, checked) = render_site(root, options)?;
    let write_started = Instant::now();
    let write = output::write(&out, &files).map_err(write_error)?;
    let mut timings = checked.timings.clone();
    timings.push(("write", write_started.elapsed()));
    Ok(BuildReport {
        timings,
        summary: checked.summary(),
        warnings: checked.diagnostics,
        pages: files.keys().filter(|p| p.ends_with(".html")).count(),
        files: files.len(),
        write,
    })
}

/// Refusals before the first byte are `Output`; failures while writing are `Write`.
fn write_error(e: output::WriteError) -> BuildError {
    match e {
        output::WriteError::Io { .. } => BuildError::Write(e.to_string()),
        other => BuildError::Output(other.to_string()),
    }
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
pub fn pdf(root: &Path, options: &PdfOptions) -> Result<Vec<PathBuf>, BuildError> {
    let browser = pdf::find_browser().map_err(BuildError::Output)?;
    let out = options
        .build
        .out
        .clone()
        .unwrap_or_else(|| root.join("output"));
    refuse_overlap(root, &out)?;
    let (files, checked) = render_site(root, &options.build)?;
    output::write(&out, &files).map_err(write_error)?;
    let site = checked.site.expect("a rendered site has a model");
    let lang = options
        .lang
        .clone()
        .unwrap_or_else(|| site.default_language().to_string());
    if !site.languages.contains(&lang) {
        return Err(BuildError::Output(format!(
            "`{lang}` is not one of the site's languages ({})",
            site.languages.join(", ")
        )));
    }
    let slugs: Vec<&str> = match &options.agreement {
        Some(slug) if site.agreements.iter().any(|a| &a.slug == slug) => vec![slug.as_str()],
        Some(slug) => {
            let known: Vec<&str> = site.agreements.iter().map(|a| a.slug.as_str()).collect();
            return Err(BuildError::Output(format!(
                "there is no agreement `{slug}`; the site has: {}",
                known.join(", ")
            )));
        }
        None => site.agreements.iter().map(|a| a.slug.as_str()).collect(),
    };
    if options.file.is_some() && slugs.len() != 1 {
        return Err(BuildError::Output(
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
        pdf::print_report(&browser, &out.join(page), &target).map_err(BuildError::Output)?;
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
        return Err(BuildError::Output(format!(
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
