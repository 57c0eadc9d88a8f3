//! A corpus of malformed inputs: each must make `sinergi check` exit 1 with a located error
//! (file, line >= 1), quickly, never with a panic (exit 101) or a hang.

mod common;

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::time::Duration;

use common::{AGREEMENT, PAGE, SHIPMENTS, SITE, TempSite, fixtures};

/// One malformed site: how to break the minimal (or full) site, and which file must be blamed.
struct Case {
    name: String,
    full: bool,
    write: Vec<(String, Vec<u8>)>,
    remove: Vec<String>,
    folders: Vec<String>,
    blame: String,
    line: Option<u32>,
    /// Changes to the site that paths given as text cannot express.
    hook: Option<fn(&Path)>,
}

impl Case {
    fn new(name: impl Into<String>, file: &str, contents: impl Into<Vec<u8>>) -> Case {
        Case {
            name: name.into(),
            full: false,
            write: vec![(file.to_string(), contents.into())],
            remove: vec![],
            folders: vec![],
            blame: file.to_string(),
            line: None,
            hook: None,
        }
    }

    fn at_line(mut self, line: u32) -> Case {
        self.line = Some(line);
        self
    }

    fn site(&self) -> TempSite {
        let site = if self.full {
            let s = TempSite::empty();
            copy_tree(&fixtures().join("full"), s.path());
            s
        } else {
            TempSite::minimal()
        };
        for f in &self.remove {
            site.remove(f);
        }
        for d in &self.folders {
            std::fs::create_dir_all(site.path().join(d)).unwrap();
        }
        for (f, bytes) in &self.write {
            site.write(f, bytes);
        }
        if let Some(hook) = self.hook {
            hook(site.path());
        }
        site
    }
}

fn copy_tree(from: &Path, to: &Path) {
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let t = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&t).unwrap();
            copy_tree(&e.path(), &t);
        } else {
            std::fs::copy(e.path(), &t).unwrap();
        }
    }
}

/// Deterministic bytes that are not text.
fn garbage(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (0..len)
        .map(|_| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 56) as u8
        })
        .collect()
}

/// The classic "billion laughs": nine levels of nine aliases each.
fn billion_laughs(first_key: &str) -> String {
    let mut s = format!(
        "{first_key}: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
    );
    let names = "abcdefghij".as_bytes();
    for w in names.windows(2) {
        let (prev, cur) = (w[0] as char, w[1] as char);
        let refs = vec![format!("*{prev}"); 9].join(",");
        s += &format!("{cur}: &{cur} [{refs}]\n");
    }
    s
}

fn front_matter(yaml: &str) -> String {
    format!("---\n{yaml}---\n\nText.\n")
}

/// The same broken YAML text in every kind of data file.
fn syntax_cases() -> Vec<Case> {
    let texts: Vec<(&str, String)> = vec![
        ("unterminated double quote", "title: \"Situs\n".into()),
        ("unterminated single quote", "title: 'Situs\n".into()),
        ("tab indentation", "title:\n\tid: Situs\n".into()),
        ("duplicate key", "title: A\ntitle: B\n".into()),
        ("unclosed flow sequence", "title: [a, b\n".into()),
        ("unclosed flow mapping", "title: {id: a\n".into()),
        ("stray closing bracket", "title: a]\nx: ]\n".into()),
        ("mapping in a plain scalar", "title: a: b: c\n".into()),
        ("undefined alias", "title: *nowhere\n".into()),
        ("undefined merge", "<<: *nowhere\ntitle: a\n".into()),
        ("bad indentation", "title: a\n  b: c\n d: e\n".into()),
        ("two documents", "title: a\n---\ntitle: b\n".into()),
        ("a scalar document", "just a sentence\n".into()),
        ("a list document", "- title\n- a\n".into()),
        ("unknown directive", "%YAML 2.0\n---\ntitle: a\n".into()),
        (
            "control character",
            "title: \"a\u{7}b\"\nfoo: \u{1}\n".into(),
        ),
        ("NUL byte", "title: a\u{0}b\n".into()),
        ("custom tag", "title: !include other.yaml\n".into()),
        ("billion laughs", billion_laughs("title")),
        (
            "10,000-deep flow sequence",
            format!("title: {}{}\n", "[".repeat(10_000), "]".repeat(10_000)),
        ),
        (
            "10,000-deep flow mapping",
            format!("title: {}x{}\n", "{a: ".repeat(10_000), "}".repeat(10_000)),
        ),
        (
            "10,000-deep block sequence",
            format!("title:\n  {}x\n", "- ".repeat(10_000)),
        ),
        ("only a comment", "# nothing here\n".into()),
        ("only whitespace", "   \n\n  \n".into()),
        ("a lone colon", ":\n".into()),
        ("a lone dash", "-\n".into()),
        ("key without value in a flow", "{title, : }\n".into()),
    ];
    let mut cases = Vec::new();
    for (what, text) in &texts {
        cases.push(Case::new(format!("site.yaml: {what}"), SITE, text.as_str()));
        cases.push(Case::new(
            format!("agreement.yaml: {what}"),
            AGREEMENT,
            text.as_str(),
        ));
        // In a page, a second `---` simply closes the front matter.
        if *what != "two documents" {
            cases.push(Case::new(
                format!("page front matter: {what}"),
                PAGE,
                front_matter(text),
            ));
        }
        // A shipments file is a list: the broken text stands in a record, with `note` (a
        // key records have) in place of `title`.
        let record: String = text
            .replace("title", "note")
            .lines()
            .map(|l| format!("  {l}\n"))
            .collect();
        let shipments = format!("- id: x\n{record}");
        cases.push(Case::new(
            format!("shipments: {what}"),
            SHIPMENTS,
            shipments,
        ));
    }
    cases
}

