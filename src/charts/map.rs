//! `map`: where an agreement's food comes from and where it goes, on the map of Indonesia
//! ([`basemap`](super::basemap)). Suppliers are dots, receivers squares; a curved line runs
//! from each supplier to each receiver it delivered to, as wide as the number of deliveries
//! (never a sum across units). Deliveries whose receiver was not published run, dashed, to the
//! location of the receiving party. Points closer than a few units are merged; whoever has no
//! location is named under the map. The portfolio map puts every agreement's flows on one map.

use std::collections::BTreeMap;

use plotters::element::{Circle, Polygon, Rectangle};
use plotters::style::{Color, RGBColor, ShapeStyle};
use rust_decimal::Decimal;

use crate::locale::Locale;
use crate::model::{Agreement, Location, ReadAgreement, Site, Text, Totals, Unit};

use super::canvas::{self, Anchor, Canvas, DRAWN, Look, Swatch, legend, legend_room, px};
use super::geo::{Bounds, View, Xy, cluster, curve};
use super::style::{DONE, GRID, INK, LATE, MUTED, SMALL, W, WHITE};
use super::text::text_width;
use super::words::{count, exact_quantity, label_quantity};
use super::{Chart, DataTable, basemap};

const LEFT: f64 = 8.0;
const RIGHT: f64 = W - 8.0;
/// Points closer than this (chart units) are drawn as one.
const MERGE: f64 = 14.0;
/// At most this many flow lines get a label of their quantities; the table has them all.
const MAX_FLOW_LABELS: usize = 8;
/// A label searches for room this many 8-unit steps around what it names.
const SEARCH: i32 = 20;
/// Point labels are drawn only when there are no more points than this.
const MAX_POINT_LABELS: usize = 12;
const LAND: RGBColor = RGBColor(0xdc, 0xdc, 0xdc);
const NEIGHBOUR: RGBColor = RGBColor(0xee, 0xee, 0xee);
const SEA: RGBColor = RGBColor(0xfa, 0xfc, 0xfe);
const SUPPLIER: RGBColor = LATE;
const FLOW: RGBColor = DONE;
const UNPUBLISHED: RGBColor = RGBColor(0x40, 0x40, 0x40);

/// Main cities, labelled where there is room: (name, longitude, latitude).
const CITIES: [(&str, f64, f64); 16] = [
    ("Jakarta", 106.83, -6.18),
    ("Surabaya", 112.75, -7.25),
    ("Medan", 98.67, 3.59),
    ("Makassar", 119.43, -5.14),
    ("Semarang", 110.42, -6.97),
    ("Palembang", 104.76, -2.98),
    ("Bandar Lampung", 105.26, -5.43),
    ("Denpasar", 115.22, -8.65),
    ("Pontianak", 109.34, -0.03),
    ("Banjarmasin", 114.59, -3.32),
    ("Balikpapan", 116.83, -1.27),
    ("Manado", 124.84, 1.47),
    ("Kupang", 123.61, -10.18),
    ("Ambon", 128.18, -3.70),
    ("Jayapura", 140.72, -2.53),
    ("Padang", 100.42, -0.95),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Role {
    Supplier,
    Receiver,
}

/// Someone with a location.
struct Place {
    role: Role,
    name: String,
    at: (f64, f64),
}

/// Delivered quantity of one commodity from one place to another.
struct Flow {
    from: usize,
    to: usize,
    /// The receiver was not published: `to` is the receiving party.
    unpublished: bool,
    commodity: String,
    unit: Unit,
    delivered: Decimal,
    records: usize,
}

/// What a map shows, before any drawing.
#[derive(Default)]
struct Input {
    places: Vec<Place>,
    flows: Vec<Flow>,
    /// Names of those without a location.
    missing: Vec<String>,
    /// Names of those whose location lies outside the base map.
    outside: Vec<String>,
    /// On the portfolio map, the title of the agreement being added: it follows the names
    /// listed under the map, which may repeat from one agreement to the next.
    agreement: Option<String>,
}

impl Input {
    /// The place of someone with `location`, added once per (role, name, location); `None`
    /// (and the name listed) without one.
    fn place(&mut self, role: Role, name: &str, location: Option<Location>) -> Option<usize> {
        let listed = || match &self.agreement {
            Some(title) => format!("{name} ({title})"),
            None => name.to_string(),
        };
        let Some(l) = location else {
            let name = listed();
            push_once(&mut self.missing, &name);
            return None;
        };
        let at = l.degrees();
        if !Bounds::WINDOW.contains(at) {
            let name = listed();
            push_once(&mut self.outside, &name);
            return None;
        }
        let found = self
            .places
            .iter()
            .position(|p| p.role == role && p.name == name && p.at == at);
        Some(found.unwrap_or_else(|| {
            self.places.push(Place {
                role,
                name: name.to_string(),
                at,
            });
            self.places.len() - 1
        }))
    }

    /// Every participant and offtaker of `a` as a place, and each route of `f` as a flow.
    fn add(&mut self, a: &Agreement, f: &Totals, text: &dyn Fn(&Text) -> String) {
        let mut ids: BTreeMap<(Role, &str), Option<usize>> = BTreeMap::new();
        for p in &a.participants {
            let i = self.place(Role::Supplier, &text(&p.name), p.location);
            ids.insert((Role::Supplier, &p.id), i);
        }
        for o in &a.offtakers {
            let i = self.place(Role::Receiver, &text(&o.name), o.location);
            ids.insert((Role::Receiver, &o.id), i);
        }
        for r in &f.routes {
            let Some(c) = a.commodity(&r.commodity) else {
                continue;
            };
            let from = ids
                .get(&(Role::Supplier, r.from.as_str()))
                .copied()
                .flatten();
            let to = match &r.to {
                Some(t) => ids.get(&(Role::Receiver, t.as_str())).copied().flatten(),
                None => receiving_party(a, &r.from)
                    .and_then(|p| self.place(Role::Receiver, &text(&p.name), p.location)),
            };
            if let (Some(from), Some(to)) = (from, to) {
                self.flows.push(Flow {
                    from,
                    to,
                    unpublished: r.to.is_none(),
                    commodity: text(&c.name),
                    unit: c.unit,
                    delivered: r.delivered,
                    records: r.records,
                });
            }
        }
    }
}

fn push_once(list: &mut Vec<String>, name: &str) {
    if !list.iter().any(|n| n == name) {
        list.push(name.to_string());
    }
}

/// The party that receives what participant `from` ships when the receiver is not published:
/// the first party other than the participant's own that has an offtaker, else the first
/// other party.
pub fn receiving_party<'a>(a: &'a Agreement, from: &str) -> Option<&'a crate::model::Party> {
    let own = a.participant(from).map(|p| p.party.as_str());
    let others = || a.parties.iter().filter(move |p| Some(p.id.as_str()) != own);
    others()
        .find(|p| a.offtakers.iter().any(|o| o.party == p.id))
        .or_else(|| others().next())
}

