//! What every page shows of an agreement's records: totals per commodity, progress per target
//! and deliveries per route (the portfolio's supply map draws them). Computed by
//! [`crate::figures`]; kept by the records cache for records not read.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{Date, Quantity, Unit};

/// Delivered totals of one commodity, in its unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommodityTotal {
    pub commodity: String,
    pub unit: Unit,
    /// Shipped, received or verified (never planned).
    pub delivered: Decimal,
    pub planned: Decimal,
    pub records: usize,
    pub last_delivery: Option<Date>,
    /// The sum of this commodity's quantitative targets that name no participant or
    /// offtaker, in the commodity's unit.
    pub target: Option<Decimal>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetProgress {
    pub id: String,
    pub quantity: Option<Quantity>,
    /// Delivered toward the target, in the target's unit (zero for qualitative targets).
    pub delivered: Decimal,
    /// delivered / quantity, when quantitative.
    pub progress: Option<Decimal>,
    /// Planned shipments that would count toward the target, in the target's unit.
    pub planned: Decimal,
    pub overdue: bool,
}

/// Delivered quantity along one route: participant -> offtaker (None when not published).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RouteTotal {
    pub from: String,
    pub to: Option<String>,
    pub commodity: String,
    /// In the commodity's unit.
    pub delivered: Decimal,
    pub records: usize,
}

/// One agreement's totals: what the site's own pages show of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Totals {
    pub totals: Vec<CommodityTotal>,
    pub targets: Vec<TargetProgress>,
    /// Sorted by supplier id, receiver id, commodity id.
    pub routes: Vec<RouteTotal>,
    pub delivered_records: usize,
    pub planned_records: usize,
    pub value_idr: Decimal,
}
