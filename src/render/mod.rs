//! Stage 4: every output file of the site, rendered in memory. Nothing here touches the disk;
//! `output` writes the result only when the whole site rendered.

pub mod context;
mod fingerprint;
mod ledger;
mod ledger_css;
pub mod markdown;
mod marks;
mod opendata;
mod records;
mod report;
mod revisions;
mod search;
mod share;
mod templates;
mod views;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::figures::{self, Totals};
use crate::locale::Locale;
use crate::model::{ReadAgreement, Site};
use crate::theme::Theme;
use context::{Alternate, Globals, NavItem, SiteInfo};

/// Output path (relative, `/`-separated) -> file bytes.
pub type Files = BTreeMap<String, Vec<u8>>;

/// The icons every page declares, at the root of the output: a 32 px `.ico` (what browsers
/// ask for unprompted) and the same mark as SVG.
const FAVICONS: [(&str, &[u8]); 2] = [
    ("favicon.ico", include_bytes!("assets/favicon.ico")),
    ("favicon.svg", include_bytes!("assets/favicon.svg")),
];

/// Theme files written to `assets/` as they are: the stylesheet, the ledger filter and the
/// site search.
const ASSETS: [&str; 3] = ["style.css", "filter.js", "search.js"];

/// The search index of a language, next to its results page `search/index.html`.
const SEARCH_INDEX: &str = "search/index.js";

/// How many records one ledger page shows. Every page repeats its head, header, navigation,
/// pager and footer (about 5 KB): 500 records a page pay for them a third as often as 200 did,
/// and a page of them (about 90 KB, some 6,000 elements; a card per record at phone width) still
/// loads and scrolls at once on a phone.
pub const LEDGER_PAGE_SIZE: usize = 500;

/// Settings of one render that do not come from the data.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Overrides `base_url` of site.yaml.
    pub base_url: Option<String>,
    /// `SOURCE_DATE_EPOCH`, when set: the build date shown in page footers.
    pub build_date: Option<crate::model::Date>,
}

/// A page to render: its template, its language-neutral path and its `page` value (one of the
/// [`context`] types).
struct PageJob {
    template: &'static str,
    path: String,
    title: String,
    page: tera::Value,
    /// Values built once and shared by several pages (the ledger's records), added to `page`.
    shared: Vec<(&'static str, tera::Value)>,
}

/// One part of the site that is rendered and written as a whole: an agreement in every
/// language, the site's own pages, or the files every page shares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// `site`, `assets` or `agreement/<slug>`.
    pub key: String,
    /// A digest of everything the unit's files are made from, or 0 for a unit that is always
    /// rendered (it is cheap, or depends on every other unit).
    pub fingerprint: u128,
    kind: UnitKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UnitKind {
    Site,
    Agreement(usize),
}

/// What one unit needs in this build: its files kept as they are (`K`: however the caller
/// holds them), or rendered.
pub enum Step<'a, K> {
    Keep { unit: &'a Unit, kept: K },
    Render(Job<'a>),
}

/// A unit with everything its files are made from at hand: only such a unit can be rendered.
pub struct Job<'a> {
    pub unit: &'a Unit,
    target: Target<'a>,
}

enum Target<'a> {
    Site,
    /// The agreement at this index of the site, with its records.
    Agreement(usize, ReadAgreement<'a>),
}

/// What one unit's pages are made from.
enum Source<'a> {
    Site,
    Agreement(ReadAgreement<'a>, figures::AgreementFigures<'a>),
}

/// The agreements whose records must be read before units to render can be: they were left
/// unread ([`crate::load::Reading::Changed`]).
#[derive(Debug)]
pub struct Unread(pub BTreeSet<String>);

/// The site's units with their fingerprints, in render order: the site's own pages, then
/// each agreement.
fn units(site: &Site, theme: &Theme, options: &RenderOptions) -> Vec<Unit> {
    let shared = fingerprint::shared(site, theme, options);
    let agreements: Vec<Unit> = site
        .agreements
        .par_iter()
        .enumerate()
        .map(|(i, a)| Unit {
            key: format!("agreement/{}", a.slug),
            fingerprint: fingerprint::agreement(
                shared,
                a,
                site.revisions(&a.slug),
                site.uncommitted.get(&a.slug),
            ),
            kind: UnitKind::Agreement(i),
        })
        .collect();
    let mut units = vec![Unit {
        key: "site".into(),
        fingerprint: fingerprint::site(shared, agreements.iter().map(|u| u.fingerprint)),
        kind: UnitKind::Site,
    }];
    units.extend(agreements);
    units
}

