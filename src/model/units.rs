//! Units, quantities and exact conversions between them.

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// What a unit measures; units convert freely only inside one dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Dimension {
    Mass,
    Head,
    Egg,
    Pack,
    Truck,
    Volume,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Unit {
    #[serde(rename = "kg")]
    Kg,
    #[serde(rename = "kuintal")]
    Kuintal,
    #[serde(rename = "t")]
    T,
    #[serde(rename = "head")]
    Head,
    #[serde(rename = "egg")]
    Egg,
    #[serde(rename = "pack")]
    Pack,
    #[serde(rename = "truck")]
    Truck,
    #[serde(rename = "l")]
    L,
}

impl Unit {
    pub const ALL: [Unit; 8] = [
        Unit::Kg,
        Unit::Kuintal,
        Unit::T,
        Unit::Head,
        Unit::Egg,
        Unit::Pack,
        Unit::Truck,
        Unit::L,
    ];

    /// Reads a unit as officials write it, in English or Indonesian.
    pub fn parse(s: &str) -> Option<Unit> {
        Some(match s.trim() {
            "kg" => Unit::Kg,
            "kuintal" => Unit::Kuintal,
            "t" | "ton" => Unit::T,
            "head" | "ekor" => Unit::Head,
            "egg" | "butir" => Unit::Egg,
            "pack" | "paket" => Unit::Pack,
            "truck" | "truk" => Unit::Truck,
            "l" | "liter" => Unit::L,
            _ => return None,
        })
    }

    /// The canonical code, as in data downloads.
    pub fn code(self) -> &'static str {
        super::variant_name(&self)
    }

    pub fn dimension(self) -> Dimension {
        match self {
            Unit::Kg | Unit::Kuintal | Unit::T => Dimension::Mass,
            Unit::Head => Dimension::Head,
            Unit::Egg => Dimension::Egg,
            Unit::Pack => Dimension::Pack,
            Unit::Truck => Dimension::Truck,
            Unit::L => Dimension::Volume,
        }
    }

    /// How many of the dimension's base unit (kg for mass) one of this unit is.
    fn in_base(self) -> Decimal {
        match self {
            Unit::Kuintal => Decimal::ONE_HUNDRED,
            Unit::T => Decimal::ONE_THOUSAND,
            _ => Decimal::ONE,
        }
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A commodity-specific factor across dimensions: `1 from = factor to`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conversion {
    pub from: Unit,
    pub to: Unit,
    pub factor: Decimal,
}

/// An exact amount in a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quantity {
    pub amount: Decimal,
    pub unit: Unit,
}

impl Quantity {
    pub fn new(amount: Decimal, unit: Unit) -> Quantity {
        Quantity { amount, unit }
    }

    /// This quantity in `target`, using built-in factors inside a dimension and the commodity's
    /// `conversions` across dimensions (in either direction). `None` when no path exists.
    pub fn convert(self, target: Unit, conversions: &[Conversion]) -> Option<Quantity> {
        let amount = convert_amount(self.amount, self.unit, target, conversions)?;
        Some(Quantity::new(amount.normalize(), target))
    }
}

fn convert_amount(
    amount: Decimal,
    from: Unit,
    to: Unit,
    conversions: &[Conversion],
) -> Option<Decimal> {
    if from.dimension() == to.dimension() {
        return amount
            .checked_mul(from.in_base())?
            .checked_div(to.in_base());
    }
    for c in conversions {
        if c.from.dimension() == from.dimension() && c.to.dimension() == to.dimension() {
            let in_from = convert_amount(amount, from, c.from, &[])?;
            let in_to = in_from.checked_mul(c.factor)?;
            return convert_amount(in_to, c.to, to, &[]);
        }
        if c.to.dimension() == from.dimension() && c.from.dimension() == to.dimension() {
            let in_to = convert_amount(amount, from, c.to, &[])?;
            let in_from = in_to.checked_div(c.factor)?;
            return convert_amount(in_from, c.from, to, &[]);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn sums_and_conversions_are_exact() {
        assert_eq!(d("0.1") + d("0.2"), d("0.3"));
        let q = Quantity::new(d("7500"), Unit::Kg)
            .convert(Unit::T, &[])
            .unwrap();
        assert_eq!(q.amount, d("7.5"));
        let q = Quantity::new(d("3"), Unit::Kuintal)
            .convert(Unit::Kg, &[])
            .unwrap();
        assert_eq!(q.amount, d("300"));
    }

    #[test]
    fn cross_dimension_only_through_commodity_conversions() {
        let eggs = [Conversion {
            from: Unit::Kg,
            to: Unit::Egg,
            factor: d("16"),
        }];
        assert_eq!(Quantity::new(d("1"), Unit::T).convert(Unit::Egg, &[]), None);
        let q = Quantity::new(d("1"), Unit::T)
            .convert(Unit::Egg, &eggs)
            .unwrap();
        assert_eq!(q.amount, d("16000"));
        let q = Quantity::new(d("160"), Unit::Egg)
            .convert(Unit::Kg, &eggs)
            .unwrap();
        assert_eq!(q.amount, d("10"));
    }

    #[test]
    fn indonesian_unit_words() {
        assert_eq!(Unit::parse("ekor"), Some(Unit::Head));
        assert_eq!(Unit::parse("ton"), Some(Unit::T));
        assert_eq!(Unit::parse("butir"), Some(Unit::Egg));
        assert_eq!(Unit::parse("kontainer"), None);
    }
}
