//! Reading a shipments file so that one bad record does not hide the others: after a shape
//! error (a wrong type, an unknown or missing key) the reader skips to the next record and
//! goes on, so `check` reports every bad record of a ledger in one run.

use std::cell::Cell;
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, SeqAccess, Visitor};

use crate::diagnostics::{Diagnostic, Pos};

use super::located::Loc;
use super::raw::Shipment;
use super::yaml;

/// At most this many findings from one shipments file; past it the file is surely misformatted
/// throughout and more findings would only bury the first.
pub const MAX_FINDINGS: usize = 100;

/// The site's `limits.max_records`, counted record by record while files are read (from
/// several threads at once), so that a file of millions of tiny records stops at the first
/// record over the limit instead of filling memory before anything counts them.
#[derive(Debug)]
pub struct RecordBudget {
    limit: usize,
    used: AtomicUsize,
}

impl RecordBudget {
    pub fn new(limit: usize) -> RecordBudget {
        RecordBudget {
            limit,
            used: AtomicUsize::new(0),
        }
    }

    /// True once a record past the limit was met.
    pub fn exceeded(&self) -> bool {
        self.used.load(Ordering::Relaxed) > self.limit
    }

    /// Counts one more record; false when it is past the limit.
    fn take(&self) -> bool {
        self.used.fetch_add(1, Ordering::Relaxed) < self.limit
    }

    /// Uncounts records that were read and then dropped.
    pub fn give_back(&self, n: usize) {
        self.used.fetch_sub(n, Ordering::Relaxed);
    }

    /// Counts `n` records read whole (from the parse cache); the index of the first one past
    /// the limit, if any.
    pub fn take_many(&self, n: usize) -> Option<usize> {
        let before = self.used.fetch_add(n, Ordering::Relaxed);
        (before.saturating_add(n) > self.limit).then(|| self.limit.saturating_sub(before))
    }
}

/// What one shipments file held.
#[derive(Debug, Default)]
pub struct Parsed {
    /// The records read; after a bad record, those of the rest of the file; never more than
    /// the record budget allowed.
    pub records: Vec<Loc<Shipment>>,
    /// Findings about the file's syntax and shape.
    pub findings: Vec<Diagnostic>,
    /// Where the first record past the record budget starts; nothing after it was read.
    pub over: Option<Pos>,
}

/// A record of a top-level block list: a line starting with `- ` (or a lone `-`).
#[derive(Debug, Clone, Copy, PartialEq)]
struct RecordStart {
    byte: usize,
    line: u32,
}

/// The records of a shipments file and the findings about its syntax and shape, reading no
/// further than `budget` allows.
pub fn parse(file: &str, text: &str, budget: &RecordBudget) -> Parsed {
    let mut records = Vec::new();
    let mut findings: Vec<Diagnostic> = Vec::new();
    let over = Cell::new(None);
    let (mut from, mut from_line) = (0, 1);
    loop {
        let kept = records.len();
        let d = match parse_from(file, text, from, from_line, budget, &mut records, &over) {
            Ok(()) => break,
            Err(_) if over.get().is_some() => break,
            Err(d) => d,
        };
        // Drops what this attempt read from `keep` on (when it is not a whole good record).
        let drop_from = |records: &mut Vec<Loc<Shipment>>, keep: usize| {
            budget.give_back(records.len().saturating_sub(keep));
            records.truncate(keep);
        };
        let first = findings.is_empty();
        // After skipping ahead, an alias may name an anchor in a skipped part.
        if !first && d.code == "yaml-syntax" && d.message.contains("anchor") {
            drop_from(&mut records, kept);
            break;
        }
        let recoverable = matches!(d.code, "type-error" | "unknown-key" | "missing-field");
        let line = d.line;
        findings.push(d);
        let bad = recoverable
            .then(|| {
                starts_from(text, from, from_line)
                    .take_while(|s| s.line <= line)
                    .last()
            })
            .flatten();
        let Some(bad) = bad else {
            drop_from(&mut records, kept);
            break;
        };
        // The records this attempt read before the bad one were read without fault.
        let good = kept
            + records[kept..]
                .iter()
                .take_while(|r| r.pos.line < bad.line)
                .count();
        drop_from(&mut records, good);
        if findings.len() >= MAX_FINDINGS {
            break;
        }
        let Some(next) = starts_from(text, bad.byte, bad.line).nth(1) else {
            break;
        };
        (from, from_line) = (next.byte, next.line);
    }
    Parsed {
        records,
        findings,
        over: over.get(),
    }
}

