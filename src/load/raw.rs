//! The data files exactly as written: serde types with locations, before any check.
//! `sinergi schema` derives the JSON Schema from these same types.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::limits::{ByteSize, RecordCount};
use super::located::{Loc, NumberText, Text};

/// Schema patterns of the values `check` verifies (the checks themselves are in `validate`).
const DATE: &str = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$";
const SLUG: &str = "^[a-z0-9-]{1,64}$";
const URL: &str = r"^https?://[^\s/?#]+";
const UNIT: &str = "^(kg|kuintal|t|ton|head|ekor|egg|butir|pack|paket|truck|truk|l|liter)$";
/// A Kemendagri administrative code: province `18`, regency or city `18.72`, district
/// `18.72.01`, village `18.72.01.1001`.
const REGION: &str = r"^[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?$";
use crate::model::{
    AgreementStatus, DocumentType, IssueStatus, MilestoneStatus, ShipmentStatus, Verification,
};

/// `content/site.yaml`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteFile {
    pub title: Text,
    pub description: Option<Text>,
    /// Language codes; the first is the default language. Default `[id]`.
    pub languages: Option<Loc<Vec<Loc<String>>>>,
    /// Absolute http(s) URL the site is published at; without it every link is relative.
    #[schemars(regex(pattern = URL))]
    pub base_url: Option<Loc<String>>,
    pub publisher: Option<Text>,
    pub contact: Option<Text>,
    /// E.g. `CC-BY-4.0`.
    pub license: Option<String>,
    /// Reporting date `YYYY-MM-DD`; default: the latest shipment date.
    #[schemars(regex(pattern = DATE))]
    pub as_of: Option<Loc<String>>,
    /// Safety limits on the input; each has a default, so the section is optional.
    pub limits: Option<LimitsRaw>,
    /// How the revisions read from the site's git repository are published.
    pub history: Option<HistoryRaw>,
}

/// `history:` in site.yaml.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HistoryRaw {
    /// `false` leaves the git history unread: no revision pages or files. Default `true`.
    pub enabled: Option<bool>,
    /// `true` publishes each revision's author name (never an e-mail address). Default `false`.
    #[serde(default)]
    pub authors: bool,
    /// A link to each commit, with `{id}` where the full commit id goes, e.g.
    /// `https://github.com/org/repo/commit/{id}`.
    #[schemars(regex(pattern = URL))]
    pub commit_url: Option<Loc<String>>,
}

/// `limits:` in site.yaml. site.yaml itself is always read under the default file size.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LimitsRaw {
    /// Largest data or page file read, checked before the file is read. Default `256 MiB`.
    pub max_file_size: Option<Loc<ByteSize>>,
    /// Most shipment records in the whole site, counted while files are read. Default 1000000.
    pub max_records: Option<Loc<RecordCount>>,
}

/// `content/agreements/<slug>/agreement.yaml`.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AgreementFile {
    pub title: Text,
    /// E.g. `KAD`.
    pub kind: String,
    pub status: Loc<AgreementStatus>,
    #[schemars(regex(pattern = DATE))]
    pub signed: Loc<String>,
    pub period: Loc<PeriodRaw>,
    /// Markdown.
    pub summary: Option<Text>,
    pub parties: Loc<Vec<Loc<Party>>>,
    #[serde(default)]
    pub facilitators: Vec<Loc<Facilitator>>,
    #[serde(default)]
    pub contacts: Vec<Loc<Contact>>,
    #[serde(default)]
    pub commodities: Vec<Loc<Commodity>>,
    #[serde(default)]
    pub participants: Vec<Loc<Participant>>,
    #[serde(default)]
    pub offtakers: Vec<Loc<Offtaker>>,
    #[serde(default)]
    pub targets: Vec<Loc<Target>>,
    #[serde(default)]
    pub milestones: Vec<Loc<Milestone>>,
    #[serde(default)]
    pub documents: Vec<Loc<Document>>,
    #[serde(default)]
    pub sources: Vec<Loc<Source>>,
    #[serde(default)]
    pub issues: Vec<Loc<Issue>>,
    /// Settings of the printed monitoring report.
    pub report: Option<Report>,
}

#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PeriodRaw {
    #[schemars(regex(pattern = DATE))]
    pub start: Loc<String>,
    #[schemars(regex(pattern = DATE))]
    pub end: Option<Loc<String>>,
}

