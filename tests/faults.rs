//! Faults while writing: an unwritable output folder, a full disk, and a build killed with
//! SIGKILL in the middle of writing. Every output file stays whole-old or whole-new, and the
//! next build repairs the rest.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use common::{published, tmp};

fn build(site: &Path, out: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sinergi"))
        .args(["build", "--site"])
        .arg(site)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap()
}

/// Temporary files and staging folders left in `dir`.
fn temporaries(dir: &Path) -> usize {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            let name = e.file_name().to_string_lossy();
            name.ends_with(".sinergi-tmp") || name == ".sinergi-staging"
        })
        .count()
}

/// Every file is exactly as in `old` or as in `new`; none is truncated or mixed.
fn whole_old_or_new(out: &Path, old: &BTreeMap<String, Vec<u8>>, new: &BTreeMap<String, Vec<u8>>) {
    for (path, bytes) in published(out) {
        let ok = old.get(&path) == Some(&bytes) || new.get(&path) == Some(&bytes);
        assert!(
            ok,
            "{path} is neither the old nor the new file ({} bytes)",
            bytes.len()
        );
    }
}

/// A synthetic site whose every page changes when `title` changes.
fn site(dir: &Path, agreements: usize, records: usize, title: &str) {
    if !dir.join("content").exists() {
        sinergi::synthetic::write_site(
            dir,
            sinergi::synthetic::Spec {
                agreements,
                records_per_agreement: records,
                seed: 3,
            },
        )
        .unwrap();
    }
    fs::write(
        dir.join("content/site.yaml"),
        format!("title: {title}\nlanguages: [id, en]\n"),
    )
    .unwrap();
}

#[test]
fn an_unwritable_output_folder_is_a_clear_error() {
    let dir = tmp("unwritable");
    site(&dir.join("site"), 1, 10, "A");
    fs::write(dir.join("file"), "a file, not a folder").unwrap();
    let o = build(&dir.join("site"), &dir.join("file/out"));
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("file/out"), "{err}");
    assert!(err.contains("cannot write"), "{err}");
}

#[test]
fn a_build_killed_while_writing_leaves_whole_files_and_the_next_build_repairs() {
    let dir = tmp("kill");
    let (s, out, reference) = (dir.join("site"), dir.join("out"), dir.join("reference"));
    site(&s, 12, 400, "Lama");
    assert!(build(&s, &out).status.success());
    let old = published(&out);
    site(&s, 12, 400, "Baru");
    assert!(build(&s, &reference).status.success());
    let new = published(&reference);
    assert_ne!(old, new);

    for delay_ms in [5, 40, 120, 300] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sinergi"))
            .args(["build", "--site"])
            .arg(&s)
            .arg("--out")
            .arg(&out)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL on Unix
        let _ = child.wait();
        whole_old_or_new(&out, &old, &new);
    }
    let o = build(&s, &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(published(&out), new, "the next build repairs everything");
    assert_eq!(temporaries(&out), 0, "temporary files are cleaned up");
}

fn available_bytes(path: &Path) -> u64 {
    let o = Command::new("df")
        .args(["-B1", "--output=avail"])
        .arg(path)
        .output()
        .unwrap();
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .nth(1)
        .and_then(|l| l.trim().parse().ok())
        .unwrap()
}

/// Mounts a small tmpfs (root only); `None` when this machine does not allow it.
fn small_disk(dir: &Path, size: &str) -> Option<PathBuf> {
    let mnt = dir.join("disk");
    fs::create_dir_all(&mnt).unwrap();
    let ok = Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
        .arg(&mnt)
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    ok.then_some(mnt)
}

#[test]
fn a_full_disk_fails_cleanly_and_the_next_build_repairs() {
    let dir = tmp("full");
    let Some(mnt) = small_disk(&dir, "32m") else {
        eprintln!("SKIPPED: the full-disk test needs to mount a tmpfs (root)");
        return;
    };
    let s = dir.join("site");
    let out = mnt.join("out");
    site(&s, 3, 200, "Lama");
    let first = build(&s, &out);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let old = published(&out);
    site(
        &s,
        3,
        200,
        "Baru dengan judul yang jauh lebih panjang dari sebelumnya",
    );
    assert!(build(&s, &dir.join("reference")).status.success());
    let new = published(&dir.join("reference"));

    // Fill the disk so that only a little room is left, then rebuild.
    let filler = mnt.join("filler");
    let room = available_bytes(&mnt).saturating_sub(96 * 1024);
    let _ = fs::write(&filler, vec![0u8; room as usize]);
    let o = build(&s, &out);
    assert_eq!(
        o.status.code(),
        Some(1),
        "the build must fail on a full disk"
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("No space left") || err.contains("cannot write"),
        "{err}"
    );
    assert!(
        !err.contains("nothing was written"),
        "the message must not claim nothing changed"
    );
    whole_old_or_new(&out, &old, &new);
    assert_eq!(
        temporaries(&out),
        0,
        "no temporary file is left on a full disk"
    );

    fs::remove_file(&filler).unwrap();
    let o = build(&s, &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(published(&out), new);
    let _ = Command::new("umount").arg(&mnt).status();
}

#[test]
fn symbolic_links_that_leave_the_site_are_errors_and_never_followed() {
    let dir = tmp("symlinks");
    let s = dir.join("site");
    site(&s, 1, 5, "Situs");
    let out = dir.join("out");
    assert!(build(&s, &out).status.success());
    let before = published(&out);
    let secret = dir.join("secret.yaml");
    fs::write(&secret, "- id: rahasia\n  date: 2022-07-01\n  from: pelaku-0\n  commodity: telur\n  quantity: 999\n  unit: t\n").unwrap();
    let shipments = s.join("content/agreements/kad-0000/shipments");
    std::os::unix::fs::symlink(&secret, shipments.join("link.yaml")).unwrap();
    fs::create_dir_all(s.join("static")).unwrap();
    std::os::unix::fs::symlink(&secret, s.join("static/leak.txt")).unwrap();
    std::os::unix::fs::symlink(&dir, s.join("content/agreements/outside")).unwrap();

    let check = Command::new(env!("CARGO_BIN_EXE_sinergi"))
        .args(["check", "--format", "json", "--site"])
        .arg(&s)
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(1));
    let findings = String::from_utf8_lossy(&check.stdout);
    for link in [
        "content/agreements/kad-0000/shipments/link.yaml",
        "static/leak.txt",
        "content/agreements/outside",
    ] {
        assert!(
            findings.contains(&format!("\"file\": \"{link}\"")),
            "{link} is reported: {findings}"
        );
    }
    let failed = build(&s, &out);
    assert_eq!(failed.status.code(), Some(1));
    assert_eq!(
        published(&out),
        before,
        "a failed build leaves the output as it was"
    );
    for (path, bytes) in published(&out) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("rahasia") && !text.contains("999 t"),
            "{path} holds the linked file"
        );
    }
}
