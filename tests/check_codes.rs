//! Every data check of docs/FORMAT.md, produced by a fixture site and reported through
//! the real binary with its file, line and column; exit codes; the three output formats.

mod common;

use common::{AGREEMENT, PAGE, TempSite, sinergi};

/// (fixture under tests/fixtures/codes, the exact findings as `severity code file:line:col`,
/// words the first message must contain).
const CASES: &[(&str, &[&str], &str)] = &[
    (
        "yaml-syntax",
        &["error yaml-syntax content/agreements/contoh/shipments/2022.yaml:6:9"],
        "unclosed quote",
    ),
    (
        "type-error",
        &["error type-error content/site.yaml:3:12"],
        "`languages`: expected a list",
    ),
    (
        "missing-field",
        &["error missing-field content/agreements/contoh/shipments/2022.yaml:1:3"],
        "`quantity` is missing",
    ),
    (
        "unknown-key",
        &["error unknown-key content/agreements/contoh/shipments/2022.yaml:7:3"],
        "unknown key `sumber`",
    ),
    (
        "duplicate-id",
        &["error duplicate-id content/agreements/contoh/shipments/2023/januari.yaml:2:7"],
        "already used at content/agreements/contoh/shipments/2022.yaml:1:7",
    ),
    (
        "unknown-reference",
        &["error unknown-reference content/agreements/contoh/shipments/2022.yaml:3:9"],
        "no participant with id `gapoktan-lain`",
    ),
    (
        "unknown-unit",
        &["error unknown-unit content/agreements/contoh/shipments/2022.yaml:6:9"],
        "`karung` is not a known unit",
    ),
    (
        "unit-mismatch",
        &["error unit-mismatch content/agreements/contoh/shipments/2022.yaml:6:9"],
        "cannot be converted to t",
    ),
    (
        "invalid-quantity",
        &["error invalid-quantity content/agreements/contoh/shipments/2022.yaml:5:13"],
        "greater than zero",
    ),
    (
        "invalid-date",
        &["error invalid-date content/agreements/contoh/shipments/2022.yaml:2:9"],
        "`2022-02-30` is not a real calendar date",
    ),
    (
        "out-of-period",
        &["error out-of-period content/agreements/contoh/shipments/2022.yaml:3:9"],
        "before the agreement was signed (2022-01-10)",
    ),
    (
        "commodity-not-allowed",
        &["error commodity-not-allowed content/agreements/contoh/shipments/2022.yaml:4:14"],
        "`peternak` is not listed as shipping `beras`",
    ),
    (
        "invalid-slug",
        &["error invalid-slug content/agreements/contoh/shipments/2022.yaml:1:7"],
        "`Kirim_1`",
    ),
    (
        "invalid-url",
        &["error invalid-url content/agreements/contoh/agreement.yaml:46:10"],
        "`ftp://example.org/berita` is not an http(s) link",
    ),
    (
        "invalid-period",
        &["error invalid-period content/agreements/contoh/shipments/2022.yaml:10:10"],
        "ends (2022-05-01) before it starts (2022-05-31)",
    ),
    (
        "shipment-after-as-of",
        &["warning shipment-after-as-of content/agreements/contoh/shipments/2022.yaml:15:3"],
        "after the reporting date 2022-04-15",
    ),
    (
        "target-overdue",
        &["warning target-overdue content/agreements/contoh/agreement.yaml:38:5"],
        "unmet: 10 of 12 t",
    ),
    (
        "invalid-location",
        &["error invalid-location content/agreements/contoh/agreement.yaml:39:32"],
        "the longitude `186.8` is outside -180 to 180",
    ),
    (
        "location-outside-indonesia",
        &["warning location-outside-indonesia content/agreements/contoh/agreement.yaml:34:7"],
        "the location of `gapoktan` (lat 5.11, lon -105.31) is outside Indonesia",
    ),
    (
        "reserved-name",
        &[
            "error reserved-name content/agreements/contoh/history.md:1:1",
            "error reserved-name content/agreements/contoh/report.md:1:1",
            "error reserved-name content/pages/search.md:1:1",
        ],
        "page `history` would be written to agreements/contoh/history/index.html",
    ),
];

