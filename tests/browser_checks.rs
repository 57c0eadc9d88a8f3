//! Builds the example site with the real `sinergi` binary and checks the
//! output in a real browser (tests/browser/check.mjs: console errors, requests
//! off the local server, horizontal scroll at 390px, axe-core serious/critical
//! violations, broken internal links) and with the Nu Html Checker
//! (tests/browser/vnu.sh), the ledger filter (tests/browser/filter.mjs) and the site search
//! (tests/browser/search.mjs).
//!
//! Needs Debian's chromium (or $SINERGI_CHROME), node, java and the npm
//! packages in tests/browser/node_modules; `.ci/run` installs all of them.
//! Without them the tests pass with a printed SKIPPED notice, except under CI
//! (env CI set), where a missing tool is a failure.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const SKIP_NOTICE: &str =
    "SKIPPED: browser checks need chromium, java and npm packages (run .ci/run)";

/// Longest a single checker may run before it is killed.
const CHECK_TIMEOUT: Duration = Duration::from_secs(30 * 60);
/// Longest the site build may run.
const BUILD_TIMEOUT: Duration = Duration::from_secs(10 * 60);

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn browser_dir() -> PathBuf {
    repo_root().join("tests").join("browser")
}

fn in_ci() -> bool {
    match std::env::var("CI") {
        Ok(v) => {
            let v = v.trim().to_ascii_lowercase();
            !(v.is_empty() || v == "0" || v == "false")
        }
        Err(_) => false,
    }
}

fn chrome_path() -> PathBuf {
    match std::env::var_os("SINERGI_CHROME") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => PathBuf::from("/usr/bin/chromium"),
    }
}

fn command_works(program: &str, arg: &str) -> bool {
    Command::new(program)
        .arg(arg)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// What is missing for the Chromium checks.
fn missing_for_browser() -> Vec<String> {
    let mut missing = Vec::new();
    let chrome = chrome_path();
    if !chrome.is_file() {
        missing.push(format!("chromium at {}", chrome.display()));
    }
    if !command_works("node", "--version") {
        missing.push("node".to_string());
    }
    for pkg in ["playwright-core", "axe-core"] {
        let p = browser_dir()
            .join("node_modules")
            .join(pkg)
            .join("package.json");
        if !p.is_file() {
            missing.push(format!("npm package {pkg} in tests/browser/node_modules"));
        }
    }
    missing
}

/// What is missing for the Nu Html Checker.
fn missing_for_vnu() -> Vec<String> {
    let mut missing = Vec::new();
    if !command_works("java", "-version") {
        missing.push("java".to_string());
    }
    let jar = browser_dir().join("node_modules/vnu-jar/build/dist/vnu.jar");
    if !jar.is_file() {
        missing.push("npm package vnu-jar in tests/browser/node_modules".to_string());
    }
    missing
}

/// Returns true when the test should go on. Fails under CI, skips (with a
/// notice written straight to stderr, past the test harness's capture)
/// otherwise.
fn require(missing: Vec<String>) -> bool {
    if missing.is_empty() {
        return true;
    }
    let what = missing.join(", ");
    if in_ci() {
        panic!("browser checks cannot run under CI: missing {what}. .ci/run must install them.");
    }
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "\n{SKIP_NOTICE}\n  missing: {what}");
    mark_done();
    false
}

struct Output {
    status: Option<std::process::ExitStatus>,
    text: String,
    elapsed: Duration,
}

/// Runs a command with stdin closed, collecting stdout and stderr together,
/// and kills it after `timeout`.
fn run(cmd: &mut Command, timeout: Duration) -> Output {
    let start = Instant::now();
    let described = format!("{cmd:?}");
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("could not start {described}: {e}"));
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let out_thread = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out.read_to_end(&mut s);
        s
    });
    let err_thread = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err.read_to_end(&mut s);
        s
    });
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if start.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => panic!("waiting for {described}: {e}"),
        }
    };
    let stdout = out_thread.join().unwrap_or_default();
    let stderr = err_thread.join().unwrap_or_default();
    let mut text = String::from_utf8_lossy(&stdout).into_owned();
    if !stderr.is_empty() {
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(&String::from_utf8_lossy(&stderr));
    }
    Output {
        status,
        text,
        elapsed: start.elapsed(),
    }
}

