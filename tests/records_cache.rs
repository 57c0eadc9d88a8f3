//! The records cache through the real binary: an agreement whose files did not change is
//! neither parsed nor checked again, and whatever is left unread, the findings and the output
//! equal those of a run that read every record.

mod rebuild;

use std::fs;
use std::path::{Path, PathBuf};

use rebuild::{build, check, fresh, set_first, snapshot, tmp};
use sinergi::synthetic::{Spec, write_site};

const SECOND: &str = "content/agreements/kad-0001/shipments/2022-06.yaml";

/// Three synthetic agreements of 150 records: above the cache's minimum.
fn synthetic(dir: &Path) -> PathBuf {
    let site = dir.join("site");
    let spec = Spec {
        agreements: 3,
        records_per_agreement: 150,
        seed: 7,
    };
    write_site(&site, spec).unwrap();
    site
}

fn entries(site: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = fs::read_dir(site.join(".sinergi-cache/records"))
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    found.sort();
    found
}

/// The same check with every cache entry removed, so every record is read.
fn check_reading_all(site: &Path) -> (i32, String) {
    let _ = fs::remove_dir_all(site.join(".sinergi-cache"));
    check(site)
}

#[test]
fn unchanged_records_are_not_read_again() {
    let dir = tmp("records-unchanged");
    let (site, out) = (synthetic(&dir), dir.join("out"));
    // A byte-order mark is not part of the text: the file still matches its entry.
    let with_bom = site.join("content/agreements/kad-0000/shipments/2022-06.yaml");
    let text = fs::read_to_string(&with_bom).unwrap();
    fs::write(&with_bom, format!("\u{feff}{text}")).unwrap();
    let (code, summary) = build(&site, &out);
    assert_eq!(code, 0, "{summary}");
    assert!(
        summary.contains(", 0 whose records were not read"),
        "{summary}"
    );
    assert_eq!(entries(&site).len(), 3);

    let (code, summary) = build(&site, &out);
    assert_eq!(code, 0, "{summary}");
    assert!(
        summary.contains("3 whose records were not read"),
        "{summary}"
    );
    assert!(summary.contains("(0 written"), "{summary}");
    assert!(summary.contains("450 shipment records"), "{summary}");
    assert_eq!(snapshot(&out), fresh(&site, &dir));
}

#[test]
fn an_edited_file_reads_only_its_agreement_again() {
    let dir = tmp("records-edit");
    let (site, out) = (synthetic(&dir), dir.join("out"));
    assert_eq!(build(&site, &out).0, 0);
    set_first(&site.join(SECOND), "quantity", "777777");
    let (code, summary) = build(&site, &out);
    assert_eq!(code, 0, "{summary}");
    assert!(
        summary.contains("2 whose records were not read"),
        "{summary}"
    );
    assert!(summary.contains("2 unchanged agreements"), "{summary}");
    assert_eq!(snapshot(&out), fresh(&site, &dir));
    // The replaced entry is gone, the new one is kept.
    assert_eq!(entries(&site).len(), 3);
}

#[test]
fn a_changed_page_renders_its_agreement_with_every_record() {
    let dir = tmp("records-page");
    let (site, out) = (synthetic(&dir), dir.join("out"));
    let page = site.join("content/agreements/kad-0001/catatan.md");
    fs::write(&page, "---\ntitle: Catatan\n---\nPertama.\n").unwrap();
    assert_eq!(build(&site, &out).0, 0);
    // The records are unchanged, but the agreement's pages are not: it is rendered again,
    // so its records are read.
    fs::write(&page, "---\ntitle: Catatan\n---\nKedua.\n").unwrap();
    let (code, summary) = build(&site, &out);
    assert_eq!(code, 0, "{summary}");
    assert!(summary.contains("2 unchanged agreements"), "{summary}");
    assert!(
        summary.contains("2 whose records were not read"),
        "{summary}"
    );
    assert_eq!(snapshot(&out), fresh(&site, &dir));
    let shown = fs::read_to_string(out.join("agreements/kad-0001/catatan/index.html")).unwrap();
    assert!(shown.contains("Kedua."));
}

#[test]
fn an_agreement_whose_output_is_missing_is_read_and_rendered() {
    let dir = tmp("records-repair");
    let (site, out) = (synthetic(&dir), dir.join("out"));
    assert_eq!(build(&site, &out).0, 0);
    let reference = snapshot(&out);
    fs::remove_file(out.join("agreements/kad-0000/shipments/index.html")).unwrap();
    let (code, summary) = build(&site, &out);
    assert_eq!(code, 0, "{summary}");
    assert!(summary.contains("2 unchanged agreements"), "{summary}");
    assert!(
        summary.contains("2 whose records were not read"),
        "{summary}"
    );
    assert_eq!(snapshot(&out), reference);
}

