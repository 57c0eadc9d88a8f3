//! Checks every chart test shares: the SVG is well-formed XML with the accessible root the
//! page relies on.

#![allow(dead_code)]

use std::collections::BTreeSet;

use sinergi::charts::Chart;
use sinergi::locale::Locale;
use sinergi::theme::Theme;

/// The built-in words and formats of `lang`.
pub fn loc(lang: &str) -> Locale<'static> {
    static THEME: std::sync::OnceLock<Theme> = std::sync::OnceLock::new();
    let lang: &'static str = match lang {
        "id" => "id",
        "en" => "en",
        other => Box::leak(other.to_string().into_boxed_str()),
    };
    Locale::new(THEME.get_or_init(Theme::builtin), lang)
}

/// Asserts the structural rules of one chart's SVG; `prefix` is the expected id prefix
/// (`chart-<slug>-<name>`).
pub fn check_chart(chart: &Chart, prefix: &str) {
    let svg = &chart.svg;
    let doc = roxmltree::Document::parse(svg)
        .unwrap_or_else(|e| panic!("{}: SVG is not XML: {e}\n{svg}", chart.name));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg", "{}", chart.name);
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2000/svg"),
        "{}: xmlns",
        chart.name
    );
    let view_box = root.attribute("viewBox").expect("viewBox");
    let parts: Vec<f64> = view_box
        .split(' ')
        .map(|p| p.parse().expect("viewBox number"))
        .collect();
    assert_eq!(parts.len(), 4);
    assert_eq!(parts[2], 560.0, "{}: width of the viewBox", chart.name);
    assert!(parts[3] > 0.0);
    assert!(root.attribute("width").is_none(), "{}: width", chart.name);
    assert!(root.attribute("height").is_none(), "{}: height", chart.name);
    assert_eq!(root.attribute("role"), Some("img"));
    assert_eq!(
        root.attribute("aria-labelledby"),
        Some(format!("{prefix}-title {prefix}-desc").as_str()),
        "{}",
        chart.name
    );
    assert_eq!(root.attribute("font-family"), Some("sans-serif"));

    let child = |name: &str| {
        root.children()
            .find(|n| n.is_element() && n.tag_name().name() == name)
            .unwrap_or_else(|| panic!("{}: no <{name}>", chart.name))
    };
    let title = child("title");
    assert_eq!(
        title.attribute("id"),
        Some(format!("{prefix}-title").as_str())
    );
    assert_eq!(title.text(), Some(chart.title.as_str()));
    let desc = child("desc");
    assert_eq!(
        desc.attribute("id"),
        Some(format!("{prefix}-desc").as_str())
    );
    assert_eq!(desc.text(), Some(chart.description.as_str()));
    assert!(!chart.description.is_empty());

    let mut ids = BTreeSet::new();
    for node in doc.descendants().filter(|n| n.is_element()) {
        assert_ne!(node.tag_name().name(), "script", "{}", chart.name);
        assert_ne!(node.tag_name().name(), "image", "{}", chart.name);
        if let Some(id) = node.attribute("id") {
            assert!(
                id.starts_with(prefix),
                "{}: id {id} lacks the prefix",
                chart.name
            );
            assert!(ids.insert(id.to_string()), "{}: id {id} twice", chart.name);
        }
        if let Some(size) = node.attribute("font-size") {
            let size: f64 = size.parse().expect("font-size number");
            assert!(size >= 12.0, "{}: font-size {size}", chart.name);
        }
        if let Some(family) = node.attribute("font-family") {
            assert_eq!(family, "sans-serif");
        }
        for a in node.attributes() {
            assert!(
                !a.value().contains("http") || a.name() == "xmlns",
                "{}: external reference {}={}",
                chart.name,
                a.name(),
                a.value()
            );
        }
    }
    for row in &chart.table.rows {
        assert_eq!(
            row.len(),
            chart.table.headers.len(),
            "{}: table row width",
            chart.name
        );
    }
    assert!(!chart.table.caption.is_empty());
}

/// Every piece of text the SVG shows, in document order (plotters writes a text on a line of
/// its own inside `<text>`; the line breaks around it are not shown).
pub fn texts(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).expect("XML");
    doc.descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == "text")
        .map(|n| n.text().unwrap_or("").trim().to_string())
        .collect()
}

/// All `<title>` texts (the root's and the tooltips of shortened labels).
pub fn titles(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).expect("XML");
    doc.descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == "title")
        .map(|n| n.text().unwrap_or("").to_string())
        .collect()
}

/// How many elements named `tag` have every attribute of `attrs` (name, value).
pub fn count(svg: &str, tag: &str, attrs: &[(&str, &str)]) -> usize {
    let doc = roxmltree::Document::parse(svg).expect("XML");
    doc.descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == tag)
        .filter(|n| attrs.iter().all(|(k, v)| n.attribute(*k) == Some(*v)))
        .count()
}

