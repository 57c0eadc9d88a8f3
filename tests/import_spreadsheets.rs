//! `sinergi import` through the real binary, always into a temporary copy of
//! tests/fixtures/import/site. The fixtures: pengiriman.csv (`;`-separated, Indonesian
//! headers, decimal commas, thousands dots, names instead of ids, document numbers),
//! pengiriman.xlsx (Excel date cells, two data sheets with Indonesian and English headers, a
//! title row, a total row, an instructions sheet, a hidden sheet) and their `-salah` ("wrong")
//! twins with bad rows. tests/fixtures/import/make_xlsx.py writes the XLSX files.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use common::{Run, copy_dir, sinergi};

const SLUG: &str = "metro-dki";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import")
}

fn fixture(name: &str) -> String {
    fixtures().join(name).to_str().unwrap().to_string()
}

/// A private copy of the fixture site.
fn site(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sinergi-import-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    copy_dir(&fixtures().join("site"), &dir);
    dir
}

fn shipments_dir(site: &Path) -> PathBuf {
    site.join(format!("content/agreements/{SLUG}/shipments"))
}

/// Every file of the agreement's shipments folder and its text.
fn shipment_files(site: &Path) -> BTreeMap<String, String> {
    fs::read_dir(shipments_dir(site))
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                fs::read_to_string(e.path()).unwrap(),
            )
        })
        .collect()
}

fn import(site: &Path, file: &str, extra: &[&str]) -> Run {
    let mut args = vec![
        "import",
        "--site",
        site.to_str().unwrap(),
        "--agreement",
        SLUG,
        file,
    ];
    args.extend_from_slice(extra);
    sinergi(&args)
}

fn assert_check_passes(site: &Path) {
    let r = sinergi(&["check", "--site", site.to_str().unwrap(), "--deny-warnings"]);
    assert_eq!(
        r.status,
        Some(0),
        "check after import: {}{}",
        r.stdout,
        r.stderr
    );
}

/// `{commodity: quantity}` from the agreement's data.json after a build.
fn totals(site: &Path) -> BTreeMap<String, String> {
    let r = sinergi(&["build", "--site", site.to_str().unwrap()]);
    assert_eq!(r.status, Some(0), "build: {}{}", r.stdout, r.stderr);
    let json =
        fs::read_to_string(site.join(format!("output/agreements/{SLUG}/data.json"))).unwrap();
    let data: serde_json::Value = serde_json::from_str(&json).unwrap();
    data["totals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["commodity"].as_str().unwrap().to_string(),
                format!("{} {}", t["quantity"], t["unit"].as_str().unwrap()),
            )
        })
        .collect()
}

#[test]
fn csv_with_indonesian_headers_numbers_and_names_becomes_valid_records() {
    let site = site("csv");
    let r = import(&site, &fixture("pengiriman.csv"), &[]);
    assert_eq!(r.status, Some(0), "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout
            .contains("added 4 records, skipped 0 already imported, 0 invalid"),
        "{}",
        r.stdout
    );
    // The file is named after the latest date in the sheet, not today.
    let name = "imported-2022-10-20.yaml";
    assert!(r.stdout.contains(&format!(
        "wrote 4 records to content/agreements/{SLUG}/shipments/{name}"
    )));
    let files = shipment_files(&site);
    let text = &files[name];
    for expected in [
        "date: 2022-09-10",                                // 10/09/2022
        "date: 2022-09-15",                                // 15-09-2022
        "date: 2022-10-01",                                // 1 Oktober 2022
        "from: pt-suj",     // PT SUJ, the short form in the participant's name
        "to: dharma-jaya",  // Perumda Dharma Jaya
        "to: food-station", // Food Station
        "commodity: sapi",  // Sapi
        "quantity: 1250",   // 1.250 (thousands dot)
        "quantity: 7.5",    // 7,5 (decimal comma)
        "quantity: 2.25",   // 2,25
        "status: received", // diterima
        "status: verified", // terverifikasi
        "document: pks-suj-dharma-jaya", // the PKS's number
        "value_idr: 375000000", // Rp375.000.000
        "value_idr: 1500000.5", // 1.500.000,50
        "note: \"truk pertama (dokumen SJ-015/IX/2022)\"", // a number of no declared document
        "# pengiriman.csv: row 3",
    ] {
        assert!(text.contains(expected), "`{expected}` not in\n{text}");
    }
    assert_check_passes(&site);
    let t = totals(&site);
    assert_eq!(t["sapi"], "55 head"); // 30 before + 25
    assert_eq!(t["telur"], "3.5 t"); // 1250 kg + 2.25 t
    assert_eq!(t["beras"], "7.5 t");
    let _ = fs::remove_dir_all(&site);
}

