//! `targets`: progress toward each quantitative target, horizontal bars from 0 to 100% with
//! the percentage written on them.

use rust_decimal::Decimal;

use crate::figures::TargetProgress;
use crate::locale::Locale;

use plotters::style::Color;
use rust_decimal::prelude::ToPrimitive;

use super::canvas::{self, Anchor, Canvas, Fill, Look, Swatch, legend, legend_room};
use super::style::{BODY, DONE, HEAD, LATE, MUTED, SMALL, TRACK, W, WHITE};
use super::text::{BOLD, fit, text_width, wrap};
use super::words::{capitalised, exact_quantity, label_number, label_quantity, unit_label};
use super::{Chart, Ctx, DataTable};

const LEFT: f64 = 16.0;
const RIGHT: f64 = W - 16.0;
const ROW_H: f64 = 92.0;
/// A title takes up to two lines this far apart.
const TITLE_LINE: f64 = 21.0;
const BAR_H: f64 = 28.0;

/// One bar: a target and its figures.
pub struct Row<'a> {
    pub title: &'a str,
    pub progress: &'a TargetProgress,
    pub planned: Decimal,
    pub due: Option<String>,
}

pub fn chart(cx: &Ctx) -> Option<Chart> {
    let l = cx.l;
    let name = "targets";
    let rows: Vec<Row> =
        cx.a.targets
            .iter()
            .zip(&cx.f.targets)
            .filter(|(_, p)| p.quantity.is_some())
            .map(|(t, p)| Row {
                title: cx.text(&t.title),
                progress: p,
                planned: p.planned,
                due: t.due.map(|d| l.date(d)),
            })
            .collect();
    if rows.is_empty() {
        return None;
    }
    let qualitative = cx.a.targets.len() - rows.len();
    let title = l.s("chart_targets").to_string();
    let any_planned = rows.iter().any(|r| !r.planned.is_zero());

    let mut description = vec![l.count("chart_desc_targets", rows.len(), &[])];
    for r in rows.iter().take(8) {
        description.push(sentence(r, l));
    }
    if rows.len() > 8 {
        description.push(l.count("chart_desc_more_rows", rows.len() - 8, &[]));
    }
    let description = description.join(" ");
    let mut notes = Vec::new();
    if any_planned {
        notes.push(l.s("chart_note_planned_part").to_string());
    }
    if qualitative > 0 {
        notes.push(l.count("chart_note_qualitative", qualitative, &[]));
    }
    let note = (!notes.is_empty()).then(|| notes.join(" "));

    let delivered = l.s("chart_delivered");
    let mut items = vec![(Swatch::Bar(Fill::Solid(DONE)), delivered.to_string())];
    if any_planned {
        items.push((
            Swatch::Bar(Fill::Planned(DONE)),
            l.s("chart_planned").to_string(),
        ));
    }
    if rows.iter().any(|r| r.progress.overdue) {
        items.push((
            Swatch::Bar(Fill::Hatched(LATE)),
            format!("{delivered} ({})", l.s("overdue")),
        ));
    }
    let first = 10.0 + legend_room(LEFT, RIGHT, &items);
    let rows_h: f64 = rows.iter().map(|r| row_height(r, RIGHT - LEFT)).sum();
    let height = first + rows_h + 28.0;

    let svg = canvas::render(&cx.prefix(name), height, &title, &description, |s| {
        legend(s, LEFT, 20.0, RIGHT, &items);
        draw_rows(s, &rows, first, l);
        // A 0 / 50 / 100% scale under the bars.
        let axis_y = first + rows_h;
        for (frac, anchor) in [
            (Decimal::ZERO, Anchor::Start),
            (Decimal::new(5, 1), Anchor::Middle),
            (Decimal::ONE, Anchor::End),
        ] {
            let x = LEFT + frac.to_f64().unwrap_or(0.0) * (RIGHT - LEFT);
            let label = l.percent(frac);
            s.text(x, axis_y + 18.0, anchor, SMALL, &label, Look::MUTED);
        }
    });

    let table = DataTable {
        caption: title.clone(),
        headers: vec![
            l.s("target").to_string(),
            delivered.to_string(),
            l.s("target").to_string(),
            l.s("chart_unit").to_string(),
            l.s("progress").to_string(),
            l.s("chart_planned").to_string(),
            capitalised(l.s("chart_due")),
        ],
        rows: rows
            .iter()
            .map(|r| {
                let q = r.progress.quantity.expect("quantitative");
                let mut due = r.due.clone().unwrap_or_else(|| "—".to_string());
                if r.progress.overdue {
                    due = format!("{due} ({})", l.s("overdue"));
                }
                vec![
                    r.title.to_string(),
                    l.exact(r.progress.delivered),
                    l.exact(q.amount),
                    unit_label(q.unit, l).to_string(),
                    r.progress
                        .progress
                        .map(|p| l.percent(p))
                        .unwrap_or_default(),
                    l.exact(r.planned),
                    due,
                ]
            })
            .collect(),
    };
    Some(Chart {
        name: name.to_string(),
        title,
        description,
        note,
        svg,
        table,
    })
}