/// The map of one agreement, zoomed to its points, with an inset of Indonesia.
pub fn agreement(
    a: &ReadAgreement,
    f: &Totals,
    l: &Locale,
    default_lang: &str,
    prefix: &str,
) -> Chart {
    let text = |t: &Text| t.get(l.lang, default_lang).to_string();
    let mut input = Input::default();
    input.add(a, f, &text);
    let title = l.fill("chart_map_title", &[("title", &text(&a.title))]);

    let mut rows = Vec::new();
    for r in &f.routes {
        let Some(c) = a.commodity(&r.commodity) else {
            continue;
        };
        rows.push(route_row(
            a,
            &text,
            l,
            &r.from,
            r.to.as_deref(),
            &text(&c.name),
            c.unit,
            r.delivered,
            r.records,
        ));
    }
    // Planned shipments, apart: summed per route like the delivered ones.
    let mut planned: BTreeMap<(&str, Option<&str>, &str), (Decimal, usize)> = BTreeMap::new();
    for s in a.shipments.iter().filter(|s| !s.is_delivered()) {
        let e = planned
            .entry((&s.from, s.to.as_deref(), &s.commodity))
            .or_default();
        e.0 += s.quantity.amount;
        e.1 += 1;
    }
    for ((from, to, commodity), (amount, n)) in planned {
        let Some(c) = a.commodity(commodity) else {
            continue;
        };
        let name = l.fill("chart_map_planned_commodity", &[("name", &text(&c.name))]);
        rows.push(route_row(
            a,
            &text,
            l,
            from,
            to,
            &name,
            c.unit,
            amount.normalize(),
            n,
        ));
    }
    let table = DataTable {
        caption: title.clone(),
        headers: headers(l),
        rows,
    };
    let bounds = Bounds::around(input.places.iter().map(|p| p.at))
        .map(|b| b.padded(0.25, 2.0))
        .unwrap_or(Bounds::INDONESIA);
    draw(&input, bounds, true, prefix, title, Some(table), l)
}

/// The columns of a map's table; the portfolio's start with the agreement.
fn headers(l: &Locale) -> Vec<String> {
    [
        "chart_map_from",
        "chart_map_to",
        "commodity",
        "chart_map_quantity",
        "chart_map_deliveries",
    ]
    .into_iter()
    .map(|k| l.s(k).to_string())
    .collect()
}

