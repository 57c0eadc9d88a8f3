//! Charts of the example site in content/: snapshots of every chart kind in both languages,
//! and the structural rules on every SVG.
//!
//! Set `SINERGI_CHARTS_OUT=/some/dir` to also write each SVG there (to look at them).

mod charts_util;

use std::path::Path;

use charts_util::{check_chart, snapshot, texts};
use sinergi::charts::{Chart, portfolio_chart, portfolio_map};

fn example() -> sinergi::Checked {
    let checked = sinergi::check(Path::new(env!("CARGO_MANIFEST_DIR")));
    assert!(checked.site.is_some(), "the example site loads");
    checked
}

/// The Metro agreement of the example site, with its figures.
fn metro(checked: &sinergi::Checked) -> (&sinergi::model::Agreement, &sinergi::model::Totals) {
    let site = checked.site.as_ref().unwrap();
    site.agreements
        .iter()
        .zip(&checked.figures)
        .find(|(a, _)| a.slug == "metro-dki-jakarta-2022")
        .expect("the Metro agreement")
}

fn dump(file: &str, chart: &Chart) {
    if let Ok(dir) = std::env::var("SINERGI_CHARTS_OUT") {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(Path::new(&dir).join(format!("{file}.svg")), &chart.svg).unwrap();
    }
}

#[test]
fn every_chart_of_the_example_site_snapshots() {
    let checked = example();
    let site = checked.site.as_ref().unwrap();
    for lang in &site.languages {
        for (a, f) in site.agreements.iter().zip(&checked.figures) {
            let charts =
                charts_util::charts(a, f, &charts_util::loc(lang), site.default_language());
            assert!(!charts.is_empty());
            let mut names: Vec<&str> = charts.iter().map(|c| c.name.as_str()).collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), charts.len(), "chart names are unique");
            for c in &charts {
                check_chart(c, &format!("chart-{}-{}", a.slug, c.name));
                dump(&format!("{}-{lang}-{}", a.slug, c.name), c);
                insta::assert_snapshot!(format!("{}__{lang}__{}", a.slug, c.name), snapshot(c));
            }
        }
        let p = portfolio_chart(site, &checked.figures, &charts_util::loc(lang));
        check_chart(&p, "chart-portfolio");
        dump(&format!("portfolio-{lang}"), &p);
        insta::assert_snapshot!(format!("portfolio__{lang}"), snapshot(&p));
        let m = portfolio_map(site, &checked.figures, &charts_util::loc(lang));
        check_chart(&m, "chart-portfolio-map");
        dump(&format!("portfolio-map-{lang}"), &m);
        insta::assert_snapshot!(format!("portfolio-map__{lang}"), snapshot(&m));
    }
}

#[test]
fn the_example_maps_show_where_the_food_went() {
    let checked = example();
    let site = checked.site.as_ref().unwrap();
    let (a, f) = metro(&checked);
    let charts = charts_util::charts(a, f, &charts_util::loc("en"), "id");
    let map = charts.iter().find(|c| c.name == "map").expect("a map");
    // Rice went to Food Station; what else Metro shipped has no published receiver and goes,
    // dashed, to DKI Jakarta.
    let shown = texts(&map.svg);
    for label in [
        "Rice 10 t",
        "Eggs 9 t",
        "Cattle 30 head",
        "Small-business (UMKM) products 5 trucks",
    ] {
        assert!(shown.iter().any(|t| t == label), "{label}: {shown:?}");
    }
    assert!(
        charts_util::strokes(
            &map.svg,
            &[("stroke", "#404040"), ("stroke-dasharray", "6 4")]
        ) >= 2,
        "dashed"
    );
    assert!(map.svg.len() < 150_000);
    let m = portfolio_map(site, &checked.figures, &charts_util::loc("id"));
    assert!(m.svg.len() < 150_000);
    assert!(m.description.contains("Beras 10 ton"), "{}", m.description);
}

