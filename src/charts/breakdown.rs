//! `participants` and `offtakers`: deliveries by supplier and by receiver, one section per
//! commodity (each with its own unit and scale), a horizontal bar per supplier or receiver.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::locale::Locale;

use super::canvas::{self, Anchor, Canvas, Fill, Look, Swatch, legend, legend_room};
use super::style::{BODY, NEUTRAL, SMALL, W};
use super::text::{fit, text_width};
use super::words::{count, exact_quantity, label_quantity, unit_label};
use super::{Chart, Ctx, DataTable};

const LEFT: f64 = 16.0;
const RIGHT: f64 = W - 16.0;
/// The longest bar is never shorter than this, however long the value labels.
const MIN_BAR: f64 = 200.0;
const ROW_H: f64 = 48.0;
const BAR_H: f64 = 18.0;
const SECTION_H: f64 = 30.0;
const SECTION_GAP: f64 = 10.0;
/// Bars drawn per commodity; the rest are summed into one "others" bar (the table has all).
const MAX_BARS: usize = 8;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum By {
    Participant,
    Offtaker,
}

#[derive(Default, Clone)]
struct Entry {
    /// `None`: receiver not published (offtakers only).
    key: Option<String>,
    name: String,
    delivered: Decimal,
    planned: Decimal,
    records: usize,
    /// An "others" bar standing for this many entries.
    others: usize,
}

impl Entry {
    fn total(&self) -> Decimal {
        self.delivered + self.planned
    }
}

/// Sections per commodity (commodity index, entries largest first), and what is drawn.
struct Aggregate {
    sections: Vec<(usize, Vec<Entry>)>,
    /// The first MAX_BARS entries of each section, then one "others".
    drawn: Vec<(usize, Vec<Entry>)>,
    any_planned: bool,
    any_unpublished: bool,
}

impl Aggregate {
    fn of(cx: &Ctx, by: By, who: &str) -> Aggregate {
        let l = cx.l;
        let mut sums: BTreeMap<(usize, Option<&str>), Entry> = BTreeMap::new();
        for s in cx.a.shipments {
            let ci =
                cx.a.commodities
                    .iter()
                    .position(|c| c.id == s.commodity)
                    .unwrap_or(usize::MAX);
            let key = match by {
                By::Participant => Some(s.from.as_str()),
                By::Offtaker => s.to.as_deref(),
            };
            let e = sums.entry((ci, key)).or_default();
            e.records += 1;
            if s.is_delivered() {
                e.delivered += s.quantity.amount;
            } else {
                e.planned += s.quantity.amount;
            }
        }
        let mut sections: Vec<(usize, Vec<Entry>)> = Vec::new();
        for ((ci, key), mut e) in sums {
            e.key = key.map(str::to_string);
            e.name = match (by, key) {
                (_, None) => l.s("chart_not_published").to_string(),
                (By::Participant, Some(k)) => {
                    cx.a.participant(k)
                        .map(|p| cx.text(&p.name).to_string())
                        .unwrap_or_else(|| k.to_string())
                }
                (By::Offtaker, Some(k)) => {
                    cx.a.offtaker(k)
                        .map(|o| cx.text(&o.name).to_string())
                        .unwrap_or_else(|| k.to_string())
                }
            };
            match sections.last_mut() {
                Some((last, entries)) if *last == ci => entries.push(e),
                _ => sections.push((ci, vec![e])),
            }
        }
        for (_, entries) in &mut sections {
            // Largest first; the unpublished receiver last among equals; then by name.
            entries.sort_by(|a, b| {
                b.total()
                    .cmp(&a.total())
                    .then(a.key.is_none().cmp(&b.key.is_none()))
                    .then(a.name.cmp(&b.name))
            });
        }
        let drawn = sections
            .iter()
            .map(|(ci, es)| {
                let mut v: Vec<Entry> = es.iter().take(MAX_BARS).cloned().collect();
                if es.len() > MAX_BARS {
                    v.push(others(l, who, &es[MAX_BARS..]));
                }
                (*ci, v)
            })
            .collect();
        Aggregate {
            any_planned: sections
                .iter()
                .any(|(_, es)| es.iter().any(|e| !e.planned.is_zero())),
            any_unpublished: sections
                .iter()
                .any(|(_, es)| es.iter().any(|e| e.key.is_none())),
            sections,
            drawn,
        }
    }
}

/// One "others" entry summing `rest`.
fn others(l: &Locale, who: &str, rest: &[Entry]) -> Entry {
    let k = rest.len();
    let mut o = Entry {
        key: Some(String::new()),
        name: format!(
            "{} ({} {})",
            l.s("chart_others"),
            count(k, l),
            who.to_lowercase()
        ),
        others: k,
        ..Entry::default()
    };
    for e in rest {
        o.delivered += e.delivered;
        o.planned += e.planned;
        o.records += e.records;
    }
    o
}

