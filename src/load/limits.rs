//! The input limits of `limits:` in site.yaml: how large a file may be and how many shipment
//! records a site may hold. site.yaml is read first (under the default file size), so its
//! limits apply to every file read after it.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

use crate::diagnostics::{Diagnostic, Diagnostics};

use super::located::Loc;
use super::raw;

const KIB: u64 = 1024;
const MIB: u64 = 1024 * KIB;
const GIB: u64 = 1024 * MIB;

/// Default largest file: big enough for a shipments file of well over a million records.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 256 * MIB;

/// The highest `max_file_size` accepted. A file is held in memory whole while it is parsed,
/// and past about 700 MB of shipment YAML the parser's node budget (100 million values) stops
/// it anyway, so a higher limit could only ever end in that error or in memory exhaustion.
pub const MAX_FILE_SIZE_CEILING: u64 = GIB;

/// Default most shipment records in one site: the largest site measured (1,000,000 records
/// build with a 590 MiB peak, docs/PERFORMANCE.md). Memory grows linearly with records, about
/// 0.6 KiB each.
pub const DEFAULT_MAX_RECORDS: u64 = 1_000_000;

/// The highest `max_records` accepted: a site of more than 100 million records would need
/// more than 60 GiB to build, so a larger value can only be a typo.
pub const MAX_RECORDS_CEILING: u64 = 100_000_000;

/// The limits in force for one load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest data or page file read, in bytes.
    pub max_file_size: u64,
    /// Most shipment records in the whole site.
    pub max_records: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            max_records: DEFAULT_MAX_RECORDS as usize,
        }
    }
}

impl Limits {
    /// The limits of site.yaml's `limits:`, each checked; a wrong value is an `invalid-limit`
    /// finding and its default stays in force.
    pub fn from_site(site: Option<&raw::SiteFile>, file: &str, diags: &mut Diagnostics) -> Limits {
        let mut limits = Limits::default();
        let Some(raw) = site.and_then(|s| s.limits.as_ref()) else {
            return limits;
        };
        if let Some(v) = &raw.max_file_size {
            match byte_size(&v.value.0.0) {
                Ok(n) => limits.max_file_size = n,
                Err(e) => diags.push(e.located(file, "max_file_size", v)),
            }
        }
        if let Some(v) = &raw.max_records {
            match record_count(&v.value.0.0) {
                Ok(n) => limits.max_records = n as usize,
                Err(e) => diags.push(e.located(file, "max_records", v)),
            }
        }
        limits
    }
}

/// A limit as written: digits, or (for sizes) digits and a unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitText(pub String);

impl<'de> Deserialize<'de> for LimitText {
    /// Any scalar, as text: the checks here say what is wrong with `-1`, `0.5` or `10 parsecs`
    /// in the data format's words instead of a type error.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = LimitText;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a whole number")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<LimitText, E> {
                Ok(LimitText(v.trim().to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<LimitText, E> {
                Ok(LimitText(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<LimitText, E> {
                Ok(LimitText(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<LimitText, E> {
                Ok(LimitText(v.to_string()))
            }
        }
        d.deserialize_str(V)
    }
}

/// `max_file_size`: bytes, or a whole number with a unit.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct ByteSize(pub LimitText);

impl JsonSchema for ByteSize {
    fn schema_name() -> Cow<'static, str> {
        "ByteSize".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "Bytes (`1048576`) or a whole number with a unit: B, KB, MB, GB (powers of 1000) or KiB, MiB, GiB (powers of 1024), e.g. `256 MiB`. At most 1 GiB.",
            "anyOf": [
                {"type": "integer", "minimum": 1, "maximum": MAX_FILE_SIZE_CEILING},
                {"type": "string", "pattern": SIZE_PATTERN}
            ]
        })
    }
}

/// `max_records`: a whole number.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct RecordCount(pub LimitText);

impl JsonSchema for RecordCount {
    fn schema_name() -> Cow<'static, str> {
        "RecordCount".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A whole number, at most 100000000; `_` may separate digits.",
            "anyOf": [
                {"type": "integer", "minimum": 1, "maximum": MAX_RECORDS_CEILING},
                {"type": "string", "pattern": "^[0-9]+(_[0-9]+)*$"}
            ]
        })
    }
}

/// The sizes `byte_size` reads, for the schema (case as written here or any other case).
const SIZE_PATTERN: &str = "^[0-9]+(_[0-9]+)* ?([BbKkMmGgTt]|[KkMmGgTt][Ii]?[Bb])$";

/// What is wrong with a limit, said as the fix.
#[derive(Debug, PartialEq, Eq)]
struct Problem {
    message: String,
    hint: String,
}

impl Problem {
    fn located<T>(self, file: &str, key: &str, v: &Loc<T>) -> Diagnostic {
        Diagnostic::error(
            "invalid-limit",
            file,
            v.pos,
            format!("`limits.{key}`: {}", self.message),
        )
        .with_hint(self.hint)
    }
}

const SIZE_HINT: &str = "write bytes as a whole number (`1048576`) or a whole number with a unit: B, KB, MB, GB (powers of 1000) or KiB, MiB, GiB (powers of 1024), e.g. `256 MiB`; the default is 256 MiB";

fn size_hint() -> String {
    SIZE_HINT.to_string()
}

fn records_hint() -> String {
    format!(
        "write a whole number from 1 to {}; the default is {}",
        thousands(MAX_RECORDS_CEILING),
        thousands(DEFAULT_MAX_RECORDS)
    )
}

