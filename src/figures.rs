//! Stage 3: figures computed from the validated model. Pure functions, exact decimals.

use std::borrow::Borrow;
use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Agreement, Date, ReadAgreement, Records, Shipment, Site, Target, Unit};
pub use crate::model::{CommodityTotal, RouteTotal, TargetProgress, Totals};

/// Delivered quantity of one commodity in one calendar month (a period record counts in the
/// month it ends, as the total it is).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthTotal {
    pub year: i32,
    pub month: u32,
    pub commodity: String,
    pub delivered: Decimal,
    pub records: usize,
}

/// The figures an agreement's own pages show: its [`Totals`] (reached through `Deref`) and,
/// from its records, the delivered quantities per month.
#[derive(Debug, Clone, PartialEq)]
pub struct AgreementFigures<'a> {
    pub headline: &'a Totals,
    pub monthly: Vec<MonthTotal>,
}

impl std::ops::Deref for AgreementFigures<'_> {
    type Target = Totals;
    fn deref(&self) -> &Totals {
        self.headline
    }
}

/// The totals of one agreement on the reporting date `as_of`. Records that were not read bring
/// the totals computed when they were; only which targets are overdue depends on the date, and
/// that is judged again.
pub fn totals(a: &Agreement, as_of: Option<Date>) -> Totals {
    let shipments = match &a.records {
        Records::Read(shipments) => shipments,
        Records::Summarized(summary) => {
            let mut totals = Totals::clone(&summary.totals);
            for (t, p) in a.targets.iter().zip(&mut totals.targets) {
                p.overdue = p
                    .quantity
                    .is_some_and(|q| overdue(t, p.delivered, q.amount, as_of));
            }
            return totals;
        }
    };
    totals_of(a, shipments, as_of)
}

/// The totals of agreement `a` with records `shipments` (in the agreement's order) instead of
/// its own.
pub fn totals_of<S: Borrow<Shipment>>(
    a: &Agreement,
    shipments: &[S],
    as_of: Option<Date>,
) -> Totals {
    let shipments = || shipments.iter().map(Borrow::borrow);
    let delivered = shipments().filter(|s| s.is_delivered()).count();
    Totals {
        totals: a
            .commodities
            .iter()
            .map(|c| {
                let mine = shipments().filter(|s| s.commodity == c.id);
                let (mut done, mut planned, mut records, mut last) =
                    (Decimal::ZERO, Decimal::ZERO, 0, None);
                for s in mine {
                    if s.is_delivered() {
                        done += s.quantity.amount;
                        records += 1;
                        last = last.max(Some(s.when.end()));
                    } else {
                        planned += s.quantity.amount;
                    }
                }
                let target = a
                    .targets
                    .iter()
                    .filter(|t| {
                        t.commodity.as_deref() == Some(&c.id)
                            && t.participant.is_none()
                            && t.offtaker.is_none()
                    })
                    .filter_map(|t| t.quantity?.convert(c.unit, &c.conversions))
                    .map(|q| q.amount)
                    .reduce(|x, y| x + y);
                CommodityTotal {
                    commodity: c.id.clone(),
                    unit: c.unit,
                    delivered: done.normalize(),
                    planned: planned.normalize(),
                    records,
                    last_delivery: last,
                    target: target.map(|t| t.normalize()),
                }
            })
            .collect(),
        targets: a
            .targets
            .iter()
            .map(|t| target_progress(a, shipments(), t, as_of))
            .collect(),
        routes: routes(shipments()),
        delivered_records: delivered,
        planned_records: shipments().count() - delivered,
        value_idr: shipments()
            .filter(|s| s.is_delivered())
            .fold(Decimal::ZERO, |sum, s| {
                sum + s.value_idr.unwrap_or_default()
            }),
    }
}

/// Delivered quantities per route (supplier, receiver, commodity).
fn routes<'s>(shipments: impl Iterator<Item = &'s Shipment>) -> Vec<RouteTotal> {
    let mut routes: BTreeMap<(&str, Option<&str>, &str), (Decimal, usize)> = BTreeMap::new();
    for s in shipments.filter(|s| s.is_delivered()) {
        let r = routes
            .entry((&s.from, s.to.as_deref(), &s.commodity))
            .or_default();
        r.0 += s.quantity.amount;
        r.1 += 1;
    }
    routes
        .into_iter()
        .map(|((from, to, c), (d, n))| RouteTotal {
            from: from.to_string(),
            to: to.map(str::to_string),
            commodity: c.to_string(),
            delivered: d.normalize(),
            records: n,
        })
        .collect()
}

