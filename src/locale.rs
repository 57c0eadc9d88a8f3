//! Every reader-visible word of one language, and numbers, dates and rupiah written the way it
//! writes them (Indonesian `1.234,5`, `10 Juni 2022`, `Rp1.000.000`; English `1,234.5`,
//! `10 June 2022`). All of it comes from the interface strings (`i18n/<lang>.yaml` over the
//! built-in ones) through [`Theme::lookup`]'s one fallback rule, so a site can add a language
//! or change any word, month name or separator.

use chrono::Datelike;
use rust_decimal::{Decimal, RoundingStrategy};

use crate::model::Date;
use crate::theme::Theme;

/// The strings of one language, with the number and date formats looked up once.
#[derive(Clone)]
pub struct Locale<'t> {
    pub lang: &'t str,
    theme: &'t Theme,
    group: &'t str,
    decimal: &'t str,
    months: [&'t str; 12],
    months_short: [&'t str; 12],
    date_format: &'t str,
    month_format: &'t str,
}

impl<'t> Locale<'t> {
    pub fn new(theme: &'t Theme, lang: &'t str) -> Locale<'t> {
        let get = |key: &str| theme.lookup(lang, key).map(|(_, s)| s).unwrap_or("");
        let months = |prefix: &str| {
            std::array::from_fn(|i| {
                theme
                    .lookup(lang, &format!("{prefix}{}", i + 1))
                    .map(|(_, s)| s)
                    .unwrap_or("")
            })
        };
        Locale {
            lang,
            theme,
            group: get("number_group"),
            decimal: get("number_decimal"),
            months: months("month_name_"),
            months_short: months("month_short_"),
            date_format: get("format_date"),
            month_format: get("format_month"),
        }
    }

    /// The string `key`, or `key_one` when `one` and the language that has `key` has
    /// `key_one` too.
    fn find(&self, key: &str, one: bool) -> Option<&'t str> {
        let (lang, text) = self.theme.lookup(self.lang, key)?;
        let singular = one
            .then(|| self.theme.strings.get(lang)?.get(&format!("{key}_one")))
            .flatten();
        Some(singular.map_or(text, String::as_str))
    }

    /// The string `key`; the key itself when no language has it.
    pub fn s<'k>(&self, key: &'k str) -> &'k str
    where
        't: 'k,
    {
        self.find(key, false).unwrap_or(key)
    }

    /// The string `key`, borrowed for as long as the strings live: for keys made at run time
    /// (`status_active`). Empty when no language has it.
    pub fn label(&self, key: &str) -> &'t str {
        self.find(key, false).unwrap_or("")
    }

    /// The string `key` with each `{name}` replaced by its value in `args`.
    pub fn fill(&self, key: &str, args: &[(&str, &str)]) -> String {
        fill(self.s(key), args)
    }

    /// Like [`Locale::fill`] for a count `n` (also passed as `{n}`): `key_one` when `n` is 1
    /// and the language that has `key` also has `key_one`.
    pub fn count(&self, key: &str, n: usize, args: &[(&str, &str)]) -> String {
        let text = self.plural(key, n == 1);
        let n = self.number(Decimal::from(n), 0);
        let mut all = vec![("n", n.as_str())];
        all.extend_from_slice(args);
        fill(text, &all)
    }

    /// `key`, or `key_one` when `one` (see [`Locale::find`]); the key itself when missing.
    pub fn plural<'k>(&self, key: &'k str, one: bool) -> &'k str
    where
        't: 'k,
    {
        self.find(key, one).unwrap_or(key)
    }

    /// [`Locale::plural`] for keys made at run time; empty when missing.
    pub fn plural_label(&self, key: &str, one: bool) -> &'t str {
        self.find(key, one).unwrap_or("")
    }

    /// A decimal with at most `max_frac` fraction digits (rounded half away from zero),
    /// trailing zeros dropped, grouped in thousands.
    pub fn number(&self, d: Decimal, max_frac: u32) -> String {
        let d = d
            .round_dp_with_strategy(max_frac, RoundingStrategy::MidpointAwayFromZero)
            .normalize();
        let text = d.abs().to_string();
        let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
        let mut out = String::with_capacity(text.len() + int.len() / 3 * self.group.len() + 1);
        if d.is_sign_negative() && !d.is_zero() {
            out.push('-');
        }
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                out.push_str(self.group);
            }
            out.push(c);
        }
        if !frac.is_empty() {
            out.push_str(self.decimal);
            out.push_str(frac);
        }
        out
    }

    /// A quantity as the ledger shows it: every written digit kept.
    pub fn exact(&self, d: Decimal) -> String {
        self.number(d, 28)
    }

    /// A share as a percentage with one decimal: `45,2%` / `45.2%`.
    pub fn percent(&self, ratio: Decimal) -> String {
        let n = self.number(ratio * Decimal::ONE_HUNDRED, 1);
        self.fill("format_percent", &[("n", &n)])
    }

    /// Rupiah without decimals: `Rp1.000.000`.
    pub fn rupiah(&self, d: Decimal) -> String {
        let n = self.number(d, 0);
        self.fill("format_rupiah", &[("n", &n)])
    }

    pub fn month_name(&self, month: u32) -> &'t str {
        self.months[(month.clamp(1, 12) - 1) as usize]
    }

    pub fn month_short(&self, month: u32) -> &'t str {
        self.months_short[(month.clamp(1, 12) - 1) as usize]
    }

    /// `10 Juni 2022` / `10 June 2022`.
    pub fn date(&self, d: Date) -> String {
        let (day, year) = (d.day().to_string(), d.year().to_string());
        fill(
            self.date_format,
            &[
                ("day", &day),
                ("month", self.month_name(d.month())),
                ("year", &year),
            ],
        )
    }

    /// `Juni 2022` / `June 2022`.
    pub fn month(&self, year: i32, month: u32) -> String {
        let year = year.to_string();
        fill(
            self.month_format,
            &[("month", self.month_name(month)), ("year", &year)],
        )
    }

    /// `12 Juni – 5 September 2022`, shortened when year or month repeat.
    pub fn span(&self, start: Date, end: Date) -> String {
        if start == end {
            return self.date(start);
        }
        let (start_day, end_text) = (start.day().to_string(), self.date(end));
        let args = [
            ("start_day", start_day.as_str()),
            ("start_month", self.month_name(start.month())),
            ("end", &end_text),
        ];
        if start.year() == end.year() {
            if start.month() == end.month() {
                return self.fill("format_span_same_month", &args);
            }
            return self.fill("format_span_same_year", &args);
        }
        let start_text = self.date(start);
        self.fill("format_span", &[("start", &start_text), ("end", &end_text)])
    }
}

