//! `monthly`: deliveries per month, one panel per commodity (each with its own unit and
//! scale), stacked over one shared time axis.

use chrono::Datelike;
use rust_decimal::Decimal;

use crate::locale;
use crate::model::{Date, When};

use plotters::chart::ChartBuilder;

use super::canvas::{self, Anchor, DRAWN, Fill, Look, Swatch, bracket, legend, legend_room, px};
use super::scale::{ValueAxis, ValueCoord, months_between};
use super::style::{BODY, GRID, MUTED, NEUTRAL, SMALL, W};
use super::text::text_width;
use super::words::{axis_labels, count, exact_quantity, label_number, unit_label};
use super::{Chart, Ctx, DataTable, Domain};

const RIGHT: f64 = W - 16.0;
const BARS_H: f64 = 56.0;
const PANEL_H: f64 = 120.0;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Grain {
    Month,
    Quarter,
    Year,
}

/// Consecutive time buckets from the domain's start.
struct Buckets {
    grain: Grain,
    base: i64,
    len: usize,
}

impl Buckets {
    fn new(dom: &Domain) -> Buckets {
        let months = months_between(dom.start, dom.end) + 1;
        let grain = if months <= 72 {
            Grain::Month
        } else if months <= 216 {
            Grain::Quarter
        } else {
            Grain::Year
        };
        let mut b = Buckets {
            grain,
            base: 0,
            len: 0,
        };
        b.base = b.key(dom.start);
        b.len = (b.key(dom.end) - b.base + 1).max(1) as usize;
        b
    }

    fn key(&self, d: Date) -> i64 {
        let (y, m) = (i64::from(d.year()), i64::from(d.month0()));
        match self.grain {
            Grain::Month => y * 12 + m,
            Grain::Quarter => y * 4 + m / 3,
            Grain::Year => y,
        }
    }

    fn index(&self, d: Date) -> usize {
        (self.key(d) - self.base).clamp(0, self.len as i64 - 1) as usize
    }

    /// (year, month 1-12 or quarter 1-4 or 0) of bucket `i`.
    fn parts(&self, i: usize) -> (i32, u32) {
        let k = self.base + i as i64;
        match self.grain {
            Grain::Month => (k.div_euclid(12) as i32, k.rem_euclid(12) as u32 + 1),
            Grain::Quarter => (k.div_euclid(4) as i32, k.rem_euclid(4) as u32 + 1),
            Grain::Year => (k as i32, 0),
        }
    }

    /// Axis label lines; the year under the first label and wherever it changes since
    /// `previous` (the bucket labelled before).
    fn axis_label(&self, i: usize, previous: Option<usize>, cx: &Ctx) -> (String, Option<String>) {
        let (y, p) = self.parts(i);
        let year = (previous.map(|j| self.parts(j).0) != Some(y)).then(|| y.to_string());
        match self.grain {
            Grain::Month => (locale::month_short(p, cx.lang).to_string(), year),
            Grain::Quarter => (format!("{}{p}", cx.w.quarter_prefix), year),
            Grain::Year => (y.to_string(), None),
        }
    }

    /// `Juni 2022`, `TW3 2022` / `Q3 2022`, `2022`.
    fn full_label(&self, i: usize, cx: &Ctx) -> String {
        let (y, p) = self.parts(i);
        match self.grain {
            Grain::Month => locale::month(y, p, cx.lang),
            Grain::Quarter => format!("{}{p} {y}", cx.w.quarter_prefix),
            Grain::Year => y.to_string(),
        }
    }

    fn word(&self, cx: &Ctx) -> &'static str {
        match self.grain {
            Grain::Month => cx.w.month,
            Grain::Quarter => cx.w.quarter,
            Grain::Year => cx.w.year,
        }
    }
}

#[derive(Default, Clone, Copy)]
struct Cell {
    dated: Decimal,
    period: Decimal,
    planned: Decimal,
    records: usize,
}

impl Cell {
    fn delivered(&self) -> Decimal {
        self.dated + self.period
    }
    fn is_empty(&self) -> bool {
        self.records == 0
    }
}

struct Panel<'a> {
    id: &'a str,
    cells: Vec<Cell>,
    /// Bucket ranges covered by period records, merged.
    spans: Vec<(usize, usize)>,
}

