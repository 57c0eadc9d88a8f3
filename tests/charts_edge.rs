//! Charts on synthetic agreements: no deliveries yet, one record, 100,000 records, a tiny
//! amount next to a huge one, 200-character names, markup in names, planned shipments.

mod charts_util;

use charts_util::*;
use sinergi::charts::{Chart, no_deliveries_text, portfolio_chart, portfolio_map};
use sinergi::figures;
use sinergi::model::{Agreement, ShipmentStatus, Site, Text, Unit, When};

fn charts(a: &Agreement, lang: &str) -> Vec<Chart> {
    let f = figures::totals(a, None);
    let charts = charts_util::charts(a, &f, &charts_util::loc(lang), "id");
    for c in &charts {
        check_chart(c, &format!("chart-{}-{}", a.slug, c.name));
    }
    if let Ok(dir) = std::env::var("SINERGI_CHARTS_OUT") {
        for c in &charts {
            let file = format!("{dir}/zz-{}-{lang}-{}.svg", a.slug, c.name);
            std::fs::write(file, &c.svg).unwrap();
        }
    }
    let svgs: Vec<&str> = charts.iter().map(|c| c.svg.as_str()).collect();
    let mut ids = all_ids(&svgs);
    let n = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n, "ids are unique on the dashboard");
    charts
}

/// The text lines grouped with the `<title>` that holds `full`, joined by spaces.
fn shown_with_title(svg: &str, full: &str) -> String {
    let doc = roxmltree::Document::parse(svg).unwrap();
    let g = doc
        .descendants()
        .find(|n| {
            n.has_tag_name("g")
                && n.children()
                    .any(|c| c.has_tag_name("title") && c.text() == Some(full))
        })
        .unwrap_or_else(|| panic!("no <title> with the whole name"));
    g.children()
        .filter(|c| c.has_tag_name("text"))
        .map(|c| c.text().unwrap_or("").trim())
        .collect::<Vec<_>>()
        .join(" ")
}

fn named<'a>(charts: &'a [Chart], name: &str) -> &'a Chart {
    charts
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no chart {name}"))
}

fn names(charts: &[Chart]) -> Vec<&str> {
    charts.iter().map(|c| c.name.as_str()).collect()
}

fn day(s: &str) -> When {
    When::Day(date(s))
}

fn span(a: &str, b: &str) -> When {
    When::Span {
        start: date(a),
        end: date(b),
    }
}

fn metro_like(slug: &str) -> Agreement {
    let mut a = agreement(
        slug,
        &[("telur", "Telur", Unit::T), ("sapi", "Sapi", Unit::Head)],
    );
    participant(&mut a, "kuj", "PT Kuasa Omega Jaya");
    offtaker(&mut a, "fs", "Food Station");
    a
}

#[test]
fn no_deliveries_yet_is_said_in_the_chart() {
    let mut a = metro_like("kosong");
    let id = charts(&a, "id");
    assert_eq!(names(&id), ["deliveries", "map"]);
    let c = &id[0];
    assert!(texts(&c.svg).contains(&"Belum ada pengiriman".to_string()));
    assert!(c.description.starts_with("Belum ada pengiriman"));
    assert_eq!(
        no_deliveries_text(&charts_util::loc("id")),
        "Belum ada pengiriman"
    );
    assert_eq!(c.table.rows.len(), 2, "one row per commodity, all zero");

    let en = charts(&a, "en");
    assert!(texts(&en[0].svg).contains(&"No deliveries yet".to_string()));
    assert_eq!(
        no_deliveries_text(&charts_util::loc("en")),
        "No deliveries yet"
    );

    // A quantitative target still shows, at 0%.
    target(&mut a, "t-telur", "telur", "100", Unit::T);
    let id = charts(&a, "id");
    assert_eq!(names(&id), ["deliveries", "targets", "map"]);
    assert!(texts(&named(&id, "targets").svg).contains(&"0%".to_string()));
}

