//! Axes: "nice" value ticks from zero in exact decimals, month ticks on a date axis, and both
//! as plotters coordinates ([`ValueCoord`], [`DateCoord`]) whose key points are exactly these
//! ticks and whose labels are the localized ones (plotters' own would print `1000.0`, and its
//! date axis, a feature of its own, has no Indonesian months).

use std::ops::Range;

use chrono::{Datelike, Months};
use plotters::coord::ranged1d::{KeyPointHint, NoDefaultFormatting, Ranged, ValueFormatter};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::model::Date;

use crate::locale::Locale;

/// Ticks of a value axis that starts at zero.
pub struct ValueAxis {
    /// 0, step, 2 step, ... up to `top` (inclusive).
    pub ticks: Vec<Decimal>,
    pub top: Decimal,
}

impl ValueAxis {
    /// At most about `count` steps from zero to at least `max`. A zero or negative `max`
    /// gives the axis 0..1.
    pub fn new(max: Decimal, count: u32) -> ValueAxis {
        let max = if max > Decimal::ZERO {
            max
        } else {
            Decimal::ONE
        };
        let raw = max.to_f64().unwrap_or(1.0) / f64::from(count.max(1));
        let mut exp = raw.log10().floor() as i32;
        let frac = raw / 10f64.powi(exp);
        let mantissa: i64 = if frac <= 1.0 {
            1
        } else if frac <= 2.0 {
            2
        } else if frac <= 5.0 {
            5
        } else {
            exp += 1;
            1
        };
        let step = decimal_pow10(mantissa, exp.clamp(-27, 27));
        let mut steps = (max / step).ceil();
        if steps < Decimal::ONE {
            steps = Decimal::ONE;
        }
        let n = steps.to_u32().unwrap_or(1).min(50);
        let ticks = (0..=n).map(|i| step * Decimal::from(i)).collect();
        ValueAxis {
            ticks,
            top: (step * Decimal::from(n)).normalize(),
        }
    }

    /// The position of `v` between 0 (at zero) and 1 (at top).
    pub fn frac(&self, v: Decimal) -> f64 {
        let top = self.top.to_f64().unwrap_or(1.0);
        if top <= 0.0 {
            return 0.0;
        }
        (v.to_f64().unwrap_or(0.0) / top).clamp(0.0, 1.0)
    }
}

/// A value axis from zero as a plotters coordinate: the mesh lines and labels are exactly the
/// axis's ticks (bold points only; there are no light lines).
#[derive(Clone)]
pub struct ValueCoord {
    top: f64,
    ticks: Vec<f64>,
    labels: Vec<String>,
}

impl ValueCoord {
    /// `labels` are the ticks' labels, in order.
    pub fn new(axis: &ValueAxis, labels: Vec<String>) -> ValueCoord {
        ValueCoord {
            top: axis.top.to_f64().unwrap_or(1.0),
            ticks: axis
                .ticks
                .iter()
                .map(|t| t.to_f64().unwrap_or(0.0))
                .collect(),
            labels,
        }
    }

    /// The top of the axis as a value of this coordinate.
    pub fn top(&self) -> f64 {
        self.top
    }
}

impl Ranged for ValueCoord {
    type FormatOption = NoDefaultFormatting;
    type ValueType = f64;

    fn map(&self, v: &f64, limit: (i32, i32)) -> i32 {
        let f = if self.top > 0.0 { v / self.top } else { 0.0 };
        limit.0 + (f64::from(limit.1 - limit.0) * f).round() as i32
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        0.0..self.top
    }
}

impl ValueFormatter<f64> for ValueCoord {
    fn format_ext(&self, v: &f64) -> String {
        self.ticks
            .iter()
            .position(|t| (t - v).abs() <= self.top * 1e-9)
            .and_then(|i| self.labels.get(i))
            .cloned()
            .unwrap_or_default()
    }
}

/// A date axis as a plotters coordinate, by days: the key points are the month ticks of a
/// [`TimeAxis`], labelled with their (localized) month or year.
#[derive(Clone)]
pub struct DateCoord {
    start: Date,
    end: Date,
    ticks: Vec<(Date, String)>,
}

impl DateCoord {
    pub fn new(start: Date, end: Date, ticks: Vec<(Date, String)>) -> DateCoord {
        DateCoord { start, end, ticks }
    }
}

impl Ranged for DateCoord {
    type FormatOption = NoDefaultFormatting;
    type ValueType = Date;

