//! `monthly`: deliveries per month, one panel per commodity (each with its own unit and
//! scale), stacked over one shared time axis.

use chrono::Datelike;
use rust_decimal::Decimal;

use crate::model::{Date, When};

use plotters::chart::ChartBuilder;

use super::canvas::{
    self, Anchor, Canvas, DRAWN, Fill, Look, Swatch, bracket, legend, legend_room, px,
};
use super::scale::{ValueAxis, ValueCoord, merged, months_between};
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
            Grain::Month => (cx.l.month_short(p).to_string(), year),
            Grain::Quarter => (quarter(cx, p), year),
            Grain::Year => (y.to_string(), None),
        }
    }

    /// `Juni 2022`, `TW3 2022` / `Q3 2022`, `2022`.
    fn full_label(&self, i: usize, cx: &Ctx) -> String {
        let (y, p) = self.parts(i);
        match self.grain {
            Grain::Month => cx.l.month(y, p),
            Grain::Quarter => format!("{} {y}", quarter(cx, p)),
            Grain::Year => y.to_string(),
        }
    }

    /// The column header of a bucket.
    fn word<'k>(&self, cx: &Ctx<'k>) -> &'k str {
        cx.l.s(match self.grain {
            Grain::Month => "month",
            Grain::Quarter => "chart_quarter",
            Grain::Year => "chart_year",
        })
    }

    /// `3 bulan` / `3 months`, `1 month`.
    fn count(&self, cx: &Ctx, n: usize) -> String {
        let key = match self.grain {
            Grain::Month => "chart_month_count",
            Grain::Quarter => "chart_quarter_count",
            Grain::Year => "chart_year_count",
        };
        cx.l.count(key, n, &[])
    }
}

/// `TW3` / `Q3`.
fn quarter(cx: &Ctx, q: u32) -> String {
    cx.l.fill("chart_quarter_label", &[("n", &q.to_string())])
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

/// Each commodity's cells, and which kinds of record there are.
struct Aggregate<'a> {
    panels: Vec<Panel<'a>>,
    any_period: bool,
    any_period_total: bool,
    any_planned: bool,
}

impl<'a> Aggregate<'a> {
    fn of(cx: &Ctx<'a>, buckets: &Buckets) -> Aggregate<'a> {
        let mut agg = Aggregate {
            panels: Vec::new(),
            any_period: false,
            any_period_total: false,
            any_planned: false,
        };
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
                    agg.any_planned = true;
                } else if matches!(s.when, When::Span { .. }) {
                    cell.period += q;
                    agg.any_period_total = true;
                } else {
                    cell.dated += q;
                }
                if let When::Span { start, end } = s.when {
                    agg.any_period = true;
                    spans.push((buckets.index(start), buckets.index(end)));
                }
            }
            if any {
                agg.panels.push(Panel {
                    id: &c.id,
                    cells,
                    spans: merged(spans, 1),
                });
            }
        }
        agg
    }
}

pub fn chart(cx: &Ctx, dom: &Domain) -> Chart {
    let name = "monthly";
    let buckets = Buckets::new(dom);
    let agg = Aggregate::of(cx, &buckets);
    let title =
        cx.l.s(match buckets.grain {
            Grain::Month => "chart_monthly",
            Grain::Quarter => "chart_quarterly",
            Grain::Year => "chart_yearly",
        })
        .to_string();
    let range = format!(
        "{} – {}",
        buckets.full_label(0, cx),
        buckets.full_label(buckets.len - 1, cx)
    );
    let description = describe(cx, &buckets, &agg.panels, &range, &title);
    let note = Some(notes(cx, &buckets, &agg));
    let lay = Layout::new(cx, &buckets, &agg);
    let svg = canvas::render(&cx.prefix(name), lay.height, &title, &description, |s| {
        draw(s, cx, &buckets, &agg, &lay)
    });
    Chart {
        name: name.to_string(),
        table: table(cx, &buckets, &agg.panels, &title),
        title,
        description,
        note,
        svg,
    }
}

/// How to read the chart: period records, planned shipments, grouping, scales.
fn notes(cx: &Ctx, buckets: &Buckets, agg: &Aggregate) -> String {
    let l = cx.l;
    let mut notes: Vec<&str> = Vec::new();
    if agg.any_period {
        notes.push(l.s("chart_note_period_bracket"));
    }
    if agg.any_planned {
        notes.push(l.s("chart_note_planned_bars"));
    }
    if buckets.grain != Grain::Month {
        notes.push(l.s("chart_note_grouped"));
    }
    notes.push(l.s("chart_note_own_scale"));
    notes.join(" ")
}

