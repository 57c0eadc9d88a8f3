//! Parsing one YAML text with deliberate limits, and turning parser errors into diagnostics.

use serde::de::DeserializeOwned;
use serde_saphyr::{Budget, Options};

use crate::diagnostics::{Diagnostic, Pos};

/// Largest data file accepted (SPEC/SECURITY: 256 MiB).
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Limits sized for a 200 MB shipments file (about 1.3 million records of ~20 nodes each)
/// while still stopping alias bombs and absurd nesting.
fn options() -> Options {
    let mut budget = Budget::default();
    budget.max_events = 200_000_000;
    budget.max_nodes = 100_000_000;
    budget.max_total_scalar_bytes = MAX_FILE_BYTES as usize;
    budget.max_depth = 64;
    budget.max_documents = 1;
    budget.max_aliases = 10_000;
    budget.max_anchors = 10_000;
    budget.max_recorded_anchor_events = 1_000_000;
    budget.max_recorded_anchor_bytes = 16 * 1024 * 1024;
    let mut options = Options::default();
    options.budget = Some(budget);
    options.with_snippet = false;
    options
}

/// Parses `text` (without BOM) as `T`. `line_offset` shifts reported lines, for front matter.
pub fn parse<T: DeserializeOwned>(
    file: &str,
    text: &str,
    line_offset: u32,
) -> Result<T, Diagnostic> {
    serde_saphyr::from_str_with_options::<T>(text, options()).map_err(|e| {
        let mut d = to_diagnostic(file, &e);
        d.line += line_offset;
        d
    })
}

fn to_diagnostic(file: &str, err: &serde_saphyr::Error) -> Diagnostic {
    let pos = err
        .location()
        .filter(|l| l.line() > 0)
        .map(|l| Pos::new(l.line(), l.column()))
        .unwrap_or(Pos::START);
    let message = strip_location(&err.to_string());
    let lower = message.to_lowercase();
    let (code, hint) = if lower.contains("unknown field") {
        (
            "unknown-key",
            "check the spelling; `sinergi schema` lists every key this file may have",
        )
    } else if lower.contains("missing field") {
        ("missing-field", "add the field; it is required")
    } else if lower.contains("duplicate") {
        (
            "yaml-syntax",
            "a key may appear only once in a mapping; remove or rename one of them",
        )
    } else if lower.contains("budget") || lower.contains("limit") || lower.contains("too") {
        (
            "yaml-syntax",
            "the file exceeds a safety limit (size, nesting or aliases); split or simplify it",
        )
    } else if lower.contains("invalid type")
        || lower.contains("invalid value")
        || lower.contains("unknown variant")
        || lower.contains("invalid length")
        || lower.contains("expected")
    {
        ("type-error", "use a value of the type the key expects")
    } else {
        (
            "yaml-syntax",
            "fix the YAML syntax at this place (indentation, quotes, colons)",
        )
    };
    Diagnostic::error(code, file, pos, message).with_hint(hint)
}

/// serde-saphyr appends " at line X, column Y" which our own location replaces.
fn strip_location(message: &str) -> String {
    let first = message.lines().next().unwrap_or(message).trim();
    let first = match first.rfind(" at line ") {
        Some(i) => first[..i].trim_end_matches(':'),
        None => first,
    };
    first
        .trim_end_matches(", set DuplicateKeyPolicy in Options if acceptable")
        .to_string()
}
