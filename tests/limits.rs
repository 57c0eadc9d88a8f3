//! The input limits of `limits:` in site.yaml, through the real binary: a file over
//! `max_file_size` is refused before it is read, a site over `max_records` stops at the first
//! record past the limit (in one file, across files, across agreements, from the parse cache),
//! invalid limits are located errors, and every limit hit fails `build` without touching the
//! previous output.

mod common;

use std::fs;

use common::{AGREEMENT, Finding, PAGE, SHIPMENTS, SITE, TempSite, sinergi, snapshot};

const MIB: u64 = 1024 * 1024;

/// One valid shipment record of the minimal fixture on one line (flow style).
fn record(id: &str) -> String {
    format!(
        "- {{id: {id}, date: 2022-03-01, from: gapoktan, commodity: beras, quantity: 1, unit: t}}\n"
    )
}

fn records(prefix: &str, n: usize) -> String {
    (1..=n).map(|i| record(&format!("{prefix}{i}"))).collect()
}

/// The minimal site (3 records in `SHIPMENTS`) with `limits:` added to its site.yaml.
fn site_with_limits(limits: &str) -> TempSite {
    let site = TempSite::minimal();
    let text = site.read(SITE) + "limits:\n" + limits;
    site.write(SITE, text);
    site
}

fn at(findings: &[Finding]) -> Vec<String> {
    findings.iter().map(Finding::at).collect()
}

fn build(site: &TempSite) -> common::Run {
    sinergi(&["build", "--site", site.path().to_str().expect("UTF-8 path")])
}

#[test]
fn a_file_just_over_the_configured_size_is_refused_with_its_location() {
    let site = site_with_limits("  max_file_size: 2 KiB\n");
    let base = site.read(SHIPMENTS);
    let pad = |total: usize| format!("{base}#{}\n", "x".repeat(total - base.len() - 2));

    site.write(SHIPMENTS, pad(2048));
    let (status, findings) = site.findings();
    assert_eq!((status, at(&findings)), (0, vec![]), "exactly 2 KiB passes");

    site.write(SHIPMENTS, pad(2049));
    let (status, findings) = site.findings();
    assert_eq!(status, 1);
    assert_eq!(
        at(&findings),
        [format!("error file-too-large {SHIPMENTS}:1:1")]
    );
    let message = &findings[0].message;
    assert!(message.contains("2,049 bytes"), "{message}");
    assert!(message.contains("(2 KiB)"), "{message}");
    assert!(message.contains("limits.max_file_size"), "{message}");

    // The same limit in bytes, for every kind of file after site.yaml.
    let site = site_with_limits("  max_file_size: 700\n");
    site.write(SHIPMENTS, records("r", 3));
    site.write(
        PAGE,
        format!("---\ntitle: Tentang\n---\n{}\n", "kata ".repeat(200)),
    );
    let (status, findings) = site.findings();
    assert_eq!(status, 1);
    assert_eq!(
        at(&findings),
        [
            format!("error file-too-large {AGREEMENT}:1:1"),
            format!("error file-too-large {PAGE}:1:1"),
        ]
    );
}

/// site.yaml is read before its limits are known: a smaller limit does not refuse it.
#[test]
fn site_yaml_itself_is_read_under_the_default_limit() {
    let site = site_with_limits("  max_file_size: 1 KiB\n");
    let text = site.read(SITE) + &format!("# {}\n", "x".repeat(4096));
    site.write(SITE, text);
    let (status, findings) = site.findings();
    assert_eq!((status, at(&findings)), (0, vec![]));
}