/// `256 MiB`, `1048576`, `10 MB`, `1_000 KiB` -> bytes, within 1 ..= the ceiling.
fn byte_size(text: &str) -> Result<u64, Problem> {
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '_' || c == '-' || c == '+' || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = (text[..split].trim(), text[split..].trim());
    let factor = match unit.to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1000,
        "m" | "mb" => 1000 * 1000,
        "g" | "gb" => 1000 * 1000 * 1000,
        "t" | "tb" => 1000 * 1000 * 1000 * 1000,
        "kib" => KIB,
        "mib" => MIB,
        "gib" => GIB,
        "tib" => 1024 * GIB,
        _ => {
            return Err(Problem {
                message: format!("`{text}` is not a file size"),
                hint: size_hint(),
            });
        }
    };
    let n = whole(number, text, size_hint)?;
    let bytes = n.saturating_mul(factor as u128);
    if bytes == 0 {
        return Err(Problem {
            message: "a file size of 0 would refuse every file".into(),
            hint: size_hint(),
        });
    }
    if bytes > MAX_FILE_SIZE_CEILING as u128 {
        return Err(Problem {
            message: format!("`{text}` is more than the highest accepted file size, 1 GiB"),
            hint: "a file is parsed in memory whole, and one this large cannot be read within the parser's budget of 100 million values; split the records into several files and keep the limit at 1 GiB or less".into(),
        });
    }
    Ok(bytes as u64)
}

/// A record count within 1 ..= the ceiling.
fn record_count(text: &str) -> Result<u64, Problem> {
    let n = whole(text, text, records_hint)?;
    if n == 0 {
        return Err(Problem {
            message: "a limit of 0 records would refuse every shipment record".into(),
            hint: records_hint(),
        });
    }
    if n > MAX_RECORDS_CEILING as u128 {
        return Err(Problem {
            message: format!(
                "`{text}` is more than the highest accepted record limit, {}",
                thousands(MAX_RECORDS_CEILING)
            ),
            hint: format!(
                "a site of that many records would need about 60 GiB of memory to build (about 0.6 KiB per record); {}",
                records_hint()
            ),
        });
    }
    Ok(n as u64)
}

/// Digits, with `_` allowed between them; huge values saturate (and then fail the ceiling).
fn whole(number: &str, text: &str, hint: fn() -> String) -> Result<u128, Problem> {
    if let Some(rest) = number.strip_prefix('-')
        && !rest.is_empty()
        && rest
            .chars()
            .all(|c| c.is_ascii_digit() || c == '_' || c == '.')
    {
        return Err(Problem {
            message: format!("`{text}` is negative; a limit must be greater than zero"),
            hint: hint(),
        });
    }
    let digits = number.strip_prefix('+').unwrap_or(number);
    let well_formed = digits.starts_with(|c: char| c.is_ascii_digit())
        && digits.ends_with(|c: char| c.is_ascii_digit())
        && digits.chars().all(|c| c.is_ascii_digit() || c == '_')
        && !digits.contains("__");
    if !well_formed {
        return Err(Problem {
            message: format!("`{text}` is not a whole number"),
            hint: hint(),
        });
    }
    Ok(digits
        .chars()
        .filter(char::is_ascii_digit)
        .fold(0u128, |n, c| {
            n.saturating_mul(10)
                .saturating_add(c.to_digit(10).unwrap_or(0) as u128)
        }))
}

/// `256 MiB`, `1 GiB`, `512 KiB`, or `1000 bytes` when no binary unit divides it.
pub fn show_bytes(n: u64) -> String {
    for (unit, size) in [("GiB", GIB), ("MiB", MIB), ("KiB", KIB)] {
        if n >= size && n.is_multiple_of(size) {
            return format!("{} {unit}", n / size);
        }
    }
    format!("{} bytes", thousands(n))
}

/// `1,000,000`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_with_and_without_units() {
        assert_eq!(byte_size("1048576"), Ok(MIB));
        assert_eq!(byte_size("256 MiB"), Ok(256 * MIB));
        assert_eq!(byte_size("256MiB"), Ok(256 * MIB));
        assert_eq!(byte_size("10 MB"), Ok(10_000_000));
        assert_eq!(byte_size("1 gib"), Ok(GIB));
        assert_eq!(byte_size("512 KiB"), Ok(512 * KIB));
        assert_eq!(byte_size("1_000 B"), Ok(1000));
        assert_eq!(byte_size("2 k"), Ok(2000));
    }

    #[test]
    fn sizes_that_are_refused() {
        for bad in [
            "0",
            "0 MiB",
            "-1",
            "-5 MiB",
            "1.5 MiB",
            "10 parsecs",
            "MiB",
            "",
            "1 1",
            "2 GiB",
            "1 TB",
            "1_",
            "x1",
        ] {
            assert!(byte_size(bad).is_err(), "{bad}");
        }
        assert!(byte_size("-1").unwrap_err().message.contains("negative"));
        assert!(byte_size("2 GiB").unwrap_err().message.contains("highest"));
        assert!(
            byte_size("99999999999999999999999999999999999999999")
                .unwrap_err()
                .message
                .contains("highest")
        );
        assert_eq!(byte_size("1 GiB"), Ok(MAX_FILE_SIZE_CEILING));
    }

    #[test]
    fn record_counts() {
        assert_eq!(record_count("1000"), Ok(1000));
        assert_eq!(record_count("1_000_000"), Ok(1_000_000));
        assert_eq!(record_count("100000000"), Ok(MAX_RECORDS_CEILING));
        for bad in ["0", "-3", "1.5", "1e6", "lots", "100000001", "1 MiB"] {
            assert!(record_count(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn sizes_and_counts_are_shown_readably() {
        assert_eq!(show_bytes(256 * MIB), "256 MiB");
        assert_eq!(show_bytes(GIB), "1 GiB");
        assert_eq!(show_bytes(1000), "1,000 bytes");
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(thousands(999), "999");
    }
}
