//! `cumulative-<commodity>`: one commodity's cumulative deliveries over time against its
//! commodity-wide target.

use std::collections::BTreeMap;

use chrono::Datelike;
use rust_decimal::Decimal;

use crate::model::{Commodity, Date, When};

use plotters::chart::ChartBuilder;
use plotters::element::Circle;
use plotters::series::LineSeries;
use plotters::style::{Color, ShapeStyle};
use rust_decimal::prelude::ToPrimitive;

use super::canvas::{self, Anchor, Canvas, DRAWN, Fill, Look, Swatch, legend, legend_room, px};
use plotters::coord::ranged1d::Ranged;

use super::scale::{DateCoord, TimeAxis, ValueAxis, ValueCoord, merged, month_start, next_month};
use super::style::{self, GRID, HEAD, INK, MUTED, SMALL, W};
use super::text::{BOLD, text_width};
use super::words::{axis_labels, count, exact_quantity, label_quantity, records, unit_label};
use super::{Chart, Ctx, DataTable, Domain};

const PLOT_H: f64 = 200.0;
/// Line height of the direct labels at the lines' ends.
const END_LINE: f64 = 19.0;
/// A table with more rows than this is given per month instead of per date.
const MAX_TABLE_ROWS: usize = 60;

/// One record date's amounts: delivered and planned, with record counts.
#[derive(Default, Clone, Copy)]
struct Step {
    delivered: Decimal,
    planned: Decimal,
}

/// Everything the chart shows, aggregated from one commodity's records.
struct Aggregate {
    /// Per end date.
    steps: BTreeMap<Date, Step>,
    /// Period records' spans.
    spans: Vec<(Date, Date)>,
    delivered: Decimal,
    planned: Decimal,
    n_delivered: usize,
    /// Delivered period records.
    n_period: usize,
    n_planned: usize,
    last_delivery: Option<Date>,
    /// Table groups: (end, start, planned) -> (amount, records).
    groups: BTreeMap<(Date, Date, bool), (Decimal, usize)>,
    target: Option<Decimal>,
}

impl Aggregate {
    fn of(cx: &Ctx, c: &Commodity) -> Aggregate {
        let mut agg = Aggregate {
            steps: BTreeMap::new(),
            spans: Vec::new(),
            delivered: Decimal::ZERO,
            planned: Decimal::ZERO,
            n_delivered: 0,
            n_period: 0,
            n_planned: 0,
            last_delivery: None,
            groups: BTreeMap::new(),
            target: cx.commodity_target(&c.id),
        };
        for s in cx.a.shipments.iter().filter(|s| s.commodity == c.id) {
            let q = s.quantity.amount;
            let step = agg.steps.entry(s.when.end()).or_default();
            if s.is_delivered() {
                step.delivered += q;
                agg.delivered += q;
                agg.n_delivered += 1;
                agg.last_delivery = agg.last_delivery.max(Some(s.when.end()));
            } else {
                step.planned += q;
                agg.planned += q;
                agg.n_planned += 1;
            }
            if let When::Span { start, end } = s.when {
                agg.spans.push((start, end));
                if s.is_delivered() {
                    agg.n_period += 1;
                }
            }
            let g = agg
                .groups
                .entry((s.when.end(), s.when.start(), !s.is_delivered()))
                .or_default();
            g.0 += q;
            g.1 += 1;
        }
        agg
    }

    fn total(&self) -> Decimal {
        self.delivered + self.planned
    }
}

pub fn chart(cx: &Ctx, ci: usize, c: &Commodity, dom: &Domain) -> Chart {
    let name = format!("cumulative-{}", c.id);
    let cname = cx.text(&c.name);
    let agg = Aggregate::of(cx, c);
    let title = cx.l.fill("chart_cumulative_title", &[("name", cname)]);
    let description = describe(cx, cname, c, &agg);
    let note = notes(cx, c, &agg);
    let lay = Layout::new(cx, c, style::colour(ci), dom, &agg);
    let svg = canvas::render(&cx.prefix(&name), lay.height, &title, &description, |s| {
        draw(s, cx, c, dom, &agg, &lay)
    });
    Chart {
        name,
        table: table(cx, &title, c, &agg.groups),
        title,
        description,
        note,
        svg,
    }
}

