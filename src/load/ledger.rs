//! Reading a shipments file so that one bad record does not hide the others: after a shape
//! error (a wrong type, an unknown or missing key) the reader skips to the next record and
//! goes on, so `check` reports every bad record of a ledger in one run.

use crate::diagnostics::Diagnostic;

use super::located::Loc;
use super::raw::Shipment;
use super::yaml;

/// At most this many findings from one shipments file; past it the file is surely misformatted
/// throughout and more findings would only bury the first.
pub const MAX_FINDINGS: usize = 100;

/// A record of a top-level block list: a line starting with `- ` (or a lone `-`).
struct RecordStart {
    byte: usize,
    line: u32,
}

/// The records of a shipments file and the findings about its syntax and shape.
pub fn parse(file: &str, text: &str) -> (Vec<Loc<Shipment>>, Vec<Diagnostic>) {
    let starts = record_starts(text);
    let mut records = Vec::new();
    let mut findings: Vec<Diagnostic> = Vec::new();
    let (mut from, mut from_line) = (0, 1);
    loop {
        let rest = parse_from(file, text, from, from_line);
        let d = match rest {
            Ok(more) => {
                records.extend(more);
                break;
            }
            Err(d) => d,
        };
        let first = findings.is_empty();
        // After skipping ahead, an alias may name an anchor in a skipped part.
        if !first && d.code == "yaml-syntax" && d.message.contains("anchor") {
            break;
        }
        let recoverable = matches!(d.code, "type-error" | "unknown-key" | "missing-field");
        let line = d.line;
        findings.push(d);
        if !recoverable || findings.len() >= MAX_FINDINGS {
            break;
        }
        let Some(bad) = starts
            .iter()
            .rposition(|s| s.line <= line && s.byte >= from)
        else {
            break;
        };
        // The records before the bad one were read without fault.
        if starts[bad].byte > from {
            let before = &text[..starts[bad].byte];
            if let Ok(ok) = parse_from(file, before, from, from_line) {
                records.extend(ok);
            }
        }
        let Some(next) = starts.get(bad + 1) else {
            break;
        };
        (from, from_line) = (next.byte, next.line);
    }
    (records, findings)
}

/// Parses `text[from..]`, keeping line numbers those of the whole file.
fn parse_from(
    file: &str,
    text: &str,
    from: usize,
    from_line: u32,
) -> Result<Vec<Loc<Shipment>>, Diagnostic> {
    let padded;
    let part = if from == 0 {
        text
    } else {
        padded = "\n".repeat(from_line as usize - 1) + &text[from..];
        &padded
    };
    Ok(yaml::parse::<Option<Vec<Loc<Shipment>>>>(file, part, 0)?.unwrap_or_default())
}

fn record_starts(text: &str) -> Vec<RecordStart> {
    let mut out = Vec::new();
    let mut byte = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let l = line.trim_end_matches(['\n', '\r']);
        if l == "-" || l.starts_with("- ") {
            out.push(RecordStart {
                byte,
                line: i as u32 + 1,
            });
        }
        byte += line.len();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: &str, extra: &str) -> String {
        format!(
            "- id: {id}\n  date: 2022-03-01\n  from: a\n  commodity: b\n  quantity: 1\n  unit: t\n{extra}"
        )
    }

    #[test]
    fn every_bad_record_is_reported_and_the_good_ones_kept() {
        let text = [
            record("r1", ""),
            record("r2", "  sumber: x\n"),
            record("r3", ""),
            record("r4", "  approx: [1]\n"),
            "# komentar\n".to_string(),
            record("r5", ""),
        ]
        .concat();
        let (records, findings) = parse("s.yaml", &text);
        let ids: Vec<&str> = records.iter().map(|r| r.value.id.value.as_str()).collect();
        assert_eq!(ids, ["r1", "r3", "r5"]);
        let at: Vec<(&str, u32)> = findings.iter().map(|d| (d.code, d.line)).collect();
        assert_eq!(at, [("unknown-key", 13), ("type-error", 26)]);
    }

    #[test]
    fn a_syntax_error_stops_the_file() {
        let text = [record("r1", "  note: \"x\n"), record("r2", "  sumber: x\n")].concat();
        let (records, findings) = parse("s.yaml", &text);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].code, "yaml-syntax");
        assert!(records.is_empty());
    }

    #[test]
    fn a_flow_list_reports_its_first_error() {
        let text = "[{id: a, date: 2022-03-01}, {id: b, x: 1}]\n";
        let (records, findings) = parse("s.yaml", text);
        assert_eq!((records.len(), findings.len()), (0, 1));
    }

    #[test]
    fn the_findings_of_one_file_are_capped() {
        let text: String = (0..MAX_FINDINGS + 20)
            .map(|i| record(&format!("r{i}"), "  sumber: x\n"))
            .collect();
        let (_, findings) = parse("s.yaml", &text);
        assert_eq!(findings.len(), MAX_FINDINGS);
    }
}
