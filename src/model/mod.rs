//! Stage 2: the validated domain model. Every value here has passed the checks of docs/FORMAT.md; ids
//! resolve, quantities are exact decimals in known units, dates are real dates.

mod text;
mod totals;
pub mod units;
mod variant;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::diagnostics::Pos;
pub use text::Text;
pub use totals::{CommodityTotal, RouteTotal, TargetProgress, Totals};
pub use units::{Conversion, Quantity, Unit};
pub use variant::variant_name;

pub type Date = NaiveDate;

#[derive(Debug, Clone)]
pub struct Site {
    pub title: Text,
    pub description: Option<Text>,
    /// Language codes; the first is the default and lives at the root of the output.
    pub languages: Vec<String>,
    pub base_url: Option<String>,
    pub publisher: Option<Text>,
    pub contact: Option<Text>,
    pub license: Option<String>,
    /// The reporting date: `as_of` from site.yaml, else the latest shipment date.
    pub as_of: Option<Date>,
    pub agreements: Vec<Agreement>,
    pub pages: Vec<Page>,
    /// `history:` of site.yaml.
    pub history_options: HistoryOptions,
    /// The revisions read from the git repository the site is in: `None` when the site is in
    /// none, its history is turned off, or the command does not read it (`check`).
    pub history: Option<std::sync::Arc<crate::history::History>>,
    /// What the work tree changes in each agreement's committed data, by folder name: only
    /// `serve` reads it, and shows it as a revision not yet committed.
    pub uncommitted: std::collections::BTreeMap<String, crate::history::Changes>,
}

/// How revisions are published (`history:` in site.yaml).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryOptions {
    /// Read the git history at all.
    pub enabled: bool,
    /// Publish each revision's author name (never an e-mail address).
    pub authors: bool,
    /// A link template with `{id}` where the full commit id goes.
    pub commit_url: Option<String>,
}

impl Default for HistoryOptions {
    fn default() -> HistoryOptions {
        HistoryOptions {
            enabled: true,
            authors: false,
            commit_url: None,
        }
    }
}

impl HistoryOptions {
    /// The link to commit `id`, when the site sets a template.
    pub fn commit_link(&self, id: &str) -> Option<String> {
        self.commit_url.as_ref().map(|t| t.replace("{id}", id))
    }
}

impl Site {
    pub fn default_language(&self) -> &str {
        &self.languages[0]
    }

    /// The revisions of agreement `slug`, oldest first, when the history was read.
    pub fn revisions(&self, slug: &str) -> Option<&[crate::history::Revision]> {
        self.history.as_ref().map(|h| h.revisions(slug))
    }
}

/// A Markdown page in each language it was written in.
#[derive(Debug, Clone)]
pub struct Page {
    /// File name without `.md` and language; the page's URL segment.
    pub name: String,
    pub order: i64,
    /// Language code to that edition; the default language is always present.
    pub editions: BTreeMap<String, PageEdition>,
}

impl Page {
    /// The edition in `lang`, else the default language's (which always exists).
    pub fn edition(&self, lang: &str, default: &str) -> &PageEdition {
        self.editions
            .get(lang)
            .or_else(|| self.editions.get(default))
            .expect("every page has its default-language edition")
    }
}

#[derive(Debug, Clone)]
pub struct PageEdition {
    pub title: String,
    pub description: Option<String>,
    pub markdown: String,
    pub file: String,
}

#[derive(Debug, Clone)]
pub struct Agreement {
    pub slug: String,
    pub title: Text,
    pub kind: String,
    pub status: AgreementStatus,
    pub signed: Date,
    pub start: Date,
    pub end: Option<Date>,
    pub summary: Option<Text>,
    pub parties: Vec<Party>,
    pub facilitators: Vec<Facilitator>,
    pub contacts: Vec<Contact>,
    pub commodities: Vec<Commodity>,
    pub participants: Vec<Participant>,
    pub offtakers: Vec<Offtaker>,
    pub targets: Vec<Target>,
    pub milestones: Vec<Milestone>,
    pub documents: Vec<Document>,
    pub sources: Vec<Source>,
    pub issues: Vec<Issue>,
    pub report: Option<ReportSetup>,
    pub pages: Vec<Page>,
    /// A digest of the bytes the records were read from (site.yaml, agreement.yaml and every
    /// shipments file): equal digests mean equal records, read or not.
    pub records_digest: u128,
    pub records: Records,
}