/// The codes of a table of docs/FORMAT.md: the first cell of each row under `heading`.
fn format_table(heading: &str) -> Vec<String> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/FORMAT.md"))
        .expect("docs/FORMAT.md");
    let section = text
        .split(&format!("\n{heading}\n"))
        .nth(1)
        .unwrap_or_else(|| panic!("docs/FORMAT.md has no `{heading}`"));
    section
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .filter_map(|l| l.split('`').nth(1).map(str::to_string))
        .collect()
}

#[test]
fn every_data_check_of_the_format_reference_has_a_fixture_and_no_other() {
    let documented = format_table("### Data checks");
    let fixtures: Vec<&str> = CASES.iter().map(|(c, _, _)| *c).collect();
    assert_eq!(documented, fixtures);
}

#[test]
fn each_fixture_reports_its_code_file_line_and_column() {
    for (fixture, expected, words) in CASES {
        let site = TempSite::with_overlay(fixture);
        let (status, findings) = site.findings();
        let got: Vec<String> = findings.iter().map(|f| f.at()).collect();
        assert_eq!(got, *expected, "fixture {fixture}: {findings:#?}");
        assert!(
            findings[0].message.contains(words),
            "fixture {fixture}: message {:?} lacks {words:?}",
            findings[0].message
        );
        assert!(
            findings.iter().all(|f| f.message.contains("; ")),
            "fixture {fixture}: a message without what to do: {findings:#?}"
        );
        let warning_only = findings.iter().all(|f| f.severity == "warning");
        assert_eq!(
            status,
            if warning_only { 0 } else { 1 },
            "fixture {fixture}"
        );
    }
}

#[test]
fn region_codes_and_coordinates_that_are_not_numbers() {
    let site = TempSite::with_overlay("invalid-location");
    let file = "content/agreements/contoh/agreement.yaml";
    let fixed = site.read(file).replace("lon: 186.8", "lon: 106.8");
    // Unquoted, `18.70` is still read as the text written.
    site.write(file, fixed.replace("region: \"18.72\"", "region: 18.70"));
    assert_eq!(site.findings(), (0, vec![]));
    let broken = fixed
        .replace("region: \"18.72\"", "region: 18.7")
        .replace("lat: -6.2", "lat: utara");
    site.write(file, broken);
    let (status, findings) = site.findings();
    assert_eq!(status, 1);
    let got: Vec<String> = findings.iter().map(|f| f.at()).collect();
    assert_eq!(
        got,
        [
            "error invalid-location content/agreements/contoh/agreement.yaml:14:13",
            "error invalid-location content/agreements/contoh/agreement.yaml:39:21",
        ]
    );
    assert!(
        findings[0]
            .message
            .contains("`18.7` is not a Kemendagri region code")
    );
    assert!(
        findings[1]
            .message
            .contains("the latitude `utara` is not a number")
    );
}

#[test]
fn an_agreement_folder_that_is_not_a_slug() {
    let site = TempSite::minimal();
    let agreement = site.read(AGREEMENT);
    site.write("content/agreements/Contoh_2022/agreement.yaml", agreement);
    let (status, findings) = site.findings();
    assert_eq!(status, 1);
    let got: Vec<String> = findings.iter().map(|f| f.at()).collect();
    assert_eq!(
        got,
        ["error invalid-slug content/agreements/Contoh_2022/agreement.yaml:1:1"]
    );
    assert!(findings[0].message.contains("`Contoh_2022`"));
}

#[test]
fn the_minimal_site_is_clean() {
    let site = TempSite::minimal();
    let run = site.check(&[]);
    assert_eq!(run.code(), 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "1 agreement, 3 shipment records, 2 commodities: no errors, no warnings\n"
    );
    assert_eq!(run.stderr, "");
    let (status, findings) = site.findings();
    assert_eq!((status, findings), (0, vec![]));
}

#[test]
fn the_example_site_in_content_passes() {
    let root = env!("CARGO_MANIFEST_DIR");
    let run = sinergi(&["check", "--site", root, "--format", "json"]);
    let errors: Vec<_> = run
        .findings()
        .into_iter()
        .filter(|f| f.severity == "error")
        .collect();
    assert_eq!(errors, vec![]);
    assert_eq!(run.code(), 0);
}

