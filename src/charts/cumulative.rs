//! `cumulative-<commodity>`: one commodity's cumulative deliveries over time against its
//! commodity-wide target.

use std::collections::BTreeMap;

use chrono::Datelike;
use rust_decimal::Decimal;

use crate::locale;
use crate::model::{Commodity, Date, When};

use super::scale::{TimeAxis, ValueAxis, month_start, next_month};
use super::svg::{
    self, Anchor, GRID, HEAD, INK, MUTED, SMALL, Svg, Swatch, W, legend, legend_room, n, text_width,
};
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
    let colour = svg::colour(ci);
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
        vec![(Swatch::Line(colour, ""), w.delivered.to_string())];
    if n_planned > 0 {
        items.push((Swatch::Line(colour, "6 4"), w.incl_planned.to_string()));
    }
    if target.is_some() {
        items.push((Swatch::Line(INK, "2 3"), w.target.to_string()));
    }
    if !spans.is_empty() {
        items.push((Swatch::Band, w.period_span.to_string()));
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
            .map(|(t, bold)| text_width(t, SMALL) * if bold { 1.12 } else { 1.0 })
            .fold(0.0, f64::max)
    };
    let left = (widest(&mut tick_labels.iter().map(|t| (t.as_str(), false))) + 14.0).max(40.0);
    let right = W
        - (widest(
            &mut end_texts
                .iter()
                .flat_map(|(_, lines)| lines.iter().map(|(t, b)| (t.as_str(), *b))),
        ) + 24.0)
            .clamp(60.0, 200.0);

    let mut s = Svg::new(&cx.prefix(&name), height, &title, &description);
    s.label(
        16.0,
        28.0,
        Anchor::Start,
        HEAD,
        &format!("{cname} ({unit}, {})", w.cumulative),
        W - 32.0,
        "font-weight=\"bold\"",
    );
    legend(&mut s, 16.0, 56.0, W - 16.0, &items);

    let y = |v: Decimal| bottom - axis.frac(v) * PLOT_H;
    let time = TimeAxis {
        start: month_start(dom.start),
        // A little room after the last record, so its step is not on the frame.
        // At least a month, so one record does not fill the width.
        end: (dom.end
            + chrono::Days::new(((dom.end - month_start(dom.start)).num_days() / 40).max(2) as u64))
        .max(next_month(dom.start)),
        left,
        right,
    };

    // Period bands, merged in pixel space.
    let band = s.pattern("band");
    for (x1, x2) in merge_spans(&time, &spans) {
        s.rect(
            x1,
            top,
            (x2 - x1).max(2.0),
            PLOT_H,
            &format!("fill=\"{band}\""),
        );
    }

    // Grid and value axis.
    for (t, label) in axis.ticks.iter().zip(&tick_labels) {
        let ty = y(*t);
        let stroke = if t.is_zero() { MUTED } else { GRID };
        s.line(left, ty, right, ty, &format!("stroke=\"{stroke}\""));
        s.text(left - 8.0, ty + 5.5, Anchor::End, SMALL, label, "");
    }
    // Time axis.
    for (d, month, year) in time.ticks(w, 7) {
        let tx = time.x(d);
        s.line(tx, bottom, tx, bottom + 5.0, &format!("stroke=\"{MUTED}\""));
        s.text(tx, bottom + 22.0, Anchor::Middle, SMALL, &month, "");
        if let Some(year) = year {
            s.text(tx, bottom + 42.0, Anchor::Middle, SMALL, &year, "");
        }
    }

    // Target line.
    if let Some(t) = target {
        let ty = y(t);
        s.line(
            left,
            ty,
            right,
            ty,
            &format!("stroke=\"{INK}\" stroke-width=\"1.5\" stroke-dasharray=\"2 3\""),
        );
    }

    // Delivered line: steps merged per half pixel.
    let line_start = cx.a.start.max(dom.start);
    let mut cum = Decimal::ZERO;
    let mut points: Vec<(f64, Decimal)> = Vec::new();
    for (d, st) in &steps {
        if st.delivered.is_zero() {
            continue;
        }
        cum += st.delivered;
        push_point(&mut points, time.x(*d), cum);
    }
    let x0 = time.x(line_start);
    let mut d = format!("M{} {}", n(x0), n(y(Decimal::ZERO)));
    for (px, v) in &points {
        d.push_str(&format!("H{}V{}", n(*px), n(y(*v))));
    }
    let x_end = time.x(dom.delivered_end.max(line_start));
    d.push_str(&format!("H{}", n(x_end)));
    s.path(
        &d,
        &format!(
            "fill=\"none\" stroke=\"{colour}\" stroke-width=\"2.5\" stroke-linejoin=\"round\""
        ),
    );
    if points.len() <= 40 {
        for (px, v) in &points {
            s.circle(
                *px,
                y(*v),
                3.5,
                &format!("fill=\"{colour}\" stroke=\"#fff\" stroke-width=\"1\""),
            );
        }
    }

    // Delivered plus planned, dashed, from the first planned record on.
    if n_planned > 0 {
        let mut cum = Decimal::ZERO;
        let mut pts: Vec<(f64, Decimal)> = Vec::new();
        let mut started: Option<(f64, Decimal)> = None;
        for (d, st) in &steps {
            if started.is_none() && !st.planned.is_zero() {
                // Continue from where the solid line ends when the plan lies after it.
                let from = (*d).min(dom.delivered_end).max(line_start);
                started = Some((time.x(from), cum));
            }
            cum += st.delivered + st.planned;
            if started.is_some() {
                push_point(&mut pts, time.x(*d), cum);
            }
        }
        if let Some((sx, sv)) = started {
            let mut d = format!("M{} {}", n(sx), n(y(sv)));
            for (px, v) in &pts {
                d.push_str(&format!("H{}V{}", n(*px), n(y(*v))));
            }
            s.path(
                &d,
                &format!(
                    "fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" stroke-dasharray=\"6 4\""
                ),
            );
        }
    }
    let end_labels = end_texts
        .into_iter()
        .map(|(v, lines)| EndLabel { y: y(v), lines })
        .collect();
    draw_end_labels(&mut s, end_labels, right + 8.0, top, bottom);

    Chart {
        name,
        title: title.clone(),
        description,
        note,
        svg: s.finish(),
        table: table(cx, &title, c, &groups),
    }
}

/// Adds a step point, merging it with the previous one when it falls on the same half pixel.
fn push_point(points: &mut Vec<(f64, Decimal)>, px: f64, v: Decimal) {
    let px = (px * 2.0).round() / 2.0;
    match points.last_mut() {
        Some(last) if last.0 == px => last.1 = v,
        _ => points.push((px, v)),
    }
}

/// Period spans as x ranges, overlapping or touching ones merged.
fn merge_spans(time: &TimeAxis, spans: &[(Date, Date)]) -> Vec<(f64, f64)> {
    let mut xs: Vec<(f64, f64)> = spans
        .iter()
        .map(|(a, b)| (time.x(*a), time.x(*b)))
        .collect();
    xs.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    let mut out: Vec<(f64, f64)> = Vec::new();
    for (a, b) in xs {
        match out.last_mut() {
            Some(last) if a <= last.1 + 1.0 => last.1 = last.1.max(b),
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
fn draw_end_labels(s: &mut Svg, mut labels: Vec<EndLabel>, x: f64, top: f64, bottom: f64) {
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
            let attrs = if *bold { "font-weight=\"bold\"" } else { "" };
            s.label(
                x,
                y0 + END_LINE * i as f64,
                Anchor::Start,
                SMALL,
                text,
                W - x - 4.0,
                attrs,
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
