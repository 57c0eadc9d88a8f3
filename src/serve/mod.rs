//! `sinergi serve`: builds the site in memory, serves it from memory, rebuilds when a source
//! file changes and reloads the pages open in a browser.
//!
//! Three parts that never wait for each other:
//! - the HTTP server (tokio + axum) answers every request from the current [`Snapshot`], an
//!   `Arc` swapped in one step, so a request never waits for a build;
//! - the watcher (notify, debounced) turns file changes into build requests;
//! - the builder thread runs [`crate::render_site`], then publishes a new snapshot and a new
//!   reload token. A failed build keeps the last good files and adds the findings, which every
//!   HTML page then shows in an overlay.
//!
//! Nothing here touches the disk besides reading the site: the built output stays free of
//! scripts, and the reload script and overlay are added to HTML responses only.

mod http;
mod page;
mod watch;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, RwLock, mpsc};
use std::time::{Duration, Instant};

use axum::body::Bytes;

use crate::diagnostics::{self, Diagnostics, Format};
use crate::{BuildError, BuildOptions};

pub use http::{Resolved, content_type, resolve};

/// How long the watcher waits for a burst of file events to settle before a rebuild.
pub const DEBOUNCE: Duration = Duration::from_millis(50);

/// The path open pages poll for the reload token.
pub const EVENTS_PATH: &str = "/__sinergi/events";

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub site: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    /// Print only the address and build failures.
    pub quiet: bool,
    /// Seconds since 1970: the build date footers show.
    pub source_date_epoch: Option<i64>,
}

/// Why `serve` could not start, or stopped.
#[derive(Debug)]
pub enum ServeError {
    /// `--site` is no sinergi site.
    NoSite(PathBuf),
    /// The server's runtime or rebuild thread could not start.
    Start(std::io::Error),
    Listen {
        addr: SocketAddr,
        error: std::io::Error,
    },
    Watch {
        site: PathBuf,
        error: notify_debouncer_full::notify::Error,
    },
    /// The server stopped.
    Stopped(std::io::Error),
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServeError::NoSite(site) => write!(
                f,
                "{} has no content/ folder; point --site at a sinergi site",
                site.display()
            ),
            ServeError::Start(e) => write!(f, "cannot start the server: {e}"),
            ServeError::Listen { addr, error } => {
                write!(f, "cannot listen on {addr}: {error}; choose another --port")
            }
            ServeError::Watch { site, error } => {
                write!(f, "cannot watch {}: {error}", site.display())
            }
            ServeError::Stopped(e) => write!(f, "the server stopped: {e}"),
        }
    }
}

impl std::error::Error for ServeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ServeError::NoSite(_) => None,
            ServeError::Start(e) | ServeError::Stopped(e) => Some(e),
            ServeError::Listen { error, .. } => Some(error),
            ServeError::Watch { error, .. } => Some(error),
        }
    }
}

/// The files of a build, shared by every response without copying.
pub type SiteFiles = crate::render::SharedFiles;

/// What requests are answered from.
pub(crate) struct Snapshot {
    /// Changes whenever what pages show changes; open pages reload when it does.
    pub token: String,
    /// The last good build; empty until the first build succeeds.
    pub files: Arc<SiteFiles>,
    /// The findings of the last build, when it failed.
    pub failure: Option<Arc<Failure>>,
}

/// A failed build: its findings as the human text `sinergi check` prints.
pub(crate) struct Failure {
    pub errors: usize,
    pub text: String,
}

pub(crate) struct App {
    snapshot: RwLock<Arc<Snapshot>>,
    tokens: tokio::sync::watch::Sender<String>,
}

impl App {
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.snapshot
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn subscribe(&self) -> tokio::sync::watch::Receiver<String> {
        self.tokens.subscribe()
    }

    fn publish(&self, next: Snapshot) {
        let token = next.token.clone();
        *self.snapshot.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(next);
        self.tokens.send_replace(token);
    }
}

/// Serves the site until the process is stopped. Errors are about the address or the watcher.
pub fn run(options: ServeOptions) -> Result<(), ServeError> {
    if !options.site.join("content").is_dir() {
        return Err(ServeError::NoSite(options.site.clone()));
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(ServeError::Start)?;
    let addr = SocketAddr::new(options.bind, options.port);
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(addr))
        .map_err(|error| ServeError::Listen { addr, error })?;
    let local = listener
        .local_addr()
        .map_err(|error| ServeError::Listen { addr, error })?;

    // Watch first, so that nothing saved during the first build is missed.
    let (changes_tx, changes_rx) = mpsc::channel();
    let watcher =
        watch::Watcher::start(&options.site, changes_tx).map_err(|error| ServeError::Watch {
            site: options.site.clone(),
            error,
        })?;

    let mut builder = Builder {
        site: options.site.clone(),
        build: BuildOptions {
            out: None,
            base_url: None,
            source_date_epoch: options.source_date_epoch,
            uncommitted: true,
        },
        quiet: options.quiet,
        instance: instance_id(),
        generation: 0,
        warnings: String::new(),
        memo: Default::default(),
    };
    let (tokens, _) = tokio::sync::watch::channel(String::new());
    let app = Arc::new(App {
        snapshot: RwLock::new(Arc::new(Snapshot {
            token: String::new(),
            files: Arc::default(),
            failure: None,
        })),
        tokens,
    });
    if !options.quiet {
        eprintln!("building {} in memory", options.site.display());
    }
    builder.rebuild(&app, true);
    {
        let app = app.clone();
        std::thread::Builder::new()
            .name("sinergi-rebuild".into())
            .spawn(move || builder.run(&app, watcher, changes_rx))
            .map_err(ServeError::Start)?;
    }

    println!("Serving {}", url(local));
    if !options.quiet {
        eprintln!(
            "Watching content/, templates/, static/ and i18n/ in {}; press Ctrl+C to stop",
            options.site.display()
        );
    }
    if !options.bind.is_loopback() {
        eprintln!(
            "warning: listening on {} makes the site reachable from other machines",
            options.bind
        );
    }
    runtime
        .block_on(async { axum::serve(listener, http::router(app)).await })
        .map_err(ServeError::Stopped)
}