/// How to read the lines of an agreement's `charts` cumulative charts (period records, planned
/// shipments): said once, in the first chart's note, not repeated under each.
pub fn reading_key(cx: &Ctx, charts: usize) -> Option<String> {
    let l = cx.l;
    let mut key = Vec::new();
    if cx
        .a
        .shipments
        .iter()
        .any(|s| matches!(s.when, When::Span { .. }))
    {
        key.push(l.s("chart_note_period_step"));
    }
    if cx.a.shipments.iter().any(|s| !s.is_delivered()) {
        key.push(l.s("chart_note_planned_line"));
    }
    if key.is_empty() {
        return None;
    }
    if charts > 1 {
        key.push(l.s("chart_note_cumulative_all"));
    }
    Some(key.join(" "))
}

/// What holds for this chart alone: its commodity's targets shown elsewhere.
fn notes(cx: &Ctx, c: &Commodity, agg: &Aggregate) -> Option<String> {
    let l = cx.l;
    let mut notes = Vec::new();
    let mine = || {
        cx.a.targets
            .iter()
            .filter(|t| t.commodity.as_deref() == Some(c.id.as_str()))
    };
    if agg.target.is_none() && mine().any(|t| t.quantity.is_some()) {
        notes.push(l.s("chart_note_target_scoped"));
    } else if agg.target.is_none() && mine().next().is_some() {
        notes.push(l.s("chart_note_target_qualitative"));
    }
    (!notes.is_empty()).then(|| notes.join(" "))
}

/// Where everything goes: legend, plot frame, axes and the direct labels at the lines' ends.
struct Layout {
    colour: plotters::style::RGBColor,
    items: Vec<(Swatch, String)>,
    top: f64,
    bottom: f64,
    height: f64,
    axis: ValueAxis,
    tick_labels: Vec<String>,
    /// Per line end: its value and its label lines (`true`: bold).
    end_texts: Vec<(Decimal, Vec<(String, bool)>)>,
    left: f64,
    right: f64,
    time: TimeAxis,
    ticks: Vec<(Date, String, Option<String>)>,
    line_start: Date,
}

impl Layout {
    fn new(
        cx: &Ctx,
        c: &Commodity,
        colour: plotters::style::RGBColor,
        dom: &Domain,
        agg: &Aggregate,
    ) -> Layout {
        let l = cx.l;
        let mut items: Vec<(Swatch, String)> = vec![(
            Swatch::Line(colour, 3, None),
            l.s("chart_delivered").to_string(),
        )];
        if agg.n_planned > 0 {
            items.push((
                Swatch::Line(colour, 2, Some(PLANNED_DASH)),
                l.s("chart_incl_planned").to_string(),
            ));
        }
        if agg.target.is_some() {
            items.push((
                Swatch::Line(INK, 2, Some(TARGET_DASH)),
                l.s("target").to_string(),
            ));
        }
        if !agg.spans.is_empty() {
            items.push((
                Swatch::Bar(Fill::Band),
                l.s("chart_period_span").to_string(),
            ));
        }
        let top = 52.0 + legend_room(16.0, W - 16.0, &items);
        let bottom = top + PLOT_H;

        // Direct labels at the end of each line (the legend says which line is which); the
        // margins are as wide as the axis labels and these need.
        let axis = ValueAxis::new(agg.total().max(agg.target.unwrap_or_default()), 5);
        let tick_labels = axis_labels(&axis.ticks, l);
        let mut end_texts: Vec<(Decimal, Vec<(String, bool)>)> = vec![(
            agg.delivered,
            vec![(label_quantity(agg.delivered, c.unit, l), true)],
        )];
        if agg.n_planned > 0 {
            end_texts.push((
                agg.total(),
                vec![(label_quantity(agg.total(), c.unit, l), false)],
            ));
        }
        if let Some(t) = agg.target {
            end_texts.push((
                t,
                vec![
                    (l.s("target").to_string(), false),
                    (label_quantity(t, c.unit, l), false),
                ],
            ));
        }
        let widest = |texts: &mut dyn Iterator<Item = (&str, bool)>| {
            texts
                .map(|(t, bold)| text_width(t, SMALL) * if bold { BOLD } else { 1.0 })
                .fold(0.0, f64::max)
        };
        let left = (widest(&mut tick_labels.iter().map(|t| (t.as_str(), false))) + 16.0).max(40.0);
        let right = W
            - (widest(
                &mut end_texts
                    .iter()
                    .flat_map(|(_, lines)| lines.iter().map(|(t, b)| (t.as_str(), *b))),
            ) + 24.0)
                .clamp(60.0, 200.0);

        let time = TimeAxis {
            start: month_start(dom.start),
            // A little room after the last record, so its step is not on the frame.
            // At least a month, so one record does not fill the width.
            end: (dom.end
                + chrono::Days::new(
                    ((dom.end - month_start(dom.start)).num_days() / 40).max(2) as u64
                ))
            .max(next_month(dom.start)),
        };
        let ticks = time.ticks(l, 7);
        Layout {
            colour,
            items,
            top,
            bottom,
            height: bottom + 56.0,
            axis,
            tick_labels,
            end_texts,
            left,
            right,
            time,
            ticks,
            line_start: cx.a.start.max(dom.start),
        }
    }
}

