//! The template contract: what each template receives, as types. Every page gets [`Globals`]
//! plus `t` (the interface strings of its language) and `page`, one of the page types below.
//! A site's own templates rely on these names, so docs/TEMPLATES.md lists every field and a
//! test keeps the two in step. Numbers and dates are already written the way the page's
//! language writes them; codes (`status`, `kind`, ...) are serde's names of the model's enums.

use serde::Serialize;

use crate::charts::{Chart, DataTable};
use crate::model::{AgreementStatus, DocumentType, MilestoneStatus, ShipmentStatus, Verification};

/// Variables of every page, next to `t` and `page`.
#[derive(Serialize)]
pub struct Globals<'a> {
    pub lang: &'a str,
    /// The way back to the output root (`../../`).
    pub base: String,
    /// The root of the page's language (`base`, or `base` + `en/`).
    pub root: String,
    pub title: &'a str,
    pub alternates: Vec<Alternate<'a>>,
    pub nav: Vec<NavItem<'a>>,
    pub site: SiteInfo<'a>,
    pub as_of: Option<String>,
    pub generated: Option<String>,
    pub feed: String,
    /// The page's absolute address, with a base URL (none on the 404 page).
    pub canonical: Option<String>,
    /// The absolute address of the page in the site's first language, likewise.
    pub x_default: Option<String>,
    /// The agreement's share image in the page's language (`preview.png`, 1200x630), on each of
    /// an agreement's pages: absolute with a base URL, else relative to the page.
    pub image: Option<String>,
    /// The share image's text alternative.
    pub image_alt: Option<String>,
}

/// The same page in one of the site's languages.
#[derive(Serialize)]
pub struct Alternate<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub href: String,
    /// The absolute address, with a base URL (none on the 404 page).
    pub url: Option<String>,
    pub current: bool,
}

#[derive(Serialize)]
pub struct NavItem<'a> {
    pub title: &'a str,
    pub href: String,
}

#[derive(Serialize)]
pub struct SiteInfo<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub publisher: Option<&'a str>,
    pub contact: Option<&'a str>,
    pub license: Option<&'a str>,
}

/// A chart as `chart.html` receives it. A chart with a file of its own (`charts/<name>.svg`) is
/// shown from it (`src`, relative to the page) and its SVG is not repeated in the page; the
/// portfolio's overview chart, which has no file, is inline (`svg`).
#[derive(Serialize)]
pub struct ChartView<'a> {
    pub name: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub note: Option<&'a str>,
    pub src: Option<String>,
    pub svg: Option<&'a str>,
    pub table: &'a DataTable,
    /// The id of the element of the page that shows `table` instead of the chart (the report
    /// shows the monthly chart's and the map's tables in sections of their own).
    pub table_at: Option<&'static str>,
}

impl<'a> ChartView<'a> {
    /// Shown from its file, `dir` + `<name>.svg`.
    pub fn file(c: &'a Chart, dir: &str) -> Self {
        ChartView {
            src: Some(format!("{dir}{}.svg", c.name)),
            svg: None,
            ..Self::inline(c)
        }
    }

    /// Its whole `<svg>` element in the page.
    pub fn inline(c: &'a Chart) -> Self {
        ChartView {
            name: &c.name,
            title: &c.title,
            description: &c.description,
            note: c.note.as_deref(),
            src: None,
            svg: Some(&c.svg),
            table: &c.table,
            table_at: None,
        }
    }
}

/// `portfolio.html`.
#[derive(Serialize)]
pub struct Portfolio<'a> {
    pub body_class: Option<&'static str>,
    pub agreements: Vec<AgreementCard<'a>>,
    pub chart: ChartView<'a>,
    /// The supply map of every agreement.
    pub map: ChartView<'a>,
}

#[derive(Serialize)]
pub struct AgreementCard<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub kind: &'a str,
    pub status: AgreementStatus,
    pub status_label: &'a str,
    pub parties: Vec<&'a str>,
    pub period: String,
    pub totals: Vec<CommodityCard<'a>>,
    pub has_deliveries: bool,
}

