//! Parsing one YAML text with deliberate limits, and turning parser errors into diagnostics
//! that name the key at fault and say what to write instead.

use serde::de::{DeserializeOwned, DeserializeSeed};
use serde_saphyr::budget::BudgetBreach;
use serde_saphyr::{Budget, Error, Options};

use crate::diagnostics::{Diagnostic, Pos};

/// Largest data file accepted by default (docs/FORMAT.md, SECURITY.md: 256 MiB); site.yaml's
/// `limits.max_file_size` changes it for every file but site.yaml itself.
pub const MAX_FILE_BYTES: u64 = super::limits::DEFAULT_MAX_FILE_SIZE;

/// Deepest nesting of lists and mappings; the data format needs fewer than ten levels.
pub const MAX_DEPTH: usize = 64;

/// Most aliases (`*name`) and anchors (`&name`) in one file.
pub const MAX_ALIASES: usize = 10_000;

/// Limits sized for a 200 MB shipments file (about 1.3 million records of ~20 nodes each)
/// while still stopping alias bombs and absurd nesting. serde-saphyr's defaults (250,000
/// nodes, 1 million events) would reject a shipments file of about 20,000 records.
///
/// Plain scalars follow YAML 1.2: only `true`/`false` are booleans, so a title `No` or a
/// name `Y` stays text, and `08123` or `1_000` written where text is expected stays as written.
/// Tags the format does not define (`!include`, `!env`) are errors rather than ignored.
pub fn options() -> Options {
    options_for(0)
}

/// [`options`] for a text of `len` bytes: the scalar bytes allowed grow with a text that a
/// raised `limits.max_file_size` let through, so aliases still cannot multiply it.
fn options_for(len: usize) -> Options {
    let mut budget = Budget::default();
    budget.max_events = 200_000_000;
    budget.max_nodes = 100_000_000;
    budget.max_total_scalar_bytes = len.max(MAX_FILE_BYTES as usize);
    budget.max_depth = MAX_DEPTH;
    budget.max_documents = 1;
    budget.max_aliases = MAX_ALIASES;
    budget.max_anchors = MAX_ALIASES;
    budget.max_recorded_anchor_events = 1_000_000;
    budget.max_recorded_anchor_bytes = 16 * 1024 * 1024;
    let mut options = Options::default();
    options.budget = Some(budget);
    options.with_snippet = false;
    options.strict_booleans = true;
    options.reject_unsupported_tags = true;
    options.leading_zero_numbers_as_strings = true;
    options.underscored_numbers_as_strings = true;
    options
}

/// Parses `text` (without BOM) as `T`. `line_offset` shifts reported lines, for front matter.
pub fn parse<T: DeserializeOwned>(
    file: &str,
    text: &str,
    line_offset: u32,
) -> Result<T, Diagnostic> {
    serde_saphyr::from_str_with_options::<T>(text, options_for(text.len())).map_err(|e| {
        let mut d = to_diagnostic(file, text, &e);
        d.line += line_offset;
        d
    })
}

/// Parses `text` through `seed`, under the same options and with the same findings as
/// [`parse`]; for readers that must stop part-way (the record limit).
pub fn parse_seed<'de, S: DeserializeSeed<'de>>(
    file: &str,
    text: &'de str,
    seed: S,
) -> Result<S::Value, Diagnostic> {
    serde_saphyr::with_deserializer_from_str_with_options(text, options_for(text.len()), |d| {
        seed.deserialize(d)
    })
    .map_err(|e| to_diagnostic(file, text, &e))
}

/// What went wrong, in the words of the data format: a stable code, a message, a hint.
struct Finding {
    code: &'static str,
    message: String,
    hint: String,
}

impl Finding {
    fn new(code: &'static str, message: impl Into<String>, hint: impl Into<String>) -> Self {
        Finding {
            code,
            message: message.into(),
            hint: hint.into(),
        }
    }
}

fn to_diagnostic(file: &str, text: &str, err: &Error) -> Diagnostic {
    let pos = err
        .location()
        .filter(|l| l.line() > 0)
        .map(|l| Pos::new(l.line(), l.column()))
        .unwrap_or(Pos::START);
    let err = err.without_snippet();
    let reported_at_key = matches!(
        err,
        Error::SerdeInvalidType { .. } | Error::SerdeInvalidValue { .. }
    );
    let key = key_at(text, pos, reported_at_key);
    let (pos, f) = match err {
        Error::SerdeMissingField { field, .. } => {
            let start = entry_start(text, pos);
            (start, missing(field, start.column == 1))
        }
        _ => (pos, describe(err, key.as_deref())),
    };
    Diagnostic::error(f.code, file, pos, f.message).with_hint(f.hint)
}

