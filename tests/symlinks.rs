//! Nothing outside the site is read or shown. A symbolic link anywhere under `content/`,
//! `templates/`, `static/` or `i18n/` is an `unreadable-file` error whatever it points to, and
//! a finding quotes source lines only from bytes the loader read under its checks. A canary
//! file outside the site, with a secret in its first line (as `/proc/self/environ` has), is
//! linked in each place a site reads; no run may print or publish a byte of it.
//! `tests/serve_live.rs` holds the same check for `serve`.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{Run, TempSite, sinergi};

/// The secret of the canary file; it appears in nothing the runs below print or write.
const SECRET: &str = "CANARY_7f3a9c_hunter2";

/// Every kind of file a site reads, as a link in the minimal site.
const PLACES: [&str; 5] = [
    "content/agreements/contoh/shipments/link.yaml",
    "content/pages/link.md",
    "templates/page.html",
    "static/link.txt",
    "i18n/en.yaml",
];

/// The things outside the site a link may point to, in a folder removed when dropped.
struct Outside {
    dir: PathBuf,
}

impl Outside {
    fn new() -> Outside {
        let site = TempSite::empty();
        let dir = site.path().with_extension("outside");
        drop(site);
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("folder")).unwrap();
        fs::write(dir.join("canary"), canary()).unwrap();
        fs::write(dir.join("folder/canary.yaml"), canary()).unwrap();
        Outside { dir }
    }

    fn canary(&self) -> PathBuf {
        self.dir.join("canary")
    }

    fn folder(&self) -> PathBuf {
        self.dir.join("folder")
    }

    /// A named pipe no one writes to: reading it would block forever. `None` without `mkfifo`.
    fn fifo(&self) -> Option<PathBuf> {
        let path = self.dir.join("pipe");
        if path.exists() {
            return Some(path);
        }
        let made = std::process::Command::new("mkfifo").arg(&path).status();
        made.is_ok_and(|s| s.success()).then_some(path)
    }
}

impl Drop for Outside {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// Text every reader would take if it followed the link: an environment-like first line, a
/// shipment record and a page's front matter.
fn canary() -> String {
    format!(
        "# {SECRET}=1 SHELL=/bin/bash\n- id: {SECRET}\n  date: 2022-07-01\n  from: pemasok\n  commodity: beras\n  quantity: 1\n  unit: t\n"
    )
}

/// The minimal site with `place` a symbolic link to `target`.
fn linked(place: &str, target: &Path) -> TempSite {
    let site = TempSite::minimal();
    let link = site.path().join(place);
    fs::create_dir_all(link.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(target, &link).unwrap();
    site
}

/// No part of the canary in what a run printed.
fn clean(run: &Run, what: &str) {
    for text in [&run.stdout, &run.stderr] {
        assert!(!text.contains(SECRET), "{what} printed the canary:\n{text}");
        assert!(!text.contains("SHELL=/bin/bash"), "{what}:\n{text}");
    }
}

/// No file below `dir` holds any of the canary.
fn nothing_published(dir: &Path, what: &str) {
    for (path, bytes) in common::snapshot(dir) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains(SECRET), "{what}: {path} holds the canary");
    }
}

/// `check` in every format and `build` exit 1 naming the link as an error, quickly (a hang is
/// a failure), and print or write nothing of what it points to.
fn refused_everywhere(site: &TempSite, place: &str, what: &str) {
    let human = site.check(&[]);
    assert_eq!(human.code(), 1, "{what}: {}", human.stderr);
    assert!(
        human
            .stderr
            .contains("error[unreadable-file]: this is a symbolic link"),
        "{what}:\n{}",
        human.stderr
    );
    let at = format!("  --> {place}:1:1\n");
    let finding = &human.stderr[human.stderr.find(&at).expect(&at)..];
    let next = finding.find("\n\n").unwrap();
    assert!(
        !finding[..next].contains(" | "),
        "{what}: a link quotes no source line:\n{finding}"
    );
    assert!(finding.contains("copy the file"), "{what}: {finding}");
    clean(&human, what);

    let json = site.check(&["--format", "json"]);
    assert_eq!(json.code(), 1, "{what}");
    let findings = json.findings();
    assert!(
        findings
            .iter()
            .any(|f| f.at() == format!("error unreadable-file {place}:1:1")),
        "{what}: {findings:#?}"
    );
    clean(&json, what);

    let github = site.check(&["--format", "github"]);
    assert_eq!(github.code(), 1, "{what}");
    assert!(
        github
            .stdout
            .contains(&format!("::error file={place},line=1,col=1::")),
        "{what}: {}",
        github.stdout
    );
    clean(&github, what);

    let out = site.path().join("output");
    let root = site.path().to_str().unwrap();
    let build = sinergi(&["build", "--site", root]);
    assert_eq!(build.code(), 1, "{what}: {}", build.stderr);
    assert!(build.stderr.contains(&at), "{what}: {}", build.stderr);
    clean(&build, what);
    nothing_published(&out, what);
}