#[test]
fn one_record() {
    let mut a = metro_like("satu");
    ship(
        &mut a,
        "s1",
        day("2022-06-12"),
        "kuj",
        Some("fs"),
        "telur",
        "6",
        ShipmentStatus::Shipped,
    );
    let c = charts(&a, "id");
    assert_eq!(
        names(&c),
        [
            "cumulative-telur",
            "monthly",
            "participants",
            "offtakers",
            "map"
        ],
        "a commodity without records or target gets no chart"
    );
    let cum = named(&c, "cumulative-telur");
    assert_eq!(
        count(&cum.svg, "circle", &[("stroke", "#FFFFFF")]),
        1,
        "one step, one marker (a dot with a white ring)"
    );
    assert_eq!(cum.svg.matches("<circle").count(), 1);
    assert!(texts(&cum.svg).contains(&"6 ton".to_string()));
    assert_eq!(cum.table.rows.len(), 1);
    assert!(cum.note.is_none(), "nothing to explain");
    let monthly = named(&c, "monthly");
    assert_eq!(monthly.table.rows.len(), 1);
    assert_eq!(monthly.table.rows[0][0], "Juni 2022");
    // No location given: the map names both and keeps the route in its table.
    let map = named(&c, "map");
    assert!(
        texts(&map.svg)
            .contains(&"Lokasi tidak diberikan: PT Kuasa Omega Jaya, Food Station".to_string())
    );
    assert_eq!(map.table.rows.len(), 1);
    assert!(
        named(&c, "participants")
            .description
            .contains("PT Kuasa Omega Jaya 6 ton")
    );
}

#[test]
fn period_records_and_planned_shipments_are_drawn_as_what_they_are() {
    let mut a = metro_like("periode");
    ship(
        &mut a,
        "d",
        day("2022-06-12"),
        "kuj",
        Some("fs"),
        "telur",
        "6",
        ShipmentStatus::Verified,
    );
    ship(
        &mut a,
        "p",
        span("2022-06-13", "2022-09-05"),
        "kuj",
        None,
        "telur",
        "3",
        ShipmentStatus::Shipped,
    );
    ship(
        &mut a,
        "f",
        day("2022-10-01"),
        "kuj",
        Some("fs"),
        "telur",
        "4",
        ShipmentStatus::Planned,
    );
    sort(&mut a);
    let c = charts(&a, "en");
    let cum = named(&c, "cumulative-telur");
    let note = cum.note.as_deref().unwrap();
    assert!(note.contains("period record is a total"), "{note}");
    assert!(note.contains("dashed line adds planned"), "{note}");
    assert!(
        cum.description.contains("9 t delivered"),
        "planned is not delivered: {}",
        cum.description
    );
    assert!(cum.description.contains("Planned, not yet delivered: 4 t"));
    assert!(
        strokes(
            &cum.svg,
            &[
                ("stroke", "#0072B2"),
                ("stroke-width", "2"),
                ("stroke-dasharray", "6 4")
            ]
        ) >= 2,
        "a dashed planned line, and its legend swatch"
    );
    assert_eq!(
        strokes(&cum.svg, &[("stroke", "#0072B2"), ("stroke-width", "3")]),
        2,
        "one solid delivered line, and its legend swatch"
    );
    assert!(hatched(&cum.svg, BAND) >= 2, "the period's span is striped");
    assert!(
        texts(&cum.svg).contains(&"13 t".to_string()),
        "{:?}",
        texts(&cum.svg)
    );

    let monthly = named(&c, "monthly");
    assert!(
        hatched(&monthly.svg, HATCH) >= 2,
        "the period total is hatched"
    );
    assert!(pale_bars(&monthly.svg) >= 1, "planned bars are pale");
    assert!(
        shapes(
            &monthly.svg,
            &[("stroke", "#1A1A1A"), ("stroke-dasharray", "4 3")]
        ) >= 2,
        "with a dashed outline, in the chart and in the legend"
    );
    let sep = monthly
        .table
        .rows
        .iter()
        .find(|r| r[0] == "September 2022")
        .unwrap();
    assert_eq!(sep[2..5], ["3", "3", "0"]);
    let oct = monthly
        .table
        .rows
        .iter()
        .find(|r| r[0] == "October 2022")
        .unwrap();
    assert_eq!(oct[2..5], ["0", "0", "4"]);

    let off = named(&c, "offtakers");
    assert!(texts(&off.svg).contains(&"Receiver not published".to_string()));
    assert!(
        off.table
            .rows
            .iter()
            .any(|r| r[0] == "Receiver not published" && r[2] == "3")
    );
}

