//! Laying out and drawing a map: points merged into spots, flows into lines, then the land,
//! the lines, the points, their labels, the inset and the legend; and the words and table of
//! what is drawn.

use std::collections::BTreeMap;

use plotters::element::{Circle, Polygon};
use plotters::style::Color;
use rust_decimal::Decimal;

use crate::locale::Locale;
use crate::model::Unit;

use super::super::canvas::{self, Anchor, DRAWN, Look, Swatch, legend, legend_room, px};
use super::super::geo::{Bounds, View, Xy, cluster, curve};
use super::super::style::{GRID, INK, MUTED, SMALL, W, WHITE};
use super::super::text::text_width;
use super::super::words::{count, exact_quantity, label_quantity};
use super::super::{Chart, DataTable, basemap};
use super::marks::{INSET, Taken, arrowhead, draw_inset, inset_place, place_label};
use super::*;

/// Points merged on the chart: one role, the places in it, where it is drawn.
pub(super) struct Spot {
    role: Role,
    members: Vec<usize>,
    pub at: Xy,
}

/// Flows merged along one line: from a spot to a spot, per (commodity, unit).
struct Line {
    from: usize,
    to: usize,
    /// The places of the two spots that the flows ran between.
    senders: std::collections::BTreeSet<usize>,
    receivers: std::collections::BTreeSet<usize>,
    unpublished: bool,
    records: usize,
    /// Delivered quantity and deliveries per (commodity, unit).
    quantities: BTreeMap<(String, Unit), (Decimal, usize)>,
}

