//! `sinergi pdf`: prints the built report with an installed Chromium or Chrome. Nothing is ever
//! downloaded. With poppler's `pdftotext` on the machine, a second pass writes the page numbers
//! into the table of contents (Chromium has no CSS `target-counter`).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Browser executables looked for on PATH, in order.
const BROWSERS: [&str; 5] = [
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
];

/// Flags for a quiet, offline, headless browser with a throwaway profile.
const FLAGS: [&str; 9] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--no-pdf-header-footer",
];

const PRINT_TIMEOUT: Duration = Duration::from_secs(120);

pub const INSTALL_HINT: &str = "no Chromium or Chrome found. Install one (Debian/Ubuntu: `apt-get install chromium`; \
     macOS: install Google Chrome) or point SINERGI_CHROME at the browser's executable. \
     sinergi never downloads a browser";

/// The browser: `SINERGI_CHROME`, else the first of [`BROWSERS`] on PATH.
pub fn find_browser() -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os("SINERGI_CHROME").filter(|p| !p.is_empty()) {
        let p = PathBuf::from(p);
        return if p.is_file() {
            Ok(p)
        } else {
            Err(format!("SINERGI_CHROME={} is not a file", p.display()))
        };
    }
    find_on_path(&BROWSERS).ok_or_else(|| INSTALL_HINT.to_string())
}

fn find_on_path(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in names {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

/// Prints `html` (a built report page) to `pdf`. Returns the number of passes made.
pub fn print_report(browser: &Path, html: &Path, pdf: &Path) -> Result<u32, String> {
    let work = std::env::temp_dir().join(format!(
        "sinergi-pdf-{}-{}",
        std::process::id(),
        pdf.file_stem().and_then(|s| s.to_str()).unwrap_or("report")
    ));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).map_err(|e| format!("cannot create {}: {e}", work.display()))?;
    let result = two_passes(browser, html, pdf, &work);
    let _ = std::fs::remove_dir_all(&work);
    result
}

fn two_passes(browser: &Path, html: &Path, pdf: &Path, work: &Path) -> Result<u32, String> {
    if let Some(parent) = pdf.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    let first = work.join("first.pdf");
    chromium(browser, html, &first, work)?;
    let page_text = Command::new("pdftotext")
        .arg(&first)
        .arg("-")
        .stderr(Stdio::null())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned());
    let source = crate::load::files::read_named(html, crate::load::limits::MAX_FILE_SIZE_CEILING)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .map_err(|e| format!("cannot read {}: {e}", html.display()))?;
    let numbered = page_text.and_then(|text| with_page_numbers(&source, &text));
    let Some(numbered) = numbered else {
        std::fs::copy(&first, pdf).map_err(|e| format!("cannot write {}: {e}", pdf.display()))?;
        return Ok(1);
    };
    // The numbered copy sits beside the original so its relative links still resolve.
    let copy = html.with_file_name(format!(".print-{}.html", std::process::id()));
    std::fs::write(&copy, numbered).map_err(|e| format!("cannot write {}: {e}", copy.display()))?;
    let second = work.join("second.pdf");
    let result = chromium(browser, &copy, &second, work);
    let _ = std::fs::remove_file(&copy);
    result?;
    std::fs::copy(&second, pdf).map_err(|e| format!("cannot write {}: {e}", pdf.display()))?;
    Ok(2)
}

fn chromium(browser: &Path, html: &Path, pdf: &Path, work: &Path) -> Result<(), String> {
    let html = std::path::absolute(html).map_err(|e| e.to_string())?;
    let url = format!("file://{}", percent_path(&html.to_string_lossy()));
    let mut child = Command::new(browser)
        .args(FLAGS)
        .arg(format!(
            "--user-data-dir={}",
            work.join("profile").display()
        ))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", browser.display()))?;
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) => {
                if status.success() && pdf.is_file() {
                    return Ok(());
                }
                let mut err = String::new();
                if let Some(mut s) = child.stderr.take() {
                    use std::io::Read;
                    let _ = s.read_to_string(&mut err);
                }
                let tail: Vec<&str> = err.lines().rev().take(5).collect();
                return Err(format!(
                    "{} could not print the report ({status}): {}",
                    browser.display(),
                    tail.into_iter().rev().collect::<Vec<_>>().join(" | ")
                ));
            }
            Ok(None) if started.elapsed() > PRINT_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "{} did not finish printing within {} s",
                    browser.display(),
                    PRINT_TIMEOUT.as_secs()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => return Err(e.to_string()),
        }
    }
}

/// Percent-encodes what a file URL path may not hold literally.
fn percent_path(p: &str) -> String {
    let mut out = String::new();
    for b in p.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Fills each `<span class="toc-page" data-for="ID"></span>` of the report with the page its
/// entry's label first appears on after the contents page, using the text of the first print
/// (pages separated by form feeds). `None` when the text does not have them all.
pub fn with_page_numbers(html: &str, pdf_text: &str) -> Option<String> {
    let pages: Vec<String> = pdf_text.split('\u{c}').map(squash).collect();
    let entries = toc_entries(html);
    if entries.is_empty() {
        return None;
    }
    let toc_page = pages
        .iter()
        .position(|p| entries.iter().all(|(_, label)| p.contains(label.as_str())))?;
    let mut out = html.to_string();
    for (id, label) in &entries {
        let page = pages
            .iter()
            .enumerate()
            .skip(toc_page + 1)
            .find(|(_, p)| p.contains(label.as_str()))
            .map(|(i, _)| i + 1)?;
        let empty = format!("<span class=\"toc-page\" data-for=\"{id}\"></span>");
        let filled = format!("<span class=\"toc-page\" data-for=\"{id}\">{page}</span>");
        out = out.replacen(&empty, &filled, 1);
    }
    Some(out)
}

/// (id, label as text) of every contents entry in the report HTML.
fn toc_entries(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("<span class=\"toc-label\">") {
        rest = &rest[i + "<span class=\"toc-label\">".len()..];
        let Some(end) = rest.find("</span>") else {
            break;
        };
        let label = squash(&unescape(&rest[..end]));
        let Some(j) = rest.find("data-for=\"") else {
            break;
        };
        let after = &rest[j + "data-for=\"".len()..];
        let Some(k) = after.find('"') else { break };
        out.push((after[..k].to_string(), label));
        rest = after;
    }
    out
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#x2F;", "/")
        .replace("&amp;", "&")
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers_come_from_the_first_print() {
        let html = r#"<span class="toc-label">BAB I Pendahuluan</span> <span class="toc-page" data-for="bab-1"></span>
<span class="toc-label">BAB II Profil &amp; Pihak</span> <span class="toc-page" data-for="bab-2"></span>"#;
        let text = "cover\u{c}Daftar Isi BAB I Pendahuluan BAB II Profil & Pihak\u{c}BAB I\nPendahuluan text\u{c}more\u{c}BAB II Profil & Pihak";
        let out = with_page_numbers(html, text).unwrap();
        assert!(out.contains(r#"data-for="bab-1">3</span>"#), "{out}");
        assert!(out.contains(r#"data-for="bab-2">5</span>"#), "{out}");
        assert!(with_page_numbers(html, "no contents here").is_none());
    }
}
