//! What each page shows: the model and figures turned into template values, with every number
//! and date already written the way the page's language writes it.

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{Value, json};

use super::markdown;
use super::{Files, LEDGER_PAGE_SIZE, PageJob, localized};
use crate::figures::AgreementFigures;
use crate::locale::Locale;
use crate::model::*;
use crate::theme::Theme;

/// Text in the page language, falling back to the default language.
pub(super) struct Lang<'a> {
    pub lang: &'a str,
    pub default: &'a str,
    pub theme: &'a Theme,
    /// The words and formats of `lang`.
    pub loc: &'a Locale<'a>,
}

impl Lang<'_> {
    pub(super) fn text(&self, t: &Text) -> String {
        t.get(self.lang, self.default).to_string()
    }
    pub(super) fn opt(&self, t: &Option<Text>) -> Option<String> {
        t.as_ref().map(|t| self.text(t))
    }
    pub(super) fn s(&self, key: &str) -> String {
        self.theme.string(self.lang, key)
    }
    pub(super) fn date(&self, d: Date) -> String {
        self.loc.date(d)
    }
    pub(super) fn num(&self, d: Decimal) -> String {
        self.loc.exact(d)
    }
    pub(super) fn unit(&self, u: Unit) -> String {
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
        t.as_ref().map(|t| markdown::to_html(&self.text(t), 2))
    }
}

pub(super) fn portfolio(
    site: &Site,
    figures: &[AgreementFigures],
    theme: &Theme,
    loc: &Locale,
) -> PageJob {
    let l = Lang {
        lang: loc.lang,
        default: site.default_language(),
        theme,
        loc,
    };
    let agreements: Vec<Value> = site
        .agreements
        .iter()
        .zip(figures)
        .map(|(a, f)| {
            json!({
                "slug": a.slug,
                "title": l.text(&a.title),
                "kind": a.kind,
                "status": status_code(a.status),
                "status_label": l.s(&format!("status_{}", status_code(a.status))),
                "parties": a.parties.iter().map(|p| l.text(&p.name)).collect::<Vec<_>>(),
                "period": period(&l, a),
                "totals": commodity_cards(&l, a, f),
                "has_deliveries": f.delivered_records > 0,
            })
        })
        .collect();
    let chart = crate::charts::portfolio_chart(site, figures, loc);
    PageJob {
        template: "portfolio.html",
        path: "index.html".into(),
        title: l.text(&site.title),
        context: json!({
            "agreements": agreements,
            "chart": chart_value(&chart),
        }),
        shared: Vec::new(),
    }
}

pub(super) fn status_code(s: AgreementStatus) -> &'static str {
    match s {
        AgreementStatus::Draft => "draft",
        AgreementStatus::Active => "active",
        AgreementStatus::Completed => "completed",
        AgreementStatus::Expired => "expired",
        AgreementStatus::Terminated => "terminated",
    }
}

pub(super) fn period(l: &Lang, a: &Agreement) -> String {
    match a.end {
        Some(end) => l.loc.span(a.start, end),
        None => format!("{} – {}", l.date(a.start), l.s("period_open")),
    }
}

pub(super) fn commodity_cards(l: &Lang, a: &Agreement, f: &AgreementFigures) -> Vec<Value> {
    a.commodities
        .iter()
        .zip(&f.totals)
        .map(|(c, t)| {
            let progress = t.target.and_then(|target| t.delivered.checked_div(target));
            json!({
                "id": c.id,
                "name": l.text(&c.name),
                "delivered": l.qty(Quantity::new(t.delivered, t.unit)),
                "target": t.target.map(|x| l.qty(Quantity::new(x, t.unit))),
                "progress": progress.map(|p| l.loc.percent(p)),
                "width": progress.map(bar_width),
                "last_delivery": t.last_delivery.map(|d| l.date(d)),
                "records": t.records,
            })
        })
        .collect()
}

/// A progress ratio as a CSS bar width in percent, 0 to 100.
fn bar_width(p: Decimal) -> String {
    let pct = (p * Decimal::ONE_HUNDRED)
        .clamp(Decimal::ZERO, Decimal::ONE_HUNDRED)
        .round_dp(1);
    pct.normalize().to_string()
}

pub(super) fn chart_value(c: &crate::charts::Chart) -> Value {
    json!({
        "name": c.name,
        "title": c.title,
        "description": c.description,
        "note": c.note,
        "svg": c.svg,
        "table": {
            "caption": c.table.caption,
            "headers": c.table.headers,
            "rows": c.table.rows,
        },
    })
}