/// The site's renderer: templates compiled once, then any unit on demand, in any order and
/// from several threads.
pub struct Renderer<'a> {
    site: &'a Site,
    /// Each agreement's totals, in site order.
    totals: &'a [Totals],
    theme: &'a Theme,
    options: &'a RenderOptions,
    engine: templates::Engine,
    base_url: Option<String>,
    /// Interface strings per language, as one shared template value.
    strings: BTreeMap<String, tera::Value>,
    units: Vec<Unit>,
}

impl<'a> Renderer<'a> {
    pub fn new(
        site: &'a Site,
        totals: &'a [Totals],
        theme: &'a Theme,
        options: &'a RenderOptions,
    ) -> Result<Renderer<'a>, Diagnostics> {
        let engine = templates::Engine::new(theme)?;
        let strings = site
            .languages
            .iter()
            .map(|lang| {
                let mut t: BTreeMap<String, String> = theme
                    .strings
                    .get(crate::theme::FALLBACK)
                    .cloned()
                    .unwrap_or_default();
                t.extend(theme.strings.get(lang).cloned().unwrap_or_default());
                (lang.clone(), tera::Value::from(t))
            })
            .collect();
        let units = units(site, theme, options);
        Ok(Renderer {
            site,
            totals,
            theme,
            options,
            engine,
            base_url: options.base_url.clone().or(site.base_url.clone()),
            strings,
            units,
        })
    }

    /// What each unit but the shared assets (which [`Renderer::assets`] renders last) needs, in
    /// render order: kept when `kept` gives its files, else rendered. Fails with the agreements
    /// whose records must be read first when a unit to render lacks them.
    pub fn plan<K: Send>(
        &self,
        kept: impl Fn(&Unit) -> Option<K> + Sync,
    ) -> Result<Vec<Step<'_, K>>, Unread> {
        let steps: Vec<Result<Step<'_, K>, &str>> = self
            .units
            .par_iter()
            .map(|unit| {
                if let Some(kept) = kept(unit) {
                    return Ok(Step::Keep { unit, kept });
                }
                let target = match unit.kind {
                    UnitKind::Site => Target::Site,
                    UnitKind::Agreement(i) => {
                        let a = &self.site.agreements[i];
                        Target::Agreement(i, a.read().ok_or(a.slug.as_str())?)
                    }
                };
                Ok(Step::Render(Job { unit, target }))
            })
            .collect();
        let unread: BTreeSet<String> = steps
            .iter()
            .filter_map(|s| s.as_ref().err())
            .map(|slug| slug.to_string())
            .collect();
        if !unread.is_empty() {
            return Err(Unread(unread));
        }
        Ok(steps.into_iter().flatten().collect())
    }

    /// The files of one unit. Template errors come back as located diagnostics.
    pub fn render(&self, job: &Job) -> Result<Files, Diagnostics> {
        let site = self.site;
        let source = self.source(job);
        // The site's own pages are one unit that depends on every agreement, rendered alone
        // after a one-record edit: its languages are rendered in parallel. An agreement's are
        // not, as agreements already are.
        let languages: Vec<(Files, Diagnostics)> = match source {
            Source::Site => site
                .languages
                .par_iter()
                .map(|lang| self.render_language(&source, lang))
                .collect(),
            Source::Agreement(..) => site
                .languages
                .iter()
                .map(|lang| self.render_language(&source, lang))
                .collect(),
        };
        let mut files = Files::new();
        let mut diags = Diagnostics::default();
        for (f, d) in languages {
            files.extend(f);
            diags.extend(d);
        }
        match &source {
            Source::Agreement(a, f) => {
                opendata::agreement(site, a, f, &mut files);
                if let Some(history) = &site.history {
                    revisions::files(history, &a.slug, &mut files);
                }
            }
            Source::Site => opendata::index(site, self.totals, &mut files),
        }
        if diags.has_errors() {
            diags.sort();
            return Err(diags);
        }
        Ok(files)
    }

    /// The files of `source` in one language, and the findings.
    fn render_language(&self, source: &Source, lang: &str) -> (Files, Diagnostics) {
        let site = self.site;
        let mut files = Files::new();
        let mut diags = Diagnostics::default();
        let loc = Locale::new(self.theme, lang);
        let image = match source {
            Source::Agreement(a, f) => {
                let card = share::card(site, a, f, &loc);
                let path = localized(site, lang, &share::path(&a.slug));
                match crate::preview::png(&card) {
                    Ok(png) => {
                        files.insert(path.clone(), png);
                    }
                    Err(why) => diags.push(Diagnostic::error(
                        "render-error",
                        &format!("content/agreements/{}/agreement.yaml", a.slug),
                        crate::diagnostics::Pos::START,
                        format!("cannot draw the share image {path}: {why}"),
                    )),
                }
                Some(ShareImage {
                    path,
                    alt: share::alt(&card),
                })
            }
            Source::Site => None,
        };
        for mut job in self.jobs(source, &loc, &mut files) {
            let out_path = localized(site, lang, &job.path);
            let page = std::mem::replace(&mut job.page, tera::Value::none());
            let (globals, page) = self.context(&loc, page, &job, image.as_ref());
            let mut ctx = tera::Context::from_serialize(&globals).expect("globals serialize");
            ctx.insert_value("t", self.strings[lang].clone());
            ctx.insert_value("page", page);
            match self.engine.render(job.template, &ctx) {
                Ok(html) => {
                    files.insert(out_path, without_controls(html).into_bytes());
                }
                Err(d) => diags.push(d),
            }
        }
        if let Source::Site = source {
            let feed = opendata::feed(site, &loc, self.base_url.as_deref());
            files.insert(localized(site, lang, "feed.xml"), feed.into_bytes());
            let l = views::Lang {
                lang,
                default: site.default_language(),
                loc: &loc,
            };
            let index = search::index_js(site, &l);
            files.insert(localized(site, lang, SEARCH_INDEX), index.into_bytes());
        }
        (files, diags)
    }

    /// What the pages of `job` are made from: for an agreement, its monthly and route totals
    /// too.
    fn source<'j>(&'j self, job: &Job<'j>) -> Source<'j> {
        match job.target {
            Target::Agreement(i, a) => {
                Source::Agreement(a, figures::agreement(&a, &self.totals[i]))
            }
            Target::Site => Source::Site,
        }
    }

    /// The pages of one unit in the language of `loc`; chart files go straight into `files`.
    fn jobs(&self, source: &Source, loc: &Locale, files: &mut Files) -> Vec<PageJob> {
        match source {
            Source::Agreement(a, f) => {
                views::agreement_pages(self.site, a, f, self.theme, loc, files)
            }
            Source::Site => site_pages(self.site, self.totals, loc, files),
        }
    }

    /// Every page of `job` in every language, as (template, the variables it receives as
    /// JSON): the contract docs/TEMPLATES.md describes.
    pub fn contexts(&self, job: &Job) -> Vec<(&'static str, serde_json::Value)> {
        let source = self.source(job);
        let mut out = Vec::new();
        for lang in &self.site.languages {
            let loc = Locale::new(self.theme, lang);
            let image = match &source {
                Source::Agreement(a, f) => Some(ShareImage {
                    path: localized(self.site, lang, &share::path(&a.slug)),
                    alt: share::alt(&share::card(self.site, a, f, &loc)),
                }),
                Source::Site => None,
            };
            for mut job in self.jobs(&source, &loc, &mut Files::new()) {
                let page = std::mem::replace(&mut job.page, tera::Value::none());
                let (globals, page) = self.context(&loc, page, &job, image.as_ref());
                let mut json = serde_json::to_value(&globals).expect("globals serialize");
                json["t"] = serde_json::to_value(&self.strings[lang.as_str()]).expect("strings");
                json["page"] = serde_json::to_value(&page).expect("page serializes");
                out.push((job.template, json));
            }
        }
        out
    }

    /// The files every page shares (stylesheet, icons, `static/`) and those listing every page
    /// (sitemap, robots.txt): rendered last, from the paths of all other output files.
    pub fn assets<'p>(&self, paths: impl Iterator<Item = &'p str>) -> Files {
        let taken: std::collections::BTreeSet<&str> = paths.collect();
        let mut files = Files::new();
        for name in ASSETS {
            files.insert(
                format!("assets/{name}"),
                self.engine.asset(name).as_bytes().to_vec(),
            );
        }
        let locales: Vec<Locale> = self
            .site
            .languages
            .iter()
            .map(|lang| Locale::new(self.theme, lang))
            .collect();
        files.insert(
            "assets/ledger.css".into(),
            ledger_css::stylesheet(&locales).into_bytes(),
        );
        if let Some(base) = &self.base_url {
            let pages: Vec<&str> = taken
                .iter()
                .copied()
                .filter(|p| p.ends_with(".html") && !p.ends_with("404.html"))
                .collect();
            files.insert(
                "sitemap.xml".into(),
                opendata::sitemap(base, &pages).into_bytes(),
            );
            files.insert(
                "robots.txt".into(),
                format!("User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n").into_bytes(),
            );
        }
        // A page sinergi renders wins over a `static/` file of the same path.
        for (path, bytes) in &self.theme.statics {
            if !taken.contains(path.as_str()) {
                files.entry(path.clone()).or_insert_with(|| bytes.clone());
            }
        }
        // The default icons, unless `static/` has its own.
        for (path, bytes) in FAVICONS {
            files
                .entry(path.to_string())
                .or_insert_with(|| bytes.to_vec());
        }
        files
    }

    /// The variables every page receives, and its `page` value with the shared values added.
    fn context<'j>(
        &'j self,
        loc: &Locale<'j>,
        page: tera::Value,
        job: &'j PageJob,
        image: Option<&ShareImage>,
    ) -> (Globals<'j>, tera::Value) {
        let (site, theme, lang) = (self.site, self.theme, loc.lang);
        let default = site.default_language();
        let out_path = localized(site, lang, &job.path);
        let base = up(&out_path);
        let root = if lang == default {
            base.clone()
        } else {
            format!("{base}{lang}/")
        };
        // Absolute addresses only with a base URL: search engines ignore relative ones, and
        // the 404 page is served at addresses that are not its own.
        let absolute = |l: &str| {
            self.base_url
                .as_ref()
                .filter(|_| job.template != "404.html")
                .map(|b| format!("{b}{}", localized(site, l, &job.path)))
        };
        let alternates = site
            .languages
            .iter()
            .map(|l| Alternate {
                code: l,
                name: theme.lookup(l, "language_name").map_or("", |(_, s)| s),
                href: format!("{base}{}", localized(site, l, &job.path)),
                url: absolute(l),
                current: l == lang,
            })
            .collect();
        let mut nav = vec![NavItem {
            title: loc.label("home"),
            href: format!("{root}index.html"),
        }];
        for p in &site.pages {
            let e = p.edition(lang, default);
            nav.push(NavItem {
                title: &e.title,
                href: format!("{root}{}/index.html", p.name),
            });
        }
        let mut page = page.into_map().unwrap_or_default();
        for (key, value) in &job.shared {
            page.insert(tera::value::Key::Str(key), value.clone());
        }
        let text = |x: &'j Option<crate::model::Text>| x.as_ref().map(|x| x.get(lang, default));
        let globals = Globals {
            lang,
            base,
            feed: format!("{root}feed.xml"),
            root,
            title: &job.title,
            alternates,
            nav,
            site: SiteInfo {
                title: site.title.get(lang, default),
                description: text(&site.description),
                publisher: text(&site.publisher),
                contact: text(&site.contact),
                license: site.license.as_deref(),
            },
            as_of: site.as_of.map(|d| loc.date(d)),
            generated: self.options.build_date.map(|d| loc.date(d)),
            canonical: absolute(lang),
            x_default: absolute(default),
            // Absolute with a base URL: chat apps and social sites fetch no relative image.
            image: image.map(|i| match &self.base_url {
                Some(b) => format!("{b}{}", i.path),
                None => format!("{}{}", up(&out_path), i.path),
            }),
            image_alt: image.map(|i| i.alt.clone()),
        };
        (globals, tera::Value::from(page))
    }
}