/// One commodity's delivered total against its commodity-wide target.
#[derive(Serialize)]
pub struct CommodityCard<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub delivered: String,
    pub target: Option<String>,
    pub progress: Option<String>,
    /// The progress as a bar's filled width in percent, 0 to 100 (an SVG `rect` width: an
    /// inline `style` would not survive a `default-src 'self'` content security policy).
    pub width: Option<String>,
    pub last_delivery: Option<String>,
    pub records: usize,
    /// The newest revision that moved this total after it was first published.
    pub revised: Option<Revised<'a>>,
}

/// A revision a page links to on the history page (`history/index.html#commit-<commit>`).
#[derive(Serialize, Clone)]
pub struct Revised<'a> {
    /// The full commit id: the revision's anchor on the history page.
    pub commit: &'a str,
    pub date: String,
}

/// The agreement's header, `page.a` on each of its pages.
#[derive(Serialize)]
pub struct Head<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub kind: &'a str,
    pub status: AgreementStatus,
    pub status_label: &'a str,
    pub signed: String,
    pub period: String,
    pub pages: Vec<PageLink<'a>>,
    /// The agreement has a revision history page (the site is in a git repository).
    pub history: bool,
    /// The agreement's newest revision.
    pub revised: Option<Revised<'a>>,
    /// `serve` shows changes to its data that are not yet committed.
    pub uncommitted: bool,
}

/// One of the agreement's Markdown pages.
#[derive(Serialize)]
pub struct PageLink<'a> {
    pub name: &'a str,
    pub title: &'a str,
}

/// `agreement.html`: the dashboard.
#[derive(Serialize)]
pub struct Dashboard<'a> {
    pub body_class: Option<&'static str>,
    pub a: &'a Head<'a>,
    pub summary: Option<String>,
    pub cards: &'a [CommodityCard<'a>],
    pub has_deliveries: bool,
    pub planned_records: usize,
    pub parties: &'a [PartyView<'a>],
    /// Each facilitator's name, with where it is when given.
    pub facilitators: &'a [String],
    pub contacts: Vec<ContactView<'a>>,
    pub targets: &'a [TargetView<'a>],
    pub milestones: Vec<MilestoneView<'a>>,
    pub documents: &'a [DocumentView<'a>],
    pub issues: &'a [IssueView<'a>],
    pub sources: &'a [SourceView<'a>],
    pub charts: &'a [ChartView<'a>],
}

#[derive(Serialize)]
pub struct PartyView<'a> {
    /// The anchor is `party-<id>`.
    pub id: &'a str,
    pub name: &'a str,
    pub role: Option<&'a str>,
    pub signatory_title: Option<&'a str>,
    pub signatory_name: Option<&'a str>,
    /// Region code and coordinates, when given (`Kode wilayah 18.72 · 5,113° LS 105,307° BT`).
    pub place: Option<String>,
}

#[derive(Serialize)]
pub struct ContactView<'a> {
    pub name: &'a str,
    pub role: &'a str,
    pub email: Option<&'a str>,
}

#[derive(Serialize)]
pub struct TargetView<'a> {
    pub title: &'a str,
    /// Commodity, supplier and receiver the target names, joined by ` · `.
    pub scope: String,
    /// Absent for a qualitative target.
    pub quantity: Option<String>,
    pub delivered: Option<String>,
    pub progress: Option<String>,
    pub width: Option<String>,
    pub due: Option<String>,
    pub overdue: bool,
}

#[derive(Serialize)]
pub struct MilestoneView<'a> {
    /// The anchor is `milestone-<id>`.
    pub id: &'a str,
    pub date: String,
    pub title: &'a str,
    pub status: MilestoneStatus,
    pub status_label: &'a str,
    pub sources: Vec<SourceRef<'a>>,
}

