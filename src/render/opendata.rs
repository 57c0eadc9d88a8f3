//! Open data: per-agreement `shipments.csv`, `data.json` and `records.js` (the ledger filter's
//! data), the root `data.json`, the Atom feed and the sitemap.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{Value, json};

use super::Files;
use crate::figures::{AgreementFigures, Totals};
use crate::locale::Locale;
use crate::model::*;
use crate::xml;

pub(super) const CSV_HEADER: &str =
    "id,date,from,to,commodity,quantity,unit,status,verification,document,value_idr,sources,note";

/// Marks a decimal for [`to_json`], which writes it as a JSON number with exactly its digits
/// (serde_json alone would go through a float).
fn number(d: Decimal) -> Value {
    Value::String(format!("{NUMBER_MARK}{}", d.normalize()))
}

const NUMBER_MARK: char = '\u{1}';

/// Like [`to_json`] without indentation: per-agreement data holds every record.
fn to_json_compact(v: &impl Serialize) -> String {
    unmark(&serde_json::to_string(v).expect("data serializes"))
}

/// Pretty JSON in which every [`number`] becomes a bare number. Control characters never come
/// from the data (they are stripped from text first), so only our marks match.
fn to_json(v: &Value) -> String {
    unmark(&serde_json::to_string_pretty(v).expect("data serializes"))
}

/// Replaces each marked decimal string with the bare number and ends the text with a newline.
fn unmark(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("\"\\u0001") {
        out.push_str(&rest[..i]);
        let after = &rest[i + "\"\\u0001".len()..];
        let end = after.find('"').unwrap_or(after.len());
        let digits = &after[..end];
        if Decimal::from_str(digits).is_ok() {
            out.push_str(digits);
            rest = &after[(end + 1).min(after.len())..];
        } else {
            out.push('"');
            rest = &rest[i + 1..];
        }
    }
    out.push_str(rest);
    out.push('\n');
    out
}

/// Text for data files: control characters removed.
pub(super) fn plain(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .collect()
}

/// One agreement's `data.json` (compact: it holds every record) and `shipments.csv`.
pub(super) fn agreement(site: &Site, a: &ReadAgreement, f: &AgreementFigures, files: &mut Files) {
    let default = site.default_language();
    let text = to_json_compact(&agreement_json(site, *a, f, totals(f)));
    let dir = format!("agreements/{}", a.slug);
    files.insert(format!("{dir}/data.json"), text.into_bytes());
    files.insert(format!("{dir}/shipments.csv"), csv(a, default).into_bytes());
    // The filter's data, for a ledger that has records to filter.
    if !a.shipments.is_empty() {
        files.insert(
            format!("{dir}/records.js"),
            super::records::records_js(site, a).into_bytes(),
        );
        for lang in &site.languages {
            if let Some(js) = super::records::notes_js(a, lang, default) {
                files.insert(format!("{dir}/notes.{lang}.js"), js.into_bytes());
            }
        }
    }
}

/// The root `data.json`: every agreement with its totals.
pub(super) fn index(site: &Site, figures: &[Totals], files: &mut Files) {
    let default = site.default_language();
    let index: Vec<Value> = site
        .agreements
        .iter()
        .zip(figures)
        .map(|(a, f)| json!({"slug": a.slug, "title": plain(a.title.get(default, default)), "totals": totals(f)}))
        .collect();
    let text = to_json(&json!({"agreements": index}));
    files.insert("data.json".into(), text.into_bytes());
}

fn totals(f: &Totals) -> Vec<Value> {
    f.totals
        .iter()
        .map(|t| json!({"commodity": t.commodity, "unit": t.unit.code(), "quantity": number(t.delivered)}))
        .collect()
}