/// The share image of the pages being rendered: its output path and text alternative.
struct ShareImage {
    path: String,
    alt: String,
}

/// Output files whose bytes are shared, not copied: `serve` keeps the site in memory and hands
/// out the same bytes to every response and every new snapshot.
pub type SharedFiles = BTreeMap<String, bytes::Bytes>;

/// The files of each unit last rendered in memory, by unit key, with the unit's fingerprint:
/// what [`render`] may reuse instead of rendering again.
pub type Memo = BTreeMap<String, (u128, Arc<SharedFiles>)>;

/// Renders in memory (for `serve`) what `steps` of `renderer` say: a kept unit's files come
/// from the last build (not copied), the others are rendered. Returns every file and the new
/// memo; template errors come back as located diagnostics.
pub fn render(
    renderer: &Renderer,
    steps: Vec<Step<'_, Arc<SharedFiles>>>,
) -> Result<(SharedFiles, Memo), Diagnostics> {
    let shared = |files: Files| -> SharedFiles {
        files
            .into_iter()
            .map(|(path, bytes)| (path, bytes::Bytes::from(bytes)))
            .collect()
    };
    let rendered: Vec<(&Unit, Result<Arc<SharedFiles>, Diagnostics>)> = steps
        .into_par_iter()
        .map(|step| match step {
            Step::Keep { unit, kept } => (unit, Ok(kept)),
            Step::Render(job) => (job.unit, renderer.render(&job).map(|f| Arc::new(shared(f)))),
        })
        .collect();
    let mut units = Memo::new();
    let mut diags = Diagnostics::default();
    for (u, r) in rendered {
        match r {
            Ok(f) => {
                units.insert(u.key.clone(), (u.fingerprint, f));
            }
            Err(d) => diags.extend(d),
        }
    }
    if diags.has_errors() {
        diags.sort();
        return Err(diags);
    }
    let mut files: SharedFiles = units
        .values()
        .flat_map(|(_, f)| f.iter().map(|(p, b)| (p.clone(), b.clone())))
        .collect();
    let assets = renderer.assets(files.keys().map(String::as_str));
    files.extend(shared(assets));
    Ok((files, units))
}