#[test]
fn a_link_to_a_file_outside_the_site_is_an_error_in_every_folder() {
    let outside = Outside::new();
    for place in PLACES {
        let site = linked(place, &outside.canary());
        refused_everywhere(&site, place, &format!("{place} -> canary"));
    }
}

#[test]
fn a_link_inside_the_site_is_an_error_too() {
    let site = TempSite::minimal();
    let link = site
        .path()
        .join("content/agreements/contoh/shipments/copy.yaml");
    std::os::unix::fs::symlink("2022.yaml", &link).unwrap();
    let (code, findings) = site.findings();
    assert_eq!(code, 1);
    let at: Vec<String> = findings.iter().map(|f| f.at()).collect();
    assert_eq!(
        at,
        ["error unreadable-file content/agreements/contoh/shipments/copy.yaml:1:1"]
    );
}

#[test]
fn links_to_a_device_a_pipe_and_a_folder_are_refused_without_reading() {
    let outside = Outside::new();
    let mut targets = vec![
        ("/dev/zero", PathBuf::from("/dev/zero")),
        ("a folder", outside.folder()),
    ];
    match outside.fifo() {
        Some(fifo) => targets.push(("a named pipe", fifo)),
        None => println!("SKIPPED (part): mkfifo is not available"),
    }
    for (name, target) in &targets {
        for place in PLACES {
            let site = linked(place, target);
            refused_everywhere(&site, place, &format!("{place} -> {name}"));
        }
    }
}

/// Folders on the way to the files are held to the same rule: a linked `content/`,
/// agreement folder or `templates/` is an error, and nothing below it is read.
#[test]
fn a_linked_folder_is_an_error_and_nothing_below_it_is_read() {
    let outside = Outside::new();
    let agreement = TempSite::minimal();
    fs::create_dir_all(outside.dir.join("agreement/shipments")).unwrap();
    fs::copy(
        agreement
            .path()
            .join("content/agreements/contoh/agreement.yaml"),
        outside.dir.join("agreement/agreement.yaml"),
    )
    .unwrap();
    fs::write(outside.dir.join("agreement/shipments/2022.yaml"), canary()).unwrap();
    for place in [
        "content/agreements/luar",
        "templates",
        "content/agreements/contoh/shipments/more",
    ] {
        let site = linked(place, &outside.dir.join("agreement"));
        refused_everywhere(&site, place, &format!("{place} -> a folder"));
    }
    let content = TempSite::empty();
    let inner = TempSite::minimal();
    std::os::unix::fs::symlink(inner.path().join("content"), content.path().join("content"))
        .unwrap();
    let (code, findings) = content.findings();
    assert_eq!(code, 1);
    assert!(
        findings
            .iter()
            .any(|f| f.at() == "error unreadable-file content:1:1"),
        "{findings:#?}"
    );
}

#[test]
fn the_site_folder_itself_may_be_a_link() {
    let site = TempSite::minimal();
    let alias = site.path().with_extension("alias");
    let _ = fs::remove_file(&alias);
    std::os::unix::fs::symlink(site.path(), &alias).unwrap();
    let root = alias.to_str().unwrap();
    let check = sinergi(&["check", "--site", root]);
    let build = sinergi(&["build", "--site", root]);
    fs::remove_file(&alias).unwrap();
    assert_eq!(check.code(), 0, "{}", check.stderr);
    assert_eq!(build.code(), 0, "{}", build.stderr);
    assert!(site.path().join("output/index.html").is_file());
}