fn agreement_json<'a>(
    site: &Site,
    read: ReadAgreement<'a>,
    f: &AgreementFigures,
    totals: Vec<Value>,
) -> AgreementData<'a> {
    let (a, shipments) = (read.agreement, read.shipments);
    let default = site.default_language();
    let targets: Vec<Value> = a
        .targets
        .iter()
        .zip(&f.targets)
        .map(|(t, p)| {
            let mut v = json!({"id": t.id, "title": plain(t.title.get(default, default))});
            if let Some(q) = p.quantity {
                v["quantity"] = number(q.amount);
                v["unit"] = json!(q.unit.code());
            }
            v["delivered"] = number(p.delivered);
            if let Some(pr) = p.progress {
                v["progress"] = number(pr.round_dp(6));
            }
            if let Some(d) = t.due {
                v["due"] = json!(d.to_string());
            }
            v
        })
        .collect();
    let shipments: Vec<ShipmentData> = shipments
        .iter()
        .map(|s| {
            let (date, period) = match s.when {
                When::Day(d) => (Some(d.to_string()), None),
                When::Span { start, end } => (
                    None,
                    Some(Period {
                        start: start.to_string(),
                        end: end.to_string(),
                    }),
                ),
            };
            ShipmentData {
                id: &s.id,
                date,
                period,
                from: &s.from,
                to: s.to.as_deref(),
                commodity: &s.commodity,
                quantity: Num(s.quantity.amount),
                unit: s.quantity.unit.code(),
                written: (s.written.unit != s.quantity.unit
                    || s.written.amount != s.quantity.amount)
                    .then(|| Written {
                        quantity: Num(s.written.amount),
                        unit: s.written.unit.code(),
                    }),
                status: s.status.code(),
                verification: s.verification.code(),
                sources: &s.sources,
                document: s.document.as_deref(),
                value_idr: s.value_idr.map(Num),
                approx: s.approx,
                illustrative: s.illustrative,
                note: s.note.as_ref().map(|n| plain(n.get(default, default))),
            }
        })
        .collect();
    let actor = |id: &'a str,
                 name: &Text,
                 party: Option<&'a str>,
                 location: Option<Location>,
                 region: Option<&'a str>| Actor {
        id,
        name: plain(name.get(default, default)),
        party,
        location: location.map(|l| Point {
            lat: Num(l.lat),
            lon: Num(l.lon),
        }),
        region,
    };
    AgreementData {
        slug: &a.slug,
        title: plain(a.title.get(default, default)),
        as_of: site.as_of.map(|d| d.to_string()),
        status: a.status,
        signed: a.signed.to_string(),
        parties: a
            .parties
            .iter()
            .map(|p| actor(&p.id, &p.name, None, p.location, p.region.as_deref()))
            .collect(),
        participants: a
            .participants
            .iter()
            .map(|p| {
                actor(
                    &p.id,
                    &p.name,
                    Some(&p.party),
                    p.location,
                    p.region.as_deref(),
                )
            })
            .collect(),
        offtakers: a
            .offtakers
            .iter()
            .map(|o| {
                actor(
                    &o.id,
                    &o.name,
                    Some(&o.party),
                    o.location,
                    o.region.as_deref(),
                )
            })
            .collect(),
        facilitators: a
            .facilitators
            .iter()
            .map(|f| actor(&f.id, &f.name, None, f.location, f.region.as_deref()))
            .collect(),
        totals,
        targets,
        shipment_columns: &SHIPMENT_COLUMNS,
        shipments,
    }
}

/// An agreement's `data.json`. Shipments are typed rather than `Value`s: they are most of the
/// file, and a typed record serializes several times faster. A record is a row of values under
/// `shipment_columns` rather than an object that repeats the names.
#[derive(Serialize)]
struct AgreementData<'a> {
    slug: &'a str,
    title: String,
    as_of: Option<String>,
    status: AgreementStatus,
    signed: String,
    parties: Vec<Actor<'a>>,
    participants: Vec<Actor<'a>>,
    offtakers: Vec<Actor<'a>>,
    facilitators: Vec<Actor<'a>>,
    totals: Vec<Value>,
    targets: Vec<Value>,
    shipment_columns: &'static [&'static str],
    shipments: Vec<ShipmentData<'a>>,
}