#[test]
fn a_tiny_amount_next_to_a_huge_one() {
    let mut a = metro_like("kecil-besar");
    ship(
        &mut a,
        "tiny",
        day("2022-06-12"),
        "kuj",
        Some("fs"),
        "telur",
        "0.001",
        ShipmentStatus::Shipped,
    );
    // 10^9 kg, recorded in the commodity's unit as 10^6 t.
    ship(
        &mut a,
        "huge",
        day("2022-08-12"),
        "kuj",
        Some("fs"),
        "telur",
        "1000000",
        ShipmentStatus::Shipped,
    );
    sort(&mut a);
    let c = charts(&a, "id");
    let cum = named(&c, "cumulative-telur");
    let rows: Vec<&str> = cum.table.rows.iter().map(|r| r[3].as_str()).collect();
    assert_eq!(
        rows,
        ["0,001", "1.000.000,001"],
        "the table keeps every digit"
    );
    let t = texts(&cum.svg);
    assert!(t.contains(&"1 juta ton".to_string()), "{t:?}");
    assert!(
        t.contains(&"0,5 juta".to_string()),
        "one scale word on the axis: {t:?}"
    );
    assert!(
        t[1..].iter().all(|s| s.chars().count() <= 16),
        "labels stay short: {t:?}"
    );
    // The tiny month's bar is still drawn (at least one unit high).
    let monthly = named(&c, "monthly");
    assert_eq!(monthly.table.rows[0][2], "0,001");
    // A rectangle of its own, or one of a path of bars of one style (`M x,y h w v 1 h -w z`).
    let one_high = monthly
        .svg
        .lines()
        .filter(|l| l.contains("fill=\"#0072B2\""))
        .any(|l| l.contains("height=\"1\"") || l.contains("v1h-"));
    assert!(one_high, "a bar one unit high: {}", monthly.svg);
}

#[test]
fn two_hundred_character_names_are_shortened_on_the_chart_only() {
    let mut a = metro_like("nama-panjang");
    let long_p = format!("Koperasi {}", "Sejahtera Bersama ".repeat(12))
        .trim()
        .chars()
        .take(200)
        .collect::<String>();
    let long_o = "Perusahaan Umum Daerah "
        .repeat(10)
        .chars()
        .take(200)
        .collect::<String>();
    assert_eq!(long_p.chars().count(), 200);
    participant(&mut a, "long", &long_p);
    offtaker(&mut a, "long-o", &long_o);
    target(&mut a, "t-long", "telur", "100", Unit::T);
    a.targets[0].title = Text::plain(long_p.clone());
    ship(
        &mut a,
        "s1",
        day("2022-06-12"),
        "long",
        Some("long-o"),
        "telur",
        "6",
        ShipmentStatus::Shipped,
    );
    for lang in ["id", "en"] {
        let c = charts(&a, lang);
        for (name, full) in [
            ("participants", &long_p),
            ("offtakers", &long_o),
            ("targets", &long_p),
        ] {
            let chart = named(&c, name);
            let t = texts(&chart.svg);
            assert!(!t.contains(full), "{name}: shortened on the chart");
            // The shown lines (one, or two for a target's title) begin the name and end in "…".
            let shown = shown_with_title(&chart.svg, full);
            assert!(shown.ends_with('…'), "{name}: {shown}");
            assert!(
                full.starts_with(shown.trim_end_matches('…')),
                "{name}: {shown}"
            );
            for line in t.iter().filter(|l| full.contains(l.trim_end_matches('…'))) {
                assert!(
                    line.chars().count() < 80,
                    "{name}: a line short enough for the chart: {line}"
                );
            }
            assert!(
                titles(&chart.svg).contains(full),
                "{name}: whole in a <title>"
            );
            assert!(
                chart.table.rows.iter().any(|r| &r[0] == full),
                "{name}: whole in the table"
            );
        }
    }
}