/// One row of an agreement's table: a route and what went along it.
#[allow(clippy::too_many_arguments)]
fn route_row(
    a: &Agreement,
    text: &dyn Fn(&Text) -> String,
    l: &Locale,
    from: &str,
    to: Option<&str>,
    commodity: &str,
    unit: Unit,
    amount: Decimal,
    records: usize,
) -> Vec<String> {
    let to = match to {
        Some(t) => a
            .offtaker(t)
            .map(|o| text(&o.name))
            .unwrap_or_else(|| t.to_string()),
        None => match receiving_party(a, from) {
            Some(p) => l.fill("chart_map_unpublished_to", &[("party", &text(&p.name))]),
            None => l.s("chart_not_published").to_string(),
        },
    };
    let from = a
        .participant(from)
        .map(|p| text(&p.name))
        .unwrap_or_else(|| from.to_string());
    vec![
        from,
        to,
        commodity.to_string(),
        exact_quantity(amount, unit, l),
        count(records, l),
    ]
}

/// Every agreement's flows on one map of Indonesia.
pub fn portfolio(site: &Site, figures: &[Totals], l: &Locale) -> Chart {
    let default_lang = site.default_language();
    let text = |t: &Text| t.get(l.lang, default_lang).to_string();
    let mut input = Input::default();
    for (a, f) in site.agreements.iter().zip(figures) {
        input.agreement = Some(text(&a.title));
        input.add(a, f, &text);
    }
    let title = l.s("chart_map_portfolio").to_string();
    draw(
        &input,
        Bounds::INDONESIA,
        false,
        "chart-portfolio-map",
        title,
        None,
        l,
    )
}