pub fn chart(cx: &Ctx, dom: &Domain) -> Chart {
    let w = cx.w;
    let lang = cx.lang;
    let name = "monthly";
    let buckets = Buckets::new(dom);

    let mut panels: Vec<Panel> = Vec::new();
    let (mut any_period, mut any_period_total, mut any_planned) = (false, false, false);
    for c in &cx.a.commodities {
        let mut cells = vec![Cell::default(); buckets.len];
        let mut spans: Vec<(usize, usize)> = Vec::new();
        let mut any = false;
        for s in cx.a.shipments.iter().filter(|s| s.commodity == c.id) {
            any = true;
            let cell = &mut cells[buckets.index(s.when.end())];
            cell.records += 1;
            let q = s.quantity.amount;
            if !s.is_delivered() {
                cell.planned += q;
                any_planned = true;
            } else if matches!(s.when, When::Span { .. }) {
                cell.period += q;
                any_period_total = true;
            } else {
                cell.dated += q;
            }
            if let When::Span { start, end } = s.when {
                any_period = true;
                spans.push((buckets.index(start), buckets.index(end)));
            }
        }
        if any {
            spans.sort_unstable();
            let mut merged: Vec<(usize, usize)> = Vec::new();
            for (a, b) in spans {
                match merged.last_mut() {
                    Some(last) if a <= last.1 + 1 => last.1 = last.1.max(b),
                    _ => merged.push((a, b)),
                }
            }
            panels.push(Panel {
                id: &c.id,
                cells,
                spans: merged,
            });
        }
    }

    let range = format!(
        "{} – {}",
        buckets.full_label(0, cx),
        buckets.full_label(buckets.len - 1, cx)
    );
    let title = match buckets.grain {
        Grain::Month => w.monthly.to_string(),
        Grain::Quarter if lang == "en" => "Deliveries per quarter".to_string(),
        Grain::Quarter => "Pengiriman per triwulan".to_string(),
        Grain::Year if lang == "en" => "Deliveries per year".to_string(),
        Grain::Year => "Pengiriman per tahun".to_string(),
    };
    let description = describe(cx, &buckets, &panels, &range, &title);
    let mut notes: Vec<&str> = Vec::new();
    if any_period {
        notes.push(if lang == "en" {
            "A period record is a total for a span: it is drawn hatched in the month its period \
             ends, and a bracket under the axis marks the months it covers; how it split over \
             those months is not known."
        } else {
            "Catatan periode adalah total untuk suatu rentang: digambar berarsir pada bulan \
             berakhirnya periode, dan kurung di bawah sumbu menandai bulan-bulan yang dicakupnya; \
             pembagiannya per bulan tidak diketahui."
        });
    }
    if any_planned {
        notes.push(if lang == "en" {
            "Pale bars with a dashed outline are planned shipments, not deliveries."
        } else {
            "Batang pucat bergaris tepi putus-putus adalah pengiriman yang direncanakan, belum \
             dikirim."
        });
    }
    if buckets.grain != Grain::Month {
        notes.push(if lang == "en" {
            "The records span many years, so they are grouped by quarter or year."
        } else {
            "Catatan mencakup banyak tahun, sehingga dikelompokkan per triwulan atau per tahun."
        });
    }
    notes.push(if lang == "en" {
        "Each commodity has its own scale and unit."
    } else {
        "Setiap komoditas memiliki skala dan satuannya sendiri."
    });
    let note = Some(notes.join(" "));

    // Layout.
    let mut items: Vec<(Swatch, String)> =
        vec![(Swatch::Bar(Fill::Solid(NEUTRAL)), w.dated.to_string())];
    if any_period_total {
        items.push((
            Swatch::Bar(Fill::Hatched(NEUTRAL)),
            w.period_total.to_string(),
        ));
    }
    if any_period {
        items.push((Swatch::Bracket, w.period_span.to_string()));
    }
    if any_planned {
        items.push((Swatch::Bar(Fill::Planned(NEUTRAL)), w.planned.to_string()));
    }
    let first_panel = 8.0 + legend_room(16.0, W - 16.0, &items);
    // Each panel's own value axis; the left margin fits the widest of their labels.
    let axes: Vec<(ValueAxis, Vec<String>)> = panels
        .iter()
        .map(|p| {
            let max = p
                .cells
                .iter()
                .map(|c| c.delivered() + c.planned)
                .max()
                .unwrap_or_default();
            let axis = ValueAxis::new(max, 2);
            let labels = axis_labels(&axis.ticks, lang);
            (axis, labels)
        })
        .collect();
    let left = axes
        .iter()
        .flat_map(|(_, labels)| labels.iter().map(|l| text_width(l, SMALL)))
        .fold(0.0, f64::max)
        .max(24.0)
        + 16.0;
    let last_baseline = first_panel + (panels.len() as f64 - 1.0) * PANEL_H + 40.0 + BARS_H;
    let height = last_baseline + 58.0;
    let label_bars = buckets.len <= 16;

    let svg = canvas::render(&cx.prefix(name), height, &title, &description, |s| {
        legend(s, 16.0, 20.0, W - 16.0, &items);
        // The plot's left edge and the width of one bucket, the same in every panel.
        let (mut plot_left, mut slot) = (0.0, 0.0);
        for (pi, p) in panels.iter().enumerate() {
            let panel_top = first_panel + pi as f64 * PANEL_H;
            let bars_top = panel_top + 40.0;
            let baseline = bars_top + BARS_H;
            let c = cx.a.commodity(p.id).expect("panel of a commodity");
            let colour = cx.colour(p.id);
            let unit = unit_label(c.unit, lang);
            s.label(
                16.0,
                panel_top + 18.0,
                Anchor::Start,
                BODY,
                &format!("{} ({unit})", cx.text(&c.name)),
                W - 32.0,
                Look::BOLD,
            );
            let (axis, tick_labels) = &axes[pi];
            let mut chart = ChartBuilder::on(&s.root)
                .margin_top(px(bars_top) as u32)
                .margin_bottom(px(height - baseline) as u32)
                .margin_right(px(W - RIGHT) as u32)
                .y_label_area_size(px(left) as u32)
                .build_cartesian_2d(
                    0.0..buckets.len as f64,
                    ValueCoord::new(axis, tick_labels.clone()),
                )
                .expect(DRAWN);
            chart
                .configure_mesh()
                .disable_x_mesh()
                .disable_x_axis()
                .bold_line_style(GRID)
                .axis_style(MUTED)
                .set_all_tick_mark_size(4)
                .label_style(canvas::font(SMALL, Look::PLAIN, Anchor::End))
                .draw()
                .expect(DRAWN);
            let (xs, ys) = chart.plotting_area().get_pixel_range();
            let plot_right = f64::from(xs.end);
            plot_left = f64::from(xs.start);
            let (y_zero, y_top) = (f64::from(ys.end), f64::from(ys.start));
            slot = (plot_right - plot_left) / buckets.len as f64;
            let slot_at = |i: usize| plot_left + i as f64 * slot;
            let bar_w = (slot * 0.72).clamp(1.0, 48.0);
            let y = |v: Decimal| y_zero - axis.frac(v) * (y_zero - y_top);
            s.path(&[(plot_left, y_zero), (plot_right, y_zero)], MUTED);

            for (i, cell) in p.cells.iter().enumerate() {
                if cell.is_empty() {
                    continue;
                }
                let x = slot_at(i) + (slot - bar_w) / 2.0;
                let (mut base, mut top) = (Decimal::ZERO, y_zero);
                let fills = [
                    Fill::Solid(colour),
                    Fill::Hatched(colour),
                    Fill::Planned(colour),
                ];
                for (v, fill) in [cell.dated, cell.period, cell.planned]
                    .into_iter()
                    .zip(fills)
                {
                    if v.is_zero() {
                        continue;
                    }
                    // Never thinner than one unit, so a tiny amount next to a huge one shows.
                    let h = (y(base) - y(base + v)).max(1.0);
                    top -= h;
                    if matches!(fill, Fill::Planned(_)) {
                        s.bar(x, top, bar_w, h, fill);
                    } else {
                        s.fill(x, top, bar_w, h, fill);
                    }
                    base += v;
                    if base == cell.delivered() && !base.is_zero() {
                        // One outline around what was delivered, dated and period together.
                        s.outline(x, top, bar_w, y_zero - top, Fill::Solid(colour));
                    }
                }
                if label_bars && !cell.delivered().is_zero() {
                    s.text(
                        x + bar_w / 2.0,
                        top - 5.0,
                        Anchor::Middle,
                        SMALL,
                        &label_number(cell.delivered(), lang),
                        Look::PLAIN,
                    );
                }
            }
            for (a, b) in &p.spans {
                bracket(s, slot_at(*a) + 2.0, slot_at(*b + 1) - 2.0, baseline + 3.0);
            }
        }

        // Shared time axis under the last panel.
        let every = [1usize, 2, 3, 4, 6, 12, 24, 60, 120]
            .into_iter()
            .find(|k| buckets.len.div_ceil(*k) <= 8)
            .unwrap_or(buckets.len);
        let mut previous = None;
        for i in (0..buckets.len).step_by(every) {
            let x = plot_left + (i as f64 + 0.5) * slot;
            let (l1, l2) = buckets.axis_label(i, previous, cx);
            previous = Some(i);
            s.path(
                &[(x, last_baseline + 10.0), (x, last_baseline + 14.0)],
                MUTED,
            );
            s.text(
                x,
                last_baseline + 31.0,
                Anchor::Middle,
                SMALL,
                &l1,
                Look::PLAIN,
            );
            if let Some(l2) = l2 {
                s.text(
                    x,
                    last_baseline + 51.0,
                    Anchor::Middle,
                    SMALL,
                    &l2,
                    Look::PLAIN,
                );
            }
        }
    });

    Chart {
        name: name.to_string(),
        title: title.clone(),
        description,
        note,
        svg,
        table: table(cx, &buckets, &panels, &title),
    }
}

