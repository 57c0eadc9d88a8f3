//! The revision history through the real binary: a git repository built commit by commit
//! (without a `git` program) around a fixture site, then `build`: revisions.csv, revisions.json,
//! the history page in both languages, the link to it, shallow clones, merges, a commit whose
//! data cannot be read, author names and commit links, and a site in no repository.

mod common;

use std::path::Path;

use common::{SHIPMENTS, SITE, TempSite, published, sinergi, tmp};
use sinergi::history::write::Committer;

const AUTHOR: (&str, &str) = ("Ani Wijaya", "ani@example.org");
/// 2023-11-14 22:13:20 UTC; each commit is a day later.
const T0: i64 = 1_700_000_000;
const DAY: i64 = 86_400;

/// The minimal site in a repository of eight commits; returns the site, the repository and
/// the ids of the commits on HEAD's first-parent chain (the merge's side commit left out).
fn repository() -> (TempSite, Committer, Vec<String>) {
    let site = TempSite::minimal();
    let git = Committer::init(site.path()).unwrap();
    let mut ids = Vec::new();
    let mut day = 0;
    let mut commit = |git: &Committer, message: &str| {
        day += 1;
        let id = git.commit(message, T0 + day * DAY, AUTHOR, &[]).unwrap();
        ids.push(id.to_string());
        id
    };
    commit(&git, "Data awal");
    let text = site.read(SHIPMENTS);
    site.write(SHIPMENTS, text.replace("quantity: 7500", "quantity: 8000"));
    commit(&git, "Koreksi kirim-1: 8000 kg\n\nKata dinas, bukan 7500.");
    let text = site.read(SHIPMENTS);
    site.write(
        SHIPMENTS,
        text.replace("unit: ton\n", "unit: ton\n  status: verified\n"),
    );
    commit(&git, "kirim-2 diverifikasi");
    let text = site.read(SHIPMENTS);
    let kept = &text[..text.find("- id: kirim-3").unwrap()];
    site.write(SHIPMENTS, kept);
    commit(&git, "Hapus kirim-3 <script>alert(1)</script> & \"kutip\"");
    let moved = "content/agreements/contoh/shipments/2022/semua.yaml";
    site.remove(SHIPMENTS).write(moved, kept);
    let before_break = commit(&git, "Pindah berkas");
    site.write(moved, "- id: [rusak\n");
    let broken = commit(&git, "Berkas rusak");
    site.write(
        moved,
        format!(
            "{kept}- id: kirim-4\n  date: 2022-06-01\n  from: gapoktan\n  commodity: beras\n  quantity: 3\n  unit: t\n"
        ),
    );
    let side = git
        .commit_aside("tambah kirim-4", T0 + 7 * DAY, AUTHOR, before_break)
        .unwrap();
    let merge = git
        .commit("Merge branch 'tambah'", T0 + 8 * DAY, AUTHOR, &[side])
        .unwrap();
    assert_ne!(merge, broken);
    ids.push(merge.to_string());
    (site, git, ids)
}

/// Corrects kirim-4 from 3 t to 4 t in a commit on top of [`repository`]'s.
fn one_more_commit(site: &TempSite, git: &Committer) -> gix::ObjectId {
    let moved = "content/agreements/contoh/shipments/2022/semua.yaml";
    let text = site.read(moved);
    site.write(moved, text.replace("quantity: 3\n", "quantity: 4\n"));
    git.commit("kirim-4: 4 t", T0 + 9 * DAY, AUTHOR, &[])
        .unwrap()
}