/// Broken bytes, empty files, wrong front matter and wrong folders.
fn file_cases() -> Vec<Case> {
    let mut cases = vec![
        Case::new("binary garbage site.yaml", SITE, garbage(1, 4096)),
        Case::new("binary garbage agreement.yaml", AGREEMENT, garbage(2, 4096)),
        Case::new("binary garbage shipments", SHIPMENTS, garbage(3, 4096)),
        Case::new("binary garbage page", PAGE, garbage(4, 4096)),
        Case::new("invalid UTF-8 late in site.yaml", SITE, b"title: Situs\nlicense: caf\xe9\n".to_vec())
            .at_line(2),
        Case::new(
            "invalid UTF-8 in a shipment note",
            SHIPMENTS,
            b"- id: x\n  date: 2022-03-01\n  note: \xff\xfe\n".to_vec(),
        )
        .at_line(3),
        Case::new("UTF-16 site.yaml", SITE, b"\xff\xfet\x00i\x00t\x00l\x00e\x00:\x00 \x00a\x00\n\x00".to_vec()),
        Case::new("empty site.yaml", SITE, ""),
        Case::new("empty agreement.yaml", AGREEMENT, ""),
        Case::new("empty page", PAGE, ""),
        Case::new("page without front matter", PAGE, "# Tentang\n\nText.\n"),
        Case::new("front matter without closing ---", PAGE, "---\ntitle: Tentang\n\nText.\n"),
        Case::new("front matter with only the opening ---", PAGE, "---\n"),
        Case::new("empty front matter", PAGE, "---\n---\nText.\n").at_line(2),
        Case::new("front matter not at the start", PAGE, "\n---\ntitle: a\n---\n"),
        Case::new("front matter with a list", PAGE, "---\n- title\n---\n"),
        Case::new("front matter missing title", PAGE, "---\norder: 1\n---\n"),
        Case::new("page named like a language", "content/pages/en.md", front_matter("title: a\n")),
        Case::new(
            "page in an undeclared language",
            "content/pages/about.fr.md",
            front_matter("title: a\n"),
        ),
        Case::new("shipments file with a mapping", SHIPMENTS, "id: x\ndate: 2022-03-01\n"),
        Case::new("shipments file with a scalar", SHIPMENTS, "kirim\n"),
        Case::new("shipments file with a list of lists", SHIPMENTS, "- [a, b]\n"),
        Case::new("shipments file with a null record", SHIPMENTS, "- \n- ~\n"),
        Case::new("shipments with an empty record", SHIPMENTS, "- {}\n"),
        Case::new(
            "a shipment with date and period",
            SHIPMENTS,
            "- id: x\n  date: 2022-03-01\n  period: {start: 2022-03-01, end: 2022-03-02}\n  from: gapoktan\n  commodity: beras\n  quantity: 1\n  unit: t\n",
        )
        .at_line(2),
        Case::new(
            "alias flood: 20,000 aliases of one record",
            SHIPMENTS,
            format!(
                "- &r {{id: x, date: 2022-03-01, from: gapoktan, commodity: beras, quantity: 1, unit: t}}\n{}",
                "- *r\n".repeat(20_000)
            ),
        ),
        Case::new(
            "a 1 MB key",
            SITE,
            format!("title: a\n{}: b\n", "k".repeat(1 << 20)),
        )
        .at_line(2),
        Case::new(
            "a 1 MB unknown unit",
            SHIPMENTS,
            format!(
                "- id: x\n  date: 2022-03-01\n  from: gapoktan\n  commodity: beras\n  quantity: 1\n  unit: {}\n",
                "u".repeat(1 << 20)
            ),
        )
        .at_line(6),
        Case::new(
            "quantity with more digits than a decimal holds",
            SHIPMENTS,
            "- id: x\n  date: 2022-03-01\n  from: gapoktan\n  commodity: beras\n  quantity: 0.1000000000000000055511151231257827\n  unit: t\n",
        )
        .at_line(5),
        Case::new(
            "quantity with an exponent",
            SHIPMENTS,
            "- id: x\n  date: 2022-03-01\n  from: gapoktan\n  commodity: beras\n  quantity: 1.5e3\n  unit: t\n",
        )
        .at_line(5),
        Case::new(
            "quantity with a decimal comma",
            SHIPMENTS,
            "- id: x\n  date: 2022-03-01\n  from: gapoktan\n  commodity: beras\n  quantity: \"7,5\"\n  unit: t\n",
        )
        .at_line(5),
        Case::new(
            "quantity .nan",
            SHIPMENTS,
            "- id: x\n  date: 2022-03-01\n  from: gapoktan\n  commodity: beras\n  quantity: .nan\n  unit: t\n",
        )
        .at_line(5),
        Case::new(
            "boolean written yes",
            SHIPMENTS,
            "- id: x\n  date: 2022-03-01\n  from: gapoktan\n  commodity: beras\n  quantity: 1\n  unit: t\n  approx: yes\n",
        )
        .at_line(7),
    ];
    let folder = |name: &str, file: &str| Case {
        name: name.to_string(),
        full: false,
        write: vec![],
        remove: vec![file.to_string()],
        folders: vec![file.to_string()],
        blame: file.to_string(),
        line: None,
        hook: None,
    };
    cases.push(folder("a folder where site.yaml should be", SITE));
    cases.push(folder("a folder where agreement.yaml should be", AGREEMENT));
    let missing = |name: &str, file: &str, blame: &str| Case {
        name: name.to_string(),
        full: false,
        write: vec![],
        remove: vec![file.to_string()],
        folders: vec![],
        blame: blame.to_string(),
        line: None,
        hook: None,
    };
    cases.push(missing("a missing site.yaml", SITE, SITE));
    cases.push(missing("a missing content folder", "content", SITE));
    cases.push(missing("a missing agreement.yaml", AGREEMENT, AGREEMENT));
    let mut agreements_file = missing(
        "content/agreements is a file",
        "content/agreements",
        "content/agreements",
    );
    agreements_file.write = vec![("content/agreements".into(), b"x".to_vec())];
    cases.push(agreements_file);
    let mut pages_file = missing("content/pages is a file", "content/pages", "content/pages");
    pages_file.write = vec![("content/pages".into(), b"x".to_vec())];
    cases.push(pages_file);
    let mut dangling = missing("site.yaml is a dangling link", SITE, SITE);
    dangling.hook = Some(|root| symlink("nowhere.yaml", root.join(SITE)).unwrap());
    cases.push(dangling);
    let mut name = Case::new("a shipments file name that is not UTF-8", SHIPMENTS, "[]\n");
    name.blame = "content/agreements/contoh/shipments/x\u{fffd}.yaml".into();
    name.hook = Some(|root| {
        let dir = root.join("content/agreements/contoh/shipments");
        std::fs::write(dir.join(OsStr::from_bytes(b"x\xff.yaml")), "[]\n").unwrap();
    });
    cases.push(name);
    let mut folder = Case::new(
        "an agreement folder name that is not UTF-8",
        SHIPMENTS,
        "[]\n",
    );
    folder.blame = "content/agreements/a\u{fffd}b".into();
    folder.hook = Some(|root| {
        let dir = root
            .join("content/agreements")
            .join(OsStr::from_bytes(b"a\xffb"));
        std::fs::create_dir_all(dir).unwrap();
    });
    cases.push(folder);
    cases
}