/// The dashboard, ledger pages, participants page and narrative pages of one agreement;
/// chart files are added to `files` directly.
pub(super) fn agreement_pages(
    site: &Site,
    a: &Agreement,
    f: &AgreementFigures,
    theme: &Theme,
    loc: &Locale,
    files: &mut Files,
) -> Vec<PageJob> {
    let lang = loc.lang;
    let l = Lang {
        lang,
        default: site.default_language(),
        theme,
        loc,
    };
    let dir = format!("agreements/{}", a.slug);
    let charts = crate::charts::agreement_charts(a, f, loc, l.default);
    for c in &charts {
        files.insert(
            localized(site, lang, &format!("{dir}/charts/{}.svg", c.name)),
            super::without_controls(format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}\n",
                c.svg
            ))
            .into_bytes(),
        );
    }
    let title = l.text(&a.title);
    let head = json!({
        "slug": a.slug,
        "title": title,
        "kind": a.kind,
        "status": status_code(a.status),
        "status_label": l.s(&format!("status_{}", status_code(a.status))),
        "signed": l.date(a.signed),
        "period": period(&l, a),
        "pages": a.pages.iter().map(|p| {
            let e = p.edition(lang, l.default);
            json!({"name": p.name, "title": e.title})
        }).collect::<Vec<_>>(),
    });
    let mut jobs = vec![PageJob {
        template: "agreement.html",
        path: format!("{dir}/index.html"),
        title: title.clone(),
        context: json!({
            "a": head,
            "summary": l.md(&a.summary),
            "cards": commodity_cards(&l, a, f),
            "has_deliveries": f.delivered_records > 0,
            "planned_records": f.planned_records,
            "parties": parties(&l, a),
            "facilitators": a.facilitators.iter().map(|x| l.text(&x.name)).collect::<Vec<_>>(),
            "contacts": a.contacts.iter().map(|c| json!({
                "name": c.name, "role": l.text(&c.role), "email": c.email,
            })).collect::<Vec<_>>(),
            "targets": targets(&l, a, f),
            "milestones": a.milestones.iter().map(|m| json!({
                "id": m.id,
                "date": l.date(m.date),
                "title": l.text(&m.title),
                "status": milestone_code(m.status),
                "status_label": l.s(&format!("milestone_{}", milestone_code(m.status))),
                "sources": source_refs(a, &m.sources),
            })).collect::<Vec<_>>(),
            "documents": documents(&l, a),
            "issues": issues(&l, a),
            "sources": sources(&l, a),
            "charts": charts.iter().map(chart_value).collect::<Vec<_>>(),
        }),
        shared: Vec::new(),
    }];
    let logo = ["logo.svg", "logo.png", "logo.jpg"]
        .into_iter()
        .find(|n| theme.statics.contains_key(*n));
    let records: Vec<tera::Value> = a.shipments.iter().map(|s| shipment_row(&l, a, s)).collect();
    let reused = super::report::Reused {
        head: &head,
        charts: &charts,
        records: &records,
        logo,
    };
    let mut report = super::report::report(site, a, f, &l, &reused);
    report.context["body_class"] = json!("report-page");
    jobs.push(report);
    jobs.extend(ledger_pages(&l, a, f, &dir, &head, &records));
    jobs.push(PageJob {
        template: "participants.html",
        path: format!("{dir}/participants/index.html"),
        title: format!("{} – {}", l.s("who_shipped"), title),
        context: json!({"a": head, "participants": participants(&l, a, f), "offtakers": offtakers(&l, a, f)}),
        shared: Vec::new(),
    });
    for p in &a.pages {
        let path = format!("{dir}/{}/index.html", p.name);
        jobs.push(page_job(p.edition(lang, l.default), path, head.clone()));
    }
    jobs
}

pub(super) fn milestone_code(s: MilestoneStatus) -> &'static str {
    match s {
        MilestoneStatus::Planned => "planned",
        MilestoneStatus::Done => "done",
        MilestoneStatus::Missed => "missed",
    }
}

/// Parties with their signatories.
pub(super) fn parties(l: &Lang, a: &Agreement) -> Vec<Value> {
    a.parties
        .iter()
        .map(|p| {
            json!({
                "name": l.text(&p.name),
                "role": l.opt(&p.role),
                "signatory_title": p.signatory.as_ref().map(|s| l.text(&s.title)),
                "signatory_name": p.signatory.as_ref().and_then(|s| s.name.clone()),
            })
        })
        .collect()
}

/// The agreement's sources, numbered as the references point to them.
pub(super) fn sources(l: &Lang, a: &Agreement) -> Vec<Value> {
    a.sources
        .iter()
        .enumerate()
        .map(|(i, s)| {
            json!({
                "n": i + 1,
                "id": s.id,
                "title": l.text(&s.title),
                "publisher": s.publisher,
                "url": s.url,
                "date": s.date.map(|d| l.date(d)),
            })
        })
        .collect()
}

