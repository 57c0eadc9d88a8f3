//! The printable monitoring and evaluation report (laporan monitoring dan evaluasi) of one
//! agreement: cover, approval sheet, contents, BAB I–V and appendices, laid out for A4.

use chrono::Datelike;

use super::PageJob;
use super::context::*;
use super::markdown;
use super::views::{Lang, Shown};
use crate::charts::Chart;
use crate::figures::AgreementFigures;
use crate::model::*;

/// Agreement pages whose Markdown feeds BAB I (background) and BAB V (closing).
pub const BACKGROUND_PAGES: [&str; 2] = ["background", "latar-belakang"];
pub const CLOSING_PAGES: [&str; 2] = ["closing", "penutup"];

/// Past this many records the printed appendix lists the latest ones and points to the ledger
/// pages and the CSV. Twenty-five rows fill about one A4 page: enough to check the latest
/// deliveries against the chapters' totals in a meeting; the full ledger is one link away and a
/// report of hundreds of pages is not read (docs/PERFORMANCE.md, "Output size").
pub const REPORT_LEDGER_LIMIT: usize = 25;

/// The revisions appendix lists this many, newest first, and points to the history page for
/// the rest: a page or two of A4 with each revision's date, commit, message, record counts and
/// the totals that moved.
pub const REPORT_REVISION_LIMIT: usize = 20;

/// The appendix of revisions, after [`SECTIONS`], when the site is in a git repository.
/// The ids of BAB III's tables per month and per route.
const PER_MONTH: &str = "per-month";
const PER_ROUTE: &str = "per-route";

pub const REVISIONS_SECTION: (&str, &str) = ("lampiran-c", "report_appendix_revisions");

/// The chapters and appendices, as (id, string key) in order.
pub const SECTIONS: [(&str, &str); 7] = [
    ("bab-1", "report_bab1"),
    ("bab-2", "report_bab2"),
    ("bab-3", "report_bab3"),
    ("bab-4", "report_bab4"),
    ("bab-5", "report_bab5"),
    ("lampiran-a", "report_appendix_ledger"),
    ("lampiran-b", "report_appendix_sources"),
];

/// What the agreement's other pages already built and the report shows again.
pub(super) struct Reused<'a> {
    pub shown: &'a Shown<'a>,
    pub charts: &'a [Chart],
    pub records: &'a [RecordRow<'a>],
    pub logo: Option<&'a str>,
}