/// The legend, each panel's value axis, the left margin and the heights.
struct Layout {
    items: Vec<(Swatch, String)>,
    first_panel: f64,
    /// Per panel: its value axis and tick labels.
    axes: Vec<(ValueAxis, Vec<String>)>,
    left: f64,
    last_baseline: f64,
    height: f64,
    /// Bars carry their value when there are few of them.
    label_bars: bool,
}

impl Layout {
    fn new(cx: &Ctx, buckets: &Buckets, agg: &Aggregate) -> Layout {
        let l = cx.l;
        let mut items: Vec<(Swatch, String)> = vec![(
            Swatch::Bar(Fill::Solid(NEUTRAL)),
            l.s("chart_dated").to_string(),
        )];
        if agg.any_period_total {
            items.push((
                Swatch::Bar(Fill::Hatched(NEUTRAL)),
                l.s("chart_period_total").to_string(),
            ));
        }
        if agg.any_period {
            items.push((Swatch::Bracket, l.s("chart_period_span").to_string()));
        }
        if agg.any_planned {
            items.push((
                Swatch::Bar(Fill::Planned(NEUTRAL)),
                l.s("chart_planned").to_string(),
            ));
        }
        let first_panel = 8.0 + legend_room(16.0, W - 16.0, &items);
        // Each panel's own value axis; the left margin fits the widest of their labels.
        let axes: Vec<(ValueAxis, Vec<String>)> = agg
            .panels
            .iter()
            .map(|p| {
                let max = p
                    .cells
                    .iter()
                    .map(|c| c.delivered() + c.planned)
                    .max()
                    .unwrap_or_default();
                let axis = ValueAxis::new(max, 2);
                let labels = axis_labels(&axis.ticks, l);
                (axis, labels)
            })
            .collect();
        let left = axes
            .iter()
            .flat_map(|(_, labels)| labels.iter().map(|l| text_width(l, SMALL)))
            .fold(0.0, f64::max)
            .max(24.0)
            + 16.0;
        let last_baseline = first_panel + (agg.panels.len() as f64 - 1.0) * PANEL_H + 40.0 + BARS_H;
        Layout {
            items,
            first_panel,
            axes,
            left,
            last_baseline,
            height: last_baseline + 58.0,
            label_bars: buckets.len <= 16,
        }
    }
}

fn draw(s: &mut Canvas, cx: &Ctx, buckets: &Buckets, agg: &Aggregate, lay: &Layout) {
    legend(s, 16.0, 20.0, W - 16.0, &lay.items);
    // The plot's left edge and the width of one bucket, the same in every panel.
    let (mut plot_left, mut slot) = (0.0, 0.0);
    for (pi, p) in agg.panels.iter().enumerate() {
        (plot_left, slot) = draw_panel(s, cx, buckets, lay, pi, p);
    }

    // Shared time axis under the last panel.
    let last_baseline = lay.last_baseline;
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
}