#[test]
fn markup_in_names_is_escaped() {
    let evil = "<script>&\"'";
    let mut a = agreement("evil", &[("x", evil, Unit::Pack)]);
    a.title = Text::plain(evil);
    participant(&mut a, "p", evil);
    offtaker(&mut a, "o", evil);
    target(&mut a, "t", "x", "10", Unit::Pack);
    a.targets[0].title = Text::plain(evil);
    ship(
        &mut a,
        "s",
        day("2022-06-12"),
        "p",
        Some("o"),
        "x",
        "1",
        ShipmentStatus::Shipped,
    );
    ship(
        &mut a,
        "s2",
        span("2022-06-13", "2022-07-01"),
        "p",
        None,
        "x",
        "2",
        ShipmentStatus::Planned,
    );
    sort(&mut a);
    let c = charts(&a, "id");
    for chart in &c {
        assert!(!chart.svg.contains("<script"), "{}", chart.name);
        let all: Vec<String> = texts(&chart.svg)
            .into_iter()
            .chain(titles(&chart.svg))
            .collect();
        assert!(
            all.iter().any(|t| t.contains(evil)),
            "{}: the name reads back as written: {all:?}",
            chart.name
        );
    }
    let f = figures::totals(&a, None);
    let site = site_of(vec![a]);
    let p = portfolio_chart(&site, &[f], &charts_util::loc("id"));
    check_chart(&p, "chart-portfolio");
    assert!(!p.svg.contains("<script"));
    assert!(
        titles(&p.svg).iter().any(|t| t.contains(evil))
            || texts(&p.svg).iter().any(|t| t.contains(evil))
    );
}

fn site_of(agreements: Vec<Agreement>) -> Site {
    Site {
        title: Text::plain("Situs"),
        description: None,
        languages: vec!["id".to_string(), "en".to_string()],
        base_url: None,
        publisher: None,
        contact: None,
        license: None,
        as_of: None,
        agreements,
        pages: vec![],
        history_options: Default::default(),
        history: None,
        uncommitted: Default::default(),
    }
}

#[test]
fn a_portfolio_of_nothing_and_of_empty_agreements() {
    let site = site_of(vec![]);
    let p = portfolio_chart(&site, &[], &charts_util::loc("en"));
    check_chart(&p, "chart-portfolio");

    let a = metro_like("portofolio");
    let f = figures::totals(&a, None);
    let site = site_of(vec![a]);
    let p = portfolio_chart(&site, &[f], &charts_util::loc("id"));
    check_chart(&p, "chart-portfolio");
    assert!(texts(&p.svg).contains(&"Belum ada pengiriman".to_string()));
}

/// A deterministic pseudo-random sequence (no dependency, same bytes on every run).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

