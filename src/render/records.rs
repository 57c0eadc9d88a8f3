//! `agreements/<slug>/records.js`: every record of an agreement for the ledger filter
//! (`assets/filter.js`), one file shared by every language. It is a script setting a global, not
//! JSON, so that the page loads it with `<script src>` and the filter works from `file://`.
//!
//! The file holds codes, never labels (the page carries those): columns of equal length, with
//! the participant, offtaker, commodity, status, verification, document and source of each
//! record as an index into a dictionary of ids. Quantities are integers in units of
//! `10^-scale` of the commodity's unit, so that the script sums them exactly with `BigInt`.

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::Value;

use super::opendata::CSV_HEADER;
use crate::model::*;

/// The global the file sets.
pub const GLOBAL: &str = "sinergiRecords";

#[derive(Serialize)]
struct Records<'a> {
    /// The header of `shipments.csv`: the columns of the filter's download.
    csv: &'static str,
    commodities: Vec<CommodityCode<'a>>,
    participants: Vec<&'a str>,
    offtakers: Vec<&'a str>,
    statuses: Vec<&'static str>,
    verifications: Vec<&'static str>,
    documents: Vec<&'a str>,
    sources: Vec<&'a str>,
    units: Vec<&'static str>,
    id: Vec<&'a str>,
    /// The day, or a period's first day (`YYYY-MM-DD`).
    date: Vec<String>,
    /// A period's last day; 0 for a day record.
    end: Vec<Value>,
    from: Vec<usize>,
    /// -1: not published.
    to: Vec<i64>,
    commodity: Vec<usize>,
    /// The quantity in the commodity's unit, scaled by its `scale`: a number when it is a safe
    /// integer in JavaScript, else a string of digits.
    quantity: Vec<Value>,
    /// The quantity as written, when its unit is not the commodity's: `[decimal, unit index]`.
    written: Vec<Value>,
    status: Vec<usize>,
    verification: Vec<usize>,
    /// -1: none.
    document: Vec<i64>,
    /// Indexes into `sources`.
    source: Vec<Vec<usize>>,
    value_idr: Vec<Option<String>>,
    approx: Vec<u8>,
    illustrative: Vec<u8>,
    /// In the site's first language (as in `shipments.csv`); empty for none.
    note: Vec<String>,
    /// Per other language: record index -> the note where it differs from `note`.
    note_in: std::collections::BTreeMap<&'a str, std::collections::BTreeMap<usize, String>>,
}

#[derive(Serialize)]
struct CommodityCode<'a> {
    id: &'a str,
    unit: &'static str,
    scale: u32,
}

pub(super) const STATUSES: [ShipmentStatus; 4] = [
    ShipmentStatus::Planned,
    ShipmentStatus::Shipped,
    ShipmentStatus::Received,
    ShipmentStatus::Verified,
];

pub(super) const VERIFICATIONS: [Verification; 4] = [
    Verification::Reported,
    Verification::Official,
    Verification::Documented,
    Verification::Audited,
];

/// Largest integer a JavaScript number holds exactly.
const SAFE_INTEGER: i128 = (1 << 53) - 1;