/// `` `key`: `` when the error line names the key whose value is wrong, else nothing.
fn about(key: Option<&str>) -> String {
    key.map(|k| format!("`{k}`: ")).unwrap_or_default()
}

fn describe(err: &Error, key: Option<&str>) -> Finding {
    let at = about(key);
    match err {
        Error::SerdeUnknownField {
            field, expected, ..
        } => Finding::new(
            "unknown-key",
            format!("unknown key `{field}`"),
            if expected.is_empty() {
                "remove it; this mapping takes no keys".to_string()
            } else {
                format!(
                    "check the spelling; the keys allowed here are {}",
                    expected.join(", ")
                )
            },
        ),
        Error::SerdeMissingField { field, .. } => missing(field, false),
        Error::DuplicateMappingKey { key: dup, .. } => Finding::new(
            "yaml-syntax",
            match dup {
                Some(k) => format!("the key `{k}` appears twice in the same mapping"),
                None => "a key appears twice in the same mapping".to_string(),
            },
            "keep one of them: YAML allows each key only once per mapping",
        ),
        Error::SerdeInvalidType {
            unexpected,
            expected,
            ..
        }
        | Error::SerdeInvalidValue {
            unexpected,
            expected,
            ..
        } => Finding::new(
            "type-error",
            format!("{at}expected {expected}, found {}", plain_words(unexpected)),
            format!("write {expected} here"),
        ),
        Error::SerdeInvalidLength { len, expected, .. } => Finding::new(
            "type-error",
            format!("{at}expected {expected}, found {len} elements"),
            "correct the number of elements",
        ),
        Error::SerdeUnknownVariant {
            variant, expected, ..
        } => Finding::new(
            "type-error",
            format!("{at}`{variant}` is not one of the allowed values"),
            format!("use one of: {}", expected.join(", ")),
        ),
        Error::Unexpected { expected, .. } => unexpected(expected, &at),
        Error::ExternallyTaggedEnumExpectedScalarOrMapping { .. }
        | Error::ExpectedStringKeyForExternallyTaggedEnum { .. }
        | Error::UnexpectedValueForUnitEnumVariant { .. } => Finding::new(
            "type-error",
            format!("{at}expected one word from a fixed list, found a list or a mapping"),
            "write one of the allowed words; `sinergi schema` lists them",
        ),
        Error::InvalidScalar { ty, .. } => scalar_type(ty, &at),
        Error::InvalidBooleanStrict { .. } => scalar_type("bool", &at),
        Error::NullIntoString { .. } => Finding::new(
            "type-error",
            format!("{at}the value is empty"),
            "write a value after the colon, or remove the key if it is optional",
        ),
        Error::TaggedScalarCannotDeserializeIntoString { .. } | Error::UnsupportedTag { .. } => {
            Finding::new(
                "type-error",
                format!("{at}YAML tags such as `!!float` or `!custom` are not used in this format"),
                "remove the tag and write the plain value",
            )
        }
        Error::Eof { .. } => Finding::new(
            "missing-field",
            "there is no data here",
            "write the required keys; `sinergi schema` lists them",
        ),
        Error::MultipleDocuments { .. }
        | Error::Budget {
            breach: BudgetBreach::Documents { .. },
            ..
        } => several_documents(),
        Error::Budget { breach, .. } => budget(breach),
        Error::AliasReplayLimitExceeded { .. }
        | Error::AliasExpansionLimitExceeded { .. }
        | Error::AliasReplayStackDepthExceeded { .. }
        | Error::AliasReplayCounterOverflow { .. } => alias_bomb(),
        Error::UnknownAnchor { .. } => Finding::new(
            "yaml-syntax",
            "this alias (`*name`) refers to an anchor (`&name`) that is not defined before it",
            "define the anchor first, or write the value out",
        ),
        Error::AliasError {
            error, locations, ..
        } => {
            let mut f = describe(error.without_snippet(), key);
            let d = locations.defined_location;
            if d.line() > 0 && locations.reference_location != d {
                f.message += &format!(
                    " (the value comes from the anchor at line {}, column {})",
                    d.line(),
                    d.column()
                );
            }
            f
        }
        other if parser_message(other).contains("recursion limit") => too_deep(),
        other => Finding::new(
            "yaml-syntax",
            parser_message(other),
            "fix the YAML syntax here: indentation with spaces (not tabs), matching quotes and brackets, `key: value` with a space after the colon",
        ),
    }
}