#[test]
fn exit_codes() {
    let errors = TempSite::with_overlay("unknown-unit");
    assert_eq!(errors.check(&[]).code(), 1);
    assert_eq!(errors.check(&["--deny-warnings"]).code(), 1);

    let warnings = TempSite::with_overlay("target-overdue");
    assert_eq!(warnings.check(&[]).code(), 0);
    assert_eq!(warnings.check(&["--format", "json"]).code(), 0);
    assert_eq!(warnings.check(&["--deny-warnings"]).code(), 1);
    assert_eq!(
        warnings
            .check(&["--deny-warnings", "--format", "github"])
            .code(),
        1
    );

    let clean = TempSite::minimal();
    assert_eq!(clean.check(&["--deny-warnings"]).code(), 0);
}

#[test]
fn a_bad_command_line_exits_2() {
    let site = TempSite::minimal();
    let s = site.path().to_str().unwrap();
    for args in [
        vec!["check", "--site", s, "--format", "xml"],
        vec!["check", "--site", s, "--no-such-flag"],
        vec!["check", "--site"],
        vec!["chek", "--site", s],
        vec!["schema"],
        vec!["schema", "invoice"],
        vec![],
    ] {
        let run = sinergi(&args);
        assert_eq!(run.code(), 2, "sinergi {args:?}: {}", run.stderr);
        assert!(!run.stderr.is_empty(), "sinergi {args:?} says nothing");
        assert_eq!(run.stdout, "", "sinergi {args:?}");
    }
}

#[test]
fn github_format_is_exact() {
    let site = TempSite::with_overlay("unknown-unit");
    let run = site.check(&["--format", "github"]);
    assert_eq!(run.code(), 1);
    assert_eq!(
        run.stdout,
        "::error file=content/agreements/contoh/shipments/2022.yaml,line=6,col=9::`karung` is not a known unit; use one of kg, kuintal, t (ton), head (ekor), egg (butir), pack (paket), truck (truk), l (liter)\n"
    );

    let site = TempSite::with_overlay("target-overdue");
    let run = site.check(&["--format", "github"]);
    assert_eq!(run.code(), 0);
    assert_eq!(
        run.stdout,
        "::warning file=content/agreements/contoh/agreement.yaml,line=38,col=5::target `beras-2022` was due 2022-12-31 and is unmet: 10 of 12 t; record the missing deliveries, or add a milestone explaining the delay\n"
    );

    let clean = TempSite::minimal();
    assert_eq!(clean.check(&["--format", "github"]).stdout, "");
}

#[test]
fn github_format_escapes_what_would_end_the_command() {
    let site = TempSite::minimal();
    site.write(
        "content/agreements/contoh/shipments/a,b:c.yaml",
        "- id: x\n  date: 2022-03-01\n  from: gapoktan\n  commodity: beras\n  quantity: 1\n  unit: \"50%\\nkarung\"\n",
    );
    let run = site.check(&["--format", "github"]);
    assert_eq!(
        run.stdout,
        "::error file=content/agreements/contoh/shipments/a%2Cb%3Ac.yaml,line=6,col=9::`50%25%0Akarung` is not a known unit; use one of kg, kuintal, t (ton), head (ekor), egg (butir), pack (paket), truck (truk), l (liter)\n"
    );
}

