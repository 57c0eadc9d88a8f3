//! Stage 4: every output file of the site, rendered in memory. Nothing here touches the disk;
//! `output` writes the result only when the whole site rendered.

pub mod markdown;
mod opendata;
mod report;
mod templates;
mod views;

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde_json::{Value, json};

use crate::diagnostics::Diagnostics;
use crate::figures::AgreementFigures;
use crate::model::Site;
use crate::theme::Theme;

/// Output path (relative, `/`-separated) -> file bytes.
pub type Files = BTreeMap<String, Vec<u8>>;

/// How many records one ledger page shows.
pub const LEDGER_PAGE_SIZE: usize = 200;

/// Settings of one render that do not come from the data.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Overrides `base_url` of site.yaml.
    pub base_url: Option<String>,
    /// `SOURCE_DATE_EPOCH`, when set: the build date shown in page footers.
    pub build_date: Option<crate::model::Date>,
}

/// A page to render: its template, its language-neutral path and its own context values.
struct PageJob {
    template: &'static str,
    path: String,
    title: String,
    context: Value,
}

/// Renders the whole site. Template errors come back as located diagnostics.
pub fn render(
    site: &Site,
    figures: &[AgreementFigures],
    theme: &Theme,
    options: &RenderOptions,
) -> Result<Files, Diagnostics> {
    let engine = templates::Engine::new(theme)?;
    let base_url = options.base_url.clone().or(site.base_url.clone());
    // One unit per language and agreement (plus the site's own pages), rendered in parallel
    // and merged in a fixed order.
    let units: Vec<(&str, Option<usize>)> = site
        .languages
        .iter()
        .flat_map(|l| {
            std::iter::once((l.as_str(), None))
                .chain((0..site.agreements.len()).map(move |i| (l.as_str(), Some(i))))
        })
        .collect();
    let rendered: Vec<(Files, Vec<String>, Diagnostics)> = units
        .par_iter()
        .map(|&(lang, agreement)| {
            let mut files = Files::new();
            let jobs = match agreement {
                Some(i) => views::agreement_pages(
                    site,
                    &site.agreements[i],
                    &figures[i],
                    theme,
                    lang,
                    &mut files,
                ),
                None => site_pages(site, figures, theme, lang),
            };
            let mut paths = Vec::new();
            let mut diags = Diagnostics::default();
            for mut job in jobs {
                let out_path = localized(site, lang, &job.path);
                let ctx = common_context(site, theme, options, lang, &mut job);
                match engine.render(job.template, &ctx) {
                    Ok(html) => {
                        files.insert(out_path.clone(), without_controls(html).into_bytes());
                        if job.path != "404.html" {
                            paths.push(out_path);
                        }
                    }
                    Err(d) => diags.push(d),
                }
            }
            if agreement.is_none() {
                let feed = opendata::feed(site, theme, lang, base_url.as_deref());
                files.insert(localized(site, lang, "feed.xml"), feed.into_bytes());
            }
            (files, paths, diags)
        })
        .collect();
    let mut files = Files::new();
    let mut diags = Diagnostics::default();
    let mut html_paths = Vec::new();
    for (f, p, d) in rendered {
        files.extend(f);
        html_paths.extend(p);
        diags.extend(d);
    }
    if diags.has_errors() {
        diags.sort();
        return Err(diags);
    }
    files.insert(
        "assets/style.css".into(),
        engine.stylesheet().as_bytes().to_vec(),
    );
    opendata::all(site, figures, &mut files);
    if let Some(base) = &base_url {
        files.insert(
            "sitemap.xml".into(),
            opendata::sitemap(base, &html_paths).into_bytes(),
        );
        files.insert(
            "robots.txt".into(),
            format!("User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n").into_bytes(),
        );
    }
    for (path, bytes) in &theme.statics {
        files.entry(path.clone()).or_insert_with(|| bytes.clone());
    }
    Ok(files)
}

/// Drops control characters other than tab and line ends: HTML forbids them, templates never
/// contain them, so any here came from the data.
pub fn without_controls(mut text: String) -> String {
    if text.chars().any(forbidden) {
        text.retain(|c| !forbidden(c));
    }
    text
}

fn forbidden(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// The portfolio, the free pages and the 404 page of one language.
fn site_pages(
    site: &Site,
    figures: &[AgreementFigures],
    theme: &Theme,
    lang: &str,
) -> Vec<PageJob> {
    let mut jobs = vec![views::portfolio(site, figures, theme, lang)];
    for p in &site.pages {
        jobs.push(views::free_page(site, p, lang));
    }
    jobs.push(PageJob {
        template: "404.html",
        path: "404.html".into(),
        title: theme.string(lang, "not_found"),
        context: json!({}),
    });
    jobs
}

/// The output path of a language-neutral page path: the default language at the root,
/// others under `<lang>/`.
pub fn localized(site: &Site, lang: &str, path: &str) -> String {
    if lang == site.default_language() {
        path.to_string()
    } else {
        format!("{lang}/{path}")
    }
}

/// `../` repeated once per folder of `out_path`: the way back to the output root.
pub fn up(out_path: &str) -> String {
    "../".repeat(out_path.matches('/').count())
}

fn common_context(
    site: &Site,
    theme: &Theme,
    options: &RenderOptions,
    lang: &str,
    job: &mut PageJob,
) -> Value {
    let default = site.default_language();
    let out_path = localized(site, lang, &job.path);
    let base = up(&out_path);
    let root = if lang == default {
        base.clone()
    } else {
        format!("{base}{lang}/")
    };
    let alternates: Vec<Value> = site
        .languages
        .iter()
        .map(|l| {
            json!({
                "code": l,
                "name": theme.string(l, "language_name"),
                "href": format!("{base}{}", localized(site, l, &job.path)),
                "current": l == lang,
            })
        })
        .collect();
    let mut nav =
        vec![json!({"title": theme.string(lang, "home"), "href": format!("{root}index.html")})];
    for p in &site.pages {
        let e = p.edition(lang, default);
        nav.push(json!({"title": e.title, "href": format!("{root}{}/index.html", p.name)}));
    }
    let strings = theme.strings.get(lang).cloned().unwrap_or_default();
    let mut t: BTreeMap<String, String> = theme.strings.get("en").cloned().unwrap_or_default();
    t.extend(strings);
    let mut page = job.context.take();
    if let Some(map) = page.as_object_mut() {
        map.entry("body_class").or_insert(Value::Null);
    }
    let text =
        |x: &Option<crate::model::Text>| x.as_ref().map(|x| x.get(lang, default).to_string());
    json!({
        "lang": lang,
        "t": t,
        "base": base,
        "root": root,
        "title": job.title,
        "alternates": alternates,
        "nav": nav,
        "site": {
            "title": site.title.get(lang, default),
            "description": text(&site.description),
            "publisher": text(&site.publisher),
            "contact": text(&site.contact),
            "license": site.license,
        },
        "as_of": site.as_of.map(|d| crate::locale::date(d, lang)),
        "generated": options.build_date.map(|d| crate::locale::date(d, lang)),
        "feed": format!("{root}feed.xml"),
        "page": page,
    })
}
