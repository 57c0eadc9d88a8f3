//! JSON Schemas (2020-12) of the data files, generated from the same types the loader uses.

use crate::load::raw;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SchemaKind {
    Site,
    Agreement,
    Shipments,
    Page,
}

pub fn schema(kind: SchemaKind) -> String {
    let mut s = match kind {
        SchemaKind::Site => schemars::schema_for!(raw::SiteFile),
        SchemaKind::Agreement => schemars::schema_for!(raw::AgreementFile),
        SchemaKind::Shipments => schemars::schema_for!(Vec<raw::Shipment>),
        SchemaKind::Page => schemars::schema_for!(raw::FrontMatter),
    };
    let title = match kind {
        SchemaKind::Site => "sinergi site.yaml",
        SchemaKind::Agreement => "sinergi agreement.yaml",
        SchemaKind::Shipments => "sinergi shipments file",
        SchemaKind::Page => "sinergi page front matter",
    };
    s.insert("title".into(), title.into());
    let mut out = serde_json::to_string_pretty(&s).expect("schema serializes");
    out.push('\n');
    out
}
