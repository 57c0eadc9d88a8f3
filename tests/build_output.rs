//! `sinergi build` through the real binary: the example site, output rules, determinism.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use common::{sinergi_output as sinergi, snapshot, tmp};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn build(site: &Path, out: &Path) -> Output {
    sinergi(
        &[
            "build",
            "--site",
            site.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        &[],
    )
}

fn text(out: &Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Copies the example site (content only) so a test can change it.
fn copy_example(to: &Path) {
    for e in walkdir::WalkDir::new(repo().join("content")) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(repo()).unwrap();
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            fs::create_dir_all(&dest).unwrap();
        } else {
            fs::copy(e.path(), &dest).unwrap();
        }
    }
}

#[test]
fn example_site_shows_the_story_totals_in_both_languages() {
    let out = tmp("example");
    let o = build(&repo(), &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let id = text(&out, "agreements/metro-dki-jakarta-2022/index.html");
    let en = text(&out, "en/agreements/metro-dki-jakarta-2022/index.html");
    for needle in [
        "9 t",
        "10 t",
        "30 ekor",
        "5 truk",
        "Data per",
        "5 September 2022",
    ] {
        assert!(id.contains(needle), "Indonesian dashboard lacks {needle:?}");
    }
    for needle in [
        "9 t",
        "10 t",
        "30 head",
        "5 trucks",
        "Data as of",
        "5 September 2022",
    ] {
        assert!(en.contains(needle), "English dashboard lacks {needle:?}");
    }
    assert!(id.contains(r#"<html lang="id">"#));
    assert!(en.contains(r#"<html lang="en">"#));
    assert!(
        id.contains(
            r#"href="../../en/agreements/metro-dki-jakarta-2022/index.html" hreflang="en""#
        )
    );
    assert!(
        en.contains(
            r#"href="../../../agreements/metro-dki-jakarta-2022/index.html" hreflang="id""#
        )
    );
    for page in [&id, &en] {
        assert!(
            !page.contains(r#"<link rel="alternate" hreflang"#) && !page.contains("canonical"),
            "without base_url no alternates or canonical that would be relative"
        );
        assert!(
            page.contains(r#"<link rel="icon" href="../../favicon.ico""#)
                || page.contains(r#"<link rel="icon" href="../../../favicon.ico""#),
            "every page declares the icon"
        );
    }
    for page in [
        "index.html",
        "en/index.html",
        "404.html",
        "agreements/metro-dki-jakarta-2022/shipments/index.html",
        "agreements/metro-dki-jakarta-2022/participants/index.html",
        "about/index.html",
        "en/methodology/index.html",
        "feed.xml",
        "en/feed.xml",
        "data.json",
        "assets/style.css",
        "assets/ledger.css",
        "favicon.ico",
        "favicon.svg",
    ] {
        assert!(out.join(page).is_file(), "{page} missing");
    }
    assert!(
        !out.join("sitemap.xml").exists(),
        "no sitemap without base_url"
    );
    // A participant's card gives its totals per commodity and names the other ends; its flows
    // per receiver are rows of the map's table on the same page, not repeated in the card.
    let who = std::fs::read_to_string(
        out.join("agreements/metro-dki-jakarta-2022/participants/index.html"),
    )
    .unwrap();
    assert!(who.contains("<p>Penerima: PT Food Station Tjipinang Jaya (Food Station)</p>"));
    assert!(who.contains("<tr><th>Beras<td class=num>10 t<td class=num>1"));
    assert_eq!(
        who.matches(r#"<tr><th>Gapoktan Sari Makmur"#).count(),
        1,
        "its one route, once, in the map's table"
    );
    assert!(!id.contains("<script"), "pages carry no script");
    // Lighthouse flags a page of more than 818 elements; the charts' stripes and dashes are
    // joined into one path per run, so the dashboard with its eight charts stays below.
    for page in [&id, &en] {
        let elements = page
            .as_bytes()
            .windows(2)
            .filter(|w| w[0] == b'<' && w[1].is_ascii_alphabetic())
            .count();
        assert!(elements < 818, "{elements} elements");
    }
}

/// At phone width each ledger record is a card whose fields are labelled by
/// `assets/ledger.css` with the header's words, in each language, so no row repeats them.
#[test]
fn ledger_rows_repeat_no_labels_and_the_stylesheet_labels_each_column() {
    let out = tmp("ledger-labels");
    let o = build(&repo(), &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let css = text(&out, "assets/ledger.css");
    for (lang, page) in [
        (
            "id",
            "agreements/metro-dki-jakarta-2022/shipments/index.html",
        ),
        (
            "en",
            "en/agreements/metro-dki-jakarta-2022/shipments/index.html",
        ),
    ] {
        let html = text(&out, page);
        assert!(
            html.contains("assets/ledger.css\">"),
            "{page} links the labels"
        );
        assert!(!html.contains("data-label"), "{page} repeats labels");
        // The page's ledger is its last table (the filter's come first).
        let head = html
            .split("<thead>")
            .last()
            .unwrap()
            .split("</thead>")
            .next()
            .unwrap();
        let labels: Vec<&str> = head
            .split("<th scope=\"col\">")
            .skip(1)
            .map(|th| th.split("</th>").next().unwrap())
            .collect();
        assert_eq!(labels.len(), 7, "{head}");
        for (n, label) in labels.iter().enumerate() {
            let rule = format!(
                "html[lang=\"{lang}\"] .ledger tr[id] > td:nth-child({})::before {{ content: \"{}: \"; }}",
                n + 1,
                label.replace("&#39;", "'").replace("&amp;", "&")
            );
            assert!(css.contains(&rule), "{rule} missing from\n{css}");
        }
        let row = html
            .split("<tr id=")
            .nth(1)
            .unwrap()
            .split('\n')
            .next()
            .unwrap();
        assert_eq!(row.matches("<td").count(), 7, "{row}");
    }
}

#[test]
fn open_data_follows_the_contract() {
    let out = tmp("opendata");
    assert!(build(&repo(), &out).status.success());
    let csv = text(&out, "agreements/metro-dki-jakarta-2022/shipments.csv");
    assert!(csv.starts_with(
        "id,date,from,to,commodity,quantity,unit,status,verification,document,value_idr,sources,note\r\n"
    ));
    let data: serde_json::Value =
        serde_json::from_str(&text(&out, "agreements/metro-dki-jakarta-2022/data.json")).unwrap();
    assert_eq!(data["slug"], "metro-dki-jakarta-2022");
    assert_eq!(data["as_of"], "2022-09-05");
    let totals = data["totals"].as_array().unwrap();
    let all: Vec<(String, String)> = totals
        .iter()
        .map(|t| {
            (
                t["quantity"].to_string(),
                t["unit"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(all.contains(&("9".into(), "t".into())), "{all:?}");
    assert!(all.contains(&("10".into(), "t".into())), "{all:?}");
    assert!(all.contains(&("30".into(), "head".into())), "{all:?}");
    assert!(all.contains(&("5".into(), "truck".into())), "{all:?}");
    // One row of values per record, in the CSV's order, under the column names docs/FORMAT.md
    // lists (every file has them all); a row stops after its last value that is not a default.
    let format = fs::read_to_string(repo().join("docs/FORMAT.md")).unwrap();
    let documented = format
        .lines()
        .find_map(|l| l.strip_prefix("| `shipment_columns` |"))
        .and_then(|l| l.rsplit('`').nth(1))
        .unwrap();
    let documented: serde_json::Value = serde_json::from_str(documented).unwrap();
    assert_eq!(data["shipment_columns"], documented);
    assert_eq!(documented.as_array().map(Vec::len), Some(17));
    let shipments = shipment_records(&data);
    let csv_ids: Vec<&str> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    let ids: Vec<&str> = shipments
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, csv_ids);
    for s in &shipments {
        for key in ["from", "commodity", "unit", "status", "verification"] {
            assert!(s[key].is_string(), "{key} in {s:?}");
        }
        assert!(
            s["quantity"].is_number() && s["sources"].is_array(),
            "{s:?}"
        );
        assert!(s["date"].is_null() != s["period"].is_null(), "{s:?}");
        assert!(s["approx"].is_boolean() && s["illustrative"].is_boolean());
    }
    // Rows of 10, 12 and 13 values: every default after `sources` left out, then `written`,
    // then a period record's `period`, `written` (a default kept before a value) and `note`.
    let lengths: Vec<usize> = data["shipments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_array().unwrap().len())
        .collect();
    assert_eq!(lengths, [13, 10, 12, 13, 13]);
    let cattle = &shipments[1];
    assert!(cattle["written"].is_null() && cattle["note"].is_null());
    assert_eq!(
        (&cattle["approx"], &cattle["quantity"]),
        (&false.into(), &30.into())
    );
    let eggs = &shipments[2];
    assert_eq!(eggs["id"], "mdj-2022-06-12-telur");
    assert_eq!(
        eggs["written"],
        serde_json::json!({"quantity": 6000, "unit": "kg"})
    );
    assert_eq!(eggs["quantity"], 6);
    assert!(shipments[0]["written"].is_null() && eggs["note"].is_null());
    let period = &shipments[4];
    assert_eq!(
        period["period"],
        serde_json::json!({"start": "2022-06-13", "end": "2022-09-05"})
    );
    assert!(period["date"].is_null() && period["written"].is_null());
    assert!(
        period["note"]
            .as_str()
            .unwrap()
            .starts_with("Angka turunan")
    );
    // The columns that are at their default in the example site: a document and value (15
    // values), and `approx` true (16 values, `document` and `value_idr` written as null).
    let full = tmp("opendata-full");
    assert!(
        build(&common::fixtures().join("full"), &full)
            .status
            .success()
    );
    let data: serde_json::Value =
        serde_json::from_str(&text(&full, "agreements/lengkap/data.json")).unwrap();
    let rows = shipment_records(&data);
    assert_eq!(data["shipments"][0].as_array().unwrap().len(), 15);
    assert_eq!(data["shipments"][1].as_array().unwrap().len(), 16);
    assert_eq!(
        (
            &rows[0]["document"],
            &rows[0]["value_idr"],
            &rows[0]["approx"]
        ),
        (&"pks".into(), &75000000.into(), &false.into())
    );
    assert_eq!(rows[0]["note"], "Pengiriman pertama.");
    assert!(rows[1]["document"].is_null() && rows[1]["value_idr"].is_null());
    assert_eq!(
        (&rows[1]["approx"], &rows[1]["illustrative"]),
        (&true.into(), &false.into())
    );
    assert_eq!(rows[1]["period"]["end"], "2022-03-31");
    let root: serde_json::Value = serde_json::from_str(&text(&out, "data.json")).unwrap();
    assert_eq!(root["agreements"].as_array().unwrap().len(), 3);
    // Share cards on every page; an absolute og:url only with a base_url.
    let page = text(&out, "en/agreements/metro-dki-jakarta-2022/index.html");
    assert!(page.contains(r#"<meta property="og:locale" content="en_US">"#));
    assert!(!page.contains("og:url"));
    let home = text(&out, "index.html");
    assert!(home.contains(r#"<meta name="twitter:card" content="summary">"#));
    assert!(
        !home.contains("og:image"),
        "only an agreement has a share image"
    );
}

/// An agreement's `data.json` records as objects: each row's values under `shipment_columns`,
/// the values missing from its end filled with their column's default. Asserts that no row ends
/// with a default value after the ten every row has.
fn shipment_records(data: &serde_json::Value) -> Vec<serde_json::Map<String, serde_json::Value>> {
    let columns = data["shipment_columns"].as_array().unwrap();
    let default = |column: &str| match column {
        "approx" | "illustrative" => serde_json::Value::Bool(false),
        _ => serde_json::Value::Null,
    };
    data["shipments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            let row = row.as_array().unwrap();
            assert!((10..=columns.len()).contains(&row.len()), "{row:?}");
            let last = columns[row.len() - 1].as_str().unwrap();
            assert!(
                row.len() == 10 || row[row.len() - 1] != default(last),
                "{row:?}"
            );
            columns
                .iter()
                .map(|c| c.as_str().unwrap())
                .enumerate()
                .map(|(i, c)| (c.to_string(), row.get(i).cloned().unwrap_or(default(c))))
                .collect()
        })
        .collect()
}

/// Width and height from a PNG's header (its IHDR chunk comes first).
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "a PNG signature");
    assert_eq!(&bytes[12..16], b"IHDR");
    let be = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    (be(16), be(20))
}

/// The `content` of the first `<meta property="name" ...>` (or `name="name"`) of a page.
fn meta<'a>(html: &'a str, name: &str) -> Option<&'a str> {
    let at = html
        .find(&format!(r#"property="{name}" content=""#))
        .or_else(|| html.find(&format!(r#"name="{name}" content=""#)))?;
    let rest = &html[at..];
    let start = rest.find("content=\"")? + 9;
    Some(&rest[start..start + rest[start..].find('"')?])
}

#[test]
fn each_agreement_has_a_share_image_per_language_named_by_its_pages() {
    let out = tmp("preview");
    let o = build(&repo(), &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let slugs = [
        "metro-dki-jakarta-2022",
        "ngawi-dki-jakarta-2021",
        "flobamor-dharma-jaya-2021",
    ];
    for slug in slugs {
        for lang in ["", "en/"] {
            let image = format!("{lang}agreements/{slug}/preview.png");
            let bytes = fs::read(out.join(&image)).unwrap_or_else(|e| panic!("{image}: {e}"));
            assert_eq!(png_size(&bytes), (1200, 630), "{image}");
            assert!(bytes.len() < 60_000, "{image}: {} bytes", bytes.len());
            for (page, up) in [
                ("index.html", "../../"),
                ("shipments/index.html", "../../../"),
                ("report/index.html", "../../../"),
            ] {
                let rel = format!("{lang}agreements/{slug}/{page}");
                let html = text(&out, &rel);
                let up = format!("{up}{}", if lang.is_empty() { "" } else { "../" });
                assert_eq!(
                    meta(&html, "og:image"),
                    Some(format!("{up}{image}").as_str()),
                    "{rel}"
                );
                assert_eq!(meta(&html, "og:image:width"), Some("1200"), "{rel}");
                assert_eq!(meta(&html, "og:image:height"), Some("630"), "{rel}");
                assert_eq!(
                    meta(&html, "twitter:card"),
                    Some("summary_large_image"),
                    "{rel}"
                );
                let alt = meta(&html, "og:image:alt").unwrap_or_default();
                let data_as_of = if lang.is_empty() {
                    "Data per 5 September 2022"
                } else {
                    "Data as of 5 September 2022"
                };
                assert!(alt.contains(data_as_of), "{rel}: {alt}");
            }
        }
    }
    // The figures in the alternative text are those of the image, in the page's language.
    let alt = |rel: &str| meta(&text(&out, rel), "og:image:alt").unwrap().to_string();
    assert!(
        alt("agreements/metro-dki-jakarta-2022/index.html")
            .contains("10 t terkirim dari target 450 t (2,2%)")
    );
    assert!(
        alt("en/agreements/ngawi-dki-jakarta-2021/index.html")
            .contains("0 t delivered of a 9,000 t target")
    );

    // With a base URL, the image is named by its absolute address (chat apps need it).
    let abs = tmp("preview-abs");
    let o = sinergi(
        &[
            "build",
            "--site",
            repo().to_str().unwrap(),
            "--out",
            abs.to_str().unwrap(),
            "--base-url",
            "https://kad.example.id/sub",
        ],
        &[],
    );
    assert!(o.status.success());
    for (rel, image) in [
        (
            "agreements/metro-dki-jakarta-2022/shipments/index.html",
            "https://kad.example.id/sub/agreements/metro-dki-jakarta-2022/preview.png",
        ),
        (
            "en/agreements/metro-dki-jakarta-2022/report/index.html",
            "https://kad.example.id/sub/en/agreements/metro-dki-jakarta-2022/preview.png",
        ),
    ] {
        assert_eq!(meta(&text(&abs, rel), "og:image"), Some(image), "{rel}");
    }
    // The image does not depend on the base URL.
    let p = "en/agreements/metro-dki-jakarta-2022/preview.png";
    assert_eq!(
        fs::read(out.join(p)).unwrap(),
        fs::read(abs.join(p)).unwrap()
    );
}

#[test]
fn builds_are_byte_identical_and_rewrite_only_changes() {
    let a = tmp("det-a");
    let b = tmp("det-b");
    assert!(build(&repo(), &a).status.success());
    assert!(build(&repo(), &b).status.success());
    assert_eq!(snapshot(&a), snapshot(&b));

    let o = build(&repo(), &a);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("(0 written"),
        "second build rewrote files: {stdout}"
    );
}

#[test]
fn source_date_epoch_sets_the_shown_build_date() {
    let out = tmp("epoch");
    let o = sinergi(
        &[
            "build",
            "--site",
            repo().to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        &[("SOURCE_DATE_EPOCH", "1662336000")],
    );
    assert!(o.status.success());
    assert!(text(&out, "index.html").contains("Dibuat 5 September 2022"));
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = tmp("fail-site");
    let out = tmp("fail-out");
    copy_example(&site);
    assert!(build(&site, &out).status.success());
    let before = snapshot(&out);
    let bad = site.join("content/agreements/metro-dki-jakarta-2022/shipments/bad.yaml");
    fs::write(&bad, "- id: x\n  date: 2022-02-30\n  from: nobody\n").unwrap();
    let o = build(&site, &out);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("nothing was written"));
    assert_eq!(before, snapshot(&out));
}

#[test]
fn stale_files_are_removed_and_foreign_folders_refused() {
    let site = tmp("stale-site");
    let out = tmp("stale-out");
    copy_example(&site);
    assert!(build(&site, &out).status.success());
    assert!(out.join("about/index.html").is_file());
    fs::write(out.join("mine.txt"), "not sinergi's").unwrap();
    fs::remove_file(site.join("content/pages/about.md")).unwrap();
    fs::remove_file(site.join("content/pages/about.en.md")).unwrap();
    assert!(build(&site, &out).status.success());
    assert!(
        !out.join("about").exists(),
        "the removed page's folder is gone"
    );
    assert!(
        out.join("mine.txt").is_file(),
        "a file sinergi did not write stays"
    );

    let foreign = tmp("foreign");
    fs::write(foreign.join("index.php"), "x").unwrap();
    let o = build(&site, &foreign);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("did not write"));
    assert_eq!(fs::read_dir(&foreign).unwrap().count(), 1);
}

#[test]
fn out_may_not_overwrite_the_site() {
    let site = tmp("overlap");
    copy_example(&site);
    for out in [site.clone(), site.join("content/out"), PathBuf::from("/")] {
        let o = build(&site, &out);
        assert_eq!(o.status.code(), Some(1), "{}", out.display());
    }
}

#[test]
fn a_site_template_overrides_the_built_in_one_and_errors_are_located() {
    let site = tmp("tpl");
    let out = tmp("tpl-out");
    copy_example(&site);
    fs::create_dir_all(site.join("templates")).unwrap();
    fs::write(
        site.join("templates/404.html"),
        "{% extends \"base.html\" %}{% block content %}<h1>Tersesat</h1>{% endblock content %}",
    )
    .unwrap();
    assert!(build(&site, &out).status.success());
    assert!(text(&out, "404.html").contains("<h1>Tersesat</h1>"));

    fs::write(site.join("templates/404.html"), "line one\n{% if %}\n").unwrap();
    let before = snapshot(&out);
    let o = build(&site, &out);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("templates/404.html:2:"), "{err}");
    assert_eq!(before, snapshot(&out));
}

#[test]
fn base_url_adds_sitemap_and_robots() {
    let out = tmp("baseurl");
    let o = sinergi(
        &[
            "build",
            "--site",
            repo().to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--base-url",
            "https://kad.example.id/",
        ],
        &[],
    );
    assert!(o.status.success());
    let sitemap = text(&out, "sitemap.xml");
    assert!(sitemap.contains(
        "<loc>https://kad.example.id/agreements/metro-dki-jakarta-2022/index.html</loc>"
    ));
    assert!(sitemap.contains("<loc>https://kad.example.id/en/index.html</loc>"));
    assert!(text(&out, "robots.txt").contains("Sitemap: https://kad.example.id/sitemap.xml"));

    let page = "agreements/metro-dki-jakarta-2022/report/index.html";
    let id = text(&out, page);
    let en = text(&out, &format!("en/{page}"));
    let abs = |lang: &str| match lang {
        "id" => format!("https://kad.example.id/{page}"),
        _ => format!("https://kad.example.id/{lang}/{page}"),
    };
    for (html, lang) in [(&id, "id"), (&en, "en")] {
        assert!(
            html.contains(&format!(r#"<link rel="canonical" href="{}">"#, abs(lang))),
            "{lang}: canonical is the page's own absolute address"
        );
        assert!(
            html.contains(&format!(
                r#"<meta property="og:url" content="{}">"#,
                abs(lang)
            )),
            "{lang}: og:url is the page's own absolute address"
        );
        let locale = if lang == "id" { "id_ID" } else { "en_US" };
        for tag in [
            format!(r#"<meta property="og:locale" content="{locale}">"#),
            r#"<meta property="og:type" content="website">"#.to_string(),
            r#"<meta name="twitter:card" content="summary_large_image">"#.to_string(),
            "<meta property=\"og:title\" content=\"".to_string(),
            "<meta property=\"og:description\" content=\"".to_string(),
        ] {
            assert!(html.contains(&tag), "{lang}: {tag}");
        }
        for (code, href) in [
            ("id", abs("id")),
            ("en", abs("en")),
            ("x-default", abs("id")),
        ] {
            assert!(
                html.contains(&format!(
                    r#"<link rel="alternate" hreflang="{code}" href="{href}">"#
                )),
                "{lang}: absolute alternate {code}"
            );
        }
    }
    assert!(
        !text(&out, "404.html").contains("canonical"),
        "the 404 page is served at addresses that are not its own"
    );

    let feed = text(&out, "en/feed.xml");
    assert_eq!(
        feed_id(&feed),
        "https://kad.example.id/en/feed.xml",
        "{feed}"
    );
    assert!(feed.contains(
        r#"<link rel="self" type="application/atom+xml" href="https://kad.example.id/en/feed.xml"/>"#
    ));
    let entries = entry_ids(&feed);
    assert!(entries.contains(
        "https://kad.example.id/en/agreements/metro-dki-jakarta-2022/index.html#issue-harga-spesifikasi-beras"
    ), "{entries:?}");
    let dashboard = text(&out, "en/agreements/metro-dki-jakarta-2022/index.html");
    for e in &entries {
        let (page, anchor) = e.split_once('#').unwrap();
        if page.ends_with("metro-dki-jakarta-2022/index.html") {
            assert!(
                dashboard.contains(&format!(r#"id="{anchor}""#)),
                "the entry {e} points at its milestone or issue"
            );
        }
    }
}

/// The `<id>` of an Atom feed (the first one, before any entry).
fn feed_id(feed: &str) -> String {
    let start = feed.find("<id>").expect("a feed id") + 4;
    feed[start..start + feed[start..].find("</id>").unwrap()].to_string()
}

/// The `<id>`s of a feed's entries.
fn entry_ids(feed: &str) -> std::collections::BTreeSet<String> {
    feed.split("<entry>").skip(1).map(feed_id).collect()
}

/// Every `<updated>` of a feed: the feed's own first, then its entries'.
fn updated(feed: &str) -> Vec<String> {
    feed.split("<updated>")
        .skip(1)
        .map(|s| s[..s.find("</updated>").unwrap()].to_string())
        .collect()
}

#[test]
fn feed_entry_ids_survive_an_earlier_milestone_and_feeds_differ_per_site() {
    let site = tmp("feed-site");
    let out = tmp("feed-out");
    copy_example(&site);
    assert!(build(&site, &out).status.success());
    let before = text(&out, "feed.xml");
    let old = entry_ids(&before);
    assert!(old.iter().all(|id| id.starts_with("urn:uuid:")), "{old:?}");
    assert_eq!(
        old.len(),
        before.matches("<entry>").count(),
        "no two entries share an id"
    );
    let dates = updated(&before);
    assert!(
        dates[1..].iter().all(|d| d <= &dates[0]),
        "no entry is newer than its feed, planned milestones included: {dates:?}"
    );

    let file = site.join("content/agreements/metro-dki-jakarta-2022/agreement.yaml");
    let yaml = fs::read_to_string(&file).unwrap().replacen(
        "milestones:\n",
        "milestones:\n  - date: 2022-06-01\n    title: Rapat persiapan\n    status: done\n",
        1,
    );
    fs::write(&file, yaml).unwrap();
    assert!(build(&site, &out).status.success());
    let new = entry_ids(&text(&out, "feed.xml"));
    assert_eq!(new.len(), old.len() + 1, "one new entry");
    assert!(
        old.is_subset(&new),
        "every existing entry keeps its id: lost {:?}",
        old.difference(&new).collect::<Vec<_>>()
    );

    let other = tmp("feed-other");
    let other_out = tmp("feed-other-out");
    copy_example(&other);
    let yaml = other.join("content/site.yaml");
    let changed = fs::read_to_string(&yaml)
        .unwrap()
        .replace("Bidang Pangan", "Bidang Pangan Provinsi Lain");
    fs::write(&yaml, changed).unwrap();
    assert!(build(&other, &other_out).status.success());
    for feed in ["feed.xml", "en/feed.xml"] {
        let a = text(&out, feed);
        let b = text(&other_out, feed);
        assert_ne!(feed_id(&a), feed_id(&b), "{feed}: two sites, two ids");
        assert!(entry_ids(&a).is_disjoint(&entry_ids(&b)), "{feed}");
    }
    assert_ne!(
        feed_id(&text(&out, "feed.xml")),
        feed_id(&text(&out, "en/feed.xml")),
        "each language's feed has its own id"
    );
}

#[test]
fn the_default_icon_is_declared_and_a_site_may_replace_it() {
    let site = tmp("icon-site");
    let out = tmp("icon-out");
    copy_example(&site);
    assert!(build(&site, &out).status.success());
    let ico = fs::read(out.join("favicon.ico")).unwrap();
    assert_eq!(&ico[..4], &[0, 0, 1, 0], "an ICO file");
    assert!(text(&out, "favicon.svg").starts_with("<svg"));
    for (page, up) in [("index.html", ""), ("en/about/index.html", "../../")] {
        let html = text(&out, page);
        assert!(
            html.contains(&format!(
                r#"<link rel="icon" href="{up}favicon.ico" sizes="32x32">"#
            )),
            "{page}"
        );
        assert!(
            html.contains(&format!(
                r#"<link rel="icon" href="{up}favicon.svg" type="image/svg+xml">"#
            )),
            "{page}"
        );
    }
    fs::create_dir_all(site.join("static")).unwrap();
    fs::write(site.join("static/favicon.ico"), b"my icon").unwrap();
    assert!(build(&site, &out).status.success());
    assert_eq!(fs::read(out.join("favicon.ico")).unwrap(), b"my icon");
    assert!(out.join("favicon.svg").is_file(), "the other default stays");
}

#[test]
fn verbose_prints_phase_timings_and_quiet_prints_nothing() {
    let out = tmp("verbose");
    let site = repo();
    let args = [
        "build",
        "--site",
        site.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    let o = sinergi(&[&args[..], &["-v"]].concat(), &[]);
    assert!(o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    for phase in ["load:", "render and stage:", "commit:"] {
        assert!(err.contains(phase), "{err}");
    }
    let o = sinergi(&[&args[..], &["--quiet"]].concat(), &[]);
    assert!(o.status.success());
    assert!(o.stdout.is_empty());
}

#[test]
fn completions_are_printed_for_each_shell() {
    for shell in ["bash", "zsh", "fish"] {
        let o = sinergi(&["completions", shell], &[]);
        assert!(o.status.success(), "{shell}");
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(
            text.contains("sinergi") && text.contains("build"),
            "{shell}"
        );
    }
    assert_eq!(
        sinergi(&["completions", "tcsh"], &[]).status.code(),
        Some(2)
    );
}

/// The built-in strings of `lang`.
fn builtin_strings(lang: &str) -> BTreeMap<String, String> {
    let text = fs::read_to_string(repo().join(format!("src/render/i18n/{lang}.yaml"))).unwrap();
    serde_saphyr::from_str(&text).unwrap()
}

fn rot13(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'a'..='z' => (((c as u8 - b'a') + 13) % 26 + b'a') as char,
            'A'..='Z' => (((c as u8 - b'A') + 13) % 26 + b'A') as char,
            c => c,
        })
        .collect()
}

/// `s` with each word outside `{placeholders}` rot13'd: a language no reader knows, so that
/// any English or Indonesian word on its pages can only have come from elsewhere.
fn pseudo_javanese(s: &str) -> String {
    let mut out = String::new();
    for (i, part) in s.split('{').enumerate() {
        match part.split_once('}') {
            Some((name, rest)) if i > 0 => out.push_str(&format!("{{{name}}}{}", rot13(rest))),
            _ if i > 0 => out.push_str(&format!("{{{}", rot13(part))),
            _ => out.push_str(&rot13(part)),
        }
    }
    out
}

/// Lower-cased words (runs of letters) of `s`.
fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// What a reader sees of an HTML or SVG file: text and the attributes read aloud or shown
/// (the language switch, which names each language in itself, left out).
fn visible_text(markup: &str) -> String {
    let mut rest = markup.to_string();
    for (open, close) in [
        ("<style", "</style>"),
        ("<ul class=\"lang-switch\"", "</ul>"),
    ] {
        let mut kept = String::new();
        let mut r = rest.as_str();
        while let Some(a) = r.find(open) {
            kept.push_str(&r[..a]);
            r = r[a..]
                .split_once(close)
                .map(|(_, after)| after)
                .unwrap_or("");
        }
        kept.push_str(r);
        rest = kept;
    }
    let mut out = String::new();
    for (i, chunk) in rest.split('<').enumerate() {
        let (tag, text) = if i == 0 {
            ("", chunk)
        } else {
            chunk.split_once('>').unwrap_or((chunk, ""))
        };
        let attrs: &[&str] = if tag.contains("name=\"viewport\"") {
            &[]
        } else {
            &["aria-label", "title", "alt", "data-label", "content"]
        };
        for attr in attrs {
            for value in tag.split(&format!(" {attr}=\"")).skip(1) {
                out.push_str(value.split('"').next().unwrap_or(""));
                out.push(' ');
            }
        }
        out.push_str(&text.replace("&amp;", "&").replace("shipments.csv", ""));
        out.push(' ');
    }
    out
}

#[test]
fn a_third_language_takes_every_word_from_its_strings_file() {
    let site = tmp("javanese");
    copy_example(&site);
    let settings = text(&site, "content/site.yaml").replace("[id, en]", "[id, en, jv]");
    fs::write(site.join("content/site.yaml"), settings).unwrap();
    // Every key English has (plural forms too), each word made unrecognisable; the number
    // format says so too.
    let mut jv: BTreeMap<String, String> = builtin_strings("en")
        .into_iter()
        .map(|(k, v)| (k, pseudo_javanese(&v)))
        .collect();
    jv.insert("number_group".into(), "'".into());
    jv.insert("number_decimal".into(), ",".into());
    let yaml: String = jv
        .iter()
        .map(|(k, v)| format!("{k}: {}\n", serde_json::to_string(v).unwrap()))
        .collect();
    fs::create_dir_all(site.join("i18n")).unwrap();
    fs::write(site.join("i18n/jv.yaml"), yaml).unwrap();

    let out = site.join("output");
    let o = build(&site, &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let files = snapshot(&out);

    // Every page and chart of the default language exists in Javanese.
    for path in files
        .keys()
        .filter(|p| !p.starts_with("en/") && !p.starts_with("jv/"))
    {
        if path.ends_with(".html") || path.ends_with(".svg") && path.contains("/charts/") {
            assert!(
                files.contains_key(&format!("jv/{path}")),
                "jv/{path} is missing"
            );
        }
    }

    // Words of the built-in strings, less those of the data (which is not translated).
    let data: std::collections::BTreeSet<String> = snapshot(&site.join("content"))
        .values()
        .flat_map(|bytes| words(&String::from_utf8_lossy(bytes)))
        .collect();
    let jv_words: std::collections::BTreeSet<String> = jv.values().flat_map(|v| words(v)).collect();
    let foreign: std::collections::BTreeSet<String> = ["id", "en"]
        .iter()
        .flat_map(|l| builtin_strings(l).into_values())
        .flat_map(|v| words(&without_placeholders(&v)))
        .filter(|w| w.chars().count() >= 3 && !data.contains(w) && !jv_words.contains(w))
        .collect();
    assert!(foreign.len() > 200, "{}", foreign.len());

    let mut checked = 0;
    for (path, bytes) in files.iter().filter(|(p, _)| p.starts_with("jv/")) {
        let text = String::from_utf8_lossy(bytes);
        let visible = if path.ends_with(".html") || path.ends_with(".svg") {
            visible_text(&text)
        } else if path.ends_with("feed.xml") {
            text.split("<title>")
                .skip(1)
                .map(|t| t.split("</title>").next().unwrap_or(""))
                .collect::<Vec<_>>()
                .join(" ")
        } else {
            continue;
        };
        let left: Vec<String> = words(&visible)
            .into_iter()
            .filter(|w| foreign.contains(w))
            .collect();
        assert!(
            left.is_empty(),
            "{path} has English or Indonesian words: {left:?}"
        );
        checked += 1;
    }
    assert!(checked > 30, "{checked} files checked");

    // Dates, numbers and chart text follow jv.yaml: `Whar` is June, `,` its decimal point
    // (falling back to English would write 2.2%).
    let dashboard = text(&out, "jv/agreements/metro-dki-jakarta-2022/index.html");
    assert!(dashboard.contains("Whar 2022"), "{dashboard}");
    let targets = text(
        &out,
        "jv/agreements/metro-dki-jakarta-2022/charts/targets.svg",
    );
    assert!(targets.contains("2,2%"), "{targets}");
    let chart = text(
        &out,
        "jv/agreements/metro-dki-jakarta-2022/charts/monthly.svg",
    );
    assert!(chart.contains(&rot13("Deliveries per month")), "{chart}");
}

/// `s` without its `{placeholders}`.
fn without_placeholders(s: &str) -> String {
    s.split('{')
        .map(|part| part.split_once('}').map(|(_, rest)| rest).unwrap_or(part))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The JSON a script of the output (`rel`) assigns to `window.<global>`, its only statement.
fn assigned(out: &Path, rel: &str, global: &str) -> serde_json::Value {
    let js = text(out, rel);
    let json = js
        .strip_prefix(&format!("window.{global} = "))
        .and_then(|j| j.strip_suffix(";\n"))
        .unwrap_or_else(|| panic!("{rel} sets one global: {js}"));
    serde_json::from_str(json).unwrap()
}

/// The ledger filter's data, `agreements/<slug>/records.js`: one string per column.
fn records(out: &Path, slug: &str) -> Vec<String> {
    let r = assigned(
        out,
        &format!("agreements/{slug}/records.js"),
        "sinergiRecords",
    );
    let columns: Vec<String> = r
        .as_array()
        .expect("an array of columns")
        .iter()
        .map(|c| c.as_str().expect("a column is a string").to_string())
        .collect();
    assert_eq!(columns.len(), 15, "units, 12 CSV columns, written, flags");
    columns
}

/// CSV cells up to the end of `text` or a line break outside quotes, and what follows it.
fn csv_cells(text: &str) -> (Vec<String>, Option<&str>) {
    let mut cells = vec![String::new()];
    let mut quoted = false;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            '"' if quoted && chars.peek().map(|p| p.1) == Some('"') => {
                chars.next();
                cells.last_mut().unwrap().push('"');
            }
            '"' => quoted = !quoted,
            ',' if !quoted => cells.push(String::new()),
            '\n' if !quoted => return (cells, Some(&text[at + 1..])),
            c => cells.last_mut().unwrap().push(c),
        }
    }
    (cells, None)
}

/// A column of `records.js` as one value per record, as `assets/filter.js` reads it: empty
/// (every value empty), `value\n` (the same for every record), `values\ndigits` (each record's
/// index into the values) or every value.
fn column(text: &str, n: usize) -> Vec<String> {
    if text.is_empty() {
        return vec![String::new(); n];
    }
    match csv_cells(text) {
        (values, None) => {
            assert_eq!(values.len(), n, "one value per record: {text}");
            values
        }
        (values, Some("")) => vec![values[0].clone(); n],
        (values, Some(digits)) => {
            assert_eq!(digits.len(), n, "one digit per record");
            digits
                .bytes()
                .map(|d| values[usize::from(d - b'0')].clone())
                .collect()
        }
    }
}

/// The columns of `records.js` by their name in `shipments.csv` (`unit` from the commodity's).
fn record_columns(r: &[String]) -> BTreeMap<&'static str, Vec<String>> {
    let n = csv_cells(&r[1]).0.len();
    let names = [
        "id",
        "date",
        "from",
        "to",
        "commodity",
        "quantity",
        "status",
        "verification",
        "document",
        "value_idr",
        "sources",
        "note",
        "written",
        "flags",
    ];
    let mut columns: BTreeMap<&str, Vec<String>> = names
        .iter()
        .zip(&r[1..])
        .map(|(name, text)| (*name, column(text, n)))
        .collect();
    let units: BTreeMap<String, String> = csv_cells(&r[0])
        .0
        .chunks(2)
        .map(|p| (p[0].clone(), p[1].clone()))
        .collect();
    let unit = columns["commodity"]
        .iter()
        .map(|c| units[c].clone())
        .collect();
    columns.insert("unit", unit);
    columns
}

/// Every line of `shipments.csv`, rebuilt from `records.js` alone, as the filter's download
/// rebuilds them.
fn csv_from_records(r: &[String], header: &str) -> String {
    let columns = record_columns(r);
    let cell = |c: &str| {
        let c = if c.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            format!("'{c}")
        } else {
            c.to_string()
        };
        if c.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", c.replace('"', "\"\""))
        } else {
            c
        }
    };
    let lines = (0..columns["id"].len()).map(|i| {
        let cells: Vec<String> = header
            .split(',')
            .map(|name| cell(&columns[name][i]))
            .collect();
        cells.join(",") + "\r\n"
    });
    format!("{header}\r\n") + &lines.collect::<String>()
}

/// The size of `bytes` compressed with gzip at `level`.
fn gzipped(bytes: &[u8], level: u32) -> usize {
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(level));
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap().len()
}

#[test]
fn the_ledger_filter_data_holds_every_record_as_codes() {
    let site = tmp("filter-site");
    copy_example(&site);
    // Decimals the filter must add exactly: 0.1 t + 0.2 t of eggs.
    let day = site.join(
        "content/agreements/metro-dki-jakarta-2022/shipments/2022-06-12-pelepasan-perdana.yaml",
    );
    let yaml = fs::read_to_string(&day).unwrap();
    fs::write(&day, yaml.replace("quantity: 6000", "quantity: 100")).unwrap();
    let period = site.join(
        "content/agreements/metro-dki-jakarta-2022/shipments/periode-2022-06-sd-2022-09.yaml",
    );
    let yaml = fs::read_to_string(&period).unwrap();
    fs::write(
        &period,
        yaml.replacen("quantity: 3\n", "quantity: 0.2\n", 1),
    )
    .unwrap();
    let out = tmp("filter-out");
    let o = build(&site, &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    let slug = "metro-dki-jakarta-2022";
    let r = records(&out, slug);
    let csv = text(&out, &format!("agreements/{slug}/shipments.csv"));
    let header = csv.lines().next().unwrap();
    assert_eq!(csv_from_records(&r, header), csv);
    // Codes, not labels: no commodity or participant name of either language, and no note in
    // English (the CSV has none): those are in `notes.en.js`, which only the English page loads.
    let js = text(&out, &format!("agreements/{slug}/records.js"));
    for label in [
        "Produk UMKM",
        "Gapoktan Sari Makmur",
        "PT Food Station Tjipinang Jaya",
        "Husked",
    ] {
        assert!(!js.contains(label), "records.js holds the label {label}");
    }
    let notes = assigned(
        &out,
        &format!("agreements/{slug}/notes.en.js"),
        "sinergiNotes",
    );
    let notes = column(notes.as_str().unwrap(), 5);
    assert!(
        notes[0].starts_with("Husked (pecah kulit) rice"),
        "{notes:?}"
    );
    assert_eq!(notes[1], "");
    // Eggs in t: 0.1 (written 100 kg) and 0.2, the decimals the CSV has.
    let columns = record_columns(&r);
    let eggs: Vec<(&str, &str)> = (0..5)
        .filter(|&i| columns["commodity"][i] == "telur")
        .map(|i| {
            (
                columns["quantity"][i].as_str(),
                columns["written"][i].as_str(),
            )
        })
        .collect();
    assert_eq!(eggs, [("0.1", "100 kg"), ("0.2", "")]);
    // One file for every language; the ledger's first page in each loads it and the script,
    // the English page the English notes too.
    for (page, notes) in [
        (format!("agreements/{slug}/shipments/index.html"), false),
        (format!("en/agreements/{slug}/shipments/index.html"), true),
    ] {
        let html = text(&out, &page);
        assert!(html.contains(&format!("agreements/{slug}/records.js\" defer></script>")));
        assert_eq!(
            html.contains(&format!("agreements/{slug}/notes.en.js\" defer></script>")),
            notes
        );
        assert!(html.contains("assets/filter.js\" defer></script>"));
        assert!(html.contains("<section id=\"ledger-filter\" class=\"filter\" hidden"));
        assert!(html.contains("data-page-size=\"500\""));
        assert!(!html.contains(" onclick=") && !html.contains("<script>"));
    }
    assert!(
        !out.join(format!("en/agreements/{slug}/records.js"))
            .exists()
    );
    assert!(!out.join(format!("agreements/{slug}/notes.id.js")).exists());
    assert!(text(&out, "assets/filter.js").contains("sinergiRecords"));
    // An agreement without records has nothing to filter.
    assert!(
        !out.join("agreements/ngawi-dki-jakarta-2021/records.js")
            .exists()
    );
    let html = text(
        &out,
        "agreements/ngawi-dki-jakarta-2021/shipments/index.html",
    );
    assert!(!html.contains("ledger-filter"));
    // The same input, the same bytes.
    let again = tmp("filter-out-again");
    assert!(build(&site, &again).status.success());
    assert_eq!(js, text(&again, &format!("agreements/{slug}/records.js")));
}

/// The filter's data costs a reader no more than the CSV: compressed with gzip (default and
/// best level), `records.js` is no bigger than `shipments.csv`, for the example site's ledgers
/// and for synthetic ledgers of 1 to 40 records (where the indexed columns start); every one
/// still rebuilds the CSV exactly.
#[test]
fn the_ledger_filter_data_is_no_bigger_compressed_than_the_csv() {
    let mut outs = vec![tmp("filter-size-example")];
    assert!(build(&repo(), &outs[0]).status.success());
    for n in [1, 5, 10, 40] {
        let site = tmp(&format!("filter-size-site-{n}"));
        let spec = sinergi::synthetic::Spec {
            agreements: 1,
            records_per_agreement: n,
            seed: 1,
        };
        sinergi::synthetic::write_site(&site, spec).unwrap();
        let out = tmp(&format!("filter-size-out-{n}"));
        let o = build(&site, &out);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        outs.push(out);
    }
    let mut checked = 0;
    for out in &outs {
        for e in fs::read_dir(out.join("agreements")).unwrap() {
            let dir = e.unwrap().path();
            let Ok(js) = fs::read(dir.join("records.js")) else {
                continue;
            };
            let csv = fs::read(dir.join("shipments.csv")).unwrap();
            for level in [6, 9] {
                let (js, csv) = (gzipped(&js, level), gzipped(&csv, level));
                assert!(
                    js <= csv,
                    "{}: records.js {js} B > shipments.csv {csv} B (gzip -{level})",
                    dir.display()
                );
            }
            let slug = dir.file_name().unwrap().to_str().unwrap();
            let csv = String::from_utf8(csv).unwrap();
            let header = csv.lines().next().unwrap();
            assert_eq!(csv_from_records(&records(out, slug), header), csv);
            checked += 1;
        }
    }
    assert_eq!(
        checked, 5,
        "the example's one ledger with records and four synthetic ones"
    );
}

/// A language's search index, `search/index.js`, as JSON.
fn search_index(out: &Path, lang_root: &str) -> serde_json::Value {
    assigned(out, &format!("{lang_root}search/index.js"), "sinergiSearch")
}

#[test]
fn the_search_index_finds_every_kind_in_each_language_and_links_its_page() {
    let a = tmp("search-a");
    let b = tmp("search-b");
    assert!(build(&repo(), &a).status.success());
    assert!(build(&repo(), &b).status.success());
    for lang_root in ["", "en/"] {
        let file = format!("{lang_root}search/index.js");
        assert_eq!(
            text(&a, &file),
            text(&b, &file),
            "{file} differs between builds"
        );
        let html = text(&a, &format!("{lang_root}search/index.html"));
        assert!(
            html.contains("<script src=\"index.js\" defer></script>"),
            "{html}"
        );
        assert!(
            html.contains("assets/search.js\" defer></script>"),
            "{html}"
        );
        assert!(html.contains("index.html#agreements-heading"), "{html}");

        let ix = search_index(&a, lang_root);
        let list = |k: &str| ix[k].as_array().unwrap().clone();
        let (kinds, words, entries) = (list("kinds"), list("words"), list("entries"));
        let n = list("kind").len();
        for col in ["agreement", "id", "title", "context"] {
            assert_eq!(list(col).len(), n, "{col}");
        }
        // Words are folded, unique and in JavaScript's order (UTF-16 code units).
        let words: Vec<&str> = words.iter().map(|w| w.as_str().unwrap()).collect();
        for w in words.windows(2) {
            assert!(
                w[0].encode_utf16().lt(w[1].encode_utf16()),
                "{} before {}",
                w[0],
                w[1]
            );
        }
        assert!(
            words
                .iter()
                .all(|w| *w == w.to_lowercase() && w.chars().all(char::is_alphanumeric))
        );
        assert!(words.contains(&"beras") && words.contains(&"gapoktan"));
        // No shipment record is indexed: the records' ids are not words.
        assert!(!words.contains(&"mdj"), "{words:?}");

        // Every entry of every word decodes to an entry; every entry is found by its title.
        let mut found = vec![false; n];
        for list in &entries {
            let mut e = 0;
            for (i, d) in list.as_array().unwrap().iter().enumerate() {
                let d = d.as_u64().unwrap() as usize;
                e = if i == 0 { d } else { e + d };
                found[e] = true;
            }
        }
        assert!(found.iter().all(|f| *f), "an entry no word finds");

        // Every kind is there, and every entry's address is a page with that anchor.
        let mut seen = std::collections::BTreeSet::new();
        for e in 0..n {
            let kind = &kinds[ix["kind"][e].as_u64().unwrap() as usize];
            seen.insert(kind["code"].as_str().unwrap().to_string());
            let slug = match ix["agreement"][e].as_i64().unwrap() {
                -1 => String::new(),
                x => ix["slugs"][x as usize].as_str().unwrap().to_string(),
            };
            let id = ix["id"][e].as_str().unwrap();
            let path = kind["path"]
                .as_str()
                .unwrap()
                .replace("{a}", &slug)
                .replace("{id}", id);
            let (page, anchor) = path.split_once('#').unwrap_or((&path, ""));
            let page = text(&a, &format!("{lang_root}{page}"));
            assert!(
                anchor.is_empty() || page.contains(&format!(" id=\"{anchor}\"")),
                "{lang_root}{path}: no such anchor"
            );
        }
        let every = [
            "agreement",
            "party",
            "commodity",
            "participant",
            "offtaker",
            "document",
            "milestone",
            "issue",
            "page",
        ];
        assert_eq!(seen, every.iter().map(|s| s.to_string()).collect());
    }
    // Each language's words: the English index has English titles.
    let en = search_index(&a, "en/");
    let titles: Vec<&str> = en["title"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert!(titles.contains(&"Methodology"), "{titles:?}");
    assert!(!titles.contains(&"Metodologi"), "{titles:?}");
}

/// The output of a synthetic site of one agreement with 40 records, built once for the tests
/// that read it.
fn synthetic_40() -> &'static Path {
    static OUT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    OUT.get_or_init(|| {
        let site = tmp("synthetic-40-site");
        let spec = sinergi::synthetic::Spec {
            agreements: 1,
            records_per_agreement: 40,
            seed: 1,
        };
        sinergi::synthetic::write_site(&site, spec).unwrap();
        let out = tmp("synthetic-40-out");
        let o = build(&site, &out);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        out
    })
}

#[test]
fn the_report_appendix_lists_the_latest_25_records_and_links_the_rest() {
    let out = synthetic_40();
    for (root, shown) in [
        ("", "catatan terbaru 25 / 40."),
        ("en/", "latest records 25 / 40."),
    ] {
        let report = text(out, &format!("{root}agreements/kad-0000/report/index.html"));
        assert!(report.contains(shown), "{root}: {shown}");
        for link in [
            "agreements/kad-0000/shipments/index.html\"",
            "agreements/kad-0000/shipments.csv\"",
        ] {
            assert!(report.contains(link), "{root}: {link}");
        }
        let appendix = report.split("<table class=ledger>").nth(1).unwrap();
        let body = appendix.split("<tbody>").nth(1).unwrap();
        let body = body.split("<tfoot>").next().unwrap();
        assert_eq!(body.matches("<tr>").count(), 25, "{root}");
    }
}

/// A chart's data table names its header cells' scope only where HTML's automatic scope would
/// not: a head row of header cells heads columns and a body row's first header cell heads its
/// row without `scope`, but a header spanning rows says `scope=row`.
#[test]
fn data_tables_name_a_header_scope_only_where_html_would_not_infer_it() {
    let out = synthetic_40();
    for page in [
        "agreements/kad-0000/index.html",
        "en/agreements/kad-0000/report/index.html",
    ] {
        let html = text(out, page);
        let tables: Vec<&str> = html.split("<table>\n<caption>").skip(1).collect();
        assert!(tables.len() >= 5, "{page}");
        let mut spanning = 0;
        for table in tables {
            let table = table.split("</table>").next().unwrap();
            let (head, body) = table.split_once("<tbody>").unwrap();
            assert!(
                head.contains("<thead><tr><th>") && !head.contains("<td"),
                "{head}"
            );
            for row in body.split("<tr>").skip(1) {
                let first = &row[..row.find('>').unwrap() + 1];
                match first {
                    "<th>" => assert!(row.contains("<td>"), "{row}"),
                    "<td>" => {}
                    _ => {
                        assert!(first.starts_with("<th scope=row rowspan="), "{row}");
                        spanning += 1;
                    }
                }
            }
        }
        assert!(spanning > 0, "{page}: no month spans its commodities' rows");
    }
}