/// Points merged on the chart: one role, the places in it, where it is drawn.
struct Spot {
    role: Role,
    members: Vec<usize>,
    at: Xy,
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

/// Occupied rectangles of the chart: labels go where nothing is yet.
#[derive(Default)]
struct Taken {
    /// Points, labels and the inset: never covered.
    hard: Vec<Rect>,
    /// Lines: a label covers them only when there is no other room.
    soft: Vec<Rect>,
}

/// Left, top, width, height.
type Rect = (f64, f64, f64, f64);

impl Taken {
    /// Whether `r` lies inside `frame` over nothing hard, and over no line unless `over_lines`.
    fn free(&self, r: Rect, frame: Rect, over_lines: bool) -> bool {
        let inside = r.0 >= frame.0
            && r.1 >= frame.1
            && r.0 + r.2 <= frame.0 + frame.2
            && r.1 + r.3 <= frame.1 + frame.3;
        let apart =
            |t: &Rect| r.0 + r.2 <= t.0 || t.0 + t.2 <= r.0 || r.1 + r.3 <= t.1 || t.1 + t.3 <= r.1;
        inside && self.hard.iter().all(apart) && (over_lines || self.soft.iter().all(apart))
    }
}

#[allow(clippy::too_many_arguments)]
fn draw(
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
            1 => super::text::fit(names[0], SMALL, 220.0 / 1.12),
            n => format!(
                "{} +{}",
                super::text::fit(names[0], SMALL, 170.0 / 1.12),
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
        .map(|b| super::text::wrap(b, SMALL, text_w, 3).len())
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

/// A label of `lines` on a white box beside `at` (to the right, left, above or below), else
/// at the nearest free place, tied to `at` by a thin line. Returns whether it found room.
fn place_label(
    c: &mut Canvas,
    taken: &mut Taken,
    frame: (f64, f64, f64, f64),
    at: Xy,
    lines: &[String],
    gap: f64,
    look: Look,
) -> bool {
    let line_h = 19.0;
    let width = lines
        .iter()
        .map(|l| {
            text_width(l, SMALL)
                * if matches!(look.style, canvas::Weight::Bold) {
                    1.12
                } else {
                    1.0
                }
        })
        .fold(0.0, f64::max)
        + 8.0;
    let height = lines.len() as f64 * line_h + 4.0;
    let (x, y) = at;
    let beside = [
        (x + gap, y - height / 2.0),
        (x - gap - width, y - height / 2.0),
        (x - width / 2.0, y - gap - height),
        (x - width / 2.0, y + gap),
    ];
    // Else the free place nearest to `at`, searched on a grid, tied to it by a thin line.
    let mut grid: Vec<(f64, f64)> = Vec::new();
    for i in -SEARCH..=SEARCH {
        for j in -SEARCH..=SEARCH {
            grid.push((f64::from(i) * 8.0, f64::from(j) * 8.0));
        }
    }
    grid.sort_by(|a, b| (a.0.hypot(a.1)).total_cmp(&b.0.hypot(b.1)));
    let near = grid
        .into_iter()
        .map(|(dx, dy)| (x + dx - width / 2.0, y + dy - height / 2.0));
    let near: Vec<(f64, f64)> = near.collect();
    let fits = |places: &[(f64, f64)], over_lines: bool| {
        places
            .iter()
            .copied()
            .find(|&(bx, by)| taken.free((bx, by, width, height), frame, over_lines))
    };
    let Some((bx, by)) = fits(&beside, false)
        .or_else(|| fits(&beside, true))
        .or_else(|| fits(&near, false))
        .or_else(|| fits(&near, true))
    else {
        return false;
    };
    let nearest = (x.clamp(bx, bx + width), y.clamp(by, by + height));
    if (nearest.0 - x).hypot(nearest.1 - y) > gap + 8.0 {
        c.path(&[at, nearest], MUTED.stroke_width(1));
    }
    c.root
        .draw(&Rectangle::new(
            [(px(bx), px(by)), (px(bx + width), px(by + height))],
            WHITE.mix(0.85).filled(),
        ))
        .expect(DRAWN);
    for (k, l) in lines.iter().enumerate() {
        c.text(
            bx + 4.0,
            by + 17.0 + k as f64 * line_h,
            Anchor::Start,
            SMALL,
            l,
            look,
        );
    }
    taken.hard.push((bx, by, width, height));
    true
}

/// A filled triangle whose tip stops short of `to`, pointing away from `control`; smaller on
/// a short line.
fn arrowhead(c: &Canvas, control: Xy, to: Xy, colour: RGBColor) {
    let (dx, dy) = (to.0 - control.0, to.1 - control.1);
    let len = dx.hypot(dy).max(1e-6);
    let (ux, uy) = (dx / len, dy / len);
    let size = (len / 4.0).clamp(4.0, 10.0);
    let tip = (to.0 - ux * 8.0, to.1 - uy * 8.0);
    let back = (tip.0 - ux * size, tip.1 - uy * size);
    let half = size / 2.0;
    let points = vec![
        (px(tip.0), px(tip.1)),
        (px(back.0 - uy * half), px(back.1 + ux * half)),
        (px(back.0 + uy * half), px(back.1 - ux * half)),
    ];
    c.root
        .draw(&Polygon::new(points, colour.filled()))
        .expect(DRAWN);
}

/// Width and height of the inset of all Indonesia.
const INSET: (f64, f64) = (150.0, 60.0);

/// Where the inset goes: the corner of the frame with the fewest points near it; `None` when
/// the map already shows most of Indonesia.
fn inset_place(view: &View, frame: Rect, spots: &[Spot]) -> Option<Xy> {
    let shown = view.bounds();
    let all = Bounds::INDONESIA;
    if shown.east - shown.west > 0.6 * (all.east - all.west) {
        return None;
    }
    let (fx, fy, fw, fh) = frame;
    let (iw, ih) = INSET;
    let corners = [
        (fx + fw - iw - 6.0, fy + fh - ih - 6.0),
        (fx + 6.0, fy + fh - ih - 6.0),
        (fx + fw - iw - 6.0, fy + 6.0),
        (fx + 6.0, fy + 6.0),
    ];
    let crowd = |&(x, y): &Xy| {
        spots
            .iter()
            .filter(|s| {
                s.at.0 > x - 80.0
                    && s.at.0 < x + iw + 80.0
                    && s.at.1 > y - 30.0
                    && s.at.1 < y + ih + 30.0
            })
            .count()
    };
    corners.into_iter().min_by_key(crowd)
}

/// A small map of all Indonesia at `(x, y)`, with the main map's area marked.
fn draw_inset(c: &Canvas, view: &View, (x, y): Xy) {
    let shown = view.bounds();
    let (iw, ih) = INSET;
    let inset = View::fit(Bounds::INDONESIA, (x, y, iw, ih));
    c.rect(x, y, iw, ih, WHITE.filled());
    for (indonesia, points) in inset.land(basemap::rings(), 0.8) {
        let colour = if indonesia { MUTED } else { GRID };
        c.root
            .draw(&Polygon::new(points, colour.filled()))
            .expect(DRAWN);
    }
    let (a, b) = (
        inset.project((shown.west, shown.north)),
        inset.project((shown.east, shown.south)),
    );
    let mark: ShapeStyle = LATE.stroke_width(2);
    // At least 4 units each way, and inside the inset.
    let (cx, cy) = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
    let (hw, hh) = (((b.0 - a.0) / 2.0).max(2.0), ((b.1 - a.1) / 2.0).max(2.0));
    let (x0, y0) = ((cx - hw).max(x), (cy - hh).max(y));
    let (x1, y1) = ((cx + hw).min(x + iw), (cy + hh).min(y + ih));
    c.rect(x0, y0, x1 - x0, y1 - y0, mark);
    c.rect(x, y, iw, ih, MUTED.stroke_width(1));
}
