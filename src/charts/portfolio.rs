//! `portfolio`: every agreement's progress on one chart. Agreements deliver different
//! commodities in different units, so the only shared scale is a target's percentage: each
//! agreement gets a bar per quantitative target and a line of its delivered totals.

use crate::figures::Totals;
use crate::locale::Locale;
use crate::model::Site;

use super::canvas::{self, Anchor, Canvas, Fill, Look, Swatch, legend, legend_room};
use super::style::{BODY, DONE, GRID, HEAD, SMALL, W};
use super::targets::{self, Row};
use super::text::{BOLD, wrap};
use super::words::{capitalised, exact_quantity, label_quantity, unit_label};
use super::{Chart, DataTable};

const LEFT: f64 = 16.0;
const RIGHT: f64 = W - 16.0;
const HEADING_H: f64 = 32.0;
const LINE_H: f64 = 24.0;
const GAP: f64 = 16.0;
const HEAD_LINE: f64 = 22.0;

/// One agreement: its target rows and its delivered totals.
struct Section<'a> {
    title: String,
    rows: Vec<Row<'a>>,
    /// Rounded, for the chart.
    delivered: String,
    /// Exact, for the description.
    delivered_exact: String,
    none_delivered: bool,
}

pub fn chart(site: &Site, figures: &[Totals], l: &Locale) -> Chart {
    let title = l.s("chart_portfolio").to_string();
    let (sections, table_rows) = aggregate(site, figures, l);
    let description = describe(l, &title, &sections);
    let items = vec![(
        Swatch::Bar(Fill::Solid(DONE)),
        format!(
            "{} (% {})",
            l.s("chart_delivered"),
            l.s("target").to_lowercase()
        ),
    )];
    let first = 4.0 + legend_room(LEFT, RIGHT, &items);
    let height = first + sections.iter().map(section_height).sum::<f64>();
    let svg = canvas::render("chart-portfolio", height, &title, &description, |s| {
        legend(s, LEFT, 20.0, RIGHT, &items);
        draw(s, l, &sections, first)
    });
    Chart {
        name: "portfolio".to_string(),
        title: title.clone(),
        description,
        note: Some(l.s("chart_note_portfolio").to_string()),
        svg,
        table: DataTable {
            caption: title,
            headers: vec![
                l.s("agreement").to_string(),
                l.s("chart_measure").to_string(),
                l.s("chart_delivered").to_string(),
                l.s("target").to_string(),
                l.s("chart_unit").to_string(),
                l.s("progress").to_string(),
            ],
            rows: table_rows,
        },
    }
}

/// Each agreement's section, and the table rows: each commodity's total, then each
/// quantitative target.
fn aggregate<'a>(
    site: &'a Site,
    figures: &'a [Totals],
    l: &Locale,
) -> (Vec<Section<'a>>, Vec<Vec<String>>) {
    let lang = l.lang;
    let default_lang = site.default_language();
    let text = |t: &crate::model::Text| t.get(lang, default_lang).to_string();
    let delivered_word = l.s("chart_delivered");
    let mut sections: Vec<Section> = Vec::new();
    let mut table_rows: Vec<Vec<String>> = Vec::new();
    for (a, f) in site.agreements.iter().zip(figures) {
        let atitle = text(&a.title);
        let rows: Vec<Row> = a
            .targets
            .iter()
            .zip(&f.targets)
            .filter(|(_, p)| p.quantity.is_some())
            .map(|(t, p)| Row {
                title: t.title.get(lang, default_lang),
                progress: p,
                planned: p.planned,
                due: t.due.map(|d| l.date(d)),
            })
            .collect();
        // Delivered totals: rounded on the chart, exact in the description.
        let (mut shown, mut exact) = (Vec::new(), Vec::new());
        for t in f.totals.iter().filter(|t| t.records > 0) {
            let name = a
                .commodity(&t.commodity)
                .map(|c| text(&c.name))
                .unwrap_or_else(|| t.commodity.clone());
            shown.push(format!("{name} {}", label_quantity(t.delivered, t.unit, l)));
            exact.push(format!("{name} {}", exact_quantity(t.delivered, t.unit, l)));
        }
        let none_delivered = shown.is_empty();
        let (delivered, delivered_exact) = if none_delivered {
            let none = l.s("chart_no_deliveries");
            (none.to_string(), none.to_string())
        } else {
            (
                format!("{delivered_word}: {}", shown.join(" · ")),
                format!("{delivered_word}: {}", exact.join("; ")),
            )
        };
        for t in &f.totals {
            let name = a
                .commodity(&t.commodity)
                .map(|c| text(&c.name))
                .unwrap_or_else(|| t.commodity.clone());
            table_rows.push(vec![
                atitle.clone(),
                name,
                l.exact(t.delivered),
                t.target
                    .map(|x| l.exact(x))
                    .unwrap_or_else(|| "—".to_string()),
                unit_label(t.unit, l).to_string(),
                t.target
                    .and_then(|x| t.delivered.checked_div(x))
                    .map(|r| l.percent(r))
                    .unwrap_or_else(|| "—".to_string()),
            ]);
        }
        for r in &rows {
            let q = r.progress.quantity.expect("quantitative");
            table_rows.push(vec![
                atitle.clone(),
                format!("{}: {}", l.s("target"), r.title),
                l.exact(r.progress.delivered),
                l.exact(q.amount),
                unit_label(q.unit, l).to_string(),
                r.progress
                    .progress
                    .map(|p| l.percent(p))
                    .unwrap_or_default(),
            ]);
        }
        sections.push(Section {
            title: atitle,
            rows,
            delivered,
            delivered_exact,
            none_delivered,
        });
    }
    (sections, table_rows)
}