fn unique_out_dir() -> PathBuf {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    std::env::temp_dir().join(format!(
        "sinergi-browser-checks-{}-{nanos}",
        std::process::id()
    ))
}

/// Builds the example site once per test process; both tests share it.
static SITE: OnceLock<Result<PathBuf, String>> = OnceLock::new();

fn built_site() -> &'static Path {
    let result = SITE.get_or_init(|| {
        let out = unique_out_dir();
        std::fs::create_dir_all(&out)
            .map_err(|e| format!("cannot create {}: {e}", out.display()))?;
        let root = repo_root();
        let o = run(
            Command::new(env!("CARGO_BIN_EXE_sinergi"))
                .arg("build")
                .arg("--site")
                .arg(&root)
                .arg("--out")
                .arg(&out)
                .current_dir(&root),
            BUILD_TIMEOUT,
        );
        match o.status {
            Some(s) if s.success() => Ok(out),
            Some(s) => Err(format!(
                "`sinergi build --site {} --out {}` failed ({s}):\n{}",
                root.display(),
                out.display(),
                o.text
            )),
            None => Err(format!(
                "`sinergi build` did not finish within {BUILD_TIMEOUT:?}:\n{}",
                o.text
            )),
        }
    });
    match result {
        Ok(p) => p.as_path(),
        Err(e) => panic!("{e}"),
    }
}

/// How many of the tests sharing the built site have passed or skipped; the
/// last one removes the site. A failing test leaves it for inspection.
static DONE: AtomicUsize = AtomicUsize::new(0);
const TESTS_SHARING_SITE: usize = 4;

fn mark_done() {
    if DONE.fetch_add(1, Ordering::SeqCst) + 1 == TESTS_SHARING_SITE
        && let Some(Ok(site)) = SITE.get()
    {
        let _ = std::fs::remove_dir_all(site);
    }
}

fn report(name: &str, out: &Output, site: &Path) {
    match out.status {
        Some(s) if s.success() => {
            // Shown with --nocapture; the summary is the last lines.
            println!(
                "{}\n{name}: passed in {:.1?}",
                out.text.trim_end(),
                out.elapsed
            );
            mark_done();
        }
        Some(s) => panic!(
            "{name} found problems ({s}) in the site built at {}:\n{}\n",
            site.display(),
            out.text.trim_end()
        ),
        None => panic!(
            "{name} did not finish within {CHECK_TIMEOUT:?} (site at {}):\n{}\n",
            site.display(),
            out.text.trim_end()
        ),
    }
}

#[test]
fn example_site_passes_browser_checks() {
    if !require(missing_for_browser()) {
        return;
    }
    let site = built_site();
    let mut cmd = Command::new("node");
    cmd.arg(browser_dir().join("check.mjs"))
        .arg(site)
        .current_dir(browser_dir())
        .env("SINERGI_CHROME", chrome_path());
    if let Some(dir) = std::env::var_os("SINERGI_SCREENSHOTS") {
        cmd.arg("--screenshots").arg(dir);
    }
    let out = run(&mut cmd, CHECK_TIMEOUT);
    report("browser checks (tests/browser/check.mjs)", &out, site);
}

/// Runs `tests/browser/<script>` on the built example site and reports it as `name`.
fn browser_script(script: &str, name: &str) {
    if !require(missing_for_browser()) {
        return;
    }
    let site = built_site();
    let out = run(
        Command::new("node")
            .arg(browser_dir().join(script))
            .arg(site)
            .current_dir(browser_dir())
            .env("SINERGI_CHROME", chrome_path()),
        CHECK_TIMEOUT,
    );
    report(&format!("{name} (tests/browser/{script})"), &out, site);
}

#[test]
fn ledger_filter_works_shared_offline_and_without_javascript() {
    browser_script("filter.mjs", "ledger filter");
}

#[test]
fn site_search_finds_in_both_languages_offline_and_says_it_needs_javascript() {
    browser_script("search.mjs", "site search");
}

#[test]
fn example_site_is_valid_html() {
    if !require(missing_for_vnu()) {
        return;
    }
    let site = built_site();
    let out = run(
        Command::new("bash")
            .arg(browser_dir().join("vnu.sh"))
            .arg(site)
            .current_dir(browser_dir()),
        CHECK_TIMEOUT,
    );
    report("Nu Html Checker (tests/browser/vnu.sh)", &out, site);
}