type Plot<'a, 'b> = plotters::chart::ChartContext<
    'a,
    plotters::backend::SVGBackend<'b>,
    plotters::coord::cartesian::Cartesian2d<DateCoord, ValueCoord>,
>;

fn draw(s: &mut Canvas, cx: &Ctx, c: &Commodity, dom: &Domain, agg: &Aggregate, lay: &Layout) {
    let l = cx.l;
    let unit = unit_label(c.unit, l);
    let (top, bottom, time) = (lay.top, lay.bottom, &lay.time);
    s.label(
        16.0,
        28.0,
        Anchor::Start,
        HEAD,
        &format!("{} ({unit}, {})", cx.text(&c.name), l.s("chart_cumulative")),
        W - 32.0,
        Look::BOLD,
    );
    legend(s, 16.0, 56.0, W - 16.0, &lay.items);

    let x_coord = DateCoord::new(
        time.start,
        time.end,
        lay.ticks.iter().map(|(d, m, _)| (*d, m.clone())).collect(),
    );
    let y_coord = ValueCoord::new(&lay.axis, lay.tick_labels.clone());
    let y_max = y_coord.top();
    let (xc, yc) = (x_coord.clone(), y_coord.clone());
    let mut chart = ChartBuilder::on(&s.root)
        .margin_top(px(top) as u32)
        .margin_right(px(W - lay.right) as u32)
        .x_label_area_size(px(lay.height - bottom) as u32)
        .y_label_area_size(px(lay.left) as u32)
        .build_cartesian_2d(x_coord, y_coord)
        .expect(DRAWN);
    // Plotters' own mapping, kept apart from the chart so it can be used while drawing.
    let (x0, y0) = chart.backend_coord(&(time.start, 0.0));
    let (x1, y1) = chart.backend_coord(&(time.end, y_max));
    let at = |d: Date, v: f64| (xc.map(&d, (x0, x1)), yc.map(&v, (y0, y1)));

    // Period bands, merged in pixel space, under the grid.
    let y_top = at(time.start, y_max).1;
    let y_zero = at(time.start, 0.0).1;
    for (x1, x2) in merge_spans(|d| at(d, 0.0).0, &agg.spans) {
        let (x1, x2) = (f64::from(x1), f64::from(x2.max(x1 + 2)));
        s.bar(
            x1,
            f64::from(y_top),
            x2 - x1,
            f64::from(y_zero - y_top),
            Fill::Band,
        );
    }

    chart
        .configure_mesh()
        .disable_x_mesh()
        .bold_line_style(GRID)
        .axis_style(MUTED)
        .set_all_tick_mark_size(5)
        .label_style(canvas::font(SMALL, Look::PLAIN, Anchor::Middle))
        .draw()
        .expect(DRAWN);
    // The year under the first month and wherever it changes.
    for (d, _, year) in &lay.ticks {
        if let Some(year) = year {
            let x = f64::from(at(*d, 0.0).0);
            s.text(x, bottom + 42.0, Anchor::Middle, SMALL, year, Look::PLAIN);
        }
    }

    if let Some(t) = agg.target {
        let t = value(t);
        chart
            .draw_series(LineSeries::new(
                [(time.start, t), (time.end, t)],
                s.dash(INK.stroke_width(2), TARGET_DASH.0, TARGET_DASH.1),
            ))
            .expect(DRAWN);
    }
    let planned = s.dash(lay.colour.stroke_width(2), PLANNED_DASH.0, PLANNED_DASH.1);
    draw_lines(&mut chart, &|d| at(d, 0.0).0, dom, agg, lay, planned);

    let plot_right = f64::from(chart.plotting_area().get_pixel_range().0.end);
    let end_labels = lay
        .end_texts
        .iter()
        .map(|(v, lines)| EndLabel {
            y: f64::from(at(time.start, value(*v)).1),
            lines: lines.clone(),
        })
        .collect();
    draw_end_labels(s, end_labels, plot_right + 8.0, top, bottom);
}