/// A party, participant, offtaker or facilitator with where it is, when given.
#[derive(Serialize)]
struct Actor<'a> {
    id: &'a str,
    name: String,
    /// The party a participant or offtaker belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    party: Option<&'a str>,
    location: Option<Point>,
    region: Option<&'a str>,
}

#[derive(Serialize)]
struct Point {
    lat: Num,
    lon: Num,
}

/// The names of the values of each row of `shipments`, in order: every agreement's `data.json`
/// has all of them, so that a column has the same position in every file. The columns every
/// row writes come first; after them, the ones usually at their default, the most used first.
const SHIPMENT_COLUMNS: [&str; 17] = [
    "id",
    "date",
    "from",
    "to",
    "commodity",
    "quantity",
    "unit",
    "status",
    "verification",
    "sources",
    "period",
    "written",
    "note",
    "document",
    "value_idr",
    "approx",
    "illustrative",
];

/// How many of [`SHIPMENT_COLUMNS`] every row writes, up to and including `sources`.
const ALWAYS_WRITTEN: usize = 10;

/// One record, written as an array of its values in the order of [`SHIPMENT_COLUMNS`] (the
/// names are written once per file, not once per record). The row ends after its last value
/// that is not its column's default, so a value missing from the end of a row is at its
/// default: `null` for `period` (a dated record), `written` (the quantity and unit as written),
/// `note`, `document` and `value_idr`; `false` for `approx` and `illustrative`. `date` is
/// always written, `null` for a period record.
struct ShipmentData<'a> {
    id: &'a str,
    date: Option<String>,
    period: Option<Period>,
    from: &'a str,
    to: Option<&'a str>,
    commodity: &'a str,
    quantity: Num,
    unit: &'static str,
    written: Option<Written>,
    status: &'static str,
    verification: &'static str,
    sources: &'a [String],
    document: Option<&'a str>,
    value_idr: Option<Num>,
    approx: bool,
    illustrative: bool,
    note: Option<String>,
}

impl Serialize for ShipmentData<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeTuple;
        // Whether each column after `sources` is at its default, in the columns' order.
        let default = [
            self.period.is_none(),
            self.written.is_none(),
            self.note.is_none(),
            self.document.is_none(),
            self.value_idr.is_none(),
            !self.approx,
            !self.illustrative,
        ];
        let optional = default.iter().rposition(|d| !d).map_or(0, |last| last + 1);
        let mut row = s.serialize_tuple(ALWAYS_WRITTEN + optional)?;
        row.serialize_element(self.id)?;
        row.serialize_element(&self.date)?;
        row.serialize_element(self.from)?;
        row.serialize_element(&self.to)?;
        row.serialize_element(self.commodity)?;
        row.serialize_element(&self.quantity)?;
        row.serialize_element(self.unit)?;
        row.serialize_element(self.status)?;
        row.serialize_element(self.verification)?;
        row.serialize_element(self.sources)?;
        for column in 0..optional {
            match column {
                0 => row.serialize_element(&self.period),
                1 => row.serialize_element(&self.written),
                2 => row.serialize_element(&self.note),
                3 => row.serialize_element(&self.document),
                4 => row.serialize_element(&self.value_idr),
                5 => row.serialize_element(&self.approx),
                _ => row.serialize_element(&self.illustrative),
            }?;
        }
        row.end()
    }
}

#[derive(Serialize)]
struct Period {
    start: String,
    end: String,
}

#[derive(Serialize)]
struct Written {
    quantity: Num,
    unit: &'static str,
}

/// A decimal written as a bare JSON number with exactly its digits.
struct Num(Decimal);

impl Serialize for Num {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serde_json::value::RawValue::from_string(self.0.normalize().to_string())
            .map_err(serde::ser::Error::custom)?
            .serialize(s)
    }
}