/// An agreement's shipment records: read, or summarized by the records cache.
#[derive(Debug, Clone)]
pub enum Records {
    /// Sorted by date (a period by its end), then id.
    Read(Vec<Shipment>),
    /// Not read: the files are unchanged since a check that kept what the site's own pages
    /// need of them.
    Summarized(Summary),
}

/// What the site's own pages (the portfolio, the root data.json, the feed) need of records
/// that were not read.
#[derive(Debug, Clone)]
pub struct Summary {
    pub count: usize,
    /// The latest date a record counts on.
    pub latest: Option<Date>,
    /// The agreement's totals when the records were last read.
    pub totals: std::sync::Arc<Totals>,
}

/// An agreement whose shipment records were read: what its own pages are rendered from.
/// Everything else of the agreement is reached through it ([`std::ops::Deref`]).
#[derive(Debug, Clone, Copy)]
pub struct ReadAgreement<'a> {
    pub agreement: &'a Agreement,
    pub shipments: &'a [Shipment],
}

impl std::ops::Deref for ReadAgreement<'_> {
    type Target = Agreement;
    fn deref(&self) -> &Agreement {
        self.agreement
    }
}

impl Agreement {
    /// The agreement with its records, when they were read.
    pub fn read(&self) -> Option<ReadAgreement<'_>> {
        match &self.records {
            Records::Read(shipments) => Some(ReadAgreement {
                agreement: self,
                shipments,
            }),
            Records::Summarized(_) => None,
        }
    }

    /// How many shipment records the agreement has, read or not.
    pub fn record_count(&self) -> usize {
        match &self.records {
            Records::Read(s) => s.len(),
            Records::Summarized(s) => s.count,
        }
    }

    /// The latest date a shipment record counts on, read or not.
    pub fn latest(&self) -> Option<Date> {
        match &self.records {
            Records::Read(s) => s.iter().map(|s| s.when.end()).max(),
            Records::Summarized(s) => s.latest,
        }
    }

    pub fn commodity(&self, id: &str) -> Option<&Commodity> {
        self.commodities.iter().find(|c| c.id == id)
    }
    pub fn participant(&self, id: &str) -> Option<&Participant> {
        self.participants.iter().find(|p| p.id == id)
    }
    pub fn offtaker(&self, id: &str) -> Option<&Offtaker> {
        self.offtakers.iter().find(|o| o.id == id)
    }
    pub fn party(&self, id: &str) -> Option<&Party> {
        self.parties.iter().find(|p| p.id == id)
    }
    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }
    pub fn document(&self, id: &str) -> Option<&Document> {
        self.documents.iter().find(|d| d.id == id)
    }
    pub fn target(&self, id: &str) -> Option<&Target> {
        self.targets.iter().find(|t| t.id == id)
    }

    /// The display name of any party, participant, offtaker or facilitator id.
    pub fn actor_name(&self, id: &str) -> Option<&Text> {
        self.party(id)
            .map(|p| &p.name)
            .or_else(|| self.participant(id).map(|p| &p.name))
            .or_else(|| self.offtaker(id).map(|o| &o.name))
            .or_else(|| {
                self.facilitators
                    .iter()
                    .find(|f| f.id == id)
                    .map(|f| &f.name)
            })
    }
}

#[derive(Debug, Clone)]
pub struct Party {
    pub id: String,
    pub name: Text,
    pub role: Option<Text>,
    pub signatory: Option<Signatory>,
    /// Where it is, for the supply map.
    pub location: Option<Location>,
    /// Kemendagri administrative code, e.g. `18.72`.
    pub region: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Signatory {
    pub title: Text,
    pub name: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Facilitator {
    pub id: String,
    pub name: Text,
    /// Where it is, for the supply map.
    pub location: Option<Location>,
    /// Kemendagri administrative code, e.g. `18.72`.
    pub region: Option<String>,
}

/// A point in decimal degrees, exactly as written; latitude within [-90, 90] and longitude
/// within [-180, 180].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    pub lat: Decimal,
    pub lon: Decimal,
}

impl Location {
    /// Roughly Indonesia: from Sumatra's west coast to Papua, from Rote to Weh island.
    pub const INDONESIA_LAT: (i32, i32) = (-11, 6);
    pub const INDONESIA_LON: (i32, i32) = (94, 142);

    /// (longitude, latitude) as floating point, for drawing.
    pub fn degrees(self) -> (f64, f64) {
        use rust_decimal::prelude::ToPrimitive;
        (
            self.lon.to_f64().unwrap_or_default(),
            self.lat.to_f64().unwrap_or_default(),
        )
    }