/// The files of `memo` that are current for `unit`: its fingerprint is unchanged (and not 0,
/// the mark of a unit always rendered).
pub fn remembered(memo: &Memo, unit: &Unit) -> Option<Arc<SharedFiles>> {
    memo.get(&unit.key)
        .filter(|(fingerprint, _)| unit.fingerprint != 0 && *fingerprint == unit.fingerprint)
        .map(|(_, files)| Arc::clone(files))
}

/// Drops control characters other than tab and line ends: HTML forbids them, templates never
/// contain them, so any here came from the data.
pub fn without_controls(mut text: String) -> String {
    if may_hold_controls(text.as_bytes()) && text.chars().any(forbidden) {
        text.retain(|c| !forbidden(c));
    }
    text
}

/// A fast byte scan that never misses one: C0 controls and DEL are single bytes, C1 controls
/// (U+0080–U+009F) are 0xC2 followed by 0x80–0x9F in UTF-8. Blocks of 64 bytes are folded
/// without an early exit (so that the compiler can vectorize them); only a suspect block is
/// looked at byte by byte.
fn may_hold_controls(bytes: &[u8]) -> bool {
    const BLOCK: usize = 64;
    let suspect =
        |b: u8| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0x7f || b == 0xc2;
    bytes.chunks(BLOCK).enumerate().any(|(n, block)| {
        block.iter().fold(false, |any, &b| any | suspect(b))
            && block.iter().enumerate().any(|(i, &b)| {
                let next = bytes.get(n * BLOCK + i + 1);
                (suspect(b) && b != 0xc2)
                    || (b == 0xc2 && next.is_some_and(|n| (0x80..0xa0).contains(n)))
            })
    })
}