fn build(site: &Path, out: &Path) -> common::Run {
    let run = sinergi(&[
        "build",
        "--site",
        site.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code(), 0, "{}", run.stderr);
    run
}

fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn every_revision_of_the_records_is_published() {
    let (site, git, ids) = repository();
    let out = tmp("history");
    let run = build(site.path(), &out);
    assert!(!run.stderr.contains("history-"), "{}", run.stderr);

    let c = |i: usize| ids[i].as_str();
    let csv = read(&out, "agreements/contoh/revisions.csv");
    let expected = [
        "date,commit,id,change,field,old,new".to_string(),
        format!("2023-11-15,{},kirim-1,added,,,7500 kg", c(0)),
        format!("2023-11-15,{},kirim-2,added,,,2.5 ton", c(0)),
        format!("2023-11-15,{},kirim-3,added,,,1600 butir", c(0)),
        format!(
            "2023-11-16,{},kirim-1,changed,quantity,7500 kg,8000 kg",
            c(1)
        ),
        format!(
            "2023-11-17,{},kirim-2,changed,status,shipped,verified",
            c(2)
        ),
        format!("2023-11-18,{},kirim-3,removed,,1600 butir,", c(3)),
        format!("2023-11-22,{},kirim-4,added,,,3 t", c(6)),
    ];
    assert_eq!(csv, expected.join("\r\n") + "\r\n");

    let json: serde_json::Value =
        serde_json::from_str(&read(&out, "agreements/contoh/revisions.json")).unwrap();
    let rows = json["revisions"].as_array().unwrap();
    assert_eq!(rows.len(), 7, "one object per record change");
    assert_eq!(rows[3]["id"], "kirim-1");
    assert_eq!(rows[3]["change"], "changed");
    assert_eq!(rows[3]["message"], "Koreksi kirim-1: 8000 kg");
    assert_eq!(rows[3]["fields"][0]["field"], "quantity");
    assert_eq!(rows[3]["fields"][0]["old"], "7500 kg");
    assert_eq!(rows[3]["fields"][0]["new"], "8000 kg");
    assert_eq!(rows[5]["change"], "removed");
    assert_eq!(rows[5]["new"], serde_json::Value::Null);

    let id = read(&out, "agreements/contoh/history/index.html");
    let en = read(&out, "en/agreements/contoh/history/index.html");
    assert!(id.contains("Riwayat revisi") && en.contains("Revision history"));
    for page in [&id, &en] {
        // Newest first; every commit of the chain but the first that only added is listed.
        let at: Vec<usize> = ids
            .iter()
            .map(|c| {
                page.find(&format!("<code>{}</code></h2>", &c[..7]))
                    .unwrap()
            })
            .collect();
        assert!(at.windows(2).all(|w| w[0] > w[1]), "{at:?}");
        assert!(page.contains("Koreksi kirim-1: 8000 kg"));
        assert!(
            !page.contains("Kata dinas"),
            "only the first line of a message"
        );
        assert!(page.contains("Hapus kirim-3 &lt;script&gt;alert(1)&lt;"));
        assert!(page.contains("&amp; &quot;kutip&quot;"));
        assert!(!page.contains("<script>alert"));
        assert!(page.contains("<del>7500 kg</del>") && page.contains("<ins>8000 kg</ins>"));
        assert!(!page.contains("Ani Wijaya") && !page.contains("ani@"));
    }
    // Fields are named in the page's language; revisions.csv and .json keep the YAML keys.
    assert!(id.contains("<td>diubah<td>Jumlah<td><del>7500 kg"), "{id}");
    assert!(
        en.contains("<td>changed<td>Quantity<td><del>7500 kg"),
        "{en}"
    );
    assert!(!id.contains("<code>quantity</code>"));
    assert!(id.contains("tidak dapat dibaca") && en.contains("could not be read"));
    assert!(id.contains("Riwayat dimulai dari commit"));
    // The figures that moved: the rice total from 10 t to 10.5 t when kirim-1 was corrected.
    assert!(
        en.contains("<td class=\"num\">10 t<td class=\"num\">10.5 t"),
        "{en}"
    );

    let dashboard = read(&out, "agreements/contoh/index.html");
    assert!(dashboard.contains("agreements/contoh/history/index.html"));
    for (path, bytes) in published(&out) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("ani@example.org"), "{path} has the e-mail");
    }

    // Built again (from the cache, then without it): the same bytes.
    let first = published(&out);
    build(site.path(), &out);
    assert_eq!(published(&out), first);
    std::fs::remove_dir_all(site.path().join(".sinergi-cache")).unwrap();
    let again = tmp("history-again");
    build(site.path(), &again);
    assert_eq!(published(&again), first);

    // One more commit is one more revision.
    let last = one_more_commit(&site, &git);
    build(site.path(), &out);
    let csv = read(&out, "agreements/contoh/revisions.csv");
    assert!(csv.ends_with(&format!(
        "2023-11-23,{last},kirim-4,changed,quantity,3 t,4 t\r\n"
    )));
}

#[test]
fn authors_and_commit_links_only_when_the_site_asks() {
    let (site, git, ids) = repository();
    let text = site.read(SITE);
    site.write(
        SITE,
        format!("{text}history:\n  authors: true\n  commit_url: https://example.org/c/{{id}}\n"),
    );
    git.commit("Riwayat dengan penulis", T0 + 20 * DAY, AUTHOR, &[])
        .unwrap();
    let out = tmp("history-authors");
    build(site.path(), &out);
    let page = read(&out, "agreements/contoh/history/index.html");
    assert!(page.contains("Ani Wijaya"));
    assert!(page.contains(&format!("href=\"https://example.org/c/{}\"", ids[1])));
    for (path, bytes) in published(&out) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("ani@example.org"), "{path} has the e-mail");
    }

    for (bad, words) in [
        ("javascript:alert(1)//{id}", "is not an http(s) link"),
        ("https://example.org/commit/", "has no `{id}`"),
    ] {
        site.write(SITE, format!("{text}history:\n  commit_url: \"{bad}\"\n"));
        let (code, findings) = site.findings();
        assert_eq!(code, 1);
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].at(), "error invalid-url content/site.yaml:9:15");
        assert!(
            findings[0].message.contains(words),
            "{}",
            findings[0].message
        );
    }
}