/// A numbered reference into the dashboard's source list (`#source-<id>`).
#[derive(Serialize)]
pub struct SourceRef<'a> {
    pub id: &'a str,
    pub n: usize,
}

/// One document of the paper trail, in tree order with its depth.
#[derive(Serialize)]
pub struct DocumentView<'a> {
    /// The anchor is `document-<id>`.
    pub id: &'a str,
    pub depth: usize,
    pub kind: DocumentType,
    pub kind_label: &'a str,
    pub title: &'a str,
    pub number: Option<&'a str>,
    pub signed: Option<String>,
    pub parties: Vec<&'a str>,
    pub url: Option<&'a str>,
}

#[derive(Serialize)]
pub struct IssueView<'a> {
    /// The anchor is `issue-<id>`.
    pub id: &'a str,
    pub title: &'a str,
    pub raised: String,
    pub open: bool,
    pub status_label: &'a str,
    pub sources: Vec<SourceRef<'a>>,
}

#[derive(Serialize)]
pub struct SourceView<'a> {
    pub n: usize,
    pub id: &'a str,
    pub title: &'a str,
    pub publisher: Option<&'a str>,
    pub url: &'a str,
    pub date: Option<String>,
}

/// `ledger.html`: one page of the shipment ledger. `page.rows_html` holds the page's table rows
/// as HTML, written by [`super::ledger`].
#[derive(Serialize)]
pub struct Ledger<'a> {
    pub body_class: Option<&'static str>,
    pub a: &'a Head<'a>,
    pub totals: &'a [TotalView<'a>],
    /// Records of the whole ledger.
    pub records: usize,
    pub page_number: usize,
    pub page_count: usize,
    pub pages: Vec<PagerLink>,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub is_last: bool,
    /// The sources this page's rows cite, in the dashboard's order and with its numbers: the
    /// rows link each one's item (anchor `S<n>`) on the same page.
    pub sources: Vec<&'a SourceView<'a>>,
    /// The filter over every record, on the first page only.
    pub filter: Option<LedgerFilter<'a>>,
}

/// What the ledger filter (`assets/filter.js`) needs from the page: the labels of the codes in
/// `records.js`, in the page's language, and how the language writes dates.
#[derive(Serialize)]
pub struct LedgerFilter<'a> {
    pub commodities: Vec<Choice<'a>>,
    pub participants: Vec<Choice<'a>>,
    /// Offtakers, then `-` for records whose receiver is not published.
    pub offtakers: Vec<Choice<'a>>,
    pub statuses: Vec<Choice<'a>>,
    pub verifications: Vec<Choice<'a>>,
    pub documents: Vec<Choice<'a>>,
    /// Every unit code with its label.
    pub units: Vec<Choice<'a>>,
    /// The agreement's source ids, in the order the dashboard numbers them.
    pub sources: Vec<&'a str>,
    /// `notes.<lang>.js` when the page's language has notes of its own.
    pub notes: Option<String>,
    /// Records per static ledger page (the first is `index.html`, then `page-2.html`, ...).
    pub page_size: usize,
    /// The first and last day of the records (`YYYY-MM-DD`), bounds of the date inputs.
    pub first_day: Option<String>,
    pub last_day: Option<String>,
    /// The twelve month names, joined by `|`.
    pub months: String,
}

/// A code of `records.js` and its label.
#[derive(Serialize)]
pub struct Choice<'a> {
    pub id: &'a str,
    pub label: &'a str,
}

#[derive(Serialize)]
pub struct PagerLink {
    pub n: usize,
    pub href: String,
    pub current: bool,
}

/// A commodity's grand total.
#[derive(Serialize)]
pub struct TotalView<'a> {
    pub commodity: &'a str,
    pub quantity: String,
    pub records: usize,
}

