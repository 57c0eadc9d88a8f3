//! `sinergi new` through the real binary: the new site passes `check` and `build` at once,
//! shows every field of the data format, and nothing is written into a folder in use.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use common::{sinergi_output, tmp_path};

const SLUG: &str = "contoh-kad-2024";

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn new_site(name: &str) -> PathBuf {
    let dir = tmp_path(name);
    let o = sinergi_output(&["new", dir.to_str().unwrap()], &[]);
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
    dir
}

#[test]
fn new_site_passes_check_and_build_at_once() {
    let dir = new_site("check-build");
    let site = dir.to_str().unwrap();

    let o = sinergi_output(&["check", "--site", site, "--deny-warnings"], &[]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{err}");
    assert!(out.contains("no errors, no warnings"), "{out}");

    let o = sinergi_output(&["check", "--site", site, "--format", "github"], &[]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert_eq!(out, "", "the CI step annotates nothing on a new site");

    let o = sinergi_output(&["build", "--site", site], &[]);
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
    for page in [
        "index.html".to_string(),
        "en/index.html".to_string(),
        format!("agreements/{SLUG}/index.html"),
        format!("agreements/{SLUG}/shipments/index.html"),
        format!("agreements/{SLUG}/data.json"),
        "about/index.html".to_string(),
        "en/about/index.html".to_string(),
    ] {
        assert!(dir.join("output").join(&page).is_file(), "missing {page}");
    }
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn new_refuses_a_folder_that_is_not_empty() {
    let dir = tmp_path("not-empty");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("catatan.txt"), "milik pengguna").unwrap();

    let o = sinergi_output(&["new", dir.to_str().unwrap()], &[]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("is not empty"), "{err}");
    assert!(
        err.contains("catatan.txt"),
        "the message names what is there: {err}"
    );
    let left: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["catatan.txt"], "nothing was written");
    assert_eq!(
        fs::read_to_string(dir.join("catatan.txt")).unwrap(),
        "milik pengguna"
    );
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn new_accepts_an_empty_folder_or_a_fresh_clone() {
    let empty = tmp_path("empty");
    fs::create_dir_all(&empty).unwrap();
    let o = sinergi_output(&["new", empty.to_str().unwrap()], &[]);
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));

    let clone = tmp_path("clone");
    fs::create_dir_all(clone.join(".git")).unwrap();
    let o = sinergi_output(&["new", clone.to_str().unwrap()], &[]);
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
    assert!(clone.join("content/site.yaml").is_file());
    for d in [empty, clone] {
        let _ = fs::remove_dir_all(&d);
    }
}

#[test]
fn new_without_a_folder_is_a_command_line_error() {
    let o = sinergi_output(&["new"], &[]);
    assert_eq!(o.status.code(), Some(2));
}

/// Every key of a JSON Schema (top level and every `$defs` entry).
fn schema_keys(kind: &str) -> BTreeSet<String> {
    let o = sinergi_output(&["schema", kind], &[]);
    assert_eq!(o.status.code(), Some(0));
    let schema: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let mut keys = BTreeSet::new();
    let mut stack = vec![&schema];
    while let Some(v) = stack.pop() {
        match v {
            serde_json::Value::Object(m) => {
                if let Some(serde_json::Value::Object(props)) = m.get("properties") {
                    keys.extend(props.keys().cloned());
                }
                stack.extend(m.values());
            }
            serde_json::Value::Array(a) => stack.extend(a),
            _ => {}
        }
    }
    keys
}

/// The keys written in a YAML file, commented-out ones included (`# as_of: ...`).
fn yaml_keys(path: &Path) -> BTreeSet<String> {
    let text = fs::read_to_string(path).unwrap();
    let mut keys = BTreeSet::new();
    for line in text.lines() {
        let l = line.trim_start().trim_start_matches('#').trim_start();
        let l = l.trim_start_matches("- ");
        if let Some((k, _)) = l.split_once(':')
            && !k.is_empty()
            && k.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
        {
            keys.insert(k.to_string());
        }
        // Flow mappings: `- {from: kg, to: egg, factor: 16}`.
        for part in l.split(['{', ',']).skip(1) {
            if let Some((k, _)) = part.trim().split_once(':') {
                keys.insert(k.trim().to_string());
            }
        }
    }
    keys
}

#[test]
fn the_example_shows_every_field_of_the_format() {
    let dir = new_site("every-field");
    let content = dir.join("content");
    for (kind, file) in [
        ("site", content.join("site.yaml")),
        (
            "agreement",
            content.join(format!("agreements/{SLUG}/agreement.yaml")),
        ),
        (
            "shipments",
            content.join(format!("agreements/{SLUG}/shipments/2024.yaml")),
        ),
    ] {
        let written = yaml_keys(&file);
        let missing: Vec<_> = schema_keys(kind).difference(&written).cloned().collect();
        assert!(
            missing.is_empty(),
            "{kind}: {} lacks {missing:?}",
            file.display()
        );
        let text = fs::read_to_string(&file).unwrap();
        assert!(
            text.contains("# ")
                && text
                    .lines()
                    .filter(|l| l.trim_start().starts_with('#'))
                    .count()
                    > 5,
            "{kind}: the fields are explained in comments"
        );
    }
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn the_workflow_checks_builds_and_publishes_on_push() {
    let dir = new_site("workflow");
    let wf = fs::read_to_string(dir.join(".github/workflows/publish.yml")).unwrap();
    for needle in [
        "on:\n  push:",
        "sinergi check --format github",
        "sinergi build",
        "cargo install --locked --git",
        "actions/upload-pages-artifact@",
        "path: output",
        "actions/deploy-pages@",
        // The revision history needs every commit, not GitHub's default of one.
        "actions/checkout@v7\n        with:\n          fetch-depth: 0",
        "pages: write",
        "id-token: write",
    ] {
        assert!(wf.contains(needle), "publish.yml lacks `{needle}`");
    }
    assert!(
        !wf.contains("__SINERGI"),
        "every placeholder of the template is filled"
    );
    let readme = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let uses: Vec<&str> = wf
        .lines()
        .filter_map(|l| l.trim().trim_start_matches("- ").strip_prefix("uses: "))
        .collect();
    assert_eq!(uses.len(), 4, "{uses:?}");
    for action in uses {
        assert!(
            readme.contains(&format!("`{action}`")),
            "the README names the version of {action} the workflow uses"
        );
    }
    let gitignore = fs::read_to_string(dir.join(".gitignore")).unwrap();
    assert!(gitignore.lines().any(|l| l.trim_matches('/') == "output"));
    assert!(
        gitignore
            .lines()
            .any(|l| l.trim_matches('/') == ".sinergi-cache")
    );
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn the_sample_spreadsheet_of_a_new_site_imports_cleanly() {
    let dir = new_site("sample-import");
    let site = dir.to_str().unwrap();
    let sheet = dir.join("spreadsheets/contoh-pengiriman.csv");
    let o = sinergi_output(
        &[
            "import",
            "--site",
            site,
            "--agreement",
            SLUG,
            sheet.to_str().unwrap(),
        ],
        &[],
    );
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{err}");
    assert!(
        out.contains("added 3 records, skipped 0 already imported, 0 invalid"),
        "{out}"
    );
    let o = sinergi_output(&["check", "--site", site, "--deny-warnings"], &[]);
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
    let _ = fs::remove_dir_all(&dir);
}
