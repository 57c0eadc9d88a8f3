//! The build pipeline at several scales, against the floor of parsing the same YAML files with
//! the same crate on the same cores. Run with
//! `cargo bench --bench pipeline -- [--sizes 10000,100000,1000000] [--runs N]`.
//! Sites are generated into tmpfs (`/dev/shm`) when it exists, so the disk does not dominate.
//!
//! `cargo bench --bench pipeline -- --history 100000 [--commits 1000] [--runs N]` measures the
//! revision history instead: a synthetic site of that many records in a git repository of that
//! many commits, built with its history, against the same site's build without git.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use sinergi::BuildOptions;

// The allocator of the `sinergi` binary, so that the library is measured as it ships.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use sinergi::synthetic::{Spec, SyntheticRepo, write_site};

struct Args {
    sizes: Vec<usize>,
    runs: usize,
    /// Records of the history benchmark's site; `None` runs the pipeline benchmark.
    history: Option<usize>,
    commits: usize,
}

fn args() -> Args {
    let mut a = Args {
        sizes: vec![10_000, 100_000],
        runs: 5,
        history: None,
        commits: 1000,
    };
    let list: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < list.len() {
        match list[i].as_str() {
            "--sizes" => {
                a.sizes = list[i + 1]
                    .split(',')
                    .filter_map(|s| s.trim().parse().ok())
                    .collect();
                i += 1;
            }
            "--runs" => {
                a.runs = list[i + 1].parse().unwrap_or(5);
                i += 1;
            }
            "--history" => {
                a.history = list[i + 1].parse().ok();
                i += 1;
            }
            "--commits" => {
                a.commits = list[i + 1].parse().unwrap_or(1000);
                i += 1;
            }
            _ => {}
        }
        i += 1;
    }
    a
}

fn scratch() -> PathBuf {
    let shm = Path::new("/dev/shm");
    let base = if shm.is_dir() {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    };
    base.join(format!("sinergi-bench-{}", std::process::id()))
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time<T>(runs: usize, f: impl FnMut() -> T) -> Duration {
    time_after(runs, || {}, f)
}

/// Like [`time`], with `setup` run before each run and not timed.
fn time_after<T>(runs: usize, mut setup: impl FnMut(), mut f: impl FnMut() -> T) -> Duration {
    median(
        (0..runs)
            .map(|_| {
                setup();
                let t = Instant::now();
                std::hint::black_box(f());
                t.elapsed()
            })
            .collect(),
    )
}

/// Every shipment file's text: the input the floor parses.
fn shipment_texts(site: &Path) -> Vec<String> {
    walkdir::WalkDir::new(site.join("content/agreements"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().components().any(|c| c.as_os_str() == "shipments"))
        .filter(|e| e.file_type().is_file())
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect()
}

/// The floor: parsing the same files with serde-saphyr into nothing, on all cores.
fn floor(texts: &[String]) -> usize {
    texts
        .par_iter()
        .map(|t| {
            let mut o = serde_saphyr::Options::default();
            let mut b = serde_saphyr::Budget::default();
            b.max_events = usize::MAX / 2;
            b.max_nodes = usize::MAX / 2;
            b.max_total_scalar_bytes = usize::MAX / 2;
            o.budget = Some(b);
            serde_saphyr::from_str_with_options::<Vec<serde::de::IgnoredAny>>(t, o)
                .map(|v| v.len())
                .unwrap_or(0)
        })
        .sum()
}

/// Peak resident memory of one release build, from `/usr/bin/time -v`.
fn peak_memory_kib(site: &Path, out: &Path) -> Option<u64> {
    let _ = std::fs::remove_dir_all(out);
    let o = Command::new("/usr/bin/time")
        .arg("-v")
        .arg(env!("CARGO_BIN_EXE_sinergi"))
        .args(["build", "--site"])
        .arg(site)
        .arg("--out")
        .arg(out)
        .output()
        .ok()?;
    String::from_utf8_lossy(&o.stderr)
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("Maximum resident set size (kbytes): ")
        })
        .and_then(|n| n.trim().parse().ok())
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

/// The kinds of output file the size table separates, by path.
const KINDS: [&str; 7] = [
    "ledger HTML",
    "report",
    "CSV",
    "JSON",
    "filter data",
    "charts (SVG files)",
    "the rest",
];

fn kind(path: &str) -> usize {
    let in_dir = |d: &str| path.contains(&format!("/{d}/"));
    if in_dir("shipments") && path.ends_with(".html") {
        0
    } else if in_dir("report") && path.ends_with(".html") {
        1
    } else if path.ends_with(".csv") {
        2
    } else if path.ends_with(".json") {
        3
    } else if path.ends_with("/records.js")
        || path
            .rsplit('/')
            .next()
            .is_some_and(|n| n.starts_with("notes.") && n.ends_with(".js"))
    {
        4
    } else if in_dir("charts") && path.ends_with(".svg") {
        5
    } else {
        6
    }
}

/// One row of the output-size table: bytes per record of each kind of file in `out`, and the
/// whole output in MB.
fn size_row(label: &str, records: usize, out: &Path) -> String {
    let mut bytes = [0u64; KINDS.len()];
    for e in walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
    {
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(out).unwrap().to_string_lossy();
            bytes[kind(&format!("/{rel}"))] += e.metadata().map(|m| m.len()).unwrap_or(0);
        }
    }
    let total: u64 = bytes.iter().sum();
    let per = |b: u64| format!("{:.0}", b as f64 / records as f64);
    let cells: Vec<String> = bytes.iter().map(|&b| per(b)).collect();
    format!(
        "| {label} | {records} | {} | {} | {:.1} |",
        cells.join(" | "),
        per(total),
        total as f64 / 1e6
    )
}