/// Source ids as numbered references into the dashboard's source list.
pub(super) fn source_refs<'a>(a: &Agreement, ids: &'a [String]) -> Vec<SourceRef<'a>> {
    ids.iter()
        .filter_map(|id| {
            let n = a.sources.iter().position(|s| &s.id == id)? + 1;
            Some(SourceRef { id, n })
        })
        .collect()
}

pub(super) fn targets(l: &Lang, a: &Agreement, f: &AgreementFigures) -> Vec<Value> {
    a.targets
        .iter()
        .zip(&f.targets)
        .map(|(t, p)| {
            let scope: Vec<String> = [
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
            .collect();
            json!({
                "title": l.text(&t.title),
                "scope": scope.join(" · "),
                "quantity": p.quantity.map(|q| l.qty(q)),
                "delivered": p.quantity.map(|q| l.qty(Quantity::new(p.delivered, q.unit))),
                "progress": p.progress.map(|x| l.loc.percent(x)),
                "width": p.progress.map(bar_width),
                "due": t.due.map(|d| l.date(d)),
                "overdue": p.overdue,
            })
        })
        .collect()
}

/// The paper trail as a flat list in tree order with a depth: umbrella first, then what was
/// signed under it.
pub(super) fn documents(l: &Lang, a: &Agreement) -> Vec<Value> {
    fn walk(l: &Lang, a: &Agreement, parent: Option<&str>, depth: usize, out: &mut Vec<Value>) {
        if depth > 16 {
            return;
        }
        for d in a.documents.iter().filter(|d| d.parent.as_deref() == parent) {
            out.push(json!({
                "depth": depth,
                "kind": format!("{:?}", d.kind).replace("Other", "—"),
                "title": l.text(&d.title),
                "number": d.number,
                "signed": d.signed.map(|x| l.date(x)),
                "parties": d.parties.iter().filter_map(|p| a.actor_name(p)).map(|t| l.text(t)).collect::<Vec<_>>(),
                "url": d.url,
            }));
            walk(l, a, Some(&d.id), depth + 1, out);
        }
    }
    let mut out = Vec::new();
    walk(l, a, None, 0, &mut out);
    out
}

pub(super) fn issues(l: &Lang, a: &Agreement) -> Vec<Value> {
    let mut list: Vec<&Issue> = a.issues.iter().collect();
    list.sort_by_key(|i| (i.status != IssueStatus::Open, std::cmp::Reverse(i.raised)));
    list.iter()
        .map(|i| {
            let open = i.status == IssueStatus::Open;
            json!({
                "id": i.id,
                "title": l.text(&i.title),
                "raised": l.date(i.raised),
                "open": open,
                "status_label": l.s(if open { "issue_open" } else { "issue_resolved" }),
                "sources": source_refs(a, &i.sources),
            })
        })
        .collect()
}

/// The ledger pages: `records` (one value per shipment) with a subtotal row after each month,
/// LEDGER_PAGE_SIZE records a page; subtotal rows stay with the month they close.
fn ledger_pages(
    l: &Lang,
    a: &Agreement,
    f: &AgreementFigures,
    dir: &str,
    head: &Value,
    records: &[tera::Value],
) -> Vec<PageJob> {
    use chrono::Datelike;
    let mut pages: Vec<Vec<tera::Value>> = vec![Vec::new()];
    let mut count = 0;
    for (i, (s, record)) in a.shipments.iter().zip(records).enumerate() {
        if count == LEDGER_PAGE_SIZE {
            pages.push(Vec::new());
            count = 0;
        }
        count += 1;
        let page = pages.last_mut().expect("one page");
        page.push(record.clone());
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
                page.push(tera::Value::from_serializable(&json!({
                    "kind": "subtotal",
                    "label": format!("{} {}", l.s("monthly_subtotal"), l.loc.month(m.year, m.month)),
                    "commodity": l.text(&c.name),
                    "quantity": l.qty(Quantity::new(m.delivered, c.unit)),
                })));
            }
        }
    }
    let totals: Vec<Value> = a
        .commodities
        .iter()
        .zip(&f.totals)
        .map(|(c, t)| {
            json!({
                "commodity": l.text(&c.name),
                "quantity": l.qty(Quantity::new(t.delivered, t.unit)),
                "records": t.records,
            })
        })
        .collect();
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
                context: json!({
                    "a": head,
                    "totals": totals,
                    "records": a.shipments.len(),
                    "page_number": i + 1,
                    "page_count": page_count,
                    "pages": (0..page_count).map(|j| json!({"n": j + 1, "href": href(j), "current": j == i})).collect::<Vec<_>>(),
                    "prev": if i > 0 { Some(href(i - 1)) } else { None },
                    "next": if i + 1 < page_count { Some(href(i + 1)) } else { None },
                    "is_last": i + 1 == page_count,
                }),
                shared: vec![("rows", tera::Value::from(rows))],
            }
        })
        .collect()
}

