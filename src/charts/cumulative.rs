//! `cumulative-<commodity>`: one commodity's cumulative deliveries over time against its
//! commodity-wide target.

use std::collections::BTreeMap;

use chrono::Datelike;
use rust_decimal::Decimal;

use crate::locale;
use crate::model::{Commodity, Date, When};

use plotters::chart::ChartBuilder;
use plotters::element::Circle;
use plotters::series::{DashedLineSeries, LineSeries};
use plotters::style::Color;
use rust_decimal::prelude::ToPrimitive;

use super::canvas::{self, Anchor, Canvas, DRAWN, Fill, Look, Swatch, legend, legend_room, px};
use plotters::coord::ranged1d::Ranged;

use super::scale::{DateCoord, TimeAxis, ValueAxis, ValueCoord, month_start, next_month};
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

pub fn chart(cx: &Ctx, ci: usize, c: &Commodity, dom: &Domain) -> Chart {
    let w = cx.w;
    let lang = cx.lang;
    let name = format!("cumulative-{}", c.id);
    let cname = cx.text(&c.name);
    let unit = unit_label(c.unit, lang);
    let colour = style::colour(ci);
    let target = cx.commodity_target(&c.id);

    // Aggregate: per end date; period spans; counts.
    let mut steps: BTreeMap<Date, Step> = BTreeMap::new();
    let mut spans: Vec<(Date, Date)> = Vec::new();
    let (mut delivered, mut planned) = (Decimal::ZERO, Decimal::ZERO);
    let (mut n_delivered, mut n_period, mut n_planned) = (0usize, 0usize, 0usize);
    let mut last_delivery: Option<Date> = None;
    // Table groups: (end, start, planned) -> (amount, records).
    let mut groups: BTreeMap<(Date, Date, bool), (Decimal, usize)> = BTreeMap::new();
    for s in cx.a.shipments.iter().filter(|s| s.commodity == c.id) {
        let q = s.quantity.amount;
        let step = steps.entry(s.when.end()).or_default();
        if s.is_delivered() {
            step.delivered += q;
            delivered += q;
            n_delivered += 1;
            last_delivery = last_delivery.max(Some(s.when.end()));
        } else {
            step.planned += q;
            planned += q;
            n_planned += 1;
        }
        if let When::Span { start, end } = s.when {
            spans.push((start, end));
            if s.is_delivered() {
                n_period += 1;
            }
        }
        let g = groups
            .entry((s.when.end(), s.when.start(), !s.is_delivered()))
            .or_default();
        g.0 += q;
        g.1 += 1;
    }
    let total_all = delivered + planned;

    // Words.
    let title = if lang == "en" {
        format!("{cname}: cumulative deliveries")
    } else {
        format!("{cname}: {}", w.cumulative)
    };
    let description = describe(
        cx,
        cname,
        c,
        DescFacts {
            delivered,
            planned,
            n_delivered,
            n_period,
            n_planned,
            last_delivery,
            target,
        },
    );
    let mut notes = Vec::new();
    if !spans.is_empty() {
        notes.push(if lang == "en" {
            "A period record is a total reported for a span of time, not a daily series: the line \
             steps up once at the period's end, and the hatched band marks the span."
        } else {
            "Catatan periode adalah total yang dilaporkan untuk suatu rentang waktu, bukan deret \
             harian: garis naik sekaligus pada akhir periode, dan area berarsir menandai rentangnya."
        });
    }
    if n_planned > 0 {
        notes.push(if lang == "en" {
            "The solid line counts deliveries only; the dashed line adds planned shipments."
        } else {
            "Garis utuh hanya menghitung yang sudah dikirim; garis putus-putus menambahkan \
             pengiriman yang direncanakan."
        });
    }
    let mine = || {
        cx.a.targets
            .iter()
            .filter(|t| t.commodity.as_deref() == Some(c.id.as_str()))
    };
    if target.is_none() && mine().any(|t| t.quantity.is_some()) {
        notes.push(if lang == "en" {
            "This commodity's numeric targets name a supplier or receiver; see the targets chart."
        } else {
            "Target berangka komoditas ini menyebut pemasok atau penerima tertentu; lihat grafik \
             capaian target."
        });
    } else if target.is_none() && mine().next().is_some() {
        notes.push(if lang == "en" {
            "This commodity's targets have no number; they are followed through milestones."
        } else {
            "Target komoditas ini tidak berangka; kemajuannya dipantau melalui tonggak."
        });
    }
    let note = (!notes.is_empty()).then(|| notes.join(" "));

    // Layout.
    let mut items: Vec<(Swatch, String)> =
        vec![(Swatch::Line(colour, 3, None), w.delivered.to_string())];
    if n_planned > 0 {
        items.push((
            Swatch::Line(colour, 2, Some(PLANNED_DASH)),
            w.incl_planned.to_string(),
        ));
    }
    if target.is_some() {
        items.push((
            Swatch::Line(INK, 2, Some(TARGET_DASH)),
            w.target.to_string(),
        ));
    }
    if !spans.is_empty() {
        items.push((Swatch::Bar(Fill::Band), w.period_span.to_string()));
    }
    let top = 52.0 + legend_room(16.0, W - 16.0, &items);
    let bottom = top + PLOT_H;
    let height = bottom + 56.0;

    // Direct labels at the end of each line (the legend says which line is which); the
    // margins are as wide as the axis labels and these need.
    let axis = ValueAxis::new(total_all.max(target.unwrap_or_default()), 5);
    let tick_labels = axis_labels(&axis.ticks, lang);
    let mut end_texts: Vec<(Decimal, Vec<(String, bool)>)> = vec![(
        delivered,
        vec![(label_quantity(delivered, c.unit, lang), true)],
    )];
    if n_planned > 0 {
        end_texts.push((
            total_all,
            vec![(label_quantity(total_all, c.unit, lang), false)],
        ));
    }
    if let Some(t) = target {
        end_texts.push((
            t,
            vec![
                (w.target.to_string(), false),
                (label_quantity(t, c.unit, lang), false),
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
            + chrono::Days::new(((dom.end - month_start(dom.start)).num_days() / 40).max(2) as u64))
        .max(next_month(dom.start)),
    };
    let ticks = time.ticks(w, 7);
    let line_start = cx.a.start.max(dom.start);
    let value = |v: Decimal| v.to_f64().unwrap_or(0.0);

    let svg = canvas::render(&cx.prefix(&name), height, &title, &description, |s| {
        s.label(
            16.0,
            28.0,
            Anchor::Start,
            HEAD,
            &format!("{cname} ({unit}, {})", w.cumulative),
            W - 32.0,
            Look::BOLD,
        );
        legend(s, 16.0, 56.0, W - 16.0, &items);

        let x_coord = DateCoord::new(
            time.start,
            time.end,
            ticks.iter().map(|(d, m, _)| (*d, m.clone())).collect(),
        );
        let y_coord = ValueCoord::new(&axis, tick_labels.clone());
        let y_max = y_coord.top();
        let (xc, yc) = (x_coord.clone(), y_coord.clone());
        let mut chart = ChartBuilder::on(&s.root)
            .margin_top(px(top) as u32)
            .margin_right(px(W - right) as u32)
            .x_label_area_size(px(height - bottom) as u32)
            .y_label_area_size(px(left) as u32)
            .build_cartesian_2d(x_coord, y_coord)
            .expect(DRAWN);
        // Plotters' own mapping, kept apart from the chart so it can be used while drawing.
        let (x0, y0) = chart.backend_coord(&(time.start, 0.0));
        let (x1, y1) = chart.backend_coord(&(time.end, y_max));
        let at = |d: Date, v: f64| (xc.map(&d, (x0, x1)), yc.map(&v, (y0, y1)));

        // Period bands, merged in pixel space, under the grid.
        let y_top = at(time.start, y_max).1;
        let y_zero = at(time.start, 0.0).1;
        for (x1, x2) in merge_spans(|d| at(d, 0.0).0, &spans) {
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
        for (d, _, year) in &ticks {
            if let Some(year) = year {
                let x = f64::from(at(*d, 0.0).0);
                s.text(x, bottom + 42.0, Anchor::Middle, SMALL, year, Look::PLAIN);
            }
        }

        if let Some(t) = target {
            let t = value(t);
            chart
                .draw_series(DashedLineSeries::new(
                    [(time.start, t), (time.end, t)],
                    TARGET_DASH.0,
                    TARGET_DASH.1,
                    INK.stroke_width(2),
                ))
                .expect(DRAWN);
        }

        // Delivered: one step per record date, merged per pixel column.
        let mut cum = Decimal::ZERO;
        let mut points: Vec<(i32, Date, Decimal)> = Vec::new();
        for (d, st) in &steps {
            if st.delivered.is_zero() {
                continue;
            }
            cum += st.delivered;
            push_point(&mut points, at(*d, 0.0).0, *d, cum);
        }
        let end = dom.delivered_end.max(line_start);
        chart
            .draw_series(LineSeries::new(
                staircase(line_start, Decimal::ZERO, &points, Some(end)),
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

        // Delivered plus planned, dashed, from the first planned record on.
        if n_planned > 0 {
            let mut cum = Decimal::ZERO;
            let mut pts: Vec<(i32, Date, Decimal)> = Vec::new();
            let mut started: Option<(Date, Decimal)> = None;
            for (d, st) in &steps {
                if started.is_none() && !st.planned.is_zero() {
                    // Continue from where the solid line ends when the plan lies after it.
                    started = Some(((*d).min(dom.delivered_end).max(line_start), cum));
                }
                cum += st.delivered + st.planned;
                if started.is_some() {
                    push_point(&mut pts, at(*d, 0.0).0, *d, cum);
                }
            }
            if let Some((from, v0)) = started {
                chart
                    .draw_series(DashedLineSeries::new(
                        staircase(from, v0, &pts, None),
                        PLANNED_DASH.0,
                        PLANNED_DASH.1,
                        colour.stroke_width(2),
                    ))
                    .expect(DRAWN);
            }
        }

        let plot_right = f64::from(chart.plotting_area().get_pixel_range().0.end);
        let end_labels = end_texts
            .iter()
            .map(|(v, lines)| EndLabel {
                y: f64::from(at(time.start, value(*v)).1),
                lines: lines.clone(),
            })
            .collect();
        draw_end_labels(s, end_labels, plot_right + 8.0, top, bottom);
    });

    Chart {
        name,
        title: title.clone(),
        description,
        note,
        svg,
        table: table(cx, &title, c, &groups),
    }
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
    let mut xs: Vec<(i32, i32)> = spans.iter().map(|(a, b)| (x(*a), x(*b))).collect();
    xs.sort_unstable();
    let mut out: Vec<(i32, i32)> = Vec::new();
    for (a, b) in xs {
        match out.last_mut() {
            Some(last) if a <= last.1 + 1 => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
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

struct DescFacts {
    delivered: Decimal,
    planned: Decimal,
    n_delivered: usize,
    n_period: usize,
    n_planned: usize,
    last_delivery: Option<Date>,
    target: Option<Decimal>,
}

fn describe(cx: &Ctx, cname: &str, c: &Commodity, f: DescFacts) -> String {
    let lang = cx.lang;
    let en = lang == "en";
    let mut out = String::new();
    let q = exact_quantity(f.delivered, c.unit, lang);
    match (f.n_delivered, f.last_delivery) {
        (0, _) | (_, None) => {
            out.push_str(&if en {
                format!("{cname}: no deliveries yet.")
            } else {
                format!("{cname}: belum ada pengiriman.")
            });
        }
        (k, Some(last)) => {
            let last = locale::date(last, lang);
            let recs = records(k, lang);
            let period = if f.n_period == 0 {
                String::new()
            } else if en {
                format!(" ({} of them a period total)", count(f.n_period, lang))
            } else {
                format!(" ({} di antaranya total periode)", count(f.n_period, lang))
            };
            out.push_str(&if en {
                format!("{cname}: {q} delivered in {recs}{period}, the last on {last}.")
            } else {
                format!("{cname}: {q} dikirim dalam {recs}{period}, terakhir pada {last}.")
            });
        }
    }
    match f.target {
        Some(t) => {
            let tq = exact_quantity(t, c.unit, lang);
            let pct = f
                .delivered
                .checked_div(t)
                .map(|r| locale::percent(r, lang))
                .unwrap_or_default();
            out.push_str(&if en {
                format!(" Target: {tq}, {pct} reached.")
            } else {
                format!(" Target: {tq}, tercapai {pct}.")
            });
        }
        None => out.push_str(if en {
            " No numeric target for this commodity as a whole."
        } else {
            " Tidak ada target berangka untuk komoditas ini secara keseluruhan."
        }),
    }
    if f.n_planned > 0 {
        let pq = exact_quantity(f.planned, c.unit, lang);
        let recs = records(f.n_planned, lang);
        out.push_str(&if en {
            format!(" Planned, not yet delivered: {pq} in {recs}.")
        } else {
            format!(" Direncanakan, belum dikirim: {pq} dalam {recs}.")
        });
    }
    out
}

fn table(
    cx: &Ctx,
    title: &str,
    c: &Commodity,
    groups: &BTreeMap<(Date, Date, bool), (Decimal, usize)>,
) -> DataTable {
    let w = cx.w;
    let lang = cx.lang;
    let unit = unit_label(c.unit, lang);
    let num = |d: Decimal| locale::exact(d, lang);
    if groups.len() <= MAX_TABLE_ROWS {
        let mut cum = Decimal::ZERO;
        let rows = groups
            .iter()
            .map(|((end, start, planned), (q, k))| {
                if !planned {
                    cum += q;
                }
                let (date, kind) = if start == end {
                    (locale::date(*end, lang), w.record_day)
                } else {
                    (locale::span(*start, *end, lang), w.record_period)
                };
                let kind = if *planned {
                    format!("{} ({kind})", w.record_planned)
                } else {
                    kind.to_string()
                };
                vec![date, kind, num(*q), num(cum), count(*k, lang)]
            })
            .collect();
        DataTable {
            caption: format!("{title} ({unit})"),
            headers: vec![
                w.date.to_string(),
                if lang == "en" {
                    "Record type"
                } else {
                    "Jenis catatan"
                }
                .to_string(),
                format!(
                    "{} ({unit})",
                    if lang == "en" { "Quantity" } else { "Jumlah" }
                ),
                format!("{} ({unit})", w.cumulative_delivered),
                w.records.to_string(),
            ],
            rows,
        }
    } else {
        // Per month (a period by the month it ends), as the chart's data aggregated.
        let mut months: BTreeMap<(i32, u32), (Decimal, Decimal, usize)> = BTreeMap::new();
        for ((end, _, planned), (q, k)) in groups {
            let m = months.entry((end.year(), end.month())).or_default();
            if *planned {
                m.1 += q;
            } else {
                m.0 += q;
            }
            m.2 += k;
        }
        let mut cum = Decimal::ZERO;
        let rows = months
            .iter()
            .map(|((y, m), (d, p, k))| {
                cum += d;
                vec![
                    locale::month(*y, *m, lang),
                    num(*d),
                    num(*p),
                    num(cum),
                    count(*k, lang),
                ]
            })
            .collect();
        DataTable {
            caption: if lang == "en" {
                format!("{title} ({unit}), per month")
            } else {
                format!("{title} ({unit}), per bulan")
            },
            headers: vec![
                w.month.to_string(),
                format!("{} ({unit})", w.delivered),
                format!("{} ({unit})", w.planned),
                format!("{} ({unit})", w.cumulative_delivered),
                w.records.to_string(),
            ],
            rows,
        }
    }
}
