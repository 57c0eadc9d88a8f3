//! `sinergi schema` prints JSON Schema 2020-12, and every data file of the example site in
//! content/ and of the fixtures validates against the schema of its kind.

mod common;

use std::path::Path;

use serde_json::Value;
use sinergi::load::yaml;

use common::{fixtures, sinergi};

const KINDS: [&str; 4] = ["site", "agreement", "shipments", "page"];

/// A valid one-record shipments file.
const RECORD: &str =
    "- id: a\n  date: 2022-03-01\n  from: gapoktan\n  commodity: beras\n  quantity: 1\n  unit: t\n";

/// The schema of `kind` as printed by the binary, compiled by an independent validator.
struct Validator {
    schemas: boon::Schemas,
    index: boon::SchemaIndex,
}

impl Validator {
    fn new(kind: &str) -> Validator {
        let run = sinergi(&["schema", kind]);
        assert_eq!(run.code(), 0, "{}", run.stderr);
        let schema: Value = serde_json::from_str(&run.stdout).expect("schema is JSON");
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        let mut compiler = boon::Compiler::new();
        let loc = format!("urn:sinergi:{kind}");
        compiler
            .add_resource(&loc, schema)
            .unwrap_or_else(|e| panic!("{kind}: {e:#}"));
        let mut schemas = boon::Schemas::new();
        let index = compiler
            .compile(&loc, &mut schemas)
            .unwrap_or_else(|e| panic!("schema {kind} is not valid JSON Schema: {e:#}"));
        Validator { schemas, index }
    }

    fn check(&self, what: &str, value: &Value) -> Result<(), String> {
        self.schemas
            .validate(value, self.index)
            .map_err(|e| format!("{what}: {e:#}"))
    }
}

/// A YAML data file read the way sinergi reads it, as a JSON value.
fn yaml_value(file: &Path) -> Value {
    let text = std::fs::read_to_string(file).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    let name = file.display().to_string();
    let value: Option<Value> = yaml::parse(&name, text, 0).unwrap_or_else(|d| panic!("{d:?}"));
    value.unwrap_or(Value::Array(vec![]))
}

/// The YAML front matter of a Markdown page.
fn front_matter(file: &Path) -> Value {
    let text = std::fs::read_to_string(file).unwrap().replace("\r\n", "\n");
    let rest = text
        .strip_prefix("---\n")
        .unwrap_or_else(|| panic!("{} has no front matter", file.display()));
    let (front, _) = rest.split_once("\n---\n").expect("closing ---");
    yaml::parse(&file.display().to_string(), front, 1).unwrap_or_else(|d| panic!("{d:?}"))
}

/// Every data file under `content/` of a site, with the kind of schema it follows.
fn data_files(site: &Path) -> Vec<(&'static str, std::path::PathBuf)> {
    let mut out = vec![("site", site.join("content/site.yaml"))];
    for entry in walk(&site.join("content")) {
        let rel = entry
            .strip_prefix(site)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let kind = if rel.ends_with(".md") {
            "page"
        } else if rel.ends_with("/agreement.yaml") {
            "agreement"
        } else if rel.contains("/shipments/") && rel.ends_with(".yaml") {
            "shipments"
        } else {
            continue;
        };
        out.push((kind, entry));
    }
    out
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

fn validate_site(site: &Path) -> usize {
    let validators: Vec<(&str, Validator)> =
        KINDS.iter().map(|k| (*k, Validator::new(k))).collect();
    let validator = |kind: &str| &validators.iter().find(|(k, _)| *k == kind).unwrap().1;
    let files = data_files(site);
    let failures: Vec<String> = files
        .iter()
        .filter_map(|(kind, file)| {
            let value = if *kind == "page" {
                front_matter(file)
            } else {
                yaml_value(file)
            };
            validator(kind)
                .check(&file.display().to_string(), &value)
                .err()
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    files.len()
}

#[test]
fn every_schema_is_json_schema_2020_12() {
    for kind in KINDS {
        Validator::new(kind);
    }
}

#[test]
fn the_example_site_follows_the_schemas() {
    let n = validate_site(Path::new(env!("CARGO_MANIFEST_DIR")));
    assert!(n >= 10, "only {n} data files found in content/");
}

/// The full fixture fills in every key of every file kind, so each key must be in the schema.
#[test]
fn every_key_of_the_format_is_in_the_schemas() {
    validate_site(&fixtures().join("full"));
    validate_site(&fixtures().join("minimal"));
}

#[test]
fn the_schemas_reject_what_check_rejects() {
    let shipments = Validator::new("shipments");
    let record =
        |extra: &str| -> Value { yaml::parse("x.yaml", &format!("{RECORD}{extra}"), 0).unwrap() };
    shipments.check("valid", &record("")).unwrap();
    for bad in [
        "  sumber: [berita]\n",
        "  status: sent\n",
        "  verification: rumor\n",
        "  approx: 1\n",
        "  sources: berita\n",
        "  note: [a]\n",
        "  note: {id: [a]}\n",
        "  document: Kontrak_1\n",
        "  to: \"\"\n",
    ] {
        assert!(
            shipments.check(bad, &record(bad)).is_err(),
            "accepted {bad:?}"
        );
    }
    for (from, to) in [
        ("date: 2022-03-01", "date: 10/03/2022"),
        ("unit: t", "unit: karung"),
        ("id: a", "id: Kirim_1"),
    ] {
        let v: Value = yaml::parse("x.yaml", &RECORD.replace(from, to), 0).unwrap();
        assert!(shipments.check(to, &v).is_err(), "accepted {to:?}");
    }
    let missing: Value = yaml::parse("x.yaml", "- id: a\n  date: 2022-03-01\n", 0).unwrap();
    assert!(shipments.check("missing", &missing).is_err());

    let site = Validator::new("site");
    let v: Value =
        yaml::parse("s.yaml", "title: {id: A, en: B}\nlanguages: [id, en]\n", 0).unwrap();
    site.check("site", &v).unwrap();
    for bad in [
        "title: A\nlanguage: [id]\n",
        "title: A\nbase_url: ftp://example.org/\n",
        "title: A\nas_of: 5 September 2022\n",
    ] {
        let v: Value = yaml::parse("s.yaml", bad, 0).unwrap();
        assert!(site.check(bad, &v).is_err(), "accepted {bad:?}");
    }
}