/// One ledger record as a template value, built once per agreement and language and shared
/// by the ledger pages and the report's appendix.
pub(super) fn shipment_row(l: &Lang, a: &Agreement, s: &Shipment) -> tera::Value {
    let name = |t: Option<&Text>| t.map(|t| l.text(t));
    tera::Value::from_serializable(&RecordRow {
        kind: "record",
        id: &s.id,
        when: l.when(s.when),
        is_period: matches!(s.when, When::Span { .. }),
        from: name(a.participant(&s.from).map(|p| &p.name)),
        to: s
            .to
            .as_ref()
            .and_then(|t| name(a.offtaker(t).map(|o| &o.name))),
        commodity: name(a.commodity(&s.commodity).map(|c| &c.name)),
        written: l.qty(s.written),
        quantity: l.qty(s.quantity),
        same_unit: s.written.unit == s.quantity.unit,
        status: s.status.code(),
        status_label: l.s(&format!("shipment_{}", s.status.code())),
        verification: s.verification.code(),
        verification_label: l.s(&format!("verification_{}", s.verification.code())),
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
    })
}

#[derive(Serialize)]
struct RecordRow<'a> {
    kind: &'static str,
    id: &'a str,
    when: String,
    is_period: bool,
    from: Option<String>,
    to: Option<String>,
    commodity: Option<String>,
    written: String,
    quantity: String,
    same_unit: bool,
    status: &'static str,
    status_label: String,
    verification: &'static str,
    verification_label: String,
    sources: Vec<SourceRef<'a>>,
    document: Option<String>,
    value: Option<String>,
    approx: bool,
    illustrative: bool,
    note: Option<String>,
}

#[derive(Serialize)]
pub(super) struct SourceRef<'a> {
    id: &'a str,
    n: usize,
}

fn participants(l: &Lang, a: &Agreement, f: &AgreementFigures) -> Vec<Value> {
    a.participants
        .iter()
        .map(|p| {
            let routes: Vec<Value> = f
                .routes
                .iter()
                .filter(|r| r.from == p.id)
                .map(|r| route(l, a, r, false))
                .collect();
            json!({
                "name": l.text(&p.name),
                "kind": l.opt(&p.kind),
                "party": a.party(&p.party).map(|x| l.text(&x.name)),
                "commodities": p.commodities.iter().filter_map(|c| a.commodity(c)).map(|c| l.text(&c.name)).collect::<Vec<_>>(),
                "routes": routes,
            })
        })
        .collect()
}

fn offtakers(l: &Lang, a: &Agreement, f: &AgreementFigures) -> Vec<Value> {
    a.offtakers
        .iter()
        .map(|o| {
            let routes: Vec<Value> = f
                .routes
                .iter()
                .filter(|r| r.to.as_deref() == Some(o.id.as_str()))
                .map(|r| route(l, a, r, true))
                .collect();
            json!({
                "name": l.text(&o.name),
                "party": a.party(&o.party).map(|x| l.text(&x.name)),
                "routes": routes,
            })
        })
        .collect()
}

fn route(l: &Lang, a: &Agreement, r: &crate::figures::RouteTotal, from_side: bool) -> Value {
    let c = a.commodity(&r.commodity).expect("validated commodity");
    let other = if from_side {
        a.participant(&r.from).map(|p| l.text(&p.name))
    } else {
        r.to.as_ref()
            .and_then(|t| a.offtaker(t))
            .map(|o| l.text(&o.name))
    };
    json!({
        "other": other.unwrap_or_else(|| l.s("not_published")),
        "commodity": l.text(&c.name),
        "quantity": l.qty(Quantity::new(r.delivered, c.unit)),
        "records": r.records,
    })
}

pub(super) fn free_page(site: &Site, p: &Page, lang: &str) -> PageJob {
    let e = p.edition(lang, site.default_language());
    page_job(e, format!("{}/index.html", p.name), Value::Null)
}

/// A Markdown page; `agreement` is the agreement header's values, or null for a free page.
fn page_job(e: &PageEdition, path: String, agreement: Value) -> PageJob {
    PageJob {
        template: "page.html",
        path,
        title: e.title.clone(),
        context: json!({
            "a": agreement,
            "description": e.description,
            "body": markdown::to_html(&e.markdown, 2),
        }),
        shared: Vec::new(),
    }
}
