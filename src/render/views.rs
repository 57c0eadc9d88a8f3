//! What each page shows: the model and figures turned into the typed template contexts of
//! [`super::context`], with every number and date already written the way the page's language
//! writes it.

use rust_decimal::Decimal;

use super::context::*;
use super::ledger::{Rows, Words};
use super::markdown;
use super::marks::Marks;
use super::{Files, LEDGER_PAGE_SIZE, PageJob, localized};
use crate::figures::{AgreementFigures, Totals};
use crate::locale::Locale;
use crate::model::*;
use crate::theme::Theme;

/// Text in the page language, falling back to the default language.
pub(super) struct Lang<'a> {
    pub lang: &'a str,
    pub default: &'a str,
    /// The words and formats of `lang`.
    pub loc: &'a Locale<'a>,
}

impl<'a> Lang<'a> {
    pub(super) fn text<'m>(&self, t: &'m Text) -> &'m str {
        t.get(self.lang, self.default)
    }
    pub(super) fn opt<'m>(&self, t: &'m Option<Text>) -> Option<&'m str> {
        t.as_ref().map(|t| self.text(t))
    }
    /// An interface string.
    pub(super) fn s(&self, key: &str) -> &'a str {
        self.loc.label(key)
    }
    /// The label of an enum value: `<prefix>_<serde name>`.
    pub(super) fn label<T: serde::Serialize>(&self, prefix: &str, value: &T) -> &'a str {
        self.s(&format!("{prefix}_{}", variant_name(value)))
    }
    pub(super) fn date(&self, d: Date) -> String {
        self.loc.date(d)
    }
    pub(super) fn num(&self, d: Decimal) -> String {
        self.loc.exact(d)
    }
    pub(super) fn unit(&self, u: Unit) -> &'a str {
        self.s(&format!("unit_{}", u.code()))
    }
    pub(super) fn qty(&self, q: Quantity) -> String {
        format!("{} {}", self.num(q.amount), self.unit(q.unit))
    }
    pub(super) fn when(&self, w: When) -> String {
        match w {
            When::Day(d) => self.date(d),
            When::Span { start, end } => self.loc.span(start, end),
        }
    }
    pub(super) fn md(&self, t: &Option<Text>) -> Option<String> {
        t.as_ref().map(|t| markdown::to_html(self.text(t), 2))
    }
    /// Where someone is, as profiles show it: `Kode wilayah 18.72 · 5,113° LS 105,307° BT`.
    pub(super) fn place(
        &self,
        location: Option<Location>,
        region: &Option<String>,
    ) -> Option<String> {
        let region = region
            .as_ref()
            .map(|code| self.loc.fill("region_code", &[("code", code)]));
        let point = location.map(|p| {
            let degrees = |d: Decimal, negative: &str, positive: &str| {
                let key = if d.is_sign_negative() {
                    negative
                } else {
                    positive
                };
                self.loc.fill(key, &[("n", &self.num(d.abs()))])
            };
            format!(
                "{} {}",
                degrees(p.lat, "location_south", "location_north"),
                degrees(p.lon, "location_west", "location_east")
            )
        });
        let parts: Vec<String> = region.into_iter().chain(point).collect();
        (!parts.is_empty()).then(|| parts.join(" · "))
    }
    /// A facilitator's name, with where it is when given.
    pub(super) fn facilitator(&self, f: &Facilitator) -> String {
        match self.place(f.location, &f.region) {
            Some(place) => format!("{} ({place})", self.text(&f.name)),
            None => self.text(&f.name).to_string(),
        }
    }
}

/// A typed page context as the template value `page`.
fn value(page: &impl serde::Serialize) -> tera::Value {
    tera::Value::from_serializable(page)
}