#[test]
fn one_hundred_thousand_records_stay_small() {
    let mut a = agreement(
        "besar",
        &[
            ("beras", "Beras", Unit::T),
            ("sapi", "Sapi", Unit::Head),
            ("telur", "Telur", Unit::Egg),
        ],
    );
    for i in 0..40 {
        participant(&mut a, &format!("p{i}"), &format!("Pemasok nomor {i}"));
        offtaker(&mut a, &format!("o{i}"), &format!("Penerima nomor {i}"));
    }
    target(&mut a, "beras-total", "beras", "500000", Unit::T);
    let mut rng = Lcg(7);
    let start = date("2022-06-10");
    for i in 0..100_000u64 {
        let d = start + chrono::Days::new(rng.next(5 * 365));
        let when = if i % 50 == 0 {
            When::Span {
                start: d,
                end: d + chrono::Days::new(rng.next(90)),
            }
        } else {
            When::Day(d)
        };
        let commodity = ["beras", "sapi", "telur"][rng.next(3) as usize];
        let qty = format!("{}.{}", rng.next(100) + 1, rng.next(1000));
        let status = if i % 20 == 0 {
            ShipmentStatus::Planned
        } else {
            ShipmentStatus::Shipped
        };
        let from = format!("p{}", rng.next(40));
        let to = (i % 7 != 0).then(|| format!("o{}", rng.next(40)));
        ship(
            &mut a,
            &format!("s{i}"),
            when,
            &from,
            to.as_deref(),
            commodity,
            &qty,
            status,
        );
    }
    sort(&mut a);
    let t0 = std::time::Instant::now();
    let c = charts(&a, "id");
    let elapsed = t0.elapsed();
    let mut largest = ("", 0);
    for chart in &c {
        assert!(
            chart.svg.len() < 200 * 1024,
            "{}: {} bytes",
            chart.name,
            chart.svg.len()
        );
        if chart.svg.len() > largest.1 {
            largest = (&chart.name, chart.svg.len());
        }
    }
    println!(
        "100,000 records: {} charts in {elapsed:?}; largest SVG {} = {} bytes",
        c.len(),
        largest.0,
        largest.1
    );
    assert_eq!(
        names(&c),
        [
            "cumulative-beras",
            "cumulative-sapi",
            "cumulative-telur",
            "monthly",
            "targets",
            "participants",
            "offtakers",
            "map"
        ]
    );
    // Per month, a cumulative chart's table gives what its lines show (the month's own
    // amounts are the monthly chart's table, on the same pages): 5 years of months, the last
    // the whole delivered quantity of the description.
    let cum = named(&c, "cumulative-beras");
    assert_eq!(
        cum.table.headers,
        [
            "Bulan",
            "Kumulatif dikirim (ton)",
            "Kumulatif termasuk rencana (ton)"
        ]
    );
    assert!(
        (60..=64).contains(&cum.table.rows.len()),
        "{}",
        cum.table.rows.len()
    );
    let last = cum.table.rows.last().expect("months");
    assert!(
        cum.description
            .contains(&format!("{} ton dikirim", last[1])),
        "{last:?} {}",
        cum.description
    );
    // One vertex per pixel column at most: the line's path is not a step per record.
    let line = cum
        .svg
        .lines()
        .find(|l| l.contains("stroke-width=\"3\" d=\"M") && !l.contains("h18\""))
        .expect("the delivered line");
    assert!(line.len() < 4000, "{} bytes", line.len());
    // The bars show the eight largest and one "others"; the table lists all forty.
    let p = named(&c, "participants");
    assert_eq!(p.table.rows.len(), 120);
    assert!(
        texts(&p.svg)
            .iter()
            .any(|t| t.starts_with("Lainnya (32 pemasok)"))
    );
}

#[test]
fn an_overdue_target_is_marked_in_words_and_stripes() {
    let mut a = metro_like("terlambat");
    target(&mut a, "t-telur", "telur", "10", Unit::T);
    a.targets[0].due = Some(date("2022-07-01"));
    ship(
        &mut a,
        "s1",
        day("2022-06-12"),
        "kuj",
        Some("fs"),
        "telur",
        "6",
        ShipmentStatus::Shipped,
    );
    let f = figures::totals(&a, Some(date("2022-09-01")));
    assert!(f.targets[0].overdue);
    let charts = charts_util::charts(&a, &f, &charts_util::loc("id"), "id");
    let t = named(&charts, "targets");
    check_chart(t, "chart-terlambat-targets");
    assert!(
        texts(&t.svg).iter().any(|s| s.contains("LEWAT TENGGAT")),
        "{:?}",
        texts(&t.svg)
    );
    assert!(hatched(&t.svg, HATCH) >= 1, "striped, not only coloured");
    assert!(t.description.contains("lewat tenggat"));
    assert_eq!(t.table.rows[0][6], "1 Juli 2022 (lewat tenggat)");
    if let Ok(dir) = std::env::var("SINERGI_CHARTS_OUT") {
        std::fs::write(format!("{dir}/zz-terlambat-id-targets.svg"), &t.svg).unwrap();
    }
}