/// The figures of an agreement's own pages: its `totals` and, from its records, the delivered
/// quantities per month.
pub fn agreement<'t>(a: &ReadAgreement, totals: &'t Totals) -> AgreementFigures<'t> {
    let mut monthly: BTreeMap<(i32, u32, &str), (Decimal, usize)> = BTreeMap::new();
    for s in a.shipments.iter().filter(|s| s.is_delivered()) {
        let end = s.when.end();
        let m = monthly
            .entry((
                chrono::Datelike::year(&end),
                chrono::Datelike::month(&end),
                &s.commodity,
            ))
            .or_default();
        m.0 += s.quantity.amount;
        m.1 += 1;
    }
    AgreementFigures {
        headline: totals,
        monthly: monthly
            .into_iter()
            .map(|((year, month, c), (d, n))| MonthTotal {
                year,
                month,
                commodity: c.to_string(),
                delivered: d.normalize(),
                records: n,
            })
            .collect(),
    }
}

fn target_progress<'s>(
    a: &Agreement,
    shipments: impl Iterator<Item = &'s Shipment>,
    t: &Target,
    as_of: Option<Date>,
) -> TargetProgress {
    let Some(q) = t.quantity else {
        return TargetProgress {
            id: t.id.clone(),
            quantity: None,
            delivered: Decimal::ZERO,
            progress: None,
            planned: Decimal::ZERO,
            overdue: false,
        };
    };
    let (mut sum, mut planned) = (Decimal::ZERO, Decimal::ZERO);
    for s in shipments {
        if let Some(amount) = toward(a, t, q.unit, s) {
            if s.is_delivered() {
                sum += amount;
            } else {
                planned += amount;
            }
        }
    }
    let progress = sum.checked_div(q.amount);
    TargetProgress {
        id: t.id.clone(),
        quantity: Some(q),
        delivered: sum.normalize(),
        progress: progress.map(|p| p.normalize()),
        planned: planned.normalize(),
        overdue: overdue(t, sum, q.amount, as_of),
    }
}

/// A quantitative target is overdue when its due date is before `as_of` and it is unmet.
fn overdue(t: &Target, delivered: Decimal, quantity: Decimal, as_of: Option<Date>) -> bool {
    match (t.due, as_of) {
        (Some(due), Some(as_of)) => due < as_of && delivered < quantity,
        _ => false,
    }
}

/// What shipment `s` counts toward target `t`, in `unit`: `None` unless it matches the
/// target's commodity, participant, offtaker and dates and converts to `unit`.
pub fn toward(a: &Agreement, t: &Target, unit: Unit, s: &Shipment) -> Option<Decimal> {
    let matches = t.commodity.as_ref().is_none_or(|c| &s.commodity == c)
        && t.participant.as_ref().is_none_or(|p| &s.from == p)
        && t.offtaker.as_ref().is_none_or(|o| s.to.as_ref() == Some(o))
        && t.start.is_none_or(|d| s.when.start() >= d)
        && t.due.is_none_or(|d| s.when.end() <= d);
    if !matches {
        return None;
    }
    let c = a.commodity(&s.commodity)?;
    Some(s.quantity.convert(unit, &c.conversions)?.amount)
}

/// The totals of every agreement, in site order.
pub fn site(site: &Site) -> Vec<Totals> {
    use rayon::prelude::*;
    site.agreements
        .par_iter()
        .map(|a| totals(a, site.as_of))
        .collect()
}

/// Warnings that need figures: quantitative targets past due and unmet.
pub fn warnings(site: &Site, figures: &[Totals]) -> Diagnostics {
    let mut diags = Diagnostics::default();
    for (a, f) in site.agreements.iter().zip(figures) {
        for (t, p) in a.targets.iter().zip(&f.targets) {
            if p.overdue {
                let q = p.quantity.expect("overdue targets are quantitative");
                diags.push(
                    Diagnostic::warning(
                        "target-overdue",
                        &t.file,
                        t.pos,
                        format!(
                            "target `{}` was due {} and is unmet: {} of {} {}",
                            t.id,
                            t.due.map(|d| d.to_string()).unwrap_or_default(),
                            p.delivered,
                            q.amount.normalize(),
                            q.unit
                        ),
                    )
                    .with_hint(
                        "record the missing deliveries, or add a milestone explaining the delay",
                    ),
                );
            }
        }
    }
    diags
}