pub fn chart(cx: &Ctx, by: By) -> Chart {
    let l = cx.l;
    let name = match by {
        By::Participant => "participants",
        By::Offtaker => "offtakers",
    };
    let title = l
        .s(match by {
            By::Participant => "chart_participants",
            By::Offtaker => "chart_offtakers",
        })
        .to_string();
    let who = l.s(match by {
        By::Participant => "chart_participant",
        By::Offtaker => "offtaker",
    });
    let agg = Aggregate::of(cx, by, who);
    let description = describe(cx, &title, &agg);
    let note = Some(notes(cx, &agg));
    let lay = Layout::new(cx, &agg);
    let svg = canvas::render(&cx.prefix(name), lay.height, &title, &description, |s| {
        draw(s, cx, &agg, &lay)
    });
    Chart {
        name: name.to_string(),
        table: table(cx, &title, who, &agg),
        title,
        description,
        note,
        svg,
    }
}

/// The title, then the largest three per commodity.
fn describe(cx: &Ctx, title: &str, agg: &Aggregate) -> String {
    let l = cx.l;
    let planned_word = l.s("chart_planned").to_lowercase();
    let mut description = format!("{title}.");
    for (ci, es) in agg.sections.iter().take(6) {
        let Some(c) = cx.a.commodities.get(*ci) else {
            continue;
        };
        let parts: Vec<String> = es
            .iter()
            .take(3)
            .map(|e| {
                let mut s = format!("{} {}", e.name, exact_quantity(e.delivered, c.unit, l));
                if !e.planned.is_zero() {
                    s.push_str(&format!(
                        " ({planned_word} {})",
                        exact_quantity(e.planned, c.unit, l)
                    ));
                }
                s
            })
            .collect();
        description.push_str(&format!(" {}: {}", cx.text(&c.name), parts.join("; ")));
        if es.len() > 3 {
            let more = l.count("chart_desc_and_more", es.len() - 3, &[]);
            description.push_str(&format!("; {more}"));
        }
        description.push('.');
    }
    description
}

/// How to read the chart: unpublished receivers, planned shipments, the "others" line.
fn notes(cx: &Ctx, agg: &Aggregate) -> String {
    let l = cx.l;
    let mut notes = Vec::new();
    if agg.any_unpublished {
        notes.push(l.s("chart_note_unpublished"));
    }
    if agg.any_planned {
        notes.push(l.s("chart_note_planned_bars"));
    }
    if agg
        .drawn
        .iter()
        .any(|(_, es)| es.iter().any(|e| e.others > 0))
    {
        notes.push(l.s("chart_note_others"));
    }
    notes.push(l.s("chart_note_own_scale"));
    notes.join(" ")
}

/// The legend, the height, each bar's value label and the length of the longest bar.
struct Layout {
    items: Vec<(Swatch, String)>,
    first: f64,
    height: f64,
    /// Per drawn section, per entry.
    value_labels: Vec<Vec<String>>,
    bar_max: f64,
}

impl Layout {
    fn new(cx: &Ctx, agg: &Aggregate) -> Layout {
        let l = cx.l;
        let mut items = vec![(
            Swatch::Bar(Fill::Solid(NEUTRAL)),
            l.s("chart_delivered").to_string(),
        )];
        if agg.any_planned {
            items.push((
                Swatch::Bar(Fill::Planned(NEUTRAL)),
                l.s("chart_planned").to_string(),
            ));
        }
        if agg.any_unpublished {
            items.push((
                Swatch::Bar(Fill::Unpublished),
                l.s("chart_not_published").to_string(),
            ));
        }
        let first = 6.0 + legend_room(LEFT, RIGHT, &items);
        let height = first
            + agg
                .drawn
                .iter()
                .map(|(_, es)| SECTION_H + es.len() as f64 * ROW_H + SECTION_GAP)
                .sum::<f64>()
            + 4.0;

        // Value labels first: the longest bar leaves room for the widest of them, the same
        // length in every section.
        let planned_word = l.s("chart_planned").to_lowercase();
        let value_labels: Vec<Vec<String>> = agg
            .drawn
            .iter()
            .map(|(ci, es)| {
                let unit =
                    cx.a.commodities
                        .get(*ci)
                        .map(|c| c.unit)
                        .unwrap_or(crate::model::Unit::Kg);
                es.iter()
                    .map(|e| {
                        let planned =
                            format!("{} {planned_word}", label_quantity(e.planned, unit, l));
                        match (e.delivered.is_zero(), e.planned.is_zero()) {
                            (true, false) => planned,
                            (false, false) => {
                                format!("{} + {planned}", label_quantity(e.delivered, unit, l))
                            }
                            _ => label_quantity(e.delivered, unit, l),
                        }
                    })
                    .collect()
            })
            .collect();
        // The "others" row has no bar (it would dwarf the rest): its value is not in the way.
        let widest = agg
            .drawn
            .iter()
            .zip(&value_labels)
            .flat_map(|((_, es), values)| es.iter().zip(values))
            .filter(|(e, _)| e.others == 0)
            .map(|(_, v)| text_width(v, SMALL))
            .fold(0.0, f64::max);
        Layout {
            items,
            first,
            height,
            value_labels,
            bar_max: (RIGHT - LEFT - widest - 12.0).max(MIN_BAR),
        }
    }
}