fn missing(field: &str, top_level: bool) -> Finding {
    let whole = if top_level { "file" } else { "entry" };
    Finding::new(
        "missing-field",
        format!("the required key `{field}` is missing from this {whole}"),
        format!("add `{field}: ...`; `sinergi schema` lists every key and its type"),
    )
}

/// serde-saphyr's "expected ..." structural errors, said in the data format's terms.
fn unexpected(expected: &str, at: &str) -> Finding {
    let (what, hint) = match expected {
        "string scalar" | "scalar" | "value" | "single YAML node" => (
            "expected a single value (a text, number or date), found a list or a mapping",
            "write one value after the colon; quote it if it contains `: ` or starts with `[`, `{`, `-` or `*`",
        ),
        "sequence start" => (
            "expected a list",
            "write a list as `[a, b]`, or as lines starting with `- ` indented under the key",
        ),
        "mapping start" | "empty mapping start" => (
            "expected a mapping of `key: value` lines",
            "write the keys indented under this one, or as `{key: value, ...}`",
        ),
        _ => (
            "the value has the wrong shape",
            "compare with `sinergi schema`",
        ),
    };
    Finding::new("type-error", format!("{at}{what}"), hint)
}

/// serde's names of what it found, in the data format's words.
fn plain_words(unexpected: &str) -> String {
    match unexpected {
        "unit value" | "unit" => "an empty value".to_string(),
        "sequence" => "a list".to_string(),
        "map" => "a mapping".to_string(),
        other => other
            .replace("floating point", "the number")
            .replace("integer", "the number")
            .replace("boolean", "the boolean"),
    }
}

/// A plain scalar that is not the number or boolean the key takes.
fn scalar_type(ty: &str, at: &str) -> Finding {
    let (what, hint) = match ty {
        t if t.contains("bool") => ("expected true or false", "write `true` or `false`"),
        t if t.starts_with('i') || t.starts_with('u') => {
            ("expected a whole number", "write digits only, e.g. 3")
        }
        t if t.starts_with('f') => ("expected a number", "write a number such as 7.5"),
        _ => (
            "the value has the wrong type",
            "compare with `sinergi schema`",
        ),
    };
    Finding::new("type-error", format!("{at}{what}"), hint)
}

fn several_documents() -> Finding {
    Finding::new(
        "yaml-syntax",
        "the file holds more than one YAML document (a second `---` line)",
        "keep one document per file: remove the `---` line, or move what follows into another file",
    )
}

fn too_deep() -> Finding {
    Finding::new(
        "yaml-syntax",
        format!("lists and mappings are nested more than {MAX_DEPTH} levels deep"),
        "the data format needs only a few levels; check the indentation and brackets",
    )
}

fn alias_bomb() -> Finding {
    Finding::new(
        "yaml-syntax",
        "aliases (`*name`) expand to far more data than the file holds, as in an alias bomb",
        "write the values out, or use fewer aliases",
    )
}

fn budget(breach: &BudgetBreach) -> Finding {
    let too_big = "split the records into several files";
    match breach {
        BudgetBreach::Depth { .. } => too_deep(),
        BudgetBreach::Aliases { .. } | BudgetBreach::Anchors { .. } => Finding::new(
            "yaml-syntax",
            format!("the file uses more than {MAX_ALIASES} anchors (`&name`) or aliases (`*name`)"),
            "write the values out, or split the file",
        ),
        BudgetBreach::AliasAnchorRatio { .. }
        | BudgetBreach::RecordedAnchorEvents { .. }
        | BudgetBreach::RecordedAnchorBytes { .. } => alias_bomb(),
        BudgetBreach::Documents { .. } => several_documents(),
        BudgetBreach::Events { .. }
        | BudgetBreach::Nodes { .. }
        | BudgetBreach::ScalarBytes { .. }
        | BudgetBreach::InputBytes { .. } => Finding::new(
            "yaml-syntax",
            "the file holds more values than can be read safely",
            too_big,
        ),
        other => Finding::new(
            "yaml-syntax",
            format!("the file exceeds a safety limit ({other:?})"),
            too_big,
        ),
    }
}