/// The portfolio page; its supply map is also added to `files` as `charts/map.svg`.
pub(super) fn portfolio(
    site: &Site,
    figures: &[Totals],
    loc: &Locale,
    files: &mut Files,
) -> PageJob {
    let l = Lang {
        lang: loc.lang,
        default: site.default_language(),
        loc,
    };
    let agreements: Vec<AgreementCard> = site
        .agreements
        .iter()
        .zip(figures)
        .map(|(a, f)| AgreementCard {
            slug: &a.slug,
            title: l.text(&a.title),
            kind: &a.kind,
            status: a.status,
            status_label: l.label("status", &a.status),
            parties: a.parties.iter().map(|p| l.text(&p.name)).collect(),
            period: period(&l, a),
            totals: commodity_cards(
                &l,
                a,
                f,
                &site.revisions(&a.slug).map(Marks::of).unwrap_or_default(),
            ),
            has_deliveries: f.delivered_records > 0,
        })
        .collect();
    let chart = crate::charts::portfolio_chart(site, figures, loc);
    let map = crate::charts::portfolio_map(site, figures, loc);
    files.insert(
        localized(site, loc.lang, &format!("charts/{}.svg", map.name)),
        chart_file(&map),
    );
    PageJob {
        template: "portfolio.html",
        path: "index.html".into(),
        title: l.text(&site.title).to_string(),
        page: value(&Portfolio {
            body_class: None,
            agreements,
            chart: ChartView::inline(&chart),
            map: ChartView::file(&map, "charts/"),
        }),
        shared: Vec::new(),
    }
}

pub(super) fn period(l: &Lang, a: &Agreement) -> String {
    match a.end {
        Some(end) => l.loc.span(a.start, end),
        None => format!("{} – {}", l.date(a.start), l.s("period_open")),
    }
}

pub(super) fn commodity_cards<'a>(
    l: &Lang<'a>,
    a: &'a Agreement,
    f: &Totals,
    marks: &Marks<'a>,
) -> Vec<CommodityCard<'a>> {
    a.commodities
        .iter()
        .zip(&f.totals)
        .map(|(c, t)| {
            let progress = t.target.and_then(|target| t.delivered.checked_div(target));
            CommodityCard {
                id: &c.id,
                name: l.text(&c.name),
                delivered: l.qty(Quantity::new(t.delivered, t.unit)),
                target: t.target.map(|x| l.qty(Quantity::new(x, t.unit))),
                progress: progress.map(|p| l.loc.percent(p)),
                width: progress.map(bar_width),
                last_delivery: t.last_delivery.map(|d| l.date(d)),
                records: t.records,
                revised: marks.totals.get(c.id.as_str()).map(|r| revised(l, r)),
            }
        })
        .collect()
}

/// A link to revision `r` on the history page.
pub(super) fn revised<'a>(l: &Lang, r: &'a crate::history::Revision) -> Revised<'a> {
    Revised {
        commit: &r.commit.0,
        date: l.date(r.date),
    }
}

/// A progress ratio as a CSS bar width in percent, 0 to 100.
fn bar_width(p: Decimal) -> String {
    let pct = (p * Decimal::ONE_HUNDRED)
        .clamp(Decimal::ZERO, Decimal::ONE_HUNDRED)
        .round_dp(1);
    pct.normalize().to_string()
}

/// A chart as a standalone SVG file, for download.
fn chart_file(c: &crate::charts::Chart) -> Vec<u8> {
    super::without_controls(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}\n",
        c.svg
    ))
    .into_bytes()
}

/// What the dashboard and the report both show, built once.
pub(super) struct Shown<'a> {
    pub head: Head<'a>,
    pub cards: Vec<CommodityCard<'a>>,
    pub parties: Vec<PartyView<'a>>,
    pub facilitators: Vec<String>,
    pub targets: Vec<TargetView<'a>>,
    pub documents: Vec<DocumentView<'a>>,
    pub issues: Vec<IssueView<'a>>,
    pub sources: Vec<SourceView<'a>>,
    pub totals: Vec<TotalView<'a>>,
}