fn draw(s: &mut Canvas, cx: &Ctx, agg: &Aggregate, lay: &Layout) {
    let l = cx.l;
    legend(s, LEFT, 20.0, RIGHT, &lay.items);
    let mut y = lay.first;
    for ((ci, es), values) in agg.drawn.iter().zip(&lay.value_labels) {
        let Some(c) = cx.a.commodities.get(*ci) else {
            continue;
        };
        let colour = cx.colour(&c.id);
        s.label(
            LEFT,
            y + 22.0,
            Anchor::Start,
            BODY,
            &format!("{} ({})", cx.text(&c.name), unit_label(c.unit, l)),
            RIGHT - LEFT,
            Look::BOLD,
        );
        y += SECTION_H;
        let max = es
            .iter()
            .filter(|e| e.others == 0)
            .map(Entry::total)
            .max()
            .unwrap_or_default();
        for (e, value) in es.iter().zip(values) {
            draw_row(s, e, value, y, max, lay.bar_max, colour);
            y += ROW_H;
        }
        y += SECTION_GAP;
    }
}

/// One entry's name, bar and value at `y`; `max` is the section's longest bar's value.
fn draw_row(
    s: &mut Canvas,
    e: &Entry,
    value: &str,
    y: f64,
    max: Decimal,
    bar_max: f64,
    colour: plotters::style::RGBColor,
) {
    let frac = |v: Decimal| -> f64 {
        if max.is_zero() {
            0.0
        } else {
            (v / max).to_f64().unwrap_or(0.0).clamp(0.0, 1.0)
        }
    };
    let look = if e.key.is_none() {
        Look::ITALIC
    } else {
        Look::PLAIN
    };
    s.label(
        LEFT,
        y + 17.0,
        Anchor::Start,
        BODY,
        &e.name,
        RIGHT - LEFT,
        look,
    );
    let bar_y = y + 24.0;
    if e.others > 0 {
        let value = fit(value, SMALL, RIGHT - LEFT);
        s.text(
            LEFT,
            bar_y + 14.5,
            Anchor::Start,
            SMALL,
            &value,
            Look::PLAIN,
        );
        return;
    }
    let dw = frac(e.delivered) * bar_max;
    let pw = frac(e.total()) * bar_max - dw;
    if !e.delivered.is_zero() {
        let fill = if e.key.is_none() {
            Fill::Unpublished
        } else {
            Fill::Solid(colour)
        };
        s.bar(LEFT, bar_y, dw.max(1.5), BAR_H, fill);
    }
    if !e.planned.is_zero() {
        s.bar(LEFT + dw, bar_y, pw.max(1.5), BAR_H, Fill::Planned(colour));
    }
    let vx = LEFT + (dw + pw.max(0.0)).max(1.5) + 6.0;
    let value = fit(value, SMALL, RIGHT - vx);
    s.text(vx, bar_y + 14.5, Anchor::Start, SMALL, &value, Look::PLAIN);
}

/// Every entry, whole names.
fn table(cx: &Ctx, title: &str, who: &str, agg: &Aggregate) -> DataTable {
    let l = cx.l;
    let mut rows = Vec::new();
    for (ci, es) in &agg.sections {
        let Some(c) = cx.a.commodities.get(*ci) else {
            continue;
        };
        for e in es {
            rows.push(vec![
                e.name.clone(),
                cx.text(&c.name).to_string(),
                l.exact(e.delivered),
                l.exact(e.planned),
                unit_label(c.unit, l).to_string(),
                count(e.records, l),
            ]);
        }
    }
    DataTable {
        caption: title.to_string(),
        headers: vec![
            who.to_string(),
            l.s("commodity").to_string(),
            l.s("chart_delivered").to_string(),
            l.s("chart_planned").to_string(),
            l.s("chart_unit").to_string(),
            l.s("chart_records").to_string(),
        ],
        rows,
    }
}