    pub fn in_indonesia(self) -> bool {
        let (lat, lon) = (Self::INDONESIA_LAT, Self::INDONESIA_LON);
        self.lat >= Decimal::from(lat.0)
            && self.lat <= Decimal::from(lat.1)
            && self.lon >= Decimal::from(lon.0)
            && self.lon <= Decimal::from(lon.1)
    }
}

#[derive(Debug, Clone)]
pub struct Contact {
    pub name: String,
    pub role: Text,
    pub email: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Commodity {
    pub id: String,
    pub name: Text,
    pub unit: Unit,
    pub conversions: Vec<Conversion>,
}

#[derive(Debug, Clone)]
pub struct Participant {
    pub id: String,
    pub name: Text,
    pub kind: Option<Text>,
    pub party: String,
    pub commodities: Vec<String>,
    /// Where it is, for the supply map.
    pub location: Option<Location>,
    /// Kemendagri administrative code, e.g. `18.72`.
    pub region: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Offtaker {
    pub id: String,
    pub name: Text,
    pub party: String,
    /// Where it is, for the supply map.
    pub location: Option<Location>,
    /// Kemendagri administrative code, e.g. `18.72`.
    pub region: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Target {
    pub id: String,
    pub title: Text,
    pub commodity: Option<String>,
    pub participant: Option<String>,
    pub offtaker: Option<String>,
    /// `None` for a qualitative target.
    pub quantity: Option<Quantity>,
    pub start: Option<Date>,
    pub due: Option<Date>,
    pub file: String,
    pub pos: Pos,
}

#[derive(Debug, Clone)]
pub struct Milestone {
    /// What the milestone is, whatever its position: its `id`, else `<date>-<title slug>`.
    pub id: String,
    pub date: Date,
    pub title: Text,
    pub status: MilestoneStatus,
    pub target: Option<String>,
    pub sources: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Document {
    pub id: String,
    pub kind: DocumentType,
    pub title: Text,
    pub number: Option<String>,
    pub signed: Option<Date>,
    pub parties: Vec<String>,
    pub parent: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Source {
    pub id: String,
    pub title: Text,
    pub publisher: Option<String>,
    pub url: String,
    pub date: Option<Date>,
}

#[derive(Debug, Clone)]
pub struct Issue {
    pub id: String,
    pub raised: Date,
    pub title: Text,
    pub status: IssueStatus,
    pub sources: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct ReportSetup {
    pub place: Text,
    pub signers: Vec<Signer>,
}

#[derive(Debug, Clone)]
pub struct Signer {
    pub title: Text,
    pub name: String,
    pub nip: Option<String>,
}

/// When a shipment happened: one day, or a total reported for a span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Day(Date),
    Span { start: Date, end: Date },
}

impl When {
    /// The date a record counts on: the day, or a period's end.
    pub fn end(self) -> Date {
        match self {
            When::Day(d) => d,
            When::Span { end, .. } => end,
        }
    }
    pub fn start(self) -> Date {
        match self {
            When::Day(d) => d,
            When::Span { start, .. } => start,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Shipment {
    pub id: String,
    pub when: When,
    pub from: String,
    pub to: Option<String>,
    pub commodity: String,
    /// The quantity as written.
    pub written: Quantity,
    /// The same quantity in the commodity's unit.
    pub quantity: Quantity,
    pub status: ShipmentStatus,
    pub verification: Verification,
    pub sources: Vec<String>,
    pub document: Option<String>,
    pub value_idr: Option<Decimal>,
    pub approx: bool,
    pub note: Option<Text>,
    pub illustrative: bool,
    /// The shipments file, shared by every record read from it.
    pub file: std::sync::Arc<str>,
    pub pos: Pos,
}

impl Shipment {
    /// Counts toward delivered totals (everything but `planned`).
    pub fn is_delivered(&self) -> bool {
        self.status != ShipmentStatus::Planned
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum AgreementStatus {
    Draft,
    Active,
    Completed,
    Expired,
    Terminated,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum MilestoneStatus {
    Planned,
    Done,
    Missed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum DocumentType {
    KB,
    NK,
    MoU,
    PKS,
    PO,
    #[serde(rename = "other")]
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum IssueStatus {
    Open,
    Resolved,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum ShipmentStatus {
    Planned,
    Shipped,
    Received,
    Verified,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Verification {
    Reported,
    Official,
    Documented,
    Audited,
}

impl ShipmentStatus {
    /// The code of data files and downloads (serde's name).
    pub fn code(self) -> &'static str {
        variant_name(&self)
    }
}

impl Verification {
    /// The code of data files and downloads (serde's name).
    pub fn code(self) -> &'static str {
        variant_name(&self)
    }
}
