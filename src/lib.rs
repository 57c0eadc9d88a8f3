//! sinergi: static, bilingual transparency reports for inter-regional cooperation agreements.
//!
//! The pipeline runs one way: [`load`] files -> [`validate`] into the [`model`] ->
//! [`figures`] -> rendered pages in memory -> atomic write.

pub mod diagnostics;
pub mod figures;
pub mod load;
pub mod model;
pub mod schema;
pub mod validate;

use std::path::Path;

use diagnostics::Diagnostics;
use figures::AgreementFigures;
use model::Site;

/// The outcome of loading and checking a site: the model when it could be built, its figures,
/// and every finding.
pub struct Checked {
    pub site: Option<Site>,
    pub figures: Vec<AgreementFigures>,
    pub diagnostics: Diagnostics,
}

impl Checked {
    /// `1 agreement, 14 shipment records, 4 commodities`.
    pub fn summary(&self) -> String {
        let (mut agreements, mut records, mut commodities) = (0, 0, 0);
        if let Some(site) = &self.site {
            agreements = site.agreements.len();
            for a in &site.agreements {
                records += a.shipments.len();
                commodities += a.commodities.len();
            }
        }
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        format!(
            "{}, {}, {}",
            plural(agreements, "agreement", "agreements"),
            plural(records, "shipment record", "shipment records"),
            plural(commodities, "commodity", "commodities")
        )
    }
}

/// Loads the site in `root` and runs every check (what `sinergi check` does).
pub fn check(root: &Path) -> Checked {
    let mut diagnostics = Diagnostics::default();
    let loaded = load::load(root, &mut diagnostics);
    let site = validate::validate(&loaded, &mut diagnostics);
    let figures = site.as_ref().map(figures::site).unwrap_or_default();
    if let Some(site) = &site {
        diagnostics.extend(figures::warnings(site, &figures));
    }
    diagnostics.sort();
    Checked {
        site,
        figures,
        diagnostics,
    }
}