/// A finding quotes its source line from the bytes that were read; a finding on a file that
/// was not read (here: over `limits.max_file_size`) shows its location only.
#[test]
fn findings_quote_only_lines_that_were_read() {
    let site = TempSite::minimal();
    let shipments = site.read(common::SHIPMENTS);
    let first = shipments.find("commodity: ").unwrap();
    let end = first + shipments[first..].find('\n').unwrap();
    site.write(
        common::SHIPMENTS,
        format!(
            "{}commodity: jagung{}",
            &shipments[..first],
            &shipments[end..]
        ),
    );
    let run = site.check(&[]);
    assert_eq!(run.code(), 1);
    assert!(
        run.stderr.contains("|   commodity: jagung\n"),
        "{}",
        run.stderr
    );

    let big = format!("# {SECRET}\n{}", "# padding\n".repeat(200));
    site.write("content/pages/big.md", &big);
    let site_yaml = site.read(common::SITE);
    site.write(
        common::SITE,
        format!("{site_yaml}limits:\n  max_file_size: 1 KiB\n"),
    );
    let run = site.check(&[]);
    assert_eq!(run.code(), 1);
    let at = "  --> content/pages/big.md:1:1\n";
    let finding = &run.stderr[run.stderr.find(at).expect(at)..];
    assert!(finding.starts_with(&format!("{at}  = hint:")), "{finding}");
    clean(&run, "a file over the limit");
}

#[test]
fn import_refuses_a_linked_shipments_file() {
    let outside = Outside::new();
    let site = TempSite::fixture("import/site");
    let shipments = site.path().join("content/agreements/metro-dki/shipments");
    std::os::unix::fs::symlink(outside.canary(), shipments.join("link.yaml")).unwrap();
    let before = fs::read_dir(&shipments).unwrap().count();
    let sheet = common::fixtures().join("import/pengiriman.csv");
    let root = site.path().to_str().unwrap();
    for into in [None, Some("link.yaml")] {
        let mut args = vec![
            "import",
            "--site",
            root,
            "--agreement",
            "metro-dki",
            sheet.to_str().unwrap(),
        ];
        args.extend(into.iter().flat_map(|i| ["--into", *i]));
        let run = sinergi(&args);
        assert_eq!(run.code(), 1, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr
                .contains("  --> content/agreements/metro-dki/shipments/link.yaml:1:1"),
            "{}",
            run.stderr
        );
        assert!(
            run.stderr.contains("nothing was imported"),
            "{}",
            run.stderr
        );
        clean(&run, "import");
    }
    assert!(
        fs::symlink_metadata(shipments.join("link.yaml"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(fs::read_to_string(outside.canary()).unwrap(), canary());
    let after = fs::read_dir(&shipments).unwrap().count();
    assert_eq!(before, after, "no file was written");
}

/// The files sinergi writes for itself (cache entries, the output manifest) are read only when
/// they are regular files: each replaced by a link to `/dev/zero` is passed over or refused at
/// once, never read.
#[test]
fn cache_entries_and_the_manifest_replaced_by_links_are_not_read() {
    let site = TempSite::minimal();
    let records: String = (1..=150)
        .map(|i| {
            format!(
                "- id: muat-{i}\n  date: 2022-06-{:02}\n  from: gapoktan\n  commodity: beras\n  quantity: {i}\n  unit: kg\n",
                i % 28 + 1
            )
        })
        .collect();
    site.write("content/agreements/contoh/shipments/muat.yaml", records);
    let root = site.path().to_str().unwrap();
    let first = sinergi(&["build", "--site", root]);
    assert_eq!(first.code(), 0, "{}", first.stderr);
    let cache = site.path().join(".sinergi-cache");
    let entries: Vec<PathBuf> = common::snapshot(&cache)
        .into_keys()
        .filter(|rel| rel.ends_with(".json"))
        .map(|rel| cache.join(rel))
        .collect();
    assert!(
        entries.len() >= 2,
        "a parse and a records cache entry: {entries:?}"
    );
    for entry in &entries {
        fs::remove_file(entry).unwrap();
        std::os::unix::fs::symlink("/dev/zero", entry).unwrap();
    }
    let again = sinergi(&["build", "--site", root]);
    assert_eq!(again.code(), 0, "{}", again.stderr);
    let manifest = site.path().join("output/.sinergi-manifest");
    fs::remove_file(&manifest).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &manifest).unwrap();
    let refused = sinergi(&["build", "--site", root]);
    assert_eq!(refused.code(), 1, "{}", refused.stderr);
    assert!(
        refused.stderr.contains(".sinergi-manifest"),
        "{}",
        refused.stderr
    );
}