#[test]
fn corrupt_or_misplaced_entries_are_ignored_and_rewritten() {
    let dir = tmp("records-corrupt");
    let (site, out) = (synthetic(&dir), dir.join("out"));
    assert_eq!(build(&site, &out).0, 0);
    let reference = snapshot(&out);
    let list = entries(&site);
    let first = fs::read(&list[0]).unwrap();
    fs::write(&list[0], b"{not json").unwrap();
    // A valid entry under another agreement's digest.
    fs::write(&list[1], &first).unwrap();
    fs::write(&list[2], &first[..first.len() / 2]).unwrap();
    let (code, summary) = build(&site, &out);
    assert_eq!(code, 0, "{summary}");
    assert!(
        summary.contains(", 0 whose records were not read"),
        "{summary}"
    );
    assert_eq!(snapshot(&out), reference);
    let (_, summary) = build(&site, &out);
    assert!(
        summary.contains("3 whose records were not read"),
        "{summary}"
    );
}

#[test]
fn findings_are_the_same_whether_records_are_read_or_not() {
    let dir = tmp("records-findings");
    let site = synthetic(&dir);
    assert_eq!(check(&site).0, 0);
    // A record dated later moves the reporting date past every target's due date: the
    // targets of the agreements left unread become overdue too.
    set_first(&site.join(SECOND), "date", "2030-01-01");
    let unread = check(&site);
    assert_eq!(
        unread.1.matches("target-overdue").count(),
        6,
        "{}",
        unread.1
    );
    assert_eq!(unread, check_reading_all(&site));

    // Records after a given reporting date are findings: their agreements are never left
    // unread, so the findings come back on every check.
    let site_yaml = site.join("content/site.yaml");
    let text = fs::read_to_string(&site_yaml).unwrap() + "as_of: 2024-01-01\n";
    fs::write(&site_yaml, text).unwrap();
    let first = check(&site);
    assert!(first.1.contains("shipment-after-as-of"), "{}", first.1);
    assert!(entries(&site).is_empty());
    assert_eq!(check(&site), first);
    assert_eq!(check_reading_all(&site), first);
}

#[test]
fn the_record_limit_counts_records_left_unread() {
    let dir = tmp("records-limit");
    let site = synthetic(&dir);
    let site_yaml = site.join("content/site.yaml");
    let text = fs::read_to_string(&site_yaml).unwrap() + "limits:\n  max_records: 500\n";
    fs::write(&site_yaml, text).unwrap();
    assert_eq!(check(&site).0, 0);
    assert_eq!(entries(&site).len(), 3);
    // A fourth agreement of 150 records passes the limit of 500.
    let (from, to) = (
        site.join("content/agreements/kad-0002"),
        site.join("content/agreements/kad-0003"),
    );
    for e in walkdir::WalkDir::new(&from) {
        let e = e.unwrap();
        let target = to.join(e.path().strip_prefix(&from).unwrap());
        if e.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(e.path(), &target).unwrap();
        }
    }
    let over = check(&site);
    assert_eq!(over.0, 1);
    assert!(over.1.contains("too-many-records"), "{}", over.1);
    assert_eq!(over, check_reading_all(&site));
}

#[test]
fn serve_reads_the_records_of_agreements_it_must_render() {
    let dir = tmp("records-serve");
    let site = synthetic(&dir);
    let options = sinergi::BuildOptions::default();
    let mut memo = sinergi::render::Memo::new();
    let (first, _) = sinergi::render_site(&site, &options, &mut memo).unwrap();
    let (second, checked) = sinergi::render_site(&site, &options, &mut memo).unwrap();
    let unread = |c: &sinergi::Checked| {
        let site = c.site.as_ref().unwrap();
        site.agreements
            .iter()
            .filter(|a| a.read().is_none())
            .count()
    };
    assert_eq!(unread(&checked), 3);
    assert_eq!(first, second);
    // A new memo holds nothing: every agreement is read again and rendered.
    let mut empty = sinergi::render::Memo::new();
    let (third, checked) = sinergi::render_site(&site, &options, &mut empty).unwrap();
    assert_eq!(unread(&checked), 0);
    assert_eq!(first, third);
}
