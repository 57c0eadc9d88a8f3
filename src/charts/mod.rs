//! Server-rendered SVG charts of an agreement's dashboard and of the portfolio page, each with
//! a text alternative and the same data as a table.
//!
//! # What an agreement gets
//! [`agreement_charts`] returns, in this order:
//! - `cumulative-<commodity-id>`: cumulative deliveries of one commodity over time against its
//!   commodity-wide target, one chart per commodity that has a shipment record or such a
//!   target (small multiples: tonnes and heads never share an axis);
//! - `monthly`: deliveries per month, one panel per commodity in one SVG (per quarter or year
//!   when the records span more than 6 or 18 years);
//! - `targets`: progress toward each quantitative target, horizontal bars with the % written
//!   on them (only when the agreement has a quantitative target);
//! - `participants`, `offtakers`: deliveries by supplier and by receiver, per commodity;
//!   shipments whose receiver was not published are a bar of their own, hatched and named so;
//! - `map`: the supply map, always last (see [`map`]): suppliers and receivers at their
//!   locations, curved lines for what went where.
//!
//! **No shipment records yet**: the delivery charts are replaced by one chart named
//! `deliveries` whose SVG, description and table say "Belum ada pengiriman" / "No deliveries
//! yet" ([`no_deliveries_text`]); the `targets` chart still follows when there are
//! quantitative targets (at 0%). So the returned `Vec` is never empty and a dashboard can
//! render it without a special case. Records that are all `planned` are drawn as planned.
//!
//! # Honesty rules
//! - A `period` record is a total for a span, not a daily series: the cumulative line steps up
//!   once at the period's end and a hatched band marks the span; the monthly chart draws it
//!   hatched in the month the period ends with a bracket under the months it covers. The
//!   chart's `note` says so.
//! - Planned shipments are never counted as delivered: dashed line, pale dashed bars.
//! - Every bar starts at zero.
//!
//! # SVG
//! Drawn with plotters' SVG backend into a `String` ([`canvas`]): the plot areas with a scale
//! (cumulative, monthly) are plotters charts with their mesh, axes and series; the other
//! charts and everything around a plot (titles, legends, direct labels) are plotters elements
//! (`Rectangle`, `PathElement`, `Polygon`, `Text`, `Circle`). Hatching is an SVG `<pattern>` of
//! stripes defined once per chart; a dashed line or outline is one stroke with a
//! `stroke-dasharray` (plotters strokes it in a marker colour that [`post`] replaces).
//!
//! A thin hand-written layer ([`post`]) adds only what plotters cannot write: the root element
//! with a `viewBox` 560 wide and no width/height (scales from a 390 px phone to A4),
//! `role="img"`, `aria-labelledby` to a `<title>` and `<desc>` whose ids start with
//! `chart-<agreement-slug>-<chart-name>` (`chart-portfolio` on the portfolio page), and a
//! `<title>` tooltip around each text shortened to fit; it also joins what plotters writes as
//! many elements but draws as one (a run of lines of one style becomes one `<path>` with
//! relative steps, a run of bars of one style one `<path>` of rectangles, a run of islands
//! one `<path>`, a fill and its outline one shape), which keeps the chart files lean. Generic `sans-serif`, text of at least
//! 16 units (10 CSS px on a phone, 16 px in a 560 px column), Okabe–Ito colours plus stripes,
//! dashes and direct labels so nothing depends on colour, every data text escaped (plotters
//! escapes `<>&"'`; [`text::clean`] drops what XML cannot carry), deterministic bytes. Large
//! ledgers are aggregated before drawing (per pixel column, per month), so the size of an SVG
//! does not grow with the number of records. Plotters guesses text widths at 0.7 em per byte
//! without a font feature, so the layout measures text itself ([`text::text_width`]).

mod basemap;
mod breakdown;
mod canvas;
mod cumulative;
mod geo;
mod map;
mod monthly;
mod portfolio;
mod post;
mod scale;
mod style;
mod targets;
mod text;
mod words;

use crate::figures::{AgreementFigures, Totals};
use crate::locale::Locale;
use crate::model::{Date, ReadAgreement, Site, Text};