/// The dashboard, ledger pages, participants page, report and narrative pages of one
/// agreement; chart files are added to `files` directly.
pub(super) fn agreement_pages(
    site: &Site,
    a: &ReadAgreement,
    f: &AgreementFigures,
    theme: &Theme,
    loc: &Locale,
    files: &mut Files,
) -> Vec<PageJob> {
    let lang = loc.lang;
    let l = Lang {
        lang,
        default: site.default_language(),
        loc,
    };
    let dir = format!("agreements/{}", a.slug);
    let charts = crate::charts::agreement_charts(a, f, loc, l.default);
    for c in &charts {
        files.insert(
            localized(site, lang, &format!("{dir}/charts/{}.svg", c.name)),
            chart_file(c),
        );
    }
    let title = l.text(&a.title);
    let marks = site.revisions(&a.slug).map(Marks::of).unwrap_or_default();
    let shown = Shown {
        head: Head {
            slug: &a.slug,
            title,
            kind: &a.kind,
            status: a.status,
            status_label: l.label("status", &a.status),
            signed: l.date(a.signed),
            period: period(&l, a),
            pages: a
                .pages
                .iter()
                .map(|p| PageLink {
                    name: &p.name,
                    title: &p.edition(lang, l.default).title,
                })
                .collect(),
            history: site.history.is_some(),
            uncommitted: site.uncommitted.contains_key(&a.slug),
            revised: marks.last.map(|r| revised(&l, r)),
        },
        cards: commodity_cards(&l, a, f, &marks),
        parties: parties(&l, a),
        facilitators: a.facilitators.iter().map(|x| l.facilitator(x)).collect(),
        targets: targets(&l, a, f),
        documents: documents(&l, a),
        issues: issues(&l, a),
        sources: sources(&l, a),
        totals: totals(&l, a, f),
    };
    let head = &shown.head;
    let mut jobs = vec![PageJob {
        template: "agreement.html",
        path: format!("{dir}/index.html"),
        title: title.to_string(),
        page: value(&Dashboard {
            body_class: None,
            a: head,
            summary: l.md(&a.summary),
            cards: &shown.cards,
            has_deliveries: f.delivered_records > 0,
            planned_records: f.planned_records,
            parties: &shown.parties,
            facilitators: &shown.facilitators,
            contacts: a
                .contacts
                .iter()
                .map(|c| ContactView {
                    name: &c.name,
                    role: l.text(&c.role),
                    email: c.email.as_deref(),
                })
                .collect(),
            targets: &shown.targets,
            milestones: a
                .milestones
                .iter()
                .map(|m| MilestoneView {
                    id: &m.id,
                    date: l.date(m.date),
                    title: l.text(&m.title),
                    status: m.status,
                    status_label: l.label("milestone", &m.status),
                    sources: source_refs(a, &m.sources),
                })
                .collect(),
            documents: &shown.documents,
            issues: &shown.issues,
            sources: &shown.sources,
            charts: &charts
                .iter()
                .map(|c| ChartView::file(c, "charts/"))
                .collect::<Vec<_>>(),
        }),
        shared: Vec::new(),
    }];
    let logo = ["logo.svg", "logo.png", "logo.jpg"]
        .into_iter()
        .find(|n| theme.statics.contains_key(*n));
    let records: Vec<RecordRow> = a
        .shipments
        .iter()
        .map(|s| shipment_row(&l, a, s, &marks))
        .collect();
    let reused = super::report::Reused {
        shown: &shown,
        charts: &charts,
        records: &records,
        logo,
    };
    jobs.push(super::report::report(site, a, f, &l, &reused));
    jobs.extend(ledger_pages(&l, a, f, &dir, &shown, &records));
    jobs.push(PageJob {
        template: "participants.html",
        path: format!("{dir}/participants/index.html"),
        title: format!("{} – {}", l.s("who_shipped"), title),
        page: value(&Participants {
            body_class: None,
            a: head,
            map: ChartView::file(
                charts
                    .iter()
                    .find(|c| c.name == "map")
                    .expect("every agreement has a map"),
                "../charts/",
            ),
            participants: participants(&l, a, f),
            offtakers: offtakers(&l, a, f),
        }),
        shared: Vec::new(),
    });
    for p in &a.pages {
        let path = format!("{dir}/{}/index.html", p.name);
        jobs.push(page_job(p.edition(lang, l.default), path, Some(head)));
    }
    if let Some(history) = &site.history {
        jobs.push(super::revisions::page(site, history, a, &l, head));
    }
    jobs
}

/// Parties with their signatories.
pub(super) fn parties<'a>(l: &Lang, a: &'a Agreement) -> Vec<PartyView<'a>> {
    a.parties
        .iter()
        .map(|p| PartyView {
            id: &p.id,
            name: l.text(&p.name),
            role: l.opt(&p.role),
            signatory_title: p.signatory.as_ref().map(|s| l.text(&s.title)),
            signatory_name: p.signatory.as_ref().and_then(|s| s.name.as_deref()),
            place: l.place(p.location, &p.region),
        })
        .collect()
}