/// Parses `text[from..]` into `out`, keeping line numbers those of the whole file. On an
/// error, `out` holds the records read before it.
fn parse_from(
    file: &str,
    text: &str,
    from: usize,
    from_line: u32,
    budget: &RecordBudget,
    out: &mut Vec<Loc<Shipment>>,
    over: &Cell<Option<Pos>>,
) -> Result<(), Diagnostic> {
    let padded;
    let part = if from == 0 {
        text
    } else {
        padded = "\n".repeat(from_line as usize - 1) + &text[from..];
        &padded
    };
    yaml::parse_seed(file, part, Records { budget, out, over })
}

/// Reads a shipments file (a list, or nothing) record by record into `out`, and stops with
/// an error at the first record the budget has no room for, noting where it starts.
struct Records<'a> {
    budget: &'a RecordBudget,
    out: &'a mut Vec<Loc<Shipment>>,
    over: &'a Cell<Option<Pos>>,
}

impl<'de> DeserializeSeed<'de> for Records<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de> Visitor<'de> for Records<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a sequence")
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        loop {
            // Counted before it is read, so that no thread reads past the limit; uncounted
            // when there is no next record or it is bad.
            if self.budget.take() {
                match seq.next_element::<Loc<Shipment>>() {
                    Ok(Some(r)) => self.out.push(r),
                    other => {
                        self.budget.give_back(1);
                        return other.map(|_| ());
                    }
                }
            } else {
                // Only where the record starts is read, never the record itself.
                match seq.next_element::<serde_saphyr::Spanned<IgnoredAny>>() {
                    Ok(Some(at)) => {
                        let at = at.referenced;
                        self.over.set(Some(Pos::new(at.line(), at.column())));
                        return Err(de::Error::custom("more records than limits.max_records"));
                    }
                    other => {
                        self.budget.give_back(1);
                        return other.map(|_| ());
                    }
                }
            }
        }
    }
}

