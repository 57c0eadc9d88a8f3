//! `map`: where an agreement's food comes from and where it goes, on the map of Indonesia
//! ([`basemap`](super::basemap)). Suppliers are dots, receivers squares; a curved line runs
//! from each supplier to each receiver it delivered to, as wide as the number of deliveries
//! (never a sum across units). Deliveries whose receiver was not published run, dashed, to the
//! location of the receiving party. Points closer than a few units are merged; whoever has no
//! location is named under the map. The portfolio map puts every agreement's flows on one map.

mod draw;
mod marks;

use std::collections::{BTreeMap, HashMap};

use plotters::style::RGBColor;
use rust_decimal::Decimal;

use crate::locale::Locale;
use crate::model::{Agreement, Location, ReadAgreement, Site, Text, Totals, Unit};

use super::geo::Bounds;
use super::style::{DONE, LATE, W};
use super::words::{count, unit_label};
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
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
    /// Where each (role, name, location) is in `places`: the portfolio map adds thousands.
    found: HashMap<(Role, String, [u64; 2]), usize>,
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
        // `+ 0.0` makes -0.0 and 0.0 one key, as they compare equal.
        let key = (
            role,
            name.to_string(),
            [at.0 + 0.0, at.1 + 0.0].map(f64::to_bits),
        );
        let next = self.places.len();
        let i = *self.found.entry(key).or_insert(next);
        if i == next {
            self.places.push(Place {
                role,
                name: name.to_string(),
                at,
            });
        }
        Some(i)
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

    let table = route_table(a, f, l, &text, title.clone());
    let bounds = Bounds::around(input.places.iter().map(|p| p.at))
        .map(|b| b.padded(0.25, 2.0))
        .unwrap_or(Bounds::INDONESIA);
    draw(&input, bounds, true, prefix, title, Some(table), l)
}

/// A route (planned or not, supplier, receiver), its amounts per commodity id and shipments.
type RouteSum<'a> = (
    (bool, &'a str, Option<&'a str>),
    BTreeMap<&'a str, Decimal>,
    usize,
);

/// Adds to the route `key` of `routes` (a linear search: an agreement has few routes).
fn add_to<'a>(
    routes: &mut Vec<RouteSum<'a>>,
    key: (bool, &'a str, Option<&'a str>),
    commodity: &'a str,
    amount: Decimal,
    records: usize,
) {
    let at = match routes.iter().position(|(k, _, _)| *k == key) {
        Some(i) => i,
        None => {
            routes.push((key, BTreeMap::new(), 0));
            routes.len() - 1
        }
    };
    *routes[at].1.entry(commodity).or_default() += amount;
    routes[at].2 += records;
}

/// An agreement's map as a table: a row per route (supplier, receiver), delivered first, then
/// what is planned along it, a column per commodity with its quantity (`–` for none) and the
/// route's number of shipments, which the line's width shows. A route with five commodities
/// is one row, not five that repeat its two ends.
fn route_table(
    a: &ReadAgreement,
    f: &Totals,
    l: &Locale,
    text: &dyn Fn(&Text) -> String,
    caption: String,
) -> DataTable {
    let mut routes: Vec<RouteSum> = Vec::new();
    for r in &f.routes {
        add_to(
            &mut routes,
            (false, r.from.as_str(), r.to.as_deref()),
            r.commodity.as_str(),
            r.delivered,
            r.records,
        );
    }
    for s in a.shipments.iter().filter(|s| !s.is_delivered()) {
        add_to(
            &mut routes,
            (true, s.from.as_str(), s.to.as_deref()),
            s.commodity.as_str(),
            s.quantity.amount,
            1,
        );
    }
    let delivered_routes = routes.iter().filter(|r| !r.0.0).count();
    routes[delivered_routes..].sort_by(|x, y| x.0.cmp(&y.0));
    let commodities: Vec<_> = a
        .commodities
        .iter()
        .filter(|c| routes.iter().any(|r| r.1.contains_key(c.id.as_str())))
        .collect();
    let mut headers = vec![
        l.s("chart_map_from").to_string(),
        l.s("chart_map_to").to_string(),
    ];
    headers.extend(
        commodities
            .iter()
            .map(|c| format!("{} ({})", text(&c.name), unit_label(c.unit, l))),
    );
    headers.push(l.s("chart_map_deliveries").to_string());
    let rows = routes
        .iter()
        .map(|((planned, from, to), amounts, records)| {
            let (from_name, to_name) = route_ends(a, text, l, from, *to);
            let to_name = if *planned {
                l.fill("chart_map_planned_commodity", &[("name", &to_name)])
            } else {
                to_name
            };
            let mut row = vec![from_name, to_name];
            row.extend(commodities.iter().map(|c| {
                amounts
                    .get(c.id.as_str())
                    .map_or_else(|| "–".to_string(), |q| l.exact(q.normalize()))
            }));
            row.push(count(*records, l));
            row
        })
        .collect();
    DataTable {
        caption,
        headers,
        rows,
    }
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

/// The names of a route's two ends, the receiver as the receiving party when not published.
fn route_ends(
    a: &Agreement,
    text: &dyn Fn(&Text) -> String,
    l: &Locale,
    from: &str,
    to: Option<&str>,
) -> (String, String) {
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
    (from, to)
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