#[test]
fn the_metro_dashboard_has_each_chart_kind() {
    let checked = example();
    let (a, f) = metro(&checked);
    let charts = charts_util::charts(a, f, &charts_util::loc("id"), "id");
    let names: Vec<&str> = charts.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "cumulative-telur",
            "cumulative-beras",
            "cumulative-sapi",
            "cumulative-produk-umkm",
            "monthly",
            "targets",
            "participants",
            "offtakers",
            "map"
        ]
    );
    let by = |n: &str| charts.iter().find(|c| c.name == n).unwrap();

    // Eggs: 6 t on 12 June, then a 3 t period total: the note says how it is drawn.
    let eggs = by("cumulative-telur");
    assert!(eggs.description.contains("9 ton"), "{}", eggs.description);
    assert!(eggs.note.as_deref().unwrap().contains("periode"));
    // The key to the lines is said once, under the first cumulative chart, not under each.
    assert!(
        eggs.note
            .as_deref()
            .unwrap()
            .contains("berlaku untuk semua grafik kumulatif")
    );
    for c in charts
        .iter()
        .skip(1)
        .filter(|c| c.name.starts_with("cumulative-"))
    {
        let note = c.note.as_deref().unwrap_or_default();
        assert!(
            !note.contains("periode") && !note.contains("putus"),
            "{note}"
        );
    }
    assert!(
        charts_util::hatched(&eggs.svg, charts_util::BAND) >= 2,
        "the period's span is striped"
    );
    assert!(
        texts(&eggs.svg).iter().any(|t| t == "Jun"),
        "Indonesian months"
    );

    // Units never share an axis: one chart per commodity, each in its own unit.
    assert!(
        texts(&by("cumulative-sapi").svg)
            .iter()
            .any(|t| t.contains("ekor"))
    );
    assert!(
        !texts(&by("cumulative-sapi").svg)
            .iter()
            .any(|t| t.contains("ton"))
    );

    // Targets: 10 of 450 t, the percentage written on the bar.
    let targets = by("targets");
    assert!(
        texts(&targets.svg).contains(&"2,2%".to_string()),
        "{:?}",
        texts(&targets.svg)
    );
    assert_eq!(targets.table.rows.len(), 1);

    // Receivers not published are shown as such.
    let offtakers = by("offtakers");
    assert!(
        texts(&offtakers.svg)
            .iter()
            .any(|t| t == "Penerima tidak dipublikasikan")
    );
    assert!(charts_util::hatched(&offtakers.svg, charts_util::UNPUBLISHED) >= 1);

    // English uses English months, numbers and words.
    let en = charts_util::charts(a, f, &charts_util::loc("en"), "id");
    let eggs = en.iter().find(|c| c.name == "cumulative-telur").unwrap();
    assert_eq!(eggs.title, "Eggs: cumulative deliveries");
    assert!(texts(&eggs.svg).iter().any(|t| t == "Aug"));
    let targets = en.iter().find(|c| c.name == "targets").unwrap();
    assert!(texts(&targets.svg).contains(&"2.2%".to_string()));
}

#[test]
fn charts_are_deterministic() {
    let one = example();
    let two = example();
    let site1 = one.site.as_ref().unwrap();
    let site2 = two.site.as_ref().unwrap();
    for (a, b) in site1
        .agreements
        .iter()
        .zip(&one.figures)
        .zip(site2.agreements.iter().zip(&two.figures))
    {
        assert_eq!(
            charts_util::charts(a.0, a.1, &charts_util::loc("id"), "id"),
            charts_util::charts(b.0, b.1, &charts_util::loc("id"), "id")
        );
    }
    assert_eq!(
        portfolio_chart(site1, &one.figures, &charts_util::loc("en")),
        portfolio_chart(site2, &two.figures, &charts_util::loc("en"))
    );
    assert_eq!(
        portfolio_map(site1, &one.figures, &charts_util::loc("en")),
        portfolio_map(site2, &two.figures, &charts_util::loc("en"))
    );
}