/// Wrong types in every value of every file kind: each `key: value` line of the full fixture
/// (every key of the format filled in) gets a mapping and a nested list instead of its value.
fn wrong_type_cases() -> Vec<Case> {
    let root = fixtures().join("full");
    let files = [
        "content/site.yaml",
        "content/agreements/lengkap/agreement.yaml",
        "content/agreements/lengkap/shipments/2022/maret.yaml",
        "content/agreements/lengkap/latar.md",
        "content/pages/about.md",
    ];
    let mut cases = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(root.join(file)).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let Some((key_part, value)) = line.split_once(": ") else {
                continue;
            };
            let key = key_part.trim_start().trim_start_matches("- ");
            if key.starts_with('#')
                || value.is_empty()
                || !key.chars().all(|c| c.is_ascii_lowercase() || c == '_')
            {
                continue;
            }
            for wrong in ["{x: [1]}", "[[1]]"] {
                let mut changed = lines.clone();
                let replaced = format!("{key_part}: {wrong}");
                changed[i] = &replaced;
                let mut case = Case::new(
                    format!("{file}:{}: `{key}` given {wrong}", i + 1),
                    file,
                    changed.join("\n") + "\n",
                )
                .at_line(i as u32 + 1);
                case.full = true;
                cases.push(case);
            }
        }
    }
    cases
}