/// A sparse file reports 256 MiB + 1 byte without taking the disk space: the default limit
/// refuses it from its metadata, without reading it.
#[test]
fn the_default_limit_is_256_mib_and_is_checked_before_reading() {
    let site = TempSite::minimal();
    for file in [SHIPMENTS, SITE] {
        let f = fs::File::create(site.path().join(file)).expect("create");
        f.set_len(256 * MIB + 1).expect("sparse file");
    }
    let (status, findings) = site.findings();
    assert_eq!(status, 1);
    assert_eq!(
        at(&findings),
        [
            format!("error file-too-large {SHIPMENTS}:1:1"),
            format!("error file-too-large {SITE}:1:1"),
        ]
    );
    assert!(findings[0].message.contains("(256 MiB)"), "{findings:#?}");
    assert!(
        findings[0].message.contains("268,435,457 bytes"),
        "{findings:#?}"
    );
    assert!(findings[1].message.contains("default"), "{findings:#?}");

    // Exactly 256 MiB is let through to the parser (it then fails on the NUL bytes).
    let f = fs::OpenOptions::new()
        .write(true)
        .open(site.path().join(SHIPMENTS))
        .unwrap();
    f.set_len(256 * MIB).unwrap();
    site.write(
        SITE,
        fs::read(common::fixtures().join("minimal").join(SITE)).unwrap(),
    );
    let (status, findings) = site.findings();
    assert_eq!(status, 1);
    assert_ne!(findings[0].code, "file-too-large", "{findings:#?}");
}

#[test]
fn a_million_tiny_records_stop_at_the_first_record_past_the_limit() {
    let site = site_with_limits("  max_records: 1000\n");
    let file = "content/agreements/contoh/shipments/besar.yaml";
    site.write(file, records("r", 1_000_000));
    let run = site.check(&["--format", "json"]);
    assert_eq!(run.code(), 1, "{}", run.stderr);
    let findings = run.findings();
    // 2022.yaml (read first) holds 3 records, so record 998 of besar.yaml is the 1,001st.
    assert_eq!(
        at(&findings),
        [format!("error too-many-records {file}:998:3")]
    );
    let message = &findings[0].message;
    assert!(message.contains("(1,000)"), "{message}");
    assert!(message.contains("record 1,001"), "{message}");
    assert!(message.contains("limits.max_records"), "{message}");
}

#[test]
fn the_limit_counts_the_records_of_every_file_in_order() {
    let site = site_with_limits("  max_records: 5\n");
    let file = "content/agreements/contoh/shipments/2023.yaml";
    site.write(file, records("b", 4));
    let (status, findings) = site.findings();
    assert_eq!(status, 1);
    assert_eq!(
        at(&findings),
        [format!("error too-many-records {file}:3:3")]
    );

    // At the limit exactly, nothing is reported.
    site.write(file, records("b", 2));
    let (status, findings) = site.findings();
    assert_eq!((status, at(&findings)), (0, vec![]));
}

/// Files are read in parallel; the finding must still name the same record on every run.
#[test]
fn the_record_named_is_the_same_on_every_run_across_files_and_agreements() {
    let site = site_with_limits("  max_records: 1050\n");
    let second = "content/agreements/contoh-2";
    site.write(&format!("{second}/agreement.yaml"), site.read(AGREEMENT));
    for (agreement, prefix) in [("contoh", "a"), ("contoh-2", "b")] {
        for month in 1..=12 {
            site.write(
                &format!("content/agreements/{agreement}/shipments/m{month:02}.yaml"),
                records(&format!("{prefix}{month}-"), 50),
            );
        }
    }
    // contoh: 3 + 12 x 50 = 603 records; contoh-2 reaches 1,050 after 8 files and 47
    // records of m09.yaml, so record 48 of it is the 1,051st.
    let expected = vec![format!(
        "error too-many-records {second}/shipments/m09.yaml:48:3"
    )];
    for _ in 0..5 {
        let (status, findings) = site.findings();
        assert_eq!((status, at(&findings)), (1, expected.clone()));
    }
}

