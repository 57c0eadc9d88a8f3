//! Rebuilds through the real binary: an agreement whose data did not change is not rendered
//! again, and whatever a rebuild skips or repairs, the output equals a fresh build's.

mod rebuild;

use std::fs;

use rebuild::{build, edit, example, fresh, snapshot, tmp};

const METRO: &str = "content/agreements/metro-dki-jakarta-2022";
const FIRST_FILE: &str = "shipments/2022-06-12-pelepasan-perdana.yaml";

#[test]
fn only_changed_agreements_are_rendered_again() {
    let dir = tmp("changed");
    let (site, out) = (example(&dir), dir.join("out"));
    let (code, summary) = build(&site, &out);
    assert_eq!(code, 0, "{summary}");
    assert!(summary.contains("0 unchanged agreements"), "{summary}");

    let (_, summary) = build(&site, &out);
    assert!(summary.contains("(0 written"), "{summary}");
    assert!(summary.contains("3 unchanged agreements"), "{summary}");

    // A comment changes no value: the agreement's files are new bytes, so it is rendered
    // again, but no file changes.
    let file = site.join(METRO).join(FIRST_FILE);
    let mut text = fs::read_to_string(&file).unwrap();
    text.push_str("# diperiksa / checked\n");
    fs::write(&file, text).unwrap();
    let (_, summary) = build(&site, &out);
    assert!(summary.contains("2 unchanged agreements"), "{summary}");
    assert!(summary.contains("(0 written"), "{summary}");

    // A changed quantity renders that agreement (and the site's own pages) again.
    edit(&file, "quantity: 30\n", "quantity: 31\n");
    let (_, summary) = build(&site, &out);
    assert!(summary.contains("2 unchanged agreements"), "{summary}");
    assert_eq!(snapshot(&out), fresh(&site, &dir));
    let ledger =
        fs::read_to_string(out.join("agreements/metro-dki-jakarta-2022/shipments/index.html"))
            .unwrap();
    assert!(ledger.contains("31"), "the ledger shows the new quantity");
}

#[test]
fn a_changed_template_or_string_renders_every_agreement() {
    let dir = tmp("theme");
    let (site, out) = (example(&dir), dir.join("out"));
    assert_eq!(build(&site, &out).0, 0);
    fs::create_dir_all(site.join("i18n")).unwrap();
    fs::write(site.join("i18n/en.yaml"), "ledger: Delivery ledger\n").unwrap();
    let (code, summary) = build(&site, &out);
    assert_eq!(code, 0, "{summary}");
    assert!(summary.contains("0 unchanged agreements"), "{summary}");
    assert_eq!(snapshot(&out), fresh(&site, &dir));
}

#[test]
fn missing_or_altered_output_files_are_repaired() {
    let dir = tmp("repair");
    let (site, out) = (example(&dir), dir.join("out"));
    assert_eq!(build(&site, &out).0, 0);
    let reference = snapshot(&out);
    let agreement = out.join("agreements/ngawi-dki-jakarta-2021");
    fs::remove_file(agreement.join("index.html")).unwrap();
    fs::write(agreement.join("data.json"), "{}").unwrap();
    fs::write(out.join("assets/style.css"), "").unwrap();
    let (code, summary) = build(&site, &out);
    assert_eq!(code, 0, "{summary}");
    assert!(summary.contains("2 unchanged agreements"), "{summary}");
    assert_eq!(snapshot(&out), reference);
}

#[test]
fn a_failed_rebuild_changes_nothing() {
    let dir = tmp("failed");
    let (site, out) = (example(&dir), dir.join("out"));
    assert_eq!(build(&site, &out).0, 0);
    let before = snapshot(&out);
    let manifest = fs::read(out.join(".sinergi-manifest")).unwrap();
    edit(
        &site.join(METRO).join(FIRST_FILE),
        "quantity: 30\n",
        "quantity: 32\n",
    );
    fs::create_dir_all(site.join("templates")).unwrap();
    fs::write(
        site.join("templates/participants.html"),
        "{% extends \"base.html\" %}{% block content %}{{ page.a.title | no_such_filter }}{% endblock content %}",
    )
    .unwrap();
    let (code, summary) = build(&site, &out);
    assert_eq!(code, 1, "{summary}");
    assert_eq!(snapshot(&out), before, "the previous output is untouched");
    assert_eq!(fs::read(out.join(".sinergi-manifest")).unwrap(), manifest);
    assert!(!out.join(".sinergi-staging").exists());
}

#[test]
fn serve_renders_only_changed_agreements_again_in_memory() {
    let dir = tmp("memo");
    let site = example(&dir);
    let options = sinergi::BuildOptions::default();
    let mut memo = sinergi::render::Memo::new();
    let (first, _) = sinergi::render_site(&site, &options, &mut memo).unwrap();
    let before = memo.clone();
    edit(
        &site.join(METRO).join(FIRST_FILE),
        "quantity: 30\n",
        "quantity: 33\n",
    );
    let (second, _) = sinergi::render_site(&site, &options, &mut memo).unwrap();
    for (key, (_, files)) in &memo {
        let reused = std::sync::Arc::ptr_eq(files, &before[key].1);
        let changed = key == "site" || key.contains("metro");
        assert_eq!(reused, !changed, "{key}");
    }
    assert_ne!(first, second);
    let (fresh, _) =
        sinergi::render_site(&site, &options, &mut sinergi::render::Memo::new()).unwrap();
    assert_eq!(second, fresh);
}

#[test]
fn a_static_file_never_replaces_a_rendered_page() {
    let dir = tmp("static");
    let (site, out) = (example(&dir), dir.join("out"));
    let data = "agreements/metro-dki-jakarta-2022/data.json";
    fs::create_dir_all(site.join("static/agreements/metro-dki-jakarta-2022")).unwrap();
    fs::write(site.join("static/index.html"), "static page").unwrap();
    fs::write(site.join("static").join(data), "static data").unwrap();
    fs::write(site.join("static/extra.txt"), "extra").unwrap();
    for _ in 0..2 {
        let (code, summary) = build(&site, &out);
        assert_eq!(code, 0, "{summary}");
        assert_ne!(
            fs::read_to_string(out.join("index.html")).unwrap(),
            "static page"
        );
        assert_ne!(fs::read_to_string(out.join(data)).unwrap(), "static data");
        assert_eq!(fs::read_to_string(out.join("extra.txt")).unwrap(), "extra");
    }
}