pub use words::unit_name;

/// The data of a chart as a table, in the page language, numbers localized. Templates also
/// receive its [`DataTable::spans`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataTable {
    pub caption: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl DataTable {
    /// How many rows each row's first cell (its header) spans: the rows right under it that
    /// start with the same cell share it (a month's rows, a supplier's routes). Such a row has
    /// 0 and no header cell of its own; the table says the month or supplier once.
    pub fn spans(&self) -> Vec<usize> {
        let first = |i: usize| self.rows[i].first();
        let mut spans = vec![1; self.rows.len()];
        let mut head = 0;
        for i in 1..self.rows.len() {
            if first(i) == first(head) {
                spans[head] += 1;
                spans[i] = 0;
            } else {
                head = i;
            }
        }
        spans
    }
}

impl serde::Serialize for DataTable {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut t = s.serialize_struct("DataTable", 4)?;
        t.serialize_field("caption", &self.caption)?;
        t.serialize_field("headers", &self.headers)?;
        t.serialize_field("rows", &self.rows)?;
        t.serialize_field("spans", &self.spans())?;
        t.end()
    }
}

/// A chart: its SVG, the same data as a table and its words (templates receive it as
/// `render::context::ChartView`, shown from its file where it has one).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Chart {
    /// File stem, a slug, unique within the agreement.
    pub name: String,
    /// In the page language.
    pub title: String,
    /// The key figures in words (also the SVG `<desc>`).
    pub description: String,
    /// How to read the chart: how period records are drawn, planned vs delivered.
    pub note: Option<String>,
    /// A complete standalone `<svg>` element.
    pub svg: String,
    /// The same data as a table.
    pub table: DataTable,
}

/// "Belum ada pengiriman" / "No deliveries yet", for a dashboard that wants the words.
pub fn no_deliveries_text<'k>(l: &Locale<'k>) -> &'k str {
    l.s("chart_no_deliveries")
}

/// All charts of one agreement's dashboard, in the language of `l` (`default_lang` is the
/// fallback for Text). See the module documentation for the list.
pub fn agreement_charts(
    a: &ReadAgreement,
    f: &AgreementFigures,
    l: &Locale,
    default_lang: &str,
) -> Vec<Chart> {
    let cx = Ctx {
        a,
        f,
        lang: l.lang,
        default_lang,
        l,
    };
    let mut charts = Vec::new();
    match Domain::of(a) {
        None => charts.push(empty(&cx)),
        Some(dom) => {
            for (i, c) in a.commodities.iter().enumerate() {
                let has_records = a.shipments.iter().any(|s| s.commodity == c.id);
                let has_target = cx.commodity_target(&c.id).is_some();
                if has_records || has_target {
                    charts.push(cumulative::chart(&cx, i, c, &dom));
                }
            }
            if let (Some(key), Some(first)) = (
                cumulative::reading_key(&cx, charts.len()),
                charts.first_mut(),
            ) {
                first.note = Some(match first.note.take() {
                    Some(own) => format!("{key} {own}"),
                    None => key,
                });
            }
            charts.push(monthly::chart(&cx, &dom));
        }
    }
    if let Some(chart) = targets::chart(&cx) {
        charts.push(chart);
    }
    if !a.shipments.is_empty() {
        charts.push(breakdown::chart(&cx, breakdown::By::Participant));
        charts.push(breakdown::chart(&cx, breakdown::By::Offtaker));
    }
    charts.push(map::agreement(a, f, l, default_lang, &cx.prefix("map")));
    charts
}

/// Every agreement's deliveries on one map of Indonesia, for the portfolio page (`map`, with
/// ids starting `chart-portfolio-map`).
pub fn portfolio_map(site: &Site, figures: &[Totals], l: &Locale) -> Chart {
    map::portfolio(site, figures, l)
}

/// One overview chart of every agreement's progress for the portfolio page: per agreement,
/// a bar per quantitative target and a line of delivered totals.
pub fn portfolio_chart(site: &Site, figures: &[Totals], l: &Locale) -> Chart {
    portfolio::chart(site, figures, l)
}