/// The agreement's sources, numbered as the references point to them.
fn sources<'a>(l: &Lang, a: &'a Agreement) -> Vec<SourceView<'a>> {
    a.sources
        .iter()
        .enumerate()
        .map(|(i, s)| SourceView {
            n: i + 1,
            id: &s.id,
            title: l.text(&s.title),
            publisher: s.publisher.as_deref(),
            url: &s.url,
            date: s.date.map(|d| l.date(d)),
        })
        .collect()
}

/// Source ids as numbered references into the dashboard's source list.
fn source_refs<'a>(a: &Agreement, ids: &'a [String]) -> Vec<SourceRef<'a>> {
    ids.iter()
        .filter_map(|id| {
            let n = a.sources.iter().position(|s| &s.id == id)? + 1;
            Some(SourceRef { id, n })
        })
        .collect()
}

/// The names of the commodity, supplier and receiver target `t` names, in that order.
pub(super) fn target_scope<'a>(l: &Lang, a: &'a Agreement, t: &Target) -> Vec<&'a str> {
    [
        t.commodity
            .as_ref()
            .and_then(|c| a.commodity(c))
            .map(|c| l.text(&c.name)),
        t.participant
            .as_ref()
            .and_then(|x| a.participant(x))
            .map(|x| l.text(&x.name)),
        t.offtaker
            .as_ref()
            .and_then(|x| a.offtaker(x))
            .map(|x| l.text(&x.name)),
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn targets<'a>(l: &Lang, a: &'a Agreement, f: &AgreementFigures) -> Vec<TargetView<'a>> {
    a.targets
        .iter()
        .zip(&f.targets)
        .map(|(t, p)| {
            let scope = target_scope(l, a, t);
            TargetView {
                title: l.text(&t.title),
                scope: scope.join(" · "),
                quantity: p.quantity.map(|q| l.qty(q)),
                delivered: p
                    .quantity
                    .map(|q| l.qty(Quantity::new(p.delivered, q.unit))),
                progress: p.progress.map(|x| l.loc.percent(x)),
                width: p.progress.map(bar_width),
                due: t.due.map(|d| l.date(d)),
                overdue: p.overdue,
            }
        })
        .collect()
}

/// The paper trail as a flat list in tree order with a depth: umbrella first, then what was
/// signed under it.
fn documents<'a>(l: &Lang<'a>, a: &'a Agreement) -> Vec<DocumentView<'a>> {
    fn walk<'a>(
        l: &Lang<'a>,
        a: &'a Agreement,
        parent: Option<&str>,
        depth: usize,
        out: &mut Vec<DocumentView<'a>>,
    ) {
        if depth > 16 {
            return;
        }
        for d in a.documents.iter().filter(|d| d.parent.as_deref() == parent) {
            out.push(DocumentView {
                id: &d.id,
                depth,
                kind: d.kind,
                kind_label: l.s(&format!(
                    "document_{}",
                    variant_name(&d.kind).to_lowercase()
                )),
                title: l.text(&d.title),
                number: d.number.as_deref(),
                signed: d.signed.map(|x| l.date(x)),
                parties: d
                    .parties
                    .iter()
                    .filter_map(|p| a.actor_name(p))
                    .map(|t| l.text(t))
                    .collect(),
                url: d.url.as_deref(),
            });
            walk(l, a, Some(&d.id), depth + 1, out);
        }
    }
    let mut out = Vec::new();
    walk(l, a, None, 0, &mut out);
    out
}

fn issues<'a>(l: &Lang<'a>, a: &'a Agreement) -> Vec<IssueView<'a>> {
    let mut list: Vec<&Issue> = a.issues.iter().collect();
    list.sort_by_key(|i| (i.status != IssueStatus::Open, std::cmp::Reverse(i.raised)));
    list.iter()
        .map(|i| IssueView {
            id: &i.id,
            title: l.text(&i.title),
            raised: l.date(i.raised),
            open: i.status == IssueStatus::Open,
            status_label: l.label("issue", &i.status),
            sources: source_refs(a, &i.sources),
        })
        .collect()
}