/// `http://127.0.0.1:8000/`, `http://[::1]:8000/`.
fn url(addr: SocketAddr) -> String {
    match addr.ip() {
        IpAddr::V4(ip) => format!("http://{ip}:{}/", addr.port()),
        IpAddr::V6(ip) => format!("http://[{ip}]:{}/", addr.port()),
    }
}

/// Distinguishes this server from a restarted one, so pages reload after a restart too.
fn instance_id() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!(
        "{:x}",
        (nanos as u64) ^ u64::from(std::process::id()).rotate_left(40)
    )
}

struct Builder {
    site: PathBuf,
    build: BuildOptions,
    quiet: bool,
    instance: String,
    generation: u64,
    /// The warnings last printed, so that unchanged warnings are not repeated on every save.
    warnings: String,
    /// The pages of every agreement last rendered: an agreement whose data did not change is
    /// not rendered again.
    memo: crate::render::Memo,
}

impl Builder {
    fn run(
        &mut self,
        app: &App,
        mut watcher: watch::Watcher,
        changes: mpsc::Receiver<Vec<String>>,
    ) {
        while let Ok(mut paths) = changes.recv() {
            // Everything saved while the last build ran goes into one build.
            while let Ok(more) = changes.try_recv() {
                paths.extend(more);
            }
            watcher.refresh();
            if !self.quiet {
                eprintln!("{}", describe_change(paths));
            }
            self.rebuild(app, false);
        }
    }

    /// Builds once and publishes the outcome; a build that changes nothing a page shows keeps
    /// the token, so pages do not reload.
    fn rebuild(&mut self, app: &App, first: bool) {
        let started = Instant::now();
        let result = crate::render_site(&self.site, &self.build, &mut self.memo);
        let elapsed = started.elapsed();
        let current = app.snapshot();
        let next = match result {
            Ok((files, checked)) => {
                self.report_warnings(&checked.diagnostics);
                let changed = count_changed(&current.files, &files);
                if !self.quiet {
                    eprintln!(
                        "{} in {} ms: {}, {} files ({changed} changed)",
                        if first { "built" } else { "rebuilt" },
                        elapsed.as_millis(),
                        checked.summary(),
                        files.len(),
                    );
                }
                if changed == 0 && current.failure.is_none() && !first {
                    return;
                }
                Snapshot {
                    token: self.next_token(),
                    files: Arc::new(files),
                    failure: None,
                }
            }
            Err(error) => {
                let (errors, text) = match error {
                    BuildError::Invalid(d) => (d.errors(), diagnostics::render(&d, Format::Human)),
                    other => (1, format!("error: {other}\n")),
                };
                eprint!("{text}");
                eprintln!(
                    "build failed in {} ms: {errors} error{}; {}",
                    elapsed.as_millis(),
                    if errors == 1 { "" } else { "s" },
                    if current.files.is_empty() {
                        "every page shows them until they are fixed"
                    } else {
                        "still serving the last good build, with the errors over every page"
                    }
                );
                if current.failure.as_ref().is_some_and(|f| f.text == text) {
                    return;
                }
                Snapshot {
                    token: self.next_token(),
                    files: current.files.clone(),
                    failure: Some(Arc::new(Failure { errors, text })),
                }
            }
        };
        app.publish(next);
    }

    fn next_token(&mut self) -> String {
        self.generation += 1;
        format!("{}-{}", self.instance, self.generation)
    }

    fn report_warnings(&mut self, diags: &Diagnostics) {
        let text = diagnostics::render(diags, Format::Human);
        if text != self.warnings && !self.quiet {
            eprint!("{text}");
        }
        self.warnings = text;
    }
}

/// How many output files were added, changed or removed. Bytes kept from the last build are the
/// same buffer, and are not compared byte by byte.
fn count_changed(old: &SiteFiles, new: &SiteFiles) -> usize {
    let same = |a: &Bytes, b: &Bytes| (a.as_ptr() == b.as_ptr() && a.len() == b.len()) || a == b;
    let changed_or_added = new
        .iter()
        .filter(|(p, b)| !old.get(*p).is_some_and(|o| same(o, b)))
        .count();
    let removed = old.keys().filter(|p| !new.contains_key(*p)).count();
    changed_or_added + removed
}

/// `changed: content/agreements/x/shipments/a.yaml` (and how many more).
fn describe_change(mut names: Vec<String>) -> String {
    names.sort();
    names.dedup();
    match names.len() {
        0 => "changed".to_string(),
        1 => format!("changed: {}", names[0]),
        n => format!("changed: {} and {} more", names[0], n - 1),
    }
}