/// RFC 4180 with CRLF line ends; cells that a spreadsheet would run as a formula are
/// prefixed with `'`.
fn csv(a: &ReadAgreement, default: &str) -> String {
    let mut out = String::from(CSV_HEADER);
    out.push_str("\r\n");
    for s in a.shipments {
        let line: Vec<String> = csv_values(s, default).iter().map(|c| csv_cell(c)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

/// A record's values in the columns of [`CSV_HEADER`], before quoting: `date` is the day or
/// `start/end`, `sources` the ids joined by `;`, the note in the site's first language.
pub(super) fn csv_values(s: &Shipment, default: &str) -> [String; 13] {
    let date = match s.when {
        When::Day(d) => d.to_string(),
        When::Span { start, end } => format!("{start}/{end}"),
    };
    [
        s.id.clone(),
        date,
        s.from.clone(),
        s.to.clone().unwrap_or_default(),
        s.commodity.clone(),
        s.quantity.amount.normalize().to_string(),
        s.quantity.unit.code().to_string(),
        s.status.code().to_string(),
        s.verification.code().to_string(),
        s.document.clone().unwrap_or_default(),
        s.value_idr
            .map(|v| v.normalize().to_string())
            .unwrap_or_default(),
        s.sources.join(";"),
        s.note
            .as_ref()
            .map(|n| n.get(default, default).to_string())
            .unwrap_or_default(),
    ]
}

pub fn csv_cell(c: &str) -> String {
    let c = if c.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{c}")
    } else {
        c.to_string()
    };
    quote(c)
}

/// `c` in double quotes (inner quotes doubled) when it holds a comma, quote or line break.
pub(super) fn quote(c: String) -> String {
    if c.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", c.replace('"', "\"\""))
    } else {
        c
    }
}

/// One entry of the Atom feed.
struct Entry {
    id: String,
    date: Date,
    title: String,
    summary: String,
    href: String,
}

/// An Atom feed of milestones and issues, newest first.
///
/// Ids name what a feed or entry is, never a position. With a `base_url` the feed's id is its
/// own address and an entry's id the address of its milestone or issue on the dashboard;
/// without one, both are `urn:uuid:`s derived from the site's title and publisher. An entry is
/// dated by its milestone's date or its issue's raised date, but no later than the reporting
/// date (a planned milestone is news when it is announced, not when it falls due; its own date
/// is in the summary); the feed is updated as of its newest entry or the reporting date.
pub(super) fn feed(site: &Site, loc: &Locale, base_url: Option<&str>) -> String {
    let lang = loc.lang;
    let default = site.default_language();
    let prefix = if lang == default {
        String::new()
    } else {
        format!("{lang}/")
    };
    let link = |path: &str| match base_url {
        Some(b) => format!("{b}{prefix}{path}"),
        None => path.to_string(),
    };
    let feed_id = match base_url {
        Some(b) => format!("{b}{prefix}feed.xml"),
        None => uuid_urn(&[
            "sinergi feed",
            site.title.get(default, default),
            site.publisher
                .as_ref()
                .map_or("", |p| p.get(default, default)),
            lang,
        ]),
    };
    let dated = |d: Date| site.as_of.map_or(d, |as_of| d.min(as_of));
    let mut entries: Vec<Entry> = Vec::new();
    for a in &site.agreements {
        let page = link(&format!("agreements/{}/index.html", a.slug));
        let title = a.title.get(lang, default);
        // `anchor` is what the entry is within its agreement: `milestone-<id>`, `issue-<id>`.
        let entry = |anchor: String, date: Date, title: String, summary: String| {
            let href = format!("{page}#{anchor}");
            Entry {
                id: match base_url {
                    Some(_) => href.clone(),
                    None => uuid_urn(&[&feed_id, &a.slug, &anchor]),
                },
                date: dated(date),
                title,
                summary,
                href,
            }
        };
        for m in &a.milestones {
            let status = loc.label(&format!("milestone_{}", variant_name(&m.status)));
            entries.push(entry(
                format!("milestone-{}", m.id),
                m.date,
                format!("{title}: {} ({status})", m.title.get(lang, default)),
                format!("{} · {status}", loc.date(m.date)),
            ));
        }
        for i in &a.issues {
            let status = loc.label(&format!("issue_{}", variant_name(&i.status)));
            entries.push(entry(
                format!("issue-{}", i.id),
                i.raised,
                format!("{title}: {}", i.title.get(lang, default)),
                format!("{} {} · {status}", loc.s("raised"), loc.date(i.raised)),
            ));
        }
        // A revision that moved a published total, dated by its commit (it is news when it is
        // committed, whatever the reporting date) and named by its commit.
        let l = super::views::Lang { lang, default, loc };
        let revisions = site.revisions(&a.slug).unwrap_or_default();
        for r in revisions
            .iter()
            .filter(|r| super::marks::moves_published_total(r))
        {
            let anchor = format!("commit-{}", r.commit);
            let href = link(&format!(
                "agreements/{}/history/index.html#{anchor}",
                a.slug
            ));
            let moves = r
                .changes()
                .map(|c| super::revisions::total_moves(a, &l, &c.totals))
                .unwrap_or_default()
                .iter()
                .map(|m| format!("{}: {} → {}", m.name, m.old, m.new))
                .collect::<Vec<_>>()
                .join("; ");
            entries.push(Entry {
                id: match base_url {
                    Some(_) => href.clone(),
                    None => uuid_urn(&[&feed_id, &a.slug, &anchor]),
                },
                date: r.date,
                title: format!("{title}: {} ({})", loc.s("feed_revision"), r.commit.short()),
                summary: format!(
                    "{} · {} · {} {moves}",
                    loc.date(r.date),
                    r.message,
                    loc.s("feed_revision_totals")
                ),
                href,
            });
        }
    }
    entries.sort_by(|x, y| y.date.cmp(&x.date).then_with(|| x.id.cmp(&y.id)));
    let updated = entries
        .first()
        .map(|e| e.date)
        .max(site.as_of)
        .map(|d| format!("{d}T00:00:00Z"))
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">\n  <title>{}</title>\n  <id>{}</id>\n  <updated>{updated}</updated>\n  <link rel=\"alternate\" href=\"{}\"/>\n",
        xml::escape(site.title.get(lang, default)),
        xml::escape(&feed_id),
        xml::escape(&link("index.html"))
    ));
    if base_url.is_some() {
        out.push_str(&format!(
            "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
            xml::escape(&feed_id)
        ));
    }
    if let Some(p) = &site.publisher {
        out.push_str(&format!(
            "  <author><name>{}</name></author>\n",
            xml::escape(p.get(lang, default))
        ));
    } else {
        out.push_str("  <author><name>sinergi</name></author>\n");
    }
    for e in entries {
        out.push_str(&format!(
            "  <entry>\n    <id>{}</id>\n    <title>{}</title>\n    <updated>{}T00:00:00Z</updated>\n    <link href=\"{}\"/>\n    <summary>{}</summary>\n  </entry>\n",
            xml::escape(&e.id),
            xml::escape(&e.title),
            e.date,
            xml::escape(&e.href),
            xml::escape(&e.summary)
        ));
    }
    out.push_str("</feed>\n");
    out
}

/// A name-based `urn:uuid:` (RFC 9562 version 8) from the 128-bit XXH3 digest of `parts`:
/// the same parts give the same id on every machine and in every version.
fn uuid_urn(parts: &[&str]) -> String {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for p in parts {
        h.update(&(p.len() as u64).to_le_bytes());
        h.update(p.as_bytes());
    }
    let mut b = h.digest128().to_be_bytes();
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

pub(super) fn sitemap(base: &str, paths: &[&str]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut paths = paths.to_vec();
    paths.sort();
    for p in paths {
        out.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            xml::escape(&format!("{base}{p}"))
        ));
    }
    out.push_str("</urlset>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_exact_json_numbers() {
        let v = json!({"q": number(Decimal::from_str("12345678901234.56").unwrap()), "s": plain("\u{1}1")});
        let text = to_json(&v);
        assert!(text.contains(r#""q": 12345678901234.56"#), "{text}");
        assert!(text.contains(r#""s": "1""#), "{text}");
    }

    #[test]
    fn csv_cells_are_quoted_and_defused() {
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("plain"), "plain");
    }
}
