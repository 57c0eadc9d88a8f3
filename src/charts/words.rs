//! Chart wording from the interface strings: unit names and number labels.

use rust_decimal::Decimal;

use crate::locale::Locale;
use crate::model::Unit;

/// A unit as readers write it after `amount` (`chart_unit_<code>`, `_one` for 1).
pub fn unit_name<'k>(unit: Unit, l: &Locale<'k>, amount: Decimal) -> &'k str {
    l.plural_label(
        &format!("chart_unit_{}", unit.code()),
        amount == Decimal::ONE,
    )
}

/// The unit as an axis or column label (the form for many).
pub fn unit_label<'k>(unit: Unit, l: &Locale<'k>) -> &'k str {
    unit_name(unit, l, Decimal::TWO)
}

const MILLION: Decimal = Decimal::from_parts(1_000_000, 0, 0, false, 0);

/// Powers of ten written as a word, largest first.
const SCALES: [(u32, &str); 3] = [
    (12, "number_trillion"),
    (9, "number_billion"),
    (6, "number_million"),
];

fn power(exp: u32) -> Decimal {
    Decimal::from_i128_with_scale(10i128.pow(exp), 0)
}

/// A number for a chart label, rounded to what a reader can take in at a glance: no
/// decimals from 1,000 on, one from 10, two from 1, three below (a smaller non-zero amount
/// keeps all its digits, never reading as 0), and from a million on in words (`1,5 juta`,
/// `2 billion`). Tables and descriptions use [`Locale::exact`].
pub fn label_number(d: Decimal, l: &Locale) -> String {
    let abs = d.abs();
    // A trillion-fold stays in trillions: 1.000 triliun rather than an overflow.
    if let Some((exp, key)) = SCALES.iter().find(|(exp, _)| abs >= power(*exp)) {
        return format!("{} {}", l.number(d / power(*exp), 2), l.s(key));
    }
    let frac = if abs >= Decimal::ONE_THOUSAND {
        0
    } else if abs >= Decimal::TEN {
        1
    } else if abs >= Decimal::ONE {
        2
    } else {
        3
    };
    let r = l.number(d, frac);
    if !d.is_zero() && (r == "0" || r == "-0") {
        l.exact(d)
    } else {
        r
    }
}

/// Labels of an axis's ticks: all in the scale word of the top tick when it reaches a million
/// (`0`, `0,5 juta`, `1 juta`), so one axis never mixes `500.000` with `1 juta`.
pub fn axis_labels(ticks: &[Decimal], l: &Locale) -> Vec<String> {
    let top = ticks.iter().copied().max().unwrap_or_default();
    if top < MILLION {
        return ticks.iter().map(|t| label_number(*t, l)).collect();
    }
    let (exp, key) = SCALES
        .iter()
        .find(|(e, _)| top >= power(*e))
        .copied()
        .unwrap_or(SCALES[2]);
    let word = l.s(key);
    ticks
        .iter()
        .map(|t| {
            if t.is_zero() {
                "0".to_string()
            } else {
                format!("{} {word}", l.number(*t / power(exp), 3))
            }
        })
        .collect()
}

/// `9 ton`, `30 ekor`, `5 trucks`.
pub fn label_quantity(d: Decimal, unit: Unit, l: &Locale) -> String {
    format!("{} {}", label_number(d, l), unit_name(unit, l, d))
}

/// A quantity for a table or description: every written digit.
pub fn exact_quantity(d: Decimal, unit: Unit, l: &Locale) -> String {
    format!("{} {}", l.exact(d), unit_name(unit, l, d))
}

/// A count, grouped the way the language groups thousands.
pub fn count(n: usize, l: &Locale) -> String {
    l.number(Decimal::from(n), 0)
}

/// `2 catatan` / `1 record`, `2 records`.
pub fn records(n: usize, l: &Locale) -> String {
    l.count("chart_record_count", n, &[])
}

/// The first letter upper case.
pub fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::theme::Theme;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn labels_stay_short_and_exact() {
        let theme = Theme::builtin();
        let (id, en) = (Locale::new(&theme, "id"), Locale::new(&theme, "en"));
        assert_eq!(label_number(d("1234.5"), &id), "1.235");
        assert_eq!(label_number(d("37849.42"), &en), "37,849");
        assert_eq!(label_number(d("12.345"), &id), "12,3");
        assert_eq!(label_number(d("0.001"), &id), "0,001");
        assert_eq!(label_number(d("0.0001"), &en), "0.0001");
        assert_eq!(label_number(d("1500000"), &id), "1,5 juta");
        assert_eq!(label_number(d("1000000000"), &en), "1 billion");
        assert_eq!(label_quantity(d("5"), Unit::Truck, &en), "5 trucks");
        assert_eq!(
            axis_labels(&[d("0"), d("500000"), d("1000000")], &id),
            ["0", "0,5 juta", "1 juta"]
        );
        assert_eq!(label_quantity(d("1"), Unit::Truck, &en), "1 truck");
        assert_eq!(label_quantity(d("9"), Unit::T, &id), "9 ton");
    }
}
