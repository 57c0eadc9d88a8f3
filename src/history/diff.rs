//! Comparing two readable states of an agreement: records by id, then the figures.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::state::Known;
use super::{ChangeKind, Changes, FieldChange, RecordChange, TargetMove, TotalMove};
use crate::load::raw::Shipment;
use crate::model::{ShipmentStatus, Text, Verification};

/// What changed from `old` to `new`. Only the records of files whose bytes differ are
/// compared: a file with the same blob holds the same records.
pub(super) fn changes(old: &Known, new: &Known) -> Changes {
    fn moved<'a>(from: &'a Known, other: &Known) -> BTreeMap<String, &'a Shipment> {
        from.files
            .iter()
            .filter(|(path, (blob, _))| other.files.get(*path).is_none_or(|(b, _)| b != blob))
            .flat_map(|(_, (_, records))| records.iter())
            .map(|r| (r.value.id.value.clone(), &r.value))
            .collect()
    }
    let (before, after) = (moved(old, new), moved(new, old));
    let mut ids: Vec<&String> = before.keys().chain(after.keys()).collect();
    ids.sort();
    ids.dedup();
    let records = ids
        .into_iter()
        .filter_map(|id| match (before.get(id), after.get(id)) {
            (Some(o), Some(n)) => {
                let fields: Vec<FieldChange> = FIELDS
                    .into_iter()
                    .zip(fields(o).into_iter().zip(fields(n)))
                    // A new unit alone is the `unit` row; `quantity` shows its unit.
                    .filter(|(field, (a, b))| {
                        a != b && (*field != "quantity" || o.quantity.value != n.quantity.value)
                    })
                    .map(|(field, (old, new))| FieldChange {
                        field: field.to_string(),
                        old,
                        new,
                    })
                    .collect();
                (!fields.is_empty()).then(|| RecordChange {
                    id: id.clone(),
                    change: ChangeKind::Changed,
                    commodity: n.commodity.value.clone(),
                    old: Some(quantity(o)),
                    new: Some(quantity(n)),
                    fields,
                })
            }
            (None, Some(n)) => Some(RecordChange {
                id: id.clone(),
                change: ChangeKind::Added,
                commodity: n.commodity.value.clone(),
                old: None,
                new: Some(quantity(n)),
                fields: Vec::new(),
            }),
            (Some(o), None) => Some(RecordChange {
                id: id.clone(),
                change: ChangeKind::Removed,
                commodity: o.commodity.value.clone(),
                old: Some(quantity(o)),
                new: None,
                fields: Vec::new(),
            }),
            (None, None) => None,
        })
        .collect();
    Changes {
        records,
        totals: totals(old, new),
        targets: targets(old, new),
    }
}

/// Each commodity whose delivered total moved: those of `new` in order, then those only
/// `old` had (now at zero).
fn totals(old: &Known, new: &Known) -> Vec<TotalMove> {
    let before: BTreeMap<&str, _> = old
        .totals
        .totals
        .iter()
        .map(|t| (t.commodity.as_str(), t))
        .collect();
    let mut moves: Vec<TotalMove> = new
        .totals
        .totals
        .iter()
        .map(|t| TotalMove {
            commodity: t.commodity.clone(),
            unit: t.unit,
            old: before
                .get(t.commodity.as_str())
                .map_or(Decimal::ZERO, |b| b.delivered),
            new: t.delivered,
        })
        .collect();
    for t in &old.totals.totals {
        if !new.totals.totals.iter().any(|n| n.commodity == t.commodity) {
            moves.push(TotalMove {
                commodity: t.commodity.clone(),
                unit: t.unit,
                old: t.delivered,
                new: Decimal::ZERO,
            });
        }
    }
    moves.retain(|m| m.old != m.new);
    moves
}

/// Each quantitative target whose delivered quantity or progress moved.
fn targets(old: &Known, new: &Known) -> Vec<TargetMove> {
    let before: BTreeMap<&str, _> = old
        .totals
        .targets
        .iter()
        .map(|t| (t.id.as_str(), t))
        .collect();
    new.totals
        .targets
        .iter()
        .filter_map(|t| {
            let q = t.quantity?;
            let b = before.get(t.id.as_str());
            let m = TargetMove {
                target: t.id.clone(),
                unit: q.unit,
                old: b.map_or(Decimal::ZERO, |b| b.delivered),
                new: t.delivered,
                old_progress: b.and_then(|b| b.progress),
                new_progress: t.progress,
            };
            // A new target starts at nothing delivered: no move unless something counts.
            let progressed = b.is_some() && m.old_progress != m.new_progress;
            (m.old != m.new || progressed).then_some(m)
        })
        .collect()
}

/// The quantity with its unit, as written: `7500 kg`.
fn quantity(r: &Shipment) -> String {
    format!("{} {}", r.quantity.value.0, r.unit.value.trim())
}

/// The keys of a record's fields, in the order of the data format: the `field` of a
/// [`FieldChange`].
pub const FIELDS: [&str; 15] = [
    "date",
    "period",
    "from",
    "to",
    "commodity",
    "quantity",
    "unit",
    "status",
    "verification",
    "sources",
    "document",
    "value_idr",
    "approx",
    "note",
    "illustrative",
];

/// Every field of a record as written, in the order of [`FIELDS`]. `status` and
/// `verification` are their value in force (`shipped` and `reported` when not written), so
/// that writing out a default is no change.
fn fields(r: &Shipment) -> [String; 15] {
    let opt = |v: &Option<crate::load::located::Loc<String>>| {
        v.as_ref()
            .map(|v| v.value.trim().to_string())
            .unwrap_or_default()
    };
    [
        opt(&r.date), // date
        r.period
            .as_ref()
            .map(|p| format!("{}/{}", p.value.start.value, p.value.end.value))
            .unwrap_or_default(), // period
        r.from.value.trim().to_string(), // from
        opt(&r.to),   // to
        r.commodity.value.trim().to_string(), // commodity
        quantity(r),  // quantity
        r.unit.value.trim().to_string(), // unit
        r.status
            .unwrap_or(ShipmentStatus::Shipped)
            .code()
            .to_string(), // status
        r.verification
            .unwrap_or(Verification::Reported)
            .code()
            .to_string(), // verification
        r.sources
            .iter()
            .map(|s| s.value.trim())
            .collect::<Vec<_>>()
            .join(", "), // sources
        opt(&r.document), // document
        r.value_idr
            .as_ref()
            .map(|v| v.value.0.clone())
            .unwrap_or_default(), // value_idr
        r.approx.to_string(), // approx
        r.note.as_ref().map(text).unwrap_or_default(), // note
        r.illustrative.to_string(), // illustrative
    ]
}

/// A text in one language as it is; in several, `id: ...; en: ...`.
fn text(t: &Text) -> String {
    match t {
        Text::Plain(s) => s.clone(),
        Text::PerLanguage(m) => m
            .iter()
            .map(|(lang, s)| format!("{lang}: {s}"))
            .collect::<Vec<_>>()
            .join("; "),
    }
}
