//! Checks of shipment records across all files of one agreement.

use std::collections::BTreeMap;

use crate::diagnostics::{Diagnostics, Pos};
use crate::load::LoadedAgreement;
use crate::load::located::Loc;
use crate::load::raw;
use crate::model::*;

use super::agreement::{Ids, money};
use super::values::{Ctx, measures};

pub fn validate(
    la: &LoadedAgreement,
    a: &Agreement,
    ids: &Ids,
    diags: &mut Diagnostics,
) -> Vec<Shipment> {
    let mut seen = BTreeMap::new();
    // Every record kept for as long as the site is built: no room to spare.
    let mut out = Vec::with_capacity(la.shipment_files.iter().map(|f| f.records.len()).sum());
    for sf in &la.shipment_files {
        file(&sf.file, &sf.records, a, ids, &mut seen, &mut out, diags);
    }
    out.sort_by(order);
    out
}

/// The ids seen so far, each with the file and place it was first seen at.
pub type Seen = BTreeMap<String, (String, Pos)>;

/// Checks the records of shipments file `file` against agreement `a` (ids unique across the
/// files checked with the same `seen`), adding those that pass to `out`.
pub fn file(
    file: &str,
    records: &[Loc<raw::Shipment>],
    a: &Agreement,
    ids: &Ids,
    seen: &mut Seen,
    out: &mut Vec<Shipment>,
    diags: &mut Diagnostics,
) {
    let mut cx = Ctx { file, diags };
    // One copy of the file's path for all of its records.
    let shared: std::sync::Arc<str> = file.into();
    for rec in records {
        let id = cx.id(&rec.value.id);
        if let Some((first, pos)) = seen.get(&id) {
            cx.error(
                "duplicate-id",
                rec.value.id.pos,
                format!(
                    "the shipment id `{id}` is already used at {first}:{}:{}",
                    pos.line, pos.column
                ),
                "shipment ids must be unique across all files of the agreement",
            );
            continue;
        }
        seen.insert(id.clone(), (file.to_string(), rec.value.id.pos));
        if let Some(s) = record(&mut cx, rec.pos, &rec.value, a, ids, &shared) {
            out.push(s);
        }
    }
}

/// The order of an agreement's records: by end, start and id.
pub fn order(x: &Shipment, y: &Shipment) -> std::cmp::Ordering {
    (x.when.end(), x.when.start(), &x.id).cmp(&(y.when.end(), y.when.start(), &y.id))
}

fn record(
    cx: &mut Ctx,
    pos: Pos,
    r: &raw::Shipment,
    a: &Agreement,
    ids: &Ids,
    file: &std::sync::Arc<str>,
) -> Option<Shipment> {
    let when = when(cx, pos, r);
    cx.reference(&r.from, &ids.participants, "participant");
    if let Some(to) = &r.to {
        cx.reference(to, &ids.offtakers, "offtaker");
    }
    cx.reference(&r.commodity, &ids.commodities, "commodity");
    for s in &r.sources {
        cx.reference(s, &ids.sources, "source");
    }
    if let Some(d) = &r.document {
        cx.reference(d, &ids.documents, "document");
    }
    if let Some(p) = a.participant(&r.from.value)
        && ids.commodities.contains_key(&r.commodity.value)
        && !p.commodities.contains(&r.commodity.value)
    {
        cx.error(
                "commodity-not-allowed",
                r.commodity.pos,
                format!(
                    "participant `{}` is not listed as shipping `{}`",
                    p.id, r.commodity.value
                ),
                "add the commodity to the participant's `commodities:` in agreement.yaml, or fix the record",
            );
    }
    let amount = cx.positive(&r.quantity, "a shipment quantity");
    let unit = cx.unit(&r.unit);
    let value_idr = r.value_idr.as_ref().and_then(|v| money(cx, v));
    let commodity = a.commodity(&r.commodity.value);
    let (written, quantity) = match (amount, unit, commodity) {
        (Some(amount), Some(unit), Some(c)) => {
            let written = Quantity::new(amount, unit);
            match written.convert(c.unit, &c.conversions) {
                Some(q) => (written, q),
                None => {
                    cx.error(
                        "unit-mismatch",
                        r.unit.pos,
                        format!(
                            "`{}` is {} and cannot be converted to {}, the unit of `{}`",
                            r.unit.value.trim(),
                            measures(unit),
                            c.unit,
                            c.id
                        ),
                        "use a unit of the same kind, or declare a conversion on the commodity (e.g. 1 kg = 16 egg)",
                    );
                    return None;
                }
            }
        }
        _ => return None,
    };
    let when = when?;
    let out_of_period = if when.start() < a.signed {
        Some(format!("before the agreement was signed ({})", a.signed))
    } else {
        a.end
            .filter(|end| when.end() > *end)
            .map(|end| format!("after the agreement's period ended ({end})"))
    };
    if let Some(why) = out_of_period {
        let at = r
            .date
            .as_ref()
            .map(|d| d.pos)
            .or(r.period.as_ref().map(|p| p.pos))
            .unwrap_or(pos);
        cx.error(
            "out-of-period",
            at,
            format!("shipment `{}` is dated {why}", r.id.value),
            "check the date; shipments outside the agreement do not belong in its ledger",
        );
    }
    Some(Shipment {
        id: r.id.value.clone(),
        when,
        from: r.from.value.clone(),
        to: r.to.as_ref().map(|t| t.value.clone()),
        commodity: r.commodity.value.clone(),
        written,
        quantity,
        status: r.status.unwrap_or(ShipmentStatus::Shipped),
        verification: r.verification.unwrap_or(Verification::Reported),
        sources: r.sources.iter().map(|s| s.value.clone()).collect(),
        document: r.document.as_ref().map(|d| d.value.clone()),
        value_idr,
        approx: r.approx,
        note: r.note.clone(),
        illustrative: r.illustrative,
        file: file.clone(),
        pos,
    })
}

fn when(cx: &mut Ctx, pos: Pos, r: &raw::Shipment) -> Option<When> {
    match (&r.date, &r.period) {
        (Some(d), None) => cx.date(d).map(When::Day),
        (None, Some(p)) => {
            let start = cx.date(&p.value.start);
            let end = cx.date(&p.value.end);
            let (start, end) = (start?, end?);
            if end < start {
                cx.error(
                    "invalid-period",
                    p.value.end.pos,
                    format!("the period ends ({end}) before it starts ({start})"),
                    "swap or correct the dates",
                );
                return None;
            }
            Some(When::Span { start, end })
        }
        (Some(d), Some(_)) => {
            cx.error(
                "invalid-period",
                d.pos,
                format!("shipment `{}` has both `date` and `period`", r.id.value),
                "keep `date` for one delivery, or `period` for a total reported over a span",
            );
            None
        }
        (None, None) => {
            cx.error(
                "invalid-period",
                pos,
                format!("shipment `{}` has neither `date` nor `period`", r.id.value),
                "add `date: YYYY-MM-DD`, or `period: {start: ..., end: ...}` for a total over a span",
            );
            None
        }
    }
}
