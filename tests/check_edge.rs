//! Valid inputs at the edges of the format are accepted and summed exactly; the YAML limits
//! let a large ledger through and stop alias bombs and absurd nesting.

mod common;

use std::time::Instant;

use common::{AGREEMENT, HANG, PAGE, SHIPMENTS, SITE, TempSite};
use sinergi::load::located::Loc;
use sinergi::load::{raw, yaml};

/// Every file of the minimal site, for rewriting them all.
const FILES: [&str; 4] = [SITE, AGREEMENT, SHIPMENTS, PAGE];

fn clean(site: &TempSite) {
    let (status, findings) = site.findings();
    assert_eq!((status, findings), (0, vec![]));
}

/// Delivered totals by commodity id, in the commodity's unit, as exact decimal text.
fn delivered(site: &TempSite) -> Vec<(String, String, String)> {
    let checked = sinergi::check(site.path());
    assert!(
        !checked.diagnostics.has_errors(),
        "{:#?}",
        checked.diagnostics.items()
    );
    checked.figures[0]
        .totals
        .iter()
        .map(|t| {
            (
                t.commodity.clone(),
                t.delivered.to_string(),
                t.unit.to_string(),
            )
        })
        .collect()
}

fn shipment(id: &str, commodity: &str, quantity: &str, unit: &str) -> String {
    format!(
        "- id: {id}\n  date: 2022-03-01\n  from: gapoktan\n  commodity: {commodity}\n  quantity: {quantity}\n  unit: {unit}\n"
    )
}

#[test]
fn a_byte_order_mark_on_every_file() {
    let site = TempSite::minimal();
    for f in FILES {
        let text = site.read(f);
        site.write(f, format!("\u{feff}{text}"));
    }
    clean(&site);
}

#[test]
fn crlf_line_ends_on_every_file() {
    let site = TempSite::minimal();
    for f in FILES {
        let text = site.read(f).replace('\n', "\r\n");
        site.write(f, text);
    }
    clean(&site);
}

#[test]
fn crlf_and_a_byte_order_mark_keep_lines_and_columns_right() {
    let site = TempSite::with_overlay("unknown-unit");
    let text = site.read(SHIPMENTS).replace('\n', "\r\n");
    site.write(SHIPMENTS, format!("\u{feff}{text}"));
    let (_, findings) = site.findings();
    let got: Vec<String> = findings.iter().map(|f| f.at()).collect();
    assert_eq!(
        got,
        ["error unknown-unit content/agreements/contoh/shipments/2022.yaml:6:9"]
    );
    let page = "\u{feff}---\r\ntitle: Tentang\r\norder: satu\r\n---\r\n";
    let site = TempSite::minimal();
    site.write(PAGE, page);
    let got: Vec<String> = site.findings().1.iter().map(|f| f.at()).collect();
    assert_eq!(got, ["error type-error content/pages/about.md:3:8"]);
}

#[test]
fn empty_shipments_files() {
    for text in [
        "",
        "\n\n",
        "# belum ada pengiriman\n",
        "[]\n",
        "# none yet\n[]\n",
        "---\n[]\n",
    ] {
        let site = TempSite::minimal();
        site.write("content/agreements/contoh/shipments/kosong.yaml", text);
        clean(&site);
    }
    let site = TempSite::minimal();
    site.write(SHIPMENTS, "[]\n");
    site.write("content/agreements/contoh/shipments/2023.yaml", "");
    let checked = sinergi::check(site.path());
    assert_eq!(
        checked.summary(),
        "1 agreement, 0 shipment records, 2 commodities"
    );
}

#[test]
fn anchors_aliases_and_merge_keys_used_sensibly() {
    let site = TempSite::minimal();
    site.write(
        SHIPMENTS,
        "\
- &padi
  id: kirim-1
  date: 2022-03-01
  from: gapoktan
  to: pasar
  commodity: beras
  quantity: 1.25
  unit: t
  sources: &sumber [berita]
- <<: *padi
  id: kirim-2
  date: 2022-03-08
  quantity: 2.75
- <<: *padi
  id: kirim-3
  date: 2022-03-15
  sources: *sumber
",
    );
    clean(&site);
    let totals = delivered(&site);
    assert_eq!(totals[0], ("beras".into(), "5.25".into(), "t".into()));
}

