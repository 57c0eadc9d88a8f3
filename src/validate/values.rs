//! Checks of single values: dates, slugs, URLs, quantities, units, references.

use std::collections::BTreeMap;
use std::str::FromStr;

use rust_decimal::Decimal;

use crate::diagnostics::{Diagnostic, Diagnostics, Pos};
use crate::load::located::{Loc, NumberText};
use crate::load::raw::LocationRaw;
use crate::model::units::Dimension;
use crate::model::{Date, Location, Unit};

/// Collects the findings about one file.
pub struct Ctx<'a> {
    pub file: &'a str,
    pub diags: &'a mut Diagnostics,
}

impl Ctx<'_> {
    pub fn error(&mut self, code: &'static str, pos: Pos, message: String, hint: &str) {
        self.diags
            .push(Diagnostic::error(code, self.file, pos, message).with_hint(hint));
    }

    pub fn warning(&mut self, code: &'static str, pos: Pos, message: String, hint: &str) {
        self.diags
            .push(Diagnostic::warning(code, self.file, pos, message).with_hint(hint));
    }

    pub fn date(&mut self, v: &Loc<String>) -> Option<Date> {
        let d = parse_date(&v.value);
        if d.is_none() {
            self.error(
                "invalid-date",
                v.pos,
                format!("`{}` is not a real calendar date in YYYY-MM-DD", v.value),
                "write the date as year-month-day, e.g. 2022-06-10",
            );
        }
        d
    }

    pub fn opt_date(&mut self, v: &Option<Loc<String>>) -> Option<Date> {
        v.as_ref().and_then(|v| self.date(v))
    }

    /// Checks that an id is a slug; returns it either way so references still resolve.
    pub fn id(&mut self, v: &Loc<String>) -> String {
        if !is_slug(&v.value) {
            self.error(
                "invalid-slug",
                v.pos,
                format!("`{}` is not a valid id", v.value),
                "ids use lowercase ASCII letters, digits and `-`, 1 to 64 characters",
            );
        }
        v.value.clone()
    }

    pub fn url(&mut self, v: &Loc<String>) -> Option<String> {
        if is_http_url(&v.value) {
            Some(v.value.trim().to_string())
        } else {
            self.error(
                "invalid-url",
                v.pos,
                format!("`{}` is not an http(s) link", v.value),
                "links must start with https:// or http:// and name a host",
            );
            None
        }
    }

    pub fn unit(&mut self, v: &Loc<String>) -> Option<Unit> {
        let u = Unit::parse(&v.value);
        if u.is_none() {
            self.error(
                "unknown-unit",
                v.pos,
                format!("`{}` is not a known unit", v.value),
                "use one of kg, kuintal, t (ton), head (ekor), egg (butir), pack (paket), truck (truk), l (liter)",
            );
        }
        u
    }

    /// A decimal that must be greater than zero.
    pub fn positive(&mut self, v: &Loc<NumberText>, what: &str) -> Option<Decimal> {
        match read_decimal(&v.value.0) {
            Ok(d) if d > Decimal::ZERO => Some(d),
            Ok(_) => {
                self.error(
                    "invalid-quantity",
                    v.pos,
                    format!("{what} must be greater than zero, not `{}`", v.value.0),
                    "write a positive number such as 7.5",
                );
                None
            }
            Err(problem) => {
                self.error(
                    "invalid-quantity",
                    v.pos,
                    format!("{what} `{}` {}", v.value.0, problem.what()),
                    problem.hint(),
                );
                None
            }
        }
    }

    /// A point on the map: each coordinate a number within its range (else `invalid-location`);
    /// one outside Indonesia is kept with the warning `location-outside-indonesia`.
    pub fn location(&mut self, v: &Option<Loc<LocationRaw>>, of: &str) -> Option<Location> {
        let v = v.as_ref()?;
        let lat = self.degree(&v.value.lat, "latitude", 90, "-5.11");
        let lon = self.degree(&v.value.lon, "longitude", 180, "105.31");
        let location = Location {
            lat: lat?,
            lon: lon?,
        };
        if !location.in_indonesia() {
            let (la, lo) = (Location::INDONESIA_LAT, Location::INDONESIA_LON);
            self.warning(
                "location-outside-indonesia",
                v.pos,
                format!(
                    "the location of `{of}` (lat {}, lon {}) is outside Indonesia \
                     (about lat {} to {}, lon {} to {})",
                    location.lat, location.lon, la.0, la.1, lo.0, lo.1
                ),
                "check that latitude and longitude are not swapped and that southern \
                 latitudes are negative (Jakarta is lat -6.2, lon 106.8)",
            );
        }
        Some(location)
    }

    /// One coordinate in decimal degrees, within ±`limit`.
    fn degree(&mut self, v: &Loc<NumberText>, what: &str, limit: i64, e: &str) -> Option<Decimal> {
        let hint =
            format!("write the {what} in decimal degrees between -{limit} and {limit}, e.g. {e}");
        match read_decimal(&v.value.0) {
            Ok(d) if d.abs() <= Decimal::from(limit) => Some(d),
            Ok(_) => {
                self.error(
                    "invalid-location",
                    v.pos,
                    format!("the {what} `{}` is outside -{limit} to {limit}", v.value.0),
                    &hint,
                );
                None
            }
            Err(problem) => {
                self.error(
                    "invalid-location",
                    v.pos,
                    format!("the {what} `{}` {}", v.value.0, problem.what()),
                    &hint,
                );
                None
            }
        }
    }

    /// A Kemendagri region code such as `18.72`; anything else is `invalid-location`.
    pub fn region(&mut self, v: &Option<Loc<String>>) -> Option<String> {
        let v = v.as_ref()?;
        let code = v.value.trim();
        if is_region(code) {
            return Some(code.to_string());
        }
        self.error(
            "invalid-location",
            v.pos,
            format!("`{}` is not a Kemendagri region code", v.value),
            "write the code as text in quotes: two digits per level, e.g. \"18\" (Lampung), \
             \"18.72\" (Kota Metro), \"18.72.01\", \"18.72.01.1001\"",
        );
        None
    }

    /// A reference to an id of `kind` among `known` (id -> kind name).
    pub fn reference(&mut self, v: &Loc<String>, known: &BTreeMap<String, &str>, kind: &str) {
        if !known.contains_key(&v.value) {
            let mut ids: Vec<&str> = known.keys().map(String::as_str).collect();
            ids.truncate(12);
            let hint = if ids.is_empty() {
                format!("no {kind} is declared in agreement.yaml")
            } else {
                format!("declared ids: {}", ids.join(", "))
            };
            self.error(
                "unknown-reference",
                v.pos,
                format!("there is no {kind} with id `{}`", v.value),
                &hint,
            );
        }
    }
}

