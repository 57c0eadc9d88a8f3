//! Numbers, dates and rupiah the way each language writes them: Indonesian `1.234,5`,
//! `10 Juni 2022`, `Rp1.000.000`; English `1,234.5`, `10 June 2022`.

use chrono::Datelike;
use rust_decimal::{Decimal, RoundingStrategy};

use crate::model::Date;

const MONTHS_ID: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];
const MONTHS_ID_SHORT: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTHS_EN_SHORT: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Separators of a language: (thousands, decimal).
fn separators(lang: &str) -> (char, char) {
    match lang {
        "en" => (',', '.'),
        _ => ('.', ','),
    }
}

/// A decimal with at most `max_frac` fraction digits (rounded half away from zero), trailing
/// zeros dropped, grouped in thousands.
pub fn number(d: Decimal, lang: &str, max_frac: u32) -> String {
    let d = d
        .round_dp_with_strategy(max_frac, RoundingStrategy::MidpointAwayFromZero)
        .normalize();
    let (group, point) = separators(lang);
    let text = d.abs().to_string();
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut out = String::new();
    if d.is_sign_negative() && !d.is_zero() {
        out.push('-');
    }
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(group);
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push(point);
        out.push_str(frac);
    }
    out
}

/// A quantity as the ledger shows it: every written digit kept.
pub fn exact(d: Decimal, lang: &str) -> String {
    number(d, lang, 28)
}

/// A share as a percentage with one decimal: `45,2%` / `45.2%`.
pub fn percent(ratio: Decimal, lang: &str) -> String {
    format!("{}%", number(ratio * Decimal::ONE_HUNDRED, lang, 1))
}

/// Rupiah without a space and without decimals: `Rp1.000.000`.
pub fn rupiah(d: Decimal, lang: &str) -> String {
    format!("Rp{}", number(d, lang, 0))
}

pub fn month_name(month: u32, lang: &str) -> &'static str {
    let i = (month.clamp(1, 12) - 1) as usize;
    match lang {
        "en" => MONTHS_EN[i],
        _ => MONTHS_ID[i],
    }
}

pub fn month_short(month: u32, lang: &str) -> &'static str {
    let i = (month.clamp(1, 12) - 1) as usize;
    match lang {
        "en" => MONTHS_EN_SHORT[i],
        _ => MONTHS_ID_SHORT[i],
    }
}

/// `10 Juni 2022` / `10 June 2022`.
pub fn date(d: Date, lang: &str) -> String {
    format!("{} {} {}", d.day(), month_name(d.month(), lang), d.year())
}

/// `Juni 2022` / `June 2022`.
pub fn month(year: i32, month: u32, lang: &str) -> String {
    format!("{} {year}", month_name(month, lang))
}

/// `12 Juni – 5 September 2022`, shortened when year or month repeat.
pub fn span(start: Date, end: Date, lang: &str) -> String {
    if start == end {
        return date(start, lang);
    }
    if start.year() == end.year() {
        if start.month() == end.month() {
            return format!("{}–{}", start.day(), date(end, lang));
        }
        return format!(
            "{} {} – {}",
            start.day(),
            month_name(start.month(), lang),
            date(end, lang)
        );
    }
    format!("{} – {}", date(start, lang), date(end, lang))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn numbers_follow_the_language() {
        assert_eq!(number(d("1234.5"), "id", 2), "1.234,5");
        assert_eq!(number(d("1234.5"), "en", 2), "1,234.5");
        assert_eq!(number(d("1000000"), "id", 0), "1.000.000");
        assert_eq!(number(d("999"), "id", 0), "999");
        assert_eq!(number(d("-1234"), "en", 0), "-1,234");
        assert_eq!(number(d("0.001"), "id", 3), "0,001");
        assert_eq!(rupiah(d("1000000"), "id"), "Rp1.000.000");
        assert_eq!(percent(d("0.4525"), "id"), "45,3%");
    }

    #[test]
    fn dates_follow_the_language() {
        let day = Date::from_ymd_opt(2022, 6, 10).unwrap();
        assert_eq!(date(day, "id"), "10 Juni 2022");
        assert_eq!(date(day, "en"), "10 June 2022");
        let end = Date::from_ymd_opt(2022, 9, 5).unwrap();
        assert_eq!(span(day, end, "id"), "10 Juni – 5 September 2022");
        assert_eq!(month_short(8, "id"), "Agu");
    }
}
