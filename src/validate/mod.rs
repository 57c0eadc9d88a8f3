//! Stage 2: every data check of docs/FORMAT.md, turning the raw files into the validated model.

mod agreement;
mod shipments;
pub mod values;

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::diagnostics::{Diagnostics, Pos};
use crate::load::raw::SiteFile;
use crate::load::{Loaded, LoadedAgreement, LoadedPage, SITE_FILE};
use crate::model::{Agreement, HistoryOptions, Page, PageEdition, Site};
use values::Ctx;

/// Folders the build writes its own pages and files in: at the top of the output
/// (`agreements`, `assets`, `charts`, `search`) and in each agreement's folder (`charts`,
/// `history`, `participants`, `report`, `shipments`). No Markdown page may take one of these
/// names, at either level, nor a language code.
const RESERVED_NAMES: [&str; 8] = [
    "agreements",
    "assets",
    "charts",
    "history",
    "participants",
    "report",
    "search",
    "shipments",
];

/// Checks everything loaded; returns the model when site.yaml could be read. `loaded` is
/// kept as it was (`import` checks it again after each change).
pub fn validate(loaded: &Loaded, diags: &mut Diagnostics) -> Option<Site> {
    // Agreements are independent: checked in parallel, findings merged in load order.
    let checked: Vec<(Option<Agreement>, Diagnostics, &[LoadedPage])> = loaded
        .agreements
        .par_iter()
        .map(|la| {
            let mut found = Diagnostics::default();
            (
                agreement::validate(la, default_language(loaded.site.as_ref()), &mut found),
                found,
                la.pages.as_slice(),
            )
        })
        .collect();
    assemble(loaded.site.as_ref(), &loaded.pages, checked, diags)
}

/// One agreement checked as soon as it was loaded ([`crate::load::load_each`]), its raw
/// records let go: the model when its agreement.yaml parsed, the findings, and its Markdown
/// pages, which are checked with the site's.
pub struct CheckedAgreement {
    agreement: Option<Agreement>,
    found: Diagnostics,
    pages: Vec<LoadedPage>,
}

/// Checks agreement `la` of the site whose site.yaml is `site`.
pub fn check_agreement(site: Option<&SiteFile>, la: LoadedAgreement) -> CheckedAgreement {
    let mut found = Diagnostics::default();
    let agreement = agreement::validate(&la, default_language(site), &mut found);
    CheckedAgreement {
        agreement,
        found,
        pages: la.pages,
    }
}

/// [`validate`] of a site whose agreements were checked as they were loaded
/// ([`check_agreement`]), so that memory never held every raw record and the whole model at
/// once.
pub fn validate_checked(loaded: Loaded<CheckedAgreement>, diags: &mut Diagnostics) -> Option<Site> {
    let checked = loaded
        .agreements
        .into_iter()
        .map(|c| (c.agreement, c.found, c.pages))
        .collect();
    assemble(loaded.site.as_ref(), &loaded.pages, checked, diags)
}

/// The site's first language as written (checked later, in [`assemble`]): what a milestone
/// without an `id` is named by.
fn default_language(site: Option<&SiteFile>) -> &str {
    site.and_then(|s| s.languages.as_ref())
        .and_then(|l| l.value.first())
        .map_or("id", |l| l.value.as_str())
}