fn forbidden(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// The portfolio, the free pages, the search results page and the 404 page of one language.
fn site_pages(site: &Site, totals: &[Totals], loc: &Locale, files: &mut Files) -> Vec<PageJob> {
    let mut jobs = vec![views::portfolio(site, totals, loc, files)];
    for p in &site.pages {
        jobs.push(views::free_page(site, p, loc.lang));
    }
    jobs.push(PageJob {
        template: "search.html",
        path: "search/index.html".into(),
        title: loc.label("search_title").to_string(),
        page: tera::Value::from_serializable(&context::SearchPage {
            body_class: None,
            kinds: search::kinds()
                .into_iter()
                .map(|code| context::Choice {
                    id: code,
                    label: loc.label(&format!("search_kind_{code}")),
                })
                .collect(),
        }),
        shared: Vec::new(),
    });
    jobs.push(PageJob {
        template: "404.html",
        path: "404.html".into(),
        title: loc.s("not_found").to_string(),
        page: tera::Value::from_serializable(&context::NotFound { body_class: None }),
        shared: Vec::new(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_control_character_is_dropped() {
        for c in (0u32..0x110000).filter_map(char::from_u32) {
            let text = format!("a{c}b");
            let kept = without_controls(text.clone());
            assert_eq!(kept == text, !forbidden(c), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn controls_across_block_edges_are_found() {
        for pad in 56..72 {
            for c in ['\u{85}', '\u{1}', '\u{7f}'] {
                let text = format!("{}{c}·±", "x".repeat(pad));
                assert_eq!(without_controls(text), format!("{}·±", "x".repeat(pad)));
            }
            let clean = format!("{}·±\n", "x".repeat(pad));
            assert!(!may_hold_controls(clean.as_bytes()), "{pad}");
        }
    }
}