fn describe(l: &Locale, title: &str, sections: &[Section]) -> String {
    let no_quant_target = capitalised(l.s("chart_no_quant_target"));
    let mut description =
        vec![l.count("chart_desc_agreements", sections.len(), &[("title", title)])];
    for sec in sections.iter().take(12) {
        description.push(format!("{}: {}.", sec.title, sec.delivered_exact));
        if sec.rows.is_empty() {
            description.push(format!("{no_quant_target}."));
        }
        for r in &sec.rows {
            description.push(targets::sentence(r, l));
        }
    }
    if sections.len() > 12 {
        description.push(l.count("chart_desc_more_agreements", sections.len() - 12, &[]));
    }
    description.join(" ")
}

const WIDTH: f64 = RIGHT - LEFT;

/// Titles take up to two lines, the delivered totals up to three.
fn section_height(s: &Section) -> f64 {
    let heading_lines = wrap(&s.title, HEAD, WIDTH / BOLD, 2).len() as f64;
    let delivered_lines = wrap(&s.delivered, BODY, WIDTH, 3).len() as f64;
    HEADING_H
        + (heading_lines - 1.0) * HEAD_LINE
        + s.rows
            .iter()
            .map(|r| targets::row_height(r, WIDTH))
            .sum::<f64>()
        + if s.rows.is_empty() { LINE_H } else { 0.0 }
        + delivered_lines * LINE_H
        + GAP
}

fn draw(s: &mut Canvas, l: &Locale, sections: &[Section], first: f64) {
    let no_quant_target = capitalised(l.s("chart_no_quant_target"));
    let mut y = first;
    for (i, sec) in sections.iter().enumerate() {
        if i > 0 {
            s.path(&[(LEFT, y - GAP / 2.0), (RIGHT, y - GAP / 2.0)], GRID);
        }
        let n = s.wrapped(
            LEFT,
            y + 22.0,
            HEAD,
            &sec.title,
            WIDTH,
            2,
            HEAD_LINE,
            Look::BOLD,
        );
        y += HEADING_H + (n - 1) as f64 * HEAD_LINE;
        for r in &sec.rows {
            targets::draw_row(s, r, y, LEFT, WIDTH, l);
            y += targets::row_height(r, WIDTH);
        }
        if sec.rows.is_empty() {
            s.text(
                LEFT,
                y + 18.0,
                Anchor::Start,
                SMALL,
                &no_quant_target,
                Look::MUTED,
            );
            y += LINE_H;
        }
        let look = if sec.none_delivered {
            Look::ITALIC
        } else {
            Look::PLAIN
        };
        let n = s.wrapped(LEFT, y + 18.0, BODY, &sec.delivered, WIDTH, 3, LINE_H, look);
        y += n as f64 * LINE_H + GAP;
    }
}
