//! The data files exactly as written: serde types with locations, before any check.
//! `sinergi schema` derives the JSON Schema from these same types.

use schemars::JsonSchema;
use serde::Deserialize;

use super::located::{Loc, NumberText, Text};
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
    pub base_url: Option<Loc<String>>,
    pub publisher: Option<Text>,
    pub contact: Option<Text>,
    /// E.g. `CC-BY-4.0`.
    pub license: Option<String>,
    /// Reporting date `YYYY-MM-DD`; default: the latest shipment date.
    pub as_of: Option<Loc<String>>,
}

/// `content/agreements/<slug>/agreement.yaml`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AgreementFile {
    pub title: Text,
    /// E.g. `KAD`.
    pub kind: String,
    pub status: Loc<AgreementStatus>,
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

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PeriodRaw {
    pub start: Loc<String>,
    pub end: Option<Loc<String>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Party {
    pub id: Loc<String>,
    pub name: Text,
    pub role: Option<Text>,
    pub signatory: Option<Signatory>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Signatory {
    pub title: Text,
    pub name: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Facilitator {
    pub id: Loc<String>,
    pub name: Text,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub name: String,
    pub role: Text,
    pub email: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Commodity {
    pub id: Loc<String>,
    pub name: Text,
    /// The unit totals are reported in.
    pub unit: Loc<String>,
    #[serde(default)]
    pub conversions: Vec<Loc<Conversion>>,
}

/// `1 from = factor to`, e.g. eggs `{from: kg, to: egg, factor: 16}`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Conversion {
    pub from: Loc<String>,
    pub to: Loc<String>,
    pub factor: Loc<NumberText>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Participant {
    pub id: Loc<String>,
    pub name: Text,
    pub kind: Option<Text>,
    pub party: Loc<String>,
    #[serde(default)]
    pub commodities: Vec<Loc<String>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Offtaker {
    pub id: Loc<String>,
    pub name: Text,
    pub party: Loc<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Target {
    pub id: Loc<String>,
    pub title: Text,
    pub commodity: Option<Loc<String>>,
    pub participant: Option<Loc<String>>,
    pub offtaker: Option<Loc<String>>,
    /// Without a quantity the target is qualitative and tracked through milestones.
    pub quantity: Option<Loc<NumberText>>,
    pub unit: Option<Loc<String>>,
    pub start: Option<Loc<String>>,
    pub due: Option<Loc<String>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    pub date: Loc<String>,
    pub title: Text,
    pub status: MilestoneStatus,
    pub target: Option<Loc<String>>,
    #[serde(default)]
    pub sources: Vec<Loc<String>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub id: Loc<String>,
    #[serde(rename = "type")]
    pub kind: DocumentType,
    pub title: Text,
    pub number: Option<String>,
    pub signed: Option<Loc<String>>,
    /// Ids of any party, participant, offtaker or facilitator.
    #[serde(default)]
    pub parties: Vec<Loc<String>>,
    /// The umbrella document this one was made under.
    pub parent: Option<Loc<String>>,
    pub url: Option<Loc<String>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub id: Loc<String>,
    pub title: Text,
    pub publisher: Option<String>,
    pub url: Loc<String>,
    pub date: Option<Loc<String>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Issue {
    pub id: Loc<String>,
    pub raised: Loc<String>,
    pub title: Text,
    pub status: IssueStatus,
    #[serde(default)]
    pub sources: Vec<Loc<String>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// Where the report is signed, e.g. `Metro`.
    pub place: Text,
    #[serde(default)]
    pub signers: Vec<Signer>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Signer {
    pub title: Text,
    pub name: String,
    /// Employee number (NIP), when given.
    pub nip: Option<String>,
}

/// One shipment record; a shipments file is a list of them.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Shipment {
    pub id: Loc<String>,
    /// One delivery on this day (exclusive with `period`).
    pub date: Option<Loc<String>>,
    /// A total reported for a span (exclusive with `date`).
    pub period: Option<Loc<ShipmentPeriod>>,
    /// Participant id.
    pub from: Loc<String>,
    /// Offtaker id; omitted when the receiver was not published.
    pub to: Option<Loc<String>>,
    pub commodity: Loc<String>,
    pub quantity: Loc<NumberText>,
    pub unit: Loc<String>,
    pub status: Option<ShipmentStatus>,
    pub verification: Option<Verification>,
    #[serde(default)]
    pub sources: Vec<Loc<String>>,
    pub document: Option<Loc<String>>,
    pub value_idr: Option<Loc<NumberText>>,
    #[serde(default)]
    pub approx: bool,
    pub note: Option<Text>,
    #[serde(default)]
    pub illustrative: bool,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShipmentPeriod {
    pub start: Loc<String>,
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