fn row(label: &str, records: usize, mb: f64, floor: Duration, site: &Path, runs: usize) -> String {
    let out = site.join("output");
    let texts = shipment_texts(site);
    let floor_t = if texts.is_empty() {
        floor
    } else {
        time(runs, || self::floor(&texts))
    };
    let cache = site.join(sinergi::load::cache::DIR);
    let build = || {
        sinergi::build(site, &BuildOptions::default())
            .map(|r| r.files)
            .unwrap_or(0)
    };
    // Cold: no output folder and no parse cache, as on a fresh CI checkout.
    let cold = time_after(
        runs,
        || {
            let _ = std::fs::remove_dir_all(&out);
            let _ = std::fs::remove_dir_all(&cache);
        },
        build,
    );
    let check = time(runs, || sinergi::check(site).diagnostics.errors());
    let changed = sinergi::load::Reading::changed();
    let check_changed = time(runs, || {
        sinergi::check_with(site, &changed).diagnostics.errors()
    });
    let warm = time_after(
        runs,
        || {
            let _ = std::fs::remove_dir_all(&out);
        },
        build,
    );
    let noop = time(runs, build);
    // One record of one shipment file changes its quantity, then a rebuild: that file is parsed
    // again and its agreement rendered again.
    let victim = walkdir::WalkDir::new(site.join("content/agreements"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().to_string_lossy().contains("/shipments/"))
        .map(|e| e.path().to_path_buf())
        .find(|p| {
            std::fs::read_to_string(p)
                .is_ok_and(|t| t.lines().any(|l| l.trim_start().starts_with("quantity: ")))
        });
    let mut n = 0;
    let edit = time(runs, || {
        if let Some(v) = &victim {
            n += 1;
            let text = std::fs::read_to_string(v).unwrap();
            let (head, rest) = text.split_once("quantity: ").expect("a quantity");
            let rest = rest.split_once('\n').map(|(_, r)| r).unwrap_or("");
            std::fs::write(v, format!("{head}quantity: {}\n{rest}", 1000 + n)).unwrap();
        }
        build()
    });
    let _ = std::fs::remove_dir_all(&cache);
    let mem = peak_memory_kib(site, &site.join("output-mem"))
        .map(|k| format!("{:.0}", k as f64 / 1024.0))
        .unwrap_or_else(|| "n/a".into());
    let ratio = |d: Duration| {
        if floor_t.is_zero() {
            "-".to_string()
        } else {
            format!("{:.2}x", d.as_secs_f64() / floor_t.as_secs_f64())
        }
    };
    println!(
        "| {label} | {records} | {mb:.1} | {} | {} ({}) | {} ({}) | {} | {} ({}) | {} | {} | {mem} |",
        ms(floor_t),
        ms(cold),
        ratio(cold),
        ms(check),
        ratio(check),
        ms(check_changed),
        ms(warm),
        ratio(warm),
        ms(noop),
        ms(edit),
    );
    size_row(label, records, &out)
}

fn main() {
    let args = args();
    let root = scratch();
    if let Some(records) = args.history {
        history(&root, records, args.commits, args.runs);
        let _ = std::fs::remove_dir_all(&root);
        return;
    }
    println!(
        "sinergi pipeline benchmark: median of {} runs, {} cores, sites and output in {}",
        args.runs,
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1),
        root.display()
    );
    println!();
    println!(
        "| site | records | shipment YAML (MB) | parse floor (ms) | cold build (ms, x floor) | check, every record from the parse cache (ms, x floor) | check, records cache (ms) | build into an empty folder, warm cache (ms, x floor) | no-op rebuild (ms) | rebuild after a one-record edit (ms) | peak memory, cold build (MiB) |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    let example = root.join("example");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
        &example.join("content"),
    );
    let mut sizes = vec![row("example", 5, 0.0, Duration::ZERO, &example, args.runs)];
    for &n in &args.sizes {
        let dir = root.join(format!("n{n}"));
        let agreements = (n / 1000).max(1);
        let spec = Spec {
            agreements,
            records_per_agreement: n / agreements,
            seed: 7,
        };
        let bytes = write_site(&dir, spec).expect("generate site");
        let runs = if n >= 1_000_000 {
            args.runs.min(3)
        } else {
            args.runs
        };
        sizes.push(row(
            &format!("{agreements} agreements"),
            n,
            bytes as f64 / 1e6,
            Duration::ZERO,
            &dir,
            runs,
        ));
        let _ = std::fs::remove_dir_all(&dir);
    }
    println!();
    println!(
        "Output after the one-record edit, bytes per record by kind of file (pages of every language):"
    );
    println!();
    println!(
        "| site | records | {} | all (B/record) | all (MB) |",
        KINDS.map(|k| format!("{k} (B/record)")).join(" | ")
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    for line in sizes {
        println!("{line}");
    }
    share_image(args.runs);
    let _ = std::fs::remove_dir_all(&root);
}

/// One share image (`preview.png`) drawn from its SVG and encoded, as a build does for every
/// agreement in every language: a full card, four figures with bars and a three-line title.
fn share_image(runs: usize) {
    use sinergi::preview::{Card, png};
    let card = Card::sample(
        "Kerja sama pasokan pangan Kota Metro dan Provinsi DKI Jakarta, 2022–2025, dengan \
         Perumda Pasar Jaya dan Food Station",
        4,
    );
    let mut bytes = 0;
    let took = time(runs.max(5), || {
        bytes = png(&card).expect("the card draws").len()
    });
    println!();
    println!(
        "Share image (`preview.png`, 1200x630, one per agreement and language): {} ms per image \
         on one core, {bytes} bytes; a build draws them in parallel with the other pages.",
        ms(took)
    );
}

fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let dest = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

/// The history benchmark: the same site with and without its git history.
fn history(root: &Path, records: usize, commits: usize, runs: usize) {
    let agreements = (records / 1000).max(1);
    let spec = Spec {
        agreements,
        records_per_agreement: records / agreements,
        seed: 7,
    };
    let (repo_dir, plain) = (root.join("repo"), root.join("plain"));
    let started = Instant::now();
    let mut repo = SyntheticRepo::create(&repo_dir, spec, commits).expect("generate repository");
    let generated = started.elapsed();
    sync_content(&repo_dir, &plain);
    println!(
        "sinergi history benchmark: median of {runs} runs, {} cores, sites and output in {}; {} commits over {records} records ({:.1} MB of shipment YAML) generated in {} ms",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1),
        root.display(),
        repo.history().commits,
        repo.shipment_bytes() as f64 / 1e6,
        ms(generated),
    );
    println!();
    let build = |site: &Path| {
        let report = sinergi::build(site, &BuildOptions::default()).expect("the site builds");
        report.files
    };
    // Cold: no output folder and no cache (parse cache, records cache, history cache).
    let cold = |site: &Path| {
        time_after(
            runs,
            || {
                let _ = std::fs::remove_dir_all(site.join("output"));
                let _ = std::fs::remove_dir_all(site.join(sinergi::load::cache::DIR));
            },
            || build(site),
        )
    };
    let plain_cold = cold(&plain);
    let history_cold = cold(&repo_dir);
    let noop = time(runs, || build(&repo_dir));
    // One more commit of a few edits (not timed), then a rebuild; the site without git gets the
    // same files, then its rebuild.
    let mut plain_edit = Vec::new();
    let mut history_edit = Vec::new();
    for _ in 0..runs {
        repo.commit().expect("one more commit");
        sync_content(&repo_dir, &plain);
        let t = Instant::now();
        build(&plain);
        plain_edit.push(t.elapsed());
        let t = Instant::now();
        build(&repo_dir);
        history_edit.push(t.elapsed());
    }
    let (plain_edit, history_edit) = (median(plain_edit), median(history_edit));
    let ratio = |a: Duration, b: Duration| format!("{:.2}x", a.as_secs_f64() / b.as_secs_f64());
    println!(
        "| site | records | commits | cold build, no git (ms) | first build with history, cold (ms, x no git) | no-op rebuild with history (ms) | rebuild after one more commit, no git: the same files (ms) | rebuild after one more commit, with history (ms) |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    println!(
        "| {agreements} agreements | {records} | {commits} | {} | {} ({}) | {} | {} | {} |",
        ms(plain_cold),
        ms(history_cold),
        ratio(history_cold, plain_cold),
        ms(noop),
        ms(plain_edit),
        ms(history_edit),
    );
}

/// Makes `to/content` a copy of `from/content`: changed files copied, removed ones removed.
fn sync_content(from: &Path, to: &Path) {
    let (from, to) = (from.join("content"), to.join("content"));
    let files = |root: &Path| -> Vec<PathBuf> {
        walkdir::WalkDir::new(root)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| e.path().strip_prefix(root).unwrap().to_path_buf())
            .collect()
    };
    for rel in files(&to) {
        if !from.join(&rel).is_file() {
            std::fs::remove_file(to.join(&rel)).unwrap();
        }
    }
    for rel in files(&from) {
        let text = std::fs::read(from.join(&rel)).unwrap();
        let dest = to.join(&rel);
        if std::fs::read(&dest).ok().as_ref() != Some(&text) {
            std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
            std::fs::write(&dest, text).unwrap();
        }
    }
    std::fs::create_dir_all(to.join("pages")).unwrap();
}