/// One shipment record (`kind` is `record`), as the report's appendix lists it and the
/// ledger's rows show it.
#[derive(Serialize)]
pub struct RecordRow<'a> {
    pub kind: &'static str,
    pub id: &'a str,
    pub when: String,
    pub is_period: bool,
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
    pub commodity: Option<&'a str>,
    pub written: String,
    pub quantity: String,
    pub same_unit: bool,
    pub status: ShipmentStatus,
    pub status_label: &'a str,
    pub verification: Verification,
    pub verification_label: &'a str,
    pub sources: Vec<SourceRef<'a>>,
    pub document: Option<&'a str>,
    pub value: Option<String>,
    pub approx: bool,
    pub illustrative: bool,
    pub note: Option<&'a str>,
    /// The commit of the newest revision that changed this record after it was first
    /// published: its anchor on the history page.
    pub revised: Option<&'a str>,
}

/// `history.html`: an agreement's revisions, newest first.
#[derive(Serialize)]
pub struct HistoryPage<'a> {
    pub body_class: Option<&'static str>,
    pub a: &'a Head<'a>,
    pub begins: BeginsView,
    pub revisions: Vec<RevisionView<'a>>,
}

/// The oldest commit read.
#[derive(Serialize)]
pub struct BeginsView {
    pub commit: String,
    pub url: Option<String>,
    pub date: String,
    /// A shallow clone: older revisions exist but were not read.
    pub truncated: bool,
}

#[derive(Serialize)]
pub struct RevisionView<'a> {
    /// The changes in the work tree not yet committed (`serve` only): no commit, date or
    /// message, and the anchor `#uncommitted`.
    pub uncommitted: bool,
    pub commit: &'a str,
    pub short: &'a str,
    /// The commit's page, when site.yaml sets `history.commit_url`.
    pub url: Option<String>,
    pub date: String,
    pub message: &'a str,
    /// Only with `history: {authors: true}`.
    pub author: Option<&'a str>,
    #[serde(flatten)]
    pub shown: ChangesView<'a>,
}

/// What a revision changed, as its tables show it.
#[derive(Serialize)]
pub struct ChangesView<'a> {
    /// False: the commit's data failed the checks and could not be read.
    pub readable: bool,
    /// At most [`super::revisions::PAGE_ROWS`] rows.
    pub changes: Vec<ChangeRow<'a>>,
    /// How many more rows revisions.csv has for this revision, said in words.
    pub more: Option<String>,
    pub totals: Vec<MoveView>,
    pub targets: Vec<MoveView>,
}

/// One row of a revision's table: a record added or removed, or one field of a record changed.
#[derive(Serialize)]
pub struct ChangeRow<'a> {
    pub id: String,
    /// `added`, `changed` or `removed`.
    pub change: &'static str,
    pub change_label: &'a str,
    /// The field's name in the page's language; empty for a record added or removed.
    pub field: &'a str,
    pub old: String,
    pub new: String,
}

/// A total or a target's delivered quantity before and after.
#[derive(Serialize)]
pub struct MoveView {
    pub name: String,
    pub old: String,
    pub new: String,
}

/// `participants.html`.
#[derive(Serialize)]
pub struct Participants<'a> {
    pub body_class: Option<&'static str>,
    pub a: &'a Head<'a>,
    /// The agreement's supply map, with its table of flows.
    pub map: ChartView<'a>,
    pub participants: Vec<ParticipantView<'a>>,
    pub offtakers: Vec<OfftakerView<'a>>,
}

#[derive(Serialize)]
pub struct ParticipantView<'a> {
    /// The anchor is `participant-<id>`.
    pub id: &'a str,
    pub name: &'a str,
    pub kind: Option<&'a str>,
    pub party: Option<&'a str>,
    pub commodities: Vec<&'a str>,
    /// Region code and coordinates, when given.
    pub place: Option<String>,
    /// The receivers it delivered to, and "not published" if some receivers were not.
    pub partners: Vec<&'a str>,
    /// What it delivered, per commodity (per receiver: the map's table).
    pub totals: Vec<TotalView<'a>>,
}

