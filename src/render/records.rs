//! `agreements/<slug>/records.js`: every record of an agreement for the ledger filter
//! (`assets/filter.js`), one file shared by every language. It is a script setting a global, not
//! JSON, so that the page loads it with `<script src>` and the filter works from `file://`.
//!
//! It carries what `shipments.csv` carries and little more, so that compressed it is never
//! bigger than the CSV: the CSV's columns turned on their side (one string per column, codes
//! never labels, the header left to the script), where a column of few distinct values is
//! written once per value with an index per record. The record's quantity as written and its
//! `approx` and `illustrative` flags are two more columns, usually empty. Notes in another
//! language, which the CSV does not have, go into `notes.<lang>.js`, loaded only by that
//! language's page.

use super::opendata::{csv_values, quote};
use crate::model::*;

/// The global `records.js` sets.
pub const GLOBAL: &str = "sinergiRecords";

/// The global `notes.<lang>.js` sets.
pub const NOTES_GLOBAL: &str = "sinergiNotes";

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

/// Below this many records every column is written out value by value: indexes only pay for
/// themselves, compressed, on longer columns.
const INDEXED_FROM: usize = 32;

/// The text of `records.js` for agreement `a` of `site`.
pub(super) fn records_js(site: &Site, a: &ReadAgreement) -> String {
    let default = site.default_language();
    let rows: Vec<[String; 13]> = a.shipments.iter().map(|s| csv_values(s, default)).collect();
    let mut units: Vec<String> = Vec::new();
    for c in &a.commodities {
        if a.shipments.iter().any(|s| s.commodity == c.id) {
            units.push(quote(c.id.clone()));
            units.push(c.unit.code().to_string());
        }
    }
    let mut columns = vec![units.join(",")];
    // The CSV's columns but `unit`, which is the commodity's.
    for k in (0..13).filter(|&k| k != 6) {
        let values: Vec<&str> = rows.iter().map(|r| r[k].as_str()).collect();
        columns.push(if k == 0 {
            plain(&values)
        } else {
            column(&values)
        });
    }
    let written: Vec<String> = a
        .shipments
        .iter()
        .map(|s| {
            if s.written == s.quantity {
                String::new()
            } else {
                format!("{} {}", s.written.amount.normalize(), s.written.unit.code())
            }
        })
        .collect();
    columns.push(column(
        &written.iter().map(String::as_str).collect::<Vec<_>>(),
    ));
    let flags: Vec<&str> = a
        .shipments
        .iter()
        .map(|s| match (s.approx, s.illustrative) {
            (false, false) => "",
            (true, false) => "approx",
            (false, true) => "illustrative",
            (true, true) => "approx illustrative",
        })
        .collect();
    columns.push(column(&flags));
    script(GLOBAL, &columns)
}

/// Whether some note of `a` reads differently in `lang` than in the site's first language
/// (`default`), so that the filter needs `notes.<lang>.js`.
pub(super) fn has_own_notes(a: &ReadAgreement, lang: &str, default: &str) -> bool {
    lang != default
        && a.shipments.iter().any(|s| {
            s.note
                .as_ref()
                .is_some_and(|t| t.get(lang, default) != t.get(default, default))
        })
}

/// The text of `notes.<lang>.js`: the note column (as in `records.js`) in language `lang`,
/// when [`has_own_notes`].
pub(super) fn notes_js(a: &ReadAgreement, lang: &str, default: &str) -> Option<String> {
    if !has_own_notes(a, lang, default) {
        return None;
    }
    let notes: Vec<&str> = a
        .shipments
        .iter()
        .map(|s| s.note.as_ref().map_or("", |t| t.get(lang, default)))
        .collect();
    Some(script(NOTES_GLOBAL, &column(&notes)))
}

/// `window.<global> = <value as JSON>;`, with `</` never raw, so the text is safe wherever a
/// script's text may go.
fn script(global: &str, value: &(impl serde::Serialize + ?Sized)) -> String {
    let json = serde_json::to_string(value)
        .expect("strings serialize")
        .replace("</", "<\\/");
    format!("window.{global} = {json};\n")
}

/// One column: empty when every value is; `value\n` when every record has the same value;
/// on a long column of at most ten distinct values (statuses, verification levels, a few
/// suppliers), those values, `\n` and each record's index into them as one digit; otherwise
/// every value. Values are CSV cells, separated by commas.
fn column(values: &[&str]) -> String {
    if values.iter().all(|v| v.is_empty()) {
        return String::new();
    }
    let mut distinct: Vec<&str> = Vec::new();
    let mut index: std::collections::HashMap<&str, usize> = Default::default();
    let indexes: Vec<usize> = values
        .iter()
        .map(|v| {
            *index.entry(v).or_insert_with(|| {
                distinct.push(v);
                distinct.len() - 1
            })
        })
        .collect();
    let n = values.len();
    if n > 1 && distinct.len() == 1 {
        return format!("{}\n", plain(&distinct));
    }
    if n >= INDEXED_FROM && distinct.len() <= 10 {
        let digits: String = indexes.iter().map(usize::to_string).collect();
        return format!("{}\n{digits}", plain(&distinct));
    }
    plain(values)
}

/// Every value as a CSV cell, separated by commas.
fn plain(values: &[&str]) -> String {
    let cells: Vec<String> = values.iter().map(|v| quote(v.to_string())).collect();
    cells.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_column_is_empty_constant_indexed_or_plain() {
        assert_eq!(column(&["", ""]), "");
        assert_eq!(column(&["a", "a", "a"]), "a\n");
        assert_eq!(column(&["x"]), "x");
        assert_eq!(column(&["a", "b,c", ""]), "a,\"b,c\",");
        let long: Vec<&str> = (0..40).map(|i| ["p", "q\"r"][i % 2]).collect();
        let text = column(&long);
        let (dict, idx) = text.split_once('\n').unwrap();
        assert_eq!(dict, "p,\"q\"\"r\"");
        assert_eq!(idx, "01".repeat(20));
        let many: Vec<String> = (0..40).map(|i| (i % 11).to_string()).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert_eq!(
            column(&many),
            many.join(","),
            "eleven values are written out"
        );
    }
}