/// Each commodity's grand total.
fn totals<'a>(l: &Lang, a: &'a Agreement, f: &AgreementFigures) -> Vec<TotalView<'a>> {
    a.commodities
        .iter()
        .zip(&f.totals)
        .map(|(c, t)| TotalView {
            commodity: l.text(&c.name),
            quantity: l.qty(Quantity::new(t.delivered, t.unit)),
            records: t.records,
        })
        .collect()
}

/// The ledger pages: `records` (one per shipment) with a subtotal row after each month,
/// LEDGER_PAGE_SIZE records a page; subtotal rows stay with the month they close. The rows are
/// written as HTML here ([`super::ledger`]), the rest of the page by `ledger.html`.
fn ledger_pages(
    l: &Lang,
    a: &ReadAgreement,
    f: &AgreementFigures,
    dir: &str,
    shown: &Shown,
    records: &[RecordRow],
) -> Vec<PageJob> {
    use chrono::Datelike;
    let words = Words::new(l);
    let page_rows = |n: usize| a.shipments.len().saturating_sub(n).min(LEDGER_PAGE_SIZE);
    let mut pages: Vec<Rows> = vec![Rows::with_capacity(page_rows(0), 0)];
    let mut count = 0;
    for (i, (s, record)) in a.shipments.iter().zip(records).enumerate() {
        if count == LEDGER_PAGE_SIZE {
            let previous = pages.last().map_or(0, Rows::len);
            pages.push(Rows::with_capacity(page_rows(i), previous));
            count = 0;
        }
        count += 1;
        let page = pages.last_mut().expect("one page");
        page.record(record, &words);
        let end = s.when.end();
        let next_month = a
            .shipments
            .get(i + 1)
            .map(|x| (x.when.end().year(), x.when.end().month()));
        if next_month != Some((end.year(), end.month())) {
            for m in f
                .monthly
                .iter()
                .filter(|m| m.year == end.year() && m.month == end.month())
            {
                let c = a.commodity(&m.commodity).expect("validated commodity");
                page.subtotal(
                    &format!(
                        "{} {}",
                        l.s("monthly_subtotal"),
                        l.loc.month(m.year, m.month)
                    ),
                    l.text(&c.name),
                    &l.qty(Quantity::new(m.delivered, c.unit)),
                );
            }
        }
    }
    let page_count = pages.len();
    let href = |i: usize| {
        if i == 0 {
            "index.html".to_string()
        } else {
            format!("page-{}.html", i + 1)
        }
    };
    pages
        .into_iter()
        .enumerate()
        .map(|(i, rows)| {
            let title = format!("{} – {}", l.s("ledger"), l.text(&a.title));
            PageJob {
                template: "ledger.html",
                path: format!("{dir}/shipments/{}", href(i)),
                title: if page_count > 1 {
                    format!("{title} ({} {})", l.s("page"), i + 1)
                } else {
                    title
                },
                page: value(&Ledger {
                    body_class: None,
                    a: &shown.head,
                    totals: &shown.totals,
                    records: a.shipments.len(),
                    page_number: i + 1,
                    page_count,
                    pages: (0..page_count)
                        .map(|j| PagerLink {
                            n: j + 1,
                            href: href(j),
                            current: j == i,
                        })
                        .collect(),
                    prev: (i > 0).then(|| href(i - 1)),
                    next: (i + 1 < page_count).then(|| href(i + 1)),
                    is_last: i + 1 == page_count,
                    sources: shown
                        .sources
                        .iter()
                        .filter(|s| rows.cited().contains(&s.n))
                        .collect(),
                    filter: (i == 0 && !a.shipments.is_empty()).then(|| ledger_filter(l, a)),
                }),
                shared: vec![("rows_html", rows.into_value())],
            }
        })
        .collect()
}