/// The text of `records.js` for agreement `a` of `site`.
pub(super) fn records_js(site: &Site, a: &ReadAgreement) -> String {
    let default = site.default_language();
    let index = |list: &[&str], id: &str| list.iter().position(|x| *x == id);
    let participants: Vec<&str> = a.participants.iter().map(|p| p.id.as_str()).collect();
    let offtakers: Vec<&str> = a.offtakers.iter().map(|o| o.id.as_str()).collect();
    let documents: Vec<&str> = a.documents.iter().map(|d| d.id.as_str()).collect();
    let sources: Vec<&str> = a.sources.iter().map(|s| s.id.as_str()).collect();
    let commodity_ids: Vec<&str> = a.commodities.iter().map(|c| c.id.as_str()).collect();
    let scales: Vec<u32> = a
        .commodities
        .iter()
        .map(|c| {
            a.shipments
                .iter()
                .filter(|s| s.commodity == c.id)
                .map(|s| s.quantity.amount.normalize().scale())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let units: Vec<&'static str> = Unit::ALL.iter().map(|u| u.code()).collect();
    let n = a.shipments.len();
    let mut r = Records {
        csv: CSV_HEADER,
        commodities: a
            .commodities
            .iter()
            .zip(&scales)
            .map(|(c, &scale)| CommodityCode {
                id: &c.id,
                unit: c.unit.code(),
                scale,
            })
            .collect(),
        statuses: STATUSES.iter().map(|s| s.code()).collect(),
        verifications: VERIFICATIONS.iter().map(|v| v.code()).collect(),
        id: Vec::with_capacity(n),
        date: Vec::with_capacity(n),
        end: Vec::with_capacity(n),
        from: Vec::with_capacity(n),
        to: Vec::with_capacity(n),
        commodity: Vec::with_capacity(n),
        quantity: Vec::with_capacity(n),
        written: Vec::with_capacity(n),
        status: Vec::with_capacity(n),
        verification: Vec::with_capacity(n),
        document: Vec::with_capacity(n),
        source: Vec::with_capacity(n),
        value_idr: Vec::with_capacity(n),
        approx: Vec::with_capacity(n),
        illustrative: Vec::with_capacity(n),
        note: Vec::with_capacity(n),
        note_in: Default::default(),
        participants,
        offtakers,
        documents,
        sources,
        units,
    };
    for lang in site.languages.iter().filter(|l| *l != default) {
        r.note_in.insert(lang, Default::default());
    }
    for (i, s) in a.shipments.iter().enumerate() {
        r.id.push(&s.id);
        match s.when {
            When::Day(d) => {
                r.date.push(d.to_string());
                r.end.push(Value::from(0));
            }
            When::Span { start, end } => {
                r.date.push(start.to_string());
                r.end.push(Value::from(end.to_string()));
            }
        }
        r.from.push(index(&r.participants, &s.from).unwrap_or(0));
        r.to.push(
            s.to.as_deref()
                .and_then(|t| index(&r.offtakers, t))
                .map_or(-1, |x| x as i64),
        );
        let c = index(&commodity_ids, &s.commodity).unwrap_or(0);
        r.commodity.push(c);
        r.quantity.push(scaled(s.quantity.amount, scales[c]));
        r.written.push(if s.written.unit == s.quantity.unit {
            Value::from(0)
        } else {
            let u = Unit::ALL.iter().position(|u| *u == s.written.unit);
            serde_json::json!([s.written.amount.normalize().to_string(), u])
        });
        r.status
            .push(STATUSES.iter().position(|x| *x == s.status).unwrap_or(0));
        r.verification.push(
            VERIFICATIONS
                .iter()
                .position(|x| *x == s.verification)
                .unwrap_or(0),
        );
        r.document.push(
            s.document
                .as_deref()
                .and_then(|d| index(&r.documents, d))
                .map_or(-1, |x| x as i64),
        );
        r.source.push(
            s.sources
                .iter()
                .filter_map(|x| index(&r.sources, x))
                .collect(),
        );
        r.value_idr
            .push(s.value_idr.map(|v| v.normalize().to_string()));
        r.approx.push(s.approx.into());
        r.illustrative.push(s.illustrative.into());
        let note = |lang: &str| {
            s.note
                .as_ref()
                .map(|t| t.get(lang, default).to_string())
                .unwrap_or_default()
        };
        let first = note(default);
        for (lang, notes) in r.note_in.iter_mut() {
            let other = note(lang);
            if other != first {
                notes.insert(i, other);
            }
        }
        r.note.push(first);
    }
    let json = serde_json::to_string(&r).expect("records serialize");
    // `</` never appears raw, so the text is safe wherever a script's text may go.
    let json = json.replace("</", "<\\/");
    format!("window.{GLOBAL} = {json};\n")
}

/// `amount` as an integer count of `10^-scale`.
fn scaled(amount: Decimal, scale: u32) -> Value {
    let mut d = amount.normalize();
    d.rescale(scale);
    let digits = d.mantissa();
    if digits.abs() <= SAFE_INTEGER {
        Value::from(digits as i64)
    } else {
        Value::from(digits.to_string())
    }
}