/// The colours of the hatchings' stripes (SVG patterns): white over a period total or an
/// overdue bar, dark over a receiver not published, grey over a period's span.
pub const HATCH: &str = "#FFFFFF";
pub const UNPUBLISHED: &str = "#4D4D4D";
pub const BAND: &str = "#BDBDBD";

/// Lines drawn with every attribute of `attrs`: one per `<polyline>`, and one per subpath of a
/// `<path>` (the charts join a run of strokes of one style into one path).
pub fn strokes(svg: &str, attrs: &[(&str, &str)]) -> usize {
    let doc = roxmltree::Document::parse(svg).expect("XML");
    doc.descendants()
        .filter(|n| n.is_element() && attrs.iter().all(|(k, v)| n.attribute(*k) == Some(*v)))
        .map(|n| match n.tag_name().name() {
            "polyline" => 1,
            "path" => n.attribute("d").unwrap_or("").matches('M').count(),
            _ => 0,
        })
        .sum()
}

/// Shapes (a `<rect>`, or a rectangle of a `<path>`) with every attribute of `attrs`; the
/// charts join a run of rectangles of one style into one path.
pub fn shapes(svg: &str, attrs: &[(&str, &str)]) -> usize {
    let doc = roxmltree::Document::parse(svg).expect("XML");
    doc.descendants()
        .filter(|n| n.is_element() && attrs.iter().all(|(k, v)| n.attribute(*k) == Some(*v)))
        .map(|n| match n.tag_name().name() {
            "rect" | "circle" | "polygon" => 1,
            "path" => n.attribute("d").unwrap_or("").matches('M').count(),
            _ => 0,
        })
        .sum()
}

/// Bars drawn as planned: a pale tint (with their dashed outline, or under it).
pub fn pale_bars(svg: &str) -> usize {
    shapes(svg, &[("opacity", "0.18")]) + shapes(svg, &[("fill-opacity", "0.18")])
}

/// Shapes filled with a pattern of stripes in `colour` (one of [`HATCH`], [`UNPUBLISHED`],
/// [`BAND`]), which must be defined in the chart itself and be visible: a stripe at least a
/// unit wide, no more than 8 units apart.
pub fn hatched(svg: &str, colour: &str) -> usize {
    let doc = roxmltree::Document::parse(svg).expect("XML");
    let patterns: Vec<String> = doc
        .descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == "pattern")
        .filter(|p| {
            let size: f64 = p.attribute("width").unwrap_or("99").parse().unwrap();
            p.descendants().any(|s| {
                s.attribute("stroke") == Some(colour)
                    && s.attribute("stroke-width")
                        .unwrap_or("1")
                        .parse::<f64>()
                        .unwrap()
                        >= 1.0
            }) && size <= 8.0
        })
        .map(|p| format!("url(#{})", p.attribute("id").expect("a pattern's id")))
        .collect();
    patterns
        .iter()
        .map(|fill| shapes(svg, &[("fill", fill.as_str())]))
        .sum()
}

/// A chart as one readable snapshot: words first, then the table, then the SVG.
pub fn snapshot(chart: &Chart) -> String {
    let mut out = String::new();
    out.push_str(&format!("name: {}\ntitle: {}\n", chart.name, chart.title));
    out.push_str(&format!("description: {}\n", chart.description));
    out.push_str(&format!("note: {}\n", chart.note.as_deref().unwrap_or("-")));
    out.push_str(&format!("table: {}\n", chart.table.caption));
    out.push_str(&format!("  | {} |\n", chart.table.headers.join(" | ")));
    for row in &chart.table.rows {
        out.push_str(&format!("  | {} |\n", row.join(" | ")));
    }
    out.push_str("svg:\n");
    out.push_str(&chart.svg);
    out
}

// ---------------------------------------------------------------------------------------------
// Synthetic agreements.

use std::str::FromStr;

use rust_decimal::Decimal;
use sinergi::diagnostics::Pos;
use sinergi::model::{
    Agreement, AgreementStatus, Commodity, Date, Offtaker, Participant, Party, Quantity, Records,
    Shipment, ShipmentStatus, Target, Text, Totals, Unit, Verification, When,
};

pub fn date(s: &str) -> Date {
    Date::from_str(s).expect("a date")
}

pub fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).expect("a decimal")
}