pub(super) fn report(
    site: &Site,
    a: &ReadAgreement,
    f: &AgreementFigures,
    l: &Lang,
    reused: &Reused,
) -> PageJob {
    let Reused {
        shown,
        charts,
        records,
        logo,
    } = reused;
    let page_md = |names: &[&str]| {
        a.pages
            .iter()
            .find(|p| names.contains(&p.name.as_str()))
            .map(|p| p.edition(l.lang, l.default))
            .map(|e| markdown::to_html(&e.markdown, 3))
    };
    let as_of = site.as_of.unwrap_or(a.signed);
    let place = a.report.as_ref().map(|r| l.text(&r.place)).unwrap_or("");
    let place_date = if place.is_empty() {
        l.date(as_of)
    } else {
        format!("{place}, {}", l.date(as_of))
    };
    // The tables of the monthly chart and of the map are BAB III's tables per month and per
    // route; the charts link to them rather than repeat them.
    let table_of = |name: &str| charts.iter().find(|c| c.name == name).map(|c| &c.table);
    let chart_views: Vec<ChartView> = charts
        .iter()
        .map(|c| ChartView {
            table_at: match c.name.as_str() {
                "monthly" => Some(PER_MONTH),
                "map" => Some(PER_ROUTE),
                _ => None,
            },
            ..ChartView::file(c, "../charts/")
        })
        .collect();
    let title = format!("{} – {}", l.s("report_title"), l.text(&a.title));
    let page = Report {
        body_class: Some("report-page"),
        a: &shown.head,
        running_header: css_string(&title),
        logo: *logo,
        year: as_of.year(),
        as_of: l.date(as_of),
        place_date,
        parties: &shown.parties,
        facilitators: &shown.facilitators,
        signers: a
            .report
            .iter()
            .flat_map(|r| &r.signers)
            .map(|s| SignerView {
                title: l.text(&s.title),
                name: &s.name,
                nip: s.nip.as_deref(),
            })
            .collect(),
        toc: SECTIONS
            .iter()
            .chain(site.history.as_ref().map(|_| &REVISIONS_SECTION))
            .map(|(id, key)| TocEntry {
                id,
                label: l.s(key),
            })
            .collect(),
        summary: l.md(&a.summary),
        background: page_md(&BACKGROUND_PAGES),
        closing: page_md(&CLOSING_PAGES),
        documents: &shown.documents,
        commodities: a.commodities.iter().map(|c| l.text(&c.name)).collect(),
        participants: a.participants.iter().map(|p| l.text(&p.name)).collect(),
        offtakers: a.offtakers.iter().map(|o| l.text(&o.name)).collect(),
        cards: &shown.cards,
        has_deliveries: f.delivered_records > 0,
        targets: &shown.targets,
        milestones: a
            .milestones
            .iter()
            .map(|m| ReportMilestone {
                date: l.date(m.date),
                title: l.text(&m.title),
                status_label: l.label("milestone", &m.status),
            })
            .collect(),
        monthly: table_of("monthly"),
        routes: table_of("map"),
        charts: &chart_views,
        issues: &shown.issues,
        ledger_total: a.shipments.len(),
        ledger_shown: a.shipments.len().min(REPORT_LEDGER_LIMIT),
        totals: &shown.totals,
        sources: &shown.sources,
        revisions: site.revisions(&a.slug).map(|revs| revisions(a, l, revs)),
    };
    PageJob {
        template: "report.html",
        path: format!("agreements/{}/report/index.html", a.slug),
        title,
        page: tera::Value::from_serializable(&page),
        shared: vec![(
            "ledger",
            tera::Value::from_serializable(
                &records[records.len().saturating_sub(REPORT_LEDGER_LIMIT)..],
            ),
        )],
    }
}

/// The appendix of revisions: the newest [`REPORT_REVISION_LIMIT`], newest first.
fn revisions<'r>(
    a: &Agreement,
    l: &Lang,
    revs: &'r [crate::history::Revision],
) -> ReportRevisions<'r> {
    use crate::history::ChangeKind;
    let shown = revs
        .iter()
        .rev()
        .take(REPORT_REVISION_LIMIT)
        .map(|r| {
            let changes = r.changes();
            let count = |kind: ChangeKind| {
                changes.map_or(0, |c| c.records.iter().filter(|x| x.change == kind).count())
            };
            ReportRevision {
                commit: &r.commit.0,
                short: r.commit.short(),
                date: l.date(r.date),
                message: &r.message,
                readable: changes.is_some(),
                added: count(ChangeKind::Added),
                changed: count(ChangeKind::Changed),
                removed: count(ChangeKind::Removed),
                totals: changes
                    .map(|c| super::revisions::total_moves(a, l, &c.totals))
                    .unwrap_or_default(),
            }
        })
        .collect();
    ReportRevisions {
        total: revs.len(),
        shown,
    }
}

/// A CSS string literal's content with every character HTML or CSS treats specially written as
/// a CSS hex escape, so the running header can never end its rule or the `<style>` element and
/// needs no HTML escaping.
pub fn css_string(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().take(120) {
        match c {
            '"' | '\'' | '\\' | '<' | '>' | '&' | '/' => {
                out.push_str(&format!("\\{:x} ", c as u32))
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_strings_cannot_break_out() {
        let s = css_string("a\"}</style><script>\\");
        assert!(
            !s.contains('"') && !s.contains('<') && !s.contains("\\\\"),
            "{s}"
        );
    }
}