#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Party {
    #[schemars(regex(pattern = SLUG))]
    pub id: Loc<String>,
    pub name: Text,
    pub role: Option<Text>,
    pub signatory: Option<Signatory>,
    /// Where it is (e.g. the centre of its city or regency), for the supply map.
    pub location: Option<Loc<LocationRaw>>,
    /// Kemendagri administrative code as text, e.g. `"18.72"` (Kota Metro).
    #[schemars(regex(pattern = REGION))]
    pub region: Option<Loc<String>>,
}

#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Signatory {
    pub title: Text,
    pub name: Option<String>,
}

#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Facilitator {
    #[schemars(regex(pattern = SLUG))]
    pub id: Loc<String>,
    pub name: Text,
    /// Where it is (e.g. the centre of its city or regency), for the supply map.
    pub location: Option<Loc<LocationRaw>>,
    /// Kemendagri administrative code as text, e.g. `"18.72"` (Kota Metro).
    #[schemars(regex(pattern = REGION))]
    pub region: Option<Loc<String>>,
}

/// A point in decimal degrees (WGS 84): `{lat: -5.11, lon: 105.31}`.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LocationRaw {
    /// Latitude, -90 to 90 (south is negative).
    pub lat: Loc<NumberText>,
    /// Longitude, -180 to 180 (west is negative).
    pub lon: Loc<NumberText>,
}

#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub name: String,
    pub role: Text,
    pub email: Option<String>,
}

#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Commodity {
    #[schemars(regex(pattern = SLUG))]
    pub id: Loc<String>,
    pub name: Text,
    /// The unit totals are reported in.
    #[schemars(regex(pattern = UNIT))]
    pub unit: Loc<String>,
    #[serde(default)]
    pub conversions: Vec<Loc<Conversion>>,
}

/// `1 from = factor to`, e.g. eggs `{from: kg, to: egg, factor: 16}`.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Conversion {
    #[schemars(regex(pattern = UNIT))]
    pub from: Loc<String>,
    #[schemars(regex(pattern = UNIT))]
    pub to: Loc<String>,
    pub factor: Loc<NumberText>,
}

#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Participant {
    #[schemars(regex(pattern = SLUG))]
    pub id: Loc<String>,
    pub name: Text,
    pub kind: Option<Text>,
    #[schemars(regex(pattern = SLUG))]
    pub party: Loc<String>,
    #[serde(default)]
    #[schemars(inner(regex(pattern = SLUG)))]
    pub commodities: Vec<Loc<String>>,
    /// Where it is (e.g. the centre of its city or regency), for the supply map.
    pub location: Option<Loc<LocationRaw>>,
    /// Kemendagri administrative code as text, e.g. `"18.72"` (Kota Metro).
    #[schemars(regex(pattern = REGION))]
    pub region: Option<Loc<String>>,
}

#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Offtaker {
    #[schemars(regex(pattern = SLUG))]
    pub id: Loc<String>,
    pub name: Text,
    #[schemars(regex(pattern = SLUG))]
    pub party: Loc<String>,
    /// Where it is (e.g. the centre of its city or regency), for the supply map.
    pub location: Option<Loc<LocationRaw>>,
    /// Kemendagri administrative code as text, e.g. `"18.72"` (Kota Metro).
    #[schemars(regex(pattern = REGION))]
    pub region: Option<Loc<String>>,
}

#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Target {
    #[schemars(regex(pattern = SLUG))]
    pub id: Loc<String>,
    pub title: Text,
    #[schemars(regex(pattern = SLUG))]
    pub commodity: Option<Loc<String>>,
    #[schemars(regex(pattern = SLUG))]
    pub participant: Option<Loc<String>>,
    #[schemars(regex(pattern = SLUG))]
    pub offtaker: Option<Loc<String>>,
    /// Without a quantity the target is qualitative and tracked through milestones.
    pub quantity: Option<Loc<NumberText>>,
    #[schemars(regex(pattern = UNIT))]
    pub unit: Option<Loc<String>>,
    #[schemars(regex(pattern = DATE))]
    pub start: Option<Loc<String>>,
    #[schemars(regex(pattern = DATE))]
    pub due: Option<Loc<String>>,
}

#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    /// What the feed and the page anchor name the milestone by. Default: its date and its title
    /// in the site's first language, so give one when a title may still be reworded.
    #[schemars(regex(pattern = SLUG))]
    pub id: Option<Loc<String>>,
    #[schemars(regex(pattern = DATE))]
    pub date: Loc<String>,
    pub title: Text,
    pub status: MilestoneStatus,
    #[schemars(regex(pattern = SLUG))]
    pub target: Option<Loc<String>>,
    #[serde(default)]
    #[schemars(inner(regex(pattern = SLUG)))]
    pub sources: Vec<Loc<String>>,
}