/// What every chart of one agreement needs.
pub(crate) struct Ctx<'a> {
    pub a: &'a ReadAgreement<'a>,
    pub f: &'a AgreementFigures<'a>,
    pub lang: &'a str,
    pub default_lang: &'a str,
    /// The words and formats of the page language.
    pub l: &'a Locale<'a>,
}

impl<'a> Ctx<'a> {
    pub fn text(&self, t: &'a Text) -> &'a str {
        t.get(self.lang, self.default_lang)
    }

    /// `chart-<slug>-<name>`: the id prefix of a chart's elements.
    pub fn prefix(&self, name: &str) -> String {
        format!("chart-{}-{name}", self.a.slug)
    }

    /// The commodity's colour: its place in the agreement's list.
    pub fn colour(&self, id: &str) -> plotters::style::RGBColor {
        let i = self
            .a
            .commodities
            .iter()
            .position(|c| c.id == id)
            .unwrap_or(0);
        style::colour(i)
    }

    /// The commodity-wide target (targets naming no participant or offtaker), in its unit.
    pub fn commodity_target(&self, id: &str) -> Option<rust_decimal::Decimal> {
        self.f
            .totals
            .iter()
            .find(|t| t.commodity == id)
            .and_then(|t| t.target)
    }
}

/// The time span the delivery charts of one agreement share.
pub(crate) struct Domain {
    /// The agreement's start, or the first record's start if earlier.
    pub start: Date,
    /// The last date of any record (a period by its end), planned included.
    pub end: Date,
    /// The last date of any delivered record (the data's "as of" for lines); `start` if none.
    pub delivered_end: Date,
}

impl Domain {
    fn of(a: &ReadAgreement) -> Option<Domain> {
        let first = a.shipments.iter().map(|s| s.when.start()).min()?;
        let end = a.shipments.iter().map(|s| s.when.end()).max()?;
        let start = first.min(a.start);
        let delivered_end = a
            .shipments
            .iter()
            .filter(|s| s.is_delivered())
            .map(|s| s.when.end())
            .max()
            .unwrap_or(start);
        Some(Domain {
            start,
            end,
            delivered_end,
        })
    }
}

/// The "no deliveries yet" chart.
fn empty(cx: &Ctx) -> Chart {
    let l = cx.l;
    let name = "deliveries";
    let title = l.s("chart_deliveries").to_string();
    let since = l.date(cx.a.signed);
    let description = l.fill("chart_desc_empty", &[("date", &since)]);
    let no_deliveries = l.s("chart_no_deliveries");
    let height = 150.0;
    let svg = canvas::render(&cx.prefix(name), height, &title, &description, |c| {
        use plotters::style::Color;
        let (x, y, fw, fh) = (8.0, 8.0, style::W - 16.0, height - 16.0);
        c.rect(x, y, fw, fh, style::TRACK.filled());
        c.rect(x, y, fw, fh, style::BAND_STRIPE);
        let big = canvas::Look::BOLD;
        c.text(
            style::W / 2.0,
            66.0,
            canvas::Anchor::Middle,
            24.0,
            no_deliveries,
            big,
        );
        c.label(
            style::W / 2.0,
            98.0,
            canvas::Anchor::Middle,
            style::SMALL,
            l.s("chart_no_deliveries_hint"),
            style::W - 40.0,
            canvas::Look::MUTED,
        );
    });
    let rows =
        cx.a.commodities
            .iter()
            .map(|c| {
                vec![
                    cx.text(&c.name).to_string(),
                    l.number(rust_decimal::Decimal::ZERO, 0),
                    words::unit_label(c.unit, l).to_string(),
                ]
            })
            .collect();
    Chart {
        name: name.to_string(),
        title: title.clone(),
        description,
        note: None,
        svg,
        table: DataTable {
            caption: format!("{}: {}", title, no_deliveries.to_lowercase()),
            headers: vec![
                l.s("commodity").to_string(),
                l.s("chart_delivered").to_string(),
                l.s("chart_unit").to_string(),
            ],
            rows,
        },
    }
}
