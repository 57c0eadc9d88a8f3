//! `map`: where an agreement's food comes from and where it goes, on the map of Indonesia
//! ([`basemap`](super::basemap)). Suppliers are dots, receivers squares; a curved line runs
//! from each supplier to each receiver it delivered to, as wide as the number of deliveries
//! (never a sum across units). Deliveries whose receiver was not published run, dashed, to the
//! location of the receiving party. Points closer than a few units are merged; whoever has no
//! location is named under the map. The portfolio map puts every agreement's flows on one map.

mod draw;
mod marks;

use std::collections::BTreeMap;

use plotters::style::RGBColor;
use rust_decimal::Decimal;

use crate::locale::Locale;
use crate::model::{Agreement, Location, ReadAgreement, Site, Text, Totals, Unit};

use super::geo::Bounds;
use super::style::{DONE, LATE, W};
use super::words::{count, exact_quantity};
use super::{Chart, DataTable};
use draw::draw;

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
