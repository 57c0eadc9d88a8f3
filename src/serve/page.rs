//! What serve mode adds to HTML responses: the reload script and the error overlay.

use super::{EVENTS_PATH, Failure};

/// Adds the reload script (and the overlay when the last build failed) before `</body>`, and a
/// `<base>` after `<head>` when `base` is given (for 404 pages served at any depth).
pub(crate) fn inject(
    html: &[u8],
    token: &str,
    failure: Option<&Failure>,
    have_good_build: bool,
    base: Option<&str>,
) -> Vec<u8> {
    let mut tail = String::new();
    if let Some(f) = failure {
        tail.push_str(&overlay(f, have_good_build));
    }
    tail.push_str(&script(token));

    let mut out = Vec::with_capacity(html.len() + tail.len() + 64);
    let mut rest = html;
    if let Some(base) = base
        && let Some(at) = find_ascii_ci(html, b"<head>", false)
    {
        let end = at + b"<head>".len();
        out.extend_from_slice(&html[..end]);
        out.extend_from_slice(format!("<base href=\"{}\">", escape(base)).as_bytes());
        rest = &html[end..];
    }
    match find_ascii_ci(rest, b"</body>", true) {
        Some(at) => {
            out.extend_from_slice(&rest[..at]);
            out.extend_from_slice(tail.as_bytes());
            out.extend_from_slice(&rest[at..]);
        }
        None => {
            out.extend_from_slice(rest);
            out.extend_from_slice(tail.as_bytes());
        }
    }
    out
}

/// The page served for every path while no build has succeeded yet.
pub(crate) fn error_page(token: &str, failure: &Failure) -> Vec<u8> {
    let shell = "<!DOCTYPE html>\n<html lang=\"id\">\n<head>\n<meta charset=\"utf-8\">\n\
                 <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
                 <title>sinergi: build gagal / build failed</title>\n</head>\n<body>\n</body>\n</html>\n";
    inject(shell.as_bytes(), token, Some(failure), false, None)
}

/// Polls the events endpoint and reloads when the token changes; waits a second and tries
/// again when the server is away (restarting, or a laptop waking up).
fn script(token: &str) -> String {
    format!(
        "<script id=\"sinergi-live-reload\">/* sinergi serve: live reload; built files carry no script */\n\
         (function(){{var t=\"{token}\";function poll(){{fetch(\"{EVENTS_PATH}?since=\"+t,{{cache:\"no-store\"}})\
         .then(function(r){{if(!r.ok)throw r.status;return r.text()}})\
         .then(function(n){{if(n.trim()!==t){{location.reload()}}else{{poll()}}}},\
         function(){{setTimeout(poll,1000)}})}}poll()}})();</script>\n",
        token = escape(token)
    )
}

fn overlay(failure: &Failure, have_good_build: bool) -> String {
    let n = failure.errors;
    let (id_state, en_state) = if have_good_build {
        (
            "Halaman ini menampilkan hasil build terakhir yang berhasil.",
            "This page shows the last good build.",
        )
    } else {
        (
            "Belum ada build yang berhasil.",
            "No build has succeeded yet.",
        )
    };
    format!(
        "<div id=\"sinergi-overlay\" role=\"alert\" style=\"position:fixed;inset:0;z-index:2147483647;\
         overflow:auto;margin:0;padding:1.5rem;background:#fff8f6;color:#1b1b1b;\
         border-top:.4rem solid #b3261e;font:16px/1.5 system-ui,sans-serif;text-align:left\">\n\
         <p style=\"margin:0 0 .5rem;font-size:1.25rem;font-weight:700;color:#8c1d18\">\
         sinergi: {n} galat di data / {n} error{s} in the data</p>\n\
         <p style=\"margin:0 0 1rem\">{id_state} Perbaiki berkas di bawah lalu simpan; halaman \
         dimuat ulang sendiri.<br><span lang=\"en\">{en_state} Fix the files below and save: the \
         page reloads by itself.</span></p>\n\
         <pre style=\"margin:0 0 1rem;padding:1rem;white-space:pre-wrap;overflow-wrap:anywhere;\
         background:#fff;color:#1b1b1b;border:1px solid #e4c2bd;font:14px/1.45 ui-monospace,\
         Menlo,Consolas,monospace\">{text}</pre>\n\
         <button type=\"button\" onclick=\"this.parentNode.remove()\" style=\"font:inherit;\
         padding:.3rem 1rem\">Tutup / Close</button>\n</div>\n",
        s = if n == 1 { "" } else { "s" },
        text = escape(&failure.text),
    )
}

/// Escapes text for HTML content and attribute values.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The first (or last) position of an ASCII needle, ignoring ASCII case.
fn find_ascii_ci(haystack: &[u8], needle: &[u8], last: bool) -> Option<usize> {
    if needle.len() > haystack.len() {
        return None;
    }
    let matches = |i: &usize| haystack[*i..*i + needle.len()].eq_ignore_ascii_case(needle);
    let mut positions = 0..=haystack.len() - needle.len();
    if last {
        positions.rev().find(matches)
    } else {
        positions.find(matches)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(text: &str) -> Failure {
        Failure {
            errors: 1,
            text: text.to_string(),
        }
    }

    #[test]
    fn script_goes_before_the_last_body_end() {
        let html = b"<html><head></head><body><p>&lt;/body&gt;</p></BODY></html>";
        let out = String::from_utf8(inject(html, "abc-1", None, true, None)).unwrap();
        assert!(out.contains("var t=\"abc-1\""));
        let script = out.find("<script").unwrap();
        assert!(script > out.find("<p>").unwrap());
        assert!(out.ends_with("</BODY></html>"));
        assert!(!out.contains("sinergi-overlay"));
    }

    #[test]
    fn overlay_escapes_findings() {
        let html = b"<html><head></head><body></body></html>";
        let f = failure("error[yaml-syntax]: <script>alert(1)</script> & \"x\"");
        let out = String::from_utf8(inject(html, "t", Some(&f), true, None)).unwrap();
        assert!(out.contains("sinergi-overlay"));
        assert!(out.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;"));
        assert_eq!(out.matches("<script").count(), 1);
    }

    #[test]
    fn base_goes_after_head() {
        let html =
            b"<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body></body></html>";
        let out = String::from_utf8(inject(html, "t", None, true, Some("/en/"))).unwrap();
        assert!(out.contains("<head><base href=\"/en/\"><meta"));
    }

    #[test]
    fn without_body_the_script_is_appended() {
        let out = String::from_utf8(inject(b"<p>x</p>", "t", None, true, None)).unwrap();
        assert!(out.starts_with("<p>x</p><script"));
    }

    #[test]
    fn error_page_is_a_whole_document() {
        let out = String::from_utf8(error_page("t", &failure("boom"))).unwrap();
        assert!(out.starts_with("<!DOCTYPE html>"));
        assert!(out.contains("No build has succeeded yet."));
        assert!(out.contains("boom"));
    }
}