/// The record starts at or after byte `from` (the start of line `from_line`), found lazily:
/// a file of millions of records is scanned only as far as a finding needs.
fn starts_from(text: &str, from: usize, from_line: u32) -> impl Iterator<Item = RecordStart> {
    let mut byte = from;
    text[from..]
        .split_inclusive('\n')
        .enumerate()
        .filter_map(move |(i, line)| {
            let at = byte;
            byte += line.len();
            let l = line.trim_end_matches(['\n', '\r']);
            (l == "-" || l.starts_with("- ")).then_some(RecordStart {
                byte: at,
                line: from_line + i as u32,
            })
        })
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
        let Parsed {
            records, findings, ..
        } = parse("s.yaml", &text, &unlimited());
        let ids: Vec<&str> = records.iter().map(|r| r.value.id.value.as_str()).collect();
        assert_eq!(ids, ["r1", "r3", "r5"]);
        let at: Vec<(&str, u32)> = findings.iter().map(|d| (d.code, d.line)).collect();
        assert_eq!(at, [("unknown-key", 13), ("type-error", 26)]);
    }

    #[test]
    fn a_syntax_error_stops_the_file() {
        let text = [record("r1", "  note: \"x\n"), record("r2", "  sumber: x\n")].concat();
        let Parsed {
            records, findings, ..
        } = parse("s.yaml", &text, &unlimited());
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].code, "yaml-syntax");
        assert!(records.is_empty());
    }

    #[test]
    fn a_flow_list_reports_its_first_error() {
        let text = "[{id: a, date: 2022-03-01}, {id: b, x: 1}]\n";
        let Parsed {
            records, findings, ..
        } = parse("s.yaml", text, &unlimited());
        assert_eq!((records.len(), findings.len()), (0, 1));
    }

    #[test]
    fn the_findings_of_one_file_are_capped() {
        let text: String = (0..MAX_FINDINGS + 20)
            .map(|i| record(&format!("r{i}"), "  sumber: x\n"))
            .collect();
        let findings = parse("s.yaml", &text, &unlimited()).findings;
        assert_eq!(findings.len(), MAX_FINDINGS);
    }

    #[test]
    fn reading_stops_at_the_first_record_past_the_budget() {
        let text: String = (0..10).map(|i| record(&format!("r{i}"), "")).collect();
        let budget = RecordBudget::new(4);
        let parsed = parse("s.yaml", &text, &budget);
        assert_eq!(parsed.records.len(), 4);
        assert_eq!(parsed.over, Some(Pos::new(4 * 6 + 1, 3)));
        assert!(parsed.findings.is_empty());
        assert!(budget.exceeded());

        let exact = RecordBudget::new(10);
        let parsed = parse("s.yaml", &text, &exact);
        assert_eq!((parsed.records.len(), parsed.over), (10, None));
        assert!(!exact.exceeded());
    }

    /// A record counted from the parse cache is located where the parser locates the record
    /// past the limit, so both ways of counting name the same place.
    #[test]
    fn the_record_past_the_budget_is_located_like_a_record_read() {
        let block: String = (0..6).map(|i| record(&format!("r{i}"), "")).collect();
        let flow = "[{id: a, date: 2022-03-01, from: a, commodity: b, quantity: 1, unit: t},\n  {id: b, date: 2022-03-01, from: a, commodity: b, quantity: 1, unit: t}]\n";
        let anchored =
            "- &x {id: a, date: 2022-03-01, from: a, commodity: b, quantity: 1, unit: t}\n-   *x\n";
        for text in [block.as_str(), flow, anchored] {
            let all = parse("s.yaml", text, &unlimited()).records;
            let cut = parse("s.yaml", text, &RecordBudget::new(1));
            assert_eq!(cut.over, Some(all[1].pos), "{text}");
        }
    }

    #[test]
    fn bad_records_do_not_count_against_the_budget() {
        let text = [
            record("r1", ""),
            record("r2", "  sumber: x\n"),
            record("r3", ""),
            record("r4", ""),
        ]
        .concat();
        let budget = RecordBudget::new(2);
        let parsed = parse("s.yaml", &text, &budget);
        let ids: Vec<&str> = parsed
            .records
            .iter()
            .map(|r| r.value.id.value.as_str())
            .collect();
        assert_eq!(ids, ["r1", "r3"]);
        assert_eq!(parsed.over, Some(Pos::new(20, 3)));
        assert_eq!(parsed.findings.len(), 1);
    }

    #[test]
    fn a_budget_shared_by_files_stops_the_later_one() {
        let budget = RecordBudget::new(5);
        let a: String = (0..3).map(|i| record(&format!("a{i}"), "")).collect();
        let b: String = (0..3).map(|i| record(&format!("b{i}"), "")).collect();
        assert_eq!(parse("a.yaml", &a, &budget).over, None);
        let parsed = parse("b.yaml", &b, &budget);
        assert_eq!(parsed.records.len(), 2);
        assert_eq!(parsed.over, Some(Pos::new(13, 3)));
        assert_eq!(budget.take_many(0), Some(0));
    }

    fn unlimited() -> RecordBudget {
        RecordBudget::new(usize::MAX)
    }
}