/// The labels the ledger filter shows for the codes of `records.js`.
fn ledger_filter<'a>(l: &Lang<'a>, read: &ReadAgreement<'a>) -> LedgerFilter<'a> {
    let a: &'a Agreement = read.agreement;
    let choice = |id: &'a str, label: &'a str| Choice { id, label };
    let mut offtakers: Vec<Choice> = a
        .offtakers
        .iter()
        .map(|o| choice(&o.id, l.text(&o.name)))
        .collect();
    offtakers.push(choice("-", l.s("not_published")));
    let days = read.shipments.iter().flat_map(|s| match s.when {
        When::Day(d) => [d, d],
        When::Span { start, end } => [start, end],
    });
    LedgerFilter {
        commodities: a
            .commodities
            .iter()
            .map(|c| choice(&c.id, l.text(&c.name)))
            .collect(),
        participants: a
            .participants
            .iter()
            .map(|p| choice(&p.id, l.text(&p.name)))
            .collect(),
        offtakers,
        statuses: super::records::STATUSES
            .iter()
            .map(|s| choice(s.code(), l.label("shipment", s)))
            .collect(),
        verifications: super::records::VERIFICATIONS
            .iter()
            .map(|v| choice(v.code(), l.label("verification", v)))
            .collect(),
        documents: a
            .documents
            .iter()
            .map(|d| choice(&d.id, l.text(&d.title)))
            .collect(),
        units: Unit::ALL
            .iter()
            .map(|u| choice(u.code(), l.unit(*u)))
            .collect(),
        sources: a.sources.iter().map(|s| s.id.as_str()).collect(),
        notes: super::records::has_own_notes(read, l.lang, l.default)
            .then(|| format!("notes.{}.js", l.lang)),
        page_size: LEDGER_PAGE_SIZE,
        first_day: days.clone().min().map(|d| d.to_string()),
        last_day: days.max().map(|d| d.to_string()),
        months: (1..=12)
            .map(|m| l.loc.month_name(m))
            .collect::<Vec<_>>()
            .join("|"),
    }
}

/// One ledger record, built once per agreement and language and shared by the ledger pages
/// and the report's appendix.
fn shipment_row<'a>(
    l: &Lang<'a>,
    a: &'a Agreement,
    s: &'a Shipment,
    marks: &Marks<'a>,
) -> RecordRow<'a> {
    RecordRow {
        kind: "record",
        id: &s.id,
        when: l.when(s.when),
        is_period: matches!(s.when, When::Span { .. }),
        from: a.participant(&s.from).map(|p| l.text(&p.name)),
        to: s
            .to
            .as_ref()
            .and_then(|t| a.offtaker(t))
            .map(|o| l.text(&o.name)),
        commodity: a.commodity(&s.commodity).map(|c| l.text(&c.name)),
        written: l.qty(s.written),
        quantity: l.qty(s.quantity),
        same_unit: s.written.unit == s.quantity.unit,
        status: s.status,
        status_label: l.label("shipment", &s.status),
        verification: s.verification,
        verification_label: l.label("verification", &s.verification),
        sources: source_refs(a, &s.sources),
        document: s
            .document
            .as_ref()
            .and_then(|d| a.document(d))
            .map(|d| l.text(&d.title)),
        value: s.value_idr.map(|v| l.loc.rupiah(v)),
        approx: s.approx,
        illustrative: s.illustrative,
        note: l.opt(&s.note),
        revised: marks.records.get(s.id.as_str()).copied(),
    }
}

fn participants<'a>(
    l: &Lang<'a>,
    a: &'a Agreement,
    f: &AgreementFigures,
) -> Vec<ParticipantView<'a>> {
    a.participants
        .iter()
        .map(|p| {
            let Card { partners, totals } =
                card(l, a, f.routes.iter().filter(|r| r.from == p.id), false);
            ParticipantView {
                id: &p.id,
                name: l.text(&p.name),
                kind: l.opt(&p.kind),
                party: a.party(&p.party).map(|x| l.text(&x.name)),
                commodities: p
                    .commodities
                    .iter()
                    .filter_map(|c| a.commodity(c))
                    .map(|c| l.text(&c.name))
                    .collect(),
                place: l.place(p.location, &p.region),
                partners,
                totals,
            }
        })
        .collect()
}

