//! Hostile text in every text field of every data file: the build succeeds and nothing from the
//! data becomes markup, a script, a link scheme or template code.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const HOSTILE: [&str; 8] = [
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "{{ 7*7 }} {% if true %}x{% endif %}",
    "\u{202e}gnp.exe\u{202c} bidi",
    "' onmouseover='alert(1)",
    "</title></svg><svg onload=alert(1)>",
    "=HYPERLINK(\"http://evil.example\")",
];

/// A YAML double-quoted scalar (JSON strings are valid YAML).
fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

fn site(dir: &Path) {
    let h = |i: usize| q(&format!("{} #{i}", HOSTILE[i % HOSTILE.len()]));
    let long = q(&"Panjang ".repeat(1250));
    let c = dir.join("content");
    let a = c.join("agreements/kad-x");
    fs::create_dir_all(a.join("shipments")).unwrap();
    fs::create_dir_all(c.join("pages")).unwrap();
    fs::write(
        c.join("site.yaml"),
        format!(
            "title: {}\ndescription: {}\nlanguages: [id, en]\npublisher: {}\ncontact: {}\nlicense: {}\nas_of: 2022-09-05\n",
            h(0), h(1), h(2), h(3), h(4)
        ),
    )
    .unwrap();
    fs::write(
        a.join("agreement.yaml"),
        format!(
            r#"title: {{id: {t0}, en: {t1}}}
kind: {k}
status: active
signed: 2022-06-10
period: {{start: 2022-06-10, end: 2023-06-10}}
summary: {summary}
parties:
  - {{id: p1, name: {n1}, role: {r1}, signatory: {{title: {st}, name: {sn}}}}}
  - {{id: p2, name: {long}}}
facilitators: [{{id: bi, name: {fac}}}]
contacts: [{{name: {cn}, role: {cr}, email: {ce}}}]
commodities:
  - {{id: telur, name: {cm}, unit: t}}
participants:
  - {{id: kuj, name: {long}, kind: {pk}, party: p1, commodities: [telur]}}
offtakers:
  - {{id: fs, name: {on}, party: p2}}
targets:
  - {{id: t1, title: {tt}, commodity: telur, quantity: 100, due: 2023-06-01}}
milestones:
  - {{date: 2022-06-10, title: {mt}, status: done, sources: [s1]}}
documents:
  - {{id: nk, type: NK, title: {dt}, number: {dn}, url: "https://example.id/a'b"}}
  - {{id: pks, type: PKS, title: {dt2}, parent: nk, parties: [kuj, fs]}}
sources:
  - {{id: s1, title: {srt}, publisher: {srp}, url: "https://example.id/berita?x=1&y=2"}}
issues:
  - {{id: i1, raised: 2022-09-01, title: {it}, status: open, sources: [s1]}}
report: {{place: {rp}, signers: [{{title: {rt}, name: {rn}, nip: {rnip}}}]}}
"#,
            t0 = h(0), t1 = h(1), k = h(2),
            summary = q(&format!("{} [klik](javascript:alert(1)) <b onclick=x>tebal</b> ![img](https://evil.example/x.png)", HOSTILE[0])),
            n1 = h(3), r1 = h(4), st = h(5), sn = h(6), long = long, fac = h(7),
            cn = h(0), cr = h(1), ce = h(2), cm = h(3), pk = h(4), on = h(5), tt = h(6),
            mt = h(7), dt = h(0), dn = h(1), dt2 = h(2), srt = h(3), srp = h(4), it = h(5),
            rp = h(6), rt = h(7), rn = h(0), rnip = h(1),
        ),
    )
    .unwrap();
    fs::write(
        a.join("shipments/x.yaml"),
        format!(
            "- {{id: s1, date: 2022-06-12, from: kuj, to: fs, commodity: telur, quantity: 6, unit: t, sources: [s1], document: pks, note: {}}}\n- {{id: s2, period: {{start: 2022-06-13, end: 2022-09-05}}, from: kuj, commodity: telur, quantity: 3000, unit: kg, note: {}}}\n",
            h(1),
            h(7)
        ),
    )
    .unwrap();
    for (name, lang) in [("about.md", "id"), ("about.en.md", "en")] {
        fs::write(
            c.join("pages").join(name),
            format!(
                "---\ntitle: {}\ndescription: {}\n---\n# {}\n\n<iframe src=\"https://evil.example\"></iframe>\n\n[x](javascript:alert(1)) [y](data:text/html,hi) [z](JAVASCRIPT:alert(2))\n\n{} {lang}\n",
                h(2),
                h(3),
                HOSTILE[1],
                HOSTILE[3]
            ),
        )
        .unwrap();
    }
}

#[test]
fn hostile_text_never_becomes_markup() {
    let root = std::env::temp_dir().join(format!("sinergi-hostile-{}", std::process::id()));
    let _ = fs::remove_dir_all(&root);
    site(&root);
    let out: PathBuf = root.join("output");
    let o = Command::new(env!("CARGO_BIN_EXE_sinergi"))
        .args(["build", "--site", root.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    let mut checked = 0;
    for e in walkdir::WalkDir::new(&out) {
        let e = e.unwrap();
        let path = e.path();
        let ext = path.extension().and_then(|x| x.to_str()).unwrap_or("");
        if !["html", "svg", "xml"].contains(&ext) {
            continue;
        }
        let text = fs::read_to_string(path).unwrap();
        // The one kind of image sinergi writes itself: a chart from its own SVG file (its alt
        // text escaped).
        let lower = common::without_own_scripts(
            &text
                .to_lowercase()
                .replace("<img src=\"charts/", "")
                .replace("<img src=\"../charts/", ""),
        );
        let name = path.display();
        assert!(!lower.contains("<script"), "{name}: script tag");
        assert!(!lower.contains("<img"), "{name}: img tag");
        assert!(!lower.contains("<iframe"), "{name}: iframe tag");
        assert!(!lower.contains("<b onclick"), "{name}: raw html");
        assert!(!lower.contains("<svg onload"), "{name}: injected svg");
        assert!(
            !lower.contains("href=\"javascript:"),
            "{name}: javascript link"
        );
        assert!(!lower.contains("href=\"data:"), "{name}: data link");
        assert!(
            !text.contains(" onmouseover='"),
            "{name}: attribute breakout"
        );
        assert!(!text.contains("49 x"), "{name}: template code ran");
        for tag in tags(&text) {
            let t = unquoted(tag).to_lowercase();
            assert!(
                !t.contains(" onerror") && !t.contains(" onload") && !t.contains(" onclick"),
                "{name}: event handler in {tag}"
            );
        }
        checked += 1;
    }
    assert!(checked >= 16, "only {checked} files checked");
    let csv = fs::read_to_string(out.join("agreements/kad-x/shipments.csv")).unwrap();
    assert!(csv.contains("'=HYPERLINK"), "formula defused: {csv}");
    assert!(!csv.contains(",=HYPERLINK"), "{csv}");
}

/// The opening tags of an HTML/XML text.
fn tags(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find('<') {
        let after = &rest[i..];
        let end = after.find('>').map(|e| e + 1).unwrap_or(after.len());
        out.push(&after[..end]);
        rest = &after[end..];
    }
    out
}

/// A tag without its quoted attribute values: what the browser reads as attribute names.
fn unquoted(tag: &str) -> String {
    let mut out = String::new();
    let mut quote = None;
    for c in tag.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None => out.push(c),
        }
    }
    out
}