#[test]
fn per_language_text_maps_and_plain_text() {
    let site = TempSite::minimal();
    site.write(
        SITE,
        "title:\n  id: Situs Contoh\n  en: Example Site\ndescription: Satu bahasa saja\nlanguages: [id, en]\n",
    );
    clean(&site);
    let checked = sinergi::check(site.path());
    let s = checked.site.expect("the site checks");
    assert_eq!(s.title.get("en", "id"), "Example Site");
    assert_eq!(s.title.get("id", "id"), "Situs Contoh");
    let d = s.description.expect("a description");
    assert_eq!(d.get("en", "id"), "Satu bahasa saja");
    let a = &s.agreements[0];
    assert_eq!(a.commodities[0].name.get("en", "id"), "Rice");
}

/// Text that YAML 1.1 would read as a boolean, and numbers with leading zeros, stay as written.
#[test]
fn text_that_looks_like_booleans_or_numbers_stays_text() {
    let site = TempSite::minimal();
    site.write(
        SITE,
        "title: No\ndescription: y\npublisher: 08123\ncontact: \"on\"\nlanguages: [id, en]\n",
    );
    clean(&site);
    let s = sinergi::check(site.path()).site.unwrap();
    assert_eq!(s.title.get("id", "id"), "No");
    assert_eq!(s.description.unwrap().get("id", "id"), "y");
    assert_eq!(s.publisher.unwrap().get("id", "id"), "08123");
}

#[test]
fn units_written_in_indonesian() {
    let site = TempSite::minimal();
    let agreement = site.read(AGREEMENT).replace(
        "participants:",
        "  - id: sapi\n    name: Sapi\n    unit: head\n  - id: minyak\n    name: Minyak\n    unit: l\n  - id: umkm\n    name: Produk UMKM\n    unit: pack\n  - id: muatan\n    name: Muatan\n    unit: truck\nparticipants:",
    );
    let agreement = agreement.replace(
        "commodities: [beras, telur]",
        "commodities: [beras, telur, sapi, minyak, umkm, muatan]",
    );
    site.write(AGREEMENT, agreement);
    site.write(
        SHIPMENTS,
        [
            shipment("a", "beras", "2", "ton"),
            shipment("b", "beras", "5", "kuintal"),
            shipment("c", "sapi", "30", "ekor"),
            shipment("d", "telur", "160", "butir"),
            shipment("e", "minyak", "1000", "liter"),
            shipment("f", "umkm", "12", "paket"),
            shipment("g", "muatan", "5", "truk"),
        ]
        .concat(),
    );
    clean(&site);
    let totals = delivered(&site);
    let want = [
        ("beras", "2.5", "t"),
        ("telur", "10", "kg"),
        ("sapi", "30", "head"),
        ("minyak", "1000", "l"),
        ("umkm", "12", "pack"),
        ("muatan", "5", "truck"),
    ];
    for (c, q, u) in want {
        assert!(
            totals.contains(&(c.into(), q.into(), u.into())),
            "{c}: {totals:?}"
        );
    }
}

#[test]
fn kg_to_t_is_exact() {
    let site = TempSite::minimal();
    site.write(
        SHIPMENTS,
        [
            shipment("a", "beras", "0.1", "t"),
            shipment("b", "beras", "0.2", "t"),
        ]
        .concat(),
    );
    assert_eq!(
        delivered(&site)[0],
        ("beras".into(), "0.3".into(), "t".into())
    );

    site.write(SHIPMENTS, shipment("a", "beras", "7500", "kg"));
    assert_eq!(
        delivered(&site)[0],
        ("beras".into(), "7.5".into(), "t".into())
    );

    // Ten records of 0.1 t written in kg, and digits past a float's precision.
    let many: String = (0..10)
        .map(|i| shipment(&format!("k{i}"), "beras", "100", "kg"))
        .collect();
    site.write(
        SHIPMENTS,
        many + &shipment("x", "beras", "0.000000000000000001", "t"),
    );
    assert_eq!(
        delivered(&site)[0],
        ("beras".into(), "1.000000000000000001".into(), "t".into())
    );
}

#[test]
fn the_minimal_site_sums_as_documented() {
    let site = TempSite::minimal();
    let totals = delivered(&site);
    // 7500 kg + 2.5 ton = 10 t; 1600 butir at 16 per kg = 100 kg.
    assert_eq!(
        totals,
        [
            ("beras".into(), "10".into(), "t".into()),
            ("telur".into(), "100".into(), "kg".into())
        ]
    );
}