#[allow(clippy::too_many_arguments)]
pub(super) fn draw(
    input: &Input,
    bounds: Bounds,
    inset: bool,
    prefix: &str,
    title: String,
    table: Option<DataTable>,
    l: &Locale,
) -> Chart {
    let items = vec![
        (Swatch::Dot(SUPPLIER), l.s("chart_participant").to_string()),
        (Swatch::Square(INK), l.s("offtaker").to_string()),
        (
            Swatch::Line(FLOW, 3, None),
            l.s("chart_map_flow").to_string(),
        ),
        (
            Swatch::Line(UNPUBLISHED, 2, Some((6.0, 4.0))),
            l.s("chart_map_unpublished").to_string(),
        ),
    ];
    let top = 4.0 + legend_room(LEFT, RIGHT, &items);
    // The frame's height follows the shape of what it shows, within limits.
    let shrink = ((bounds.south + bounds.north) / 2.0).to_radians().cos();
    let aspect = (bounds.north - bounds.south) / ((bounds.east - bounds.west) * shrink);
    let frame_h = (W * aspect).clamp(200.0, 400.0).round();
    let frame = (0.0, top, W, frame_h);
    let view = View::fit(bounds, frame);

    // Spots: suppliers and receivers merged apart from each other, in the order of places.
    let mut spots: Vec<Spot> = Vec::new();
    let mut spot_of = vec![0; input.places.len()];
    for role in [Role::Supplier, Role::Receiver] {
        let idx: Vec<usize> = (0..input.places.len())
            .filter(|&i| input.places[i].role == role)
            .collect();
        let xy: Vec<Xy> = idx
            .iter()
            .map(|&i| view.project(input.places[i].at))
            .collect();
        let (of, centres) = cluster(&xy, MERGE);
        let base = spots.len();
        spots.extend(centres.into_iter().map(|at| Spot {
            role,
            members: Vec::new(),
            at,
        }));
        for (k, &i) in idx.iter().enumerate() {
            spot_of[i] = base + of[k];
            spots[base + of[k]].members.push(i);
        }
    }
    let mut lines: Vec<Line> = Vec::new();
    for fl in &input.flows {
        let (from, to) = (spot_of[fl.from], spot_of[fl.to]);
        let i = match lines
            .iter()
            .position(|l| l.from == from && l.to == to && l.unpublished == fl.unpublished)
        {
            Some(i) => i,
            None => {
                lines.push(Line {
                    from,
                    to,
                    senders: Default::default(),
                    receivers: Default::default(),
                    unpublished: fl.unpublished,
                    records: 0,
                    quantities: BTreeMap::new(),
                });
                lines.len() - 1
            }
        };
        let l = &mut lines[i];
        l.senders.insert(fl.from);
        l.receivers.insert(fl.to);
        l.records += fl.records;
        let q = l
            .quantities
            .entry((fl.commodity.clone(), fl.unit))
            .or_default();
        q.0 += fl.delivered;
        q.1 += fl.records;
    }
    let max_records = lines.iter().map(|l| l.records).max().unwrap_or(1).max(1);

    let spot_name = |s: &Spot| -> String {
        let names: Vec<&str> = s
            .members
            .iter()
            .map(|&i| input.places[i].name.as_str())
            .collect();
        match names.len() {
            1 => super::super::text::fit(names[0], SMALL, 220.0 / 1.12),
            n => format!(
                "{} +{}",
                super::super::text::fit(names[0], SMALL, 170.0 / 1.12),
                n - 1
            ),
        }
    };
    let names_of = |places: &std::collections::BTreeSet<usize>| -> String {
        let names: Vec<&str> = places
            .iter()
            .map(|&i| input.places[i].name.as_str())
            .collect();
        if names.len() <= 3 {
            names.join(", ")
        } else {
            l.count(
                "chart_map_more_names",
                names.len() - 3,
                &[("names", &names[..3].join(", "))],
            )
        }
    };
    let quantities = |line: &Line, exact: bool| -> Vec<String> {
        line.quantities
            .iter()
            .map(|((c, unit), (q, _))| {
                let q = q.normalize();
                if exact {
                    format!("{c} {}", exact_quantity(q, *unit, l))
                } else {
                    format!("{c} {}", label_quantity(q, *unit, l))
                }
            })
            .collect()
    };

    // Description: the lines in words, most deliveries first.
    let mut order: Vec<usize> = (0..lines.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(lines[i].records));
    let suppliers = input
        .places
        .iter()
        .filter(|p| p.role == Role::Supplier)
        .count();
    let receivers = input.places.len() - suppliers;
    let mut description = l.fill(
        "chart_map_desc_counts",
        &[
            ("title", &title),
            ("suppliers", &count(suppliers, l)),
            ("receivers", &count(receivers, l)),
        ],
    );
    let receivers_of = |line: &Line| {
        if line.unpublished {
            l.fill(
                "chart_map_unpublished_to",
                &[("party", &names_of(&line.receivers))],
            )
        } else {
            names_of(&line.receivers)
        }
    };
    for &i in order.iter().take(12) {
        let line = &lines[i];
        description.push(' ');
        description.push_str(&l.fill(
            "chart_map_desc_line",
            &[
                ("from", &names_of(&line.senders)),
                ("to", &receivers_of(line)),
                ("quantities", &quantities(line, true).join("; ")),
                (
                    "deliveries",
                    &l.count("chart_map_delivery_count", line.records, &[]),
                ),
            ],
        ));
    }
    if lines.len() > 12 {
        description.push(' ');
        description.push_str(l.s("chart_map_labels_in_table"));
    }
    // Under the map (and in the description): who has no location or is off the map.
    let mut below: Vec<String> = Vec::new();
    if !input.missing.is_empty() {
        below.push(format!(
            "{}: {}",
            l.s("chart_map_not_given"),
            input.missing.join(", ")
        ));
    }
    if !input.outside.is_empty() {
        below.push(format!(
            "{}: {}",
            l.s("chart_map_outside"),
            input.outside.join(", ")
        ));
    }
    for b in &below {
        description.push_str(&format!(" {b}."));
    }
    // Without a table of its own, the map's table lists its lines, most deliveries first.
    let table = table.unwrap_or_else(|| DataTable {
        caption: title.clone(),
        headers: headers(l),
        rows: order
            .iter()
            .flat_map(|&i| {
                let line = &lines[i];
                line.quantities
                    .iter()
                    .map(move |((commodity, unit), q)| (line, commodity, unit, q))
            })
            .map(|(line, commodity, unit, (q, n))| {
                vec![
                    names_of(&line.senders),
                    receivers_of(line),
                    commodity.clone(),
                    exact_quantity(q.normalize(), *unit, l),
                    count(*n, l),
                ]
            })
            .collect(),
    });
    let text_w = RIGHT - LEFT;
    let below_lines: usize = below
        .iter()
        .map(|b| super::super::text::wrap(b, SMALL, text_w, 3).len())
        .sum();
    let height = top + frame_h + 12.0 + (below_lines as f64 + 1.0) * 22.0;

    let svg = canvas::render(prefix, height, &title, &description, |c| {
        legend(c, LEFT, 20.0, RIGHT, &items);
        let (fx, fy, fw, fh) = frame;
        c.rect(fx, fy, fw, fh, SEA.filled());
        for (indonesia, points) in view.land(basemap::rings(), 0.6) {
            let colour = if indonesia { LAND } else { NEIGHBOUR };
            c.root
                .draw(&Polygon::new(points, colour.filled()))
                .expect(DRAWN);
        }
        let mut taken = Taken::default();
        let inset = inset.then(|| inset_place(&view, frame, &spots)).flatten();
        if let Some(at) = inset {
            taken.hard.push((at.0, at.1, INSET.0, INSET.1));
        }
        // Lines, widest first so thin ones stay visible; then arrowheads and points on top.
        let mut drawn: Vec<(usize, Vec<Xy>, Xy)> = Vec::new();
        let mut by_width = order.clone();
        by_width.sort_by_key(|&i| (std::cmp::Reverse(lines[i].records), i));
        for &i in &by_width {
            let l = &lines[i];
            let (a, b) = (spots[l.from].at, spots[l.to].at);
            if (a.0 - b.0).hypot(a.1 - b.1) < 4.0 {
                continue;
            }
            let bend = if l.unpublished { -0.22 } else { 0.22 };
            let (points, control) = curve(a, b, bend, 24);
            let width = 2 + (4.0 * (l.records as f64 / max_records as f64).sqrt()).round() as u32;
            if l.unpublished {
                c.dashed(&points, 6.0, 4.0, UNPUBLISHED.stroke_width(2));
            } else {
                c.path(&points, FLOW.stroke_width(width));
            }
            arrowhead(
                c,
                control,
                b,
                if l.unpublished { UNPUBLISHED } else { FLOW },
            );
            // Labels keep off the lines.
            for p in points.iter().step_by(2) {
                taken.soft.push((p.0 - 3.0, p.1 - 3.0, 6.0, 6.0));
            }
            drawn.push((i, points, control));
        }
        for s in &spots {
            let (x, y) = s.at;
            match s.role {
                Role::Supplier => {
                    c.root
                        .draw(&Circle::new((px(x), px(y)), 6, SUPPLIER.filled()))
                        .expect(DRAWN);
                    c.root
                        .draw(&Circle::new((px(x), px(y)), 6, WHITE.stroke_width(2)))
                        .expect(DRAWN);
                }
                Role::Receiver => {
                    c.rect(x - 5.0, y - 5.0, 10.0, 10.0, INK.filled());
                    c.rect(x - 6.0, y - 6.0, 12.0, 12.0, WHITE.stroke_width(1));
                }
            }
            taken.hard.push((x - 7.0, y - 7.0, 14.0, 14.0));
        }
        // Labels: points first, then the busiest lines, then cities where room is left.
        if spots.len() <= MAX_POINT_LABELS {
            for s in &spots {
                place_label(
                    c,
                    &mut taken,
                    frame,
                    s.at,
                    &[spot_name(s)],
                    10.0,
                    Look::BOLD,
                );
            }
        }
        let mut labelled = 0;
        for &i in &order {
            if labelled == MAX_FLOW_LABELS {
                break;
            }
            let Some((_, points, _)) = drawn.iter().find(|d| d.0 == i) else {
                continue;
            };
            let text = quantities(&lines[i], false);
            // Beside the middle of the line, else farther along it.
            let n = points.len() - 1;
            let placed = [n / 2, n * 2 / 5, n * 3 / 5, n * 3 / 10, n * 7 / 10]
                .into_iter()
                .any(|k| place_label(c, &mut taken, frame, points[k], &text, 4.0, Look::PLAIN));
            if placed {
                labelled += 1;
            }
        }
        for (name, lon, lat) in CITIES {
            let at = view.project((lon, lat));
            let (x, y) = at;
            let box_w = text_width(name, SMALL) + 12.0;
            let room = (x - 3.0, y - 13.0, box_w, 20.0);
            if taken.free(room, frame, false) {
                c.root
                    .draw(&Circle::new((px(x), px(y)), 2, MUTED.filled()))
                    .expect(DRAWN);
                c.text(x + 6.0, y + 5.0, Anchor::Start, SMALL, name, Look::MUTED);
                taken.hard.push(room);
            }
        }
        if let Some(at) = inset {
            draw_inset(c, &view, at);
        }
        c.rect(fx, fy, fw, fh, GRID.stroke_width(1));
        let mut y = fy + fh + 24.0;
        for b in &below {
            let n = c.wrapped(LEFT, y, SMALL, b, text_w, 3, 22.0, Look::PLAIN);
            y += n as f64 * 22.0;
        }
        c.text(
            LEFT,
            y,
            Anchor::Start,
            SMALL,
            l.s("chart_map_credit"),
            Look::MUTED,
        );
    });
    let note = if lines.len() > MAX_FLOW_LABELS {
        format!(
            "{} {}",
            l.s("chart_map_note"),
            l.s("chart_map_labels_in_table")
        )
    } else {
        l.s("chart_map_note").to_string()
    };
    Chart {
        name: "map".to_string(),
        title,
        description,
        note: Some(note),
        svg,
        table,
    }
}