    fn map(&self, d: &Date, limit: (i32, i32)) -> i32 {
        let span = (self.end - self.start).num_days().max(1) as f64;
        let f = (*d - self.start).num_days() as f64 / span;
        limit.0 + (f64::from(limit.1 - limit.0) * f).round() as i32
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<Date> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.iter().map(|(d, _)| *d).collect()
        }
    }

    fn range(&self) -> Range<Date> {
        self.start..self.end
    }
}

impl ValueFormatter<Date> for DateCoord {
    fn format_ext(&self, d: &Date) -> String {
        self.ticks
            .iter()
            .find(|(t, _)| t == d)
            .map(|(_, label)| label.clone())
            .unwrap_or_default()
    }
}

/// `mantissa x 10^exp` exactly.
fn decimal_pow10(mantissa: i64, exp: i32) -> Decimal {
    if exp >= 0 {
        let mut d = Decimal::from(mantissa);
        for _ in 0..exp {
            d *= Decimal::TEN;
        }
        d
    } else {
        Decimal::new(mantissa, exp.unsigned_abs())
    }
}

/// The first day of `d`'s month.
pub fn month_start(d: Date) -> Date {
    d.with_day(1).expect("day 1 exists")
}

/// The first day of the month after `d`'s.
pub fn next_month(d: Date) -> Date {
    month_start(d)
        .checked_add_months(Months::new(1))
        .unwrap_or(Date::MAX)
}

/// The months of a date axis from `start` to `end`.
pub struct TimeAxis {
    pub start: Date,
    pub end: Date,
}

impl TimeAxis {
    /// Month ticks: every `k` months so that at most `max` fit, each with its label lines
    /// (month, and the year under the first tick and wherever the year changes).
    pub fn ticks(&self, l: &Locale, max: usize) -> Vec<(Date, String, Option<String>)> {
        let months = months_between(self.start, self.end) + 1;
        let step = [1u32, 2, 3, 6, 12, 24, 60, 120, 600]
            .into_iter()
            .find(|k| (months as u32).div_ceil(*k) as usize <= max)
            .unwrap_or(1200);
        let mut out = Vec::new();
        let mut d = month_start(self.start);
        if d < self.start {
            d = next_month(d);
        }
        // Yearly or coarser steps sit on Januaries.
        if step >= 12 {
            while d.month() != 1 && d <= self.end {
                d = next_month(d);
            }
        }
        let mut last_year = None;
        while d <= self.end {
            if step >= 12 {
                out.push((d, d.year().to_string(), None));
            } else {
                let m = l.month_short(d.month()).to_string();
                // The year under the first tick and wherever it changes.
                let year = (last_year != Some(d.year())).then(|| d.year().to_string());
                out.push((d, m, year));
            }
            last_year = Some(d.year());
            match d.checked_add_months(Months::new(step)) {
                Some(next) => d = next,
                None => break,
            }
        }
        out
    }
}

/// `ranges` sorted, with those that overlap or touch (`one` apart) merged.
pub fn merged<T>(mut ranges: Vec<(T, T)>, one: T) -> Vec<(T, T)>
where
    T: Ord + Copy + std::ops::Add<Output = T>,
{
    ranges.sort_unstable();
    let mut out: Vec<(T, T)> = Vec::new();
    for (a, b) in ranges {
        match out.last_mut() {
            Some(last) if a <= last.1 + one => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

/// Whole months from `a`'s month to `b`'s month.
pub fn months_between(a: Date, b: Date) -> i64 {
    i64::from(b.year() - a.year()) * 12 + i64::from(b.month()) - i64::from(a.month())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn nice_ticks_start_at_zero_and_cover_the_max() {
        let a = ValueAxis::new(d("9"), 5);
        assert_eq!(a.ticks.first(), Some(&Decimal::ZERO));
        assert_eq!(a.top, d("10"));
        let a = ValueAxis::new(d("450"), 5);
        assert_eq!(a.top, d("500"));
        let a = ValueAxis::new(d("0.001"), 4);
        assert!(a.top >= d("0.001"));
        assert!(a.top <= d("0.002"));
        let a = ValueAxis::new(d("1000000"), 5);
        assert_eq!(a.top, d("1000000"));
        let a = ValueAxis::new(Decimal::ZERO, 5);
        assert_eq!(a.top, d("1"));
    }
}