/// The parser's own words, without the location it appends (ours replaces it).
fn parser_message(err: &Error) -> String {
    let text = err.to_string();
    let first = text.lines().next().unwrap_or(&text).trim();
    let first = match first.rfind(" at line ") {
        Some(i) => first[..i].trim_end_matches(':'),
        None => first,
    };
    format!("malformed YAML: {first}")
}

/// The key whose value sits at `pos`: the last `key:` before the column on that line. With
/// `at_key`, also the key starting at the column (serde reports some type errors there).
fn key_at(text: &str, pos: Pos, at_key: bool) -> Option<String> {
    let line = text.lines().nth(pos.line as usize - 1)?;
    let chars: Vec<char> = line.chars().collect();
    let col = (pos.column as usize - 1).min(chars.len());
    let before: String = chars[..col].iter().collect();
    let after: String = chars[col..].iter().collect();
    let candidate = if let Some(i) = before.rfind(':') {
        before[..i].to_string()
    } else if after.trim_start().starts_with(':') {
        before
    } else if at_key {
        after.split_once(':')?.0.to_string()
    } else {
        return None;
    };
    let key: String = candidate
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let starts_well = key.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
    starts_well.then_some(key)
}

/// The first line of the block mapping that holds the line at `pos`: serde-saphyr reports a
/// missing key where the mapping ends, but the reader looks for the entry where it starts.
fn entry_start(text: &str, pos: Pos) -> Pos {
    let lines: Vec<&str> = text.lines().collect();
    // Column of the first key on a line, counting a list's `- ` as indentation.
    let key_col = |l: &str| l.len() - l.trim_start_matches([' ', '-']).len();
    let Some(here) = lines.get(pos.line as usize - 1).filter(|l| is_content(l)) else {
        return pos;
    };
    if here.trim_start().starts_with(['{', '[', '}', ']']) {
        return pos;
    }
    let indent = key_col(here);
    let mut start = pos.line as usize - 1;
    for at in (0..start).rev() {
        let l = lines[at];
        if !is_content(l) {
            continue;
        }
        if key_col(l) < indent
            || (key_col(lines[start]) == indent && lines[start].trim_start().starts_with('-'))
        {
            break;
        }
        start = at;
    }
    Pos::new(start as u64 + 1, key_col(lines[start]) as u64 + 1)
}

/// Not blank and not a comment.
fn is_content(line: &str) -> bool {
    let t = line.trim_start();
    !t.is_empty() && !t.starts_with('#')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_before_the_column_or_at_it() {
        let text = "title: x\n  quantity: [1]\n- {id: a, date: [x]}\ndescription: [a]\n";
        assert_eq!(
            key_at(text, Pos::new(2, 13), false).as_deref(),
            Some("quantity")
        );
        assert_eq!(
            key_at(text, Pos::new(2, 11), false).as_deref(),
            Some("quantity")
        );
        assert_eq!(
            key_at(text, Pos::new(3, 16), false).as_deref(),
            Some("date")
        );
        assert_eq!(
            key_at(text, Pos::new(4, 1), true).as_deref(),
            Some("description")
        );
        assert_eq!(key_at(text, Pos::new(4, 1), false), None);
        assert_eq!(key_at(text, Pos::new(9, 1), true), None);
    }

    #[test]
    fn a_missing_key_points_at_the_start_of_its_entry() {
        let text = "# c\n- id: a\n  period:\n    start: x\n\n  unit: t\n- id: b\n  unit: t\n";
        assert_eq!(entry_start(text, Pos::new(6, 3)), Pos::new(2, 3));
        assert_eq!(entry_start(text, Pos::new(8, 3)), Pos::new(7, 3));
        assert_eq!(entry_start(text, Pos::new(4, 5)), Pos::new(4, 5));
        let top = "# c\ntitle: x\nas_of: y\n";
        assert_eq!(entry_start(top, Pos::new(3, 1)), Pos::new(2, 1));
    }
}