/// `18`, `18.72`, `18.72.01` or `18.72.01.1001`.
pub fn is_region(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() <= 4
        && parts.iter().enumerate().all(|(i, p)| {
            p.len() == if i == 3 { 4 } else { 2 } && p.bytes().all(|b| b.is_ascii_digit())
        })
}

/// What a unit measures, for messages: "a mass", "a count of eggs".
pub fn measures(unit: Unit) -> &'static str {
    match unit.dimension() {
        Dimension::Mass => "a mass",
        Dimension::Head => "a count of animals (head)",
        Dimension::Egg => "a count of eggs",
        Dimension::Pack => "a count of packs",
        Dimension::Truck => "a count of truckloads",
        Dimension::Volume => "a volume",
    }
}

/// Lowercase ASCII letters and digits of `text`, every other run of characters one `-`, at
/// most `max` characters (`Latar Belakang` -> `latar-belakang`); empty when `text` has no
/// ASCII letter or digit.
pub fn slug_of(text: &str, max: usize) -> String {
    let mut s = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
    }
    s.truncate(max);
    s.trim_end_matches('-').to_string()
}

pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Strict `YYYY-MM-DD` of a real calendar day.
pub fn parse_date(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    if !b
        .iter()
        .enumerate()
        .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
    {
        return None;
    }
    let y = s[0..4].parse().ok()?;
    let m = s[5..7].parse().ok()?;
    let d = s[8..10].parse().ok()?;
    Date::from_ymd_opt(y, m, d)
}

/// Why a written number is not an exact decimal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberProblem {
    NotANumber,
    Exponent,
    Comma,
    TooManyDigits,
}

impl NumberProblem {
    pub fn what(self) -> &'static str {
        match self {
            NumberProblem::NotANumber => "is not a number",
            NumberProblem::Exponent => "is written with an exponent",
            NumberProblem::Comma => "is written with a comma",
            NumberProblem::TooManyDigits => {
                "has more digits than can be added exactly (28 significant digits at most)"
            }
        }
    }

    pub fn hint(self) -> &'static str {
        match self {
            NumberProblem::NotANumber => "write a plain number with a decimal point, e.g. 1250.5",
            NumberProblem::Exponent => "write all the digits, e.g. 1500 rather than 1.5e3",
            NumberProblem::Comma => {
                "write a decimal point and no thousands separator, e.g. 1250.5 for 1.250,5"
            }
            NumberProblem::TooManyDigits => "round the number to the precision that was measured",
        }
    }
}