fn describe(cx: &Ctx, buckets: &Buckets, panels: &[Panel], range: &str, title: &str) -> String {
    let en = cx.lang == "en";
    let mut out = format!("{title}, {range}.");
    for p in panels.iter().take(6) {
        let c = cx.a.commodity(p.id).expect("panel of a commodity");
        let name = cx.text(&c.name);
        let active = p.cells.iter().filter(|c| !c.delivered().is_zero()).count();
        let best = p
            .cells
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.delivered().is_zero())
            .max_by(|a, b| a.1.delivered().cmp(&b.1.delivered()).then(b.0.cmp(&a.0)));
        match best {
            None => out.push_str(&if en {
                format!(" {name}: nothing delivered yet.")
            } else {
                format!(" {name}: belum ada yang dikirim.")
            }),
            Some((i, cell)) => {
                let q = exact_quantity(cell.delivered(), c.unit, cx.lang);
                let when = buckets.full_label(i, cx);
                let k = count(active, cx.lang);
                let word = buckets.word(cx).to_lowercase();
                out.push_str(&if en {
                    let word = if active == 1 {
                        word
                    } else {
                        format!("{word}s")
                    };
                    format!(" {name}: deliveries in {k} {word}, the most {q} in {when}.")
                } else {
                    format!(" {name}: pengiriman dalam {k} {word}, terbanyak {q} pada {when}.")
                });
            }
        }
    }
    if panels.len() > 6 {
        let more = count(panels.len() - 6, cx.lang);
        out.push_str(&if en {
            format!(" {more} more commodities are in the table.")
        } else {
            format!(" {more} komoditas lain ada di tabel.")
        });
    }
    out
}

fn table(cx: &Ctx, buckets: &Buckets, panels: &[Panel], title: &str) -> DataTable {
    let w = cx.w;
    let lang = cx.lang;
    let mut rows = Vec::new();
    for i in 0..buckets.len {
        for p in panels {
            let cell = &p.cells[i];
            if cell.is_empty() {
                continue;
            }
            let c = cx.a.commodity(p.id).expect("panel of a commodity");
            rows.push(vec![
                buckets.full_label(i, cx),
                cx.text(&c.name).to_string(),
                locale::exact(cell.delivered(), lang),
                locale::exact(cell.period, lang),
                locale::exact(cell.planned, lang),
                unit_label(c.unit, lang).to_string(),
                count(cell.records, lang),
            ]);
        }
    }
    DataTable {
        caption: title.to_string(),
        headers: vec![
            buckets.word(cx).to_string(),
            w.commodity.to_string(),
            w.delivered.to_string(),
            format!(
                "{} {}",
                if lang == "en" {
                    "Of which"
                } else {
                    "Di antaranya"
                },
                w.of_which_period
            ),
            w.planned.to_string(),
            w.unit.to_string(),
            w.records.to_string(),
        ],
        rows,
    }
}