/// The site around its checked agreements (each with its Markdown pages, still to check).
fn assemble<P: AsRef<[LoadedPage]>>(
    raw: Option<&SiteFile>,
    site_pages: &[LoadedPage],
    checked: Vec<(Option<Agreement>, Diagnostics, P)>,
    diags: &mut Diagnostics,
) -> Option<Site> {
    let mut agreements = Vec::with_capacity(checked.len());
    let mut agreement_pages = Vec::with_capacity(checked.len());
    for (a, found, pages) in checked {
        diags.extend(found);
        if let Some(a) = a {
            agreements.push(a);
            agreement_pages.push(pages);
        }
    }
    let raw = raw?;
    let mut cx = Ctx {
        file: SITE_FILE,
        diags,
    };
    let mut languages = Vec::new();
    match &raw.languages {
        Some(list) if list.value.is_empty() => cx.error(
            "missing-field",
            list.pos,
            "`languages` must name at least one language".into(),
            "e.g. `languages: [id, en]`",
        ),
        Some(list) => {
            for l in &list.value {
                let ok = (2..=3).contains(&l.value.len())
                    && l.value.bytes().all(|b| b.is_ascii_lowercase());
                if !ok || languages.contains(&l.value) {
                    cx.error(
                        "invalid-slug",
                        l.pos,
                        format!(
                            "`{}` is not a new two- or three-letter language code",
                            l.value
                        ),
                        "use ISO 639-1 codes such as id or en, each once",
                    );
                } else {
                    languages.push(l.value.clone());
                }
            }
        }
        None => languages.push("id".to_string()),
    }
    if languages.is_empty() {
        languages.push("id".to_string());
    }
    let base_url = raw
        .base_url
        .as_ref()
        .and_then(|u| cx.url(u))
        .map(|u| u.trim_end_matches('/').to_string() + "/");
    let as_of_given = cx.opt_date(&raw.as_of);
    let as_of = as_of_given.or_else(|| agreements.iter().filter_map(|a| a.latest()).max());
    if let (Some(as_of), Some(_)) = (as_of_given, &raw.as_of) {
        // Records left unread had no finding when they were summarized, and site.yaml (with
        // `as_of`) is part of their digest.
        for a in agreements.iter().filter_map(Agreement::read) {
            for s in a.shipments.iter().filter(|s| s.when.end() > as_of) {
                cx.diags.push(
                    crate::diagnostics::Diagnostic::warning(
                        "shipment-after-as-of",
                        &s.file,
                        s.pos,
                        format!(
                            "shipment `{}` is dated {}, after the reporting date {as_of}",
                            s.id,
                            s.when.end()
                        ),
                    )
                    .with_hint("move `as_of` in site.yaml forward, or check the record's date"),
                );
            }
        }
    }

    let history_options = history_options(raw, &mut cx);
    let site_pages = pages(site_pages, &languages, "", cx.diags);
    for (a, list) in agreements.iter_mut().zip(&agreement_pages) {
        let at = format!("agreements/{}/", a.slug);
        a.pages = pages(list.as_ref(), &languages, &at, cx.diags);
    }
    Some(Site {
        title: raw.title.clone(),
        description: raw.description.clone(),
        languages,
        base_url,
        publisher: raw.publisher.clone(),
        contact: raw.contact.clone(),
        license: raw.license.clone(),
        as_of,
        agreements,
        pages: site_pages,
        history_options,
        history: None,
        uncommitted: Default::default(),
    })
}

/// `history:` of site.yaml; a `commit_url` that is not an http(s) link with `{id}` in it is an
/// `invalid-url` finding.
fn history_options(raw: &SiteFile, cx: &mut Ctx) -> HistoryOptions {
    let Some(h) = &raw.history else {
        return HistoryOptions::default();
    };
    let commit_url = h.commit_url.as_ref().and_then(|u| {
        let url = cx.url(u)?;
        if url.contains("{id}") {
            Some(url)
        } else {
            cx.error(
                "invalid-url",
                u.pos,
                format!("`history.commit_url` `{url}` has no `{{id}}` for the commit id"),
                "write where the commit id goes, e.g. `https://github.com/org/repo/commit/{id}`",
            );
            None
        }
    });
    HistoryOptions {
        enabled: h.enabled.unwrap_or(true),
        authors: h.authors,
        commit_url,
    }
}

/// An agreement loaded from somewhere other than the site folder (a version in the git
/// history) checked without its records, to check its shipments files one at a time as
/// [`validate`] checks those of each agreement of the site.
pub struct Frame {
    /// The agreement, without records.
    pub agreement: Agreement,
    ids: agreement::Ids,
}