/// `Title: 10 of 450 t (2.2%), due 29 June 2023, overdue.`
pub fn sentence(r: &Row, l: &Locale) -> String {
    let q = r.progress.quantity.expect("quantitative");
    let pct = r
        .progress
        .progress
        .map(|p| l.percent(p))
        .unwrap_or_default();
    let of = l.fill(
        "chart_target_of",
        &[
            ("delivered", &l.exact(r.progress.delivered)),
            ("target", &exact_quantity(q.amount, q.unit, l)),
        ],
    );
    let mut out = format!("{}: {of} ({pct})", r.title);
    if let Some(due) = &r.due {
        out.push_str(&format!(", {} {due}", l.s("chart_due")));
    }
    if r.progress.overdue {
        out.push_str(&format!(", {}", l.s("overdue")));
    }
    if !r.planned.is_zero() {
        out.push_str(&format!(
            ", {} {}",
            l.s("chart_planned").to_lowercase(),
            exact_quantity(r.planned, q.unit, l)
        ));
    }
    out.push('.');
    out
}

/// Draws one row per target from `y`: the title, the bar with its percentage, and the
/// figures under it. Shared with the portfolio chart.
pub fn draw_rows(s: &mut Canvas, rows: &[Row], y: f64, l: &Locale) {
    let track = RIGHT - LEFT;
    let mut top = y;
    for r in rows {
        draw_row(s, r, top, LEFT, track, l);
        top += row_height(r, track);
    }
}

/// One target row at `top`, `x`..`x + track`.
pub fn draw_row(s: &mut Canvas, r: &Row, top: f64, x: f64, track: f64, l: &Locale) {
    let q = r.progress.quantity.expect("quantitative");
    let lines = s.wrapped(
        x,
        top + 18.0,
        BODY,
        r.title,
        track,
        2,
        TITLE_LINE,
        Look::PLAIN,
    );
    let bar_y = top + 27.0 + (lines - 1) as f64 * TITLE_LINE;
    s.rect(x, bar_y, track, BAR_H, TRACK.filled());
    s.rect(x, bar_y, track, BAR_H, MUTED);
    // The halfway mark inside the track.
    let half = x + track / 2.0;
    s.dashed(
        &[(half, bar_y), (half, bar_y + BAR_H)],
        2.0,
        2.0,
        MUTED.into(),
    );
    let ratio = r.progress.progress.unwrap_or_default();
    let frac = ratio.clamp(Decimal::ZERO, Decimal::ONE);
    let frac = rust_decimal::prelude::ToPrimitive::to_f64(&frac).unwrap_or(0.0);
    let done_w = frac * track;
    if done_w > 0.0 {
        // Striped as well as coloured when overdue, so "overdue" survives grayscale.
        let fill = if r.progress.overdue {
            Fill::Hatched(LATE)
        } else {
            Fill::Solid(DONE)
        };
        s.bar(x, bar_y, done_w.max(1.5), BAR_H, fill);
    }
    if !r.planned.is_zero() {
        let planned_frac = r
            .planned
            .checked_div(q.amount)
            .and_then(|p| rust_decimal::prelude::ToPrimitive::to_f64(&p))
            .unwrap_or(0.0);
        let pw = (planned_frac * track).min(track - done_w).max(0.0);
        if pw > 0.0 {
            s.bar(x + done_w, bar_y, pw.max(1.5), BAR_H, Fill::Planned(DONE));
        }
    }
    // The percentage on the bar: white inside a long enough fill, dark after a short one.
    let pct = l.percent(ratio);
    let pw = text_width(&pct, HEAD) * BOLD;
    let ty = bar_y + BAR_H / 2.0 + 6.0;
    if done_w >= pw + 12.0 {
        if r.progress.overdue {
            // A plain patch under the white text keeps it legible over the stripes.
            s.rect(
                x + done_w - pw - 10.0,
                bar_y + 4.0,
                pw + 6.0,
                BAR_H - 8.0,
                LATE.filled(),
            );
        }
        let look = Look::BOLD.colour(WHITE);
        s.text(x + done_w - 6.0, ty, Anchor::End, HEAD, &pct, look);
    } else {
        s.text(x + done_w + 6.0, ty, Anchor::Start, HEAD, &pct, Look::BOLD);
    }
    // Figures under the bar.
    let mut detail = l.fill(
        "chart_target_of",
        &[
            ("delivered", &label_number(r.progress.delivered, l)),
            ("target", &label_quantity(q.amount, q.unit, l)),
        ],
    );
    if !r.planned.is_zero() {
        detail.push_str(&format!(
            " · {} {}",
            l.s("chart_planned").to_lowercase(),
            label_quantity(r.planned, q.unit, l)
        ));
    }
    let overdue = if r.progress.overdue {
        format!(" · {}", l.s("overdue").to_uppercase())
    } else {
        String::new()
    };
    // The due date gives way first: "overdue" is never cut (the table has the date).
    let with_due = r
        .due
        .as_ref()
        .map(|due| format!("{detail} · {} {due}{overdue}", l.s("chart_due")))
        .filter(|d| text_width(d, SMALL) <= track);
    let detail = with_due.unwrap_or_else(|| fit(&format!("{detail}{overdue}"), SMALL, track));
    s.text(
        x,
        bar_y + BAR_H + 21.0,
        Anchor::Start,
        SMALL,
        &detail,
        Look::MUTED,
    );
}

/// Height of one target row drawn `track` wide (its title may take two lines).
pub fn row_height(r: &Row, track: f64) -> f64 {
    let lines = wrap(r.title, BODY, track, 2).len();
    ROW_H + (lines - 1) as f64 * TITLE_LINE
}