#[test]
fn json_format_is_one_array_with_the_documented_fields() {
    let site = TempSite::with_overlay("unknown-unit");
    let run = site.check(&["--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let items = v.as_array().expect("an array");
    assert_eq!(items.len(), 1);
    let keys: Vec<&str> = items[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        ["severity", "code", "file", "line", "column", "message"]
    );
    assert!(items[0]["line"].is_u64() && items[0]["column"].is_u64());

    let clean = TempSite::minimal();
    let run = clean.check(&["--format", "json"]);
    assert_eq!(run.stdout.trim(), "[]");
}

#[test]
fn human_format_shows_location_source_line_caret_and_hint() {
    let site = TempSite::with_overlay("unknown-unit");
    let run = site.check(&[]);
    assert_eq!(run.code(), 1);
    let expected = "\
error[unknown-unit]: `karung` is not a known unit
  --> content/agreements/contoh/shipments/2022.yaml:6:9
  |
6 |   unit: karung
  |         ^
  = hint: use one of kg, kuintal, t (ton), head (ekor), egg (butir), pack (paket), truck (truk), l (liter)
";
    assert!(
        run.stderr.starts_with(expected),
        "human output:\n{}",
        run.stderr
    );
    assert!(
        run.stderr
            .ends_with("1 agreement, 0 shipment records, 2 commodities: 1 error, no warnings\n"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stdout, "");
}

#[test]
fn human_format_counts_warnings() {
    let site = TempSite::with_overlay("target-overdue");
    let run = site.check(&[]);
    assert_eq!(run.code(), 0);
    assert!(run.stderr.contains("warning[target-overdue]"));
    assert!(run.stderr.contains("agreement.yaml:38:5"));
    assert!(run.stderr.contains("= hint: "));
    assert_eq!(
        run.stdout,
        "1 agreement, 3 shipment records, 2 commodities: no errors, 1 warning\n"
    );
}

/// Errors in several files of every kind come out of one run, in a stable order.
#[test]
fn all_findings_of_a_run_are_reported_together() {
    let site = TempSite::with_overlay("invalid-url");
    site.write(
        "content/agreements/contoh/shipments/2023.yaml",
        "- id: kirim-9\n  date: 2022-08-01\n  from: gapoktan\n  commodity: beras\n  quantity: 1\n  unit: karung\n",
    )
    .write(
        "content/agreements/contoh/shipments/rusak.yaml",
        "- id: kirim-10\n  date: [2022\n",
    )
    .write(PAGE, "no front matter\n")
    .write(
        "content/agreements/kedua/agreement.yaml",
        "title: Kedua\nkind: KAD\nstatus: active\nsigned: 2022-13-01\nperiod: {start: 2022-01-01}\nparties: []\n",
    );
    let (status, findings) = site.findings();
    assert_eq!(status, 1);
    let got: Vec<String> = findings.iter().map(|f| f.at()).collect();
    assert_eq!(
        got,
        [
            "error invalid-url content/agreements/contoh/agreement.yaml:46:10",
            "error unknown-unit content/agreements/contoh/shipments/2023.yaml:6:9",
            "error type-error content/agreements/contoh/shipments/rusak.yaml:2:9",
            "error invalid-date content/agreements/kedua/agreement.yaml:4:9",
            "error missing-field content/agreements/kedua/agreement.yaml:6:10",
            "error missing-field content/pages/about.md:1:1",
        ],
        "{findings:#?}"
    );
}

/// A shape error in one record does not hide the records after it.
#[test]
fn every_bad_record_of_a_shipments_file_is_reported() {
    let record = |id: &str, extra: &str| {
        format!(
            "- id: {id}\n  date: 2022-03-01\n  from: gapoktan\n  commodity: beras\n  quantity: 1\n  unit: t\n{extra}"
        )
    };
    let site = TempSite::minimal();
    site.write(
        "content/agreements/contoh/shipments/2022.yaml",
        [
            record("a", "  sumber: [berita]\n"),
            record("b", ""),
            record("c", "  approx: ya\n"),
            record("d", "").replace("unit: t", "unit: karung"),
            record("b", ""),
        ]
        .concat(),
    );
    let (status, findings) = site.findings();
    assert_eq!(status, 1);
    let got: Vec<String> = findings.iter().map(|f| f.at()).collect();
    let file = "content/agreements/contoh/shipments/2022.yaml";
    assert_eq!(
        got,
        [
            format!("error unknown-key {file}:7:3"),
            format!("error type-error {file}:20:11"),
            format!("error unknown-unit {file}:26:9"),
            format!("error duplicate-id {file}:27:7"),
        ]
    );
}

#[test]
fn two_milestones_named_alike_are_a_duplicate_id() {
    let site = TempSite::minimal();
    let agreement = site.read(AGREEMENT);
    let milestones = "milestones:\n\
        - date: 2022-03-01\n  title: {id: Rapat koordinasi, en: First meeting}\n  status: done\n\
        - date: 2022-03-01\n  title: Rapat koordinasi\n  status: done\n\
        - id: rapat-kedua\n  date: 2022-04-01\n  title: Rapat\n  status: done\n\
        - id: rapat-kedua\n  date: 2022-05-01\n  title: Rapat\n  status: planned\n";
    site.write(AGREEMENT, format!("{agreement}{milestones}"));
    let (status, findings) = site.findings();
    assert_eq!(status, 1);
    let line = agreement.lines().count();
    let got: Vec<String> = findings.iter().map(|f| f.at()).collect();
    assert_eq!(
        got,
        [
            format!("error duplicate-id {AGREEMENT}:{}:3", line + 5),
            format!("error duplicate-id {AGREEMENT}:{}:7", line + 12),
        ]
    );
    assert!(
        findings[0]
            .message
            .contains("`2022-03-01-rapat-koordinasi`"),
        "{}",
        findings[0].message
    );
}
