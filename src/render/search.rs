//! The site search's index: `search/index.js` in each language's tree, read by the results page
//! `search/index.html` through `assets/search.js`. Like `records.js` it is a script setting a
//! global, so that it loads with `<script src>` and search works from `file://`.
//!
//! The index holds what a reader looks for by name (agreements, parties, suppliers, receivers,
//! commodities, documents, milestones, issues, Markdown pages), never shipment records, so it
//! grows with the agreements and not with their records. Its words are folded (decomposed,
//! accents dropped, lowercased) the way `search.js` folds a query, and sorted by UTF-16 code
//! units, JavaScript's string order, so that the script finds every word starting with a
//! query word by binary search. Every list is in site order: the same site gives the same bytes.

use std::collections::{BTreeMap, BTreeSet};

use pulldown_cmark::{Event, Parser};
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use super::views::Lang;
use crate::model::*;

/// The global the file sets.
pub const GLOBAL: &str = "sinergiSearch";

/// The kinds of entry and where each one's page is, relative to the language's root: `{a}` is
/// the agreement's slug, `{id}` the entry's id. A free page is a `page` without agreement.
const KINDS: [(&str, &str); 10] = [
    ("agreement", "agreements/{a}/index.html"),
    ("party", "agreements/{a}/index.html#party-{id}"),
    ("commodity", "agreements/{a}/index.html#commodity-{id}"),
    (
        "participant",
        "agreements/{a}/participants/index.html#participant-{id}",
    ),
    (
        "offtaker",
        "agreements/{a}/participants/index.html#offtaker-{id}",
    ),
    ("document", "agreements/{a}/index.html#document-{id}"),
    ("milestone", "agreements/{a}/index.html#milestone-{id}"),
    ("issue", "agreements/{a}/index.html#issue-{id}"),
    ("page", "agreements/{a}/{id}/index.html"),
    ("page", "{id}/index.html"),
];

/// The kind codes, each once, in the order results of equal weight are listed.
pub fn kinds() -> Vec<&'static str> {
    let mut codes: Vec<&str> = KINDS.iter().map(|(code, _)| *code).collect();
    codes.dedup();
    codes
}

/// How much of a page's text an entry shows as its context.
const CONTEXT_CHARS: usize = 160;

#[derive(Serialize)]
struct Kind {
    code: &'static str,
    path: &'static str,
}

/// The index, as columns of equal length (one row per entry) and the sorted words.
#[derive(Serialize, Default)]
struct Index<'a> {
    kinds: Vec<Kind>,
    /// Each agreement's slug and title, in site order.
    slugs: Vec<&'a str>,
    titles: Vec<&'a str>,
    /// Per entry: an index into `kinds`.
    kind: Vec<usize>,
    /// Per entry: an index into `slugs`, or -1.
    agreement: Vec<i64>,
    id: Vec<&'a str>,
    title: Vec<String>,
    /// A short text shown under the title; the agreement's title comes apart.
    context: Vec<String>,
    /// Folded words, sorted by UTF-16 code units.
    words: Vec<String>,
    /// Per word: the entries holding it, ascending, each written as the difference to the
    /// one before (the first as itself).
    entries: Vec<Vec<usize>>,
}

/// The index builder: entries with the words each one is found by.
struct Builder<'a> {
    index: Index<'a>,
    words: BTreeMap<String, BTreeSet<usize>>,
}

impl<'a> Builder<'a> {
    fn add(
        &mut self,
        kind: usize,
        agreement: Option<usize>,
        id: &'a str,
        title: &str,
        context: String,
        text: &[&str],
    ) {
        let entry = self.index.kind.len();
        self.index.kind.push(kind);
        self.index
            .agreement
            .push(agreement.map_or(-1, |a| a as i64));
        self.index.id.push(id);
        self.index.title.push(title.to_string());
        self.index.context.push(context);
        for word in std::iter::once(title)
            .chain(text.iter().copied())
            .flat_map(words)
        {
            self.words.entry(word).or_default().insert(entry);
        }
    }
}

/// `text` folded as `search.js` folds a query: canonical decomposition, combining diacritical
/// marks (U+0300–U+036F) dropped, lowercase.
pub fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .collect::<String>()
        .to_lowercase()
}