fn offtakers<'a>(l: &Lang<'a>, a: &'a Agreement, f: &AgreementFigures) -> Vec<OfftakerView<'a>> {
    a.offtakers
        .iter()
        .map(|o| {
            let to_o = f
                .routes
                .iter()
                .filter(|r| r.to.as_deref() == Some(o.id.as_str()));
            let Card { partners, totals } = card(l, a, to_o, true);
            OfftakerView {
                id: &o.id,
                name: l.text(&o.name),
                party: a.party(&o.party).map(|x| l.text(&x.name)),
                place: l.place(o.location, &o.region),
                partners,
                totals,
            }
        })
        .collect()
}

/// A card's partners and totals per commodity, from its routes (`from_side`: the card is the
/// receiver's, the partners are suppliers), partners and commodities in the agreement's order.
fn card<'a, 'r>(
    l: &Lang<'a>,
    a: &'a Agreement,
    routes: impl Iterator<Item = &'r crate::figures::RouteTotal>,
    from_side: bool,
) -> Card<'a> {
    let routes: Vec<_> = routes.collect();
    let partners = if from_side {
        a.participants
            .iter()
            .filter(|p| routes.iter().any(|r| r.from == p.id))
            .map(|p| l.text(&p.name))
            .collect()
    } else {
        let mut names: Vec<&str> = a
            .offtakers
            .iter()
            .filter(|o| {
                routes
                    .iter()
                    .any(|r| r.to.as_deref() == Some(o.id.as_str()))
            })
            .map(|o| l.text(&o.name))
            .collect();
        if routes.iter().any(|r| r.to.is_none()) {
            names.push(l.s("not_published"));
        }
        names
    };
    let totals = a
        .commodities
        .iter()
        .filter_map(|c| {
            let of_c = routes.iter().filter(|r| r.commodity == c.id);
            let (delivered, records) = of_c.fold((Decimal::ZERO, 0), |(q, n), r| {
                (q + r.delivered, n + r.records)
            });
            (records > 0).then(|| TotalView {
                commodity: l.text(&c.name),
                quantity: l.qty(Quantity::new(delivered, c.unit)),
                records,
            })
        })
        .collect();
    Card { partners, totals }
}

/// What [`card`] gives the supplier's and the receiver's cards.
struct Card<'a> {
    partners: Vec<&'a str>,
    totals: Vec<TotalView<'a>>,
}

pub(super) fn free_page(site: &Site, p: &Page, lang: &str) -> PageJob {
    let e = p.edition(lang, site.default_language());
    page_job(e, format!("{}/index.html", p.name), None)
}

/// A Markdown page; `head` is the agreement's header, or none for a free page.
fn page_job(e: &PageEdition, path: String, head: Option<&Head>) -> PageJob {
    PageJob {
        template: "page.html",
        path,
        title: e.title.clone(),
        page: value(&MarkdownPage {
            body_class: None,
            a: head,
            description: e.description.as_deref(),
            body: markdown::to_html(&e.markdown, 2),
        }),
        shared: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_its_label_in_the_built_in_strings() {
        use AgreementStatus as A;
        use DocumentType as D;
        use ShipmentStatus as S;
        use Verification as V;
        let mut keys: Vec<String> = Vec::new();
        let mut add = |prefix: &str, name: &str| keys.push(format!("{prefix}_{name}"));
        for s in [A::Draft, A::Active, A::Completed, A::Expired, A::Terminated] {
            add("status", variant_name(&s));
        }
        for s in [
            MilestoneStatus::Planned,
            MilestoneStatus::Done,
            MilestoneStatus::Missed,
        ] {
            add("milestone", variant_name(&s));
        }
        for s in [IssueStatus::Open, IssueStatus::Resolved] {
            add("issue", variant_name(&s));
        }
        for s in [S::Planned, S::Shipped, S::Received, S::Verified] {
            add("shipment", variant_name(&s));
        }
        for v in [V::Reported, V::Official, V::Documented, V::Audited] {
            add("verification", variant_name(&v));
        }
        for d in [D::KB, D::NK, D::MoU, D::PKS, D::PO, D::Other] {
            add("document", &variant_name(&d).to_lowercase());
        }
        let theme = Theme::builtin();
        for lang in ["id", "en"] {
            for key in &keys {
                assert!(
                    theme.strings[lang].contains_key(key),
                    "{key} is missing in {lang}.yaml"
                );
            }
        }
    }
}