/// The parse cache returns every record of an unchanged file; the limit still applies, and
/// the size is checked before the cache is consulted.
#[test]
fn the_limits_apply_to_files_read_from_the_parse_cache() {
    let site = TempSite::minimal();
    let file = "content/agreements/contoh/shipments/besar.yaml";
    site.write(file, records("r", 200));
    let (status, _) = site.findings();
    assert_eq!(status, 0);
    // Entries of shipment files (each agreement.yaml has its own, `agreement-<hash>.json`).
    let shipment_entries = || {
        fs::read_dir(site.path().join(".sinergi-cache"))
            .expect("a cache folder")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .filter(|p| {
                !p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("agreement-")
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        shipment_entries().len(),
        1,
        "besar.yaml is large enough to be cached"
    );

    // The cached records carry their locations; one moved far away shows that the finding
    // comes from the cache rather than from parsing the file again.
    let entry = shipment_entries().remove(0);
    let json = fs::read_to_string(&entry).unwrap();
    assert_eq!(
        json.matches("},98,3]").count(),
        1,
        "one record starts at 98:3"
    );
    fs::write(&entry, json.replace("},98,3]", "},9098,3]")).unwrap();

    let text = site.read(SITE);
    site.write(SITE, format!("{text}limits:\n  max_records: 100\n"));
    let (status, findings) = site.findings();
    assert_eq!(status, 1);
    // 3 records in 2022.yaml, so record 98 of besar.yaml is the 101st.
    assert_eq!(
        at(&findings),
        [format!("error too-many-records {file}:9098:3")]
    );

    site.write(SITE, format!("{text}limits:\n  max_file_size: 4 KiB\n"));
    let (status, findings) = site.findings();
    assert_eq!(status, 1);
    assert_eq!(at(&findings), [format!("error file-too-large {file}:1:1")]);

    site.write(SITE, text);
    let (status, findings) = site.findings();
    assert_eq!((status, at(&findings)), (0, vec![]));
}

#[test]
fn limits_written_in_every_accepted_form_are_accepted() {
    for limits in [
        "  max_file_size: 256 MiB\n  max_records: 1000000\n",
        "  max_file_size: 268435456\n",
        "  max_file_size: 10MB\n  max_records: 1_000\n",
        "  max_file_size: 1 GiB\n  max_records: 100000000\n",
        "  max_file_size: 64 kib\n",
        "  {}\n",
    ] {
        let site = site_with_limits(limits);
        let (status, findings) = site.findings();
        assert_eq!((status, at(&findings)), (0, vec![]), "{limits}");
    }
}

#[test]
fn invalid_limits_are_located_errors_with_a_hint() {
    // (the line under `limits:`, code, column, words of the message)
    let cases: &[(&str, &str, u32, &str)] = &[
        ("max_records: 0", "invalid-limit", 16, "0 records"),
        ("max_records: -5", "invalid-limit", 16, "negative"),
        (
            "max_records: 1.5",
            "invalid-limit",
            16,
            "not a whole number",
        ),
        (
            "max_records: lots",
            "invalid-limit",
            16,
            "not a whole number",
        ),
        (
            "max_records: 1e6",
            "invalid-limit",
            16,
            "not a whole number",
        ),
        ("max_records: 100000001", "invalid-limit", 16, "highest"),
        (
            "max_records: 99999999999999999999999999",
            "invalid-limit",
            16,
            "highest",
        ),
        ("max_file_size: 0", "invalid-limit", 18, "0 would refuse"),
        (
            "max_file_size: 0 MiB",
            "invalid-limit",
            18,
            "0 would refuse",
        ),
        ("max_file_size: -1 MiB", "invalid-limit", 18, "negative"),
        (
            "max_file_size: 1.5 MiB",
            "invalid-limit",
            18,
            "not a whole number",
        ),
        (
            "max_file_size: 10 parsecs",
            "invalid-limit",
            18,
            "not a file size",
        ),
        ("max_file_size: 2 GiB", "invalid-limit", 18, "highest"),
        ("max_file_size: 1 TB", "invalid-limit", 18, "highest"),
        ("max_file_size: [1]", "type-error", 18, "expected"),
        ("max_depth: 3", "unknown-key", 3, "unknown key `max_depth`"),
    ];
    for (line, code, column, words) in cases {
        let site = site_with_limits(&format!("  {line}\n"));
        let limits_line = site.read(SITE).lines().count() as u32;
        let run = site.check(&["--format", "json"]);
        assert_eq!(run.code(), 1, "{line}: {}", run.stdout);
        let findings = run.findings();
        assert_eq!(
            at(&findings),
            [format!("error {code} {SITE}:{limits_line}:{column}")],
            "{line}"
        );
        assert!(findings[0].message.contains(words), "{line}: {findings:#?}");
        // The message ends with what to do.
        assert!(findings[0].message.contains("; "), "{line}: {findings:#?}");
    }
    let site = site_with_limits("  max_records: 0\n");
    let run = site.check(&[]);
    assert_eq!(run.code(), 1);
    assert!(
        run.stderr.contains("error[invalid-limit]"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("hint: write a whole number from 1 to 100,000,000"),
        "{}",
        run.stderr
    );

    let site = TempSite::minimal();
    site.write(SITE, site.read(SITE) + "limits: [1]\n");
    let (status, findings) = site.findings();
    assert_eq!(status, 1);
    assert_eq!(findings[0].code, "type-error", "{findings:#?}");
}

/// Each limit hit fails `build` with its code and location, and the previous output stays
/// exactly as it was.
#[test]
fn every_limit_hit_fails_the_build_and_keeps_the_previous_output() {
    let alias_flood = format!(
        "- &r {{id: x, date: 2022-03-01, from: gapoktan, commodity: beras, quantity: 1, unit: t}}\n{}",
        "- *r\n".repeat(10_001)
    );
    let roomy = "  max_file_size: 64 KiB\n  max_records: 100000\n";
    // (what, limits, file, new text, code)
    let cases: Vec<(&str, &str, &str, String, &str)> = vec![
        (
            "file size",
            roomy,
            SHIPMENTS,
            format!("{}#{}\n", records("r", 3), "x".repeat(64 * 1024)),
            "file-too-large",
        ),
        (
            "record count",
            "  max_records: 100\n",
            "content/agreements/contoh/shipments/2023.yaml",
            records("b", 98),
            "too-many-records",
        ),
        // No key of the format takes nested lists, so the reader stops at the first level it
        // does not expect, before the depth limit (tests/check_edge.rs reaches that one with
        // an untyped reader).
        (
            "nesting",
            roomy,
            SHIPMENTS,
            format!("- note: {}{}\n", "[".repeat(10_000), "]".repeat(10_000)),
            "type-error",
        ),
        ("aliases", roomy, SHIPMENTS, alias_flood, "yaml-syntax"),
        ("invalid limit", roomy, SITE, String::new(), "invalid-limit"),
    ];
    for (what, limits, file, text, code) in cases {
        let site = site_with_limits(limits);
        let first = build(&site);
        assert_eq!(first.code(), 0, "{what}: {}", first.stderr);
        let out = site.path().join("output");
        let before = snapshot(&out);
        assert!(before.contains_key("index.html"));

        if file == SITE {
            site.write(
                SITE,
                site.read(SITE)
                    .replace("max_records: 100000", "max_records: -1"),
            );
        } else {
            site.write(file, text);
        }
        let run = build(&site);
        assert_eq!(run.code(), 1, "{what}: {}", run.stderr);
        assert!(
            run.stderr.contains(&format!("error[{code}]")),
            "{what}: {}",
            run.stderr
        );
        assert!(
            run.stderr.contains(&format!("--> {file}:")),
            "{what}: {}",
            run.stderr
        );
        assert!(
            snapshot(&out) == before,
            "{what}: the previous output changed"
        );
    }
}

/// The schema that editors use knows the limits, in the same forms the loader reads.
#[test]
fn the_site_schema_describes_the_limits() {
    let run = sinergi(&["schema", "site"]);
    assert_eq!(run.code(), 0);
    let schema: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let mut compiler = boon::Compiler::new();
    compiler.add_resource("urn:site", schema).unwrap();
    let mut schemas = boon::Schemas::new();
    let index = compiler.compile("urn:site", &mut schemas).unwrap();
    let valid = |limits: serde_json::Value| {
        let site = serde_json::json!({"title": "Situs", "limits": limits});
        schemas.validate(&site, index).is_ok()
    };
    for ok in [
        serde_json::json!({"max_file_size": "256 MiB", "max_records": 1_000_000}),
        serde_json::json!({"max_file_size": 1_048_576}),
        serde_json::json!({"max_file_size": "10MB", "max_records": "1_000"}),
        serde_json::json!({}),
    ] {
        assert!(valid(ok.clone()), "{ok}");
    }
    for bad in [
        serde_json::json!({"max_file_size": 0}),
        serde_json::json!({"max_file_size": "10 parsecs"}),
        serde_json::json!({"max_file_size": 2_147_483_648u64}),
        serde_json::json!({"max_records": 0}),
        serde_json::json!({"max_records": -5}),
        serde_json::json!({"max_records": 100_000_001}),
        serde_json::json!({"max_depth": 3}),
    ] {
        assert!(!valid(bad.clone()), "{bad}");
    }
}

/// A named pipe would block a reader forever, and a device may never end; neither is read.
#[test]
fn a_named_pipe_in_place_of_a_data_file_is_refused_without_blocking() {
    let site = TempSite::minimal();
    for file in [SITE, AGREEMENT] {
        let path = site.path().join(file);
        fs::remove_file(&path).unwrap();
        let made = std::process::Command::new("mkfifo").arg(&path).status();
        if !made.is_ok_and(|s| s.success()) {
            println!("SKIPPED: mkfifo is not available");
            return;
        }
    }
    let (status, findings) = site.findings();
    assert_eq!(status, 1);
    assert_eq!(
        at(&findings),
        [
            format!("error unreadable-file {AGREEMENT}:1:1"),
            format!("error unreadable-file {SITE}:1:1"),
        ]
    );
    assert!(
        findings[0].message.contains("not a regular file"),
        "{findings:#?}"
    );
}

/// Theme files (templates, strings, static files) have the default size limit too, and a
/// strings file that is a link or a pipe is not read: each is an error.
#[test]
fn oversized_theme_files_are_refused_and_linked_or_piped_strings_are_not_read() {
    let site = TempSite::minimal();
    fs::create_dir_all(site.path().join("static")).unwrap();
    fs::create_dir_all(site.path().join("i18n")).unwrap();
    let big = fs::File::create(site.path().join("static/video.mp4")).unwrap();
    big.set_len(256 * MIB + 1).expect("sparse file");
    std::os::unix::fs::symlink("/etc/hostname", site.path().join("i18n/id.yaml")).unwrap();
    let piped = std::process::Command::new("mkfifo")
        .arg(site.path().join("i18n/en.yaml"))
        .status()
        .is_ok_and(|s| s.success());
    let o = build(&site);
    assert_eq!(o.code(), 1, "{}", o.stderr);
    assert!(o.stderr.contains("error[unreadable-file]"), "{}", o.stderr);
    assert!(o.stderr.contains("i18n/id.yaml"), "{}", o.stderr);
    fs::remove_file(site.path().join("i18n/id.yaml")).unwrap();
    let o = build(&site);
    assert_eq!(o.code(), 1, "{}", o.stderr);
    assert!(o.stderr.contains("file-too-large"), "{}", o.stderr);
    assert!(o.stderr.contains("static/video.mp4"), "{}", o.stderr);
    if piped {
        assert!(o.stderr.contains("i18n/en.yaml"), "{}", o.stderr);
        assert!(o.stderr.contains("not a regular file"), "{}", o.stderr);
        fs::remove_file(site.path().join("i18n/en.yaml")).unwrap();
    } else {
        println!("SKIPPED (part): mkfifo is not available");
    }
    fs::remove_file(site.path().join("static/video.mp4")).unwrap();
    let o = build(&site);
    assert_eq!(o.code(), 0, "{}{}", o.stdout, o.stderr);
}
