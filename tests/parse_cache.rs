//! The parse cache: an unchanged shipment file or agreement.yaml is read from
//! `.sinergi-cache/`, findings keep their exact locations, and corrupt or stale entries are
//! never trusted.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn site(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sinergi-cache-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    sinergi::synthetic::write_site(
        &dir,
        sinergi::synthetic::Spec {
            agreements: 2,
            records_per_agreement: 600,
            seed: 5,
        },
    )
    .unwrap();
    dir
}

fn check_json(site: &Path) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_sinergi"))
        .args(["check", "--format", "json", "--site"])
        .arg(site)
        .output()
        .unwrap();
    String::from_utf8(o.stdout).unwrap()
}

fn entries(site: &Path) -> Vec<PathBuf> {
    fs::read_dir(site.join(".sinergi-cache"))
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect()
        })
        .unwrap_or_default()
}

/// Breaks every record's reference to `pelaku-3`, so findings point into the shipment files,
/// and one participant's party, so that one points into an agreement.yaml.
fn break_a_participant(site: &Path) {
    for a in ["kad-0000", "kad-0001"] {
        let p = site.join(format!("content/agreements/{a}/agreement.yaml"));
        let text = fs::read_to_string(&p)
            .unwrap()
            .replace("id: pelaku-3,", "id: pelaku-x,")
            .replacen("party: kota,", "party: nowhere,", 1);
        fs::write(p, text).unwrap();
    }
}

fn agreement_entries(site: &Path) -> usize {
    entries(site)
        .iter()
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("agreement-")
        })
        .count()
}

#[test]
fn cached_and_fresh_parses_give_the_same_located_findings() {
    let s = site("same");
    break_a_participant(&s);
    let fresh = check_json(&s);
    assert!(fresh.contains("unknown-reference"), "{fresh}");
    assert!(
        fresh.contains("nowhere") && fresh.contains("agreement.yaml"),
        "{fresh}"
    );
    assert!(!entries(&s).is_empty(), "large shipment files are cached");
    assert_eq!(agreement_entries(&s), 2, "each agreement.yaml is cached");
    let cached = check_json(&s);
    assert_eq!(fresh, cached, "the cache keeps every location");
}

#[test]
fn corrupt_and_stale_entries_are_not_trusted() {
    let s = site("corrupt");
    let clean = check_json(&s);
    for e in entries(&s) {
        fs::write(&e, b"{not json").unwrap();
    }
    assert_eq!(check_json(&s), clean, "corrupt entries are re-parsed");

    // Change one agreement.yaml: its old entry must not be used, and it is pruned.
    let file = s.join("content/agreements/kad-0001/agreement.yaml");
    let text = fs::read_to_string(&file).unwrap();
    fs::write(&file, text.replacen("unit: t}", "unit: kontainer}", 1)).unwrap();
    let out = check_json(&s);
    assert!(out.contains("kontainer"), "the edit is seen: {out}");
    assert_eq!(agreement_entries(&s), 2, "the stale entry is pruned");
    fs::write(&file, text).unwrap();
    assert_eq!(
        check_json(&s),
        clean,
        "and the file as it was reads as before"
    );

    // Change one shipment file: its old entry must not be used, and it is pruned.
    let file = s.join("content/agreements/kad-0000/shipments/2022-06.yaml");
    let before = entries(&s).len();
    let text = fs::read_to_string(&file).unwrap();
    fs::write(&file, text.replacen("unit: ", "unit: kontainer #", 1)).unwrap();
    let out = check_json(&s);
    assert!(out.contains("unknown-unit"), "the edit is seen: {out}");
    assert!(entries(&s).len() <= before, "stale entries are pruned");
}
