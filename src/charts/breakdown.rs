//! `participants` and `offtakers`: deliveries by supplier and by receiver, one section per
//! commodity (each with its own unit and scale), a horizontal bar per supplier or receiver.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::locale;

use super::canvas::{self, Anchor, Fill, Look, Swatch, legend, legend_room};
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

pub fn chart(cx: &Ctx, by: By) -> Chart {
    let w = cx.w;
    let lang = cx.lang;
    let en = lang == "en";
    let name = match by {
        By::Participant => "participants",
        By::Offtaker => "offtakers",
    };
    let title = match by {
        By::Participant => w.participants,
        By::Offtaker => w.offtakers,
    }
    .to_string();
    let who = match by {
        By::Participant => w.participant,
        By::Offtaker => w.offtaker,
    };

    // Aggregate per commodity and key.
    let mut sums: BTreeMap<(usize, Option<&str>), Entry> = BTreeMap::new();
    for s in &cx.a.shipments {
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
            (_, None) => w.not_published.to_string(),
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
    let any_planned = sections
        .iter()
        .any(|(_, es)| es.iter().any(|e| !e.planned.is_zero()));
    let any_unpublished = sections
        .iter()
        .any(|(_, es)| es.iter().any(|e| e.key.is_none()));

    // Bars drawn: the first MAX_BARS, then one "others".
    let drawn: Vec<(usize, Vec<Entry>)> = sections
        .iter()
        .map(|(ci, es)| {
            let mut v: Vec<Entry> = es.iter().take(MAX_BARS).cloned().collect();
            if es.len() > MAX_BARS {
                let rest = &es[MAX_BARS..];
                let k = rest.len();
                let mut o = Entry {
                    key: Some(String::new()),
                    name: format!("{} ({} {})", w.others, count(k, lang), who.to_lowercase()),
                    others: k,
                    ..Entry::default()
                };
                for e in rest {
                    o.delivered += e.delivered;
                    o.planned += e.planned;
                    o.records += e.records;
                }
                v.push(o);
            }
            (*ci, v)
        })
        .collect();

    let commodity = |ci: usize| cx.a.commodities.get(ci);

    // Description: the largest three per commodity.
    let mut description = title.clone();
    description.push('.');
    for (ci, es) in sections.iter().take(6) {
        let Some(c) = commodity(*ci) else { continue };
        let parts: Vec<String> = es
            .iter()
            .take(3)
            .map(|e| {
                let mut s = format!("{} {}", e.name, exact_quantity(e.delivered, c.unit, lang));
                if !e.planned.is_zero() {
                    s.push_str(&format!(
                        " ({} {})",
                        w.planned.to_lowercase(),
                        exact_quantity(e.planned, c.unit, lang)
                    ));
                }
                s
            })
            .collect();
        description.push_str(&format!(" {}: {}", cx.text(&c.name), parts.join("; ")));
        if es.len() > 3 {
            let more = count(es.len() - 3, lang);
            description.push_str(&if en {
                format!("; and {more} more")
            } else {
                format!("; dan {more} lainnya")
            });
        }
        description.push('.');
    }
    let mut notes = Vec::new();
    if any_unpublished {
        notes.push(if en {
            "Shipments whose receiver was not published are shown as such, hatched."
        } else {
            "Pengiriman yang penerimanya tidak dipublikasikan ditampilkan demikian, berarsir."
        });
    }
    if any_planned {
        notes.push(if en {
            "Pale bars with a dashed outline are planned shipments, not deliveries."
        } else {
            "Batang pucat bergaris tepi putus-putus adalah pengiriman yang direncanakan, belum \
             dikirim."
        });
    }
    if drawn.iter().any(|(_, es)| es.iter().any(|e| e.others > 0)) {
        notes.push(if en {
            "Beyond the eight largest, the rest are summed in one line without a bar; the table \
             lists each."
        } else {
            "Selain delapan terbesar, sisanya dijumlahkan dalam satu baris tanpa batang; tabel \
             memuat semuanya."
        });
    }
    notes.push(if en {
        "Each commodity has its own scale and unit."
    } else {
        "Setiap komoditas memiliki skala dan satuannya sendiri."
    });
    let note = Some(notes.join(" "));

    // Layout.
    let mut items = vec![(Swatch::Bar(Fill::Solid(NEUTRAL)), w.delivered.to_string())];
    if any_planned {
        items.push((Swatch::Bar(Fill::Planned(NEUTRAL)), w.planned.to_string()));
    }
    if any_unpublished {
        items.push((Swatch::Bar(Fill::Unpublished), w.not_published.to_string()));
    }
    let first = 6.0 + legend_room(LEFT, RIGHT, &items);
    let height = first
        + drawn
            .iter()
            .map(|(_, es)| SECTION_H + es.len() as f64 * ROW_H + SECTION_GAP)
            .sum::<f64>()
        + 4.0;

    // Value labels first: the longest bar leaves room for the widest of them, the same
    // length in every section.
    let value_labels: Vec<Vec<String>> = drawn
        .iter()
        .map(|(ci, es)| {
            let unit = commodity(*ci)
                .map(|c| c.unit)
                .unwrap_or(crate::model::Unit::Kg);
            es.iter()
                .map(|e| {
                    let planned = format!(
                        "{} {}",
                        label_quantity(e.planned, unit, lang),
                        w.planned.to_lowercase()
                    );
                    match (e.delivered.is_zero(), e.planned.is_zero()) {
                        (true, false) => planned,
                        (false, false) => {
                            format!("{} + {planned}", label_quantity(e.delivered, unit, lang))
                        }
                        _ => label_quantity(e.delivered, unit, lang),
                    }
                })
                .collect()
        })
        .collect();
    // The "others" row has no bar (it would dwarf the rest): its value is not in the way.
    let widest = drawn
        .iter()
        .zip(&value_labels)
        .flat_map(|((_, es), values)| es.iter().zip(values))
        .filter(|(e, _)| e.others == 0)
        .map(|(_, v)| text_width(v, SMALL))
        .fold(0.0, f64::max);
    let bar_max = (RIGHT - LEFT - widest - 12.0).max(MIN_BAR);
    let svg = canvas::render(&cx.prefix(name), height, &title, &description, |s| {
        legend(s, LEFT, 20.0, RIGHT, &items);
        let mut y = first;
        for ((ci, es), values) in drawn.iter().zip(&value_labels) {
            let Some(c) = commodity(*ci) else { continue };
            let colour = cx.colour(&c.id);
            s.label(
                LEFT,
                y + 22.0,
                Anchor::Start,
                BODY,
                &format!("{} ({})", cx.text(&c.name), unit_label(c.unit, lang)),
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
            let frac = |v: Decimal| -> f64 {
                if max.is_zero() {
                    0.0
                } else {
                    (v / max).to_f64().unwrap_or(0.0).clamp(0.0, 1.0)
                }
            };
            for (e, value) in es.iter().zip(values) {
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
                    y += ROW_H;
                    continue;
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
                y += ROW_H;
            }
            y += SECTION_GAP;
        }
    });

    // Table: every entry, whole names.
    let mut rows = Vec::new();
    for (ci, es) in &sections {
        let Some(c) = commodity(*ci) else { continue };
        for e in es {
            rows.push(vec![
                e.name.clone(),
                cx.text(&c.name).to_string(),
                locale::exact(e.delivered, lang),
                locale::exact(e.planned, lang),
                unit_label(c.unit, lang).to_string(),
                count(e.records, lang),
            ]);
        }
    }
    Chart {
        name: name.to_string(),
        title: title.clone(),
        description,
        note,
        svg,
        table: DataTable {
            caption: title,
            headers: vec![
                who.to_string(),
                w.commodity.to_string(),
                w.delivered.to_string(),
                w.planned.to_string(),
                w.unit.to_string(),
                w.records.to_string(),
            ],
            rows,
        },
    }
}