impl Frame {
    /// Checks `la`'s agreement.yaml; its shipment files are not looked at.
    pub fn new(
        la: &crate::load::LoadedAgreement,
        default_language: &str,
        diags: &mut Diagnostics,
    ) -> Option<Frame> {
        let (agreement, ids) = agreement::without_records(la, default_language, diags)?;
        Some(Frame { agreement, ids })
    }

    /// The records of shipments file `file` that pass the checks. Ids are checked to be
    /// unique within the file; across the agreement's files that is the caller's to check.
    pub fn records(
        &self,
        file: &str,
        records: &[crate::load::located::Loc<crate::load::raw::Shipment>],
        diags: &mut Diagnostics,
    ) -> Vec<crate::model::Shipment> {
        let mut out = Vec::with_capacity(records.len());
        let mut seen = shipments::Seen::new();
        shipments::file(
            file,
            records,
            &self.agreement,
            &self.ids,
            &mut seen,
            &mut out,
            diags,
        );
        out
    }
}

/// The order of an agreement's records once checked: by end, start and id.
pub use shipments::order as record_order;

/// Groups `name.md` and `name.<lang>.md` into one page with an edition per language. `at` is
/// the output folder the pages go in (`agreements/<slug>/`, or empty for the site's).
fn pages(
    list: &[LoadedPage],
    languages: &[String],
    at: &str,
    diags: &mut Diagnostics,
) -> Vec<Page> {
    let mut by_name: BTreeMap<String, Page> = BTreeMap::new();
    for p in list.iter().filter(|p| !p.front.draft) {
        let mut cx = Ctx {
            file: &p.file,
            diags,
        };
        if !values::is_slug(&p.name) {
            cx.error(
                "invalid-slug",
                Pos::START,
                format!("`{}` cannot be a page name", p.name),
                "name Markdown files with lowercase ASCII letters, digits and `-`",
            );
            continue;
        }
        if RESERVED_NAMES.contains(&p.name.as_str()) || languages.contains(&p.name) {
            let what = if languages.contains(&p.name) {
                "the folder of a language of the site"
            } else {
                "a folder the build writes its own pages in"
            };
            cx.error(
                "reserved-name",
                Pos::START,
                format!(
                    "page `{}` would be written to {at}{}/index.html, {what}",
                    p.name, p.name
                ),
                &format!(
                    "rename the file: a page cannot be named {} or a language code ({})",
                    RESERVED_NAMES.join(", "),
                    languages.join(", ")
                ),
            );
            continue;
        }
        let lang = p.lang.clone().unwrap_or_else(|| languages[0].clone());
        if !languages.contains(&lang) {
            cx.error(
                "unknown-reference",
                Pos::START,
                format!("`{lang}` is not one of the site's languages"),
                "add the language to `languages` in site.yaml, or rename the file",
            );
            continue;
        }
        let page = by_name.entry(p.name.clone()).or_insert_with(|| Page {
            name: p.name.clone(),
            order: 0,
            editions: BTreeMap::new(),
        });
        if p.lang.is_none() {
            page.order = p.front.order.unwrap_or(0);
        }
        page.editions.insert(
            lang,
            PageEdition {
                title: p.front.title.clone(),
                description: p.front.description.clone(),
                markdown: p.body.clone(),
                file: p.file.clone(),
            },
        );
    }
    let mut pages: Vec<Page> = by_name
        .into_values()
        .filter(|p| {
            let ok = p.editions.contains_key(&languages[0]);
            if !ok {
                let file = p
                    .editions
                    .values()
                    .next()
                    .map(|e| e.file.clone())
                    .unwrap_or_default();
                let mut cx = Ctx { file: &file, diags };
                cx.error(
                    "missing-field",
                    Pos::START,
                    format!(
                        "page `{}` has no edition in the default language {}",
                        p.name, languages[0]
                    ),
                    &format!("add `{}.md`; other languages fall back to it", p.name),
                );
            }
            ok
        })
        .collect();
    pages.sort_by(|a, b| (a.order, &a.name).cmp(&(b.order, &b.name)));
    pages
}
