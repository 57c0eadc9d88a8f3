//! Requests: map a URL path to a file of the in-memory site, never to the disk.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::Response;
use axum::routing::get;

use super::page;
use super::{App, EVENTS_PATH, SiteFiles, Snapshot};

/// How long an events request waits for a rebuild before it answers with the same token.
const LONG_POLL: Duration = Duration::from_secs(25);

pub(super) fn router(app: Arc<App>) -> Router {
    Router::new()
        .route(EVENTS_PATH, get(events))
        .fallback(site_file)
        .with_state(app)
}

/// Where a request path leads inside the site.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    /// A file of the site (its key in the files map).
    File(String),
    /// A folder asked for without its trailing `/`: redirect there.
    Redirect(String),
    NotFound,
    /// `..`, `.`, backslashes, encoded `/` or `\`, control characters, bad percent-encoding.
    BadRequest,
}

/// Maps the raw (still percent-encoded) path of a request to a file of the site. Paths that try
/// to climb out (`..`, `%2e%2e`, `%2f`, `\`) are refused as bad requests rather than cleaned up;
/// anything else that names no file is not found. `/` and `/dir/` mean `index.html`.
pub fn resolve(raw: &str, files: &SiteFiles) -> Resolved {
    if !raw.starts_with('/') || raw.contains('\\') {
        return Resolved::BadRequest;
    }
    let lower = raw.to_ascii_lowercase();
    if ["%2f", "%5c", "%00"].iter().any(|e| lower.contains(e)) {
        return Resolved::BadRequest;
    }
    let Some(decoded) = percent_decode(raw).and_then(|b| String::from_utf8(b).ok()) else {
        return Resolved::BadRequest;
    };
    if decoded.chars().any(|c| c.is_control() || c == '\\') {
        return Resolved::BadRequest;
    }
    let rel = &decoded[1..];
    if rel.split('/').any(|s| s == ".." || s == ".") {
        return Resolved::BadRequest;
    }
    if rel.starts_with('/') || rel.contains("//") {
        return Resolved::NotFound;
    }
    let key = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    if files.contains_key(&key) {
        Resolved::File(key)
    } else if key == rel && files.contains_key(&format!("{rel}/index.html")) {
        Resolved::Redirect(format!("{raw}/"))
    } else {
        Resolved::NotFound
    }
}

fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = |b: u8| (b as char).to_digit(16);
            let hi = hex(*bytes.get(i + 1)?)?;
            let lo = hex(*bytes.get(i + 2)?)?;
            out.push((hi * 16 + lo) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

/// The `Content-Type` of a site file, by its extension.
pub fn content_type(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "webmanifest" => "application/manifest+json",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

fn is_html(path: &str) -> bool {
    content_type(path).starts_with("text/html")
}

async fn site_file(State(app): State<Arc<App>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut r = plain(StatusCode::METHOD_NOT_ALLOWED, "405 Method Not Allowed\n");
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let snap = app.snapshot();
    if snap.files.is_empty()
        && let Some(failure) = &snap.failure
    {
        return respond(
            StatusCode::INTERNAL_SERVER_ERROR,
            "text/html; charset=utf-8",
            Bytes::from(page::error_page(&snap.token, failure)),
        );
    }
    match resolve(uri.path(), &snap.files) {
        Resolved::File(key) => file_response(&snap, &key, StatusCode::OK, None),
        Resolved::Redirect(location) => {
            let location = match uri.query() {
                Some(q) => format!("{location}?{q}"),
                None => location,
            };
            let mut r = plain(StatusCode::FOUND, "302 Found\n");
            if let Ok(v) = HeaderValue::from_str(&location) {
                r.headers_mut().insert(header::LOCATION, v);
            }
            r
        }
        Resolved::NotFound => not_found(&snap, uri.path()),
        Resolved::BadRequest => plain(
            StatusCode::BAD_REQUEST,
            "400 Bad Request: the path may not contain `..`, `.`, `\\` or encoded `/`\n",
        ),
    }
}

/// The site's own 404 page (of the language the path starts with, when it has one), with
/// `<base>` so its relative links work at any depth.
fn not_found(snap: &Snapshot, raw_path: &str) -> Response {
    let first = raw_path
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or("");
    let localized = format!("{first}/404.html");
    let (key, base) = if !first.is_empty()
        && raw_path.len() > first.len() + 1
        && snap.files.contains_key(&localized)
    {
        (localized, format!("/{first}/"))
    } else {
        ("404.html".to_string(), "/".to_string())
    };
    if snap.files.contains_key(&key) {
        file_response(snap, &key, StatusCode::NOT_FOUND, Some(&base))
    } else {
        plain(StatusCode::NOT_FOUND, "404 Not Found\n")
    }
}

fn file_response(snap: &Snapshot, key: &str, status: StatusCode, base: Option<&str>) -> Response {
    let bytes = snap.files.get(key).cloned().unwrap_or_default();
    let body = if is_html(key) {
        Bytes::from(page::inject(
            &bytes,
            &snap.token,
            snap.failure.as_deref(),
            true,
            base,
        ))
    } else {
        bytes
    };
    respond(status, content_type(key), body)
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    respond(
        status,
        "text/plain; charset=utf-8",
        Bytes::from_static(text.as_bytes()),
    )
}

fn respond(status: StatusCode, content_type: &'static str, body: Bytes) -> Response {
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

/// Long poll: answers with the current reload token at once when it differs from `since`,
/// otherwise when the next build is published or after [`LONG_POLL`].
async fn events(State(app): State<Arc<App>>, uri: Uri) -> Response {
    let since = uri
        .query()
        .unwrap_or("")
        .split('&')
        .find_map(|kv| kv.strip_prefix("since="))
        .unwrap_or("")
        .to_string();
    let mut tokens = app.subscribe();
    let unchanged = *tokens.borrow_and_update() == since;
    if unchanged {
        let _ = tokio::time::timeout(LONG_POLL, tokens.changed()).await;
    }
    let token = tokens.borrow().clone();
    respond(
        StatusCode::OK,
        "text/plain; charset=utf-8",
        Bytes::from(token),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> SiteFiles {
        [
            "index.html",
            "en/index.html",
            "assets/style.css",
            "404.html",
            "en/404.html",
        ]
        .into_iter()
        .map(|p| (p.to_string(), Bytes::from_static(b"x")))
        .collect()
    }

    #[test]
    fn folders_map_to_index() {
        let s = site();
        assert_eq!(resolve("/", &s), Resolved::File("index.html".into()));
        assert_eq!(resolve("/en/", &s), Resolved::File("en/index.html".into()));
        assert_eq!(resolve("/en", &s), Resolved::Redirect("/en/".into()));
        assert_eq!(
            resolve("/assets/style.css", &s),
            Resolved::File("assets/style.css".into())
        );
        assert_eq!(
            resolve("/assets/st%79le.css", &s),
            Resolved::File("assets/style.css".into())
        );
        assert_eq!(resolve("/nope.html", &s), Resolved::NotFound);
    }

    #[test]
    fn traversal_is_refused() {
        let s = site();
        for p in [
            "/../Cargo.toml",
            "/en/../../Cargo.toml",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/%2E%2E/Cargo.toml",
            "/..%2fCargo.toml",
            "/..%2FCargo.toml",
            "/..%5cCargo.toml",
            "/..\\Cargo.toml",
            "/./index.html",
            "/%00",
            "/%zz",
            "/%c0%ae%c0%ae/etc/passwd",
            "etc/passwd",
        ] {
            assert_eq!(resolve(p, &s), Resolved::BadRequest, "{p}");
        }
        for p in [
            "//etc/passwd",
            "/etc/passwd",
            "/C:/Windows/win.ini",
            "/en//index.html",
        ] {
            assert_eq!(resolve(p, &s), Resolved::NotFound, "{p}");
        }
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("assets/style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("a/charts/x.svg"), "image/svg+xml");
        assert_eq!(content_type("data.json"), "application/json");
        assert_eq!(content_type("feed.xml"), "application/xml; charset=utf-8");
        assert_eq!(content_type("a/shipments.csv"), "text/csv; charset=utf-8");
        assert_eq!(content_type("robots.txt"), "text/plain; charset=utf-8");
        assert_eq!(content_type("r.PDF"), "application/pdf");
        assert_eq!(content_type("v1.2/noext"), "application/octet-stream");
    }
}