/// Runs every case and reports all that fail at once.
fn run_all(cases: Vec<Case>) -> Duration {
    let slowest = std::sync::Mutex::new((Duration::ZERO, String::new()));
    let failures = std::sync::Mutex::new(Vec::new());
    let chunks: Vec<&[Case]> = cases.chunks(cases.len().div_ceil(2)).collect();
    let (slowest_ref, failures_ref) = (&slowest, &failures);
    std::thread::scope(|s| {
        for chunk in chunks {
            s.spawn(move || {
                for case in chunk {
                    if let Err(e) = run_case(case, slowest_ref) {
                        failures_ref
                            .lock()
                            .unwrap()
                            .push(format!("{}: {e}", case.name));
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(
        failures.is_empty(),
        "{} failing inputs:\n{}",
        failures.len(),
        failures.join("\n")
    );
    let (time, name) = slowest.into_inner().unwrap();
    eprintln!("slowest malformed input: {name} ({time:?})");
    time
}

fn run_case(case: &Case, slowest: &std::sync::Mutex<(Duration, String)>) -> Result<(), String> {
    let site = case.site();
    let run = site.check(&["--format", "json"]);
    {
        let mut s = slowest.lock().unwrap();
        if run.elapsed > s.0 {
            *s = (run.elapsed, case.name.clone());
        }
    }
    // Only a hang fails (the harness's guard): a loaded machine must not, and timings belong
    // to the benchmarks.
    if run.timed_out {
        return Err(format!("took {:?}", run.elapsed));
    }
    if run.status != Some(1) {
        return Err(format!("exit {:?}, stderr: {}", run.status, run.stderr));
    }
    let findings: Vec<common::Finding> =
        serde_json::from_str(&run.stdout).map_err(|e| format!("bad JSON {e}: {}", run.stdout))?;
    let located = findings.iter().any(|f| {
        f.severity == "error"
            && f.file == case.blame
            && f.line >= 1
            && f.column >= 1
            && case.line.is_none_or(|l| f.line == l)
            && !f.message.is_empty()
    });
    if let Some(f) = findings.iter().find(|f| !f.message.contains("; ")) {
        return Err(format!("the message does not say what to do: {f:#?}"));
    }
    if !located {
        return Err(format!(
            "no error located in {}{}: {findings:#?}",
            case.blame,
            case.line.map(|l| format!(" line {l}")).unwrap_or_default()
        ));
    }
    Ok(())
}

#[test]
fn malformed_syntax_in_every_file_kind() {
    let cases = syntax_cases();
    assert!(cases.len() >= 100, "{} cases", cases.len());
    run_all(cases);
}

#[test]
fn malformed_files_and_folders() {
    run_all(file_cases());
}

#[test]
fn wrong_types_in_every_field_of_every_file_kind() {
    let cases = wrong_type_cases();
    assert!(cases.len() >= 150, "{} cases", cases.len());
    run_all(cases);
}

/// One record of a generated shipments file; `n` makes the id unique.
fn record(n: usize, unit: &str) -> String {
    format!(
        "- id: r-{n}\n  date: 2022-{:02}-{:02}\n  from: gapoktan\n  to: pasar\n  commodity: beras\n  quantity: {}.5\n  unit: {unit}\n  status: shipped\n  verification: reported\n  sources: [berita]\n  note: pengiriman nomor {n} dari gapoktan ke pasar induk\n",
        3 + n % 9,
        1 + n % 28,
        n % 1000 + 1
    )
}

/// A 50 MB shipments file (generated, never committed) with one bad unit in its last record:
/// the check reads it all and blames that record's line. Timing belongs to the benchmarks;
/// this only proves the run completes with the right error.
#[test]
fn a_50_mb_shipments_file_with_one_bad_record_near_the_end() {
    use std::io::Write;
    let site = TempSite::minimal();
    let path = site
        .path()
        .join("content/agreements/contoh/shipments/besar.yaml");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    let (mut bytes, mut lines, mut n) = (0usize, 0u32, 0usize);
    while bytes < 50 * 1024 * 1024 {
        let r = record(n, "kg");
        out.write_all(r.as_bytes()).unwrap();
        bytes += r.len();
        lines += r.lines().count() as u32;
        n += 1;
    }
    out.write_all(record(n, "karung").as_bytes()).unwrap();
    out.flush().unwrap();
    drop(out);

    let run = site.check(&["--format", "json"]);
    assert_eq!(run.code(), 1, "{}", run.stderr);
    let got: Vec<String> = run.findings().iter().map(|f| f.at()).collect();
    let bad_unit_line = lines + 7;
    assert_eq!(
        got,
        [format!(
            "error unknown-unit content/agreements/contoh/shipments/besar.yaml:{bad_unit_line}:9"
        )]
    );
    eprintln!("50 MB, {} records: {:?}", n + 1, run.elapsed);
}

/// Deterministic pseudo-random numbers for the mutations below.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

/// One random edit that YAML is sensitive to: a structural character, a deleted or doubled
/// stretch, swapped lines.
fn mutate(text: &str, rng: &mut Lcg) -> Vec<u8> {
    let mut b = text.as_bytes().to_vec();
    let at = rng.below(b.len());
    match rng.below(5) {
        0 => {
            let special = b":[]{}-&*!|>\"'#\t\n ,?%@`\\\xff";
            b.insert(at, special[rng.below(special.len())]);
        }
        1 => {
            let end = (at + rng.below(40)).min(b.len());
            b.drain(at..end);
        }
        2 => {
            let end = (at + rng.below(80)).min(b.len());
            let copy = b[at..end].to_vec();
            b.splice(at..at, copy);
        }
        3 => {
            let mut lines: Vec<&str> = text.lines().collect();
            let (i, j) = (rng.below(lines.len()), rng.below(lines.len()));
            lines.swap(i, j);
            b = (lines.join("\n") + "\n").into_bytes();
        }
        _ => b[at] = b"0aZ- :\n"[rng.below(7)],
    }
    b
}

/// Random edits of every file of the full fixture, checked in-process: never a panic, and every
/// finding located in a file at line 1 or later.
#[test]
fn random_edits_never_panic_and_are_located() {
    let files = [
        "content/site.yaml",
        "content/agreements/lengkap/agreement.yaml",
        "content/agreements/lengkap/shipments/2022/maret.yaml",
        "content/pages/about.md",
    ];
    let site = TempSite::empty();
    copy_tree(&fixtures().join("full"), site.path());
    let originals: Vec<String> = files.iter().map(|f| site.read(f)).collect();
    let mut rng = Lcg(20220610);
    let mut with_errors = 0;
    for round in 0..600 {
        let k = round % files.len();
        let mut edited = mutate(&originals[k], &mut rng);
        if rng.below(3) == 0 {
            edited = mutate(&String::from_utf8_lossy(&edited), &mut rng);
        }
        site.write(files[k], &edited);
        let checked = sinergi::check(site.path());
        for d in checked.diagnostics.items() {
            assert!(
                !d.file.is_empty() && d.line >= 1 && d.column >= 1,
                "round {round}: unlocated {d:?} in\n{}",
                String::from_utf8_lossy(&edited)
            );
        }
        with_errors += usize::from(checked.diagnostics.has_errors());
        site.write(files[k], &originals[k]);
    }
    assert!(
        with_errors > 300,
        "only {with_errors} of 600 edits were found wrong"
    );
}