#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Document {
    #[schemars(regex(pattern = SLUG))]
    pub id: Loc<String>,
    #[serde(rename = "type")]
    pub kind: DocumentType,
    pub title: Text,
    pub number: Option<String>,
    #[schemars(regex(pattern = DATE))]
    pub signed: Option<Loc<String>>,
    /// Ids of any party, participant, offtaker or facilitator.
    #[serde(default)]
    #[schemars(inner(regex(pattern = SLUG)))]
    pub parties: Vec<Loc<String>>,
    /// The umbrella document this one was made under.
    #[schemars(regex(pattern = SLUG))]
    pub parent: Option<Loc<String>>,
    #[schemars(regex(pattern = URL))]
    pub url: Option<Loc<String>>,
}

#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    #[schemars(regex(pattern = SLUG))]
    pub id: Loc<String>,
    pub title: Text,
    pub publisher: Option<String>,
    #[schemars(regex(pattern = URL))]
    pub url: Loc<String>,
    #[schemars(regex(pattern = DATE))]
    pub date: Option<Loc<String>>,
}

#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Issue {
    #[schemars(regex(pattern = SLUG))]
    pub id: Loc<String>,
    #[schemars(regex(pattern = DATE))]
    pub raised: Loc<String>,
    pub title: Text,
    pub status: IssueStatus,
    #[serde(default)]
    #[schemars(inner(regex(pattern = SLUG)))]
    pub sources: Vec<Loc<String>>,
}

#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// Where the report is signed, e.g. `Metro`.
    pub place: Text,
    #[serde(default)]
    pub signers: Vec<Signer>,
}

#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Signer {
    pub title: Text,
    pub name: String,
    /// Employee number (NIP), when given.
    pub nip: Option<String>,
}

/// One shipment record; a shipments file is a list of them.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Shipment {
    #[schemars(regex(pattern = SLUG))]
    pub id: Loc<String>,
    /// One delivery on this day (exclusive with `period`).
    #[schemars(regex(pattern = DATE))]
    pub date: Option<Loc<String>>,
    /// A total reported for a span (exclusive with `date`).
    pub period: Option<Loc<ShipmentPeriod>>,
    /// Participant id.
    #[schemars(regex(pattern = SLUG))]
    pub from: Loc<String>,
    /// Offtaker id; omitted when the receiver was not published.
    #[schemars(regex(pattern = SLUG))]
    pub to: Option<Loc<String>>,
    #[schemars(regex(pattern = SLUG))]
    pub commodity: Loc<String>,
    pub quantity: Loc<NumberText>,
    #[schemars(regex(pattern = UNIT))]
    pub unit: Loc<String>,
    pub status: Option<ShipmentStatus>,
    pub verification: Option<Verification>,
    #[serde(default)]
    #[schemars(inner(regex(pattern = SLUG)))]
    pub sources: Vec<Loc<String>>,
    #[schemars(regex(pattern = SLUG))]
    pub document: Option<Loc<String>>,
    pub value_idr: Option<Loc<NumberText>>,
    #[serde(default)]
    pub approx: bool,
    pub note: Option<Text>,
    #[serde(default)]
    pub illustrative: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShipmentPeriod {
    #[schemars(regex(pattern = DATE))]
    pub start: Loc<String>,
    #[schemars(regex(pattern = DATE))]
    pub end: Loc<String>,
}

/// The YAML front matter of a Markdown page.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: String,
    pub description: Option<String>,
    /// Position in menus and lists (smaller first).
    pub order: Option<i64>,
    #[serde(default)]
    pub draft: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Unit;

    #[test]
    fn the_unit_pattern_lists_exactly_the_units_check_accepts() {
        let words: Vec<&str> = UNIT
            .trim_start_matches("^(")
            .trim_end_matches(")$")
            .split('|')
            .collect();
        assert!(words.iter().all(|w| Unit::parse(w).is_some()), "{words:?}");
        assert!(Unit::ALL.iter().all(|u| words.contains(&u.code())));
        assert_eq!(
            words.len(),
            2 * Unit::ALL.len() - 2,
            "kg and kuintal have no alias"
        );
    }
}