#[derive(Serialize)]
pub struct OfftakerView<'a> {
    /// The anchor is `offtaker-<id>`.
    pub id: &'a str,
    pub name: &'a str,
    pub party: Option<&'a str>,
    /// Region code and coordinates, when given.
    pub place: Option<String>,
    /// The suppliers that delivered to it.
    pub partners: Vec<&'a str>,
    /// What it received, per commodity (per supplier: the map's table).
    pub totals: Vec<TotalView<'a>>,
}

/// `page.html`: a free page, or an agreement's Markdown page (with `a`).
#[derive(Serialize)]
pub struct MarkdownPage<'a> {
    pub body_class: Option<&'static str>,
    pub a: Option<&'a Head<'a>>,
    pub description: Option<&'a str>,
    /// The page as HTML.
    pub body: String,
}

/// `search.html`: the results page of the site search (`assets/search.js` fills it from
/// `search/index.js`).
#[derive(Serialize)]
pub struct SearchPage<'a> {
    pub body_class: Option<&'static str>,
    /// The kinds of entry the index holds (`agreement`, `party`, ...), with their labels.
    pub kinds: Vec<Choice<'a>>,
}

/// `404.html`.
#[derive(Serialize)]
pub struct NotFound {
    pub body_class: Option<&'static str>,
}

/// `report.html`: the monitoring report. `page.ledger` holds its latest [`RecordRow`]s.
#[derive(Serialize)]
pub struct Report<'a> {
    pub body_class: Option<&'static str>,
    pub a: &'a Head<'a>,
    /// The title as a CSS string's content, escaped.
    pub running_header: String,
    pub logo: Option<&'a str>,
    pub year: i32,
    pub as_of: String,
    pub place_date: String,
    pub parties: &'a [PartyView<'a>],
    /// Each facilitator's name, with where it is when given.
    pub facilitators: &'a [String],
    pub signers: Vec<SignerView<'a>>,
    pub toc: Vec<TocEntry<'a>>,
    pub summary: Option<String>,
    pub background: Option<String>,
    pub closing: Option<String>,
    pub documents: &'a [DocumentView<'a>],
    pub commodities: Vec<&'a str>,
    pub participants: Vec<&'a str>,
    pub offtakers: Vec<&'a str>,
    pub cards: &'a [CommodityCard<'a>],
    pub has_deliveries: bool,
    pub targets: &'a [TargetView<'a>],
    pub milestones: Vec<ReportMilestone<'a>>,
    /// The monthly chart's data table, shown in its own section (the chart links to it).
    pub monthly: Option<&'a DataTable>,
    /// The supply map's data table, shown in its own section (the map links to it).
    pub routes: Option<&'a DataTable>,
    pub charts: &'a [ChartView<'a>],
    pub issues: &'a [IssueView<'a>],
    pub ledger_total: usize,
    pub ledger_shown: usize,
    pub totals: &'a [TotalView<'a>],
    pub sources: &'a [SourceView<'a>],
    /// The appendix of revisions; null when the site is in no git repository.
    pub revisions: Option<ReportRevisions<'a>>,
}

/// The report's appendix of revisions: the newest ones, the rest on the history page.
#[derive(Serialize)]
pub struct ReportRevisions<'a> {
    /// The agreement's revisions in all.
    pub total: usize,
    /// The newest, newest first.
    pub shown: Vec<ReportRevision<'a>>,
}

#[derive(Serialize)]
pub struct ReportRevision<'a> {
    /// The full commit id: the revision's anchor on the history page.
    pub commit: &'a str,
    pub short: &'a str,
    pub date: String,
    pub message: &'a str,
    /// False: the commit's data could not be read.
    pub readable: bool,
    pub added: usize,
    pub changed: usize,
    pub removed: usize,
    /// The totals that moved.
    pub totals: Vec<MoveView>,
}

#[derive(Serialize)]
pub struct SignerView<'a> {
    pub title: &'a str,
    pub name: &'a str,
    pub nip: Option<&'a str>,
}