/// The folded words of `text`: runs of letters and digits (`[\p{Alphabetic}\p{N}]+` in
/// `search.js`).
pub fn words(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The text of Markdown, without its markup, blocks separated by a space.
fn plain(md: &str) -> String {
    let mut out = String::new();
    for event in Parser::new(md) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                out.push_str(&t)
            }
            Event::SoftBreak | Event::HardBreak | Event::End(_) => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// At most [`CONTEXT_CHARS`] characters of `text`, cut at a space, with `…` when cut.
fn excerpt(text: &str) -> String {
    if text.chars().count() <= CONTEXT_CHARS {
        return text.to_string();
    }
    let cut: String = text.chars().take(CONTEXT_CHARS).collect();
    let cut = match cut.rfind(' ') {
        Some(space) if space > CONTEXT_CHARS / 2 => &cut[..space],
        _ => cut.as_str(),
    };
    format!("{cut}…")
}

/// The parts of a context that are given, joined by ` · `.
fn joined(parts: &[Option<&str>]) -> String {
    parts
        .iter()
        .flatten()
        .copied()
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The text of `search/index.js` in the language of `l`.
pub(super) fn index_js(site: &Site, l: &Lang<'_>) -> String {
    let kind = |code: &str, free: bool| {
        KINDS
            .iter()
            .position(|(c, path)| *c == code && path.starts_with("agreements/") != free)
            .expect("a known kind")
    };
    let mut b = Builder {
        index: Index {
            kinds: KINDS
                .iter()
                .map(|&(code, path)| Kind { code, path })
                .collect(),
            ..Index::default()
        },
        words: BTreeMap::new(),
    };
    for (i, a) in site.agreements.iter().enumerate() {
        let title = l.text(&a.title);
        b.index.slugs.push(&a.slug);
        b.index.titles.push(title);
        let summary = a.summary.as_ref().map(|s| plain(l.text(s)));
        let parties: Vec<&str> = a.parties.iter().map(|p| l.text(&p.name)).collect();
        b.add(
            kind("agreement", false),
            Some(i),
            "",
            title,
            joined(&[Some(&a.kind), Some(&parties.join(" · "))]),
            &[&a.kind, &a.slug, summary.as_deref().unwrap_or("")],
        );
        for p in &a.parties {
            let role = l.opt(&p.role);
            b.add(
                kind("party", false),
                Some(i),
                &p.id,
                l.text(&p.name),
                joined(&[role]),
                &[role.unwrap_or(""), p.region.as_deref().unwrap_or("")],
            );
        }
        for c in &a.commodities {
            b.add(
                kind("commodity", false),
                Some(i),
                &c.id,
                l.text(&c.name),
                String::new(),
                &[&c.id],
            );
        }
        // The agreement's title is their context; their party's name would repeat it.
        for p in &a.participants {
            let sort = l.opt(&p.kind);
            b.add(
                kind("participant", false),
                Some(i),
                &p.id,
                l.text(&p.name),
                joined(&[sort]),
                &[sort.unwrap_or(""), p.region.as_deref().unwrap_or("")],
            );
        }
        for o in &a.offtakers {
            b.add(
                kind("offtaker", false),
                Some(i),
                &o.id,
                l.text(&o.name),
                String::new(),
                &[o.region.as_deref().unwrap_or("")],
            );
        }
        for d in &a.documents {
            let label = l.s(&format!(
                "document_{}",
                variant_name(&d.kind).to_lowercase()
            ));
            let signed = d.signed.map(|x| l.date(x));
            b.add(
                kind("document", false),
                Some(i),
                &d.id,
                l.text(&d.title),
                joined(&[Some(label), d.number.as_deref(), signed.as_deref()]),
                &[label, d.number.as_deref().unwrap_or("")],
            );
        }
        for m in &a.milestones {
            let date = l.date(m.date);
            b.add(
                kind("milestone", false),
                Some(i),
                &m.id,
                l.text(&m.title),
                joined(&[Some(&date), Some(l.label("milestone", &m.status))]),
                &[],
            );
        }
        for x in &a.issues {
            let raised = format!("{} {}", l.s("raised"), l.date(x.raised));
            b.add(
                kind("issue", false),
                Some(i),
                &x.id,
                l.text(&x.title),
                joined(&[Some(l.label("issue", &x.status)), Some(&raised)]),
                &[],
            );
        }
        for p in &a.pages {
            page(&mut b, kind("page", false), Some(i), p, l);
        }
    }
    for p in &site.pages {
        page(&mut b, kind("page", true), None, p, l);
    }
    let mut words: Vec<(String, BTreeSet<usize>)> = b.words.into_iter().collect();
    words.sort_by(|(x, _), (y, _)| x.encode_utf16().cmp(y.encode_utf16()));
    let mut index = b.index;
    for (word, entries) in words {
        index.words.push(word);
        let mut last = 0;
        index.entries.push(
            entries
                .into_iter()
                .enumerate()
                .map(|(n, e)| {
                    let delta = if n == 0 { e } else { e - last };
                    last = e;
                    delta
                })
                .collect(),
        );
    }
    let json = serde_json::to_string(&index).expect("the index serializes");
    // `</` never appears raw, so the text is safe wherever a script's text may go.
    let json = json.replace("</", "<\\/");
    format!("window.{GLOBAL} = {json};\n")
}

/// A Markdown page: found by its title, description and text; its description, else the
/// start of its text, is the context.
fn page<'a>(b: &mut Builder<'a>, kind: usize, agreement: Option<usize>, p: &'a Page, l: &Lang) {
    let e = p.edition(l.lang, l.default);
    let text = plain(&e.markdown);
    let context = excerpt(e.description.as_deref().unwrap_or(&text));
    b.add(
        kind,
        agreement,
        &p.name,
        &e.title,
        context,
        &[e.description.as_deref().unwrap_or(""), &text],
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_drops_case_and_accents() {
        assert_eq!(fold("Bérâs ÉKSPOR"), "beras ekspor");
        let w = words("Nota Kesepakatan No. 119/2022 — Pasar Induk Kramat Jati");
        assert_eq!(
            w,
            [
                "nota",
                "kesepakatan",
                "no",
                "119",
                "2022",
                "pasar",
                "induk",
                "kramat",
                "jati"
            ]
        );
    }

    #[test]
    fn markdown_becomes_plain_text_and_long_text_is_cut_at_a_space() {
        assert_eq!(
            plain("# Judul\n\nSatu *dua* [tiga](https://x.id).\n\n- empat\n- lima"),
            "Judul Satu dua tiga . empat lima"
        );
        let long = "kata ".repeat(100);
        let e = excerpt(long.trim());
        assert!(
            e.ends_with("kata…") && e.chars().count() <= CONTEXT_CHARS + 1,
            "{e}"
        );
    }
}