/// The delivered line (one step per record date, merged per pixel column) with its points,
/// and delivered plus planned, dashed (`planned`), from the first planned record on. `x` maps
/// a date to its pixel column.
fn draw_lines(
    chart: &mut Plot,
    x: &dyn Fn(Date) -> i32,
    dom: &Domain,
    agg: &Aggregate,
    lay: &Layout,
    planned: ShapeStyle,
) {
    let colour = lay.colour;
    let mut cum = Decimal::ZERO;
    let mut points: Vec<(i32, Date, Decimal)> = Vec::new();
    for (d, st) in &agg.steps {
        if st.delivered.is_zero() {
            continue;
        }
        cum += st.delivered;
        push_point(&mut points, x(*d), *d, cum);
    }
    let end = dom.delivered_end.max(lay.line_start);
    chart
        .draw_series(LineSeries::new(
            staircase(lay.line_start, Decimal::ZERO, &points, Some(end)),
            colour.stroke_width(3),
        ))
        .expect(DRAWN);
    if points.len() <= 40 {
        chart
            .draw_series(points.iter().flat_map(|(_, d, v)| {
                let p = (*d, value(*v));
                [
                    Circle::new(p, 4, colour.filled()),
                    Circle::new(p, 4, style::WHITE.stroke_width(1)),
                ]
            }))
            .expect(DRAWN);
    }

    if agg.n_planned == 0 {
        return;
    }
    let mut cum = Decimal::ZERO;
    let mut pts: Vec<(i32, Date, Decimal)> = Vec::new();
    let mut started: Option<(Date, Decimal)> = None;
    for (d, st) in &agg.steps {
        if started.is_none() && !st.planned.is_zero() {
            // Continue from where the solid line ends when the plan lies after it.
            started = Some(((*d).min(dom.delivered_end).max(lay.line_start), cum));
        }
        cum += st.delivered + st.planned;
        if started.is_some() {
            push_point(&mut pts, x(*d), *d, cum);
        }
    }
    if let Some((from, v0)) = started {
        chart
            .draw_series(LineSeries::new(staircase(from, v0, &pts, None), planned))
            .expect(DRAWN);
    }
}

fn value(v: Decimal) -> f64 {
    v.to_f64().unwrap_or(0.0)
}

/// The dashes of the line of delivered plus planned, and of the target line.
const PLANNED_DASH: (f64, f64) = (6.0, 4.0);
const TARGET_DASH: (f64, f64) = (2.0, 3.0);

/// The corners of a step line from (`from`, `v0`): along, then up at each point; on to `end`.
fn staircase(
    from: Date,
    v0: Decimal,
    points: &[(i32, Date, Decimal)],
    end: Option<Date>,
) -> Vec<(Date, f64)> {
    let value = |v: Decimal| v.to_f64().unwrap_or(0.0);
    let mut out = vec![(from, value(v0))];
    let mut last = v0;
    for (_, d, v) in points {
        out.push((*d, value(last)));
        out.push((*d, value(*v)));
        last = *v;
    }
    if let Some(end) = end {
        out.push((end, value(last)));
    }
    out
}

/// Adds a step point, merging it with the previous one when it falls on the same pixel column.
fn push_point(points: &mut Vec<(i32, Date, Decimal)>, px: i32, d: Date, v: Decimal) {
    match points.last_mut() {
        Some(last) if last.0 == px => *last = (px, d, v),
        _ => points.push((px, d, v)),
    }
}

/// Period spans as pixel ranges (`x` maps a date), overlapping or touching ones merged.
fn merge_spans(x: impl Fn(Date) -> i32, spans: &[(Date, Date)]) -> Vec<(i32, i32)> {
    merged(spans.iter().map(|(a, b)| (x(*a), x(*b))).collect(), 1)
}

struct EndLabel {
    y: f64,
    /// Lines of text; `true` for bold.
    lines: Vec<(String, bool)>,
}

/// Direct labels in the right margin, pushed apart so they never overlap.
fn draw_end_labels(s: &mut Canvas, mut labels: Vec<EndLabel>, x: f64, top: f64, bottom: f64) {
    labels.sort_by(|a, b| a.y.partial_cmp(&b.y).unwrap_or(std::cmp::Ordering::Equal));
    let mut next_free = top - 6.0;
    let mut placed = Vec::new();
    for l in labels {
        let h = END_LINE * l.lines.len() as f64;
        let mut y0 = (l.y + 5.5).max(next_free + 16.0);
        // Keep inside the chart: shift the whole stack up when it runs off the bottom.
        if y0 + h - END_LINE > bottom + 40.0 {
            y0 = bottom + 40.0 - (h - END_LINE);
        }
        next_free = y0 + h - END_LINE + 6.0;
        placed.push((y0, l));
    }
    for (y0, l) in placed {
        for (i, (text, bold)) in l.lines.iter().enumerate() {
            let look = if *bold { Look::BOLD } else { Look::PLAIN };
            s.label(
                x,
                y0 + END_LINE * i as f64,
                Anchor::Start,
                SMALL,
                text,
                W - x - 4.0,
                look,
            );
        }
    }
}