/// `n` distinct, valid shipment records.
fn ledger(n: usize) -> String {
    (0..n)
        .map(|i| {
            format!(
                "- id: r-{i}\n  date: 2022-{:02}-{:02}\n  from: gapoktan\n  to: pasar\n  commodity: beras\n  quantity: 1\n  unit: kg\n  status: shipped\n  verification: reported\n  sources: [berita]\n",
                3 + i % 9,
                1 + i % 28
            )
        })
        .collect()
}

/// serde-saphyr's default budget stops near 20,000 records; sinergi's options must not.
#[test]
fn a_30000_record_shipments_file_is_accepted() {
    let text = ledger(30_000);
    let defaults = serde_saphyr::from_str::<Vec<Loc<raw::Shipment>>>(&text);
    let err = defaults.expect_err("the default budget rejects 30,000 records");
    assert!(
        matches!(err.without_snippet(), serde_saphyr::Error::Budget { .. }),
        "{err}"
    );

    let ours = yaml::parse::<Vec<Loc<raw::Shipment>>>("ledger.yaml", &text, 0)
        .expect("sinergi's budget reads 30,000 records");
    assert_eq!(ours.len(), 30_000);

    let site = TempSite::minimal();
    site.write("content/agreements/contoh/shipments/besar.yaml", &text);
    let run = site.check(&[]);
    assert_eq!(run.code(), 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "1 agreement, 30003 shipment records, 2 commodities: no errors, no warnings\n"
    );
    assert_eq!(delivered(&site)[0].1, "40");
}

fn billion_laughs() -> String {
    let mut s = String::from("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for w in "abcdefghij".as_bytes().windows(2) {
        let refs = vec![format!("*{}", w[0] as char); 9].join(", ");
        s += &format!("{}: &{} [{refs}]\n", w[1] as char, w[1] as char);
    }
    s
}

/// Even a target that would take any shape (as a JSON value does) never expands a bomb.
#[test]
fn an_alias_bomb_is_rejected_with_a_location() {
    let start = Instant::now();
    let err = yaml::parse::<serde_json::Value>("bomb.yaml", &billion_laughs(), 0)
        .expect_err("a billion laughs must not expand");
    assert_eq!(err.code, "yaml-syntax");
    assert!(err.line >= 2, "{err:?}");
    assert!(err.message.contains("alias"), "{err:?}");
    // A guard against expansion (which would not end), not a speed goal: a loaded machine may
    // take several seconds.
    assert!(start.elapsed() < HANG, "{:?}", start.elapsed());

    let site = TempSite::minimal();
    site.write(SHIPMENTS, billion_laughs().replace("a:", "- note:"));
    let (status, findings) = site.findings();
    assert_eq!(status, 1);
    assert!(findings[0].line >= 1 && findings[0].file == SHIPMENTS);
}

#[test]
fn an_alias_flood_is_rejected_where_the_limit_is_crossed() {
    let mut text = String::from(
        "- &r {id: x, date: 2022-03-01, from: gapoktan, commodity: beras, quantity: 1, unit: t}\n",
    );
    text += &"- *r\n".repeat(yaml::MAX_ALIASES + 1);
    let err = yaml::parse::<Vec<Loc<raw::Shipment>>>("flood.yaml", &text, 0)
        .expect_err("more aliases than the limit");
    assert_eq!(
        (err.code, err.line, err.column),
        ("yaml-syntax", yaml::MAX_ALIASES as u32 + 2, 3)
    );
    assert!(err.message.contains("aliases"), "{err:?}");
}

#[test]
fn deep_nesting_is_rejected_without_overflowing_the_stack() {
    for text in [
        format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)),
        format!("{}1{}", "{a: ".repeat(10_000), "}".repeat(10_000)),
        format!("{}x\n", "- ".repeat(10_000)),
    ] {
        let err = yaml::parse::<serde_json::Value>("deep.yaml", &text, 0)
            .expect_err("nesting past the limit");
        assert_eq!(err.code, "yaml-syntax", "{err:?}");
        assert!(err.line >= 1);
        assert!(err.message.contains("nested"), "{err:?}");
    }
    let ok = format!(
        "{}{}",
        "[".repeat(yaml::MAX_DEPTH - 1),
        "]".repeat(yaml::MAX_DEPTH - 1)
    );
    yaml::parse::<serde_json::Value>("deep.yaml", &ok, 0).expect("nesting within the limit");
}
