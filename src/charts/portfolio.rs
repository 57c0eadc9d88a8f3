//! `portfolio`: every agreement's progress on one chart. Agreements deliver different
//! commodities in different units, so the only shared scale is a target's percentage: each
//! agreement gets a bar per quantitative target and a line of its delivered totals.

use crate::figures::AgreementFigures;
use crate::locale;
use crate::model::Site;

use super::canvas::{self, Anchor, Fill, Look, Swatch, legend, legend_room};
use super::style::{BODY, DONE, GRID, HEAD, SMALL, W};
use super::targets::{self, Row};
use super::text::{BOLD, wrap};
use super::words::{self, exact_quantity, label_quantity, unit_label};
use super::{Chart, DataTable};

const LEFT: f64 = 16.0;
const RIGHT: f64 = W - 16.0;
const HEADING_H: f64 = 32.0;
const LINE_H: f64 = 24.0;
const GAP: f64 = 16.0;
const HEAD_LINE: f64 = 22.0;

pub fn chart(site: &Site, figures: &[AgreementFigures], lang: &str) -> Chart {
    let w = words::words(lang);
    let en = lang == "en";
    let default_lang = site.default_language();
    let text = |t: &crate::model::Text| t.get(lang, default_lang).to_string();
    let title = w.portfolio.to_string();

    struct Section<'a> {
        title: String,
        rows: Vec<Row<'a>>,
        delivered: String,
        delivered_exact: String,
        none_delivered: bool,
    }
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
                due: t.due.map(|d| locale::date(d, lang)),
            })
            .collect();
        // Delivered totals: rounded on the chart, exact in the description.
        let (mut shown, mut exact) = (Vec::new(), Vec::new());
        for t in f.totals.iter().filter(|t| t.records > 0) {
            let name = a
                .commodity(&t.commodity)
                .map(|c| text(&c.name))
                .unwrap_or_else(|| t.commodity.clone());
            shown.push(format!(
                "{name} {}",
                label_quantity(t.delivered, t.unit, lang)
            ));
            exact.push(format!(
                "{name} {}",
                exact_quantity(t.delivered, t.unit, lang)
            ));
        }
        let none_delivered = shown.is_empty();
        let (delivered, delivered_exact) = if none_delivered {
            (w.no_deliveries.to_string(), w.no_deliveries.to_string())
        } else {
            (
                format!("{}: {}", w.delivered, shown.join(" · ")),
                format!("{}: {}", w.delivered, exact.join("; ")),
            )
        };
        // Table: each commodity's total, then each quantitative target.
        for t in &f.totals {
            let name = a
                .commodity(&t.commodity)
                .map(|c| text(&c.name))
                .unwrap_or_else(|| t.commodity.clone());
            table_rows.push(vec![
                atitle.clone(),
                name,
                locale::exact(t.delivered, lang),
                t.target
                    .map(|x| locale::exact(x, lang))
                    .unwrap_or_else(|| "—".to_string()),
                unit_label(t.unit, lang).to_string(),
                t.target
                    .and_then(|x| t.delivered.checked_div(x))
                    .map(|r| locale::percent(r, lang))
                    .unwrap_or_else(|| "—".to_string()),
            ]);
        }
        for r in &rows {
            let q = r.progress.quantity.expect("quantitative");
            table_rows.push(vec![
                atitle.clone(),
                format!("{}: {}", w.target, r.title),
                locale::exact(r.progress.delivered, lang),
                locale::exact(q.amount, lang),
                unit_label(q.unit, lang).to_string(),
                r.progress
                    .progress
                    .map(|p| locale::percent(p, lang))
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

    let mut description = if en {
        format!(
            "{title}: {} agreement{}.",
            words::count(sections.len(), lang),
            if sections.len() == 1 { "" } else { "s" }
        )
    } else {
        format!(
            "{title}: {} kerja sama.",
            words::count(sections.len(), lang)
        )
    };
    for sec in sections.iter().take(12) {
        description.push_str(&format!(" {}: {}.", sec.title, sec.delivered_exact));
        if sec.rows.is_empty() {
            description.push_str(&format!(" {}.", capitalise(w.no_quant_target)));
        }
        for r in &sec.rows {
            description.push(' ');
            description.push_str(&targets::sentence(r, w, lang));
        }
    }
    if sections.len() > 12 {
        let more = words::count(sections.len() - 12, lang);
        description.push_str(&if en {
            format!(" {more} more agreements are in the table.")
        } else {
            format!(" {more} kerja sama lainnya ada di tabel.")
        });
    }
    let note = Some(if en {
        "Agreements deliver different commodities in different units, so only targets share a \
         scale: each bar is one quantitative target, from 0 to 100%. Planned shipments are not \
         counted."
            .to_string()
    } else {
        "Kerja sama mengirim komoditas berbeda dengan satuan berbeda, sehingga hanya target yang \
         berbagi skala: setiap batang adalah satu target berangka, dari 0 sampai 100%. Pengiriman \
         yang direncanakan tidak dihitung."
            .to_string()
    });

    let items = vec![(
        Swatch::Bar(Fill::Solid(DONE)),
        format!("{} (% {})", w.delivered, w.target.to_lowercase()),
    )];
    let first = 4.0 + legend_room(LEFT, RIGHT, &items);
    let width = RIGHT - LEFT;
    // Titles take up to two lines, the delivered totals up to three.
    let heading_lines = |sec: &Section| wrap(&sec.title, HEAD, width / BOLD, 2).len() as f64;
    let delivered_lines = |sec: &Section| wrap(&sec.delivered, BODY, width, 3).len() as f64;
    let height = first
        + sections
            .iter()
            .map(|s| {
                HEADING_H
                    + (heading_lines(s) - 1.0) * HEAD_LINE
                    + s.rows
                        .iter()
                        .map(|r| targets::row_height(r, width))
                        .sum::<f64>()
                    + if s.rows.is_empty() { LINE_H } else { 0.0 }
                    + delivered_lines(s) * LINE_H
                    + GAP
            })
            .sum::<f64>();
    let svg = canvas::render("chart-portfolio", height, &title, &description, |s| {
        legend(s, LEFT, 20.0, RIGHT, &items);
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
                width,
                2,
                HEAD_LINE,
                Look::BOLD,
            );
            y += HEADING_H + (n - 1) as f64 * HEAD_LINE;
            for r in &sec.rows {
                targets::draw_row(s, r, y, LEFT, width, lang, w);
                y += targets::row_height(r, width);
            }
            if sec.rows.is_empty() {
                s.text(
                    LEFT,
                    y + 18.0,
                    Anchor::Start,
                    SMALL,
                    &capitalise(w.no_quant_target),
                    Look::MUTED,
                );
                y += LINE_H;
            }
            let look = if sec.none_delivered {
                Look::ITALIC
            } else {
                Look::PLAIN
            };
            let n = s.wrapped(LEFT, y + 18.0, BODY, &sec.delivered, width, 3, LINE_H, look);
            y += n as f64 * LINE_H + GAP;
        }
    });

    Chart {
        name: "portfolio".to_string(),
        title: title.clone(),
        description,
        note,
        svg,
        table: DataTable {
            caption: title,
            headers: vec![
                w.agreement.to_string(),
                w.measure.to_string(),
                w.delivered.to_string(),
                w.target.to_string(),
                w.unit.to_string(),
                w.progress.to_string(),
            ],
            rows: table_rows,
        },
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