fn describe(cx: &Ctx, cname: &str, c: &Commodity, agg: &Aggregate) -> String {
    let l = cx.l;
    let mut out = Vec::new();
    let q = exact_quantity(agg.delivered, c.unit, l);
    match (agg.n_delivered, agg.last_delivery) {
        (0, _) | (_, None) => out.push(l.fill("chart_desc_nothing", &[("name", cname)])),
        (k, Some(last)) => {
            let last = l.date(last);
            let recs = records(k, l);
            let period = if agg.n_period == 0 {
                String::new()
            } else {
                l.count("chart_desc_of_them_period", agg.n_period, &[])
            };
            out.push(l.fill(
                "chart_desc_delivered",
                &[
                    ("name", cname),
                    ("quantity", &q),
                    ("records", &recs),
                    ("period", &period),
                    ("last", &last),
                ],
            ));
        }
    }
    match agg.target {
        Some(t) => {
            let tq = exact_quantity(t, c.unit, l);
            let pct = agg
                .delivered
                .checked_div(t)
                .map(|r| l.percent(r))
                .unwrap_or_default();
            out.push(l.fill("chart_desc_target", &[("quantity", &tq), ("percent", &pct)]));
        }
        None => out.push(l.s("chart_desc_no_target").to_string()),
    }
    if agg.n_planned > 0 {
        let pq = exact_quantity(agg.planned, c.unit, l);
        let recs = records(agg.n_planned, l);
        out.push(l.fill(
            "chart_desc_planned",
            &[("quantity", &pq), ("records", &recs)],
        ));
    }
    out.join(" ")
}

fn table(
    cx: &Ctx,
    title: &str,
    c: &Commodity,
    groups: &BTreeMap<(Date, Date, bool), (Decimal, usize)>,
) -> DataTable {
    let l = cx.l;
    let unit = unit_label(c.unit, l);
    let num = |d: Decimal| l.exact(d);
    let with_unit = |key: &str| format!("{} ({unit})", l.s(key));
    if groups.len() <= MAX_TABLE_ROWS {
        let mut cum = Decimal::ZERO;
        let rows = groups
            .iter()
            .map(|((end, start, planned), (q, k))| {
                if !planned {
                    cum += q;
                }
                let (date, kind) = if start == end {
                    (l.date(*end), l.s("chart_record_day"))
                } else {
                    (l.span(*start, *end), l.s("chart_record_period"))
                };
                let kind = if *planned {
                    format!("{} ({kind})", l.s("chart_record_planned"))
                } else {
                    kind.to_string()
                };
                vec![date, kind, num(*q), num(cum), count(*k, l)]
            })
            .collect();
        DataTable {
            caption: format!("{title} ({unit})"),
            headers: vec![
                l.s("date").to_string(),
                l.s("chart_record_type").to_string(),
                with_unit("quantity"),
                with_unit("chart_cumulative_delivered"),
                l.s("chart_records").to_string(),
            ],
            rows,
        }
    } else {
        // Per month (a period by the month it ends), what the lines show: the cumulative
        // delivered and, when something is planned, delivered plus planned. What a month
        // delivered is in the monthly chart's table, next to this one on every page.
        let mut months: BTreeMap<(i32, u32), (Decimal, Decimal)> = BTreeMap::new();
        for ((end, _, planned), (q, _)) in groups {
            let m = months.entry((end.year(), end.month())).or_default();
            if *planned {
                m.1 += q;
            } else {
                m.0 += q;
            }
        }
        let any_planned = months.values().any(|(_, p)| !p.is_zero());
        let (mut cum, mut with_planned) = (Decimal::ZERO, Decimal::ZERO);
        let rows = months
            .iter()
            .map(|((y, m), (d, p))| {
                cum += d;
                with_planned += d + p;
                let mut row = vec![l.month(*y, *m), num(cum)];
                if any_planned {
                    row.push(num(with_planned));
                }
                row
            })
            .collect();
        let mut headers = vec![
            l.s("month").to_string(),
            with_unit("chart_cumulative_delivered"),
        ];
        if any_planned {
            headers.push(with_unit("chart_cumulative_incl_planned"));
        }
        DataTable {
            caption: l.fill(
                "chart_caption_per_month",
                &[("title", title), ("unit", unit)],
            ),
            headers,
            rows,
        }
    }
}