/// `text` with each `{name}` replaced by its value in `args`, in one pass (a value is never
/// read for placeholders); an unknown `{name}` stays as written.
pub fn fill(text: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after
            .find('}')
            .and_then(|close| Some((close, args.iter().find(|(k, _)| *k == &after[..close])?)))
        {
            Some((close, (_, value))) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
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
        let theme = Theme::builtin();
        let (id, en) = (Locale::new(&theme, "id"), Locale::new(&theme, "en"));
        assert_eq!(id.number(d("1234.5"), 2), "1.234,5");
        assert_eq!(en.number(d("1234.5"), 2), "1,234.5");
        assert_eq!(id.number(d("1000000"), 0), "1.000.000");
        assert_eq!(id.number(d("999"), 0), "999");
        assert_eq!(en.number(d("-1234"), 0), "-1,234");
        assert_eq!(id.number(d("0.001"), 3), "0,001");
        assert_eq!(id.rupiah(d("1000000")), "Rp1.000.000");
        assert_eq!(id.percent(d("0.4525")), "45,3%");
    }

    #[test]
    fn dates_follow_the_language() {
        let theme = Theme::builtin();
        let (id, en) = (Locale::new(&theme, "id"), Locale::new(&theme, "en"));
        let day = Date::from_ymd_opt(2022, 6, 10).unwrap();
        assert_eq!(id.date(day), "10 Juni 2022");
        assert_eq!(en.date(day), "10 June 2022");
        let end = Date::from_ymd_opt(2022, 9, 5).unwrap();
        assert_eq!(id.span(day, end), "10 Juni – 5 September 2022");
        assert_eq!(id.month_short(8), "Agu");
    }

    #[test]
    fn a_language_without_strings_falls_back_to_english() {
        let mut theme = Theme::builtin();
        theme.strings.insert(
            "jv".into(),
            [("chart_record_count".to_string(), "{n} cathetan".to_string())].into(),
        );
        let jv = Locale::new(&theme, "jv");
        assert_eq!(jv.number(d("1234.5"), 1), "1,234.5");
        assert_eq!(jv.count("chart_record_count", 1, &[]), "1 cathetan");
        assert_eq!(jv.count("chart_month_count", 1, &[]), "1 month");
    }

    #[test]
    fn placeholders_are_filled_once() {
        assert_eq!(
            fill("{a} {b} {c}", &[("a", "{b}"), ("b", "x")]),
            "{b} x {c}"
        );
        assert_eq!(fill("{ open", &[]), "{ open");
    }
}