/// An agreement with two parties and the given commodities `(id, name, unit)`, no shipments.
pub fn agreement(slug: &str, commodities: &[(&str, &str, Unit)]) -> Agreement {
    let party = |id: &str| Party {
        id: id.to_string(),
        name: Text::plain(id),
        role: None,
        signatory: None,
        location: None,
        region: None,
    };
    Agreement {
        slug: slug.to_string(),
        title: Text::plain(format!("Agreement {slug}")),
        kind: "KAD".to_string(),
        status: AgreementStatus::Active,
        signed: date("2022-06-10"),
        start: date("2022-06-10"),
        end: None,
        summary: None,
        parties: vec![party("supplier-region"), party("buyer-region")],
        facilitators: vec![],
        contacts: vec![],
        commodities: commodities
            .iter()
            .map(|(id, name, unit)| Commodity {
                id: id.to_string(),
                name: Text::plain(*name),
                unit: *unit,
                conversions: vec![],
            })
            .collect(),
        participants: vec![],
        offtakers: vec![],
        targets: vec![],
        milestones: vec![],
        documents: vec![],
        sources: vec![],
        issues: vec![],
        report: None,
        pages: vec![],
        records_digest: 1,
        records: Records::Read(vec![]),
    }
}

/// The records of an agreement built here (always read).
fn shipments(a: &mut Agreement) -> &mut Vec<Shipment> {
    match &mut a.records {
        Records::Read(shipments) => shipments,
        Records::Summarized(_) => panic!("test agreements have their records"),
    }
}

/// Every chart of an agreement whose records were read, with its totals `t`.
pub fn charts(a: &Agreement, t: &Totals, l: &Locale, default_lang: &str) -> Vec<Chart> {
    let a = a.read().expect("records read");
    let f = sinergi::figures::agreement(&a, t);
    sinergi::charts::agreement_charts(&a, &f, l, default_lang)
}

pub fn participant(a: &mut Agreement, id: &str, name: &str) {
    let commodities = a.commodities.iter().map(|c| c.id.clone()).collect();
    a.participants.push(Participant {
        id: id.to_string(),
        name: Text::plain(name),
        kind: None,
        party: "supplier-region".to_string(),
        commodities,
        location: None,
        region: None,
    });
}

pub fn offtaker(a: &mut Agreement, id: &str, name: &str) {
    a.offtakers.push(Offtaker {
        id: id.to_string(),
        name: Text::plain(name),
        party: "buyer-region".to_string(),
        location: None,
        region: None,
    });
}

/// Puts the party, participant or offtaker `id` at (`lat`, `lon`).
pub fn locate(a: &mut Agreement, id: &str, lat: &str, lon: &str) {
    let at = Some(sinergi::model::Location {
        lat: dec(lat),
        lon: dec(lon),
    });
    if let Some(p) = a.parties.iter_mut().find(|p| p.id == id) {
        p.location = at;
    } else if let Some(p) = a.participants.iter_mut().find(|p| p.id == id) {
        p.location = at;
    } else if let Some(o) = a.offtakers.iter_mut().find(|o| o.id == id) {
        o.location = at;
    } else {
        panic!("no party, participant or offtaker `{id}`");
    }
}

/// A quantitative target; `who` names (participant, offtaker) when the target is narrower
/// than the commodity.
pub fn target(a: &mut Agreement, id: &str, commodity: &str, quantity: &str, unit: Unit) {
    a.targets.push(Target {
        id: id.to_string(),
        title: Text::plain(format!("Target {id}")),
        commodity: Some(commodity.to_string()),
        participant: None,
        offtaker: None,
        quantity: Some(Quantity::new(dec(quantity), unit)),
        start: None,
        due: None,
        file: "agreement.yaml".to_string(),
        pos: Pos::START,
    });
}

/// A shipment in the commodity's unit; `to` None = receiver not published.
#[allow(clippy::too_many_arguments)]
pub fn ship(
    a: &mut Agreement,
    id: &str,
    when: When,
    from: &str,
    to: Option<&str>,
    commodity: &str,
    quantity: &str,
    status: ShipmentStatus,
) {
    let c = a.commodity(commodity).expect("a commodity");
    let q = Quantity::new(dec(quantity), c.unit);
    shipments(a).push(Shipment {
        id: id.to_string(),
        when,
        from: from.to_string(),
        to: to.map(str::to_string),
        commodity: commodity.to_string(),
        written: q,
        quantity: q,
        status,
        verification: Verification::Reported,
        sources: vec![],
        document: None,
        value_idr: None,
        approx: false,
        note: None,
        illustrative: false,
        file: "shipments/x.yaml".into(),
        pos: Pos::START,
    });
}

/// Sorts shipments as the validator leaves them: by date (a period by its end), then id.
pub fn sort(a: &mut Agreement) {
    shipments(a).sort_by(|x, y| x.when.end().cmp(&y.when.end()).then(x.id.cmp(&y.id)));
}

/// Every id in every SVG of one page (one agreement's charts), for uniqueness checks.
pub fn all_ids(svgs: &[&str]) -> Vec<String> {
    let mut ids = Vec::new();
    for svg in svgs {
        let doc = roxmltree::Document::parse(svg).expect("XML");
        for n in doc.descendants().filter(|n| n.is_element()) {
            if let Some(id) = n.attribute("id") {
                ids.push(id.to_string());
            }
        }
    }
    ids
}