/// Metro's suppliers ship eggs (t) and cattle (head) to Jakarta; one delivery has no published
/// receiver; one supplier and one receiver have no location.
fn mapped(slug: &str) -> Agreement {
    let mut a = metro_like(slug);
    participant(&mut a, "kpms", "KPMS");
    participant(&mut a, "tanpa-lokasi", "Koperasi Tanpa Lokasi");
    offtaker(&mut a, "pasar", "Pasar Tanpa Titik");
    locate(&mut a, "kuj", "-5.113", "105.307");
    locate(&mut a, "kpms", "-5.12", "105.31");
    locate(&mut a, "fs", "-6.225", "106.900");
    locate(&mut a, "buyer-region", "-6.175", "106.827");
    let records = [
        (
            "s1",
            "kuj",
            Some("fs"),
            "telur",
            "6",
            ShipmentStatus::Shipped,
        ),
        (
            "s2",
            "kpms",
            Some("fs"),
            "telur",
            "3",
            ShipmentStatus::Received,
        ),
        (
            "s3",
            "kuj",
            Some("fs"),
            "sapi",
            "30",
            ShipmentStatus::Shipped,
        ),
        ("s4", "kuj", None, "telur", "1.5", ShipmentStatus::Shipped),
        (
            "s5",
            "tanpa-lokasi",
            Some("fs"),
            "telur",
            "2",
            ShipmentStatus::Shipped,
        ),
        (
            "s6",
            "kuj",
            Some("fs"),
            "telur",
            "40",
            ShipmentStatus::Planned,
        ),
    ];
    for (id, from, to, commodity, q, status) in records {
        ship(
            &mut a,
            id,
            day("2022-06-12"),
            from,
            to,
            commodity,
            q,
            status,
        );
    }
    sort(&mut a);
    a
}