/// A number exactly as written: digits with an optional sign and decimal point (underscores
/// between digits are allowed, as in YAML). Never rounds.
pub fn read_decimal(s: &str) -> Result<Decimal, NumberProblem> {
    let s = s.trim();
    let digits_only = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | '_'));
    if !digits_only {
        return Err(if s.contains(',') {
            NumberProblem::Comma
        } else if s.contains(['e', 'E']) && Decimal::from_scientific(s).is_ok() {
            NumberProblem::Exponent
        } else {
            NumberProblem::NotANumber
        });
    }
    match Decimal::from_str_exact(s) {
        Ok(d) => Ok(d),
        Err(_)
            if Decimal::from_str(s).is_ok()
                || s.bytes().filter(u8::is_ascii_digit).count() > 28 =>
        {
            Err(NumberProblem::TooManyDigits)
        }
        Err(_) => Err(NumberProblem::NotANumber),
    }
}

pub fn parse_decimal(s: &str) -> Option<Decimal> {
    read_decimal(s).ok()
}

/// `http://` or `https://`, a host, no spaces or control characters.
pub fn is_http_url(s: &str) -> bool {
    let s = s.trim();
    let rest = if let Some(r) = s.strip_prefix("https://") {
        r
    } else if let Some(r) = s.strip_prefix("http://") {
        r
    } else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    !host.is_empty()
        && !s
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_be_real_and_strict() {
        assert!(parse_date("2022-06-10").is_some());
        assert!(parse_date("2022-02-30").is_none());
        assert!(parse_date("2022-6-10").is_none());
        assert!(parse_date("10/06/2022").is_none());
        assert!(parse_date("2024-02-29").is_some());
    }

    #[test]
    fn numbers_are_exact_or_refused() {
        assert_eq!(read_decimal("7.50"), Ok(Decimal::new(750, 2)));
        assert_eq!(read_decimal("1_000"), Ok(Decimal::new(1000, 0)));
        assert_eq!(read_decimal("7,5"), Err(NumberProblem::Comma));
        assert_eq!(read_decimal("1.5e3"), Err(NumberProblem::Exponent));
        assert_eq!(read_decimal("0x10"), Err(NumberProblem::NotANumber));
        assert_eq!(read_decimal(".inf"), Err(NumberProblem::NotANumber));
        assert_eq!(read_decimal("1.2.3"), Err(NumberProblem::NotANumber));
        assert_eq!(read_decimal(""), Err(NumberProblem::NotANumber));
        let long = "0.1000000000000000055511151231257827";
        assert_eq!(read_decimal(long), Err(NumberProblem::TooManyDigits));
        let huge = "99999999999999999999999999999999999";
        assert_eq!(read_decimal(huge), Err(NumberProblem::TooManyDigits));
    }

    #[test]
    fn odd_numbers_never_panic() {
        let odd = [
            "1e4294967296",
            "1e-99999999999",
            "9e28",
            "-0",
            "+",
            ".",
            "-.5",
            "5.",
            "1__0",
            "_1",
            "1_",
            "0.",
            "00.000",
            "--1",
            "1-",
            "١٢",
            "1\u{0}",
            "79228162514264337593543950336",
            "-79228162514264337593543950335",
            "0.0000000000000000000000000001",
            "0.00000000000000000000000000001",
            "1e",
            "e5",
            "1.5E+3",
            "nan",
            "inf",
            "0x1F",
        ];
        for s in odd {
            let _ = read_decimal(s);
        }
        assert_eq!(read_decimal("5."), Ok(Decimal::new(5, 0)));
        assert_eq!(read_decimal("-0"), Ok(Decimal::ZERO));
    }

    #[test]
    fn urls_and_slugs() {
        assert!(is_http_url("https://lampung.antaranews.com/berita/653273/"));
        assert!(!is_http_url("javascript:alert(1)"));
        assert!(!is_http_url("https://"));
        assert!(is_slug("metro-dki-2022"));
        assert!(!is_slug("Metro"));
        assert!(!is_slug("../etc"));
    }
}