#[test]
fn a_shallow_clone_says_where_its_history_begins() {
    let (site, _git, ids) = repository();
    std::fs::write(site.path().join(".git/shallow"), format!("{}\n", ids[3])).unwrap();
    let out = tmp("history-shallow");
    let run = build(site.path(), &out);
    assert!(run.stderr.contains("history-truncated"), "{}", run.stderr);
    assert!(run.stderr.contains(&ids[3][..7]), "{}", run.stderr);
    let csv = read(&out, "agreements/contoh/revisions.csv");
    assert_eq!(
        csv.lines().skip(1).collect::<Vec<_>>(),
        [format!("2023-11-22,{},kirim-4,added,,,3 t", ids[6])]
    );
    let page = read(&out, "en/agreements/contoh/history/index.html");
    assert!(page.contains("shallow"));
    assert!(page.contains(&format!("<code>{}</code>, 18 November 2023", &ids[3][..7])));
    assert!(!page.contains(&ids[2][..7]));

    // `check` sees the same warning, and fails on it with --deny-warnings.
    let check = site.check(&["--format", "json"]);
    assert_eq!(check.code(), 0, "{}", check.stderr);
    let codes: Vec<String> = check.findings().into_iter().map(|f| f.code).collect();
    assert_eq!(codes, ["history-truncated"]);
    let denied = site.check(&["--deny-warnings"]);
    assert_eq!(denied.code(), 1);
    assert!(
        denied.stderr.contains("history-truncated"),
        "{}",
        denied.stderr
    );

    // A repository whose history cannot be read (HEAD's commit object is garbage): `build`
    // and `check` warn `history-unreadable`.
    let head = ids.last().unwrap();
    let object = site
        .path()
        .join(".git/objects")
        .join(&head[..2])
        .join(&head[2..]);
    std::fs::remove_file(&object).unwrap();
    std::fs::write(&object, b"not a zlib stream").unwrap();
    let run = build(site.path(), &out);
    assert!(run.stderr.contains("history-unreadable"), "{}", run.stderr);
    let denied = site.check(&["--deny-warnings", "--format", "json"]);
    assert_eq!(denied.code(), 1);
    let codes: Vec<String> = denied.findings().into_iter().map(|f| f.code).collect();
    assert_eq!(codes, ["history-unreadable"]);
}

#[test]
fn without_a_repository_or_with_history_off_the_site_is_as_before() {
    let plain = TempSite::minimal();
    let out = tmp("history-none");
    let run = build(plain.path(), &out);
    assert!(!run.stderr.contains("history"), "{}", run.stderr);
    let none = published(&out);
    assert!(
        none.keys()
            .all(|p| !p.contains("revisions") && !p.contains("history"))
    );
    assert!(
        none.values()
            .all(|b| !String::from_utf8_lossy(b).contains("history/index.html"))
    );

    let (site, git, _) = repository();
    let text = site.read(SITE);
    site.write(SITE, format!("{text}history: {{enabled: false}}\n"));
    site.write(SHIPMENTS, plain.read(SHIPMENTS));
    site.remove("content/agreements/contoh/shipments/2022");
    git.commit("Tanpa riwayat", T0 + 30 * DAY, AUTHOR, &[])
        .unwrap();
    let off = tmp("history-off");
    build(site.path(), &off);
    assert_eq!(published(&off), none);
}

/// The `(id, link)` of every entry of a feed that links to a history page.
fn revision_entries(feed: &str) -> Vec<(String, String)> {
    let doc = roxmltree::Document::parse(feed).expect("the feed is XML");
    doc.descendants()
        .filter(|n| n.has_tag_name("entry"))
        .filter_map(|e| {
            let child = |name: &str| e.children().find(|c| c.has_tag_name(name));
            let link = child("link")?.attribute("href")?.to_string();
            let id = child("id")?.text()?.to_string();
            link.contains("/history/").then_some((id, link))
        })
        .collect()
}