#[test]
fn xlsx_sheets_with_excel_dates_and_names_become_valid_records() {
    let site = site("xlsx");
    let r = import(&site, &fixture("pengiriman.xlsx"), &[]);
    assert_eq!(r.status, Some(0), "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout
            .contains("added 6 records, skipped 0 already imported, 0 invalid"),
        "{}",
        r.stdout
    );
    assert!(
        r.stderr.contains("sheet Daftar: hidden, not read"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("sheet Petunjuk: no header row"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("sheet Juni: column `No` not imported"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("sheet Juni: 1 total row skipped"),
        "{}",
        r.stderr
    );
    let files = shipment_files(&site);
    let text = &files["imported-2023-07-10.yaml"];
    for expected in [
        "# Diimpor dari / imported from pengiriman.xlsx (sheets Juni, Juli)",
        "# pengiriman.xlsx: sheet Juni, row 4\n- id: 2023-06-05-sapi-", // an Excel date cell
        "date: 2023-06-26", // 26 Juni 2023 typed as text
        "date: 2023-07-03", // Excel date cell in the English sheet
        "date: 2023-07-10", // 10/07/2023 typed as text
        "from: pt-kuasa-omega-jaya\n  to: food-station\n  commodity: telur\n  quantity: 1.5", // KUJ, Eggs, 1.5 as a number
        "quantity: 1250\n  unit: kg", // "1.250" as text
        "quantity: 2.5\n  unit: ton", // "2,5" as text
        "unit: ekor",                 // "Ekor"
        "document: pks-suj-dharma-jaya",
        "value_idr: 180000000",
    ] {
        assert!(text.contains(expected), "`{expected}` not in\n{text}");
    }
    assert_check_passes(&site);
    let t = totals(&site);
    assert_eq!(t["sapi"], "72 head"); // 30 + 30 + 12
    assert_eq!(t["beras"], "3.75 t"); // 1250 kg + 2.5 t
    assert_eq!(t["telur"], "2.3 t"); // 1.5 t + 800 kg
    let _ = fs::remove_dir_all(&site);
}

#[test]
fn a_bad_row_fails_with_sheet_row_and_column_and_nothing_is_written() {
    let site = site("bad");
    let before = shipment_files(&site);

    let r = import(&site, &fixture("pengiriman-salah.xlsx"), &[]);
    assert_eq!(r.status, Some(1), "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr
            .contains("error[invalid-quantity]: `sepuluh` is not a number\n  --> ")
            && r.stderr
                .contains("pengiriman-salah.xlsx: sheet Juni, row 7, column jumlah\n"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("nothing was written"), "{}", r.stderr);
    assert_eq!(shipment_files(&site), before);

    let r = import(&site, &fixture("pengiriman-salah.csv"), &[]);
    assert_eq!(r.status, Some(1), "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr
            .contains("error[invalid-quantity]: `1,2,3` is not a number\n")
            && r.stderr
                .contains("pengiriman-salah.csv: row 3, column Jumlah\n"),
        "{}",
        r.stderr
    );
    // Checked by the same rules as YAML data: the loader and validator report it.
    assert!(
        r.stderr
            .contains("error[unknown-reference]: there is no commodity with id `Jagung`\n")
            && r.stderr
                .contains("pengiriman-salah.csv: row 4, column Komoditas\n"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("added 0 records, skipped 0 already imported, 2 invalid"),
        "{}",
        r.stderr
    );
    assert_eq!(shipment_files(&site), before);
    let _ = fs::remove_dir_all(&site);
}

#[test]
fn the_validator_rules_apply_to_every_row() {
    let site = site("rules");
    let sheet = site.join("aturan.csv");
    fs::write(
        &sheet,
        "tanggal,pelaku,komoditas,jumlah,satuan\n\
         2022-06-01,PT SUJ,Sapi,1,ekor\n\
         2022-07-01,PT SUJ,Telur,1,t\n\
         2022-07-02,PT SUJ,Sapi,1,kg\n\
         2022-07-03,PT SUJ,Sapi,0,ekor\n\
         2022-07-04,PT SUJ,Sapi,1,gantang\n\
         2022-07-05,Koperasi Entah,Sapi,1,ekor\n",
    )
    .unwrap();
    let before = shipment_files(&site);
    let r = import(&site, sheet.to_str().unwrap(), &[]);
    assert_eq!(r.status, Some(1), "{}{}", r.stdout, r.stderr);
    for (row, column, code) in [
        (2, "tanggal", "out-of-period"),
        (3, "komoditas", "commodity-not-allowed"),
        (4, "satuan", "unit-mismatch"),
        (5, "jumlah", "invalid-quantity"),
        (6, "satuan", "unknown-unit"),
        (7, "pelaku", "unknown-reference"),
    ] {
        let needle = format!("  --> {}: row {row}, column {column}\n", sheet.display());
        let at = r
            .stderr
            .find(&needle)
            .unwrap_or_else(|| panic!("`{needle}` not in\n{}", r.stderr));
        let header = r.stderr[..at].lines().last().unwrap_or_default();
        assert!(header.starts_with(&format!("error[{code}]: ")), "{header}");
    }
    assert!(r.stderr.contains("6 invalid"), "{}", r.stderr);
    assert_eq!(shipment_files(&site), before);
    let _ = fs::remove_dir_all(&site);
}

#[test]
fn skip_invalid_imports_the_good_rows_and_lists_the_bad_ones() {
    let site = site("skip");
    let r = import(&site, &fixture("pengiriman-salah.csv"), &["--skip-invalid"]);
    assert_eq!(r.status, Some(0), "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout
            .contains("added 2 records, skipped 0 already imported, 2 invalid"),
        "{}",
        r.stdout
    );
    assert!(
        r.stderr
            .contains("warning[invalid-quantity]: row left out: `1,2,3` is not a number"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("row 3, column Jumlah"), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("warning[unknown-reference]: row left out: "),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("row 4, column Komoditas"), "{}", r.stderr);
    let files = shipment_files(&site);
    let text = &files["imported-2022-10-20.yaml"];
    assert_eq!(text.matches("\n- id: ").count(), 2, "{text}");
    assert!(text.contains("# pengiriman-salah.csv: row 2\n"), "{text}");
    assert!(text.contains("# pengiriman-salah.csv: row 5\n"), "{text}");
    assert_check_passes(&site);
    let _ = fs::remove_dir_all(&site);
}

#[test]
fn importing_the_same_sheet_again_adds_nothing() {
    let site = site("again");
    for file in ["pengiriman.csv", "pengiriman.xlsx"] {
        let r = import(&site, &fixture(file), &[]);
        assert_eq!(r.status, Some(0), "{}{}", r.stdout, r.stderr);
    }
    let before = shipment_files(&site);
    let r = import(&site, &fixture("pengiriman.csv"), &[]);
    assert_eq!(r.status, Some(0), "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout
            .contains("added 0 records, skipped 4 already imported, 0 invalid"),
        "{}",
        r.stdout
    );
    let r = import(&site, &fixture("pengiriman.xlsx"), &[]);
    assert!(
        r.stdout
            .contains("added 0 records, skipped 6 already imported, 0 invalid"),
        "{}",
        r.stdout
    );
    assert_eq!(shipment_files(&site), before);

    // A row with a document number keeps its id when it is corrected later; the change is
    // pointed out, never applied behind the user's back.
    let corrected = site.join("koreksi.csv");
    let csv = fs::read_to_string(fixtures().join("pengiriman.csv")).unwrap();
    fs::write(&corrected, csv.replace("Sapi;25;ekor", "Sapi;26;ekor")).unwrap();
    let r = import(&site, corrected.to_str().unwrap(), &[]);
    assert_eq!(r.status, Some(0), "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout
            .contains("added 0 records, skipped 4 already imported"),
        "{}",
        r.stdout
    );
    assert!(
        r.stderr
            .contains("row 2: already imported as `pks-001-ix-2022-"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("the quantity differs (sheet: 26 ekor, file: 25 ekor)"),
        "{}",
        r.stderr
    );
    assert_eq!(shipment_files(&site), before);
    let _ = fs::remove_dir_all(&site);
}

#[test]
fn dry_run_prints_the_records_and_writes_nothing() {
    let site = site("dry");
    let before = shipment_files(&site);
    let r = import(&site, &fixture("pengiriman.xlsx"), &["--dry-run"]);
    assert_eq!(r.status, Some(0), "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains(&format!(
            "# would append to content/agreements/{SLUG}/shipments/imported-2023-07-10.yaml"
        )),
        "{}",
        r.stdout
    );
    assert_eq!(r.stdout.matches("\n- id: ").count(), 6, "{}", r.stdout);
    assert!(
        r.stdout
            .contains("dry run: would add 6 records, skipped 0 already imported, 0 invalid"),
        "{}",
        r.stdout
    );
    assert_eq!(shipment_files(&site), before);

    // A dry run reports bad rows like a real one.
    let r = import(&site, &fixture("pengiriman-salah.xlsx"), &["--dry-run"]);
    assert_eq!(r.status, Some(1));
    assert!(
        r.stderr.contains("sheet Juni, row 7, column jumlah"),
        "{}",
        r.stderr
    );
    assert_eq!(shipment_files(&site), before);
    let _ = fs::remove_dir_all(&site);
}

#[test]
fn into_appends_to_a_file_of_the_agreement_and_keeps_what_it_holds() {
    let site = site("into");
    let before = fs::read_to_string(shipments_dir(&site).join("awal.yaml")).unwrap();
    let r = import(&site, &fixture("pengiriman.csv"), &["--into", "awal.yaml"]);
    assert_eq!(r.status, Some(0), "{}{}", r.stdout, r.stderr);
    let after = fs::read_to_string(shipments_dir(&site).join("awal.yaml")).unwrap();
    assert!(
        after.starts_with(&before),
        "the existing records stay as written"
    );
    assert_eq!(after.matches("\n- id: ").count(), 4);
    assert_eq!(shipment_files(&site).len(), 1, "no other file was written");
    assert_check_passes(&site);

    // A path inside the shipments folder works too, in a subfolder.
    let nested = shipments_dir(&site).join("2023/juni.yaml");
    let r = import(
        &site,
        &fixture("pengiriman.xlsx"),
        &["--into", nested.to_str().unwrap()],
    );
    assert_eq!(r.status, Some(0), "{}{}", r.stdout, r.stderr);
    assert!(nested.is_file());
    assert_check_passes(&site);

    // Outside it, check and build would never see the records.
    let outside = site.join("lain.yaml");
    let r = import(
        &site,
        &fixture("pengiriman.csv"),
        &["--into", outside.to_str().unwrap()],
    );
    assert_eq!(r.status, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("must be inside"), "{}", r.stderr);
    let r = import(
        &site,
        &fixture("pengiriman.csv"),
        &["--into", "catatan.txt"],
    );
    assert_eq!(r.status, Some(2), "{}", r.stderr);
    assert!(!outside.exists());
    let _ = fs::remove_dir_all(&site);
}

#[test]
fn command_line_mistakes_exit_2_and_write_nothing() {
    let site = site("usage");
    let before = shipment_files(&site);
    let s = site.to_str().unwrap();
    let csv = fixture("pengiriman.csv");

    let r = sinergi(&["import", "--site", s, "--agreement", "tidak-ada", &csv]);
    assert_eq!(r.status, Some(2), "{}", r.stderr);
    assert!(
        r.stderr.contains("no agreement `tidak-ada`") && r.stderr.contains(SLUG),
        "{}",
        r.stderr
    );

    let r = sinergi(&["import", "--site", s, "--agreement", SLUG, "/tidak/ada.csv"]);
    assert_eq!(r.status, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("cannot find"), "{}", r.stderr);

    let r = sinergi(&[
        "import",
        "--site",
        s,
        "--agreement",
        SLUG,
        &fixture("make_xlsx.py"),
    ]);
    assert_eq!(r.status, Some(2), "{}", r.stderr);

    // The memory bomb fuzzing found (a looping chain in an .xls) is refused unread.
    let bomb = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/known/xls-cfb-chain-cycle.xls");
    let r = import(&site, bomb.to_str().unwrap(), &[]);
    assert_eq!(r.status, Some(2), "{}", r.stderr);
    assert!(
        r.stderr.contains("save the sheet as .xlsx or .csv"),
        "{}",
        r.stderr
    );

    let r = sinergi(&["import", "--site", s, &csv]);
    assert_eq!(r.status, Some(2), "--agreement is required: {}", r.stderr);

    let r = sinergi(&["import", "--agreement", SLUG, "--site", "/tidak/ada", &csv]);
    assert_eq!(r.status, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("not a sinergi site"), "{}", r.stderr);
    assert_eq!(shipment_files(&site), before);
    let _ = fs::remove_dir_all(&site);
}

#[test]
fn a_site_with_errors_of_its_own_stops_the_import() {
    let site = site("broken");
    fs::write(
        shipments_dir(&site).join("rusak.yaml"),
        "- id: rusak\n  date: 2022-07-01\n  from: pt-suj\n  commodity: sapi\n  quantity: 1\n  unit: ekor\n  to: tidak-ada\n",
    )
    .unwrap();
    let before = shipment_files(&site);
    let r = import(&site, &fixture("pengiriman.csv"), &[]);
    assert_eq!(r.status, Some(1), "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("rusak.yaml:7:"),
        "the site's own error is located: {}",
        r.stderr
    );
    assert!(
        r.stderr.contains("the site has 1 error of its own"),
        "{}",
        r.stderr
    );
    assert_eq!(shipment_files(&site), before);
    let _ = fs::remove_dir_all(&site);
}

#[test]
fn findings_about_rows_come_as_json_and_github_annotations_like_check() {
    let site = site("formats");
    let before = shipment_files(&site);
    let sheet = fixture("pengiriman-salah.xlsx");

    let r = import(&site, &sheet, &["--format", "json"]);
    assert_eq!(r.status, Some(1), "{}{}", r.stdout, r.stderr);
    let findings: serde_json::Value = serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}\n{}", r.stdout, r.stderr));
    assert_eq!(
        findings,
        serde_json::json!([{
            "severity": "error",
            "code": "invalid-quantity",
            "file": sheet,
            "line": 7,
            "column": 5,
            "message": "`sepuluh` is not a number; write a number such as 1250, 1.250 \
                        (thousands dot), 7,5 or 7.5",
            "cell": {"sheet": "Juni", "header": "jumlah"},
        }])
    );
    assert!(
        r.stderr.contains("1 invalid: nothing was written"),
        "{}",
        r.stderr
    );

    let r = import(
        &site,
        &fixture("pengiriman-salah.csv"),
        &["--format", "github"],
    );
    assert_eq!(r.status, Some(1), "{}{}", r.stdout, r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", r.stdout);
    assert!(
        lines[0].starts_with("::error file=") && lines[0].contains(",line=3,col=5::`1,2,3`"),
        "{}",
        r.stdout
    );
    assert!(
        lines[1].contains(",line=4,col=4::there is no commodity"),
        "{}",
        r.stdout
    );

    // Rows left out with --skip-invalid are warnings: the run passes.
    let r = import(
        &site,
        &fixture("pengiriman-salah.csv"),
        &["--format", "json", "--skip-invalid", "--dry-run"],
    );
    assert_eq!(r.status, Some(0), "{}{}", r.stdout, r.stderr);
    let findings: Vec<serde_json::Value> = serde_json::from_str(&r.stdout).expect("JSON array");
    assert_eq!(findings.len(), 2, "{}", r.stdout);
    assert!(
        findings.iter().all(|f| f["severity"] == "warning"),
        "{}",
        r.stdout
    );
    assert_eq!(shipment_files(&site), before);
    let _ = fs::remove_dir_all(&site);
}