#[test]
fn the_map_draws_flows_per_commodity_and_says_what_it_cannot_draw() {
    let a = mapped("peta");
    let c = charts(&a, "id");
    let map = named(&c, "map");
    assert_eq!(map.title, "Peta pasokan: Agreement peta");
    // Two suppliers 1 km apart are one point; eggs and cattle are never added up.
    assert!(
        map.description.contains(
            "PT Kuasa Omega Jaya, KPMS ke Food Station: Sapi 30 ekor; Telur 9 ton (3 pengiriman)."
        ),
        "{}",
        map.description
    );
    assert!(
        map.description
            .contains("buyer-region (penerima tidak dipublikasikan): Telur 1,5 ton")
    );
    let shown = texts(&map.svg);
    assert!(shown.contains(&"Sapi 30 ekor".to_string()), "{shown:?}");
    assert!(shown.contains(&"Telur 9 ton".to_string()));
    assert!(
        shown
            .join(" ")
            .contains("Lokasi tidak diberikan: Koperasi Tanpa Lokasi, Pasar Tanpa Titik"),
        "{shown:?}"
    );
    assert!(shown.contains(&"Pemasok".to_string()), "the legend");
    assert!(
        map.description
            .contains("Lokasi tidak diberikan: Koperasi Tanpa Lokasi, Pasar Tanpa Titik.")
    );
    // The unpublished receiver's line is dashed, in its own grey (and so is its legend's).
    assert!(
        strokes(
            &map.svg,
            &[("stroke", "#404040"), ("stroke-dasharray", "6 4")]
        ) >= 2
    );
    // Land of the base map (islands joined into one path per colour), and a small Indonesia
    // in the corner.
    let land = |fill: &str| {
        let doc = roxmltree::Document::parse(&map.svg).unwrap();
        doc.descendants()
            .filter(|n| n.has_tag_name("path") && n.attribute("fill") == Some(fill))
            .map(|n| n.attribute("d").unwrap_or("").matches('z').count())
            .sum::<usize>()
    };
    assert!(land("#DCDCDC") >= 2, "Sumatra and Java at least");
    assert!(land("#595959") > 20, "the inset");
    // The table: each route exactly once (in the order of ids) with a column per commodity,
    // the planned one apart, undrawn ones included.
    let rows: Vec<String> = map.table.rows.iter().map(|r| r.join(" | ")).collect();
    assert_eq!(
        rows,
        [
            "KPMS | Food Station | 3 | – | 1",
            "PT Kuasa Omega Jaya | buyer-region (penerima tidak dipublikasikan) | 1,5 | – | 1",
            "PT Kuasa Omega Jaya | Food Station | 6 | 30 | 2",
            "Koperasi Tanpa Lokasi | Food Station | 2 | – | 1",
            "PT Kuasa Omega Jaya | Food Station (direncanakan) | 40 | – | 1",
        ]
    );
    assert_eq!(
        map.table.headers,
        [
            "Dari",
            "Ke",
            "Telur (ton)",
            "Sapi (ekor)",
            "Jumlah pengiriman"
        ]
    );
    let en = charts(&a, "en");
    let map = named(&en, "map");
    assert!(
        texts(&map.svg)
            .iter()
            .any(|t| t.starts_with("Location not given: "))
    );
    assert!(
        map.table
            .rows
            .iter()
            .any(|r| r[1] == "Food Station (planned)")
    );
}

#[test]
fn the_portfolio_map_merges_agreements_and_names_them_under_the_map() {
    let a = mapped("satu");
    let mut b = mapped("dua");
    b.title = Text::plain("Kerja sama <dua> & \"tiga\"");
    let (fa, fb) = (figures::totals(&a, None), figures::totals(&b, None));
    let site = site_of(vec![a, b]);
    let figures = [fa, fb];
    let map = portfolio_map(&site, &figures, &charts_util::loc("id"));
    check_chart(&map, "chart-portfolio-map");
    assert_eq!(map.title, "Peta pasokan semua kerja sama");
    // One line per pair of points: the same commodity and unit add up across agreements.
    let rows: Vec<String> = map.table.rows.iter().map(|r| r.join(" | ")).collect();
    assert!(
        rows.contains(&"PT Kuasa Omega Jaya, KPMS | Food Station | Telur | 18 ton | 4".to_string()),
        "{rows:#?}"
    );
    assert!(
        rows.contains(&"PT Kuasa Omega Jaya, KPMS | Food Station | Sapi | 60 ekor | 2".to_string())
    );
    // Whoever has no location is named with their agreement, escaped.
    assert!(
        map.description
            .contains("Koperasi Tanpa Lokasi (Kerja sama <dua> & \"tiga\")")
    );
    assert!(map.svg.contains("Kerja sama &lt;dua&gt; &amp;"));
    assert!(!map.svg.contains("<dua>"));
    assert_eq!(
        map,
        portfolio_map(&site, &figures, &charts_util::loc("id")),
        "deterministic"
    );
}

#[test]
fn points_outside_the_base_map_are_named_not_drawn() {
    let mut a = mapped("jauh");
    locate(&mut a, "kpms", "52.37", "4.90");
    let c = charts(&a, "en");
    let map = named(&c, "map");
    assert!(
        texts(&map.svg).contains(&"Outside the map area: KPMS".to_string()),
        "{:?}",
        texts(&map.svg)
    );
    assert!(map.description.contains("Outside the map area: KPMS."));
}