#[test]
fn changed_totals_and_records_are_marked_and_fed() {
    let (site, git, ids) = repository();
    let out = tmp("history-marks");
    build(site.path(), &out);
    let anchor = |i: usize| format!("history/index.html#commit-{}", ids[i]);

    // The dashboard: the last revision (the merge), and a mark on each total that moved after
    // it was first published: rice (kirim-1 corrected, kirim-4 added), eggs (kirim-3 removed).
    let dashboard = read(&out, "agreements/contoh/index.html");
    assert!(
        dashboard.contains(&format!(
            "Terakhir direvisi: <a href=\"{}\">22 November 2023</a>",
            anchor(6)
        )),
        "{dashboard}"
    );
    let marks: Vec<&str> = dashboard
        .split("<p class=\"revised\"><a href=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    assert_eq!(marks, [anchor(6), anchor(3)], "rice, then eggs");
    let en = read(&out, "en/agreements/contoh/index.html");
    assert!(
        en.contains("Last revised: <a")
            && en.contains("Revised after publication: 22 November 2023")
    );

    // The ledger: kirim-1 and kirim-2 were changed after they were added; kirim-4 only added.
    let ledger = read(&out, "agreements/contoh/shipments/index.html");
    let row = |id: &str| {
        let at = ledger
            .find(&format!("<tr id={id}>"))
            .or_else(|| ledger.find(&format!("<tr id={id} ")))
            .unwrap();
        let end = ledger[at..].find("\n").unwrap();
        &ledger[at..at + end]
    };
    assert!(row("kirim-1").contains(&format!("<a href=../{}>direvisi</a>", anchor(1))));
    assert!(row("kirim-2").contains(&format!("<a href=../{}>direvisi</a>", anchor(2))));
    assert!(!row("kirim-4").contains("history/"));
    assert_eq!(ledger.matches("#commit-").count(), 2);

    // The report's appendix: every revision, newest first, each linked to the history page.
    let report = read(&out, "agreements/contoh/report/index.html");
    assert!(report.contains("Lampiran C. Riwayat revisi data"));
    let at: Vec<usize> = (0..ids.len())
        .map(|i| report.find(&format!("{}\"><code>", anchor(i))).unwrap())
        .collect();
    assert!(at.windows(2).all(|w| w[0] > w[1]), "{at:?}");
    assert!(report.contains("Beras: 10 t → 10,5 t"));
    assert!(
        read(&out, "en/agreements/contoh/report/index.html")
            .contains("Appendix C. Data revision history")
    );

    // The feed: the revisions that moved a published total, and no other.
    let feed = read(&out, "feed.xml");
    assert!(!feed.contains("<script>alert"));
    let entries = revision_entries(&feed);
    let links: Vec<&str> = entries.iter().map(|(_, l)| l.as_str()).collect();
    assert_eq!(
        links,
        [
            format!("agreements/contoh/{}", anchor(6)),
            format!("agreements/contoh/{}", anchor(3)),
            format!("agreements/contoh/{}", anchor(1)),
        ]
    );
    assert!(entries.iter().all(|(id, _)| id.starts_with("urn:uuid:")));
    assert!(feed.contains("Beras: 10 t → 10,5 t"));
    assert_eq!(revision_entries(&read(&out, "en/feed.xml")).len(), 3);

    // One more revision: a new entry, and every earlier entry keeps its id.
    let last = one_more_commit(&site, &git);
    build(site.path(), &out);
    let after = revision_entries(&read(&out, "feed.xml"));
    assert_eq!(after.len(), 4);
    assert!(after[0].1.ends_with(&format!("#commit-{last}")));
    assert_eq!(after[1..], entries[..]);
    let ledger = read(&out, "agreements/contoh/shipments/index.html");
    assert!(ledger.contains(&format!("#commit-{last}>direvisi</a>")));

    // With a base URL an entry's id is its address.
    let absolute = tmp("history-marks-base");
    let run = sinergi(&[
        "build",
        "--site",
        site.path().to_str().unwrap(),
        "--out",
        absolute.to_str().unwrap(),
        "--base-url",
        "https://example.org/kad/",
    ]);
    assert_eq!(run.code(), 0, "{}", run.stderr);
    for (id, link) in revision_entries(&read(&absolute, "feed.xml")) {
        assert_eq!(id, link);
        assert!(id.starts_with("https://example.org/kad/agreements/contoh/history/"));
    }
}

#[test]
fn a_large_revision_shows_its_first_rows_and_links_the_rest() {
    let site = TempSite::minimal();
    let git = Committer::init(site.path()).unwrap();
    let records: String = (0..150)
        .map(|i| {
            format!("- id: r{i:03}\n  date: 2022-03-01\n  from: gapoktan\n  commodity: beras\n  quantity: 1\n  unit: t\n")
        })
        .collect();
    site.write(SHIPMENTS, records);
    git.commit("150 catatan", T0, AUTHOR, &[]).unwrap();
    let out = tmp("history-large");
    build(site.path(), &out);
    let en = read(&out, "en/agreements/contoh/history/index.html");
    assert_eq!(en.matches("<tr class=\"change-added\">").count(), 100);
    assert!(
        en.contains("50 more changes of this revision are in"),
        "{en}"
    );
    let id = read(&out, "agreements/contoh/history/index.html");
    assert!(id.contains("50 perubahan lain pada revisi ini ada di"));
    let csv = read(&out, "agreements/contoh/revisions.csv");
    assert_eq!(csv.lines().count(), 151);
}