/// Panel `pi`: its heading, value axis, bars and period brackets. Returns the plot's left
/// edge and the width of one bucket.
fn draw_panel(
    s: &mut Canvas,
    cx: &Ctx,
    buckets: &Buckets,
    lay: &Layout,
    pi: usize,
    p: &Panel,
) -> (f64, f64) {
    let l = cx.l;
    let panel_top = lay.first_panel + pi as f64 * PANEL_H;
    let bars_top = panel_top + 40.0;
    let baseline = bars_top + BARS_H;
    let c = cx.a.commodity(p.id).expect("panel of a commodity");
    let colour = cx.colour(p.id);
    let unit = unit_label(c.unit, l);
    s.label(
        16.0,
        panel_top + 18.0,
        Anchor::Start,
        BODY,
        &format!("{} ({unit})", cx.text(&c.name)),
        W - 32.0,
        Look::BOLD,
    );
    let (axis, tick_labels) = &lay.axes[pi];
    let mut chart = ChartBuilder::on(&s.root)
        .margin_top(px(bars_top) as u32)
        .margin_bottom(px(lay.height - baseline) as u32)
        .margin_right(px(W - RIGHT) as u32)
        .y_label_area_size(px(lay.left) as u32)
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
    let plot_left = f64::from(xs.start);
    let (y_zero, y_top) = (f64::from(ys.end), f64::from(ys.start));
    let slot = (plot_right - plot_left) / buckets.len as f64;
    let slot_at = |i: usize| plot_left + i as f64 * slot;
    let bar_w = (slot * 0.72).clamp(1.0, 48.0);
    let y = |v: Decimal| y_zero - axis.frac(v) * (y_zero - y_top);
    s.path(&[(plot_left, y_zero), (plot_right, y_zero)], MUTED);

    // Bars in passes by look (delivered, then with a period total, then planned, then the
    // planned bars' outlines), so that bars of one look follow each other and the chart's
    // finishing joins them into one path; bars of one month never overlap.
    let mut delivered = Vec::new();
    let mut labels = Vec::new();
    let mut with_period = Vec::new();
    let mut planned = Vec::new();
    for (i, cell) in p.cells.iter().enumerate() {
        if cell.is_empty() {
            continue;
        }
        let x = slot_at(i) + (slot - bar_w) / 2.0;
        // Never thinner than one unit, so a tiny amount next to a huge one shows.
        let h = |from: Decimal, v: Decimal| (y(from) - y(from + v)).max(1.0);
        let dated_h = if cell.dated.is_zero() {
            0.0
        } else {
            h(Decimal::ZERO, cell.dated)
        };
        let period_h = if cell.period.is_zero() {
            0.0
        } else {
            h(cell.dated, cell.period)
        };
        let top = y_zero - dated_h - period_h;
        if !cell.delivered().is_zero() {
            let bar = (x, top, dated_h, period_h);
            if cell.period.is_zero() {
                delivered.push(bar);
            } else {
                with_period.push(bar);
            }
        }
        let mut label_y = top;
        if !cell.planned.is_zero() {
            let ph = h(cell.delivered(), cell.planned);
            label_y -= ph;
            planned.push((x, label_y, ph));
        }
        if lay.label_bars && !cell.delivered().is_zero() {
            labels.push((x + bar_w / 2.0, label_y - 5.0, cell.delivered()));
        }
    }
    for &(x, top, dated_h, _) in &delivered {
        s.bar(x, top, bar_w, dated_h, Fill::Solid(colour));
    }
    // Delivered with a period total: the colour, the stripes over the period total, and one
    // outline around what was delivered, dated and period together.
    for &(x, top, dated_h, period_h) in &with_period {
        s.fill(x, top, bar_w, dated_h + period_h, Fill::Solid(colour));
    }
    for &(x, top, _, period_h) in &with_period {
        s.stripes(x, top, bar_w, period_h);
    }
    for &(x, top, dated_h, period_h) in &with_period {
        s.outline(x, top, bar_w, dated_h + period_h, Fill::Solid(colour));
    }
    for &(x, top, h) in &planned {
        s.fill(x, top, bar_w, h, Fill::Planned(colour));
    }
    for &(x, top, h) in &planned {
        s.outline(x, top, bar_w, h, Fill::Planned(colour));
    }
    for (x, y, v) in labels {
        s.text(
            x,
            y,
            Anchor::Middle,
            SMALL,
            &label_number(v, l),
            Look::PLAIN,
        );
    }
    for (a, b) in &p.spans {
        bracket(s, slot_at(*a) + 2.0, slot_at(*b + 1) - 2.0, baseline + 3.0);
    }
    (plot_left, slot)
}

fn describe(cx: &Ctx, buckets: &Buckets, panels: &[Panel], range: &str, title: &str) -> String {
    let l = cx.l;
    let mut out = vec![format!("{title}, {range}.")];
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
        out.push(match best {
            None => l.fill("chart_desc_month_nothing", &[("name", name)]),
            Some((i, cell)) => {
                let q = exact_quantity(cell.delivered(), c.unit, l);
                let when = buckets.full_label(i, cx);
                let count = buckets.count(cx, active);
                l.fill(
                    "chart_desc_month_most",
                    &[
                        ("name", name),
                        ("count", &count),
                        ("quantity", &q),
                        ("when", &when),
                    ],
                )
            }
        });
    }
    if panels.len() > 6 {
        out.push(l.count("chart_desc_more_commodities", panels.len() - 6, &[]));
    }
    out.join(" ")
}

fn table(cx: &Ctx, buckets: &Buckets, panels: &[Panel], title: &str) -> DataTable {
    let l = cx.l;
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
                l.exact(cell.delivered()),
                l.exact(cell.period),
                l.exact(cell.planned),
                unit_label(c.unit, l).to_string(),
                count(cell.records, l),
            ]);
        }
    }
    DataTable {
        caption: title.to_string(),
        headers: vec![
            buckets.word(cx).to_string(),
            l.s("commodity").to_string(),
            l.s("chart_delivered").to_string(),
            l.s("chart_of_which_period").to_string(),
            l.s("chart_planned").to_string(),
            l.s("chart_unit").to_string(),
            l.s("chart_records").to_string(),
        ],
        rows,
    }
}
