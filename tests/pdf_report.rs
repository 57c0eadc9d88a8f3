//! `sinergi pdf` and the report page, through the real binary. The printing tests need Chromium
//! and poppler-utils: without them they print a notice and pass, except in CI (`CI` set).

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::sinergi_output as sinergi;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of the example site's content in a fresh temp folder.
fn example_copy(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sinergi-pdf-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    for e in walkdir::WalkDir::new(repo().join("content")) {
        let e = e.unwrap();
        let dest = dir.join(e.path().strip_prefix(repo()).unwrap());
        if e.file_type().is_dir() {
            fs::create_dir_all(&dest).unwrap();
        } else {
            fs::copy(e.path(), &dest).unwrap();
        }
    }
    dir
}

fn have(tool: &str) -> bool {
    Command::new(tool)
        .arg("-v")
        .output()
        .map(|o| o.status.success() || !o.stderr.is_empty())
        .unwrap_or(false)
}

/// True when the printing tests can run; panics in CI when they cannot.
fn printing_available() -> bool {
    let browser =
        Path::new("/usr/bin/chromium").is_file() || std::env::var_os("SINERGI_CHROME").is_some();
    let ok = browser && have("pdfinfo") && have("pdftotext");
    if !ok {
        if std::env::var_os("CI").is_some() {
            panic!(
                "CI must have chromium and poppler-utils (pdfinfo, pdftotext); .ci/run installs them"
            );
        }
        eprintln!("SKIPPED: PDF tests need chromium and poppler-utils (run .ci/run)");
    }
    ok
}

#[test]
fn without_a_browser_pdf_explains_how_to_install_one() {
    let site = example_copy("nobrowser");
    let o = sinergi(
        &["pdf", "--site", site.to_str().unwrap()],
        &[("PATH", "/nonexistent"), ("SINERGI_CHROME", "")],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("apt-get install chromium"), "{err}");
    assert!(err.contains("never downloads"), "{err}");
    assert!(
        !site.join("output").exists(),
        "nothing built without a browser"
    );

    let o = sinergi(
        &["pdf", "--site", site.to_str().unwrap()],
        &[("SINERGI_CHROME", "/nonexistent/chrome")],
    );
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn the_report_page_has_every_chapter_in_both_languages() {
    let site = example_copy("page");
    let o = sinergi(&["build", "--site", site.to_str().unwrap()], &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let id =
        fs::read_to_string(site.join("output/agreements/metro-dki-jakarta-2022/report/index.html"))
            .unwrap();
    for h in [
        "Lembar Pengesahan",
        "Daftar Isi",
        "BAB I Pendahuluan",
        "BAB II Profil Kerja Sama",
        "BAB III Capaian",
        "BAB IV Permasalahan dan Tindak Lanjut",
        "BAB V Penutup",
        "Lampiran A",
        "Lampiran B",
        "Metro, 5 September 2022",
        "Pipi Puspita",
    ] {
        assert!(id.contains(h), "report lacks {h:?}");
    }
    // The monthly chart's and the map's tables are sections 3.3 and 3.4 (printed), and the
    // charts link there instead of repeating them.
    assert_eq!(
        id.matches("<caption>Pengiriman per bulan</caption>")
            .count(),
        1
    );
    assert!(id.contains(r#"<h3 id="per-month">"#) && id.contains(r#"<h3 id="per-route">"#));
    assert!(id.contains(r##"<a href="#per-month">Pengiriman per bulan</a>"##));
    assert!(id.contains(r##"<a href="#per-route">"##));
    let en = fs::read_to_string(
        site.join("output/en/agreements/metro-dki-jakarta-2022/report/index.html"),
    )
    .unwrap();
    for h in [
        "Approval Sheet",
        "Chapter I Introduction",
        "Chapter V Closing",
        "Appendix A",
    ] {
        assert!(en.contains(h), "English report lacks {h:?}");
    }
}

#[test]
fn pdf_prints_an_a4_report_with_the_story_totals() {
    if !printing_available() {
        return;
    }
    let site = example_copy("print");
    let file = site.join("metro.pdf");
    let o = sinergi(
        &[
            "pdf",
            "--site",
            site.to_str().unwrap(),
            "--agreement",
            "metro-dki-jakarta-2022",
            "--out",
            file.to_str().unwrap(),
        ],
        &[],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let info = Command::new("pdfinfo").arg(&file).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("(A4)"), "{info}");
    assert!(
        info.contains("Laporan Monitoring dan Evaluasi"),
        "title metadata: {info}"
    );
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap();
    assert!(pages >= 8, "{pages} pages");
    let sizes = Command::new("pdfinfo")
        .args(["-f", "1", "-l", &pages.to_string()])
        .arg(&file)
        .output()
        .unwrap();
    let sizes = String::from_utf8_lossy(&sizes.stdout);
    let page_sizes: Vec<&str> = sizes
        .lines()
        .filter(|l| l.starts_with("Page") && l.contains(" size:"))
        .collect();
    assert_eq!(page_sizes.len(), pages);
    for line in page_sizes {
        let width: f64 = line
            .split(" size:")
            .nth(1)
            .and_then(|r| r.split_whitespace().next())
            .and_then(|w| w.parse().ok())
            .unwrap();
        assert!(width <= 596.0, "a page wider than A4: {line}");
    }
    let text = Command::new("pdftotext")
        .arg(&file)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    for needle in [
        "BAB I Pendahuluan",
        "BAB II Profil Kerja Sama",
        "BAB III Capaian",
        "BAB IV Permasalahan dan Tindak Lanjut",
        "BAB V Penutup",
        "9 t",
        "10 t",
        "30 ekor",
        "5 truk",
    ] {
        assert!(text.contains(needle), "the PDF lacks {needle:?}");
    }
    let layout = Command::new("pdftotext")
        .arg("-layout")
        .arg(&file)
        .arg("-")
        .output()
        .unwrap();
    let layout = String::from_utf8_lossy(&layout.stdout);
    let numbered = layout.lines().any(|l| {
        let l = l.trim();
        l.starts_with("BAB V Penutup")
            && l.rsplit(' ')
                .next()
                .is_some_and(|n| n.parse::<usize>().is_ok())
    });
    assert!(numbered, "the contents carry page numbers");
}

#[test]
fn pdf_writes_the_default_file_for_every_agreement() {
    if !printing_available() {
        return;
    }
    let site = example_copy("all");
    let o = sinergi(
        &["pdf", "--site", site.to_str().unwrap(), "--lang", "en"],
        &[],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for slug in [
        "metro-dki-jakarta-2022",
        "ngawi-dki-jakarta-2021",
        "flobamor-dharma-jaya-2021",
    ] {
        let f = site.join(format!("output/en/agreements/{slug}/report.pdf"));
        assert!(f.is_file(), "{} missing", f.display());
    }
    let again = sinergi(&["build", "--site", site.to_str().unwrap()], &[]);
    assert!(again.status.success());
    assert!(
        site.join("output/en/agreements/metro-dki-jakarta-2022/report.pdf")
            .is_file(),
        "a build never deletes the PDF it did not write"
    );
}
