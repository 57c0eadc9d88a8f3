//! What a shared link to an agreement's page shows: the share image `preview.png` of the page's
//! language (see [`crate::preview`]), and the text alternative its pages declare with it.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::views::{self, Lang};
use crate::locale::Locale;
use crate::model::{Agreement, Quantity, Site, Totals};
use crate::preview::{Card, Figure};

/// The image's path beside the agreement's pages, before the language's folder.
pub(super) fn path(slug: &str) -> String {
    format!("agreements/{slug}/preview.png")
}

/// The card of agreement `a` in the language of `loc`.
pub(super) fn card(site: &Site, a: &Agreement, totals: &Totals, loc: &Locale) -> Card {
    let l = Lang {
        lang: loc.lang,
        default: site.default_language(),
        loc,
    };
    // Each quantitative target, then what was delivered of each commodity no target names.
    let mut named: Vec<&str> = Vec::new();
    let mut figures: Vec<Figure> = Vec::new();
    for (t, p) in a.targets.iter().zip(&totals.targets) {
        let Some(quantity) = p.quantity else { continue };
        let scope = views::target_scope(&l, a, t);
        named.extend(t.commodity.as_deref());
        let delivered = l.qty(Quantity::new(p.delivered, quantity.unit));
        let ratio = p.progress.unwrap_or(Decimal::ZERO);
        figures.push(Figure {
            name: if scope.is_empty() {
                l.text(&t.title).to_string()
            } else {
                scope.join(" · ")
            },
            detail: loc.fill(
                "preview_delivered_of",
                &[("delivered", &delivered), ("target", &l.qty(quantity))],
            ),
            progress: Some(loc.percent(ratio)),
            ratio: Some(
                ratio
                    .clamp(Decimal::ZERO, Decimal::ONE)
                    .to_f32()
                    .unwrap_or(0.0),
            ),
        });
    }
    for (c, t) in a.commodities.iter().zip(&totals.totals) {
        if t.records == 0 || named.contains(&c.id.as_str()) {
            continue;
        }
        let delivered = l.qty(Quantity::new(t.delivered, t.unit));
        figures.push(Figure {
            name: l.text(&c.name).to_string(),
            detail: loc.fill("preview_delivered", &[("delivered", &delivered)]),
            progress: None,
            ratio: None,
        });
    }
    Card {
        kicker: format!("{} · {}", a.kind, l.text(&site.title)),
        title: l.text(&a.title).to_string(),
        parties: a
            .parties
            .iter()
            .map(|p| l.text(&p.name).to_string())
            .collect(),
        figures,
        no_figures: loc.s("no_deliveries").to_string(),
        more: loc.s("preview_more").to_string(),
        as_of: site
            .as_of
            .map(|d| format!("{} {}", loc.s("data_as_of"), loc.date(d))),
    }
}

/// The image's text alternative: what the card says, in sentences.
pub(super) fn alt(card: &Card) -> String {
    let mut parts = vec![card.title.clone(), card.parties.join(", ")];
    if card.figures.is_empty() {
        parts.push(card.no_figures.trim_end_matches('.').to_string());
    }
    for f in &card.figures {
        match &f.progress {
            Some(p) => parts.push(format!("{}: {} ({p})", f.name, f.detail)),
            None => parts.push(format!("{}: {}", f.name, f.detail)),
        }
    }
    parts.extend(card.as_of.clone());
    let mut alt = parts
        .iter()
        .map(|p| p.trim().trim_end_matches('.'))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(". ");
    alt.push('.');
    alt
}