#[derive(Serialize)]
pub struct TocEntry<'a> {
    pub id: &'static str,
    pub label: &'a str,
}

#[derive(Serialize)]
pub struct ReportMilestone<'a> {
    pub date: String,
    pub title: &'a str,
    pub status_label: &'a str,
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::Path;

    use serde_json::Value;

    /// Every key path of `v` under `prefix`: `page.agreements`, `page.agreements[].slug`, ...
    /// The strings under `t` are one entry.
    fn paths(v: &Value, prefix: &str, out: &mut BTreeSet<String>) {
        if prefix == "t" {
            return;
        }
        match v {
            Value::Object(map) => {
                for (k, x) in map {
                    let p = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    out.insert(p.clone());
                    paths(x, &p, out);
                }
            }
            Value::Array(items) => {
                let p = format!("{prefix}[]");
                for x in items {
                    out.insert(p.clone());
                    paths(x, &p, out);
                }
            }
            _ => {}
        }
    }

    /// The variables docs/TEMPLATES.md lists, per `## ` section: the first `code` of each
    /// table row. A row typed `` `T` `` or ``list of `T` `` also stands for the fields of
    /// the section ``## Type `T` ``, whose rows are paths relative to it (`.name`).
    fn documented() -> BTreeMap<String, BTreeSet<String>> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let doc = std::fs::read_to_string(root.join("docs/TEMPLATES.md")).unwrap();
        let mut rows: Vec<(String, String, String)> = Vec::new();
        let mut section = String::new();
        for line in doc.lines() {
            if let Some(h) = line.strip_prefix("## ") {
                section = h.trim_matches('`').to_string();
            } else if let Some(row) = line.strip_prefix("| `") {
                let mut cells = row.split('|');
                let path = cells.next().unwrap_or("").split('`').next().unwrap_or("");
                let kind = cells.next().unwrap_or("").trim().to_string();
                rows.push((section.clone(), path.to_string(), kind));
            }
        }
        let type_rows = |name: &str| -> Vec<&(String, String, String)> {
            let section = format!("Type `{name}");
            rows.iter().filter(|(s, _, _)| *s == section).collect()
        };
        // `path` with its items and, for a named type, the type's fields (recursively).
        type Rows<'r> = Vec<&'r (String, String, String)>;
        fn expand<'r>(
            path: &str,
            kind: &str,
            fields_of: &dyn Fn(&str) -> Rows<'r>,
            out: &mut BTreeSet<String>,
        ) {
            out.insert(path.to_string());
            let list = kind.starts_with("list");
            if list {
                out.insert(format!("{path}[]"));
            }
            let named = kind.split('`').nth(1).unwrap_or("");
            if named.is_empty() {
                return;
            }
            let base = if list {
                format!("{path}[]")
            } else {
                path.to_string()
            };
            for (_, field, field_kind) in fields_of(named) {
                expand(&format!("{base}{field}"), field_kind, fields_of, out);
            }
        }
        let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (section, path, kind) in rows.iter().filter(|(s, _, _)| !s.starts_with("Type `")) {
            let listed = out.entry(section.clone()).or_default();
            expand(path, kind, &type_rows, listed);
        }
        out
    }

    /// A history with one revision of every kind on every agreement, so that the history
    /// page and the marks show every value they can.
    fn with_history(site: &mut crate::model::Site) {
        use crate::history::*;
        use rust_decimal::Decimal;
        let a = &site.agreements[0];
        let commit = |c: &str| CommitId(c.repeat(40));
        let date = a.signed;
        let revision = |c: &str, outcome| Revision {
            commit: commit(c),
            date,
            time: 0,
            message: "Koreksi".into(),
            author: Some("Ani".into()),
            outcome,
        };
        let changes = Changes {
            records: vec![
                RecordChange {
                    id: "r1".into(),
                    change: ChangeKind::Added,
                    commodity: a.commodities[0].id.clone(),
                    old: None,
                    new: Some("7500 kg".into()),
                    fields: vec![],
                },
                RecordChange {
                    id: "r2".into(),
                    change: ChangeKind::Changed,
                    commodity: a.commodities[0].id.clone(),
                    old: Some("1 t".into()),
                    new: Some("2 t".into()),
                    fields: vec![FieldChange {
                        field: "quantity".into(),
                        old: "1 t".into(),
                        new: "2 t".into(),
                    }],
                },
            ],
            totals: vec![TotalMove {
                commodity: a.commodities[0].id.clone(),
                unit: a.commodities[0].unit,
                old: Decimal::ONE,
                new: Decimal::TWO,
            }],
            targets: vec![TargetMove {
                target: a.targets[0].id.clone(),
                unit: a.commodities[0].unit,
                old: Decimal::ONE,
                new: Decimal::TWO,
                old_progress: Some(Decimal::ONE),
                new_progress: Some(Decimal::TWO),
            }],
        };
        let mut history = History {
            begins: Begins {
                commit: commit("a"),
                date,
                truncated: true,
            },
            agreements: [(
                a.slug.clone(),
                vec![
                    revision("b", Outcome::Read(changes)),
                    revision("c", Outcome::Unreadable),
                ],
            )]
            .into(),
        };
        // The other agreements' pages (the Markdown pages among them) show a last revision too.
        let revisions = history.agreements[&a.slug].clone();
        for other in &site.agreements {
            history
                .agreements
                .entry(other.slug.clone())
                .or_insert_with(|| revisions.clone());
        }
        site.history_options.commit_url = Some("https://example.org/commit/{id}".into());
        site.history = Some(std::sync::Arc::new(history));
    }

    #[test]
    fn every_template_variable_is_documented_and_every_documented_one_exists() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let checked = crate::check(root);
        let mut site = checked.site.clone().expect("the example site loads");
        with_history(&mut site);
        let site = &site;
        let theme = crate::theme::load(root, &site.languages, &mut Default::default());
        let options = super::super::RenderOptions::default();
        let renderer =
            super::super::Renderer::new(site, &checked.figures, &theme, &options).unwrap();
        let jobs: Vec<super::super::Job> = renderer
            .plan(|_| None::<()>)
            .expect("check reads every record")
            .into_iter()
            .filter_map(|step| match step {
                super::super::Step::Render(job) => Some(job),
                super::super::Step::Keep { .. } => None,
            })
            .collect();
        let mut seen: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
        for job in &jobs {
            for (template, json) in renderer.contexts(job) {
                paths(&json, "", seen.entry(template).or_default());
            }
        }
        // To see them: the first page of each template of each unit, as JSON.
        if let Ok(dir) = std::env::var("SINERGI_CONTEXTS_OUT") {
            for job in &jobs {
                for (template, json) in renderer.contexts(job) {
                    let name = format!("{}-{template}.json", job.unit.key.replace('/', "-"));
                    let file = Path::new(&dir).join(name);
                    if !file.exists() {
                        std::fs::write(file, serde_json::to_string_pretty(&json).unwrap()).unwrap();
                    }
                }
            }
        }
        let doc = documented();
        let every = doc
            .get("Every template")
            .expect("a section for every template");
        for (template, paths) in &seen {
            let mut listed = every.clone();
            listed.extend(doc.get(*template).cloned().unwrap_or_default());
            let undocumented: Vec<_> = paths.difference(&listed).collect();
            let missing: Vec<_> = listed.difference(paths).collect();
            assert!(
                undocumented.is_empty() && missing.is_empty(),
                "{template}: not in docs/TEMPLATES.md: {undocumented:?}; documented but not \
                 given: {missing:?}"
            );
        }
        let templates: BTreeSet<&str> = seen.keys().copied().collect();
        for section in doc.keys().filter(|s| s.ends_with(".html")) {
            assert!(
                templates.contains(section.as_str()),
                "docs/TEMPLATES.md documents {section}, which no page is rendered with"
            );
        }
    }
}
